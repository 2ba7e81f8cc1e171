"""Meta-tests over the whole knowledge base, and the catalogue's own validation."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from checker.core.catalogue import PLACEHOLDER, bundled_rules_dir, load_catalogue
from checker.core.engine import COUNCIL_UNIT, SAFEGUARD_UNIT, Engine
from checker.core.errors import RuleError
from checker.reporters.rules.docs import render_docs

from .conftest import ROOT


def test_topics_match_the_controlled_list(shared):
    """rules/topics.yaml carries exactly the codes of the shared topics.md."""
    text = (shared / "design" / "topics.md").read_text(encoding="utf-8")
    codes = {c for c in re.findall(r"^\| (\w+) \|", text, re.M) if c != "code"}
    assert set(load_catalogue().topics) == codes


def test_every_rule_is_complete(catalogue, shared):
    for rule in catalogue.rules:
        assert rule.questions and all(q.strip() for q in rule.questions), rule.id
        assert rule.safeguards and rule.precedents, rule.id
        assert rule.examples.fires and rule.examples.quiet, rule.id
        for p in rule.precedents:
            seed = shared / "seeds" / p.source
            if p.source.endswith(".txt"):
                assert seed.exists(), f"{rule.id}: precedent file {p.source} does not exist"


def test_whole_catalogue_compiles(catalogue):
    engine = Engine(catalogue)
    compiled = {spec["run"] for d in engine.definitions.values() for spec in d.values()}
    ticking = {SAFEGUARD_UNIT + s.id for s in catalogue.safeguards.values() if s.satisfied_by is not None}
    grounds = {COUNCIL_UNIT + c for c in catalogue.council_criteria}
    assert grounds, "the bundled council criteria (rules/council.yaml) are compiled"
    assert compiled == {r.id for r in catalogue.rules} | ticking | grounds
    # as few rulesets as durable's tables allow, and durable accepted every one without halving:
    # each extra ruleset costs every proposal another pass over its facts
    packed = engine._pack(engine._compile())
    assert [list(d) for d in engine.definitions.values()] == [[name for name, _ in chunk] for chunk in packed]
    assert len(engine.definitions) == 1, "the bundled catalogue fits one ruleset: each fact is matched once"
    assert engine.max_stratum >= 2, "the catalogue has derived facts, so at least two strata"


def test_docs_are_current(catalogue):
    generated = render_docs(catalogue)
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == generated, "docs/rules.md is stale: run `shingikai rules docs`"


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), target)
    return target


def _mutate(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("topic: transfer_method", "topic: transfers", "topic"),
    ("{physical: true, to_vendor: true}", "{physical: true, to_vendr: true}", "項目 to_vendr はありません"),
    ("{physical: true, to_vendor: true}", "{physical: {like: true}}", "不明な演算子"),
    ("{physical: true, to_vendor: true}", "{physical: yes_please}", "bool 型"),
    ("fact: transfer", "fact: transferz", "未知のファクト型"),
    ("safeguards: [media-encryption", "safeguards: [media-encryptio", "未定義の安全管理措置"),
    ("{transfer.medium}", "{transfer.colour}", "項目 colour はありません"),
    ("id: TRN-001", "id: TRN-1", "ID"),
])
def test_broken_rule_is_reported_with_file_and_rule(tmp_path, old, new, message):
    rules = _copy_rules(tmp_path)
    _mutate(rules / "transfer_method" / "TRN-001.yaml", old, new)
    with pytest.raises(RuleError) as info:
        load_catalogue(base=rules)
    assert message in str(info.value)
    assert "TRN-001.yaml" in str(info.value)


def test_misspelt_enum_value_in_a_rule_is_rejected(tmp_path):
    rules = _copy_rules(tmp_path)
    path = rules / "transfer_method" / "TRN-900.yaml"
    text = (rules / "transfer_method" / "TRN-001.yaml").read_text(encoding="utf-8")
    text = text.replace("id: TRN-001", "id: TRN-900").replace(
        "{physical: true, to_vendor: true}", "{medium: usbb}")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match="usbb"):
        load_catalogue(base=rules)


def test_duplicate_rule_id_in_extra_folder(tmp_path):
    extra = tmp_path / "ours" / "transfer_method"
    extra.mkdir(parents=True)
    shutil.copy(bundled_rules_dir() / "transfer_method" / "TRN-001.yaml", extra / "TRN-001.yaml")
    with pytest.raises(RuleError, match="重複"):
        load_catalogue([tmp_path / "ours"])


def test_every_topic_has_a_rule(catalogue):
    """Breadth: each concern a council raises has at least one rule that can raise it."""
    without = sorted(set(catalogue.topics) - {r.topic for r in catalogue.rules})
    assert without == []


def test_every_because_cites_the_proposal(catalogue):
    """Issue 3: `because` explains this proposal, so it fills in at least one matched fact.

    The loader already checks that each {alias.field} names a positive pattern and a real field;
    this catches the other failure, a fixed sentence that reads the same for every proposal.
    """
    static = sorted(r.id for r in catalogue.rules if not PLACEHOLDER.search(r.because))
    assert static == [], f"because に {{alias.field}} がないルール: {', '.join(static)}"

def test_safeguard_ids_are_stable_and_all_used(catalogue):
    """Every defined safeguard is asked for by some rule (a proposal declaring it ticks it off)."""
    used = {s for r in catalogue.rules for s in r.safeguards}
    assert set(catalogue.safeguards) - used == set()


def test_precedents_cite_seed_items_by_their_label(catalogue):
    """A precedent in a seed file names the agenda item exactly as the seed proposals label it."""
    import yaml
    labels: dict[str, set[str]] = {}
    for path in (ROOT / "proposals" / "seeds").glob("*.yaml"):
        origin = yaml.safe_load(path.read_text(encoding="utf-8"))["origin"]
        labels.setdefault(origin["minutes"], set()).add(str(origin["item"]))
    wrong = [(r.id, p.source, p.item) for r in catalogue.rules for p in r.precedents
             if p.source.endswith(".txt") and p.item not in labels.get(p.source, set())]
    assert wrong == []
