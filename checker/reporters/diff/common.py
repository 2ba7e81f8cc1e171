"""What the diff formats share: status labels, section headings and one-line wording of a change."""
from __future__ import annotations

import json
from typing import Any

from checker.commands.diff import FindingChange
from checker.core.findings import SEVERITY_LABELS, STATUS_LABELS

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
