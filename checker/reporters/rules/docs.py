"""Rule documentation generated from the catalogue (docs/rules.md); never edited by hand."""
from __future__ import annotations

from checker.core.catalogue import Catalogue, Precedent, Rule
from checker.core.examples import example_yaml
from checker.core.findings import SEVERITY_LABELS
from checker.core.regime import minutes_regime
from checker.reporters.templating import environment


REGIME_LABELS = {"act": "現行法", "ordinance": "旧条例（2023-03-31 までの案件の読み直しだけ）"}


def cite(cat: Catalogue, precedent: Precedent) -> str:
    """A precedent as a reader looks it up: the source's title with its edition, or — for minutes — the
    meeting with 【旧条例下】 when it was held before the Act applied (2023-04-01)."""
    source = cat.sources.get(precedent.source)
    if source is None:
        return f"{precedent.source} {precedent.item}"
    if source.kind == "minutes":
        regime = minutes_regime(source.date)
        return f"{source.title}{f'【{regime}】' if regime else ''} {precedent.item}"
    edition = f"〔{source.edition}〕" if source.edition and source.edition not in source.title else ""
    return f"{source.title}{edition} {precedent.item}"


def _context(cat: Catalogue) -> dict:
    return {"cat": cat, "sev": SEVERITY_LABELS, "example_yaml": lambda ex: example_yaml(cat, ex),
            "cite": lambda p: cite(cat, p), "regime_labels": REGIME_LABELS}


def render_docs(cat: Catalogue) -> str:
    by_topic = {code: [r for r in cat.rules if r.topic == code] for code in cat.topics}
    return environment(autoescape=False).get_template("rules.md.j2").render(
        by_topic=by_topic, **_context(cat)).rstrip() + "\n"


def render_rule(cat: Catalogue, rule: Rule) -> str:
    return environment(autoescape=False).get_template("rule.md.j2").render(
        rule=rule, **_context(cat)).rstrip() + "\n"
