"""The only module that touches durable-rules.

One compiled `Engine` per catalogue holds one durable Host. Each proposal gets its own
session id; its state is deleted afterwards, so 100 proposals in one process give the results
of 100 separate runs. Traps we measured (see ARCHITECTURE.md) are handled here:
- a catch-all rule handles every fact, so no batch raises MessageNotHandled and loses findings;
- finding rules join a `go` marker asserted after all facts, so negations see the whole proposal;
- derived facts form later strata: each stratum has its own marker, asserted after the
  previous stratum's derived facts;
- rulesets are split well below durable's join-node limit.
"""
from __future__ import annotations

import copy
import itertools
import json
from dataclasses import dataclass
from typing import Any

from durable import engine as durable

from . import conditions
from .catalogue import PLACEHOLDER, Catalogue, Rule

RULES_PER_RULESET = 100
_NOOP = "noop"


class EngineError(RuntimeError):
    """The rule engine failed; the CLI reports an internal error (exit 3)."""


@dataclass(frozen=True)
class Match:
    """One way a rule's condition held: the facts matched, by pattern name."""

    rule_id: str
    facts: dict[str, dict[str, Any]]


class _Host(durable.Host):
    """Resolves every action name to a recorder; no string is ever evaluated."""

    def __init__(self) -> None:
        super().__init__()
        self.recorded: list[tuple[str, dict[str, Any]]] = []

    def _run(self) -> None:
        # durable's Host starts timer threads that dispatch pending actions every ~0.2 s, racing
        # the caller: findings went missing and complete_and_start_action failed (error 307) in
        # loaded `shingikai lint -j 2` runs. Every action we need runs inside assert_facts.
        pass

    def get_action(self, action_name: str) -> Any:
        if action_name == _NOOP:
            return lambda c: None

        def record(c: Any) -> None:
            # Each frame maps the rule's pattern names to the facts matched. With "cap" durable
            # hands over every pending frame of the rule at once, as the list c.m.
            frames = [c._m] if "_m" in vars(c) else [m._d for m in c.m]
            for frame in frames:
                self.recorded.append((action_name, {k: dict(v) for k, v in frame.items()}))
        return record


def _strata(catalogue: Catalogue) -> dict[str, int]:
    """Stratum of each rule: 1 + the highest stratum of any rule deriving a fact it reads."""
    derivers: dict[str, list[str]] = {}
    for rule in catalogue.rules:
        if rule.derive:
            derivers.setdefault(rule.derive.fact, []).append(rule.id)
    level: dict[str, int] = {}

    def visit(rule: Rule, stack: tuple[str, ...]) -> int:
        if rule.id in level:
            return level[rule.id]
        if rule.id in stack:
            raise EngineError(f"導出ファクトが循環しています: {' → '.join(stack + (rule.id,))}")
        reads = {p.fact for p, _ in conditions.patterns(rule.condition)}
        deps = [catalogue.by_id[r] for fact in reads for r in derivers.get(fact, [])]
        level[rule.id] = 1 + max((visit(d, stack + (rule.id,)) for d in deps), default=0)
        return level[rule.id]

    for rule in catalogue.rules:
        visit(rule, ())
    return level


class Engine:
    """A catalogue compiled once into durable rulesets; evaluate() runs one proposal."""

    _instances = itertools.count()

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.strata = _strata(catalogue)
        self.max_stratum = max(self.strata.values(), default=1)
        self.host = _Host()
        self._sessions = itertools.count()
        # Ruleset names are global to the process: make them unique per Engine.
        prefix = f"shingikai{next(self._instances)}"
        durable_rules = self._compile()
        self.rulesets: list[str] = []
        definitions: dict[str, Any] = {}
        for i in range(0, max(len(durable_rules), 1), RULES_PER_RULESET):
            name = f"{prefix}_{i // RULES_PER_RULESET}"
            chunk = dict(durable_rules[i:i + RULES_PER_RULESET])
            # "cap" hands every pending catch-all match to one action call per batch instead of
            # one call per fact (~50 calls, about 1 ms, per proposal). A catch-all that never
            # completes a join avoided the calls too, but delete_state then crashed durable.
            chunk["catch_all"] = {"all": [{"m": {"$ex": {"t": 1}}}], "run": _NOOP, "cap": 100_000}
            definitions[name] = chunk
            self.rulesets.append(name)
        try:
            # durable pops keys out of the definitions it is given: hand it a copy.
            self.host.set_rulesets(copy.deepcopy(definitions))
        except Exception as exc:  # the C extension raises plain Exceptions with error codes
            raise EngineError(f"ルールベースをコンパイルできません: {exc}") from exc

    def _compile(self) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for rule in self.catalogue.rules:
            marker = {"go__": {"$and": [{"t": "go"}, {"stage": self.strata[rule.id]}]}}
            for n, (positive, negative) in enumerate(conditions.branches(rule.condition)):
                terms: list[dict[str, Any]] = [marker]
                for pattern in positive:
                    terms.append({pattern.name: conditions.pattern_json(pattern)})
                for k, pattern in enumerate(negative):
                    terms.append({f"neg{k}$not": conditions.pattern_json(pattern)})
                # "cap": one action call per rule and batch, however many ways the rule matched;
                # durable's per-call cost (JSON of the session state) was half of a check.
                out.append((f"{rule.id}#{n}", {"all": terms, "run": rule.id, "cap": 10_000}))
        return out

    def evaluate(self, facts: list[dict[str, Any]]) -> list[Match]:
        """Run one proposal's facts through every stratum and return the matches."""
        sid = f"p{next(self._sessions)}"
        self.host.recorded = []
        matches: list[Match] = []
        seen_derived: set[str] = set()
        batch = [dict(f, sid=sid) for f in facts]
        try:
            for stage in range(1, self.max_stratum + 1):
                batch.append({"t": "go", "stage": stage, "sid": sid})
                for ruleset in self.rulesets:
                    self.host.assert_facts(ruleset, batch)
                    self._raise_swallowed(ruleset, sid)
                batch = []
                for rule_id, matched in self.host.recorded:
                    matched.pop("go__", None)
                    for fact in matched.values():
                        fact.pop("sid", None)
                    matches.append(Match(rule_id, matched))
                    derived = self._derived_fact(rule_id, matched)
                    if derived is not None:
                        key = json.dumps(derived, sort_keys=True, ensure_ascii=False)
                        if key not in seen_derived:  # an identical fact asserted twice raises
                            seen_derived.add(key)
                            batch.append(dict(derived, sid=sid))
                self.host.recorded = []
        finally:
            for ruleset in self.rulesets:
                try:
                    self.host.delete_state(ruleset, sid)
                except Exception:  # a session that never started has no state to delete
                    pass
        return matches

    def _raise_swallowed(self, ruleset: str, sid: str) -> None:
        state = self.host.get_state(ruleset, sid)
        if isinstance(state, dict) and "exception" in state:
            raise EngineError(f"ルールの実行中にエラーが発生しました: {state['exception']}")

    def _derived_fact(self, rule_id: str, matched: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
        rule = self.catalogue.by_id[rule_id]
        if rule.derive is None:
            return None
        fact: dict[str, Any] = {"t": rule.derive.fact, "at": _first_location(matched)}
        for key, value in rule.derive.fields.items():
            if isinstance(value, str) and PLACEHOLDER.fullmatch(value):
                alias, fld = PLACEHOLDER.fullmatch(value).groups()
                value = matched.get(alias, {}).get(fld)
            if value is not None:
                fact[key] = value
        return fact


def _first_location(matched: dict[str, dict[str, Any]]) -> str:
    for fact in matched.values():
        if fact.get("at"):
            return str(fact["at"])
    return ""
