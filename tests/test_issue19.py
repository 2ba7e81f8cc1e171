"""What councils ask now (issue 19): generative AI, government cloud, the registered layer of a SaaS,
sub-processors behind a 'no re-entrustment', continuity, exit, and messaging platforms.

The three examples are written as a department would first bring them; each report must open with the
questions the national guidance of 2023-2026 puts first (among its five most likely topics).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from checker.core.facts import build_facts
from checker.core.pipeline import check_file
from checker.core.proposal import Ai, Cloud, Continuity, GovernmentCloud, Messaging, Proposal
from checker.core.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "proposals" / "examples"
RULES = ROOT / "rules"


def _top5_rules(report) -> set[str]:
    """Every rule behind the five most likely topics, as the report's opening lists them."""
    leads = {r for t in report.topics[:5] for r in t.rules}
    return {r for f in report.findings if f.rule_id in leads for r in f.rules}


@pytest.mark.parametrize("name, expected", [
    # training use and its clause, what the provider keeps, foreign law, what the AI must not decide,
    # telling users it is AI, the LINE guideline, human review
    ("genai-chatbot-line-web", {"AI-001", "AI-002", "AI-004", "AI-005", "AI-006", "SNS-001", "AI-009"}),
    # who reaches the data, region, the PIA's 重要な変更 and its sections, contract chain, the counter when down
    ("govcloud-migration-resident-register", {"GOV-001", "GOV-002", "GOV-003", "GOV-004", "AVL-002"}),
    # the registered layer, exit, the counter when down, the SMS and payment sub-processors
    ("saas-platform-registered", {"CLD-008", "CLD-009", "AVL-002", "SUB-003"}),
])
def test_example_opens_with_the_issues_questions(engine, name, expected):
    report = check_file(EXAMPLES / f"{name}.yaml", engine)
    top = _top5_rules(report)
    assert expected <= top, f"{name}: 上位 5 論点に {sorted(expected - top)} がない（上位: {sorted(top)}）"
    open_ids = {r for f in report.open_findings for r in f.rules}
    assert expected <= open_ids


def test_the_chatbot_report_names_the_overseas_provider_and_the_reentrustment(engine):
    report = check_file(EXAMPLES / "genai-chatbot-line-web.yaml", engine)
    rules = {r for f in report.open_findings for r in f.rules}
    assert {"AI-003", "AI-007", "AI-010"} <= rules
    sub = next(f for f in report.findings if "SUB-003" in f.rules)
    assert "AI の提供者" in " ".join(t.because for t in sub.triggers)


def test_government_cloud_is_read_by_rules_in_every_pia_example(engine):
    # Every PIA example runs its system on the government cloud; the one that states the roles, region,
    # contract chain, re-assessment and fallback is quiet, the others are asked.
    for path in sorted(EXAMPLES.glob("pia-*.yaml")):
        rules = {r for f in check_file(path, engine).open_findings for r in f.rules}
        assert "GOV-001" in rules, path.name
    clean = {r for f in check_file(EXAMPLES / "complete-pia_review.yaml", engine).findings for r in f.rules}
    assert not {r for r in clean if r.startswith("GOV-")}


def _facts(**fields) -> dict:
    p = Proposal.model_validate({"id": "x", "title": "t", "procedure": "consultation", "kinds": ["cloud"], **fields})
    return {f["t"]: f for f in build_facts(p, load_vocabulary(RULES / "vocabulary.yaml"))}


def test_certificate_requests_are_read_from_the_text_unless_stated():
    assert _facts(business="住民票の写しの交付請求の受付")["proposal"]["certificate_request"] is True
    assert "certificate_request" not in _facts(business="粗大ごみの収集申込")["proposal"]
    stated = _facts(business="住民票の写しの交付請求の受付",
                    messaging={"platform": "LINE", "certificate_requests": False})
    assert stated["proposal"]["certificate_request"] is False


def test_sub_processors_implied_by_the_facts():
    facts = _facts(vendors=[{"name": "A", "role": "受付とカード決済"}],
                   deliveries=[{"what": "通知", "channel": "sms", "by_vendor": True}],
                   ai={"name": "bot", "contracted_by": "vendor", "provider": "LLM 事業者"})
    assert facts["proposal"]["implied_subprocessors"] == "SMS の配信、決済代行、AI の提供者（LLM 事業者）"
    assert "implied_subprocessors" not in _facts(vendors=[{"name": "A", "role": "受付"}])["proposal"]


@pytest.mark.parametrize("model", [Ai, GovernmentCloud, Continuity, Messaging])
def test_new_sections_assert_no_answer_by_default(model: type[BaseModel]):
    for name, field in model.model_fields.items():
        if "bool" in str(field.annotation):
            assert field.default is None, f"{model.__name__}.{name} の既定値が答えを決めています"


def test_cloud_layer_fields_are_unstated_by_default():
    c = Cloud(service="s")
    assert c.service_model is None and c.registered_layer is None and c.data_return_format == ""
    facts = _facts(cloud={"service": "s"})
    assert "service_model" not in facts["cloud"] and "registered_layer" not in facts["cloud"]
