"""The compiled-catalogue cache (the catalogue, and the engine compiled from it) and the compiled
templates beside it: same results, invalidated by any edit, harmless when broken."""
from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.core import cache
from checker.core.engine import Engine
from checker.core.errors import RuleError
from checker.core.facts import build_facts
from checker.core.validation import load_proposal

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "proposals" / "examples" / "health-check-reminder-lgwan-asp.yaml"
TRN = ROOT / "rules" / "transfer_method" / "TRN-001.yaml"


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SHINGIKAI_NO_CACHE", raising=False)
    return tmp_path / "xdg" / "shingikai"


KINDS = ("catalogue", "engine")


def entries(folder: Path, kind: str = "catalogue") -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.pickle")) if folder.is_dir() else []


def check_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["check", str(EXAMPLE), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_second_run_uses_the_cache_and_reports_the_same(cache_home, monkeypatch):
    first = check_json()
    assert len(entries(cache_home)) == 1 and len(entries(cache_home, "engine")) == 1
    monkeypatch.setattr(cache, "load_catalogue", lambda *a, **k: pytest.fail("cache not used"))
    monkeypatch.setattr(Engine, "_compile", lambda self: pytest.fail("compiled engine not taken from the cache"))
    assert check_json() == first


def test_a_cached_engine_matches_like_a_fresh_one(cache_home, catalogue):
    """Unpickling gives durable the same rulesets again, under names of their own: two engines from the
    cache and a freshly compiled one live in one process and find the same matches on every example."""
    cache.load_engine()
    first, second, fresh = cache.load_engine(), cache.load_engine(), Engine(catalogue)
    assert len({*first.definitions, *second.definitions, *fresh.definitions}) == 3 * len(fresh.definitions)
    assert [list(d) for d in first.definitions.values()] == [list(d) for d in fresh.definitions.values()]
    for path in sorted((ROOT / "proposals" / "examples").glob("*.yaml")):
        facts = build_facts(load_proposal(path).proposal, catalogue.vocabulary, catalogue.areas)
        expected = sorted(map(repr, fresh.evaluate(facts)))
        assert expected, path
        assert sorted(map(repr, first.evaluate(facts))) == expected == sorted(map(repr, second.evaluate(facts)))


def test_cached_catalogue_equals_a_fresh_one(cache_home, catalogue):
    cache.cached_catalogue()
    cached = cache.cached_catalogue()
    assert [r.model_dump() for r in cached.rules] == [r.model_dump() for r in catalogue.rules]
    assert cached.safeguards == catalogue.safeguards and cached.files == catalogue.files
    assert cached.derived_fields == catalogue.derived_fields


def own_rules(tmp_path: Path, because: str) -> Path:
    """A municipality's rule folder holding one rule, with a given `because` text."""
    folder = tmp_path / "own" / "transfer_method"
    folder.mkdir(parents=True)
    text = TRN.read_text(encoding="utf-8").replace("TRN-001", "TRN-901")
    text = text.replace(text.split("because: ", 1)[1].split("\n", 1)[0], because)
    (folder / "TRN-901.yaml").write_text(text, encoding="utf-8")
    return folder / "TRN-901.yaml"


def test_editing_a_rule_file_is_seen_at_once(cache_home, tmp_path):
    rule = own_rules(tmp_path, "最初の説明（{transfer.medium}）。")
    rules = str(tmp_path / "own")
    before = {f["rule_id"]: f["because"] for f in check_json("--rules", rules)["findings"]}
    assert before["TRN-901"].startswith("最初の説明")
    rule.write_text(rule.read_text(encoding="utf-8").replace("最初の説明", "書き直した説明"), encoding="utf-8")
    after = {f["rule_id"]: f["because"] for f in check_json("--rules", rules)["findings"]}
    assert after["TRN-901"].startswith("書き直した説明")
    assert len(entries(cache_home)) == 2 and len(entries(cache_home, "engine")) == 2


def test_a_broken_rule_is_reported_and_never_cached(cache_home, tmp_path):
    rule = own_rules(tmp_path, "説明。")
    rule.write_text(rule.read_text(encoding="utf-8").replace("severity: medium", "severity: urgent"),
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(EXAMPLE), "--rules", str(tmp_path / "own")])
    assert result.exit_code == 3 and "TRN-901" in result.stderr
    with pytest.raises(RuleError):
        cache.cached_catalogue([tmp_path / "own"])
    assert entries(cache_home) == [] and entries(cache_home, "engine") == []


def read_first(cache_home: Path, kind: str) -> Path:
    """The entry of this kind, with the engine entry gone when it is the catalogue's turn
    (`check` reads the engine entry, and the catalogue entry only to build a missing one)."""
    if kind == "catalogue":
        for engine in entries(cache_home, "engine"):
            engine.unlink()
    [entry] = entries(cache_home, kind)
    return entry


@pytest.mark.parametrize("kind", KINDS)
def test_a_corrupt_entry_is_rebuilt(cache_home, kind):
    expected = check_json()
    entry = read_first(cache_home, kind)
    entry.write_bytes(entry.read_bytes()[:100])  # truncated, as by a crash mid-write elsewhere
    assert check_json() == expected
    assert entry.stat().st_size > 1000


@pytest.mark.parametrize("kind", KINDS)
def test_an_entry_of_the_wrong_type_is_ignored(cache_home, kind):
    expected = check_json()
    entry = read_first(cache_home, kind)
    import pickle
    entry.write_bytes(pickle.dumps({"not": f"a {kind}"}))
    assert check_json() == expected
    assert entry.stat().st_size > 1000


def test_an_unwritable_cache_location_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert check_json()["findings"]


def test_a_group_writable_cache_folder_is_not_trusted(cache_home, monkeypatch):
    check_json()
    cache_home.chmod(0o777)
    monkeypatch.setattr(cache.pickle, "loads", lambda data: pytest.fail("read an untrusted cache"))
    assert check_json()["findings"]


def test_no_cache_variable_turns_it_off(cache_home, monkeypatch):
    monkeypatch.setenv("SHINGIKAI_NO_CACHE", "1")
    check_json()
    assert entries(cache_home) == []


def test_old_entries_are_pruned(cache_home, tmp_path):
    for i in range(cache._KEEP + 3):
        folder = tmp_path / f"rules{i}"  # an empty extra folder: another key, the same rules
        folder.mkdir()
        cache.cached_catalogue([folder])
    assert len(entries(cache_home)) == cache._KEEP


def test_no_home_folder_only_costs_speed(monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("SHINGIKAI_NO_CACHE", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")
    monkeypatch.setattr(cache.Path, "home", staticmethod(no_home))
    assert check_json()["findings"]


@pytest.fixture
def fresh_templates():
    """Templates loaded again from disk (the environment is kept per process)."""
    from checker.reporters.templating import environment
    environment.cache_clear()
    yield environment
    environment.cache_clear()


def check_html() -> str:
    result = CliRunner().invoke(app, ["check", str(EXAMPLE), "--format", "html"])
    assert result.exit_code == 0, result.output
    return result.stdout


def template_entries(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "templates").rglob("*.cache"))


def test_templates_compiled_in_an_earlier_run_give_the_same_page(cache_home, fresh_templates, monkeypatch):
    first = check_html()
    assert len(template_entries(cache_home)) == 1  # report.html.j2
    fresh_templates.cache_clear()
    monkeypatch.setattr(jinja2.Environment, "compile", lambda *a, **k: pytest.fail("template compiled again"))
    assert check_html() == first


def test_a_corrupt_compiled_template_is_compiled_again(cache_home, fresh_templates):
    first = check_html()
    [entry] = template_entries(cache_home)
    entry.write_bytes(entry.read_bytes()[:40])
    fresh_templates.cache_clear()
    assert check_html() == first
    assert entry.stat().st_size > 1000


def test_an_edited_template_is_compiled_again(cache_home, fresh_templates, monkeypatch):
    """jinja2 drops an entry whose template source changed (as after an upgrade of the checker)."""
    check_html()
    fresh_templates.cache_clear()
    original = jinja2.PackageLoader.get_source

    def edited(self, environment, name):
        source, filename, uptodate = original(self, environment, name)
        return source.replace("</body>", "<!-- edited --></body>"), filename, uptodate
    monkeypatch.setattr(jinja2.PackageLoader, "get_source", edited)
    assert "<!-- edited -->" in check_html()


def test_no_cache_variable_keeps_templates_uncached_too(cache_home, fresh_templates, monkeypatch):
    monkeypatch.setenv("SHINGIKAI_NO_CACHE", "1")
    check_html()
    assert template_entries(cache_home) == []


def test_an_unwritable_cache_location_only_costs_speed_for_templates(tmp_path, monkeypatch, fresh_templates):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert "</html>" in check_html()
