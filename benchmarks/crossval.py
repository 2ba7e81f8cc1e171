"""Leave-one-meeting-out cross-validation of the likelihood ranking on the seed minutes.

    python benchmarks/crossval.py [--seeds proposals/seeds] [--gold tests/seeds/gold.yaml] [--items]
    python benchmarks/crossval.py --records DIR      # a council's own record (shingikai record)

For each of the five seed meetings: calibrate the likelihoods (checker/core/likelihood.py) on the
items of the other four meetings, rank the findings of the held-out meeting's items by those
likelihoods, and compare the topics with what the council recorded (tests/seeds/gold.yaml).
With --records, the same over the meetings of a council's record, each fold calibrated on the
record's other meetings with the bundled (seed-derived) figures as the prior.

What this measures, honestly: the rules were written from all five seed meetings, so a held-out
meeting is not new to the rules; only the likelihoods are refitted per fold. These figures measure
the ranking and the calibration of the likelihoods, not how well the rules generalise to a council
they were not written from.

Figures, per fold and overall (micro: summed over items):
  recall@5      share of the council's topics found among the report's first five topics (its
                `topics`: every topic its findings raise, most likely first);
  recall        share of the council's topics found among all findings' topics;
  topics/item   distinct topics the report raises per item;
  recall@8      share of the council's topics among the report's first eight topics;
  base@5, base  the frequent-topics baseline: the five (resp. k, k = the model's topics/item in the
                fold, rounded) topics the training meetings' councils raised most often, the same
                list for every held-out item.
Calibration (reliability table): every topic a held-out report lists, by the band of its figure
(checker/core/likelihood.BANDS): how many, the mean figure, the share the council raised, and the
band's midpoint; the target is the observed share within TOLERANCE of the midpoint. The same for
findings. `above ceiling` counts topics whose figure exceeds the highest rate their findings' records
support plus the prior's weight (likelihood.ceiling).
Targets (printed, never asserted): recall@5 >= 0.6, recall >= 0.9 with at most 8 topics per item (and,
stricter, recall@8), reliability within 0.15 per band, no topic above its ceiling. Also printed: the
calibration slope of the findings (likelihood.fit_slope), which says how much the per-rule rates hold
on a meeting they were not fitted on.
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
from checker.commands.rules.calibrate import (SeedItem, bundled_likelihoods, calibrate_items,  # noqa: E402
                                              load_record_items, load_seed_items, observations)
from checker.core.likelihood import BANDS, BAND_LABELS, SLOPE, band, band_midpoint, ceiling, fit_slope  # noqa: E402
from checker.core.pipeline import check_file  # noqa: E402

TOP = 5
WIDE = 8          # "recall at <= 8 topics per item"
TOLERANCE = 0.15  # reliability target: observed share within this of the band's midpoint


@dataclass
class Reliability:
    """Predicted band vs observed rate: per band, [count, sum of figures, raised]."""

    bands: dict[str, list[float]] = field(default_factory=lambda: {name: [0, 0.0, 0] for name, _ in BANDS})
    pairs: list[tuple[float, bool]] = field(default_factory=list)

    def add(self, figure: float, raised: bool) -> None:
        row = self.bands[band(figure)]
        row[0] += 1
        row[1] += figure
        row[2] += raised
        self.pairs.append((figure, raised))

    def brier(self) -> tuple[float, float] | None:
        """(Brier score of the figures, Brier score of one constant rate: the share raised over all)."""
        if not self.pairs:
            return None
        rate = sum(y for _, y in self.pairs) / len(self.pairs)
        score = sum((p - y) ** 2 for p, y in self.pairs) / len(self.pairs)
        return round(score, 4), round(sum((rate - y) ** 2 for _, y in self.pairs) / len(self.pairs), 4)

    def rows(self) -> list[dict]:
        out = []
        for name, (n, total, raised) in self.bands.items():
            observed = raised / n if n else None
            mid = band_midpoint(name)
            out.append({"band": name, "label": BAND_LABELS[name], "n": int(n),
                        "mean_figure": round(total / n, 3) if n else None,
                        "observed": round(observed, 3) if observed is not None else None, "midpoint": mid,
                        "within": observed is not None and abs(observed - mid) <= TOLERANCE})
        return out


@dataclass
class Score:
    gold: int = 0
    hit5: int = 0
    hit: int = 0
    topics: int = 0
    base5: int = 0
    base: int = 0
    hit8: int = 0
    items: int = 0
    above_ceiling: int = 0
    per_item: list[tuple[str, list[str], set[str]]] = field(default_factory=list)
    topic_reliability: Reliability = field(default_factory=Reliability)
    finding_reliability: Reliability = field(default_factory=Reliability)
    topic_scores: Reliability = field(default_factory=Reliability)   # the same, on the scores before recalibration

    def add(self, other: "Score") -> None:
        for name in ("gold", "hit5", "hit", "hit8", "topics", "base5", "base", "items", "above_ceiling"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.per_item += other.per_item
        for mine, theirs in ((self.topic_reliability, other.topic_reliability),
                             (self.finding_reliability, other.finding_reliability),
                             (self.topic_scores, other.topic_scores)):
            for name, row in theirs.bands.items():
                mine.bands[name] = [a + b for a, b in zip(mine.bands[name], row)]
            mine.pairs += theirs.pairs

    def figures(self) -> dict[str, float]:
        ratio = (lambda a: round(a / self.gold, 3) if self.gold else 1.0)
        return {"items": self.items, "gold_topics": self.gold, "recall@5": ratio(self.hit5), "recall": ratio(self.hit),
                "recall@8": ratio(self.hit8),
                "topics_per_item": round(self.topics / self.items, 2) if self.items else 0.0,
                "base@5": ratio(self.base5), "base": ratio(self.base), "above_ceiling": self.above_ceiling}


def ordered_topics(report) -> list[str]:
    """The report's topics, most likely first (what its opening list of likely questions shows)."""
    return [t.topic for t in report.topics]


def score_report(score: Score, report, item: SeedItem) -> None:
    """Calibration figures of one held-out report: its topics' and findings' figures vs the record."""
    by_rule = {f.rule_id: f for f in report.findings}
    for t in report.topics:
        score.topic_reliability.add(t.likelihood, t.topic in item.topics)
        score.topic_scores.add(t.score, t.topic in item.topics)
        counted = [by_rule[r] for r in t.rules if r in by_rule]
        support = max(ceiling(f.likelihood, f.likelihood_n, f.likelihood_k) for f in counted)
        score.above_ceiling += t.likelihood > support + 0.005
    for f in report.findings:
        score.finding_reliability.add(f.likelihood, bool({f.topic, *f.also_topics} & item.topics))


def frequent_topics(items: list[SeedItem]) -> list[str]:
    counts = Counter(t for item in items for t in item.topics)
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def run(seeds: Path, gold: Path, records: Path | None = None) -> tuple[dict[str, Score], Score, float]:
    engine = load_engine()
    catalogue = engine.catalogue
    if records is None:
        items, prior = load_seed_items(seeds, gold), None
    else:
        items = load_record_items(records, {r.id: r.topics for r in catalogue.rules}, catalogue.topics)
        prior = bundled_likelihoods()
    reports = {item.file: check_file(item.file, engine) for item in items}
    meetings = sorted({item.meeting for item in items})
    folds: dict[str, Score] = {}
    original = catalogue.likelihoods
    try:
        for held in meetings:
            train = [i for i in items if i.meeting != held]
            test = [i for i in items if i.meeting == held]
            # nested: the training meetings' own leave-one-out fits what the reports show
            catalogue.likelihoods = calibrate_items(train, reports, engine, prior)
            frequent = frequent_topics(train)
            score = Score()
            held_reports = {i.file: check_file(i.file, engine) for i in test}
            ranked = {f: ordered_topics(r) for f, r in held_reports.items()}
            k = round(sum(len(t) for t in ranked.values()) / len(test)) if test else 0
            for item in test:
                topics = ranked[item.file]
                score.items += 1
                score.gold += len(item.topics)
                score.hit5 += len(set(topics[:TOP]) & item.topics)
                score.hit += len(set(topics) & item.topics)
                score.hit8 += len(set(topics[:WIDE]) & item.topics)
                score_report(score, held_reports[item.file], item)
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
    by_meeting = [[o for i in items if i.meeting == m for o in observations(reports[i.file], i.topics)]
                  for m in meetings]
    return folds, overall, fit_slope(by_meeting, catalogue.concern_topic)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "proposals" / "seeds")
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "seeds" / "gold.yaml")
    parser.add_argument("--records", type=Path, default=None,
                        help="a folder of a council's record files: leave one of its meetings out")
    parser.add_argument("--items", action="store_true", help="also print each item's first topics and misses")
    args = parser.parse_args(argv)
    folds, overall, slope = run(args.seeds, args.gold, args.records)
    what = f"records in {args.records}" if args.records else "seed minutes (rules written from all of them)"
    print(f"leave-one-meeting-out over {what}")
    header = (f"{'fold (held-out meeting)':28} {'items':>5} {'gold':>5} {'recall@5':>9} {'base@5':>7} {'recall@8':>9} "
              f"{'recall':>7} {'base':>6} {'topics/item':>12}")
    print(header)
    for name, score in [*folds.items(), ("overall", overall)]:
        f = score.figures()
        print(f"{name[:28]:28} {f['items']:>5} {f['gold_topics']:>5} {f['recall@5']:>9.3f} {f['base@5']:>7.3f} "
              f"{f['recall@8']:>9.3f} {f['recall']:>7.3f} {f['base']:>6.3f} {f['topics_per_item']:>12.2f}")
    for title, table in (("topics", overall.topic_reliability), ("findings", overall.finding_reliability),
                         ("topic scores before recalibration (what orders them)", overall.topic_scores)):
        brier = table.brier()
        skill = f"; Brier score {brier[0]:.4f} vs {brier[1]:.4f} for one constant rate" if brier else ""
        print(f"reliability of {title} (cross-validated): band, n, mean figure, observed rate, midpoint, "
              f"within ±{TOLERANCE}{skill}")
        for row in table.rows():
            mean = f"{row['mean_figure']:.3f}" if row["n"] else "-"
            seen = f"{row['observed']:.3f}" if row["n"] else "-"
            verdict = "-" if not row["n"] else ("yes" if row["within"] else "NO")
            print(f"  {row['band']:9} {row['n']:>4} {mean:>6} {seen:>6} {row['midpoint']:>6.3f}  {verdict}")
    f = overall.figures()
    print(f"calibration slope of the findings, leave-one-meeting-out least squares (1 = figures hold, "
          f"0 = no better than the overall rate): {slope:.2f}; the model keeps SLOPE = {SLOPE}")
    wide = f["recall"] >= 0.9 and f["topics_per_item"] <= WIDE
    print(f"targets: recall@5 {f['recall@5']:.3f} (>= 0.6: {'yes' if f['recall@5'] >= 0.6 else 'NO'}), "
          f"recall {f['recall']:.3f} at {f['topics_per_item']:.2f} topics/item (>= 0.9 at <= {WIDE}: "
          f"{'yes' if wide else 'NO'}; the first {WIDE} of every item: {f['recall@8']:.3f}), "
          f"topics above their ceiling {f['above_ceiling']} (0: {'yes' if not f['above_ceiling'] else 'NO'}), "
          "reliability: see the tables")
    if args.records:
        print("note: each fold starts from the bundled figures, fitted on the seed minutes; where the record "
              "holds those meetings (docs/examples/records), the held-out meeting is in the prior.")
    if args.items:
        for name, topics, gold in overall.per_item:
            missed = sorted(gold - set(topics))
            top = ", ".join(t + ("*" if t in gold else "") for t in topics[:TOP])
            print(f"  {name:48} top5: {top}" + (f"  missed: {', '.join(missed)}" if missed else ""))
    print(json.dumps({"folds": {k: v.figures() for k, v in folds.items()}, "overall": overall.figures(),
                      "reliability": {"topics": overall.topic_reliability.rows(),
                                      "findings": overall.finding_reliability.rows(),
                                      "topic_scores": overall.topic_scores.rows()},
                      "brier": {"topics": overall.topic_reliability.brier(),
                                "findings": overall.finding_reliability.brier(),
                                "topic_scores": overall.topic_scores.brier()}}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
