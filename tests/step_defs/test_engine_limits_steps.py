"""Steps for tests/features/engine_limits.feature: durable-rules' fixed limits never reached.

Every command runs as its own process (`python -m checker`), as a user or CI would run it, so a
hang, an abort in native code or an undocumented exit code shows as it would for them.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from pytest_bdd import given, parsers, scenarios, then, when

from ..conftest import ROOT

scenarios("engine_limits.feature")
EXAMPLE = ROOT / "proposals" / "examples" / "complete-cloud.yaml"
MY_RULES = ROOT / "docs" / "examples" / "my-rules"
# complete-cloud.yaml has one fact of each of these types
SINGLE = ["proposal", "kind", "subject", "vendor", "transfer", "cloud", "access", "logging", "retention",
          "contract", "incident_response", "notice", "operations", "collection", "follow_up", "delivery"]


@pytest.fixture
def state(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> dict:
    # one compiled-catalogue cache for the scenario's runs (the bundled rules load once)
    return {"cache": tmp_path_factory.getbasetemp() / "engine-limits-cache", "tmp": tmp_path}


def _rule(rule_id: str, when: str) -> str:
    return f"""id: {rule_id}
title: 独自の点検 {rule_id}
topic: misdelivery
severity: medium
why: 上限の確認に使う独自のルール。
when: {when}
because: 独自の条件に当てはまる。
questions: [独自の条件について確かめましたか。]
safeguards: [rei-guardian-contact-check]
precedents: [{{source: rei-outsourcing-standard, item: 第5条, note: 上限の確認。}}]
examples:
  fires: [{{name: any, proposal: {{}}}}]
  quiet: [{{name: none, proposal: {{}}}}]
"""


def _own_rules(state: dict, conditions: list[str]) -> Path:
    folder = state["tmp"] / f"my-rules-{len(list(state['tmp'].glob('my-rules-*')))}"
    (folder / "misdelivery").mkdir(parents=True)
    shutil.copy(MY_RULES / "safeguards.yaml", folder)
    shutil.copy(MY_RULES / "sources.yaml", folder)
    for n, when in enumerate(conditions, start=1):
        (folder / "misdelivery" / f"REI-{n:03d}.yaml").write_text(_rule(f"REI-{n:03d}", when), encoding="utf-8")
    state["rules"] = folder
    return folder


def _proposal(state: dict, items: int, lists: tuple[str, ...] = ("data_items",)) -> Path:
    """The example with each of `lists` repeated to `items` entries (names numbered, so all distinct)."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for key in lists:
        first = data[key][0]
        data[key] = [{k: (f"{v}{n}" if k in ("name", "what", "description") else v) for k, v in first.items()}
                     for n in range(items)]
    path = state["tmp"] / f"案件-{items}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    state["proposal"] = path
    return path


@given(parsers.parse("in に {n:d} 個の値を並べた独自のルールがある"))
def in_list(state: dict, n: int) -> None:
    _own_rules(state, [f"{{fact: proposal, where: {{item_count: {{in: [{', '.join(str(v) for v in range(n))}]}}}}}}"])


@given(parsers.parse("{n:d} 通りの any からなる独自のルールがある"))
def any_branches(state: dict, n: int) -> None:
    _own_rules(state, ["{any: [" + ", ".join(f"{{fact: proposal, where: {{item_count: {v}}}}}" for v in range(n)) + "]}"])


@given(parsers.parse("{n:d} 通りの any を {k:d} つ all で結んだ独自のルールがある"))
def product_of_branches(state: dict, n: int, k: int) -> None:
    one = "{any: [" + ", ".join(f"{{fact: proposal, where: {{item_count: {v}}}}}" for v in range(n)) + "]}"
    _own_rules(state, ["{all: [" + ", ".join([one] * k) + "]}"])


@given(parsers.parse("{n:d} 個のパターンを all で結んだ独自のルールがある"))
def patterns(state: dict, n: int) -> None:
    _own_rules(state, ["{all: [" + ", ".join(f"{{fact: {fact}}}" for fact in SINGLE[:n]) + "]}"])


@given(parsers.parse("ne と in を合わせて {n:d} 個並べたパターンの独自のルールがある"))
def composite_tests(state: dict, n: int) -> None:
    # each is one $or in durable's expression; one field per test (a mapping keeps one per field)
    from checker.core.fact_schema import FACT_FIELDS
    fields = FACT_FIELDS["proposal"]
    tests = ([f"{f}: {{ne: -1}}" for f, kind in fields.items() if kind is int]
             + [f"{f}: {{in: [true, false]}}" for f, kind in fields.items() if kind is bool])
    assert len(tests) >= n
    _own_rules(state, ["{fact: proposal, where: {" + ", ".join(tests[:n]) + "}}"])


@given(parsers.parse("それぞれ別の条件で例の案件に当たる独自のルールが {n:d} 件ある"))
def many_firing(state: dict, n: int) -> None:
    # each a test of its own on the one proposal fact: 118 of them aborted durable before
    _own_rules(state, [f"{{fact: proposal, where: {{item_count: {{ge: {-v}}}}}}}" for v in range(n)])


@given(parsers.parse("データ項目・対象者・通知・移送・システムをそれぞれ {n:d} 件並べた案件がある"))
def many_entries(state: dict, n: int) -> None:
    _proposal(state, n, ("data_items", "subjects", "deliveries", "transfers", "systems"))


@given(parsers.parse("データ項目どうしを組み合わせる独自のルールと、データ項目を {n:d} 件並べた案件がある"))
def pairs_of_items(state: dict, n: int) -> None:
    _own_rules(state, ["{all: [{fact: data_item, as: a}, {fact: data_item, as: b}]}"])
    _proposal(state, n)


@given(parsers.parse("ルールのフォルダに {name} という名前の FIFO がある"))
def fifo(state: dict, name: str) -> None:
    folder = _own_rules(state, [])
    os.mkfifo(folder / "misdelivery" / name)
    state["fifo"] = folder / "misdelivery" / name


def _run(state: dict, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=str(state["cache"]))
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, text=True,
                          timeout=300, env=env, cwd=state["tmp"])


@when("職員が例の案件をその独自のルールとともに点検する", target_fixture="run")
def check_with_rules(state: dict) -> subprocess.CompletedProcess:
    return _run(state, "check", str(EXAMPLE), "--rules", str(state["rules"]), "--format", "json")


@when("職員がその案件を点検する", target_fixture="run")
def check_proposal(state: dict) -> subprocess.CompletedProcess:
    return _run(state, "check", str(state["proposal"]), "--format", "json")


@when("職員がその案件をその独自のルールとともに点検する", target_fixture="run")
def check_proposal_with_rules(state: dict) -> subprocess.CompletedProcess:
    return _run(state, "check", str(state["proposal"]), "--rules", str(state["rules"]), "--format", "json")


@then(parsers.parse("終了コードは {code:d} である"))
def exit_code(run: subprocess.CompletedProcess, code: int) -> None:
    assert run.returncode == code, run.stderr[-2000:]


@then(parsers.parse("独自のルールの指摘が {n:d} 件出る"))
def own_findings(run: subprocess.CompletedProcess, n: int) -> None:
    import json
    findings = json.loads(run.stdout)["findings"]
    assert len({rid for f in findings for rid in f["rules"] if rid.startswith("REI-")}) == n


@then(parsers.parse("ルールエラーはルールのファイル名と「{text}」を示す"))
def rule_error(run: subprocess.CompletedProcess, state: dict, text: str) -> None:
    assert f"{state['rules'] / 'misdelivery' / 'REI-001.yaml'} (ルール REI-001): ルールエラー:" in run.stderr
    assert text in run.stderr and "Traceback" not in run.stderr


@then(parsers.parse("入力エラーは案件のファイル名と「{text}」を示す"))
def input_error(run: subprocess.CompletedProcess, state: dict, text: str) -> None:
    assert f"{state['proposal']}: エラー:" in run.stderr and text in run.stderr
    assert run.stdout == "" and "Traceback" not in run.stderr


@then(parsers.parse("ルールエラーはその FIFO のファイル名と「{text}」を示す"))
def fifo_error(run: subprocess.CompletedProcess, state: dict, text: str) -> None:
    assert f"{state['fifo']}: ルールエラー:" in run.stderr and text in run.stderr


# An `in:` of 512 values fills the 512-slot table under one node of durable's network, and its
# handleAlpha then loops forever (checker/core/native_limits.py). Rule files cannot say this any
# more, so the script builds that ruleset itself, then calls durable the way Engine.evaluate does,
# with the CLI's signal handlers installed.
_HANG = """
import json, sys
import durable_rules_engine as durable
from checker.core.engine import _default_signal_actions
from checker.shell.signals import install_command_handlers
install_command_handlers()
rules = {"r": {"all": [{"m": {"$and": [{"t": "p"}, {"$or": [{"x": v} for v in range(512)]}]}}]}}
handle = durable.create_ruleset("hang", json.dumps(rules))
print("ready", flush=True)
with _default_signal_actions():
    durable.assert_facts(handle, json.dumps([{"t": "p", "x": 1000, "sid": "s"}]))
print("returned", flush=True)
"""


@given("ルールエンジンの呼び出しが終わらない状態のプロセスがある", target_fixture="busy")
def busy_process(state: dict) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", _HANG], stdout=subprocess.PIPE, text=True, cwd=state["tmp"],
                               env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    time.sleep(0.5)  # well inside the native call, which never returns
    assert process.poll() is None
    return process


@when(parsers.parse("そのプロセスに {name} を送る"), target_fixture="sent")
def send(busy: subprocess.Popen, name: str) -> float:
    busy.send_signal(getattr(signal, name))
    return time.monotonic()


@then(parsers.parse("プロセスは 1 秒以内に {name} で終わる"))
def ended(busy: subprocess.Popen, sent: float, name: str) -> None:
    try:
        code = busy.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        busy.kill()
        busy.wait()
        pytest.fail(f"{name} did not end the process within a second")
    assert code == -getattr(signal, name), code  # the shell reports 128 + N, as the README lists
    assert time.monotonic() - sent < 1.0
