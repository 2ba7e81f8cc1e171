"""Plain text for a terminal: the summary, the topics most likely to be raised, then each finding
(most likely first) with its questions and safeguards."""
from __future__ import annotations

from collections.abc import Sequence

from checker.core.findings import SEVERITY_LABELS, STATUS_LABELS, Report
from checker.core.printable import visible
from checker.reporters.report.view import ONLY_IF_CONSULTED, PLACEHOLDER_HEAD, TOP, stated_note


def _one(report: Report) -> str:
    p, s = report.proposal, report.summary
    lines = [f"■ {p.title}（{p.procedure_label}）", f"  ファイル: {p.file}"]
    lines.extend(council_lines(report))
    if p.department or p.municipality:
        lines.append(f"  担当: {p.municipality} {p.department}".rstrip())
    lines.append(f"  取扱いの類型: {'、'.join(p.kind_labels)}")
    lines.append(f"  総合リスク: {s.risk_label}（未対応 高{s.open['high']}件・中{s.open['medium']}件・"
                 f"低{s.open['low']}件／対応済み{s.covered}件／受容{s.accepted}件）")
    if report.assessment is not None:
        a = report.assessment
        if report.council is not None and not report.council.needed:
            lines.append(f"  （参考: {ONLY_IF_CONSULTED}）")
        heading = "点検の意見（見込み）" if "pia_review" in report.proposal.kinds else "予想される結果"
        lines.append(f"  {heading}: {a.label}（{a.reasons[0]}）")
        lines.append(f"  想定審議時間: 約{a.estimated_minutes}分（{' '.join(a.reasons[1:])}）")
    for notice in report.notices:
        lines.append(f"  {notice}")
    if report.calibration:
        lines.append(f"  {report.calibration}")
    if report.placeholders:
        lines.append(f"  {PLACEHOLDER_HEAD.format(count=len(report.placeholders))}")
        lines.extend(f"    {p.file}:{x.line}:{x.column}: {x.path}「{x.value}」" for x in report.placeholders)
    if report.topics:
        lines.append(f"\n最も問われそうな論点（上位{min(TOP, len(report.topics))}）:")
        for rank, t in enumerate(report.topics[:TOP], start=1):
            settled = "（対応済みの措置について）" if t.settled else ""
            lines.append(f"  {rank}. {t.label}（見込み {t.likelihood_label}）: {t.question}{settled}［{'、'.join(t.rules)}］")
    if not report.findings:
        lines.append("\n  該当するルールはありません。")
    for f in report.findings:
        sev = SEVERITY_LABELS[f.residual_severity]
        head = f"\n[{sev}] {f.rule_id} {f.title}（{f.topic_label}、見込み {f.likelihood_label}）"
        if f.status != "open":
            head += f" … {STATUS_LABELS[f.status]}"
        lines.append(head)
        loc = f.location
        lines.append(f"  箇所: {loc.path or '案件全体'}（{loc.line}行目）")
        lines.append(f"  理由: {f.because}")
        for t in f.triggers[1:]:
            lines.append(f"  ほかに: {t.rule_id} {t.title} — {t.because}")
        if f.note:
            lines.append(f"  注意: {f.note}")
        if f.acceptance and f.status == "accepted":
            lines.append(f"  受容の理由: {f.acceptance.reason}")
        lines.append("  想定される質問:")
        lines.extend(f"    ・{q}" for q in f.questions)
        lines.append("  安全管理措置:")
        lines.extend(f"    [{'済' if c.declared else '未'}] {c.text}（{c.id}{'、' + stated_note(c) if c.declared else ''}）"
                     for c in f.safeguards)
        lines.append("  出典: " + "／".join(x.citation for x in f.precedents))
    return "\n".join(lines) + "\n"


def council_lines(report: Report) -> list[str]:
    """The first section: the law the item is judged under, and whether it needs the council (法第129条)."""
    p, c = report.proposal, report.council
    lines = [f"  判断の基準: {p.regime_label}（{p.regime_reason}）"]
    if c is None:
        return lines
    lines.append(f"  審議会に諮る必要（法第129条）: {c.label}")
    for g in c.grounds:
        cites = f"［{'、'.join(g.citations)}］" if g.citations else ""
        lines.append(f"    ・{g.label}: {g.explanation}{cites}")
    if c.note:
        lines.append(f"    {c.note}")
    return lines


def render(reports: Sequence[Report]) -> str:
    return visible("\n".join(_one(r) for r in reports))  # values from the proposal reach a terminal
