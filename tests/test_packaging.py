"""A plain (non-editable) wheel carries the rule base: the installed command finds its rules anywhere."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile

from .conftest import ROOT, unavailable


def test_wheel_ships_rules_and_runs_from_another_directory(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(ROOT)], check=True)
    wheel = next(wheels.glob("shingikai_checker-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "checker/rules/topics.yaml" in names
    assert "checker/rules/transfer_method/TRN-001.yaml" in names
    assert "checker/templates/report.md.j2" in names
    # the workbench (shingikai serve) reads its page, script and style from the package, never from the network
    assert {"checker/templates/serve.html.j2", "checker/static/serve.js", "checker/static/serve.css"} <= set(names)

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proposal = elsewhere / "p.yaml"
    proposal.write_text((ROOT / "proposals/examples/child-consultation-migration.yaml").read_text(encoding="utf-8"),
                        encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(site))
    where = subprocess.run([sys.executable, "-c", "import checker.core.catalogue as c; print(c.bundled_rules_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where == str(site / "checker" / "rules")
    result = subprocess.run([sys.executable, "-m", "checker", "check", "p.yaml"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "SEN-001" in result.stdout


# --- what the docs tell a new user to pin ------------------------------------------------------

_DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), ROOT / ".pre-commit-hooks.yaml"]
# This project named by repository (…/shingikai-checker@REF, …/shingikai-checker/blob/REF/…)
# or a pre-commit `rev:`: every ref a user would copy must be a commit (or tag) this repository has.
_REF_PATTERNS = [re.compile(r"shingikai-checker@([\w./-]+?)[\"'\s]"), re.compile(r"shingikai-checker/(?:blob|tree)/([\w.-]+)/"),
                 re.compile(r"^\s*rev:\s*['\"]?([\w./-]+)", re.M)]


def _named_refs() -> list[tuple[str, str]]:
    found = []
    for path in _DOCS:
        text = path.read_text(encoding="utf-8")
        found += [(path.name, m.group(1)) for pattern in _REF_PATTERNS for m in pattern.finditer(text)]
    return found


def test_every_ref_the_docs_pin_exists_in_this_repository():
    refs = _named_refs()
    assert any(name == "README.md" for name, _ in refs), "the README's pre-commit and Actions examples were not found"
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        unavailable("git の履歴がありません（参照が実在するかを確かめられません）")
    missing = []
    for name, ref in refs:
        known = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                               capture_output=True, text=True)
        if known.returncode != 0:
            missing.append((name, ref))
    assert not missing, f"refs named in the docs that this repository does not have: {missing}"

