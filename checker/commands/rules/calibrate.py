"""Calibrating likelihoods on recorded council items: which findings did a council actually raise?

The seed proposals (proposals/seeds/) were each written from one agenda item of the seed minutes;
tests/seeds/gold.yaml records, per proposal file, the topics the council raised. Checking every
seed proposal and comparing each finding's topics with the record gives one Observation per
finding, and checker/core/likelihood.py turns the observations into likelihoods.

`shingikai rules calibrate` writes the result to rules/likelihood.yaml; benchmarks/crossval.py
uses the same functions to calibrate on four meetings and measure on the fifth.

A council's own record (checker/core/record.py, `shingikai record`) is read into the same items:
`rules calibrate --records DIR` fits that council's likelihoods with the bundled figures as the
prior, and its outcome and minutes figures (checker/core/outcome.fit), into a calibration file of
its own that a --rules folder carries (never into the bundled rules/likelihood.yaml).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import yaml

from checker.core.catalogue import bundled_rules_dir
from checker.core.likelihood import (SLOPE, CalibratedOn, Likelihoods, Observation, Recalibration, calibrate,
                                     fit_recalibration)

MIN_MEETINGS = 3   # to recalibrate: hold one meeting out and still fit on two
from checker.core.record import load_record, record_files

if TYPE_CHECKING:
    from checker.core.engine import Engine
    from checker.core.outcome import OutcomeModel
    from checker.core.findings import Finding, Report

COUNCIL_HEADER = """\
# 生成ファイル（手で編集しない）: `shingikai rules calibrate --records` が審議会の記録から作る、この審議会向けの
# 「問われる見込み」（likelihood）と審議結果・審議時間の数値（outcome）。同梱の数値（rules/likelihood.yaml）を
# 事前の値とし、記録の件数が増えるほど記録に寄る。--rules に指定するフォルダに calibration.yaml として置く。
"""
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
    council: str = ""


def seed_entries(seeds: Path, gold: Path) -> Iterator[tuple[Path, dict, dict, str]]:
    """(proposal file, its data, its gold entry, its minutes file) for each seed proposal the gold
    file records, sorted by file name."""
    record = yaml.safe_load(gold.read_text(encoding="utf-8")) or {}
    for path in sorted(seeds.glob("*.yaml")):
        entry = record.get(path.name)
        if entry is None:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        yield path, data, entry, str((data.get("origin") or {}).get("minutes") or path.name)


def load_seed_items(seeds: Path, gold: Path) -> list[SeedItem]:
    """The seed proposals that have a record in the gold file, sorted by file name."""
    return [SeedItem(path, meeting, frozenset(t["topic"] for t in entry.get("topics") or []),
                     str(entry.get("outcome", "")), int(entry.get("minutes_share") or 0),
                     str(data.get("municipality") or ""))
            for path, data, entry, meeting in seed_entries(seeds, gold)]


def load_record_items(folder: Path, rule_topics: dict[str, list[str]], topics: dict[str, str]) -> list[SeedItem]:
    """The items of every record file in a folder, as calibration items: the topics raised are the
    topics named, the topics of the rules named, and the topics of the questions no finding predicted.

    `rule_topics` maps rule ids to their topics. Proposal paths are relative to their record file.
    """
    from checker.core.errors import InputError, Problem
    items = []
    for path in record_files(folder):
        record = load_record(path)
        for meeting in record.meetings:
            for item in meeting.items:
                named = set()
                for code in item.raised:
                    if code not in rule_topics and code not in topics:
                        raise InputError(str(path), [Problem(
                            f"{meeting.meeting} の {item.proposal}: 「{code}」はルール ID でも論点コードでもありません。",
                            "ルール ID か論点コードに直してください。")])
                    named.update(rule_topics.get(code, [code]))
                named.update(q.topic for q in item.unpredicted)
                judged = item.judged_outcome()
                items.append(SeedItem((path.parent / item.proposal).resolve(), f"{record.council} {meeting.meeting}",
                                      frozenset(named), judged or "", item.minutes or 0, record.council))
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


SEED_NAME = "種の会議録（志木市・杉並区・吹田市）"


def seed_basis(items: list[SeedItem]) -> CalibratedOn:
    return CalibratedOn(SEED_NAME, len(items), len({item.meeting for item in items}),
                        len({item.council for item in items}))


def bundled_likelihoods() -> Likelihoods:
    """The seed-derived figures shipped with the rules: the prior of every council's calibration."""
    return Likelihoods.from_data(yaml.safe_load((bundled_rules_dir() / "likelihood.yaml").read_text(encoding="utf-8")))


def record_basis(items: list[SeedItem], prior: Likelihoods) -> CalibratedOn:
    councils = sorted({item.council for item in items})
    return CalibratedOn(f"{'・'.join(councils)}の記録", len(items), len({item.meeting for item in items}),
                        len(councils), prior=prior.calibrated_on.name)


def calibrate_reports(items: list[SeedItem], reports: dict[Path, "Report"],
                      topic_of: dict[str, str], prior: Likelihoods | None = None) -> Likelihoods:
    obs = [o for item in items for o in observations(reports[item.file], item.topics)]
    if prior is None:
        return calibrate(obs, topic_of, calibrated_on=seed_basis(items), slope=SLOPE)
    return calibrate(obs, topic_of, prior=prior, source="記録", calibrated_on=record_basis(items, prior))


def out_of_fold(items: list[SeedItem], reports: dict[Path, "Report"], engine: "Engine",
                prior: Likelihoods | None = None) -> dict[str, list[tuple[float, bool]]]:
    """Each meeting's topics as (score, raised) pairs, scored by figures fitted without that meeting.

    The findings do not depend on the figures, so `reports` (checked once) gives the observations
    each fold is calibrated on; the held-out items are checked again with that fold's figures.
    """
    from checker.core.pipeline import check_file
    catalogue = engine.catalogue
    pairs: dict[str, list[tuple[float, bool]]] = {}
    original = catalogue.likelihoods
    try:
        for held in sorted({item.meeting for item in items}):
            train = [i for i in items if i.meeting != held]
            catalogue.likelihoods = calibrate_reports(train, reports, catalogue.concern_topic, prior)
            for item in (i for i in items if i.meeting == held):
                report = check_file(item.file, engine)
                pairs.setdefault(held, []).extend((t.score, t.topic in item.topics) for t in report.topics)
    finally:
        catalogue.likelihoods = original
    return pairs


def calibrate_items(items: list[SeedItem], reports: dict[Path, "Report"], engine: "Engine",
                    prior: Likelihoods | None = None) -> Likelihoods:
    """The figures fitted on every item, and what reports show: the topics' scores recalibrated on
    their out-of-fold predictions (leave one meeting out; a finding is shown on the same scale, as
    the chance that its topic is raised). With fewer than MIN_MEETINGS meetings a held-out meeting
    would be judged by figures fitted on one other: nothing is recalibrated, the scores are shown
    as they are and the reports' calibration line says so."""
    fitted = calibrate_reports(items, reports, engine.catalogue.concern_topic, prior)
    if len({item.meeting for item in items}) < MIN_MEETINGS:
        return replace(fitted, shown=Recalibration())
    return replace(fitted, shown=fit_recalibration(out_of_fold(items, reports, engine, prior)))


def render(likelihoods: Likelihoods) -> str:
    body = yaml.safe_dump(likelihoods.as_data(), allow_unicode=True, sort_keys=False, default_flow_style=False)
    return HEADER + body


def calibrated_text(seeds: Path, gold: Path, engine: "Engine") -> str:
    """The content of rules/likelihood.yaml for the catalogue the engine was built from."""
    items = load_seed_items(seeds, gold)
    reports = check_items(items, engine)
    return render(calibrate_items(items, reports, engine))


def council_calibration(items: list[SeedItem], engine: "Engine") -> tuple[Likelihoods, "OutcomeModel"]:
    """A council's likelihoods (bundled figures as the prior) and its outcome and minutes figures."""
    from checker.core.outcome import OutcomeModel, RecordedItem, fit
    from checker.core.pipeline import check_file
    catalogue = engine.catalogue
    prior = bundled_likelihoods()
    reports = check_items(items, engine)
    likelihoods = calibrate_items(items, reports, engine, prior)
    original = catalogue.likelihoods
    try:   # the minutes model counts expected topics with the council's own likelihoods
        catalogue.likelihoods = likelihoods
        rechecked = {item.file: check_file(item.file, engine) for item in items}
    finally:
        catalogue.likelihoods = original
    recorded = [RecordedItem(rechecked[i.file].findings, rechecked[i.file].proposal.procedure, i.outcome or None,
                             i.minutes or None) for i in items]
    return likelihoods, fit(recorded, OutcomeModel())


def council_calibration_text(records: Path, engine: "Engine") -> str:
    """The content of a council's calibration file, from the record files in `records`."""
    catalogue = engine.catalogue
    items = load_record_items(records, {r.id: r.topics for r in catalogue.rules}, catalogue.topics)
    likelihoods, outcome = council_calibration(items, engine)
    body = yaml.safe_dump({**likelihoods.as_data(), "outcome": outcome.as_data()}, allow_unicode=True,
                          sort_keys=False, default_flow_style=False)
    return COUNCIL_HEADER + body
