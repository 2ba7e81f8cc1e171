"""The agenda sheet as plain text for a terminal."""
from __future__ import annotations

from checker.commands.agenda import Agenda
from checker.core.printable import visible
from checker.reporters.agenda.common import group_refs, overflow_line, readiness, request_refs, time_line


def render(agenda: Agenda) -> str:
    lines = [f"■ 審議会 議題整理表（{len(agenda.items)}件）", f"  {time_line(agenda)}"]
    warning = overflow_line(agenda)
    if warning:
        lines.append(f"  ⚠ {warning}")
    lines.extend(f"  注意: {n}" for n in agenda.notices)
    lines.append(f"  {agenda.order_note}")
    for it in agenda.items:
        lines.append(f"\n{it.position}. [{it.procedure_label}] {it.title}（{it.id}）"
                     + ("" if it.fits else " … 時間超過"))
        who = f"{it.municipality} {it.department}".strip() or "（担当未記載）"
        group = f"／まとめて審議: {it.group}" if it.group else ""
        lines.append(f"   担当: {who}／類型: {'、'.join(it.kind_labels)}{group}")
        if it.council_label:
            lines.append(f"   審議会に諮る必要（法第129条）: {it.council_label}")
        lines.append(f"   総合リスク: {it.risk_label}／見込み: {it.outcome_label}／約{it.estimated_minutes}分"
                     f"（開会から{it.start_minute}〜{it.end_minute}分）")
        lines.append(f"   主な論点: {'、'.join(it.top_topics) or 'なし'}")
        lines.append(f"   準備: {readiness(it)}")
        if it.unknown_related:
            lines.append(f"   注意: 関連案件 {'、'.join(it.unknown_related)} はこの議題にありません。")
        if it.requests:
            lines.append(f"   事前に求める資料（論点ごとにまとめて{len(it.request_groups)}件、全{len(it.requests)}件は付録）:")
            lines.extend(f"     ・{text}" for text in group_refs(it))
        else:
            lines.append("   事前に求める資料: なし")
    if agenda.groups:
        lines.append("\nまとめて審議する案件")
        for g in agenda.groups:
            lines.append(f"  {g.id}: {'、'.join(g.items)}（{'／'.join(g.reasons)}、計{g.minutes}分）")
    if any(it.requests for it in agenda.items):
        lines.append("\n付録 事前に求める資料の全件（案件ごと、問われそうな順）")
        for it in agenda.items:
            if it.requests:
                lines.append(f"  {it.position}. {it.title}")
                lines.extend(f"     ・{text}" for text in request_refs(it))
    if agenda.errors:
        lines.append(f"\n読み込めなかったファイル（{len(agenda.errors)}件）")
        for e in agenda.errors:
            lines.append(f"  {e.file}")
            lines.extend(f"    {line}" for line in e.message.splitlines())
    return visible("\n".join(lines) + "\n")  # the proposals' strings reach a terminal
