"""The proposal folder a CI lint run sees: a clean file, a high finding, an invalid file, an accepted risk.

Other helpers add rules all the time, so the files are built to keep their meaning:
- the clean file is rules/example_base.yaml itself, which a catalogue test keeps free of findings;
- the accepted file accepts SEN-005 with a reason, plus whatever other rule fires on it (so it
  stays "a file whose only risks are accepted" as the catalogue grows).
Line numbers below are fixed by the literal text and asserted by the tests.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .conftest import ROOT

# A proposal with an undeclared sensitive item (SEN-005, high) at line 16 and a USB transfer
# to a vendor (TRN-001, medium) at line 21: the second item of `transfers`.
HIGH = """\
id: high
title: 健診結果の通知の委託
municipality: 例示市
department: 健康課
procedure: consultation
kinds: [outsourcing]
business: 健診結果の通知
purpose: 受診者に結果を知らせるため
effect: 通知の遅れを防ぐ
legal_basis: {laws: [健康増進法]}
act_basis: [{kind: outsourcing, articles: [art69_2_3]}, {kind: outsourcing, articles: [art71]}]
subjects:
  - {name: 受診者, count: 1000}
data_items:
  - 氏名
  - 既往歴
vendors:
  - name: 委託先A
transfers:
  - {from: 市, to: 委託先A, medium: lgwan}
  - {from: 市, to: 委託先A, medium: usb}
"""
SEN_LINE, TRN_LINE = 16, 21
# The two act_basis entries (line 11) rest an outsourcing on provision articles (LEG-009, low, one location
# each): with them the low findings outnumber what GitHub shows as notices, as the lint tests need.

# The same proposal with a misspelt procedure on line 5, column 12.
BROKEN = HIGH.replace("procedure: consultation", "procedure: consultaton")
BROKEN_LINE, BROKEN_COL = 5, 12

ACCEPT_REASON = "既往歴は受診勧奨の対象を絞るためだけに使い、閲覧者を保健師に限る"


def base() -> dict:
    return yaml.safe_load((ROOT / "rules" / "example_base.yaml").read_text(encoding="utf-8"))


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def accepted_text(engine, until: str = "2099-03-31", others: bool = True) -> str:
    """Base proposal with 既往歴, accepting SEN-005 (and, if others, every other rule that fires)."""
    from checker.core.pipeline import check_file
    data = base()
    data["id"] = "accepted"
    data["data_items"] = ["氏名", "既往歴"]
    # the base limits viewing to need (sensitive-minimisation): without it SEN-005 stays high
    data["access_control"].pop("need_to_know", None)
    rules = ["SEN-005"]
    if others:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            probe = Path(tmp) / "probe.yaml"
            probe.write_text(dump(data), encoding="utf-8")
            rules += sorted({f.rule_id for f in check_file(probe, engine).open_findings} - {"SEN-005"})
    data["accepted_risks"] = [{"rule": r, "reason": ACCEPT_REASON, "approved_by": "健康課長", "until": until}
                              for r in rules]
    return dump(data)


def make_folder(root: Path, engine) -> Path:
    """props/clean.yaml, props/sub/high.yaml, props/broken.yaml, props/accepted.yaml."""
    folder = root / "props"
    (folder / "sub").mkdir(parents=True, exist_ok=True)
    (folder / "clean.yaml").write_text((ROOT / "rules" / "example_base.yaml").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    (folder / "sub" / "high.yaml").write_text(HIGH, encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "accepted.yaml").write_text(accepted_text(engine), encoding="utf-8")
    return folder
