"""Steps for tests/features/safety.feature: the command as a process, in a folder of its own.

Every file, link, pipe and folder a scenario points at is made here in the test's temporary
folder; nothing of the machine's (/dev/null, /dev/stdout) is ever given as an output. Scenarios
about permissions run the command as a plain user: as root, without the capabilities that let
root ignore permission bits (see `plain_user`), so a read-only folder is read-only.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from ..conftest import ROOT, unavailable
from ..lint_samples import HIGH

scenarios("safety.feature")
EXAMPLE = ROOT / "proposals" / "examples" / "health-check-reminder-lgwan-asp.yaml"
OTHER = ROOT / "proposals" / "examples" / "child-consultation-migration.yaml"
TITLE = "特定健康診査の受診勧奨業務委託におけるデータ受け渡し方法の変更"
OLD_REPORT = "前回の報告\n"
VALID = "id: x\ntitle: 件名\nprocedure: consultation\nkinds: [outsourcing]\n"
_CAPS_IGNORING_PERMISSIONS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
_PR_CAPBSET_DROP = 24


def _drop_root_powers() -> None:
    """In the child, before exec: root keeps uid 0 but loses the power to ignore permission bits."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS_IGNORING_PERMISSIONS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            os._exit(97)


def _plain_user_works(tmp_path: Path) -> None:
    """The drop above is allowed here (it needs CAP_SETPCAP), and it does make a 000 file unreadable."""
    probe = tmp_path / "probe"
    probe.write_text("x", encoding="utf-8")
    probe.chmod(0)
    done = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}).read()"], capture_output=True,
                          preexec_fn=_drop_root_powers if os.geteuid() == 0 else None)
    probe.chmod(0o600)
    if done.returncode == 0 or done.returncode == 97:
        unavailable("権限のない利用者として動かせません（root の権限を落とせない環境です）")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "example.yaml").write_bytes(EXAMPLE.read_bytes())
    (folder / "other.yaml").write_bytes(OTHER.read_bytes())
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The machine's environment with a cache of this test's own, and no CI colouring of its own."""
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}


def shingikai(args: list[str], cwd: Path, env: dict[str, str], plain_user: bool = False,
              umask: int | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
    def before_exec() -> None:
        if umask is not None:
            os.umask(umask)
        if plain_user and os.geteuid() == 0:
            _drop_root_powers()
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, preexec_fn=before_exec, **kwargs)


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- given
@given("作業フォルダに「前回の報告」を書いたファイルと、それを指すシンボリックリンク「link.md」がある",
       target_fixture="before")
def symlinked_output(work: Path) -> list[str]:
    (work / "target.md").write_text(OLD_REPORT, encoding="utf-8")
    (work / "link.md").symlink_to("target.md")
    return _listing(work)


@given("作業フォルダに名前付きパイプ「report.pipe」があり、読み手が待っている", target_fixture="before")
def fifo_output(work: Path, request) -> list[str]:
    fifo = work / "report.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:  # blocks until the command opens it for writing
            received.append(handle.read())
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    request.node.received, request.node.reader = received, reader
    return _listing(work)


@given("作業フォルダに自分の標準出力（/proc/self/fd/1）を指すリンク「screen」がある")
def screen_link(work: Path) -> None:
    if not Path("/proc/self/fd/1").exists():
        unavailable("/proc/self/fd がない環境です")
    (work / "screen").symlink_to("/proc/self/fd/1")


@given("書き込めないフォルダ「locked」に「前回の報告」を書いた「report.md」がある")
def locked_folder(work: Path, tmp_path: Path, request) -> None:
    _plain_user_works(tmp_path)
    locked = work / "locked"
    locked.mkdir()
    (locked / "report.md").write_text(OLD_REPORT, encoding="utf-8")
    locked.chmod(0o555)
    request.addfinalizer(lambda: locked.chmod(0o755))


@given("フォルダ「props」に、正しい案件と、循環するリンク・壊れたリンク・読めないファイル・読めないフォルダ・名前付きパイプがある")
def hostile_folder(work: Path, tmp_path: Path, request) -> None:
    _plain_user_works(tmp_path)
    props = work / "props"
    (props / "locked").mkdir(parents=True)
    (props / "good.yaml").write_text(HIGH, encoding="utf-8")
    (props / "loop.yaml").symlink_to("loop.yaml")
    (props / "broken.yaml").symlink_to("gone.yaml")
    (props / "secret.yaml").write_text(VALID, encoding="utf-8")
    (props / "secret.yaml").chmod(0)
    (props / "locked" / "inner.yaml").write_text(VALID, encoding="utf-8")
    (props / "locked").chmod(0)
    os.mkfifo(props / "pipe.yaml")
    request.addfinalizer(lambda: (props / "locked").chmod(0o755))


@given("読み取り権限のない案件ファイル「secret.yaml」がある")
def secret_file(work: Path, tmp_path: Path) -> None:
    _plain_user_works(tmp_path)
    (work / "secret.yaml").write_text(VALID, encoding="utf-8")
    (work / "secret.yaml").chmod(0)


@given("入れないホームフォルダ「home」がある")
def closed_home(work: Path, tmp_path: Path, request) -> None:
    _plain_user_works(tmp_path)
    (work / "home").mkdir()
    (work / "home").chmod(0)
    request.addfinalizer(lambda: (work / "home").chmod(0o755))


@given(parsers.parse("前回の SARIF「out/lint.sarif」と、案件 {count:d} 件のフォルダ「many」がある"))
def many_files(work: Path, count: int) -> None:
    (work / "out").mkdir()
    (work / "out" / "lint.sarif").write_text(OLD_REPORT, encoding="utf-8")
    (work / "many").mkdir()
    text = EXAMPLE.read_bytes()
    for i in range(count):
        (work / "many" / f"p{i:04d}.yaml").write_bytes(text)


def _rule_folder(work: Path, text: str) -> None:
    folder = work / "extra" / "transfer_method"
    folder.mkdir(parents=True)
    (folder / "TRN-901.yaml").write_text(text, encoding="utf-8")


@given("自治体独自のルールフォルダに、字下げの壊れたルールファイル「TRN-901.yaml」がある")
def broken_rule(work: Path) -> None:
    _rule_folder(work, "id: TRN-901\ntitle: 独自ルール\n  severity: high\n")


@given("自治体独自のルールフォルダに、examples のないルールファイル「TRN-901.yaml」がある")
def rule_without_examples(work: Path) -> None:
    text = (ROOT / "rules" / "transfer_method" / "TRN-001.yaml").read_text(encoding="utf-8")
    text = text.replace("id: TRN-001", "id: TRN-901")
    _rule_folder(work, text[: text.index("\nexamples:") + 1])


@given("2 行目が「title:　件名」（コロンの後が全角スペース）の案件ファイル「wide.yaml」がある")
def wide_space(work: Path) -> None:
    (work / "wide.yaml").write_text(VALID.replace("title: 件名", "title:\u3000件名"), encoding="utf-8")


@given(parsers.parse("対象者数が「{count}」{note}の案件ファイル「digits.yaml」がある"))
def wide_digits(work: Path, count: str, note: str) -> None:
    (work / "digits.yaml").write_text(VALID + f"subjects:\n  - name: 住民\n    count: {count}\n", encoding="utf-8")


@given(parsers.parse("ID が「{value}」（引用符なし）の案件ファイル「dated.yaml」がある"))
def unquoted_id(work: Path, value: str) -> None:
    (work / "dated.yaml").write_text(VALID.replace("id: x", f"id: {value}"), encoding="utf-8")


@given("件名と委託先名に ESC シーケンスを含む案件ファイル「esc.yaml」がある")
def escape_sequence(work: Path) -> None:
    text = HIGH.replace("title: 健診結果の通知の委託", 'title: "\\e[2J画面消去"')
    (work / "esc.yaml").write_text(text.replace("委託先A", '"\\e[2J委託先A"'), encoding="utf-8")


@given(parsers.parse("フォルダ「ci」に高リスクの指摘がある案件{many}"))
def ci_folder(work: Path, many: str) -> None:
    count = 12 if "12" in many else 1
    (work / "ci").mkdir()
    for i in range(count):
        (work / "ci" / f"high{i:02d}.yaml").write_text(HIGH.replace("id: high", f"id: high{i}"), encoding="utf-8")


def _keep(request, work: Path, *names: str) -> None:
    """Remember what the given input files hold, to show after the run that nothing changed."""
    kept = getattr(request.node, "kept", {})
    kept.update({name: (work / name).read_bytes() for name in names})
    request.node.kept = kept


@given(parsers.parse("フォルダ「props」に案件ファイル「{first}」と「{second}」がある"))
def proposal_folder(work: Path, request, first: str, second: str) -> None:
    (work / "props").mkdir()
    (work / "props" / first).write_bytes(EXAMPLE.read_bytes())
    (work / "props" / second).write_bytes(OTHER.read_bytes())
    _keep(request, work, f"props/{first}", f"props/{second}")


@given("自治体独自のルールフォルダに、ルールファイル「TRN-901.yaml」と安全管理措置のファイル「safeguards.yaml」がある")
def own_rules(work: Path, request) -> None:
    text = (ROOT / "rules" / "transfer_method" / "TRN-001.yaml").read_text(encoding="utf-8")
    _rule_folder(work, text.replace("id: TRN-001", "id: TRN-901"))
    (work / "extra" / "safeguards.yaml").write_text("safeguards: {}\n", encoding="utf-8")
    _keep(request, work, "extra/transfer_method/TRN-901.yaml", "extra/safeguards.yaml")


@given(parsers.parse("「{command}」でベースライン「base.json」を記録してある"))
def recorded_baseline(work: Path, env, request, command: str) -> None:
    done = shingikai(shlex.split(command), work, env)
    assert done.returncode in (0, 1) and (work / "base.json").exists(), done.stderr
    _keep(request, work, "base.json")


@given("「same.json」と、そのハードリンク「twin.json」がある")
def hard_linked(work: Path) -> None:
    (work / "same.json").write_text(OLD_REPORT, encoding="utf-8")
    os.link(work / "same.json", work / "twin.json")


@given(parsers.parse("前回の報告「out/report.json」と、案件 {count:d} 件のフォルダ「many」がある"))
def many_and_old_report(work: Path, count: int) -> None:
    many_files(work, count)
    (work / "out" / "lint.sarif").rename(work / "out" / "report.json")


def _temporary(output: str, pid: int, tag: str) -> str:
    """A temporary file's name as README says: .<name>.shingikai-<host>-<pid>-<random>.tmp"""
    host = re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname())[:40] or "host"
    return f".{output}.shingikai-{host}-{pid}-{tag}.tmp"


@given("「out」に、終わったプロセスが残した一時ファイルと、動いているプロセスの一時ファイルと、利用者の隠しファイルがある",
       target_fixture="leftovers")
def leftovers(work: Path) -> dict[str, str]:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(ended.stdout)  # a process that has ended (and been reaped): its pid names no process now
    (work / "out").mkdir()
    names = {"dead": _temporary("report.json", dead, "0a1b2c3d"), "alive": _temporary("report.json", os.getpid(), "4e5f6a7b"),
             "other": _temporary("notes.md", dead, "8c9d0e1f"), "user": ".report.json.bak"}
    for name in names.values():
        (work / "out" / name).write_text("途中まで書いた報告" * 1000, encoding="utf-8")
    return names


@given(parsers.parse("3 行目が「procedure： consultation」（全角コロン）の案件ファイル「colon.yaml」がある"))
def wide_colon(work: Path) -> None:
    (work / "colon.yaml").write_text(VALID.replace("procedure: ", "procedure\uff1a "), encoding="utf-8")


@given("7 行目の字下げの途中にタブがある案件ファイル「tab.yaml」がある")
def tab_in_indent(work: Path) -> None:
    (work / "tab.yaml").write_text(VALID + "subjects:\n  - name: 住民\n  \tcount: 3\n", encoding="utf-8")


@given("6 行目の「-」の後にタブがある案件ファイル「tab.yaml」がある")
def tab_after_dash(work: Path) -> None:
    (work / "tab.yaml").write_text(VALID + "subjects:\n  -\tname: 住民\n", encoding="utf-8")


# --- when
@when(parsers.parse("職員が例の案件を「{options}」を付けて点検する"), target_fixture="run")
def check_example(work: Path, env, options: str):
    return shingikai(["check", "example.yaml", *shlex.split(options)], work, env)


@when(parsers.parse("職員が umask 027 で例の案件を「{options}」を付けて点検する"), target_fixture="run")
def check_with_umask(work: Path, env, options: str):
    return shingikai(["check", "example.yaml", *shlex.split(options)], work, env, umask=0o027)


@when(parsers.parse("権限のない利用者として例の案件を「{options}」を付けて点検する"), target_fixture="run")
def check_as_plain_user(work: Path, env, options: str):
    return shingikai(["check", "example.yaml", *shlex.split(options)], work, env, plain_user=True)


@when(parsers.parse("権限のない利用者として「{command}」を実行する"), target_fixture="run")
def run_as_plain_user(work: Path, env, command: str):
    return shingikai(shlex.split(command), work, env, plain_user=True)


@when(parsers.parse("権限のない利用者としてホームを「home」にして「{command}」を実行する"), target_fixture="run")
def run_with_closed_home(work: Path, env, command: str):
    env = {k: v for k, v in env.items() if k not in ("XDG_CACHE_HOME", "SHINGIKAI_NO_CACHE")}
    return shingikai(shlex.split(command), work, {**env, "HOME": str(work / "home")}, plain_user=True)


@when(parsers.parse("「{command}」を実行する"), target_fixture="run")
def run_command(work: Path, env, command: str):
    return shingikai(shlex.split(command), work, env)


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@when(parsers.parse("「{command}」を始め、ワーカーが動き出したら本体に {name} を送る"), target_fixture="killed")
def kill_parallel_lint(work: Path, env, command: str, name: str):
    if not Path("/proc/self/stat").exists():
        unavailable("/proc がない環境です（ワーカーを数えられません）")
    process = subprocess.Popen([sys.executable, "-m", "checker", *shlex.split(command)], cwd=work, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2 and process.poll() is None:
        workers = _descendants(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the lint never started its workers"
    time.sleep(0.5)  # let them work on files
    workers = _descendants(process.pid)
    process.send_signal(getattr(signal, name))
    stdout, stderr = process.communicate(timeout=60)
    return {"process": process, "workers": workers, "stderr": stderr}


def _start(args: list[str], work: Path, env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "checker", *args], cwd=work, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@when(parsers.parse("8 つの「check 案件 -f json -o same.json」を同時に始めることを {rounds:d} 回繰り返す"),
      target_fixture="rounds")
def concurrent_writers(work: Path, env, rounds: int):
    """Half the writers check one proposal, half the other, so the two possible reports differ:
    what is left must be exactly one of them, never two back to back or a mix."""
    expected = set()
    for name in ("example.yaml", "other.yaml"):
        done = shingikai(["check", name, "-f", "json"], work, env)
        assert done.returncode == 0, done.stderr
        expected.add(done.stdout)
    results = []
    for _ in range(rounds):
        writers = [_start(["check", ("example.yaml", "other.yaml")[i % 2], "-f", "json", "-o", "same.json"], work, env)
                   for i in range(8)]
        codes = [(w.wait(timeout=300), w.communicate()[1]) for w in writers]
        results.append((codes, (work / "same.json").read_text(encoding="utf-8")))
    return {"expected": expected, "results": results}


def _writing(pid: int, folder: Path) -> bool:
    """Whether the process has a file in `folder` open (the report being written): O_TMPFILE files
    show as '<folder>/#<inode> (deleted)', named ones by their name."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(str(folder) + "/"):
                return True
        except OSError:
            continue
    return False


@when(parsers.parse("「check many の全ファイル -f json -o out/report.json」を、報告を書き始めたところで SIGKILL で止めることを {times:d} 回繰り返す"))
def kill_while_writing(work: Path, env, times: int):
    if not Path("/proc/self/fd").exists():
        unavailable("/proc がない環境です（書き込み中かどうかを見られません）")
    files = sorted(str(p.relative_to(work)) for p in (work / "many").iterdir())
    caught = 0
    for _ in range(times * 5):  # a run that ends before it is caught writing is tried again
        process = _start(["check", *files, "-f", "json", "-o", "out/report.json"], work, env)
        while process.poll() is None and not _writing(process.pid, work / "out"):
            pass  # busy-wait: the write lasts only milliseconds
        if process.poll() is None:
            process.kill()
            caught += 1
        process.communicate(timeout=300)
        # The unnamed file gets a name only for the instant between link and rename: a kill that
        # lands exactly there may leave that one file, recognisable by the killed run's pid, for
        # the next run to remove (the last steps). Nothing else may ever be left.
        left = [p.name for p in (work / "out").iterdir() if p.name != "report.json"]
        assert all(re.fullmatch(re.escape(_temporary("report.json", process.pid, "")[:-4]) + r"[0-9a-f]+\.tmp", name)
                   for name in left), left
        if caught == times:
            break
    assert caught == times, f"caught {caught} of {times} runs while writing"


@when(parsers.parse("「{command}」の出力を読まずにパイプを閉じる"), target_fixture="run")
def closed_pipe(work: Path, env, command: str):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes (`| head` that already quit)
    try:
        return subprocess.run([sys.executable, "-m", "checker", *shlex.split(command)], cwd=work, env=env,
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)


# --- then
@then(parsers.parse("終了コードは {code:d} である"))
def exit_code(run, code: int):
    assert run.returncode == code, (run.returncode, run.stdout[-2000:], run.stderr[-2000:])


@then("「link.md」はシンボリックリンクのままで、リンク先に新しい報告がある")
def link_kept(work: Path):
    assert (work / "link.md").is_symlink() and os.readlink(work / "link.md") == "target.md"
    assert TITLE in (work / "target.md").read_text(encoding="utf-8")


@then("作業フォルダにはほかのファイルが増えていない")
def nothing_added(work: Path, before: list[str]):
    assert _listing(work) == before


@then("読み手が報告を受け取り、「report.pipe」は名前付きパイプのままである")
def fifo_kept(work: Path, request):
    request.node.reader.join(timeout=30)
    assert TITLE in b"".join(request.node.received).decode("utf-8")
    assert stat.S_ISFIFO(os.lstat(work / "report.pipe").st_mode)


@then("報告が画面に出て、「screen」は同じリンクのままである")
def screen_kept(work: Path, run):
    assert TITLE in run.stdout
    assert os.readlink(work / "screen") == "/proc/self/fd/1"


@then(parsers.parse("「new.txt」の権限は {mode} である"))
def file_mode(work: Path, mode: str):
    assert oct(stat.S_IMODE((work / "new.txt").stat().st_mode))[2:] == mode


@then(parsers.re(r"エラーは「(?P<name>[^」]+)」を挙げ、「(?P<what>[^」]+)」(?:を確認する|する)よう示す"))
def error_names(run, name: str, what: str):
    assert name in run.stderr and what in run.stderr, run.stderr
    assert "→" in run.stderr  # says what to do


@then(parsers.parse("「{name}」フォルダは作られていない"))
def no_folder(work: Path, name: str):
    assert not (work / name).exists()


@then("内部エラーやトレースバックは出ない")
def no_internal_error(run):
    assert "内部エラー" not in run.stderr and "Traceback" not in run.stderr


@then("「locked」の中身は「report.md」だけで、中身は「前回の報告」のままである")
def locked_unchanged(work: Path):
    assert _listing(work / "locked") == ["report.md"]
    assert (work / "locked" / "report.md").read_text(encoding="utf-8") == OLD_REPORT


@then(parsers.parse("正しい案件の指摘「{finding}」が出る"))
def good_file_linted(run, finding: str):
    assert re.search(rf"^props/good\.yaml:\d+:\d+: {finding}", run.stdout, re.M), run.stdout


@then("不備のある 5 つそれぞれについて、ファイル名・理由・直し方が 1 行ずつ出る")
def each_bad_file(run):
    reasons = {"broken.yaml": "リンク先", "loop.yaml": "循環", "secret.yaml": "権限", "locked": "権限",
               "pipe.yaml": "通常のファイルではありません"}
    for name, reason in reasons.items():
        lines = [line for line in run.stdout.splitlines() if line.startswith(f"props/{name}:1:1: error INPUT")]
        assert len(lines) == 1 and reason in lines[0] and "（" in lines[0], (name, run.stdout)
    assert "内部エラー" not in run.stderr and "Traceback" not in run.stderr


@then(parsers.parse("要約は「{files}」で「{invalid}」と数える"))
def summary_counts(run, files: str, invalid: str):
    last = run.stdout.strip().splitlines()[-1]
    assert files in last and invalid in last, last


@then("議題整理表には正しい案件が載り、不備のある 5 つが errors に挙がる")
def agenda_lists(run):
    sheet = json.loads(run.stdout)
    assert [item["id"] for item in sheet["items"]] == ["high"]
    assert sorted(Path(e["file"]).name for e in sheet["errors"]) == [
        "broken.yaml", "locked", "loop.yaml", "pipe.yaml", "secret.yaml"]


@then("例の案件の報告が出る")
def example_report(run):
    assert TITLE in run.stdout


@then("標準エラーはキャッシュについてのお知らせ 1 行だけである")
def one_cache_notice(run):
    lines = run.stderr.splitlines()
    assert len(lines) <= 1 and all("お知らせ" in line and "キャッシュ" in line for line in lines), run.stderr


@then("「home」の中には何も作られていない")
def home_untouched(work: Path):
    (work / "home").chmod(0o755)
    assert _listing(work / "home") == []


@then(parsers.parse("本体は終了コード {code:d} で「{words}」と言って終わる"))
def ended_with(killed, code: int, words: str):
    assert killed["process"].returncode == code and words in killed["stderr"], killed["stderr"]
    assert "Traceback" not in killed["stderr"]


@then("5 秒以内にワーカーはすべて終わっている")
def workers_gone(killed):
    deadline = time.monotonic() + 5
    alive = set(killed["workers"])
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in alive if Path(f"/proc/{pid}").exists() and "Z" != _state(pid)}
        time.sleep(0.1)
    assert not alive, f"workers still running: {alive}"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@then("「out」には「lint.sarif」だけがあり、中身は前回のものか完全な SARIF である")
def output_intact(work: Path):
    assert _listing(work / "out") == ["lint.sarif"]
    text = (work / "out" / "lint.sarif").read_text(encoding="utf-8")
    assert text == OLD_REPORT or json.loads(text)["version"] == "2.1.0"


@then(parsers.parse("本体は終了コード {code:d} で終わり、標準エラーには何も出ない"))
def quiet_pipe(run, code: int):
    assert run.returncode == code and run.stderr == "", (run.returncode, run.stderr)


@then(parsers.parse("オプションのエラーは「{option}」と「{value}」を挙げ、「{accepted}」を指定するよう示す"))
def option_error(run, option: str, value: str, accepted: str):
    assert f"オプション {option} の値「{value}」は使えません" in run.stderr, run.stderr
    assert f"→ {accepted}" in run.stderr and "Invalid value" not in run.stderr


@then(parsers.parse("ルールのエラーは「{where}」で始まる位置を挙げ、「{what}」を確認するよう示す"))
def rule_yaml_error(run, where: str, what: str):
    assert re.search(rf"extra/transfer_method/{re.escape(where)}\d+: ルールエラー: YAML の構文エラーです", run.stderr), run.stderr
    assert what in run.stderr and "→" in run.stderr


@then(parsers.parse("ルールのエラーは「{name}」と「{field}」を挙げ、「{first}」と「{second}」を書くよう示す"))
def rule_field_error(run, name: str, field: str, first: str, second: str):
    assert name in run.stderr and f"必須の項目「{field}」がありません" in run.stderr, run.stderr
    assert first in run.stderr and second in run.stderr and "Field required" not in run.stderr


@then(parsers.parse("構文のエラーは「{where}」を挙げ、「{wrong}」を「{right}」に置き換えるよう示す"))
def wide_space_error(run, where: str, wrong: str, right: str):
    assert f"{where}: エラー:" in run.stderr and wrong in run.stderr and f"{right}に置き換えて" in run.stderr, run.stderr


@then(parsers.parse("報告の対象者数は {count:d} である"))
def subjects_count(work: Path, env, count: int):
    from checker.core.validation import load_proposal
    assert load_proposal(work / "digits.yaml").proposal.subjects[0].count == count


@then(parsers.parse("お知らせは「{name}」と「{a}」「{b}」を挙げる"))
def digits_notice(run, name: str, a: str, b: str):
    notices = [line for line in run.stderr.splitlines() if "お知らせ" in line]
    assert len(notices) == 1 and name in notices[0] and a in notices[0] and b in notices[0], run.stderr


@then(parsers.parse("数のエラーは「{where}」の位置と「{word}」を挙げる"))
def digits_error(run, where: str, word: str):
    assert re.search(rf"{re.escape(where)}\d+:\d+: エラー:", run.stderr) and word in run.stderr, run.stderr


@then(parsers.parse("ID のエラーは「{where}」と「{value}」を挙げ、「{word}」で囲むよう示す"))
def unquoted_error(run, where: str, value: str, word: str):
    assert f"{where}: エラー:" in run.stderr and f"現在の値: {value}）" in run.stderr, run.stderr
    assert f'"{value}"' in run.stderr and word in run.stderr


@then(parsers.parse("エラーに「{word}」は出ない"))
def not_in_error(run, word: str):
    assert word not in run.stderr


@then(parsers.parse("出力に ESC の文字はなく、「{shown}」と示される"))
def escaped(run, shown: str):
    assert "\x1b" not in run.stdout and "\x1b" not in run.stderr
    assert shown in run.stdout, run.stdout


@then(parsers.parse("標準エラーに「{a}」「{b}」と「{c}」を確かめるよう注意が出る"))
def diff_notice(run, a: str, b: str, c: str):
    assert "注意:" in run.stderr and a in run.stderr and b in run.stderr and c in run.stderr, run.stderr
    assert "example.yaml" in run.stderr and "other.yaml" in run.stderr


def _cases(work: Path) -> list[ET.Element]:
    return list(ET.parse(work / "out.xml").getroot().iter("testcase"))


@then("JUnit の失敗は 0 件で、未対応の指摘はすべて system-out に内容を持つ成功である")
def junit_none(work: Path):
    root = ET.parse(work / "out.xml").getroot()
    assert root.get("failures") == "0"
    cases = _cases(work)
    assert cases and all(c.find("failure") is None for c in cases)
    outs = [c.find("system-out") for c in cases]
    assert all(o is not None and "未対応" in o.text and "想定される質問" in o.text for o in outs)


@then("JUnit の失敗は high の指摘だけである")
def junit_high(work: Path):
    root = ET.parse(work / "out.xml").getroot()
    failures = [c.find("failure") for c in _cases(work) if c.find("failure") is not None]
    assert failures and all(f.get("type") == "high" for f in failures)
    assert root.get("failures") == str(len(failures))
    passed_open = [c for c in _cases(work) if c.find("system-out") is not None]
    assert passed_open, "the medium and low findings are kept as passed testcases"


def _annotations(run) -> list[str]:
    return [line for line in run.stdout.splitlines() if line.startswith("::")]


@then("注釈は error・warning・notice の順で、どれも 10 件以下である")
def annotation_order(run):
    levels = [a.split(" ", 1)[0] for a in _annotations(run)[:-1]]
    assert levels == sorted(levels, key=["::error", "::warning", "::notice"].index)
    assert all(levels.count(level) <= 10 for level in levels) and levels.count("::error") == 10


@then(parsers.parse("最後の注釈は件数と「{report}」を挙げる要約である"))
def closing_annotation(run, report: str):
    last = _annotations(run)[-1]
    assert last.startswith("::notice title=shingikai lint の結果::") and "12 ファイルを点検" in last
    assert report in last


@then("注釈にしなかった指摘もログに 1 行ずつある")
def overflow_in_log(run, work: Path, env):
    text = shingikai(["lint", "ci"], work, env).stdout
    high = [line for line in text.splitlines() if re.match(r"^ci/\S+:\d+:\d+: 高 ", line)]
    plain = [line for line in run.stdout.splitlines() if re.match(r"^ci/\S+:\d+:\d+: error ", line)]
    annotated = [a for a in _annotations(run) if a.startswith("::error ")]
    assert len(high) > 10 and len(annotated) == 10 and len(plain) == len(high) - 10


@then(parsers.parse("エラーは「{name}」を挙げ、出力先が読み込む「{kind}」と同じだと示す"))
def refused_input(run, name: str, kind: str):
    assert run.stderr.startswith(f"{name}: エラー: 出力先が読み込む{kind} "), run.stderr
    assert f"{kind}は上書きしません" in run.stderr and "→ --output には別のファイル名" in run.stderr
    assert "内部エラー" not in run.stderr and "Traceback" not in run.stderr


@then(parsers.parse("エラーは「{name}」を挙げ、出力先が「{times}」指定されていると示す"))
def refused_twice(run, name: str, times: str):
    assert run.stderr.startswith(f"{name}: エラー: 同じファイルが --output で {times}"), run.stderr
    assert "→ 出力ごとに別のファイル名" in run.stderr


@then("入力ファイルはどれも元のままで、ファイルは増えていない")
def inputs_unchanged(work: Path, request):
    for name, before in request.node.kept.items():
        assert (work / name).read_bytes() == before, name
    everything = sorted(str(p.relative_to(work)) for p in work.rglob("*") if p.is_file())
    assert everything == sorted(["example.yaml", "other.yaml", *request.node.kept]), everything


@then("「base.json」はベースラインとして読める")
def baseline_readable(work: Path):
    from checker.commands.lint import baseline as baselines
    assert baselines.read(work / "base.json")


@then("毎回どの点検も終了コード 0 で、「same.json」はどれか 1 つの完全な報告と同じである")
def one_complete_report(rounds):
    for number, (codes, text) in enumerate(rounds["results"], 1):
        assert all(code == 0 for code, _ in codes), (number, codes)
        assert text in rounds["expected"], f"round {number}: {len(text)} characters, not one whole report"
        json.loads(text)


@then("「twin.json」は「same.json」と同じファイルのままである")
def still_linked(work: Path):
    assert os.path.samefile(work / "same.json", work / "twin.json")
    assert (work / "same.json").stat().st_nlink == 2


@then("作業フォルダには一時ファイルが残っていない")
def no_temporaries(work: Path):
    assert not [p.name for p in work.iterdir() if p.name.startswith(".")]


@then("「out」には「report.json」だけがあり、中身は前回のものか完全な報告である")
def report_intact(work: Path):
    assert _listing(work / "out") == ["report.json"]
    text = (work / "out" / "report.json").read_text(encoding="utf-8")
    assert text == OLD_REPORT or json.loads(text)


@then("「out/report.json」は前回のものか完全な報告である")
def report_whole(work: Path):
    text = (work / "out" / "report.json").read_text(encoding="utf-8")
    assert text == OLD_REPORT or json.loads(text)


@then("終わったプロセスの一時ファイルだけが消え、ほかは残っている")
def stale_removed(work: Path, leftovers: dict[str, str]):
    left = set(_listing(work / "out"))
    assert leftovers["dead"] not in left
    assert {leftovers["alive"], leftovers["other"], leftovers["user"], "report.json"} == left


@then(parsers.parse("例の案件の報告が画面に出て、「-」という名前のファイルはない"))
def screen_not_file(run, work: Path):
    assert TITLE in run.stdout, run.stderr
    assert not (work / "-").exists()


@then(parsers.parse("画面に「{text}」が出て、「-」という名前のファイルはない"))
def text_on_screen(run, work: Path, text: str):
    assert text in run.stdout, run.stderr
    assert not (work / "-").exists()


@then(parsers.parse("オプションのエラーは「{option}」が 2 回指定されたと言い、「{first}」「{second}」を挙げる"))
def repeated_option(run, option: str, first: str, second: str):
    assert f"オプション {option} が 2 回以上指定されています（「{first}」「{second}」）" in run.stderr, run.stderr
    assert f"→ {option} は 1 回だけ" in run.stderr and "Traceback" not in run.stderr


# --- a fresh machine
@given("会議録（../shared）やブラウザがないときに使うテストがある", target_fixture="needs")
def script_needing_something(tmp_path: Path) -> Path:
    test = tmp_path / "needs" / "test_needs.py"
    test.parent.mkdir()
    test.write_text("from tests.conftest import unavailable\n\n\ndef test_needs_the_minutes():\n"
                    "    unavailable('会議録がありません')\n", encoding="utf-8")
    return test


def _pytest(test: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q", str(test)],
                          cwd=test.parent, env=env, capture_output=True, text=True, timeout=120)


@when("CI の変数なしでそのテストを実行する", target_fixture="pytest_run")
def without_ci(needs: Path):
    return _pytest(needs, None)


@when("CI=true でそのテストを実行する", target_fixture="pytest_run")
def under_ci(needs: Path):
    return _pytest(needs, "true")


@then("テストは理由を示してスキップされる")
def skipped_with_reason(pytest_run):
    assert pytest_run.returncode == 0 and "1 skipped" in pytest_run.stdout, pytest_run.stdout
    assert "会議録がありません" in pytest_run.stdout


@then(parsers.parse("テストは理由と「{words}」を示して失敗する"))
def failed_with_reason(pytest_run, words: str):
    assert pytest_run.returncode == 1 and "1 failed" in pytest_run.stdout, pytest_run.stdout
    assert "会議録がありません" in pytest_run.stdout and words in pytest_run.stdout
