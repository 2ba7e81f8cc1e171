"""A command loads only what it needs (issue 23: the cold start of `shingikai check`).

Each command runs as a user runs it, in a process of its own through the console entry point
(checker.cli.main), which is told to list the modules loaded when it ends. Speed itself is measured
by benchmarks/bench.py --cold, never here.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "proposals" / "examples" / "complete-outsourcing.yaml"
# the entry point, with its last step (flush, exit) first writing sys.modules to a file
ENTRY = """
import sys
from checker import cli
end, listing = cli._exit_now, sys.argv.pop(1)
def listed(code):
    with open(listing, "w", encoding="utf-8") as out:
        out.write("\\n".join(sys.modules))
    end(code)
cli._exit_now = listed
cli.main()
"""


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules a `shingikai` process loaded, and the process."""
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    environ.update(XDG_CACHE_HOME=str(tmp_path / "cache"), **(env or {}))
    listing = tmp_path / "modules.txt"
    proc = subprocess.run([sys.executable, "-c", ENTRY, str(listing), *args], capture_output=True, text=True,
                          env=environ, cwd=tmp_path, timeout=120)
    return set(listing.read_text(encoding="utf-8").split("\n")), proc


def test_check_to_json_loads_no_template_engine_and_no_other_report_format(tmp_path):
    out = tmp_path / "report.json"
    modules, proc = run(tmp_path, "check", str(EXAMPLE), "--format", "json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "checker.reporters.report.json" in modules and "checker.core.engine" in modules
    assert not {"jinja2", "markupsafe"} & modules
    assert [m for m in modules if m.startswith("checker.reporters.report.")] == ["checker.reporters.report.json"]
    # the process (its stand-in for pydantic's plugin loader, its collector settings) writes what the
    # command writes when called in this process
    expected = CliRunner().invoke(app, ["check", str(EXAMPLE), "--format", "json"])
    assert expected.exit_code == 0 and out.read_text(encoding="utf-8") == expected.stdout


@pytest.mark.parametrize("args", [("rules", "show", "TRN-001"), ("rules", "list", "--format", "json"),
                                  ("schema", "-o", "schema.json")], ids=["rules show", "rules list", "schema"])
def test_commands_that_read_rules_do_not_compile_them(tmp_path, args):
    modules, proc = run(tmp_path, *args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "checker.core.catalogue" in modules
    assert not {"checker.core.engine", "durable_rules_engine"} & modules


def test_help_loads_neither_pydantic_nor_yaml(tmp_path):
    modules, proc = run(tmp_path, "--help")
    assert proc.returncode == 0 and "check" in proc.stdout
    assert not {"pydantic", "yaml", "checker.core.proposal"} & modules


def test_a_users_own_plugin_setting_keeps_pydantics_plugin_loader(tmp_path):
    """Only while the setting disables every plugin does a stand-in answer "no plugins" for pydantic's
    loader (which would import importlib.metadata to find none); a list of the user's own is theirs."""
    out = tmp_path / "report.json"
    own, proc = run(tmp_path, "check", str(EXAMPLE), "--format", "json", "-o", str(out),
                    env={"PYDANTIC_DISABLE_PLUGINS": "some-plugin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert {"pydantic.plugin._loader", "importlib.metadata"} <= own
    first = out.read_text(encoding="utf-8")
    disabled, proc = run(tmp_path, "check", str(EXAMPLE), "--format", "json", "-o", str(out))
    assert proc.returncode == 0 and "importlib.metadata" not in disabled
    assert out.read_text(encoding="utf-8") == first
