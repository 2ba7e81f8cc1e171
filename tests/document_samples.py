"""Fixed lint results, an agenda, a diff and a rule list built from the models alone (not from the live
rule base), for golden files: every document a reporter renders, with the states it must show.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from checker.commands.agenda import AgendaError, build_agenda
from checker.commands.diff import build_diff
from checker.commands.lint.results import FileResult, LintResults, RuleInfo
from checker.core.catalogue import Catalogue, Rule
from checker.core.errors import InputError, Problem
from checker.core.findings import Report, sort_findings, summarise
from checker.core.outcome import assess
from checker.core.proposal import Proposal, label

from .report_samples import sample_report

ROOT = Path(__file__).resolve().parent.parent


def _without(report: Report, rule_ids: set[str], file: str, title: str | None = None, added: tuple = (),
             **summary: object) -> Report:
    """The sample report with some findings gone or added (another proposal, or the next version of it)."""
    findings = sort_findings([f for f in report.findings if f.rule_id not in rule_ids] + list(added))
    proposal = report.proposal.model_copy(update={"file": file, "title": title or report.proposal.title, **summary})
    return report.model_copy(update={"findings": findings, "summary": summarise(findings), "proposal": proposal,
                                     "assessment": assess(findings, proposal), "notices": []})


def sample_lint_results() -> LintResults:
    """Three files: one with every kind of finding and an unused acceptance, one clean, one invalid."""
    report = sample_report()
    clean = _without(report, {f.rule_id for f in report.findings}, "proposals/examples/sample-clean.yaml", "見本市 窓口予約")
    broken = InputError("proposals/examples/sample-broken.yaml", [
        Problem("procedure の値「consultaton」は使えません。", "consultation（諮問）か report（報告）を書いてください。", 5, 12)])
    rules = {f.rule_id: RuleInfo(id=f.rule_id, title=f.title, why=f"{f.title}ことを審議会は確かめる。", severity=f.severity,
                                 topic_label=f.topic_label, safeguards=tuple((s.id, s.text) for s in f.safeguards))
             for f in report.findings}
    return LintResults(files=[
        FileResult(path=report.proposal.file, report=report, unused_acceptances=(("LOG-901", 40, 5),)),
        FileResult(path=clean.proposal.file, report=clean),
        FileResult(path=broken.path, error=broken)], rules=rules, fail_on="high")


def _proposal(**fields: object) -> Proposal:
    return Proposal.model_validate({"procedure": "consultation", "municipality": "見本市", **fields})


def sample_agenda():
    """Three items for a 25-minute meeting: two on the same system (one group), a report last that
    does not fit, and a file that could not be read."""
    report = sample_report()
    second = _without(report, {"SEN-901", "NET-901"}, "proposals/examples/sample-second.yaml", "見本市 相談記録の保存期間の変更",
                      kinds=["new_processing"], kind_labels=[label("Kind", "new_processing")])
    third = _without(report, {"SEN-901", "NET-901", "TRN-901"}, "proposals/examples/sample-report.yaml",
                     "見本市 窓口アンケートの結果（報告）", procedure="report", procedure_label="報告",
                     kinds=["new_processing"], kind_labels=[label("Kind", "new_processing")], department="市民課")
    entries = [
        (_proposal(id="sample-golden", title=report.proposal.title, department="こども家庭課", kinds=["outsourcing", "cloud"],
                   system="子育て支援システム"), report),
        (_proposal(id="sample-report", title=third.proposal.title, procedure="report", department="市民課",
                   kinds=["new_processing"], related=["sample-missing"]), third),
        (_proposal(id="sample-second", title=second.proposal.title, department="こども家庭課", kinds=["new_processing"],
                   system="子育て支援システム"), second),
    ]
    errors = [AgendaError(file="proposals/examples/sample-broken.yaml",
                          message="proposals/examples/sample-broken.yaml:5:12: エラー: procedure の値「consultaton」は使えません。")]
    return build_agenda(entries, minutes=25, errors=errors)


def sample_diff():
    """A resubmission that settles one finding, lowers another, raises a new one and edits fields."""
    old_report = sample_report()
    by_id = {f.rule_id: f for f in old_report.findings}
    lowered = by_id["TRN-901"].model_copy(update={"residual_severity": "low"})
    new = by_id["DEL-901"].model_copy(update={
        "rule_id": "LOG-901", "concern": "LOG-901", "rules": ["LOG-901"], "title": "アクセス記録を確認する人が決まっていない",
        "topic": "logging_audit", "topic_label": "アクセス記録・追跡可能性", "acceptance": None, "note": "", "triggers": []})
    new_report = _without(old_report, {"SEN-901", "TRN-901"}, "proposals/examples/sample-golden-2.yaml", added=(lowered, new))
    old = _proposal(id="sample-golden", title=old_report.proposal.title, kinds=["outsourcing", "cloud"],
                    data_items=["氏名", "住所", "障害の有無"], safeguards=["media-encryption"])
    revised = _proposal(id="sample-golden", title=old_report.proposal.title, kinds=["outsourcing", "cloud"],
                        data_items=["氏名", "住所"], safeguards=["media-encryption", "handover-record"])
    return build_diff(old_report.proposal.file, old, old_report, new_report.proposal.file, revised, new_report,
                      {"handover-record": "受渡簿で授受を記録し、双方が確認する"})


def sample_catalogue() -> Catalogue:
    """The guide's example rule (docs/examples/my-rules), as `rules list` shows a catalogue."""
    text = (ROOT / "docs" / "examples" / "my-rules" / "misdelivery" / "REI-001.yaml").read_text(encoding="utf-8")
    rule = Rule.model_validate(yaml.safe_load(text))
    return Catalogue(rules=[rule], safeguards={}, topics={"misdelivery": "誤送付・誤交付"}, vocabulary=None,  # type: ignore[arg-type]
                     example_base={})
