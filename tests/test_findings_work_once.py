"""Work the pipeline does once, or leaves out for an output that does not show it, must not change what is shown."""
from __future__ import annotations

import importlib.util

from checker.commands.lint import Job, lint_one, outline_only
from checker.core.catalogue import load_catalogue
from checker.core.engine import Engine
from checker.core.findings import Finding, TopicChance, _topic_chance, likely_topics
from checker.core.likelihood import Likelihoods, Recalibration
from checker.core.pipeline import check_file

from .conftest import ROOT

PROPOSALS = sorted((ROOT / "proposals").rglob("*.yaml"))
_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
generated = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generated)


def _topics_every_round(findings: list[Finding], labels: dict[str, str], shown: Recalibration) -> list[TopicChance]:
    """likely_topics as first written: every topic figured again in every round of the top places."""
    by_topic: dict[str, list[Finding]] = {}
    for f in findings:
        for t in [f.topic, *f.also_topics]:
            by_topic.setdefault(t, []).append(f)

    def key(t: TopicChance) -> tuple:
        return (-t.likelihood, -t.score, t.rules[0], t.topic)

    top: list[TopicChance] = []
    shown_rules: set[str] = set()
    while len(top) < 5:
        candidates = [_topic_chance(topic, [f for f in fs if f.rule_id not in shown_rules], labels, shown)
                      for topic, fs in by_topic.items()
                      if topic not in {t.topic for t in top} and any(f.rule_id not in shown_rules for f in fs)]
        if not candidates:
            break
        best = min(candidates, key=key)
        top.append(best)
        shown_rules.update(best.rules)
    placed = {t.topic for t in top}
    return top + sorted((_topic_chance(topic, fs, labels, shown) for topic, fs in by_topic.items()
                         if topic not in placed), key=key)


def test_topics_figured_again_only_when_they_change_are_the_same(engine, catalogue):
    compared = 0
    for path in PROPOSALS:
        report = check_file(path, engine)
        shown = catalogue.likelihoods.shown
        assert report.topics == _topics_every_round(report.findings, catalogue.topics, shown), path.name
        assert likely_topics(report.findings, catalogue.topics, shown) == report.topics
        compared += len(report.topics) > 5
    assert compared > 10, "the bundled proposals should raise more than five topics often"


def test_a_finding_follows_figures_swapped_in_after_its_rules_were_seen():
    """Calibrating for a council swaps catalogue.likelihoods in place (rules calibrate): what findings
    take from their rules must then come from the new figures, not from those remembered before."""
    path = ROOT / "proposals" / "examples" / "child-consultation-migration.yaml"
    catalogue = load_catalogue()
    engine = Engine(catalogue)
    before = check_file(path, engine).as_records()
    original = catalogue.likelihoods
    catalogue.likelihoods = Likelihoods(overall=0.07)
    try:
        swapped = check_file(path, engine).as_records()
    finally:
        catalogue.likelihoods = original
    fresh = load_catalogue()
    fresh.likelihoods = Likelihoods(overall=0.07)
    assert swapped == check_file(path, Engine(fresh)).as_records()
    assert swapped["findings"] != before["findings"]
    assert {f["likelihood_n"] for f in swapped["findings"]} == {0}
    assert check_file(path, engine).as_records() == before


def test_lint_text_from_outline_reports_is_the_text_from_full_reports(engine, tmp_path):
    """`shingikai lint` (text) builds outline reports: every line must be what the full report gives,
    for findings, accepted risks (bundled examples have them), places and placeholders."""
    from checker.reporters.lint import github, json, text
    assert outline_only(Job(parts=(text.part,)))
    assert not outline_only(Job(parts=(text.part, github.part))) and not outline_only(Job(parts=(json.part,)))
    paths = [*PROPOSALS, *generated.generate(60, tmp_path / "generated", seed=3)]
    lines = 0
    for path in paths:
        full, outline = lint_one(str(path), engine), lint_one(str(path), engine, outline=True, keyed=False)
        assert text.part(outline) == text.part(full), path.name
        assert outline.report is not None and outline.report.topics == [] and outline.report.assessment is None
        lines += text.part(full).count("\n")
    assert lines > 1000
