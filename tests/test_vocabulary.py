"""The data-item vocabulary: real names as departments write them map to the right category.

Each case is a name a department could plausibly put in a proposal (orthographic variants,
full/half width, kana instead of kanji, a longer phrase around the term) and the category a
council member would put it in. A lookup that falls to the wrong category silently disables
SEN-001 / SEN-002 / MYN-002, so these are asserted one by one.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.core.catalogue import bundled_rules_dir
from checker.core.errors import RuleError
from checker.core.vocabulary import load_vocabulary, normalise

VOCAB = load_vocabulary(bundled_rules_dir() / "vocabulary.yaml")


@pytest.mark.parametrize(("name", "category"), [
    # 障害: kanji, the 障がい / 障碍 spellings, kana, half-width kana, inside a longer name
    ("障害", "disability"), ("障がい", "disability"), ("障碍", "disability"),
    ("しょうがい", "disability"), ("ショウガイ", "disability"), ("ｼｮｳｶﾞｲ", "disability"),
    ("身体障がい者手帳の等級", "disability"), ("療育手帳の有無", "disability"),
    # illness, health checks, infection, mental health
    ("既往歴", "medical"), ("きおうれき", "medical"), ("病歴（自己申告）", "medical"),
    ("受診歴", "care_visit"), ("診療報酬明細書", "medical"), ("指定難病の病名", "medical"),
    ("特定健診の結果", "health_check"), ("妊娠の届出", "health_check"), ("HPV検査結果", "health_check"),
    ("ＰＣＲ検査結果", "infection"), ("PCR検査結果", "infection"), ("濃厚接触者の別", "infection"),
    ("自立支援医療（精神通院）", "mental_health"), ("認知症の有無", "mental_health"),
    # abuse, crime, creed
    ("虐待の状況", "abuse"), ("DV被害の有無", "abuse"), ("配偶者からの暴力", "abuse"),
    ("犯罪歴", "criminal"), ("保護観察中", "criminal"), ("信仰する宗教", "creed"),
    # quasi-sensitive: family register, residence status, welfare, income, biometrics
    ("本籍", "family_register"), ("ほんせき", "family_register"), ("戸籍の附票", "family_register"),
    ("戸籍謄本", "family_register"), ("在留資格", "residence_status"), ("在留期間（期限）", "residence_status"),
    ("国籍・地域", "residence_status"), ("生活保護受給の有無", "welfare"), ("せいかつほご", "welfare"),
    ("住民税非課税世帯", "welfare"), ("所得額", "income"), ("課税状況", "income"), ("財産状況", "income"),
    ("手のひら静脈の特徴量", "biometric"), ("指紋", "biometric"), ("顔認証データ", "biometric"),
    ("健康状態", "health_check"), ("食物アレルギーの有無", "medical"),
    # a photo on an identity document is not biometric data
    ("顔写真付きの本人確認書類", "identity_document"),
    # My Number versus the card used only as an identity document
    ("個人番号", "my_number"), ("マイナンバー", "my_number"), ("ﾏｲﾅﾝﾊﾞｰ", "my_number"),
    ("マイナンバーカードの電子証明書", "identity_document"), ("個人番号カード", "identity_document"),
    # ordinary items
    ("氏名", "basic_identity"), ("ﾌﾘｶﾞﾅ", "basic_identity"), ("電話番号", "contact"),
    ("接種券番号", "identifier"), ("口座番号", "financial"), ("家庭状況", "child_family"),
])
def test_lookup_category(name: str, category: str) -> None:
    match = VOCAB.lookup(name)
    assert match.category is not None, f"{name} は分類されるべき"
    assert match.category.code == category, f"{name}: {match.category.code} != {category}"


@pytest.mark.parametrize("name", ["障害者福祉課", "被害者支援窓口", "医療機関コード", "申請日", "備考", "相談内容"])
def test_department_names_and_plain_items_are_not_classified(name: str) -> None:
    """A section name that contains 障害 is not a person's disability."""
    assert VOCAB.lookup(name).category is None


@pytest.mark.parametrize(("name", "flags"), [
    ("障がい", {"sensitive", "health"}),
    ("本籍", {"quasi_sensitive"}),
    ("在留資格", {"quasi_sensitive"}),
    ("生活保護", {"quasi_sensitive"}),
    ("所得", {"quasi_sensitive", "financial"}),
    ("静脈", {"quasi_sensitive", "biometric"}),
    ("個人番号", {"my_number"}),
    ("虐待", {"sensitive", "child"}),
])
def test_flags_of_categories(name: str, flags: set[str]) -> None:
    assert set(VOCAB.lookup(name).category.flags) == flags


def test_quasi_sensitive_is_not_sensitive() -> None:
    """本籍 is a discrimination risk but not 要配慮 in law: SEN-002, not SEN-001, must cover it."""
    match = VOCAB.lookup("本籍")
    assert match.flag("quasi_sensitive") and not match.flag("sensitive")


def test_normalise_width_and_kana() -> None:
    assert normalise("ＰＣＲ　検査") == normalise("pcr検査")
    assert normalise("ショウガイ") == normalise("しょうがい") == normalise("ｼｮｳｶﾞｲ")


def test_term_in_two_categories_is_rejected(tmp_path: Path) -> None:
    text = (bundled_rules_dir() / "vocabulary.yaml").read_text(encoding="utf-8")
    text = text.replace("  contact: [電話番号,", "  contact: [既往歴, 電話番号,", 1)
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match="既往歴"):
        load_vocabulary(path)


@pytest.mark.parametrize(("name", "category"), [
    # several mentions in one name: the most protective category decides, not the longest word
    ("相談の種別（虐待・貧困・いじめなど）", "abuse"),
    ("氏名・病歴", "medical"),
    ("所得と個人番号", "my_number"),
    # a term inside a longer term is not a second mention
    ("マイナンバーカードの電子証明書", "identity_document"),
    ("医療費助成の受給者番号", "identifier"),
])
def test_several_mentions(name: str, category: str) -> None:
    assert VOCAB.lookup(name).category.code == category


@pytest.mark.parametrize("name", ["防犯カメラ映像", "通話録音", "録画映像（庁舎入口）", "ﾄﾞﾗｲﾌﾞﾚｺｰﾀﾞｰ"])
def test_recordings_of_residents_are_recognised(name):
    from checker.core.catalogue import load_catalogue
    match = load_catalogue().vocabulary.lookup(name)
    assert match.flag("recording"), name


def test_an_id_photo_is_not_a_recording():
    from checker.core.catalogue import load_catalogue
    assert not load_catalogue().vocabulary.lookup("本人確認書類の画像").flag("recording")
