"""Steps for tests/features/robustness.feature: odd files never crash the check."""
from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, scenarios, then, when
from typer.testing import CliRunner

from checker.cli import app

from ..conftest import ROOT

scenarios("robustness.feature")
EXAMPLE = ROOT / "proposals" / "examples" / "health-check-reminder-lgwan-asp.yaml"
TITLE = "特定健康診査の受診勧奨業務委託におけるデータ受け渡し方法の変更"


@given(parsers.parse("例の案件ファイルを {encoding} で保存したファイルがある"), target_fixture="files")
def saved_as(encoding: str, tmp_path: Path) -> list[Path]:
    codec = {"Shift_JIS": "cp932", "UTF-16": "utf-16"}[encoding]
    path = tmp_path / "案件.yaml"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode(codec))
    return [path]


@given("正しい案件ファイル 2 件と、構文の壊れたファイル 1 件がある", target_fixture="files")
def good_and_broken(tmp_path: Path) -> list[Path]:
    text = EXAMPLE.read_text(encoding="utf-8")
    first, second, broken = tmp_path / "a.yaml", tmp_path / "c.yaml", tmp_path / "b-broken.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace(TITLE, "二つ目の案件"), encoding="utf-8")
    broken.write_text("id: x\ntitle: [閉じ忘れ\nprocedure: consultation\n", encoding="utf-8")
    return [first, broken, second]


@when("職員がそのファイルを shingikai check で点検する", target_fixture="run")
@when("職員が 3 件をまとめて shingikai check で点検する", target_fixture="run")
def run_check(files: list[Path]):
    return CliRunner().invoke(app, ["check", *map(str, files)])


@when("職員が報告の出力先にそのファイル自身を指定して点検する", target_fixture="run")
def run_onto_itself(files: list[Path]):
    return CliRunner().invoke(app, ["check", str(files[0]), "--output", str(files[0])])


@then(parsers.parse("終了コードは {code:d} である"))
def exit_code(run, code: int):
    assert run.exit_code == code, run.output


@then("報告の件名が文字化けせずに出る")
def title_intact(run):
    assert TITLE in run.stdout


@then("「UTF-8 で保存し直す」ことを勧めるお知らせが出る")
def notice(run):
    assert "案件.yaml: お知らせ:" in run.stderr and "UTF-8 で保存し直す" in run.stderr


@then("エラーはファイル名と「UTF-16」を挙げ、UTF-8 で保存し直すよう示す")
def utf16_error(run):
    assert "案件.yaml:1:1: エラー:" in run.stderr and "UTF-16" in run.stderr and "UTF-8" in run.stderr
    assert "Traceback" not in run.output


@then("正しい 2 件の報告がどちらも出る")
def both_reports(run):
    assert TITLE in run.stdout and "二つ目の案件" in run.stdout


@then("壊れたファイルについて、ファイル名と行番号を示すエラーが出る")
def broken_named(run):
    assert "b-broken.yaml:" in run.stderr and "構文エラー" in run.stderr
    assert "a.yaml" not in run.stderr and "c.yaml" not in run.stderr


@then("案件ファイルの中身は点検の前と同じである")
def unchanged(files: list[Path]):
    assert files[0].read_bytes() == EXAMPLE.read_text(encoding="utf-8").encode("cp932")
