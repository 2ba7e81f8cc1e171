"""Leave-one-meeting-out cross-validation of the likelihood ranking on the seed minutes.

    python benchmarks/crossval.py [--seeds proposals/seeds] [--gold tests/seeds/gold.yaml] [--json]

For each of the five seed meetings: calibrate the likelihoods (checker/core/likelihood.py) on the
items of the other four meetings, rank the findings of the held-out meeting's items by those
likelihoods, and compare the topics with what the council recorded (tests/seeds/gold.yaml).

Figures, per fold and overall (micro: summed over items):
  recall@5      share of the council's topics found among the report's first five topics (its
                `topics`: every topic its findings raise, most likely first);
  recall        share of the council's topics found among all findings' topics;
  topics/item   distinct topics the report raises per item;
  base@5, base  the frequent-topics baseline: the five (resp. k, k = the model's topics/item in the
                fold, rounded) topics the training meetings' councils raised most often, the same
                list for every held-out item.
No timing: these are quality figures. The last line printed is one JSON object with every figure.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker import load_engine  # noqa: E402
from checker.commands.rules.calibrate import SeedItem, calibrate_reports, load_seed_items  # noqa: E402
from checker.core.pipeline import check_file  # noqa: E402

TOP = 5


@dataclass
class Score:
    gold: int = 0
    hit5: int = 0
    hit: int = 0
    topics: int = 0
    base5: int = 0
    base: int = 0
    items: int = 0
    per_item: list[tuple[str, list[str], set[str]]] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in ("gold", "hit5", "hit", "topics", "base5", "base", "items"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.per_item += other.per_item

    def figures(self) -> dict[str, float]:
        ratio = (lambda a: round(a / self.gold, 3) if self.gold else 1.0)
        return {"items": self.items, "gold_topics": self.gold, "recall@5": ratio(self.hit5), "recall": ratio(self.hit),
                "topics_per_item": round(self.topics / self.items, 2) if self.items else 0.0,
                "base@5": ratio(self.base5), "base": ratio(self.base)}


def ordered_topics(report) -> list[str]:
    """The report's topics, most likely first (what its opening list of likely questions shows)."""
    return [t.topic for t in report.topics]


def frequent_topics(items: list[SeedItem]) -> list[str]:
    counts = Counter(t for item in items for t in item.topics)
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def run(seeds: Path, gold: Path) -> tuple[dict[str, Score], Score]:
    engine = load_engine()
    catalogue = engine.catalogue
    items = load_seed_items(seeds, gold)
    reports = {item.file: check_file(item.file, engine) for item in items}
    meetings = sorted({item.meeting for item in items})
    folds: dict[str, Score] = {}
    original = catalogue.likelihoods
    try:
        for held in meetings:
            train = [i for i in items if i.meeting != held]
            test = [i for i in items if i.meeting == held]
            catalogue.likelihoods = calibrate_reports(train, reports, catalogue.concern_topic)
            frequent = frequent_topics(train)
            score = Score()
            ranked = {i.file: ordered_topics(check_file(i.file, engine)) for i in test}
            k = round(sum(len(t) for t in ranked.values()) / len(test)) if test else 0
            for item in test:
                topics = ranked[item.file]
                score.items += 1
                score.gold += len(item.topics)
                score.hit5 += len(set(topics[:TOP]) & item.topics)
                score.hit += len(set(topics) & item.topics)
                score.topics += len(topics)
                score.base5 += len(set(frequent[:TOP]) & item.topics)
                score.base += len(set(frequent[:k]) & item.topics)
                score.per_item.append((item.file.name, topics, set(item.topics)))
            folds[held] = score
    finally:
        catalogue.likelihoods = original
    overall = Score()
    for score in folds.values():
        overall.add(score)
    return folds, overall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "proposals" / "seeds")
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "seeds" / "gold.yaml")
    parser.add_argument("--items", action="store_true", help="also print each item's first topics and misses")
    args = parser.parse_args(argv)
    folds, overall = run(args.seeds, args.gold)
    header = f"{'fold (held-out meeting)':28} {'items':>5} {'gold':>5} {'recall@5':>9} {'base@5':>7} {'recall':>7} {'base':>6} {'topics/item':>12}"
    print(header)
    for name, score in [*folds.items(), ("overall", overall)]:
        f = score.figures()
        print(f"{name:28} {f['items']:>5} {f['gold_topics']:>5} {f['recall@5']:>9.3f} {f['base@5']:>7.3f} "
              f"{f['recall']:>7.3f} {f['base']:>6.3f} {f['topics_per_item']:>12.2f}")
    if args.items:
        for name, topics, gold in overall.per_item:
            missed = sorted(gold - set(topics))
            top = ", ".join(t + ("*" if t in gold else "") for t in topics[:TOP])
            print(f"  {name:48} top5: {top}" + (f"  missed: {', '.join(missed)}" if missed else ""))
    print(json.dumps({"folds": {k: v.figures() for k, v in folds.items()}, "overall": overall.figures()},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
