"""A resubmission's diff as plain text for a terminal."""
from __future__ import annotations

from checker.commands.diff import Diff, FindingChange
from checker.core.findings import SEVERITY_LABELS
from checker.core.printable import visible
from checker.reporters.diff.common import NO_CHANGE, SECTIONS, change_text, value_text


def render(diff: Diff) -> str:
    lines = [f"■ 再提出の差分: {diff.title}", f"  前回: {diff.old_file}", f"  今回: {diff.new_file}",
             f"  総合リスク: {SEVERITY_LABELS[diff.risk_before]} → {SEVERITY_LABELS[diff.risk_after]}"
             f"（未対応 高{diff.open_before['high']}→{diff.open_after['high']}件・"
             f"中{diff.open_before['medium']}→{diff.open_after['medium']}件・"
             f"低{diff.open_before['low']}→{diff.open_after['low']}件）"]
    if not diff.has_changes:
        lines.append(f"\n{NO_CHANGE}")
    for key, heading in SECTIONS:
        items: list[FindingChange] = getattr(diff, key)
        if items:
            lines.append(f"\n{heading}（{len(items)}件）")
            lines.extend(f"  {change_text(c)}" for c in items)
    for key, heading, mark in (("safeguards_declared", "新たに申告された安全管理措置", "+"),
                               ("safeguards_withdrawn", "取り下げられた安全管理措置", "-")):
        items = getattr(diff, key)
        if items:
            lines.append(f"\n{heading}（{len(items)}件）")
            lines.extend(f"  {mark} {s.id} {s.text}".rstrip() for s in items)
    if diff.fields:
        lines.append(f"\n変更された記載（{len(diff.fields)}項目）")
        lines.extend(f"  {f.path}: {value_text(f.before)} → {value_text(f.after)}" for f in diff.fields)
    return visible("\n".join(lines) + "\n")  # the proposals' strings reach a terminal
