"""The knowledge model (issue 11): unstated areas are findings, stated facts tick safeguards, one
concern is one finding, and every finding carries a calibrated likelihood that orders the report."""
from __future__ import annotations

import difflib
import itertools
import json
import subprocess
import sys
import unicodedata

import pytest
import yaml

from checker.commands.new import KINDS, template
from checker.commands.rules.calibrate import calibrated_text
from checker.core import conditions
from checker.core.coverage import is_placeholder
from checker.core.engine import SAFEGUARD_UNIT
from checker.core.examples import deep_merge
from checker.core.facts import build_facts
from checker.core.loading import parse_yaml
from checker.core.pipeline import check_text
from checker.core.validation import validate
from checker.reporters import render

from .conftest import ROOT
from .placeholder_samples import COMPLETE as COMPLETE_EXAMPLES
from .placeholder_samples import FORMS as PLACEHOLDER_FORMS
from .placeholder_samples import occurrences, placeholder_text

# The smallest valid proposal: it states (almost) nothing, so a safeguard it ticks is ticked by the patch.
MINIMAL = {"id": "m", "title": "最小の案件", "procedure": "consultation", "kinds": ["new_processing"]}


def _check(engine, data: dict, name: str = "x.yaml"):
    return check_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), name, engine)


def _stated(engine, catalogue, data: dict) -> set[str]:
    """Safeguard ids the proposal's own statements put in place."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    proposal = validate(parse_yaml(text, "x.yaml"), "x.yaml")
    facts = build_facts(proposal, catalogue.vocabulary, catalogue.areas)
    return {m.rule_id[len(SAFEGUARD_UNIT):] for m in engine.evaluate(facts) if m.rule_id.startswith(SAFEGUARD_UNIT)}


# --- 1. Unstated is a finding -----------------------------------------------------------------

@pytest.mark.parametrize("text", ["○○", "○○のため", "第○条第○項", "未定", "TBD", " tbd ", "ＴＢＤ", "検討中", "××", "…", "",
                                  "未決定", "TBA", "N/A", "ｎ／ａ", "要検討", "確認中", "調整中", "xx", "XX", "XX市", "＊＊＊",
                                  "(仮)", "（仮）", "委託先（仮）", "等", "【未定】", "「TBD」", "（（未定））", "？？", "-"])
def test_placeholders_count_as_unstated(text):
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["委託先は未定のため、選定後に報告する", "第8条第2項", "年 1 回", "×2 の確認",
                                  "（仮称）子ども家庭センター", "Exxon", "**重要** 年 1 回", "氏名等", "TBA 社の実績"])
def test_real_statements_are_not_placeholders(text):
    assert not is_placeholder(text)


@pytest.mark.parametrize("kind", KINDS)
def test_no_unedited_scaffold_is_approved_or_low(engine, kind):
    """A scaffold states nothing on the department's behalf, so it is checked as the empty proposal it is."""
    report = check_text(template(kind), f"new-{kind}.yaml", engine)
    assert report.assessment.outcome != "approved", [f.rule_id for f in report.findings]
    assert report.summary.risk == "high"
    assert "MIN-004" in {f.rule_id for f in report.findings}           # the purpose is still ○○


def test_an_unstated_area_is_asked_and_stating_it_or_saying_why_not_ends_the_question(engine):
    sensitive = {"data_items": ["氏名", "病名"], "sensitive_data": {"included": True, "justification": "審査に必要"}}
    silent = deep_merge(MINIMAL, sensitive)
    fired = {rid for f in _check(engine, silent).findings for rid in f.rules}
    assert {"LOG-005", "ACC-005", "ACC-007"} <= fired
    stated = deep_merge(silent, {"logging": {"access_logs": True, "periodic_review": True, "reviewer": "課長"}})
    assert "LOG-005" not in {rid for f in _check(engine, stated).findings for rid in f.rules}
    not_applicable = deep_merge(silent, {"not_applicable": {"logging": "紙の台帳だけで扱い、電子計算機に記録しないため"}})
    assert "LOG-005" not in {rid for f in _check(engine, not_applicable).findings for rid in f.rules}
    # a placeholder is not a reason
    placeholder = deep_merge(silent, {"not_applicable": {"logging": "○○のため"}})
    assert "LOG-005" in {rid for f in _check(engine, placeholder).findings for rid in f.rules}


def test_an_unknown_area_under_not_applicable_is_an_input_error_with_a_hint(engine, write_yaml):
    from checker.core.errors import InputError
    from checker.core.pipeline import check_file
    data = deep_merge(MINIMAL, {"not_applicable": {"loging": "紙だけで扱うため"}})
    path = write_yaml(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(InputError) as info:
        check_file(path, engine)
    text = str(info.value)
    assert "loging" in text and "「logging」の誤りではありませんか" in text


def test_every_area_is_read_by_some_rule_or_safeguard(catalogue):
    read = set()
    conds = [r.condition for r in catalogue.rules] + [s.condition for s in catalogue.safeguards.values() if s.condition]
    for node in conds:
        for pattern, _ in conditions.patterns(node):
            if pattern.fact == "coverage":
                test = dict(pattern.tests()).get("area")
                if test is not None:
                    read.update(test.value if isinstance(test.value, list) else [test.value])
    assert {a.id for a in catalogue.areas} - read == set()


# --- 2. Facts are safeguards ---------------------------------------------------------------------

def test_every_safeguard_is_stated_by_a_field_or_says_why_it_cannot_be(catalogue):
    for sg in catalogue.safeguards.values():
        assert (sg.satisfied_by is None) != (not sg.declared_only), sg.id
        assert (sg.satisfied_by is None) == (sg.example is None), sg.id


def test_every_safeguard_that_has_a_field_is_ticked_by_that_field(engine, catalogue):
    assert not _stated(engine, catalogue, MINIMAL) - {"prior-consultation"}
    checked = 0
    for sg in catalogue.safeguards.values():
        if sg.example is None:
            continue
        assert sg.id in _stated(engine, catalogue, deep_merge(MINIMAL, sg.example)), sg.id
        checked += 1
    assert checked >= 60


@pytest.mark.parametrize(("patch", "rule", "safeguard"), [
    ({"kinds": ["cloud"], "data_items": ["氏名", "病名"], "sensitive_data": {"included": True, "justification": "必要"},
      "systems": [{"name": "共有サービス", "place": "cloud", "terms": "standard"}],
      "cloud": {"service": "共有サービス", "terms": "standard", "certifications": ["ismap"], "tenant_isolation": True}},
     "CLD-001", "cloud-certification"),
    ({"kinds": ["external_linkage"], "pilot": {"period": "半年", "scope": "1 手続", "report_back": True}},
     "PIL-003", "pilot-report-back"),
    ({"kinds": ["outsourcing"], "vendors": [{"name": "委託先A"}],
      "transfers": [{"from": "課", "to": "委託先A", "medium": "usb", "encrypted": True, "password_separate": True}]},
     "TRN-001", "media-encryption"),
])
def test_a_stated_fact_shows_the_safeguard_done_where_it_is_stated(engine, patch, rule, safeguard):
    report = _check(engine, deep_merge(MINIMAL, patch))
    finding = next(f for f in report.findings if rule in f.rules)
    check = next(s for s in finding.safeguards if s.id == safeguard)
    assert check.declared and check.stated_in, (rule, safeguard, check)
    assert f"記載から確認（{check.stated_in}）" in render("report", "text", [report])


# --- 3. One concern, one finding -----------------------------------------------------------------

def test_rules_asking_the_same_question_appear_once(engine):
    reentrust = deep_merge(MINIMAL, {"kinds": ["outsourcing"], "vendors": [{"name": "委託先A", "reentrustment": {"allowed": True}}]})
    report = _check(engine, reentrust)
    merged = [f for f in report.findings if set(f.rules) & {"CON-004", "SUB-001", "SUB-002"}]
    assert len(merged) == 1
    assert set(merged[0].rules) == {"CON-004", "SUB-001", "SUB-002"} and len(merged[0].triggers) == 3
    assert merged[0].rule_id == "CON-004"                   # the most severe leads
    questions = merged[0].questions
    assert len(questions) == len(set(questions))
    text = render("report", "text", [report])
    assert text.count("] CON-004 ") == 1 and "ほかに: SUB-001" in text and "ほかに: SUB-002" in text
    one_clerk = deep_merge(MINIMAL, {"data_items": ["氏名", "虐待の状況"], "sensitive_data": {"included": True, "justification": "支援に必要"},
                                     "migration": {"medium": "lgwan", "checked_by": "one_clerk"},
                                     "retention": {"confirmed_by": "one_clerk"}})
    checks = [f for f in _check(engine, one_clerk).findings if set(f.rules) & {"VER-001", "VER-002", "VER-003"}]
    assert len(checks) == 1 and {"VER-001", "VER-003"} <= set(checks[0].rules)


def test_no_two_rules_of_different_concerns_ask_the_same_question_on_the_same_facts(catalogue):
    """Rules that would ask the council's same question about the same part of a proposal must
    share a `concern` (and so merge into one finding)."""
    def norm(q: str) -> str:
        return unicodedata.normalize("NFKC", q).replace(" ", "")

    def facts(rule) -> set[str]:
        return {p.fact for p, negated in conditions.patterns(rule.condition) if not negated} - {"kind", "proposal", "coverage"}

    clashes = []
    for a, b in itertools.combinations(catalogue.rules, 2):
        if a.concern_key == b.concern_key or not facts(a) & facts(b):
            continue
        similar = max(difflib.SequenceMatcher(None, norm(x), norm(y)).ratio() for x in a.questions for y in b.questions)
        if similar >= 0.85:
            clashes.append((a.id, b.id, round(similar, 2)))
    assert clashes == []


# --- 4. Ranked by likelihood -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def ranked(engine):
    return check_text((ROOT / "proposals" / "seeds" / "000-1-sns-application-pilot.yaml").read_text(encoding="utf-8"),
                      "000-1.yaml", engine)


def test_likelihood_is_present_in_range_and_orders_the_findings(ranked):
    records = ranked.as_records()
    values = [f["likelihood"] for f in records["findings"]]
    assert values and all(0 <= v <= 1 for v in values)
    assert values == sorted(values, reverse=True)
    topics = [t["likelihood"] for t in records["topics"]]
    assert topics == sorted(topics, reverse=True) and all(0 <= v <= 1 for v in topics)
    # a topic is at least as likely as its most likely open finding, and the JSON keeps n and k
    by_topic = {t["topic"]: t for t in records["topics"]}
    for f in records["findings"]:
        assert {"likelihood_n", "likelihood_k", "likelihood_label"} <= set(f)
        if f["status"] != "covered" and f["topic"] in by_topic and f["rule_id"] in by_topic[f["topic"]]["rules"]:
            assert by_topic[f["topic"]]["likelihood"] >= f["likelihood"] - 0.005


def test_topics_do_not_inflate_and_covered_findings_do_not_raise_them(ranked):
    """A topic is its strongest open finding plus a bounded bonus, not a noisy-or that reaches 100 %."""
    from checker.core.likelihood import BONUS_CAP
    by_rule = {f.rule_id: f for f in ranked.findings}
    for t in ranked.topics:
        counted = [by_rule[r] for r in t.rules]
        assert t.likelihood <= max(f.likelihood for f in counted) + BONUS_CAP + 0.005, t
        if not t.settled:
            assert all(f.status != "covered" for f in counted), t
            assert t.question in [q for f in counted for q in f.questions] + \
                [tr.question for f in counted for tr in f.triggers], t


def test_a_finding_sits_in_one_topic_of_the_top_five(ranked):
    top = [r for t in ranked.topics[:5] for r in t.rules]
    assert len(top) == len(set(top)), top


def test_guidance_only_rules_say_so_and_do_not_take_their_topics_rate(engine):
    """A rule with no precedent in the minutes and no recorded item shows 「国の指針のみ」, scored at the
    overall rate (not its topic's) and shown on the same recalibrated scale as every finding."""
    from checker.core.likelihood import GUIDANCE_ONLY
    report = check_text((ROOT / "proposals" / "examples" / "pia-local-tax.yaml").read_text(encoding="utf-8"),
                        "pia.yaml", engine)
    guided = [f for f in report.findings if f.likelihood_n == 0]
    assert guided, "a PIA review example has findings without a recorded precedent"
    overall = engine.catalogue.likelihoods.overall
    for f in guided:
        assert f.score == round(overall, 2)
        assert f.likelihood == engine.catalogue.likelihoods.shown(f.score)
        assert f.likelihood_label in (GUIDANCE_ONLY, "先例なし（記録に同じ条件の案件なし）")
    assert any(f.likelihood_label == GUIDANCE_ONLY for f in guided)
    assert GUIDANCE_ONLY in render("report", "text", [report])


@pytest.mark.parametrize("fmt", ["text", "md", "html", "csv"])
def test_every_human_format_shows_the_likelihood_most_likely_first(ranked, fmt):
    out = render("report", fmt, [ranked])
    open_ = [f for f in ranked.findings if f.is_open]
    first, last = open_[0], open_[-1]
    assert first.likelihood_label in out and "件中" in first.likelihood_label, fmt   # e.g. 高い（会議録3件中2件）
    assert "%" not in first.likelihood_label
    if fmt != "csv":
        assert "問われる見込みの根拠: 種の会議録" in out and "33案件" in out
    if fmt != "csv":
        assert "最も問われそうな論点" in out and ranked.topics[0].label in out
        findings_part = out[out.index(first.title):]        # after the opening summary
        assert last.title in findings_part
    else:
        assert "問われる見込み" in out.splitlines()[0]


def test_lint_formats_carry_the_likelihood(ranked):
    import json
    import xml.etree.ElementTree as ET

    from checker.commands.lint.results import FileResult, LintResults, rule_infos
    from checker.core.cache import load_engine
    from checker.reporters import render_lint
    results = LintResults(files=[FileResult(path="p.yaml", report=ranked)], rules=rule_infos(load_engine().catalogue))
    f = next(x for x in ranked.findings if x.status != "covered")
    assert f"（見込み {f.likelihood_label}）" in render_lint("text", results)
    sarif = json.loads(render_lint("sarif", results))["runs"][0]["results"]
    assert any(r["properties"]["likelihood"] == f.likelihood for r in sarif if r["ruleId"] == f.rule_id)
    junit = ET.fromstring(render_lint("junit", results).split("\n", 1)[1])
    assert any(f"問われる見込み: {f.likelihood_label}" in (x.text or "") for x in junit.iter())  # failure or system-out
    assert f"問われる見込み {f.likelihood_label}" in render_lint("github", results)


def test_recalibration_keeps_a_slope_only_when_held_out_meetings_confirm_it():
    """What a report shows is the score recalibrated on out-of-fold predictions (logistic), and the
    slope is dropped for one rate when leaving meetings out does not confirm it."""
    from checker.core.likelihood import fit_recalibration
    # every meeting: high scores raised, low scores not -> the slope holds out of every meeting
    telling = {f"m{i}": [(0.8, True)] * 6 + [(0.8, False)] * 1 + [(0.2, False)] * 6 + [(0.2, True)] * 1
               for i in range(4)}
    kept = fit_recalibration(telling)
    assert kept.slope > 0 and kept(0.8) > 0.7 and kept(0.2) < 0.3
    # one meeting where high scores were raised, the others where they were not: no shared signal
    noisy = {"m0": [(0.8, True)] * 6 + [(0.2, False)] * 6,
             **{f"m{i}": [(0.8, False)] * 3 + [(0.8, True)] * 2 + [(0.2, True)] * 3 + [(0.2, False)] * 3
                for i in range(1, 4)}}
    flat = fit_recalibration(noisy)
    assert flat.slope == 0 and flat(0.9) == flat(0.1)
    share = sum(y for ps in noisy.values() for _, y in ps) / sum(len(ps) for ps in noisy.values())
    assert abs(flat(0.5) - share) < 0.01
    # raised less often the higher the score: a recalibration never turns the order around
    inverted = {f"m{i}": [(0.8, False)] * 5 + [(0.2, True)] * 5 for i in range(3)}
    assert fit_recalibration(inverted).slope == 0


def test_bundled_figures_say_how_far_they_can_be_told_apart(engine):
    """On the seed minutes the topics' scores do not beat one rate out of their meeting: every report
    says so, shows that rate, and still orders by the scores."""
    likelihoods = engine.catalogue.likelihoods
    report = check_text((ROOT / "proposals" / "examples" / "genai-chatbot-line-web.yaml").read_text(encoding="utf-8"),
                        "genai.yaml", engine)
    assert likelihoods.shown.slope == 0, "rules/likelihood.yaml: the seeds now confirm a slope; revisit this test"
    assert "再現しなかった" in report.calibration and "並び順" in report.calibration
    rate = likelihoods.shown(0.0)
    # one rate for all, lower only where a finding's own record caps it (likelihood.ceiling)
    assert all(t.likelihood <= rate for t in report.topics) and report.topics[0].likelihood == rate
    scores = [t.score for t in report.topics[:5]]
    assert len(set(scores)) > 1, "the scores still tell the topics apart"
    assert [t.likelihood for t in report.topics] == sorted((t.likelihood for t in report.topics), reverse=True)


def test_likelihood_file_is_current(engine):
    current = (ROOT / "rules" / "likelihood.yaml").read_text(encoding="utf-8")
    assert current == calibrated_text(ROOT / "proposals" / "seeds", ROOT / "tests" / "seeds" / "gold.yaml", engine), \
        "rules/likelihood.yaml is stale: run `shingikai rules calibrate`"


def test_cross_validation_script_prints_its_figures(tmp_path):
    """benchmarks/crossval.py runs on the seeds in CI: figures are printed, nothing is timed."""
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "crossval.py")], capture_output=True,
                          text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    print("\n" + proc.stdout)
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(figures["folds"]) == 5
    overall = figures["overall"]
    for key in ("recall@5", "recall", "base@5", "base"):
        assert 0 <= overall[key] <= 1
    assert overall["items"] == 33 and overall["topics_per_item"] > 0
    # calibration as well as recall: reliability per band and the Brier score beside one constant rate
    assert {"topics", "findings", "topic_scores"} <= set(figures["reliability"])
    assert all(len(pair) == 2 and pair[1] > 0 for pair in figures["brier"].values())
    assert "Brier score" in proc.stdout and "for one constant rate" in proc.stdout


@pytest.mark.parametrize("form", PLACEHOLDER_FORMS)
def test_no_complete_example_filled_with_placeholders_is_approved(engine, form):
    """Issue 17: every text value of each complete example replaced by one placeholder form states
    nothing, so no example comes out 承認 or without risk, and every placeholder is listed."""
    for example in COMPLETE_EXAMPLES:
        text = placeholder_text(example, form)
        report = check_text(text, example.name, engine)
        assert report.assessment.outcome != "approved" and report.summary.risk != "none", example.name
        assert len(report.placeholders) == occurrences(yaml.safe_load(text), form) > 10, example.name
