"""Calibrating likelihoods on recorded council items: which findings did a council actually raise?

The seed proposals (proposals/seeds/) were each written from one agenda item of the seed minutes;
tests/seeds/gold.yaml records, per proposal file, the topics the council raised. Checking every
seed proposal and comparing each finding's topics with the record gives one Observation per
finding, and checker/core/likelihood.py turns the observations into likelihoods.

`shingikai rules calibrate` writes the result to rules/likelihood.yaml; benchmarks/crossval.py
uses the same functions to calibrate on four meetings and measure on the fifth.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import yaml

from checker.core.likelihood import Likelihoods, Observation, calibrate

if TYPE_CHECKING:
    from checker.core.engine import Engine
    from checker.core.findings import Finding, Report

HEADER = """\
# 生成ファイル（手で編集しない）: `shingikai rules calibrate` が会議録の案件から作る。
# 指摘（concern）ごとに、条件が当てはまった種の案件数（fired）と、そのうち審議会がその論点を取り上げた数
# （raised）、そこから見積もった likelihood（取り上げられる見込み、0〜1）。topics は論点ごとの割合で、会議録に
# 同じ条件の案件がない指摘（国の指針によるルール、自治体独自のルール）はその論点の値から始まる。
# 式は checker/core/likelihood.py。
"""


@dataclass(frozen=True)
class SeedItem:
    """One recorded agenda item: its proposal file, the meeting it belongs to and what was raised."""

    file: Path
    meeting: str          # the minutes file (origin.minutes): the unit of cross-validation
    topics: frozenset[str]
    outcome: str
    minutes: int


def load_seed_items(seeds: Path, gold: Path) -> list[SeedItem]:
    """The seed proposals that have a record in the gold file, sorted by file name."""
    record = yaml.safe_load(gold.read_text(encoding="utf-8")) or {}
    items = []
    for path in sorted(seeds.glob("*.yaml")):
        entry = record.get(path.name)
        if entry is None:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        meeting = str((data.get("origin") or {}).get("minutes") or path.name)
        items.append(SeedItem(path, meeting, frozenset(t["topic"] for t in entry.get("topics") or []),
                              str(entry.get("outcome", "")), int(entry.get("minutes_share") or 0)))
    return items


def finding_topics(finding: "Finding") -> list[str]:
    return [finding.topic, *finding.also_topics]


def observations(report: "Report", raised: Iterable[str]) -> list[Observation]:
    """One observation per finding: did the council raise any of the finding's topics?"""
    raised = set(raised)
    return [Observation(f.concern, f.topic, bool(set(finding_topics(f)) & raised)) for f in report.findings]


def check_items(items: list[SeedItem], engine: "Engine") -> dict[Path, "Report"]:
    from checker.core.pipeline import check_file
    return {item.file: check_file(item.file, engine) for item in items}


def calibrate_reports(items: list[SeedItem], reports: dict[Path, "Report"],
                      topic_of: dict[str, str]) -> Likelihoods:
    obs = [o for item in items for o in observations(reports[item.file], item.topics)]
    return calibrate(obs, topic_of)


def render(likelihoods: Likelihoods) -> str:
    body = yaml.safe_dump(likelihoods.as_data(), allow_unicode=True, sort_keys=False, default_flow_style=False)
    return HEADER + body


def calibrated_text(seeds: Path, gold: Path, engine: "Engine") -> str:
    """The content of rules/likelihood.yaml for the catalogue the engine was built from."""
    items = load_seed_items(seeds, gold)
    reports = check_items(items, engine)
    return render(calibrate_reports(items, reports, engine.catalogue.concern_topic))
