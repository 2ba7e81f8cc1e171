"""The fixed limits inside durable-rules' C engine, and a model of its alpha network to stay under them.

durable-rules 2.0.28 (github.com/jruizgit/rules, src/rules/) sizes its tables at compile time and
does not always check them. What happens past each limit, measured with this version:

- rules.h NEXT_BUCKET_LENGTH 512: the tests under one alpha node share a 512-slot hash set, probed
  linearly. When all 512 slots are taken, events.c handleAlpha loops forever on every fact that
  reaches the node (an `in:` of 512 values hangs, and SIGTERM cannot reach the loop); 513 is error 106.
- rules.h NEXT_LIST_LENGTH 128: `$nex` tests (and the forward node of every `$or`) under one node;
  more is error 107 when the ruleset is created.
- rules.h BETA_LIST_LENGTH 256: joins fed by one alpha node (every rule starts with our stage
  marker, so ~250 rules per ruleset); more is error 108 when the ruleset is created.
- events.c MAX_STACK_SIZE 64: handleAlpha pushes every test a fact passes onto a 64-entry stack;
  one more is error 303 when facts are asserted, and deleting that session afterwards then frees
  a bad pointer (glibc `munmap_chunk(): invalid pointer`, exit 134). This is why ~118 firing own
  rules crashed: each was a distinct test that the one `proposal` fact passed.
- rete.h MAX_SEQUENCE_EXPRESSIONS 32: each `$and` / `$or` of a pattern takes two entries of its
  join's expression sequence; 16 is error 113 when the ruleset is created.
- state.h MAX_MESSAGE_FRAMES 16: facts joined in one match (our stage marker is one); the 17th is
  error 304 when facts are asserted.
- rete.c MAX_ACTIONS 4096: rules per ruleset (error 106).
- state.c storeMessage: a fact without an `id` is keyed by a 64-bit hash of its text, indexed by a
  32-bit hash of that key; two facts whose keys collide make the second "already asserted"
  (measured: 1 collision in ~70,000 facts). The engine retries with another session id, which
  changes every key; MAX_FACTS keeps the chance of a collision per proposal far below 1%.
- beta memory: every partial match of a join is kept (~300 bytes; a join of two patterns over
  1,000 facts is 1 million matches, 0.3 GB): MAX_MATCHES bounds them per proposal.

The rule-file limits (conditions.py) keep a single rule inside these; `Network` models the alpha
network durable builds from a ruleset so the engine packs rules into as few rulesets as stay under
the shared ones (tests, stack, joins).
"""
from __future__ import annotations

import json
from typing import Any

# Per alpha node / ruleset, with a margin under durable's own numbers.
HASH_CHILDREN = 480        # < NEXT_BUCKET_LENGTH 512
NEX_CHILDREN = 120         # < NEXT_LIST_LENGTH 128
JOINS_PER_NODE = 240       # < BETA_LIST_LENGTH 256
STACK = 60                 # <= MAX_STACK_SIZE 64
RULES_PER_RULESET = 4000   # < MAX_ACTIONS 4096
# Per rule file (conditions.py checks them when the rule is loaded).
LIST_VALUES = 100          # values of one `in:` / `not_in:`: each is a test under the same node
POSITIVE_PATTERNS = 15     # facts joined in one branch: MAX_MESSAGE_FRAMES 16, one is the stage marker
COMPOSITES = 15            # `$and` / `$or` in one pattern: 2 each of MAX_SEQUENCE_EXPRESSIONS 32
# Per proposal (the pipeline checks them before the engine runs).
MAX_FACTS = 5000
MAX_MATCHES = 1_000_000    # partial matches durable may keep (~300 bytes each): Engine.most_matches


class _Node:
    """An alpha node: the tests under it, the joins it feeds, and bounds on what one fact does there."""

    __slots__ = ("tests", "nex", "joins", "eq_fields", "other_tests", "parents", "stack", "child_stack")

    def __init__(self) -> None:
        self.tests: dict[tuple[str, str, str], _Node] = {}   # (operator, field, value) -> node
        self.nex: dict[Any, _Node] = {}
        self.joins = 0
        self.eq_fields: set[str] = set()
        self.other_tests = 0
        self.parents: list[_Node] = []
        self.stack = 0          # most stack entries one fact can need from here on
        self.child_stack = 0    # the largest `stack` among the children

    def pushes(self) -> int:
        """Most tests under this node one fact can pass: one equality per field (a fact has one
        value per field), every other test, every `$nex` and forward node."""
        return len(self.eq_fields) + self.other_tests + len(self.nex)


class Network:
    """durable's alpha network for one ruleset (rete.c createAlpha / findAlpha), built rule by rule.

    Identical tests under the same node are shared, as durable shares them; every `$or` makes a new
    forward node that each of its alternatives leads to (a `$nex` test on a name no fact has).
    """

    def __init__(self) -> None:
        self.root = _Node()
        self.rules = 0
        self._forwards = 0
        self._changed: list[_Node] = []   # nodes that gained a child (their stack bound may grow)
        self._touched: list[_Node] = []   # nodes that gained a child or a join since the last check

    def add(self, terms: list[dict[str, Any]]) -> None:
        """One durable rule: its terms ({name: expression}), each a join fed by the expression's node."""
        self.rules += 1
        for term in terms:
            (expression,) = term.values()
            end = self._add(expression, self.root)
            end.joins += 1
            self._touched.append(end)
        self._touched += self._changed
        self._update_stack()

    def problem(self) -> str:
        """The first durable limit this ruleset passes, in Japanese ("" when within all of them)."""
        if self.rules > RULES_PER_RULESET:
            return f"1 つのルールセットのルールが {RULES_PER_RULESET} を超えます"
        if self.root.stack > STACK:
            return f"1 つのファクトが同時に通るテストが {STACK} を超えます（{self.root.stack}）"
        touched, self._touched = self._touched, []
        for node in touched:
            if len(node.tests) > HASH_CHILDREN:
                return f"同じ位置のテストが {HASH_CHILDREN} を超えます（{len(node.tests)}）"
            if len(node.nex) > NEX_CHILDREN:
                return f"同じ位置の missing / ne / in のテストが {NEX_CHILDREN} を超えます（{len(node.nex)}）"
            if node.joins > JOINS_PER_NODE:
                return f"同じパターンを使うルールが {JOINS_PER_NODE} を超えます（{node.joins}）"
        return ""

    def _child(self, parent: _Node, key: tuple[str, str, str]) -> _Node:
        """A new test under `parent` (the caller found no identical one to share)."""
        op, field, _ = key
        node = _Node()
        if op == "$nex":
            parent.nex[key] = node
        else:
            parent.tests[key] = node
            if op == "$eq":
                parent.eq_fields.add(field)
            else:
                parent.other_tests += 1
        node.parents.append(parent)
        self._changed.append(parent)
        return node

    def _add(self, expression: dict[str, Any], parent: _Node) -> _Node:
        (key, value), = expression.items()
        if key == "$and":
            node = parent
            for part in value:
                node = self._add(part, node)
            return node
        if key == "$or":
            self._forwards += 1
            forward = _Node()
            for part in value:
                end = self._add(part, parent)
                end.nex[("forward", self._forwards)] = forward
                forward.parents.append(end)
                self._changed.append(end)
            return forward
        if key.startswith("$"):
            (field, operand), = value.items()
            lookup = parent.nex if key == "$nex" else parent.tests
            found = lookup.get((key, field, json.dumps(operand)))
            return found or self._child(parent, (key, field, json.dumps(operand)))
        return parent.tests.get(("$eq", key, json.dumps(value))) or self._child(parent, ("$eq", key, json.dumps(value)))

    def _update_stack(self) -> None:
        """Stack bound: a node pops itself and pushes what the fact passes; the first child pushed
        is handled while its siblings wait. Bounds only grow as rules are added, so only the nodes
        that gained children, and their ancestors, are recomputed."""
        todo, self._changed = self._changed, []
        while todo:
            node = todo.pop()
            children = [*node.tests.values(), *node.nex.values()]
            node.child_stack = max((c.stack for c in children), default=0)
            pushes = node.pushes()
            bound = max(pushes, pushes - 1 + node.child_stack) if children else 0
            if bound != node.stack:
                node.stack = bound
                todo.extend(node.parents)
