"""What a third-party review states about a specific PIA as computed facts: the threshold judgement
from the head counts, the form and whether its review is mandatory, the dates compared (changes and
their go-live, public comment, review, submission, the five-year re-assessment checkpoint) and each
stage's measures. The draft opinion (reporters/report/draft.py) writes these out; the JSON carries them.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from checker.core.fact_schema import PIA_STAGES
from checker.core.facts import changes_before_review, five_years_after, review_date
from checker.core.findings import PiaChangeSummary, PiaFileSummary, PiaStageSummary, PiaSummary
from checker.core.proposal import LABELS, Proposal

if TYPE_CHECKING:
    from checker.core.catalogue import Catalogue

def required_level(persons: int | None, handlers: int | None, incident: bool | None) -> str | None:
    """The threshold judgement of 指針第5の2: none (under 1,000 persons), basic, focused or full."""
    if persons is None:
        return None
    heavy = (handlers or 0) >= 500 or bool(incident)
    if persons < 1_000:
        return "none"
    if persons < 10_000:
        return "basic"
    if persons < 100_000:
        return "focused" if heavy else "basic"
    if persons < 300_000:
        return "full" if heavy else "focused"
    return "full"


REQUIRED_LABELS = {"none": "評価の実施が義務付けられない", **LABELS["AssessmentLevel"]}


def summarise_pia(p: Proposal, catalogue: "Catalogue") -> PiaSummary | None:
    a = p.pia
    if a is None:
        return None
    m = p.my_number
    handlers = ((m.handlers or 0) + sum(v.handlers or 0 for v in p.vendors)) if m else None
    persons = m.persons if m else None
    if persons is None and a.files and all(f.persons is not None for f in a.files):
        persons = max(f.persons or 0 for f in a.files)
    required = required_level(persons, handlers, m.serious_incident if m else None)
    level = str(getattr(a.level, "value", a.level))
    form = catalogue.forms.get(level)
    pc = a.public_comment
    days = pc.days if pc and pc.days is not None else (
        (pc.end - pc.start).days + 1 if pc and pc.start and pc.end else None)
    early = {id(c) for c in changes_before_review(p)}
    stages = []
    for stage, label in PIA_STAGES.items():
        s = getattr(a.stages, stage)
        if s is not None:
            rating = str(getattr(s.rating, "value", s.rating))
            section, section_label = catalogue.placed(level, catalogue.stage_sections.get(stage, "III"))
            stages.append(PiaStageSummary(stage=stage, label=label, measures=s.measures, rating=rating,
                                          rating_label=LABELS["Rating"].get(rating, rating), reason=s.reason,
                                          section=section, section_label=section_label))
    assessment = str(getattr(a.assessment, "value", a.assessment))
    return PiaSummary(
        work=a.work, body=a.body, department=a.department or p.department, level=level,
        form_label=form.label if form else level, review_mandatory=bool(form and form.review == "mandatory"),
        assessment=assessment, assessment_label=LABELS["AssessmentType"].get(assessment, assessment),
        timing=str(getattr(a.timing, "value", a.timing)), persons=persons, handlers_total=handlers,
        serious_incident=m.serious_incident if m else None, required_level=required,
        required_label=REQUIRED_LABELS.get(required, "") if required else "", changes=a.changes,
        dated_changes=[PiaChangeSummary(what=c.what, go_live=c.go_live, significant=c.significant,
                                        assessed=c.assessed, before_review=id(c) in early) for c in a.dated_changes],
        last_published=a.last_published,
        reassess_by=(five_years_after(a.last_published) - dt.timedelta(days=1)) if a.last_published else None,
        review_dates=sorted(a.review_dates), review_date=review_date(p), submission=a.submission,
        comment_held=(pc.held if pc.held is not None else (True if days is not None else None)) if pc else None,
        comment_start=pc.start if pc else None, comment_end=pc.end if pc else None, comment_days=days,
        comment_shortened_reason=pc.shortened_reason if pc else "", comments=pc.comments if pc else None,
        comments_reflected=pc.reflected if pc else "", withheld=a.withheld, withheld_reason=a.withheld_reason,
        files=[PiaFileSummary(name=f.name or "（名称未記載）", persons=f.persons, flow=f.flow) for f in a.files], stages=stages)
