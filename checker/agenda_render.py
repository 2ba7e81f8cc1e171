"""Render an Agenda (see agenda.py) as text, Markdown, printable HTML or JSON."""
from __future__ import annotations

import json

from checker.commands.agenda import Agenda, AgendaItem
from checker.core.printable import visible
from checker.templating import environment


def time_line(agenda: Agenda) -> str:
    return (f"会議時間 {agenda.minutes} 分／見込み: 案件計 {agenda.total_minutes} 分＋開会・閉会 "
            f"{agenda.overhead_minutes} 分＝{agenda.planned_minutes} 分")


def overflow_line(agenda: Agenda) -> str:
    """The warning, naming every item that would not be reached ('' when everything fits)."""
    if not agenda.overflow:
        return ""
    names = "、".join(f"「{o.title}」（{o.id}、約 {o.estimated_minutes} 分）" for o in agenda.overflow)
    return (f"警告: 会議時間 {agenda.minutes} 分に収まりません。この順で進めると次の {len(agenda.overflow)} 件は"
            f"時間内に審議できません: {names}")


def readiness(item: AgendaItem) -> str:
    if item.important_requests:
        return f"資料の補足が必要（重要 {item.important_requests} 件・ほか {len(item.requests) - item.important_requests} 件）"
    if item.requests:
        return f"重要な不足なし（確認事項 {len(item.requests)} 件）"
    return "資料はそろっている"


def request_refs(item: AgendaItem) -> list[str]:
    """Each request with what it is based on, for the one-line formats."""
    return [("【重要】" if r.severity == "high" else "") + r.text
            + (f"（{'・'.join(r.rules)}、見込み {round(r.likelihood * 100)}%）" if r.rules else f"（{r.basis}）")
            for r in item.requests]


def render_text(agenda: Agenda) -> str:
    lines = [f"■ 審議会 議題整理表（{len(agenda.items)} 件）", f"  {time_line(agenda)}"]
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
        lines.append(f"   担当: {who}／種類: {'、'.join(it.kind_labels)}{group}")
        lines.append(f"   総合リスク: {it.risk_label}／見込み: {it.outcome_label}／約 {it.estimated_minutes} 分"
                     f"（開会から {it.start_minute}〜{it.end_minute} 分）")
        lines.append(f"   主な論点: {'、'.join(it.top_topics) or 'なし'}")
        lines.append(f"   準備: {readiness(it)}")
        if it.unknown_related:
            lines.append(f"   注意: 関連案件 {'、'.join(it.unknown_related)} はこの議題にありません。")
        if it.requests:
            lines.append(f"   事前に求める資料（{len(it.requests)} 件）:")
            lines.extend(f"     ・{text}" for text in request_refs(it))
        else:
            lines.append("   事前に求める資料: なし")
    if agenda.groups:
        lines.append("\nまとめて審議する案件")
        for g in agenda.groups:
            lines.append(f"  {g.id}: {'、'.join(g.items)}（{'／'.join(g.reasons)}、計 {g.minutes} 分）")
    if agenda.errors:
        lines.append(f"\n読み込めなかったファイル（{len(agenda.errors)} 件）")
        for e in agenda.errors:
            lines.append(f"  {e.file}")
            lines.extend(f"    {line}" for line in e.message.splitlines())
    return "\n".join(lines) + "\n"


def _template(name: str, agenda: Agenda, autoescape: bool) -> str:
    template = environment(autoescape=autoescape).get_template(name)
    return template.render(a=agenda, time_line=time_line(agenda), warning=overflow_line(agenda),
                           request_refs=request_refs, readiness=readiness).strip() + "\n"


def render_markdown(agenda: Agenda) -> str:
    return _template("agenda.md.j2", agenda, autoescape=False)


def render_html(agenda: Agenda) -> str:
    return _template("agenda.html.j2", agenda, autoescape=True)


def render_json(agenda: Agenda) -> str:
    return json.dumps(agenda.as_records(), ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "md": render_markdown, "html": render_html, "json": render_json}


def render(agenda: Agenda, fmt: str) -> str:
    text = RENDERERS[fmt](agenda)
    return visible(text) if fmt == "text" else text  # the proposals' strings reach a terminal
