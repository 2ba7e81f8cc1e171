"""Material to request before the meeting: what a proposal leaves unstated that the council needs.

One source, the report's open findings (the same model as the report: what a proposal leaves
unstated is itself a finding, see rules/areas.yaml): each safeguard the proposal has neither listed
nor stated becomes a request built from the safeguard's `write` text ("what to write in the
consultation document"), once per safeguard even when several findings ask for it, in the order of
the findings' likelihood, so the most likely questions come first.

A secretariat sends a department three to five grouped requests, not thirty: the requests are
grouped by topic (what the department should write about), each group naming the findings that
triggered it; the full list stays beside them (the agenda's appendix and JSON).
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from checker.core.findings import SEVERITY_ORDER, Report


class MaterialRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str                  # the request to the department, in Japanese
    basis: str                 # why the secretariat asks (the finding behind it)
    topic: str                 # topic code (topics.md)
    rules: list[str] = []      # rule ids behind the request
    safeguard: str | None = None
    path: str = ""             # the part of the proposal it concerns ("" = the whole proposal)
    severity: str | None = None  # residual severity of the most severe finding behind it
    likelihood: float = 0.0    # of the most likely finding behind it
    score: float = 0.0         # ... and its score, which orders the requests
    likelihood_label: str = ""  # ... as people read it: band and basis
    what: str = ""             # the safeguard asked for, in a few words
    trigger: str = ""          # what in the item triggered it (the finding's title)
    topic_label: str = ""


class RequestGroup(BaseModel):
    """Requests on one topic, sent as one: 「論点」について、次を記載した資料を…."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: str
    label: str
    text: str
    triggers: list[str]        # the findings behind it, as the department reads them
    rules: list[str]
    severity: str | None
    likelihood: float
    score: float = 0.0         # of its most likely finding: orders the groups
    count: int                 # requests folded into this one


GROUPS_SHOWN = 5            # a secretariat sends three to five
GROUPS_ALWAYS = 3
GROUP_MIN_SCORE = 0.5      # a fourth or fifth group only for a topic scored this likely to be raised
NAMED_PER_GROUP = 1         # the safeguard named in a group's line; the rest are counted


def as_request(write: str) -> str:
    """Turn a safeguard's `write` text (plain form) into a polite request to the department."""
    text = write.strip().rstrip("。")
    if text.endswith("を記載する"):
        return text[: -len("記載する")] + "記載した資料を提出してください。"
    if text.endswith("する"):
        return text[: -len("する")] + "してください。"
    return f"次の点を資料で示してください: {text}。"


def from_findings(report: Report) -> list[MaterialRequest]:
    """One request per missing safeguard of the open findings, most likely finding first."""
    by_safeguard: dict[str, MaterialRequest] = {}
    ordered = sorted(report.open_findings,
                     key=lambda f: (-f.likelihood, -f.score, -SEVERITY_ORDER[f.residual_severity], f.rule_id))
    for f in ordered:
        path = f.locations[0].path if f.locations else ""
        for s in f.missing_safeguards:
            known = by_safeguard.get(s.id)
            if known is not None:
                by_safeguard[s.id] = known.model_copy(update={"rules": known.rules + [f.rule_id]})
                continue
            by_safeguard[s.id] = MaterialRequest(
                text=f"「{s.text.rstrip('。')}」について、{as_request(s.write)}",
                basis=f"{f.rule_id} {f.title}（未申告の措置 {s.id}）", topic=f.topic,
                rules=[f.rule_id], safeguard=s.id, path=path, severity=f.residual_severity,
                likelihood=f.likelihood, score=f.score, likelihood_label=f.likelihood_label,
                what=s.text.rstrip("。"), trigger=f.title, topic_label=f.topic_label)
    return list(by_safeguard.values())


def material_requests(report: Report) -> list[MaterialRequest]:
    """Everything to ask the department for before the meeting, most likely question first."""
    requests = from_findings(report)
    seen: set[str] = set()
    unique = []
    for r in requests:
        if r.text not in seen:
            seen.add(r.text)
            unique.append(r)
    return unique


def grouped_requests(requests: list[MaterialRequest], limit: int = GROUPS_SHOWN) -> list[RequestGroup]:
    """The requests folded by topic, the most likely topic first: three groups, and up to `limit`
    while further topics are still scored likely to be raised (GROUP_MIN_SCORE)."""
    by_topic: dict[str, list[MaterialRequest]] = {}
    for r in requests:   # already most likely first
        by_topic.setdefault(r.topic, []).append(r)
    groups = []
    for topic, members in by_topic.items():
        label = members[0].topic_label or topic
        named = "、".join(f"{m.what}" for m in members[:NAMED_PER_GROUP])
        more = f"（ほか{len(members) - NAMED_PER_GROUP}点）" if len(members) > NAMED_PER_GROUP else ""
        severities = [m.severity for m in members if m.severity]
        groups.append(RequestGroup(
            topic=topic, label=label, text=f"{label}: {named}{more}",
            triggers=list(dict.fromkeys(m.trigger for m in members if m.trigger)),
            rules=list(dict.fromkeys(rid for m in members for rid in m.rules)), count=len(members),
            likelihood=max(m.likelihood for m in members), score=max(m.score for m in members),
            severity=max(severities, key=lambda v: SEVERITY_ORDER[v]) if severities else None))
    groups.sort(key=lambda g: (-g.likelihood, -g.score))
    return [g for i, g in enumerate(groups[:limit]) if i < GROUPS_ALWAYS or g.score >= GROUP_MIN_SCORE]
