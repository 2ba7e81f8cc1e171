"""The model of durable's alpha network (checker/core/native_limits.py) against durable itself.

Each case is a ruleset at and past one of durable's fixed tables: the model must refuse what
durable cannot run, and durable must run what the model accepts. Past the hash-set limit durable
loops forever, so durable is only ever given rulesets the model accepts.
"""
from __future__ import annotations

import itertools
import json
from typing import Any

import durable_rules_engine as durable
import pytest

from checker.core.native_limits import HASH_CHILDREN, JOINS_PER_NODE, STACK, Network

_names = itertools.count()


def _model(rules: dict[str, Any]) -> str:
    network = Network()
    for spec in rules.values():
        network.add(spec["all"])
    return network.problem()


def _durable_runs(rules: dict[str, Any], facts: list[dict[str, Any]]) -> int:
    """How many rules fired when durable ran the facts (raises durable's error otherwise)."""
    handle = durable.create_ruleset(f"limits{next(_names)}", json.dumps(rules))
    code, state = durable.assert_facts(handle, json.dumps([dict(f, sid="s") for f in facts]))
    fired = 0
    result = durable.start_action_for_state(handle, state)
    while result:
        fired += 1
        result = durable.complete_and_start_action(handle, state)
    durable.delete_state(handle, "s")
    return fired


def _tests_one_fact_passes(n: int) -> dict[str, Any]:
    return {f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, {"$gte": {"x": -i}}]}}]} for i in range(n)}


def test_tests_one_fact_passes_at_once_stay_within_durables_stack():
    at_bound = _tests_one_fact_passes(STACK)
    assert _model(at_bound) == ""
    assert _durable_runs(at_bound, [{"t": "p", "x": 5}]) == STACK
    assert "同時に通るテスト" in _model(_tests_one_fact_passes(STACK + 1))
    with pytest.raises(Exception, match="303"):  # durable's own limit, a little further on
        _durable_runs(_tests_one_fact_passes(65), [{"t": "p", "x": 5}])


def test_values_under_one_node_stay_within_durables_hash_set():
    def one_in(n: int) -> dict[str, Any]:
        return {"r": {"all": [{"m": {"$and": [{"t": "p"}, {"$or": [{"x": v} for v in range(n)]}]}}]}}
    assert _model(one_in(HASH_CHILDREN)) == ""
    assert _durable_runs(one_in(HASH_CHILDREN), [{"t": "p", "x": 7}]) == 1
    assert "同じ位置のテスト" in _model(one_in(512))  # durable would loop forever on this one


def test_rules_fed_by_one_pattern_stay_within_durables_join_list():
    def same(n: int) -> dict[str, Any]:
        return {f"r{i}": {"all": [{"m": {"t": "p"}}]} for i in range(n)}
    assert _model(same(JOINS_PER_NODE)) == ""
    assert _durable_runs(same(JOINS_PER_NODE), [{"t": "p"}]) == JOINS_PER_NODE
    assert "同じパターンを使うルール" in _model(same(JOINS_PER_NODE + 1))
    with pytest.raises(Exception, match="108"):
        _durable_runs(same(300), [{"t": "p"}])
