"""Seed coverage: does the rule base anticipate what the five councils actually asked?

Every proposal in proposals/seeds/ was rewritten from one agenda item of the seed minutes
(only from what the department explained). tests/seeds/gold.yaml lists, per proposal, the
topics the council really raised. For each item we measure:

- recall: share of gold topics that some finding covers (finding.topic or also_topics,
  whatever its status: a declared safeguard still means the question was anticipated);
- noise: number of distinct topics the report raises (a checklist that flags everything
  helps nobody).

The table is printed on the terminal (also without -s) so CI logs show the figures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

import checker
from checker.core.pipeline import check_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "proposals" / "seeds"
GOLD = ROOT / "tests" / "seeds" / "gold.yaml"
TOPICS = ROOT / "rules" / "topics.yaml"

MIN_RECALL = 0.95
MAX_TOPICS_PER_ITEM = 8.0
OUTCOMES = {"approved", "approved_with_conditions", "deferred", "noted"}
DEFERRAL_REASONS = {"time", "material"}


def _gold() -> dict[str, dict]:
    return yaml.safe_load(GOLD.read_text(encoding="utf-8")) or {}


def _seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.yaml"))


@dataclass
class ItemResult:
    name: str
    gold: list[str]
    raised: set[str] = field(default_factory=set)
    error: str = ""

    @property
    def covered(self) -> list[str]:
        return [t for t in self.gold if t in self.raised]

    @property
    def missed(self) -> list[str]:
        return [t for t in self.gold if t not in self.raised]

    @property
    def recall(self) -> float | None:
        return len(self.covered) / len(self.gold) if self.gold else None


@pytest.fixture(scope="module")
def results() -> list[ItemResult]:
    engine = checker.load_engine()  # compile the rule base once for all seeds
    gold = _gold()
    out: list[ItemResult] = []
    for path in _seed_files():
        entry = gold.get(path.name) or {}
        item = ItemResult(path.name, [t["topic"] for t in entry.get("topics") or []])
        try:
            report = check_file(path, engine)
        except Exception as exc:  # reported by test_every_seed_proposal_loads
            item.error = f"{type(exc).__name__}: {exc}"
        else:
            for finding in report.findings:
                item.raised.add(finding.topic)
                item.raised.update(finding.also_topics)
        out.append(item)
    return out


def _table(results: list[ItemResult]) -> tuple[str, float, float]:
    lines = [f"{'seed proposal':48} {'gold':>4} {'hit':>4} {'recall':>7} {'topics':>6}  missed"]
    for r in results:
        recall = "-" if r.recall is None else f"{r.recall:.2f}"
        missed = ", ".join(r.missed) if not r.error else f"ERROR {r.error[:60]}"
        lines.append(f"{r.name:48} {len(r.gold):>4} {len(r.covered):>4} {recall:>7} {len(r.raised):>6}  {missed}")
    total_gold = sum(len(r.gold) for r in results)
    total_hit = sum(len(r.covered) for r in results)
    overall = total_hit / total_gold if total_gold else 1.0
    scored = [r.recall for r in results if r.recall is not None]
    macro = sum(scored) / len(scored) if scored else 1.0
    noise = sum(len(r.raised) for r in results) / len(results) if results else 0.0
    quiet = [r for r in results if not r.gold]
    quiet_noise = sum(len(r.raised) for r in quiet) / len(quiet) if quiet else 0.0
    lines.append("-" * 100)
    lines.append(f"overall recall (micro) {total_hit}/{total_gold} = {overall:.3f}   "
                 f"macro recall = {macro:.3f}   (required >= {MIN_RECALL})")
    by_topic: dict[str, int] = {}
    for r in results:
        for t in r.missed:
            by_topic[t] = by_topic.get(t, 0) + 1
    misses = ", ".join(f"{t} {n}" for t, n in sorted(by_topic.items(), key=lambda kv: (-kv[1], kv[0])))
    lines.append(f"missed gold topics by code: {misses or 'none'}")
    lines.append(f"noise: average distinct topics per item = {noise:.2f} over {len(results)} items "
                 f"(required <= {MAX_TOPICS_PER_ITEM}); items with no council questions: "
                 f"{len(quiet)}, average topics raised there = {quiet_noise:.2f}")
    return "\n".join(lines), overall, noise


def test_gold_keys_match_seed_proposals() -> None:
    gold = set(_gold())
    files = {p.name for p in _seed_files()}
    assert files, "proposals/seeds/ に案件ファイルがありません"
    assert sorted(files - gold) == [], "gold.yaml に正解のない案件ファイル"
    assert sorted(gold - files) == [], "案件ファイルのない gold.yaml のキー"


def test_gold_entries_are_well_formed() -> None:
    codes = set((yaml.safe_load(TOPICS.read_text(encoding="utf-8")) or {}).get("topics") or {})
    problems = []
    for name, entry in _gold().items():
        if entry.get("outcome") not in OUTCOMES:
            problems.append(f"{name}: outcome {entry.get('outcome')!r}")
        if (entry.get("outcome") == "deferred") != ("deferral_reason" in entry):
            problems.append(f"{name}: deferral_reason must be given exactly for deferred items")
        if "deferral_reason" in entry and entry["deferral_reason"] not in DEFERRAL_REASONS:
            problems.append(f"{name}: deferral_reason {entry['deferral_reason']!r}")
        if not isinstance(entry.get("minutes_share"), int) or entry["minutes_share"] < 0:
            problems.append(f"{name}: minutes_share must be a non-negative integer")
        seen = set()
        for t in entry.get("topics") or []:
            if t.get("topic") not in codes:
                problems.append(f"{name}: unknown topic {t.get('topic')!r}")
            if t.get("topic") in seen:
                problems.append(f"{name}: topic {t.get('topic')} listed twice")
            seen.add(t.get("topic"))
            if not str(t.get("question", "")).strip():
                problems.append(f"{name}: topic {t.get('topic')} has no question")
    assert problems == []


def test_every_seed_proposal_loads(results: list[ItemResult]) -> None:
    assert [f"{r.name}: {r.error}" for r in results if r.error] == []


def test_seed_coverage(results: list[ItemResult], capsys: pytest.CaptureFixture[str]) -> None:
    table, overall, noise = _table(results)
    with capsys.disabled():
        print("\n" + table)
    assert overall >= MIN_RECALL, f"seed recall {overall:.3f} < {MIN_RECALL}"
    assert noise <= MAX_TOPICS_PER_ITEM, f"{noise:.2f} topics per item > {MAX_TOPICS_PER_ITEM}"
