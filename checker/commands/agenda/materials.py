"""Material to request before the meeting: what a proposal leaves unstated that the council needs.

One source, the report's open findings (the same model as the report: what a proposal leaves
unstated is itself a finding, see rules/areas.yaml): each safeguard the proposal has neither listed
nor stated becomes a request built from the safeguard's `write` text ("what to write in the
consultation document"), once per safeguard even when several findings ask for it, in the order of
the findings' likelihood, so the most likely questions come first.
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
    likelihood_label: str = ""  # ... as people read it: band and basis


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
                     key=lambda f: (-f.likelihood, -SEVERITY_ORDER[f.residual_severity], f.rule_id))
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
                likelihood=f.likelihood, likelihood_label=f.likelihood_label)
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
