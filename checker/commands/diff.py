"""What a resubmission (継続審議分) changed: findings resolved / added / unchanged, safeguards, fields.

Findings are matched by rule id. Every rule id in either version lands in exactly one bucket:
- resolved:  open before, and covered or no longer raised now;
- added:     open now, and absent, covered or accepted before (a regression is marked `reopened`);
- unchanged: same status and same residual severity in both;
- changed:   anything else (open → accepted, a partial safeguard lowering the severity, ...).
Fields are compared on the validated proposals' `model_dump`, so formatting, comments and key
order in the YAML never count as a change, and diffing a file with itself shows nothing.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from checker.core.engine import Engine
from checker.core.findings import SEVERITY_ORDER, Finding, Report
from checker.core.pipeline import check_loaded
from checker.core.proposal import Proposal
from checker.core.validation import dotted, load_proposal

ABSENT = "absent"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FindingChange(Frozen):
    rule_id: str
    title: str
    topic_label: str
    severity: str                  # the rule's severity before safeguards
    status_before: str             # open | covered | accepted | absent
    status_after: str
    residual_before: str | None    # None when absent
    residual_after: str | None
    reopened: bool = False


class SafeguardChange(Frozen):
    id: str
    text: str


class FieldChange(Frozen):
    path: str
    before: Any = None             # None: not stated (absent or left at its default)
    after: Any = None


class Diff(Frozen):
    old_file: str
    new_file: str
    title: str
    resolved: list[FindingChange]
    added: list[FindingChange]
    unchanged: list[FindingChange]
    changed: list[FindingChange]
    safeguards_declared: list[SafeguardChange]
    safeguards_withdrawn: list[SafeguardChange]
    fields: list[FieldChange]
    risk_before: str
    risk_after: str
    open_before: dict[str, int]    # open findings by residual severity
    open_after: dict[str, int]
    notices: list[str] = []        # e.g. the two files look like different proposals

    @property
    def has_changes(self) -> bool:
        return bool(self.resolved or self.added or self.changed or self.safeguards_declared
                    or self.safeguards_withdrawn or self.fields)

    def as_records(self) -> dict[str, Any]:
        """The JSON contract (keys resolved / added / unchanged, plus changed, safeguards, fields)."""
        return {**self.model_dump(mode="json"), "has_changes": self.has_changes}


def _bucket(before: Finding | None, after: Finding | None) -> str:
    b = before.status if before else ABSENT
    a = after.status if after else ABSENT
    if b == "open" and a in ("covered", ABSENT):
        return "resolved"
    if a == "open" and b != "open":
        return "added"
    if before and after and b == a and before.residual_severity == after.residual_severity:
        return "unchanged"
    return "changed"


def compare_findings(old: Report, new: Report) -> dict[str, list[FindingChange]]:
    """Partition every rule id raised in either report into the four buckets."""
    before = {f.rule_id: f for f in old.findings}
    after = {f.rule_id: f for f in new.findings}
    buckets: dict[str, list[FindingChange]] = {k: [] for k in ("resolved", "added", "unchanged", "changed")}
    for rule_id in sorted(set(before) | set(after)):
        b, a = before.get(rule_id), after.get(rule_id)
        ref = a or b
        assert ref is not None
        bucket = _bucket(b, a)
        buckets[bucket].append(FindingChange(
            rule_id=rule_id, title=ref.title, topic_label=ref.topic_label, severity=ref.severity,
            status_before=b.status if b else ABSENT, status_after=a.status if a else ABSENT,
            residual_before=b.residual_severity if b else None,
            residual_after=a.residual_severity if a else None,
            reopened=bucket == "added" and b is not None))
    # Most severe first, so the summary line and the eye land on what matters.
    for items in buckets.values():
        items.sort(key=lambda c: (-SEVERITY_ORDER[c.severity], c.rule_id))
    return buckets


def _named(items: list[Any]) -> bool:
    names = [x.get("name") for x in items if isinstance(x, dict)]
    return len(names) == len(items) and None not in names and len(set(names)) == len(names)


def _walk(b: Any, a: Any, path: tuple[Any, ...], out: list[FieldChange]) -> None:
    """Record leaf differences. Lists of scalars compare whole; lists of named objects
    (data items, vendors, systems, subjects...) are matched by name, so inserting one item does
    not show every later item as changed; other lists compare by position."""
    if isinstance(b, dict) or isinstance(a, dict):
        b, a = (b if isinstance(b, dict) else {}), (a if isinstance(a, dict) else {})
        for key in list(b) + [k for k in a if k not in b]:
            _walk(b.get(key), a.get(key), path + (key,), out)
        return
    if isinstance(b, list) or isinstance(a, list):
        b_list, a_list = (b if isinstance(b, list) else []), (a if isinstance(a, list) else [])
        if all(not isinstance(x, (dict, list)) for x in b_list + a_list):
            if b_list != a_list:
                out.append(FieldChange(path=dotted(path), before=b_list or None, after=a_list or None))
            return
        if _named(b_list) and _named(a_list):
            old_by_name = {x["name"]: x for x in b_list}
            new_names = {x["name"] for x in a_list}
            # An unmatched element facing an unmatched one at the same position is an edit
            # (e.g. a renamed item), not a removal plus an addition.
            spare = {i: x for i, x in enumerate(b_list) if x["name"] not in new_names}
            for i, x in enumerate(a_list):
                _walk(old_by_name.get(x["name"], spare.pop(i, None)), x, path + (i,), out)
            for i, x in spare.items():
                _walk(x, None, path + (i,), out)
            return
        for i in range(max(len(b_list), len(a_list))):
            _walk(b_list[i] if i < len(b_list) else None, a_list[i] if i < len(a_list) else None, path + (i,), out)
        return
    if b != a:
        out.append(FieldChange(path=dotted(path), before=b, after=a))


_FIELD_ORDER = {name: i for i, name in enumerate(Proposal.model_fields)}
_FIELD_ORDER.update({f.alias: i for i, f in enumerate(Proposal.model_fields.values()) if f.alias})


def _path_order(path: str) -> tuple[Any, ...]:
    """Schema order for the top-level field, then natural order inside it (items[2] < items[10])."""
    top = re.split(r"[.\[]", path, maxsplit=1)[0]
    parts = tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|[^.\[\]\d]+", path))
    return (_FIELD_ORDER.get(top, len(_FIELD_ORDER)), parts)


def compare_fields(old: Proposal, new: Proposal) -> list[FieldChange]:
    """Leaf-level differences between two validated proposals, as dotted paths (new positions)."""
    # Defaults count as "not stated": a new list element or a removed section then shows only
    # what was written, not a row per default field.
    changes: list[FieldChange] = []
    _walk(old.model_dump(mode="json", by_alias=True, exclude_defaults=True),
          new.model_dump(mode="json", by_alias=True, exclude_defaults=True), (), changes)
    return sorted(changes, key=lambda c: _path_order(c.path))


def unrelated(old_path: str | Path, old: Proposal, new_path: str | Path, new: Proposal) -> list[str]:
    """A resubmission keeps its id or its title; when both differ the files were probably mixed up."""
    def norm(text: str) -> str:
        return unicodedata.normalize("NFKC", text).strip().casefold()
    if norm(old.id) == norm(new.id) or norm(old.title) == norm(new.title):
        return []
    return [f"注意: {old_path} と {new_path} は案件 ID（{old.id} / {new.id}）も件名も違います。"
            "別の案件どうしを比べていないか確認してください（同じ案件の前回の版と今回の版を指定します）。"]


def build_diff(old_file: str, old: Proposal, old_report: Report, new_file: str, new: Proposal, new_report: Report,
               safeguard_texts: dict[str, str]) -> Diff:
    """Compare two checked versions (pure: no files, no engine)."""
    def described(ids: list[str]) -> list[SafeguardChange]:
        return [SafeguardChange(id=s, text=safeguard_texts.get(s, "")) for s in ids]

    buckets = compare_findings(old_report, new_report)
    return Diff(notices=unrelated(old_file, old, new_file, new),
                old_file=old_file, new_file=new_file, title=new.title,
                safeguards_declared=described([s for s in new.safeguards if s not in old.safeguards]),
                safeguards_withdrawn=described([s for s in old.safeguards if s not in new.safeguards]),
                fields=compare_fields(old, new), risk_before=old_report.summary.risk,
                risk_after=new_report.summary.risk, open_before=old_report.summary.open,
                open_after=new_report.summary.open, **buckets)


def diff_files(old_path: str | Path, new_path: str | Path, engine: Engine,
               today: dt.date | None = None) -> Diff:
    """Check both versions with the same engine and compare them (InputError on bad input)."""
    old_loaded, new_loaded = load_proposal(old_path), load_proposal(new_path)
    old_report = check_loaded(old_loaded, engine, today)
    new_report = check_loaded(new_loaded, engine, today)
    texts = {sid: sg.text for sid, sg in engine.catalogue.safeguards.items()}
    return build_diff(str(old_path), old_loaded.proposal, old_report, str(new_path), new_loaded.proposal, new_report,
                      texts)
