"""Render a Diff (see diff.py) as text, Markdown or JSON for the `shingikai diff` command."""
from __future__ import annotations

import json
from typing import Any

from checker.commands.diff import Diff, FindingChange
from checker.core.findings import SEVERITY_LABELS, STATUS_LABELS
from checker.core.printable import visible
from checker.templating import environment

STATUS = {**STATUS_LABELS, "absent": "指摘なし"}
SECTIONS = (("resolved", "解消した指摘"), ("added", "新たな指摘"), ("changed", "状態が変わった指摘"),
            ("unchanged", "変わらない指摘"))
NO_CHANGE = "変更はありません（指摘・安全管理措置・記載内容とも前回と同じです）。"


def value_text(value: Any, limit: int = 60) -> str:
    """A field value in one short line: （記載なし） for an unstated field, JSON for lists and numbers."""
    if value is None:
        return "（記載なし）"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        text = "［" + "、".join(str(v) for v in value) + "］"
    else:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def change_text(c: FindingChange) -> str:
    sev = SEVERITY_LABELS[c.residual_before or c.residual_after or c.severity]
    move = f"{STATUS[c.status_before]} → {STATUS[c.status_after]}"
    if c.residual_before and c.residual_after and c.residual_before != c.residual_after:
        move += f"、重要度 {SEVERITY_LABELS[c.residual_before]} → {SEVERITY_LABELS[c.residual_after]}"
    if c.reopened:
        move += "、再発"
    return f"[{sev}] {c.rule_id} {c.title}（{move}）"


def render_text(diff: Diff) -> str:
    lines = [f"■ 再提出の差分: {diff.title}", f"  前回: {diff.old_file}", f"  今回: {diff.new_file}",
             f"  総合リスク: {SEVERITY_LABELS[diff.risk_before]} → {SEVERITY_LABELS[diff.risk_after]}"
             f"（未対応 高 {diff.open_before['high']}→{diff.open_after['high']} 件・"
             f"中 {diff.open_before['medium']}→{diff.open_after['medium']} 件・"
             f"低 {diff.open_before['low']}→{diff.open_after['low']} 件）"]
    if not diff.has_changes:
        lines.append(f"\n{NO_CHANGE}")
    for key, heading in SECTIONS:
        items: list[FindingChange] = getattr(diff, key)
        if items:
            lines.append(f"\n{heading}（{len(items)} 件）")
            lines.extend(f"  {change_text(c)}" for c in items)
    for key, heading, mark in (("safeguards_declared", "新たに申告された安全管理措置", "+"),
                               ("safeguards_withdrawn", "取り下げられた安全管理措置", "-")):
        items = getattr(diff, key)
        if items:
            lines.append(f"\n{heading}（{len(items)} 件）")
            lines.extend(f"  {mark} {s.id} {s.text}".rstrip() for s in items)
    if diff.fields:
        lines.append(f"\n変更された記載（{len(diff.fields)} 項目）")
        lines.extend(f"  {f.path}: {value_text(f.before)} → {value_text(f.after)}" for f in diff.fields)
    return "\n".join(lines) + "\n"


def render_markdown(diff: Diff) -> str:
    template = environment(autoescape=False).get_template("diff.md.j2")
    return template.render(d=diff, sections=SECTIONS, sev=SEVERITY_LABELS, change_text=change_text,
                           value_text=value_text, no_change=NO_CHANGE).strip() + "\n"


def render_json(diff: Diff) -> str:
    return json.dumps(diff.as_records(), ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "md": render_markdown, "json": render_json}


def render(diff: Diff, fmt: str) -> str:
    text = RENDERERS[fmt](diff)
    return visible(text) if fmt == "text" else text  # the proposals' strings reach a terminal
