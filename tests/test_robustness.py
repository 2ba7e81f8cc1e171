"""Files arrive in every state: encodings, hostile sizes and shapes, many at once, safe outputs."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.core import loading
from checker.core.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "proposals" / "examples" / "health-check-reminder-lgwan-asp.yaml"
TITLE = "特定健康診査の受診勧奨業務委託におけるデータ受け渡し方法の変更"
runner = CliRunner()


def check(*args: str):
    return runner.invoke(app, ["check", *args])


# --- encodings -------------------------------------------------------------------------------

ACCEPTED = {
    # name: (encoder, notice expected)
    "utf-8": (lambda t: t.encode("utf-8"), False),
    "utf-8-bom": (lambda t: t.encode("utf-8-sig"), False),
    "cp932": (lambda t: t.encode("cp932"), True),
    "shift_jis": (lambda t: t.encode("shift_jis"), True),
    "crlf-cp932": (lambda t: t.replace("\n", "\r\n").encode("cp932"), True),
    "crlf-utf-8-bom": (lambda t: t.replace("\n", "\r\n").encode("utf-8-sig"), False),
    # NEC/IBM extensions that only CP932 has (circled digits, ㈱, 髙): common in office files.
    "cp932-extensions": (lambda t: t.replace("department: 健康政策課", "department: ①㈱髙橋課").encode("cp932"), True),
}
REJECTED = {
    # name: (bytes, words in the message)
    "utf-16-bom": (lambda t: t.encode("utf-16"), ["UTF-16", "UTF-8"]),
    "utf-16-be-bom": (lambda t: t.encode("utf-16-be").join([b"\xfe\xff", b""]), ["UTF-16"]),
    "utf-16-le-no-bom": (lambda t: t.encode("utf-16-le"), ["UTF-16"]),
    # Latin-1 that CP932 happens to decode (into kanji and private-use characters): not Japanese.
    "latin-1-decodable": (lambda t: "id: présentation\ntitle: données Información\n".encode("latin-1"),
                          ["文字コード", "UTF-8"]),
    "latin-1": (lambda t: "id: café\ntitle: crème brûlée\n".encode("latin-1"), ["文字コード"]),
    "euc-jp": (lambda t: t.encode("euc_jp"), ["文字コード"]),
    "binary": (lambda t: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["バイナリ"]),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_encoding_accepted(name, tmp_path):
    encode, notice = ACCEPTED[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(encode(EXAMPLE.read_text(encoding="utf-8")))
    result = check(str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["proposal"]["title"] == TITLE
    assert report["proposal"]["department"] in ("健康政策課", "①㈱髙橋課")
    assert (report["proposal"]["department"] == "①㈱髙橋課") is (name == "cp932-extensions")
    assert [f["rule_id"] for f in report["findings"]] == _example_rule_ids()
    assert ("Shift_JIS" in result.stderr) is notice
    if notice:
        assert f"{name}.yaml" in result.stderr and "UTF-8 で保存し直す" in result.stderr


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_encoding_rejected(name, tmp_path):
    encode, words = REJECTED[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(encode(EXAMPLE.read_text(encoding="utf-8")))
    result = check(str(path))
    assert result.exit_code == 2, result.output
    assert f"{name}.yaml" in result.stderr and "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr


def _example_rule_ids() -> list[str]:
    result = check(str(EXAMPLE), "--format", "json")
    return [f["rule_id"] for f in json.loads(result.stdout)["findings"]]


def test_encoding_matrix_sees_the_findings():
    """The matrix compares against a report that has findings, so it can tell a broken decode."""
    assert _example_rule_ids()


# --- limits ----------------------------------------------------------------------------------

VALID = "id: x\ntitle: 件名\nprocedure: consultation\nkinds: [outsourcing]\n"


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",             # flow sequences
    "a: " + "{a: " * 30_000 + "1" + "}" * 30_000 + "\n",      # flow mappings
    "- " * 100_000 + "x\n",                                   # compact block sequences
    "a: " + "[" * 100_000 + "\n",                             # deep and never closed
], ids=["flow-seq", "flow-map", "block-seq", "unclosed"])
def test_very_deep_nesting_is_an_input_error_not_a_crash(text, tmp_path):
    # libyaml's recursive composer crashed the interpreter on these before the depth guard.
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    result = check(str(path))
    assert result.exit_code == 2, result.output
    assert "deep.yaml:1:" in result.stderr and f"上限 {loading.MAX_DEPTH} 段" in result.stderr


def test_nesting_depth_limit_is_exact():
    def nested(k: int) -> str:
        return "a: " + "[" * k + "]" * k + "\n"
    value: list = []
    for _ in range(loading.MAX_DEPTH - 1):
        value = [value]
    assert loading.parse_yaml(nested(loading.MAX_DEPTH), "f").data == {"a": value}
    with pytest.raises(InputError, match="入れ子が深すぎます"):
        loading.parse_yaml(nested(loading.MAX_DEPTH + 1), "f")


def test_self_referencing_alias_is_cut_by_the_depth_limit(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text(VALID + "notes: &n [*n]\n", encoding="utf-8")
    result = check(str(path))
    assert result.exit_code == 2 and "入れ子が深すぎます" in result.stderr


def test_alias_expansion_limit_names_the_cap(tmp_path):
    levels = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcde", "bcdef"))
    path = tmp_path / "laughs.yaml"
    path.write_text(levels, encoding="utf-8")
    result = check(str(path))
    assert result.exit_code == 2
    assert f"{loading.MAX_NODES:,}" in result.stderr and "エイリアス" in result.stderr


def test_file_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text(VALID + "notes: " + "x" * 2_000 + "\n", encoding="utf-8")
    monkeypatch.setattr(loading, "MAX_BYTES", 1_000)
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: pytest.fail("read a file over the limit"))
    with pytest.raises(InputError) as info:
        loading.read_text(path)
    assert "大きすぎます" in str(info.value) and "1,000 バイト" in str(info.value)


# --- outputs and inputs ----------------------------------------------------------------------

def test_output_written_atomically_and_input_untouched(tmp_path):
    source = tmp_path / "in.yaml"
    source.write_bytes(EXAMPLE.read_bytes())
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    out = tmp_path / "reports" / "report.json"
    out.parent.mkdir()  # the output folder is the user's to make (a missing one is an input error)
    result = check(str(source), "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["proposal"]["title"] == TITLE
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.json"]


def test_interrupted_write_leaves_the_old_report_and_no_temporary_file(tmp_path, monkeypatch):
    from checker.shell import outputs
    out = tmp_path / "report.md"
    out.write_text("前回の報告\n", encoding="utf-8")

    def interrupted(src, dst):
        raise KeyboardInterrupt
    monkeypatch.setattr(outputs.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_atomic(out, "新しい報告" * 10_000)
    assert out.read_text(encoding="utf-8") == "前回の報告\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_interrupted_first_write_leaves_no_file(tmp_path, monkeypatch):
    from checker.shell import outputs
    out = tmp_path / "report.json"
    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, *a, **k):
            self.handle = real_fdopen(*a, **k)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            self.handle.write(text[: len(text) // 2])
            raise OSError(28, "No space left on device")
    monkeypatch.setattr(outputs.os, "fdopen", Failing)
    with pytest.raises(OSError):
        outputs.write_atomic(out, "{}" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_failed_run_does_not_replace_an_existing_report(tmp_path):
    out = tmp_path / "report.txt"
    out.write_text("前回の報告\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    result = check(str(bad), "--output", str(out))
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "前回の報告\n"


# --- many files at once ----------------------------------------------------------------------

def test_unreadable_files_never_hide_the_others(tmp_path):
    good = [tmp_path / f"good{i}.yaml" for i in range(3)]
    for i, p in enumerate(good):
        p.write_text(EXAMPLE.read_text(encoding="utf-8").replace("example-health-reminder", f"good-{i}"),
                     encoding="utf-8")
    (tmp_path / "utf16.yaml").write_bytes(VALID.encode("utf-16"))
    (tmp_path / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    args = [good[0], tmp_path / "utf16.yaml", good[1], tmp_path / "missing.yaml", folder,
            tmp_path / "broken.yaml", good[2]]
    result = check(*map(str, args), "--format", "json")
    assert result.exit_code == 2
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else reports.get("reports", [reports])
    assert [r["proposal"]["id"] for r in reports] == ["good-0", "good-1", "good-2"]
    for name in ("utf16.yaml:1:", "missing.yaml", "folder.yaml", "broken.yaml:2:"):
        assert name in result.stderr, result.stderr


def test_permission_denied_is_an_input_error(tmp_path, monkeypatch):
    # Simulated: the test suite may run as root, which reads files whatever their mode.
    path = tmp_path / "secret.yaml"
    path.write_text(VALID, encoding="utf-8")
    real = Path.open

    def open_(self, *args, **kwargs):
        if self.name == "secret.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Path, "open", open_)
    good = tmp_path / "good.yaml"
    good.write_text(VALID, encoding="utf-8")
    result = check(str(path), str(good), "--format", "json")
    assert result.exit_code == 2
    assert "secret.yaml" in result.stderr and "読めません" in result.stderr and "権限" in result.stderr
    assert '"id": "x"' in result.stdout


def test_a_device_or_named_pipe_is_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # opening it for reading would block for ever
    for path in (fifo, Path("/dev/zero")):
        result = check(str(path))
        assert result.exit_code == 2 and "通常のファイルではありません" in result.stderr


def test_a_file_that_grows_past_the_limit_after_stat_is_still_refused(tmp_path, monkeypatch):
    path = tmp_path / "growing.yaml"
    path.write_text(VALID + "notes: " + "x" * 3_000 + "\n", encoding="utf-8")
    monkeypatch.setattr(loading, "MAX_BYTES", 2_000)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **k: os.stat_result((0o100644, 0, 0, 1, 0, 0, 10, 0, 0, 0))
                        if self.name == "growing.yaml" else real_stat(self, **k))
    with pytest.raises(InputError, match="大きすぎます"):
        loading.read_text(path)


def test_list_length_limit_names_the_list_and_the_cap(tmp_path):
    def items(n: int) -> str:
        return VALID + "data_items:\n" + "".join(f"  - 項目{i}\n" for i in range(n))
    at_limit = loading.parse_yaml(items(loading.MAX_LIST_ITEMS), "f")
    assert len(at_limit.data["data_items"]) == loading.MAX_LIST_ITEMS
    path = tmp_path / "many.yaml"
    path.write_text(items(loading.MAX_LIST_ITEMS + 1), encoding="utf-8")
    result = check(str(path))
    assert result.exit_code == 2
    assert "many.yaml:6:" in result.stderr and f"上限 {loading.MAX_LIST_ITEMS:,} 件" in result.stderr


@pytest.mark.parametrize("how", ["same-path", "dot-dot", "symlink", "hard-link"])
def test_output_onto_an_input_file_is_refused_and_the_input_kept(tmp_path, how):
    source = tmp_path / "in.yaml"
    source.write_bytes(EXAMPLE.read_bytes())
    before = source.read_bytes()
    (tmp_path / "sub").mkdir()
    target = {"same-path": source, "dot-dot": tmp_path / "sub" / ".." / "in.yaml",
              "symlink": tmp_path / "link.yaml", "hard-link": tmp_path / "hard.yaml"}[how]
    if how == "symlink":
        target.symlink_to(source)
    elif how == "hard-link":
        os.link(source, target)
    result = check(str(source), "--output", str(target))
    assert result.exit_code == 2 and "案件ファイルは上書きしません" in result.stderr
    assert source.read_bytes() == before


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_a_signal_during_a_write_removes_the_temporary_file_and_keeps_the_old_report(tmp_path, monkeypatch, name):
    import signal

    from checker.shell import outputs, signals
    number = getattr(signal, name)
    out = tmp_path / "lint.sarif"
    out.write_text("前回の報告\n", encoding="utf-8")
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    signals.install_command_handlers()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as Python sets it up for the command
    try:
        monkeypatch.setattr(outputs.os, "replace", lambda src, dst: os.kill(os.getpid(), number))
        with pytest.raises((signals.Stopped, KeyboardInterrupt)) as stopped:
            outputs.write_atomic(out, "新しい報告" * 10_000)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if name == "SIGTERM":
        assert stopped.type is signals.Stopped and stopped.value.code == 128 + signal.SIGTERM
    else:
        assert stopped.type is KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["lint.sarif"]
    assert out.read_text(encoding="utf-8") == "前回の報告\n"


def test_replacing_a_report_keeps_its_mode_and_a_hard_link_sees_the_new_one(tmp_path):
    from checker.shell import outputs
    out, twin = tmp_path / "report.md", tmp_path / "twin.md"
    out.write_text("前回\n", encoding="utf-8")
    out.chmod(0o604)
    outputs.write_atomic(out, "今回\n")
    assert (out.stat().st_mode & 0o777, out.read_text(encoding="utf-8")) == (0o604, "今回\n")
    os.link(out, twin)
    outputs.write_atomic(out, "再提出\n")
    assert twin.read_text(encoding="utf-8") == "再提出\n" and os.path.samefile(out, twin)


def test_an_output_that_is_the_commands_own_stdout_keeps_what_the_shell_wrote_before(tmp_path):
    # `{ echo header; shingikai check x -o /dev/stdout; } > log.txt`, with a link of the test's own
    # standing for /dev/stdout: the report follows the header instead of replacing log.txt.
    import subprocess
    import sys
    screen = tmp_path / "screen"
    screen.symlink_to("/proc/self/fd/1")
    log = tmp_path / "log.txt"
    with open(log, "wb") as handle:
        handle.write(b"header\n")
        handle.flush()
        done = subprocess.run([sys.executable, "-m", "checker", "check", str(EXAMPLE), "-o", str(screen)],
                              stdout=handle, stderr=subprocess.PIPE, timeout=120)
        handle.write(b"footer\n")
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("header\n■ ") and TITLE in text and text.endswith("footer\n")
    assert os.readlink(screen) == "/proc/self/fd/1" and sorted(p.name for p in tmp_path.iterdir()) == ["log.txt", "screen"]


def test_an_output_ending_in_a_slash_is_a_folder_and_no_file_of_that_name_is_made(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = check(str(EXAMPLE), "-o", "reports/")
    assert result.exit_code == 2 and "reports/: エラー: 出力先がフォルダを指しています" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- many writers at once (the CI matrix jobs that write one shared artefact) -----------------

def _writers(out: Path, reports: list[str], writes: int) -> list:
    import multiprocessing

    from checker.shell import outputs

    def write(text: str) -> None:
        for _ in range(writes):
            outputs.write_atomic(out, text)
    context = multiprocessing.get_context("fork")
    started = [context.Process(target=write, args=(text,)) for text in reports]
    for process in started:
        process.start()
    return started


def test_concurrent_writers_each_replace_the_whole_report(tmp_path):
    # Eight processes write one output 150 times each while this one keeps reading it: every read
    # sees exactly one writer's complete report (never two back to back), and so does the end.
    out = tmp_path / "same.json"
    reports = [json.dumps({"writer": i, "body": "報告" * 20_000}) for i in range(8)]
    out.write_text(reports[0], encoding="utf-8")
    started = _writers(out, reports, 150)
    reads = 0
    while any(p.is_alive() for p in started):
        text = out.read_text(encoding="utf-8")
        assert text in reports, f"read {reads}: {len(text)} characters, not one writer's report"
        reads += 1
    assert all(p.exitcode == 0 for p in started) and reads > 0
    assert out.read_text(encoding="utf-8") in reports
    assert [p.name for p in tmp_path.iterdir()] == ["same.json"]


def test_concurrent_writers_to_a_hard_linked_report_never_interleave(tmp_path):
    # A hard-linked output is rewritten in place under an exclusive flock; a reader that takes the
    # shared lock, as a cooperating tool would, always sees one complete report.
    import fcntl
    out, twin = tmp_path / "same.json", tmp_path / "twin.json"
    reports = [json.dumps({"writer": i, "body": str(i) * 200_000}) for i in range(8)]
    out.write_text(reports[0], encoding="utf-8")
    os.link(out, twin)
    started = _writers(out, reports, 40)
    reads = 0
    while any(p.is_alive() for p in started):
        with open(twin, encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH)
            text = handle.read()
        assert text in reports, f"read {reads}: {len(text)} characters, not one writer's report"
        reads += 1
    assert all(p.exitcode == 0 for p in started) and reads > 0
    assert out.read_text(encoding="utf-8") in reports and os.path.samefile(out, twin)
