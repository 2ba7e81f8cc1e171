"""Proposal file in, Report out: load, cross-check against the catalogue, facts, engine, findings."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from checker.core.catalogue import PLACEHOLDER, Catalogue, Rule
from checker.core.council import screen as council_screen
from checker.core.engine import COUNCIL_UNIT, SAFEGUARD_UNIT, Engine, Match
from checker.core.errors import InputError, Problem
from checker.core.fact_schema import ENUM_FIELDS
from checker.core.facts import build_facts
from checker.core import placeholders
from checker.core.findings import (SEVERITY_ORDER, Acceptance, Finding, Location, PlaceholderRef, PrecedentRef,
                                   ProposalSummary, Report, SafeguardCheck, Trigger, likely_topics, lower, sort_findings,
                                   summarise)
from checker.core.likelihood import basis as likelihood_basis
from checker.core.likelihood import ceiling, describe
from checker.core.loading import parse_yaml
from checker.core.native_limits import MAX_FACTS, MAX_MATCHES
from checker.core.outcome import assess
from checker.core.pia_summary import summarise_pia
from checker.core.proposal import Proposal, label
from checker.core.regime import choose, minutes_regime
from checker.core.validation import LoadedProposal, cross_check, dotted, load_proposal, validate

# Facts that say nothing about *where* a finding is: a finding resting only on them is about
# something the proposal leaves out, so it points at the top of the file.
_VAGUE_FACTS = {"kind", "proposal", "safeguard", "coverage", "regime"}


def _path_tuple(at: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in at.split(".")) if at else ()


def _display(field: str, value: Any) -> str:
    if isinstance(value, bool):
        return "あり" if value else "なし"
    if field in ENUM_FIELDS and isinstance(value, str):
        return label(ENUM_FIELDS[field], value)
    return str(value)


@lru_cache(maxsize=1024)
def _because_parts(template: str) -> tuple[tuple[str, str, str], ...]:
    """A `because` template split once into (literal text, alias, field) pieces."""
    parts, start = [], 0
    for m in PLACEHOLDER.finditer(template):
        parts.append((template[start:m.start()], m.group(1), m.group(2)))
        start = m.end()
    parts.append((template[start:], "", ""))
    return tuple(parts)


def render_because(rule: Rule, matches: list[Match], locate: "_Locator") -> str:
    """Fill {alias.field} placeholders with the matched values (several matches joined by 、)."""
    return render_template(rule.because, matches, locate)


def render_template(template: str, matches: list[Match], locate: "_Locator") -> str:
    """A rule text (`because`, `opinion`) with its {alias.field} placeholders filled in. Several values
    are listed as the file states them (durable's order of matches is not ours to rely on)."""
    out = []
    for literal, alias, field in _because_parts(template):
        out.append(literal)
        if not alias:
            continue
        values: dict[str, tuple[int, int]] = {}  # text -> where it is first stated
        for match in matches:
            fact = match.facts.get(alias)
            if fact is not None and field in fact:
                text = _display(field, fact[field])
                loc = locate(str(fact.get("at") or ""))
                if text not in values or (loc.line, loc.column) < values[text]:
                    values[text] = (loc.line, loc.column)
        ordered = sorted(values, key=lambda text: (values[text], text))
        out.append("、".join(ordered) if ordered else "（記載なし）")
    return "".join(out).strip()


def first_statement(matches: list[Match], locate: "_Locator") -> str:
    """Where a safeguard's condition holds first in the file: the earliest stated fact it matched."""
    places = {str(f["at"]) for m in matches for f in m.facts.values() if f.get("at")}
    if not places:
        return ""
    return min(places, key=lambda at: (locate(at).line, locate(at).column, at))


class _Locator:
    """Positions of the paths facts come from, resolved once per proposal."""

    def __init__(self, loaded: LoadedProposal):
        self.yaml = loaded.yaml
        self.cache: dict[str, Location] = {}

    def __call__(self, at: str) -> Location:
        loc = self.cache.get(at)
        if loc is None:
            path = _path_tuple(at)
            pos = self.yaml.position(path) if path else self.yaml.values.get(())
            line, column = (pos.line, pos.column) if pos else (1, 1)
            loc = self.cache[at] = Location.model_construct(path=dotted(path), line=line, column=column)
        return loc


def _locations(order: tuple[str, ...], matches: list[Match], locate: _Locator) -> list[Location]:
    paths: list[str] = []
    for match in matches:
        at = ""
        for name in order:
            fact = match.facts.get(name)
            if fact is not None and fact.get("t") not in _VAGUE_FACTS and fact.get("at"):
                at = str(fact["at"])
                break
        if at not in paths:
            paths.append(at)
    return sorted((locate(at) for at in paths), key=lambda loc: (loc.line, loc.column, loc.path))


# Findings of the same rule repeat the same safeguards and precedents in every file: the models
# are frozen, so one object per distinct value is shared (a third less memory per Report when
# `lint` holds thousands of them, and fewer validations).
@lru_cache(maxsize=4096)
def _safeguard_check(sid: str, text: str, write: str, declared: bool, stated_in: str = "") -> SafeguardCheck:
    return SafeguardCheck(id=sid, text=text, write=write, declared=declared, stated_in=stated_in)


@lru_cache(maxsize=4096)
def _precedent(source: str, item: str, note: str, title: str, url: str, kind: str, edition: str,
               regime: str) -> PrecedentRef:
    return PrecedentRef(source=source, item=item, note=note, title=title, url=url, kind=kind, edition=edition,
                        regime=regime)


def _source_of(catalogue: Catalogue, key: str) -> tuple[str, str, str, str, str]:
    """Title, url, kind, edition and — for minutes — the regime the meeting was held under."""
    source = catalogue.sources.get(key)
    if source is None:
        return ("", "", "", "", "")
    return (source.title, source.url, source.kind, source.edition, minutes_regime(source.date))


def _unique(items: list[Any]) -> list[Any]:
    """Items in first-seen order without repeats, in linear time: the models are frozen, so they hash
    by value (comparing pydantic models pairwise was 71k __eq__ calls over 500 files)."""
    return list(dict.fromkeys(items))


class _RuleParts(NamedTuple):
    """What a finding takes from the rules that held alone, whatever the file (see _rule_parts)."""

    likelihoods: Any                # the figures these were worked out with (calibration swaps them)
    safeguard_ids: tuple[str, ...]
    also_topics: tuple[str, ...]
    questions: tuple[str, ...]
    precedents: tuple[PrecedentRef, ...]
    deferral: bool
    likelihood: float
    score: float
    likelihood_n: int
    likelihood_k: int
    likelihood_label: str
    likelihood_basis: str
    topic_label: str
    review_point: str


def _rule_parts(rules: list[Rule], catalogue: Catalogue) -> _RuleParts:
    """The parts of a finding that depend only on its rules (lead first), worked out once per set of
    rules and catalogue figures: the same few sets recur in every file of a folder."""
    key = tuple(rule.id for rule in rules)
    parts = catalogue.finding_parts.get(key)
    if parts is not None and parts.likelihoods is catalogue.likelihoods:
        return parts
    lead = rules[0]
    estimate = catalogue.likelihoods.of(lead.concern_key, lead.topic)
    # the score orders the findings; the report shows it recalibrated, never above its record's ceiling
    shown = min(catalogue.likelihoods.shown(estimate.likelihood),
                ceiling(estimate.likelihood, estimate.fired, estimate.raised))
    guidance_only = not any(_source_of(catalogue, x.source)[2] == "minutes" for rule in rules for x in rule.precedents)
    parts = catalogue.finding_parts[key] = _RuleParts(
        likelihoods=catalogue.likelihoods,
        safeguard_ids=tuple(_unique([sid for rule in rules for sid in rule.safeguards])),
        also_topics=tuple(_unique([t for rule in rules for t in rule.topics if t != lead.topic])),
        questions=tuple(_unique([q for rule in rules for q in rule.questions])),
        precedents=tuple(_unique([_precedent(x.source, x.item, x.note, *_source_of(catalogue, x.source))
                                  for rule in rules for x in rule.precedents])),
        deferral=any(rule.deferral for rule in rules),
        likelihood=float(shown), score=float(estimate.likelihood),
        likelihood_n=int(estimate.fired), likelihood_k=int(estimate.raised),
        likelihood_label=describe(shown, estimate.fired, estimate.raised, estimate.source, guidance_only),
        likelihood_basis=likelihood_basis(estimate, guidance_only),
        topic_label=catalogue.topics[lead.topic], review_point=catalogue.review_point(lead))
    return parts


def build_finding(rules: list[tuple[Rule, list[Match]]], loaded: LoadedProposal, catalogue: Catalogue,
                  today: dt.date, locate: _Locator | None = None,
                  stated: dict[str, str] | None = None, outline: bool = False) -> Finding:
    """One finding for one concern: every rule of it that held becomes a trigger.

    `stated` maps the safeguards the proposal's own fields satisfy to where they are stated.
    `outline`: the `because` and `opinion` texts are left empty (see check_loaded).
    """
    locate = locate or _Locator(loaded)
    stated = stated or {}
    rules = sorted(rules, key=lambda rm: (-SEVERITY_ORDER[rm[0].severity], rm[0].id))
    lead = rules[0][0]
    fixed = _rule_parts([rule for rule, _ in rules], catalogue)
    p = loaded.proposal
    listed = set(p.safeguards)
    # model_construct: every value below comes from validated rules and proposals with its final type,
    # so validating each finding again cost ~5% of a check (the JSON output is the same).
    triggers = [Trigger.model_construct(rule_id=rule.id, title=rule.title, severity=rule.severity,
                        because="" if outline else render_because(rule, matches, locate),
                        locations=_locations(catalogue.located_patterns[rule.id], matches, locate),
                        topic=rule.topic, question=rule.questions[0])
                for rule, matches in rules]
    checks = [_safeguard_check(sid, catalogue.safeguards[sid].text, catalogue.safeguards[sid].write,
                               sid in listed or sid in stated, "" if sid in listed else stated.get(sid, ""))
              for sid in fixed.safeguard_ids]
    done = sum(c.declared for c in checks)
    status = "covered" if done == len(checks) else "open"
    # Half or more of the expected measures in place lowers the severity one level; one measure of
    # four (say, a network diagram beside an open bridge into the My Number segment) does not.
    residual = lower(lead.severity) if len(checks) <= 2 * done < 2 * len(checks) else lead.severity
    acceptance, note = None, ""
    ids = [rule.id for rule, _ in rules]
    risk = next((r for r in p.accepted_risks if r.rule in ids), None)
    if risk is not None and status == "open":
        expired = risk.until is not None and risk.until < today
        acceptance = Acceptance(reason=risk.reason, approved_by=risk.approved_by, until=risk.until, expired=expired)
        if expired:
            note = f"リスク受容の期限（{risk.until.isoformat()}）を過ぎたため、再び未対応として扱います。"
        else:
            status = "accepted"
    locations = sorted(_unique([loc for t in triggers for loc in t.locations]),
                       key=lambda loc: (loc.line, loc.column, loc.path))
    # Filed under the form being reviewed (基礎項目・重点項目・全項目評価書), from the full form's section.
    section, section_label = catalogue.placed(p.pia.level if p.pia else "full",
                                              catalogue.form_section_of(lead, [loc.path for loc in triggers[0].locations]),
                                              lead.concern_key)
    return Finding.model_construct(
        rule_id=lead.id, concern=lead.concern_key, rules=ids, title=lead.title, topic=lead.topic,
        topic_label=fixed.topic_label, also_topics=list(fixed.also_topics),
        severity=lead.severity, residual_severity=residual, status=status, deferral=fixed.deferral,
        likelihood=fixed.likelihood, score=fixed.score, likelihood_n=fixed.likelihood_n,
        likelihood_k=fixed.likelihood_k, likelihood_label=fixed.likelihood_label,
        likelihood_basis=fixed.likelihood_basis,
        because=triggers[0].because, triggers=triggers,
        questions=list(fixed.questions), safeguards=checks, precedents=list(fixed.precedents),
        locations=locations, acceptance=acceptance, note=note,
        form_section=section, form_section_label=section_label, review_point=fixed.review_point,
        opinion="" if outline else next((render_template(rule.opinion, matches, locate) for rule, matches in rules
                                         if rule.opinion), ""))


def origin_of(p: Proposal, catalogue: Catalogue) -> dict[str, str] | None:
    """Where a re-encoded seed item comes from, with the citation a reader looks up (never a file name)."""
    if not p.origin:
        return None
    source = catalogue.sources.get(p.origin.minutes)
    title = source.title if source else p.origin.minutes
    item = p.origin.item if p.origin.item.startswith(("諮問", "報告", "議題")) else f"議題{p.origin.item}"
    return {**p.origin.model_dump(), "citation": f"{title} {item}"}


def summarise_proposal(loaded: LoadedProposal, catalogue: Catalogue) -> ProposalSummary:
    p: Proposal = loaded.proposal
    regime = choose(p)
    return ProposalSummary(
        regime=regime.regime, regime_label=regime.label, regime_reason=regime.reason,
        file=loaded.path, id=p.id, title=p.title, municipality=p.municipality, department=p.department,
        meeting_date=p.meeting_date, procedure=p.procedure, procedure_label=label("Procedure", p.procedure),
        kinds=list(p.kinds), kind_labels=[label("Kind", k) for k in p.kinds], purpose=p.purpose,
        business=p.business, subjects=[s.name + (f"（約{s.count:,}人）" if s.count else "") for s in p.subjects],
        vendors=[v.name or "（名称未記載）" for v in p.vendors], data_item_count=len(p.data_items),
        declared_safeguards=list(p.safeguards),
        origin=origin_of(p, catalogue),
        pia=summarise_pia(p, catalogue))


def placeholder_refs(loaded: LoadedProposal) -> list[PlaceholderRef]:
    """Every placeholder value of the file with its position and what it means."""
    out = []
    for found in placeholders.find(loaded.yaml.data):
        pos = loaded.yaml.values.get(found.path) or loaded.yaml.position(found.path)
        where = dotted(found.path)
        if found.path[:1] == ("not_applicable",):
            message = (f"{where} の理由「{found.value}」は仮の記載のため、当てはまらない理由として受け付けません"
                       "（記載なしとして点検しました）。当てはまらない理由を具体的に書いてください。")
        else:
            message = (f"{where} の「{found.value}」は仮の記載のため、記載なしとして点検しました。"
                       "決まった内容を書くか、決まっていないことを具体的に書いてください（例: 委託先は6月の入札で決める）。")
        out.append(PlaceholderRef(path=where, line=pos.line, column=pos.column, value=found.value, message=message))
    return out


def _check_size(loaded: LoadedProposal, engine: Engine, facts: list[dict[str, Any]]) -> None:
    """A proposal within what durable can hold (native_limits.py): an input error, not a crash or a swap storm."""
    matches = engine.most_matches(facts) if len(facts) <= MAX_FACTS else 0
    if len(facts) > MAX_FACTS or matches > MAX_MATCHES:
        what = (f"項目から作られる事実が {len(facts):,} 件、上限 {MAX_FACTS:,} 件" if len(facts) > MAX_FACTS
                else f"ルールが照らし合わせる記載の組合せが最大 {matches:,} 通り、上限 {MAX_MATCHES:,} 通り")
        raise InputError(loaded.path, [Problem(
            f"案件の記載が多すぎて点検できません（{what}）。",
            "データ項目・委託先・移送などの一覧が極端に長くないか確かめ、案件を分けてください。")])


def check_loaded(loaded: LoadedProposal, engine: Engine, today: dt.date | None = None,
                 outline: bool = False) -> Report:
    """Evaluate an already loaded proposal.

    `outline`: a report for an output that shows each finding's title, status, chance and places
    only (`shingikai lint`'s text): the `because` and `opinion` texts stay empty and the topics,
    predicted outcome and council screening are left out, which is a tenth of a check.
    """
    catalogue = engine.catalogue
    cross_check(loaded, catalogue)
    facts = build_facts(loaded.proposal, catalogue.vocabulary, catalogue.areas)
    _check_size(loaded, engine, facts)
    by_unit: dict[str, list[Match]] = {}
    for match in engine.evaluate(facts):
        by_unit.setdefault(match.rule_id, []).append(match)
    by_concern: dict[str, dict[str, list[Match]]] = {}
    stated: dict[str, str] = {}
    grounds: set[str] = set()
    locate = _Locator(loaded)
    for unit, matches in by_unit.items():
        if unit.startswith(COUNCIL_UNIT):
            grounds.add(unit[len(COUNCIL_UNIT):])
        elif unit.startswith(SAFEGUARD_UNIT):
            stated[unit[len(SAFEGUARD_UNIT):]] = dotted(_path_tuple(first_statement(matches, locate)))
        else:
            rule = catalogue.by_id[unit]
            by_concern.setdefault(rule.concern_key, {})[rule.id] = matches
    today = today or dt.date.today()
    findings = [build_finding([(catalogue.by_id[rid], ms) for rid, ms in members.items()],
                              loaded, catalogue, today, locate, stated, outline)
                for members in by_concern.values()]
    findings = sort_findings(findings)
    proposal = summarise_proposal(loaded, catalogue)
    regime = choose(loaded.proposal)
    notices = list(loaded.notices) + ([regime.notice] if regime.notice else [])
    if outline:
        return Report(proposal=proposal, findings=findings, summary=summarise(findings), notices=notices,
                      placeholders=placeholder_refs(loaded), calibration=catalogue.likelihoods.line())
    council = council_screen(loaded.proposal, regime.regime,
                             [c for c in catalogue.council_criteria if c in grounds], catalogue)
    return Report(proposal=proposal, findings=findings, summary=summarise(findings),
                  notices=notices, placeholders=placeholder_refs(loaded),
                  assessment=assess(findings, proposal, catalogue.outcome_model),
                  calibration=catalogue.likelihoods.line(),
                  topics=likely_topics(findings, catalogue.topics, catalogue.likelihoods.shown),
                  council=council)


def check_text(text: str, name: str, engine: Engine, today: dt.date | None = None) -> Report:
    """Evaluate proposal text that is not (yet) a file, e.g. a rule example."""
    loaded = parse_yaml(text, name)
    return check_loaded(LoadedProposal(name, validate(loaded, name), loaded), engine, today)


def check_file(path: str | Path, engine: Engine, today: dt.date | None = None) -> Report:
    """Load, validate and evaluate one proposal file (InputError on bad input)."""
    return check_loaded(load_proposal(path), engine, today)
