"""CSV action plan: one row per missing safeguard, most likely question first, with empty owner and
due-date columns to fill in.

UTF-8 with a byte-order mark and CRLF line ends, so that Excel opens it with the Japanese intact.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from checker.core.findings import Report
from checker.reporters.report.view import actions

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["案件ID", "件名", "判断の基準", "審議会に諮る根拠", "ルールID", "指摘", "論点", "重要度", "問われる見込み", "措置ID", "安全管理措置",
          "諮問書に記載する内容", "担当者", "期限", "備考"]


def _cell(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def render(reports: Sequence[Report]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for report in reports:
        for a in actions(report):
            row = [a.proposal_id, a.proposal_title, report.proposal.regime_label,
                   report.council.label if report.council else "", a.rule_id, a.rule_title, a.topic_label,
                   a.severity_label, a.likelihood, a.safeguard_id, a.safeguard_text, a.write, "", "", ""]
            writer.writerow([_cell(v) for v in row])
        p = report.proposal
        for x in report.placeholders:  # a value still to be written is work to do, too
            row = [p.id, p.title, "PLACEHOLDER", f"仮の記載「{x.value}」（{x.path}、{x.line}行目）", "", "", "", "", "",
                   x.message, "", "", ""]
            writer.writerow([_cell(v) for v in row])
    return BOM + buffer.getvalue()

