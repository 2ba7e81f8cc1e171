"""What the agenda formats share: the time line, the overflow warning, readiness and requests with their basis."""
from __future__ import annotations

from checker.commands.agenda import Agenda, AgendaItem
from checker.reporters.templating import environment


def time_line(agenda: Agenda) -> str:
    return (f"会議時間{agenda.minutes}分／見込み: 案件計{agenda.total_minutes}分＋開会・閉会"
            f"{agenda.overhead_minutes}分＝{agenda.planned_minutes}分" + (f"。{agenda.calibration}" if agenda.calibration else ""))


def overflow_line(agenda: Agenda) -> str:
    """The warning, naming every item that would not be reached ('' when everything fits)."""
    if not agenda.overflow:
        return ""
    names = "、".join(f"「{o.title}」（{o.id}、約{o.estimated_minutes}分）" for o in agenda.overflow)
    return (f"警告: 会議時間{agenda.minutes}分に収まりません。この順で進めると次の{len(agenda.overflow)}件は"
            f"時間内に審議できません: {names}")


def readiness(item: AgendaItem) -> str:
    if item.important_requests:
        return f"資料の補足が必要（重要{item.important_requests}件・ほか{len(item.requests) - item.important_requests}件）"
    if item.requests:
        return f"重要な不足なし（確認事項{len(item.requests)}件）"
    return "資料はそろっている"


def request_refs(item: AgendaItem) -> list[str]:
    """Each request with what it is based on, for the one-line formats."""
    return [("【重要】" if r.severity == "high" else "") + r.text
            + (f"（{'・'.join(r.rules)}、見込み {r.likelihood_label}）" if r.rules else f"（{r.basis}）")
            for r in item.requests]


def group_refs(item: AgendaItem) -> list[str]:
    """Each grouped request with what triggered it, for the one-line formats."""
    return [("【重要】" if g.severity == "high" else "") + g.text + f"（きっかけ: {'／'.join(g.triggers[:2])}）"
            for g in item.request_groups]


def template(name: str, agenda: Agenda, autoescape: bool) -> str:
    template = environment(autoescape=autoescape).get_template(name)
    return template.render(a=agenda, time_line=time_line(agenda), warning=overflow_line(agenda),
                           request_refs=request_refs, group_refs=group_refs, readiness=readiness).strip() + "\n"
