"""Bad input never crashes: exit 2, a Japanese message naming the file and line, no traceback."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from checker.cli import app

runner = CliRunner()

VALID = """\
id: x
title: 件名
procedure: consultation
kinds: [outsourcing]
"""

CASES = {
    # name: (file content, expected line or None, words the message must contain)
    "syntax-error": ("id: x\ntitle: [unclosed\nprocedure: consultation\n", 3, ["構文エラー", "2 行目"]),
    "bad-indentation": ("id: x\n  title: t\n", 2, ["構文エラー"]),
    "unknown-key": (VALID + "vendorz: []\n", 5, ["不明なキー「vendorz」", "vendors"]),
    "unknown-nested-key": (VALID + "retention:\n  perod: 1年\n", 6, ["不明なキー「perod」", "period"]),
    "bad-enum": (VALID.replace("consultation", "consultaton"), 3, ["consultaton", "consultation"]),
    "bad-enum-in-list": (VALID + "vendors:\n  - name: A\n    certifications: [isms, pmak]\n", 7,
                         ["pmak", "pmark"]),
    "wrong-type": (VALID + "transfers:\n  - {from: 市, to: A, medium: usb, encrypted: maybe}\n", 6,
                   ["true か false"]),
    "list-where-mapping": (VALID + "retention:\n  - period: 1年\n", 6, ["キー: 値"]),
    "mapping-where-list": (VALID + "data_items: 氏名\n", 5, ["リスト"]),
    "missing-required": ("id: x\nprocedure: consultation\nkinds: [outsourcing]\n", 1, ["title"]),
    "duplicate-key": (VALID + "title: 二つ目\n", 5, ["重複", "2 行目"]),
    "top-level-list": ("- id: x\n- title: t\n", 1, ["マッピング"]),
    "empty-file": ("", 1, ["空"]),
    "comments-only": ("# nothing here\n", 1, ["空"]),
    "python-tag": (VALID + "notes: !!python/object/apply:os.system ['echo hi']\n", 5, ["タグ"]),
    "custom-tag": (VALID + "notes: !secret abc\n", 5, ["タグ"]),
    "multiple-documents": (VALID + "---\n" + VALID, 5, ["構文エラー"]),
    "alias-bomb": ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e]\n", None, ["エイリアス"]),
    "deep-nesting": ("a: " + "[" * 60 + "]" * 60 + "\n", 1, ["入れ子が深すぎ"]),
    "negative-count": (VALID + "subjects:\n  - {name: 住民, count: -5}\n", 6, ["0 以上"]),
    "unknown-safeguard": (VALID + "safeguards: [media-encryptio]\n", 5, ["media-encryption"]),
    "unknown-accepted-rule": (VALID + "accepted_risks:\n  - {rule: TRN-999, reason: 理由}\n", 6,
                              ["TRN-999"]),
    "accepted-without-reason": (VALID + "accepted_risks:\n  - {rule: TRN-001}\n", 6, ["reason"]),
    "bad-date": (VALID + "meeting_date: 2020-13-45\n", 5, ["日付"]),
}


def _run(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_exits_2_with_position(name, write_yaml):
    text, line, words = CASES[name]
    path = write_yaml(text, f"{name}.yaml")
    result = _run("check", str(path))
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{name}.yaml" in output
    if line is not None:
        assert f"{name}.yaml:{line}:" in output, output
    for word in words:
        assert word in output, output


def test_missing_file(tmp_path):
    result = _run("check", str(tmp_path / "nothing.yaml"))
    assert result.exit_code == 2
    assert "ファイルが見つかりません" in result.output and "nothing.yaml" in result.output


def test_binary_file(write_yaml):
    result = _run("check", str(write_yaml(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.yaml")))
    assert result.exit_code == 2 and "バイナリ" in result.output


def test_undecodable_bytes(write_yaml):
    result = _run("check", str(write_yaml(b"id: x\ntitle: \xff\xfe\xfd\xfc\n", "latin.yaml")))
    assert result.exit_code == 2 and "文字コード" in result.output


def test_shift_jis_is_accepted_with_a_notice(write_yaml):
    path = write_yaml((VALID.replace("件名", "受診勧奨の委託")).encode("cp932"), "sjis.yaml")
    result = _run("check", str(path))
    assert result.exit_code == 0, result.output
    assert "Shift_JIS" in result.output and "受診勧奨の委託" in result.output


def test_oversized_file(write_yaml):
    path = write_yaml(VALID + "notes: " + "あ" * 400_000 + "\n", "big.yaml")
    result = _run("check", str(path))
    assert result.exit_code == 2 and "大きすぎ" in result.output


def test_directory_instead_of_file(tmp_path):
    result = _run("check", str(tmp_path))
    assert result.exit_code == 2 and "フォルダ" in result.output


def test_one_bad_file_does_not_hide_the_good_one(write_yaml):
    good = write_yaml(VALID.replace("件名", "良い案件"), "good.yaml")
    bad = write_yaml("id: [", "bad.yaml")
    result = _run("check", str(bad), str(good))
    assert result.exit_code == 2
    assert "bad.yaml:" in result.output and "良い案件" in result.output
