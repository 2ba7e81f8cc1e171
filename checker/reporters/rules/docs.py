"""Rule documentation generated from the catalogue (docs/rules.md); never edited by hand."""
from __future__ import annotations

from checker.core.catalogue import Catalogue, Rule
from checker.core.examples import example_yaml
from checker.core.findings import SEVERITY_LABELS
from checker.reporters.templating import environment


def _context(cat: Catalogue) -> dict:
    return {"cat": cat, "sev": SEVERITY_LABELS, "example_yaml": lambda ex: example_yaml(cat, ex)}


def render_docs(cat: Catalogue) -> str:
    by_topic = {code: [r for r in cat.rules if r.topic == code] for code in cat.topics}
    return environment(autoescape=False).get_template("rules.md.j2").render(
        by_topic=by_topic, **_context(cat)).rstrip() + "\n"


def render_rule(cat: Catalogue, rule: Rule) -> str:
    return environment(autoescape=False).get_template("rule.md.j2").render(
        rule=rule, **_context(cat)).rstrip() + "\n"
