"""Generate N valid, varied proposal files for benchmarks and robustness tests.

    python benchmarks/generate.py --n 500 --out /tmp/corpus [--seed 1]

Every kind appears (the primary kind cycles through all of them), each file has 5-50 data items
drawn from realistic Japanese item names (sensitive ones and My Number included), 1-5 vendors
and 1-6 transfers. File i depends only on (seed, i), so a corpus is reproducible and a larger
corpus starts with the files of a smaller one. Safeguard and accepted-risk ids are taken from
the bundled rule base so that every file passes the cross-check.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

KINDS = ["outsourcing", "external_linkage", "cloud", "new_processing", "purpose_outside_use",
         "external_provision", "collection_from_others", "record_items", "worker_dispatch"]

BASIC_ITEMS = ["氏名", "ふりがな", "住所", "生年月日", "性別", "年齢", "世帯主氏名", "続柄", "電話番号",
               "携帯電話番号", "メールアドレス", "勤務先", "宛名番号", "被保険者番号", "受給者番号",
               "接種券番号", "学籍番号", "児童番号", "利用者ID", "世帯構成", "転入日", "転出先住所",
               "申請日", "交付日", "送付先住所", "保護者氏名", "保護者連絡先", "学校名", "学年",
               "就労状況", "口座番号", "金融機関名", "所得額", "住民税額", "課税区分", "年金額",
               "在留資格", "国籍", "本籍", "顔写真"]
SENSITIVE_ITEMS = ["病歴", "既往歴", "健診結果", "特定健診の問診結果", "身長・体重", "血圧", "服薬状況",
                   "受診歴", "障害の有無", "身体障害者手帳の等級", "療育手帳の判定", "要介護度",
                   "認知症の有無", "精神保健福祉の相談記録", "虐待の状況", "相談内容", "DV 被害の有無",
                   "非行歴", "保護観察の有無", "感染症の検査結果", "ワクチン接種歴", "妊娠週数",
                   "生活保護の受給状況", "手のひら静脈の特徴量"]
MY_NUMBER_ITEMS = ["個人番号", "マイナンバー", "個人番号カード番号"]

# (department, business, subjects): kept together so that a generated file reads plausibly.
SERVICES = [
    ("健康政策課", "特定健康診査の受診勧奨", "特定健康診査の未受診者（国保被保険者）"),
    ("国保年金課", "国民健康保険料の督促", "保険料の滞納者"),
    ("子ども支援課", "児童手当の現況確認", "児童手当の受給者"),
    ("障害者福祉課", "障害福祉サービスの給付管理", "障害福祉サービスの利用者"),
    ("高齢介護課", "介護保険の認定調査", "要介護認定の申請者"),
    ("市民課", "住民票の写しの交付", "住民票の写しの申請者"),
    ("税務課", "市民税の課税資料の作成", "市民税の納税義務者"),
    ("生活福祉課", "生活保護の訪問記録の管理", "生活保護の受給世帯"),
    ("学校教育課", "就学援助の審査", "就学援助の申請世帯"),
    ("健康づくり課", "予防接種の予診票の管理", "予防接種の対象児童"),
    ("防災危機管理課", "避難行動要支援者名簿の作成", "避難行動要支援者"),
    ("保育課", "保育所の入所選考", "保育所の入所申込者"),
]
VENDOR_NAMES = ["株式会社データ印刷", "情報システム株式会社", "地域電算センター", "クラウド基盤株式会社",
                "封入封緘サービス株式会社", "コールセンター株式会社", "人材派遣株式会社", "医療情報分析株式会社",
                "文書保管株式会社", "システム保守株式会社"]
ROLES = ["勧奨通知の作成・発送", "システム保守", "データ入力", "印刷・封入封緘", "電話での案内",
         "データ分析", "文書の保管・廃棄", "システムの賃貸借とデータ移行", "窓口業務の補助"]
RECIPIENTS = ["警察署", "県の保健所", "社会福祉協議会", "年金事務所", "学校", "消防本部", "近隣市の福祉事務所"]
CERTS = ["isms", "iso27017", "iso27018", "pmark", "ismap", "lgwan_asp", "soc2"]
SELECTIONS = ["competitive_bid", "proposal_competition", "quotation_comparison", "sole_source",
              "existing_contractor", "designated_by_law", "unknown"]
MEDIA = ["hand", "post", "security_courier", "usb", "encrypted_media", "email", "fax", "lgwan",
         "lgwan_asp", "dedicated_line", "internet_tls", "internet", "web_form", "phone"]
PLACES = ["on_premises", "vendor_datacentre", "cloud", "government_cloud", "standalone_terminal",
          "mobile_device"]
SEGMENTS = ["my_number", "lgwan", "internet", "closed", "vendor"]


def _maybe(rng: random.Random, p: float = 0.5) -> bool | None:
    """A tri-state answer: true, false, or (often) not stated."""
    r = rng.random()
    return None if r < 1 - p else rng.random() < 0.7


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _rule_ids(rules_dir: Path) -> tuple[list[str], list[str]]:
    """Safeguard ids and rule ids of the bundled rule base (file names, no rule parsing)."""
    safeguards = list((yaml.safe_load((rules_dir / "safeguards.yaml").read_text(encoding="utf-8")) or {}))
    from checker.core.catalogue import SHARED_FILES  # topics, safeguards, sources ... are not rules
    rule_ids = sorted(p.stem for p in rules_dir.rglob("*.yaml") if p.name not in SHARED_FILES)
    return safeguards, rule_ids


def _data_items(rng: random.Random, my_number: bool) -> list[Any]:
    n = rng.randint(5, 50)
    pool = BASIC_ITEMS + SENSITIVE_ITEMS * (1 if rng.random() < 0.6 else 0)
    pool = [name for name in pool if name not in ("氏名", "住所")]
    names = ["氏名", "住所"] + rng.sample(pool, min(n - 2, len(pool)))
    while len(names) < n:  # more items than names: numbered variants, as real forms have
        names.append(f"{rng.choice(pool)}（{len(names)}）")
    items: list[Any] = []
    for name in names[:n]:
        if rng.random() < 0.15:
            items.append(_drop_none({"name": name, "sensitive": True if name in SENSITIVE_ITEMS else None,
                                     "note": rng.choice(["", "任意項目", "申請書に記載"]) or None}))
        else:
            items.append(name)
    if my_number:
        items.insert(rng.randint(0, len(items)), {"name": rng.choice(MY_NUMBER_ITEMS), "my_number": True})
    return items


def _vendor(rng: random.Random, i: int, dispatch: bool) -> dict[str, Any]:
    selection = _drop_none({"method": rng.choice(SELECTIONS),
                            "reasons": rng.choice(["", "同種業務の実績があるため", "既存システムの保守事業者であるため"]) or None,
                            "quotes_compared": _maybe(rng)}) if rng.random() < 0.6 else None
    reent = _drop_none({"allowed": rng.random() < 0.4, "prior_approval": _maybe(rng),
                        "conditions": rng.choice(["", "市の書面による承認を得た場合に限る"]) or None}) if rng.random() < 0.5 else None
    return _drop_none({
        "name": f"{rng.choice(VENDOR_NAMES)}{'' if i == 0 else f'（{i + 1}）'}",
        "role": rng.choice(ROLES),
        "certifications": rng.sample(CERTS, rng.randint(0, 3)) or None,
        "selection": selection, "reentrustment": reent,
        "track_record": rng.choice(["", "県内 5 市で同種業務を受託"]) or None,
        "handlers": rng.choice([None, 2, 5, 12, 30]),
        "overseas": True if rng.random() < 0.05 else None,
        "dispatch": True if dispatch and i == 0 else None,
    })


def _transfer(rng: random.Random, department: str, vendors: list[dict[str, Any]]) -> dict[str, Any]:
    vendor = rng.choice(vendors)["name"]
    outward = rng.random() < 0.7
    medium = rng.choice(MEDIA)
    return _drop_none({
        "description": rng.choice(["対象者データの受け渡し", "処理結果の返却", "申請書の送付", "月次の更新データ"]),
        "from": department if outward else vendor, "to": vendor if outward else department,
        "medium": medium,
        "content": "paper" if medium in ("post", "hand", "fax") and rng.random() < 0.6 else None,
        "encrypted": _maybe(rng, 0.7), "password_separate": _maybe(rng, 0.3),
        "handover_record": _maybe(rng, 0.4),
    })


def proposal(seed: int, index: int, safeguard_ids: list[str], rule_ids: list[str]) -> dict[str, Any]:
    """One proposal as plain data; depends only on (seed, index)."""
    rng = random.Random(seed * 1_000_003 + index)
    kinds = [KINDS[index % len(KINDS)]] + [k for k in rng.sample(KINDS, rng.randint(0, 2)) if k != KINDS[index % len(KINDS)]]
    department, business, subject = rng.choice(SERVICES)
    uses_my_number = rng.random() < 0.25
    vendors = [_vendor(rng, i, "worker_dispatch" in kinds) for i in range(rng.randint(1, 5))]
    p: dict[str, Any] = {
        "id": f"gen-{seed}-{index:05d}",
        "title": f"{business}に係る{'・'.join(k for k in [_KIND_TITLE[k] for k in kinds])}",
        "municipality": rng.choice(["例示市", "見本町", "模擬市"]),
        "department": department,
        "meeting_date": dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1800)),
        "procedure": rng.choice(["consultation", "consultation", "report"]),
        "timing": "after_start" if rng.random() < 0.1 else None,
        "system": rng.choice(["", f"{business}システム"]) or None,
        "legal_basis": _drop_none({"ordinance_articles": [rng.choice(["第8条第2項第4号", "第16条", "第10条第1項"])],
                                   "laws": [rng.choice(["地方税法", "児童福祉法", "介護保険法", "国民健康保険法"])] if rng.random() < 0.6 else None}),
        "kinds": kinds,
        "business": business, "purpose": rng.choice(["", "事務を効率化し、住民の負担を減らすため", "受診率を上げるため"]) or None,
        "effect": rng.choice(["", "処理時間が短くなる", "誤送付を防げる"]) or None,
        "subjects": [_drop_none({"name": subject, "count": rng.choice([None, 300, 8000, 52000]),
                                 "children": True if "児童" in subject or rng.random() < 0.1 else None})],
        "data_items": _data_items(rng, uses_my_number),
        "sensitive_data": {"included": True, "justification": "支援に必要な範囲に限る"} if rng.random() < 0.3 else None,
        "my_number": _drop_none({"used": True, "legal_basis": "番号法第9条第1項別表" if rng.random() < 0.7 else None,
                                 "persons": rng.choice([None, 900, 40000]), "handlers": rng.choice([None, 8, 60]),
                                 "pia_done": _maybe(rng)}) if uses_my_number else None,
        "vendors": vendors,
        "transfers": [_transfer(rng, department, vendors) for _ in range(rng.randint(1, 6))],
        "systems": [_drop_none({"name": f"{business}システム", "place": rng.choice(PLACES),
                                "terms": rng.choice(["standard", "negotiated", None]),
                                "segment": rng.choice(SEGMENTS + [None]),
                                "connected_externally": True if rng.random() < 0.3 else None})],
    }
    if "cloud" in kinds:
        p["cloud"] = _drop_none({"service": "業務用クラウドサービス", "terms": rng.choice(["standard", "negotiated"]),
                                 "certifications": rng.sample(CERTS, rng.randint(0, 2)) or None,
                                 "data_location": rng.choice(["domestic", "overseas", "unknown"]),
                                 "encryption_at_rest": _maybe(rng), "exit_plan": _maybe(rng)})
    if set(kinds) & {"purpose_outside_use", "external_provision", "external_linkage", "collection_from_others"}:
        p["provisions"] = [_drop_none({"recipient": rng.choice(RECIPIENTS), "purpose": "法令に基づく照会への回答",
                                       "online": True if rng.random() < 0.3 else None}) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.5:
        p["access_control"] = {"methods": rng.sample(["id_password", "ip_restriction", "mfa", "role_based",
                                                      "dedicated_terminal"], rng.randint(1, 3))}
    if rng.random() < 0.4:
        p["retention"] = _drop_none({"period": "契約終了まで", "deletion_method": rng.choice(
            ["overwrite", "physical_destruction", "dissolution", "shredding", "vendor_standard", "unknown"]),
            "proof": rng.choice(["none", "certificate", "witnessed"]), "city_can_delete": _maybe(rng)})
    if rng.random() < 0.4:
        p["contract"] = _drop_none({k: _maybe(rng, 0.8) for k in ("special_clauses", "confidentiality", "audit_rights")})
    if rng.random() < 0.15:
        p["identity_verification"] = {"methods": rng.sample(["sns_account", "jpki", "id_password", "photo_upload"], rng.randint(1, 2))}
    if rng.random() < 0.1:
        p["pilot"] = {"period": "半年間", "scope": "一部の地区"}
    if safeguard_ids and rng.random() < 0.6:
        p["safeguards"] = rng.sample(safeguard_ids, rng.randint(1, min(4, len(safeguard_ids))))
    if rule_ids and rng.random() < 0.1:
        p["accepted_risks"] = [{"rule": rng.choice(rule_ids), "reason": "代替手段がなく、期間を限って受容する",
                                "until": dt.date(2030, 3, 31)}]
    return _drop_none(p)


_KIND_TITLE = {"outsourcing": "業務委託", "external_linkage": "外部結合", "cloud": "クラウドサービス利用",
               "new_processing": "電子計算機処理", "purpose_outside_use": "目的外利用", "external_provision": "外部提供",
               "collection_from_others": "本人外収集", "record_items": "記録項目の変更", "worker_dispatch": "労働者派遣"}


def render(data: dict[str, Any]) -> str:
    """YAML as a department would write it: a header comment, block style, Japanese unescaped."""
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
    return f"# 生成された案件（ベンチマーク用）: {data['id']}\n{body}"


def generate(n: int, out: Path, seed: int = 1, rules_dir: Path | None = None) -> list[Path]:
    """Write n files into out; returns their paths in order."""
    if rules_dir is None:
        from checker.core.catalogue import bundled_rules_dir
        rules_dir = bundled_rules_dir()
    safeguard_ids, rule_ids = _rule_ids(rules_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = out / f"proposal-{i:05d}.yaml"
        path.write_text(render(proposal(seed, i, safeguard_ids, rule_ids)), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ベンチマーク用の案件ファイルを生成します。")
    parser.add_argument("--n", type=int, required=True, help="生成する件数")
    parser.add_argument("--out", type=Path, required=True, help="出力先フォルダ")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.out, args.seed)
    print(f"{len(paths)} 件を {args.out} に生成しました。", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
