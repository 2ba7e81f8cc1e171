"""The secretariat's agenda sheet: many proposals folded into one Agenda for one meeting.

Per item: the Report's risk, the predicted outcome and minutes (checker/core/outcome.py), the topics
most likely to be raised, and the material to request before the meeting, most likely first
(checker/commands/agenda/materials.py).

Grouping (items explained and decided together): the same `system`, an explicit `related` id
(either direction), or the same municipality + department + set of kinds.

Suggested order, by unit (a group, or a single item):
  1. 諮問 before 報告 — reports are noted rather than decided, so they go last;
  2. deferral-risk units first, then conditional approval, then approval — an item likely to be
     deferred needs the council's full attention early (in seed 004 the long deferred item ate the
     time of the next one, which was carried over unheard);
  3. higher overall risk first; 4. the order the files were given.
A group sits where its most pressing member would; inside a group the same keys apply.

Time: the items' minutes are summed in that order after the meeting overhead
(outcome.MEETING_OVERHEAD_MINUTES). The council takes items in order, so once one item does not
fit, it and every later item are `overflow` (carried over), even if a later short one would fit.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Literal, Sequence

from pydantic import BaseModel, ConfigDict

from checker.commands.agenda.materials import MaterialRequest, RequestGroup, grouped_requests, material_requests
from checker.commands.files import check_each, find
from checker.core.engine import Engine
from checker.core.findings import OUTCOME_LABELS, SEVERITY_ORDER, Report
from checker.core.outcome import MEETING_OVERHEAD_MINUTES
from checker.core.proposal import Proposal

DEFAULT_MINUTES = 120
TOP_TOPICS = 3
PROCEDURE_RANK = {"consultation": 0, "report": 1}
UNGROUNDED_RANK = 2   # an item without a ground for the council (法第129条) is not deliberated: last
UNGROUNDED_LABEL = "内部の事前確認（諮問の根拠なし）"
OUTCOME_RANK = {"deferral_risk": 0, "approved_with_conditions": 1, "approved": 2,
                "corrections_required": 1, "remarks": 2, "no_remarks": 2}   # a PIA review's opinion
ORDER_NOTE = ("並び順: 諮問を先に、報告をその後に置き、審議会に諮る根拠（法第129条）のない案件は諮問とせず、内部の事前確認として最後に回しました。関連する案件はまとめました。継続審議の可能性がある案件は"
              "審議時間を確保するため早めに、次に条件付き承認の見込み、総合リスクの高い順です。")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AgendaItem(Frozen):
    position: int                    # 1-based place in the suggested order
    file: str
    id: str
    title: str
    municipality: str
    department: str
    procedure: str
    procedure_label: str
    kinds: list[str]
    kind_labels: list[str]
    system: str
    risk: str
    risk_label: str
    open: dict[str, int]
    predicted_outcome: str
    outcome_label: str
    outcome_reasons: list[str]
    estimated_minutes: int
    start_minute: int                # minutes after the meeting opens
    end_minute: int
    fits: bool
    top_topics: list[str]            # Japanese labels, most likely to be raised first
    requests: list[MaterialRequest]  # the full list (the appendix and the JSON)
    request_groups: list[RequestGroup] = []  # what the sheet shows: three to five, by topic
    important_requests: int          # requests behind an open high finding
    ready: bool                      # no important request: the item can be deliberated as filed
    group: str | None                # "G1"…, None when the item stands alone
    unknown_related: list[str] = []
    regime: str = "act"              # the law it is judged under (checker/core/regime.py)
    council_needed: bool = True      # a ground for consulting the council holds (法第129条)
    council_label: str = ""          # the screen's one line: the ground(s), or 内部の事前確認
    council_grounds: list[str] = []  # the grounds' names alone (the printed sheet's narrow column)


class AgendaGroup(Frozen):
    id: str
    reasons: list[str]
    items: list[str]                 # proposal ids in suggested order
    minutes: int


class AgendaError(Frozen):
    file: str
    message: str


class Overflow(Frozen):
    id: str
    title: str
    file: str
    estimated_minutes: int


class Agenda(Frozen):
    minutes: int                     # the meeting length given with --minutes
    overhead_minutes: int
    total_minutes: int               # sum of the items' estimated minutes
    planned_minutes: int             # total + overhead, compared with `minutes`
    items: list[AgendaItem]
    groups: list[AgendaGroup]
    overflow: list[Overflow]
    errors: list[AgendaError]
    notices: list[str] = []
    order_note: str = ORDER_NOTE
    calibration: str = ""            # the one line saying what the likelihoods rest on
    paper: Literal["A4", "A3"] = "A4"  # the printed sheet's paper, landscape (agenda --paper)

    def as_records(self) -> dict:
        return self.model_dump(mode="json")


def collect_paths(paths: Sequence[str | Path]) -> tuple[list[Path], list[AgendaError]]:
    """Files as given; folders searched recursively (checker/commands/files.py).

    The order given on the command line is kept (it breaks ties in the suggested order); a file
    named twice is screened once; a folder without proposal files is an error.
    """
    found = find(paths)
    errors = [AgendaError(file=folder, message="フォルダに案件ファイル（*.yaml / *.yml）がありません。")
              for folder in found.empty_folders]
    return [Path(f) for f in found.files], errors


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def top_topics(report: Report, n: int = TOP_TOPICS) -> list[str]:
    """The topics the council is most likely to raise (the report's `topics`), as labels."""
    return [t.label for t in report.topics[:n]]


def group_entries(proposals: Sequence[Proposal]) -> tuple[dict[int, int], dict[int, list[str]]]:
    """Union-find over the proposals: index -> root index, root -> reasons (only for groups of 2+)."""
    parent = list(range(len(proposals)))
    reasons: dict[tuple[int, int], str] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int, why: str) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
        reasons[(i, j)] = why

    first: dict[tuple, int] = {}
    by_id: dict[str, list[int]] = {}
    for i, p in enumerate(proposals):
        by_id.setdefault(p.id, []).append(i)
    for i, p in enumerate(proposals):
        keys = []
        if p.system.strip():
            keys.append((("system", _norm(p.municipality), _norm(p.system)), f"同じシステム「{p.system.strip()}」"))
        if p.department.strip():
            kinds = tuple(sorted(p.kinds))
            keys.append((("dept", _norm(p.municipality), _norm(p.department), kinds),
                         f"同じ担当課（{p.department.strip()}）・同じ取扱いの類型"))
        for key, why in keys:
            if key in first:
                union(first[key], i, why)
            else:
                first[key] = i
        for rid in p.related:
            for j in by_id.get(rid, []):
                if j != i:
                    union(min(i, j), max(i, j), "関連案件として指定")
    roots = {i: find(i) for i in range(len(proposals))}
    sizes: dict[int, int] = {}
    for r in roots.values():
        sizes[r] = sizes.get(r, 0) + 1
    why_by_root: dict[int, list[str]] = {}
    for (i, _j), why in sorted(reasons.items()):
        r = roots[i]
        if sizes[r] > 1 and why not in why_by_root.setdefault(r, []):
            why_by_root[r].append(why)
    return roots, why_by_root


def _rank(p: Proposal, r: Report, index: int) -> tuple[int, int, int, int]:
    outcome = r.assessment.outcome if r.assessment else "approved"
    procedure = PROCEDURE_RANK.get(p.procedure, 0) if _grounded(r) else UNGROUNDED_RANK
    return (procedure, OUTCOME_RANK[outcome], -SEVERITY_ORDER[r.summary.risk], index)


def _grounded(r: Report) -> bool:
    """Whether the item may go before the council: a ground of 法第129条 (or the old ordinance) holds."""
    return r.council is None or r.council.needed


def suggested_order(entries: Sequence[tuple[Proposal, Report]], roots: dict[int, int]) -> list[int]:
    """Indexes in the suggested order: units by their most pressing member, members by the same key."""
    members: dict[int, list[int]] = {}
    for i in range(len(entries)):
        members.setdefault(roots[i], []).append(i)
    keyed = {i: _rank(*entries[i], i) for i in range(len(entries))}
    units = sorted(members.values(), key=lambda ms: min(keyed[m] for m in ms))
    return [m for unit in units for m in sorted(unit, key=keyed.__getitem__)]


def duplicate_ids(entries: Sequence[tuple[Proposal, Report]]) -> list[str]:
    """The same proposal id in several files: usually both versions of a resubmission."""
    files: dict[str, list[str]] = {}
    for p, r in entries:
        files.setdefault(p.id, []).append(r.proposal.file)
    return [f"案件 ID「{pid}」が複数のファイル（{'、'.join(fs)}）にあります。前回の版と再提出版を同じ議題に"
            "入れていないか確認してください（違いは shingikai diff で確かめられます）。"
            for pid, fs in files.items() if len(fs) > 1]


def build_agenda(entries: Sequence[tuple[Proposal, Report]], minutes: int = DEFAULT_MINUTES,
                 errors: Sequence[AgendaError] = (), overhead: int = MEETING_OVERHEAD_MINUTES) -> Agenda:
    """Fold checked proposals into one agenda (pure: no files, no engine)."""
    proposals = [p for p, _ in entries]
    roots, why_by_root = group_entries(proposals)
    order = suggested_order(entries, roots)
    known_ids = {p.id for p in proposals}
    group_ids: dict[int, str] = {}
    for i in order:
        if roots[i] in why_by_root and roots[i] not in group_ids:
            group_ids[roots[i]] = f"G{len(group_ids) + 1}"
    items: list[AgendaItem] = []
    clock = 0
    available = minutes - overhead
    for position, i in enumerate(order, start=1):
        p, r = entries[i]
        a = r.assessment
        # An item without a ground for the council is the department's own pre-check: it takes no meeting time.
        est = a.estimated_minutes if a and _grounded(r) else 0
        # end times only grow: after one misfit, none fits (a pre-check is not deliberated, so it always does)
        fits = clock + est <= available or not _grounded(r)
        requests = material_requests(r)
        important = sum(q.severity == "high" for q in requests)
        items.append(AgendaItem(
            position=position, file=r.proposal.file, id=p.id, title=p.title, municipality=p.municipality,
            department=p.department, procedure=p.procedure,
            procedure_label=r.proposal.procedure_label if _grounded(r) else UNGROUNDED_LABEL,
            regime=r.proposal.regime, council_needed=_grounded(r),
            council_label=r.council.label if r.council else "",
            # a historical item's ground is its repealed ordinance: named in council_label, not on the sheet
            council_grounds=[g.label for g in r.council.grounds if g.ground != "ordinance"] if r.council else [],
            kinds=list(p.kinds), kind_labels=r.proposal.kind_labels, system=p.system, risk=r.summary.risk,
            risk_label=r.summary.risk_label, open=r.summary.open,
            predicted_outcome=a.outcome if a else "approved",
            outcome_label=a.label if a else OUTCOME_LABELS["approved"],
            outcome_reasons=list(a.reasons) if a else [], estimated_minutes=est,
            start_minute=overhead + clock, end_minute=overhead + clock + est, fits=fits,
            top_topics=top_topics(r), requests=requests, request_groups=grouped_requests(requests),
            important_requests=important,
            ready=important == 0, group=group_ids.get(roots[i]),
            unknown_related=[x for x in p.related if x not in known_ids]))
        clock += est
    groups = []
    for root, gid in group_ids.items():
        member_items = [it for it in items if it.group == gid]
        groups.append(AgendaGroup(id=gid, reasons=why_by_root[root], items=[it.id for it in member_items],
                                  minutes=sum(it.estimated_minutes for it in member_items)))
    return Agenda(minutes=minutes, notices=duplicate_ids(entries), overhead_minutes=overhead, total_minutes=clock, planned_minutes=clock + overhead,
                  items=items, groups=groups, errors=list(errors),
                  overflow=[Overflow(id=it.id, title=it.title, file=it.file, estimated_minutes=it.estimated_minutes)
                            for it in items if not it.fits])


def screen(paths: Sequence[str | Path], engine: Engine, minutes: int = DEFAULT_MINUTES,
           today: dt.date | None = None) -> Agenda:
    """Check every proposal under `paths` and fold them; invalid files become `errors`."""
    files, errors = collect_paths(paths)
    entries: list[tuple[Proposal, Report]] = []
    for checked in check_each(files, engine, today):
        if checked.error is not None:
            errors.append(AgendaError(file=checked.path, message=str(checked.error)))
        elif checked.loaded is not None and checked.report is not None:
            entries.append((checked.loaded.proposal, checked.report))
    agenda = build_agenda(entries, minutes, errors)
    return agenda.model_copy(update={"calibration": engine.catalogue.likelihoods.line()})
