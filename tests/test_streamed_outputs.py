"""Lint outputs written piece by piece (checker/reporters/lint/pieces.py): every file's part waits on
disk (checker/commands/lint/spool.py) and each structured format writes the document one file at a time. What a user gets is the same
document as one whole rendering would give, and a failure half way never costs the old report."""
from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.commands.lint import spool as spool_module
from checker.commands.lint.spool import PartSpool
from checker.shell import outputs

from .lint_samples import make_folder

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch, engine) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_folder(tmp_path, engine)


def lint(*args: str) -> str:
    run = runner.invoke(app, ["lint", *args])
    assert run.exit_code in (0, 1, 2), run.output
    return run.stdout


@pytest.mark.parametrize("name", ["json", "json_refs", "sarif"])
@pytest.mark.parametrize("selection", ["props", "props/clean.yaml", "props/broken.yaml", "empty"])
def test_json_documents_read_as_one_pretty_document(folder, name, selection):
    """Spliced from pieces, the text is what json.dumps(indent=2) gives for the parsed whole: one
    file, an invalid one, several, none."""
    Path("empty").mkdir()
    text = lint(selection, "-f", name, "-j", "1")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("selection", ["props", "props/broken.yaml", "empty"])
@pytest.mark.parametrize("fail_on", ["high", "low"])
def test_junit_reads_as_one_indented_tree(folder, selection, fail_on):
    Path("empty").mkdir()
    text = lint(selection, "-f", "junit", "--fail-on", fail_on, "-j", "1")
    header = '<?xml version="1.0" encoding="UTF-8"?>\n'
    assert text.startswith(header)
    root = ET.fromstring(text[len(header):])
    for element in root.iter():  # drop the layout and lay the whole tree out again
        if element.text is not None and not element.text.strip():
            element.text = None
        element.tail = None
    ET.indent(root)
    assert text == header + ET.tostring(root, encoding="unicode") + "\n"
    assert int(root.get("failures")) == sum(1 for _ in root.iter("failure"))


def test_parallel_and_serial_give_the_same_bytes(folder):
    for name in ("json", "json_refs", "sarif", "junit"):
        assert lint("props", "-f", name, "-j", "1") == lint("props", "-f", name, "-j", "2")


def pieces_then_failure():
    yield "{\n"
    yield '  "files": [' + "x" * 100_000
    raise RuntimeError("assembling failed")


def test_a_failure_half_way_keeps_the_old_report_and_leaves_no_temporary(tmp_path):
    out = tmp_path / "lint.json"
    out.write_text("前回の報告\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        outputs.write_atomic(out, pieces_then_failure())
    assert out.read_text(encoding="utf-8") == "前回の報告\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lint.json"]


def test_a_hard_linked_report_is_not_emptied_by_a_failure_half_way(tmp_path):
    out = tmp_path / "lint.json"
    out.write_text("前回の報告\n", encoding="utf-8")
    os.link(out, tmp_path / "copy.json")
    with pytest.raises(RuntimeError):
        outputs.write_atomic(out, pieces_then_failure())
    assert (tmp_path / "copy.json").read_text(encoding="utf-8") == "前回の報告\n"
    outputs.write_atomic(out, iter(["今回の", "報告\n"]))
    assert (tmp_path / "copy.json").read_text(encoding="utf-8") == "今回の報告\n"


def test_pieces_reach_a_named_pipe_in_order(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        outputs.write_atomic(fifo, iter(["一", "二", "三\n"]))
        assert os.read(reader, 100).decode("utf-8") == "一二三\n"
    finally:
        os.close(reader)
    assert fifo.is_fifo()


def test_parts_wait_on_disk_and_read_back_in_order():
    spool = PartSpool()
    parts = ["一", ("二", {"表": [1, 2]}), b"\x00\x01", ET.Element("testsuite", name="三")]
    for p in parts:
        spool.append(p)
    assert spool._file is not None and spool._memory is None  # on disk, not in memory
    assert len(spool) == 4 and spool[0] == "一" and spool[1] == ("二", {"表": [1, 2]}) and spool[2] == b"\x00\x01"
    assert list(spool)[:3] == parts[:3] and list(spool)[:3] == parts[:3]  # read as often as a format needs
    assert spool[-1].get("name") == "三" and spool[1:3] == parts[1:3]
    spool.close()


def test_without_a_temporary_file_the_parts_stay_in_memory(monkeypatch):
    def no_temporary_file(*args, **kwargs):
        raise FileNotFoundError("No usable temporary directory found")

    monkeypatch.setattr(spool_module.tempfile, "TemporaryFile", no_temporary_file)
    spool = PartSpool()
    spool.append("一")
    assert list(spool) == ["一"]


def test_a_full_disk_half_way_keeps_every_part(monkeypatch):
    spool = PartSpool()
    spool.append("一")
    spool.append("二")

    def disk_full(data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spool, "_write", disk_full)
    spool.append("三")
    spool.append("四")
    assert list(spool) == ["一", "二", "三", "四"] and spool[2] == "三" and len(spool) == 4


def test_lint_goes_on_without_a_temporary_folder(folder, monkeypatch):
    expected = lint("props", "-f", "json", "-j", "1")
    monkeypatch.setattr(spool_module.tempfile, "TemporaryFile",
                        lambda *a, **k: (_ for _ in ()).throw(FileNotFoundError("no temporary folder")))
    assert lint("props", "-f", "json", "-j", "1") == expected
