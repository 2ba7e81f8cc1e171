"""Rule examples: partial proposals deep-merged over rules/example_base.yaml, checked against what
the rule file says of them (fires / quiet, and a fires example's `expect:`); and each safeguard's
`example:`, which its own `satisfied_by` must tick."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Iterator

import yaml

from checker.core.catalogue import Catalogue, Example, Expectation, Rule, Safeguard
from checker.core.errors import InputError
from checker.core.findings import Report
from checker.core.likelihood import band

if TYPE_CHECKING:
    from checker.core.engine import Engine


def deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """JSON Merge Patch (RFC 7386): mappings merge key by key, lists and scalars in the patch
    replace the base, and null removes the key (how an example leaves a section unstated)."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def example_yaml(catalogue: Catalogue, example: Example) -> str:
    """The full proposal text of an example, as a department would write it."""
    data = deep_merge(catalogue.example_base, example.proposal)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def iter_examples(catalogue: Catalogue) -> Iterator[tuple[Rule, str, Example]]:
    """(rule, 'fires' | 'quiet', example) for every example in the catalogue."""
    for rule in catalogue.rules:
        for kind in ("fires", "quiet"):
            for example in getattr(rule.examples, kind):
                yield rule, kind, example


def check_example(catalogue: Catalogue, engine: "Engine", example: Example) -> Report:
    """The report on an example proposal, as a department would see it."""
    from checker.core.pipeline import check_text
    return check_text(example_yaml(catalogue, example), f"<example {example.name}>", engine)


def fired_rules(report: Report) -> set[str]:
    """The rule ids that held (every trigger of every finding)."""
    return {rule_id for f in report.findings for rule_id in f.rules}


def unmet(rule: Rule, kind: str, example: Example, report: Report) -> list[str]:
    """Japanese descriptions of what the example's report does not show as the rule file says."""
    fired = fired_rules(report)
    if kind == "quiet":
        return [f"非該当例「{example.name}」で発火します。"] if rule.id in fired else []
    finding = next((f for f in report.findings if rule.id in f.rules), None)
    if finding is None:
        return [f"該当例「{example.name}」で発火しません（発火したルール: {', '.join(sorted(fired)) or 'なし'}）。"]
    expect = example.expect or Expectation()
    where = f"該当例「{example.name}」"
    problems = []
    # A fires example stays open unless it says otherwise: a safeguard ticked by the very facts that
    # make the rule fire would make the rule cover itself.
    status = expect.status or "open"
    if finding.status != status:
        problems.append(f"{where}の指摘の状態が {finding.status} です（期待: {status}）。")
    shown = {"severity": finding.residual_severity, "deferral": finding.deferral,
             "location": finding.location.path, "form_section": finding.form_section,
             "likelihood": band(finding.likelihood)}
    for key, actual in shown.items():
        wanted = getattr(expect, key)
        if wanted is not None and actual != wanted:
            problems.append(f"{where}の {key} が {actual!r} です（期待: {wanted!r}）。")
    problems += [f"{where}の理由「{finding.because}」に「{word}」が含まれていません。"
                 for word in expect.because if word not in finding.because]
    problems += [f"{where}で {other} も発火します（expect.silent）。" for other in expect.silent if other in fired]
    return problems


# The smallest valid proposal a safeguard's example is laid over: it states nothing, so what ticks
# the safeguard is the example itself (rules/example_base.yaml states a whole proposal).
SAFEGUARD_BASE: dict[str, Any] = {"id": "safeguard-example", "title": "安全管理措置の例", "procedure": "consultation",
                                  "kinds": ["new_processing"]}


def stated_safeguards(catalogue: Catalogue, engine: "Engine", data: dict[str, Any], name: str) -> set[str]:
    """The safeguards a proposal's own statements put in place (an InputError if it is not valid)."""
    from checker.core.engine import SAFEGUARD_UNIT
    from checker.core.facts import build_facts
    from checker.core.loading import parse_yaml
    from checker.core.validation import validate
    proposal = validate(parse_yaml(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), name), name)
    facts = build_facts(proposal, catalogue.vocabulary, catalogue.areas)
    return {m.rule_id[len(SAFEGUARD_UNIT):] for m in engine.evaluate(facts) if m.rule_id.startswith(SAFEGUARD_UNIT)}


def unmet_safeguard(catalogue: Catalogue, engine: "Engine", sg: Safeguard) -> list[str]:
    """Japanese descriptions of how a safeguard's `satisfied_by` and `example:` disagree."""
    if sg.satisfied_by is None:
        return ["に example がありますが、satisfied_by がありません。example を消すか、その例で満たされる条件を"
                "satisfied_by に書いてください。"] if sg.example is not None else []
    if sg.example is None:
        return ["の satisfied_by に example がありません。この条件を満たす部分的な案件を example: に書いてください"
                "（条件が満たされうることの確認に使います）。"]
    try:
        stated = stated_safeguards(catalogue, engine, deep_merge(SAFEGUARD_BASE, sg.example), f"<{sg.id} の example>")
    except InputError as exc:
        return [f"の example が案件として正しくありません: {exc.problems[0].message}"
                + (f"（{exc.problems[0].hint}）" if exc.problems[0].hint else "")]
    if sg.id not in stated:
        return ["の satisfied_by が、自分の example を満たしません（この条件では措置が「済」になることがありません）。"
                "条件のファクト型・項目・値が example の記載と合っているか確かめてください（docs/facts.md）。"]
    return []


def verify(catalogue: Catalogue, engine: "Engine") -> list[str]:
    """Japanese descriptions of every example that does not behave as its rule file says, and of
    every safeguard whose condition does not tick its own example."""
    failures = []
    for rule, kind, example in iter_examples(catalogue):
        report = check_example(catalogue, engine, example)
        failures += [f"{catalogue.files[rule.id]}: {rule.id} の{problem}"
                     for problem in unmet(rule, kind, example, report)]
    for sg in catalogue.safeguards.values():
        where = catalogue.safeguard_files.get(sg.id, "safeguards.yaml")
        failures += [f"{where}: 安全管理措置 {sg.id} {problem}" for problem in unmet_safeguard(catalogue, engine, sg)]
    return failures
