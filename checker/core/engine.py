"""The only module that touches durable-rules.

One compiled `Engine` per catalogue holds durable's compiled rulesets. Each proposal gets its
own session id; its state is deleted afterwards, so 100 proposals in one process give the
results of 100 separate runs. Traps we measured (see ARCHITECTURE.md) are handled here:
- a catch-all rule handles every fact. A fact that matches no rule makes durable report the
  batch as not handled: its Host then drops the batch's actions, and engines that evaluated such
  batches through the C calls below corrupted memory (a munmap_chunk abort after ~30 proposals);
- rules with a negation join a `go` marker asserted after all facts, so negations see the whole
  proposal; rules without one need no marker (their matches cannot depend on what comes later);
- derived facts form later strata: each stratum has its own marker, asserted after the
  previous stratum's derived facts;
- durable's order of matches is not ours to rely on: what the pipeline shows first follows the
  proposal file (pipeline.render_template, first_statement; locations sorted by place);
- a safeguard's `satisfied_by` (rules/safeguards.yaml) runs as one more unit whose match tells the
  pipeline that the proposal's own statements put the measure in place;
- durable's C engine has fixed tables that it does not always check (native_limits.py cites
  them): rules go into as few rulesets as stay within them, by a model of durable's alpha network,
  because every extra ruleset costs each proposal another pass over all its facts;
- durable's C calls hold the GIL, so a Python signal handler waits until the call returns: during
  them SIGINT / SIGTERM / SIGHUP take their default action and end the process at once;
- each proposal's session costs durable ~8 KB of tables cleared per join node (state.c createStateNode:
  ~0.8 ms with the bundled rules, growing with them). Reusing one session by retracting the facts
  avoided it, but durable 2.0.28 keeps the locations of completed actions, and retracting then reads
  and writes past a freed frame (state.c deleteMessageFromFrame; valgrind showed it, Python objects
  were corrupted): every proposal keeps a session of its own, deleted afterwards.

We drive durable's compiled Rete engine (`durable_rules_engine`, the C extension inside the
pinned durable-rules 2.0.28 wheel) directly instead of through its Python `Host`. Our actions
only record which facts matched, so the Host's per-action work (decoding and re-encoding the
session state, closures, timer threads) bought nothing and was 60% of a check.
Matching, joins, negation and `cap` are durable's own; tests/test_engine.py checks that the
Host gives the same matches on every bundled proposal.
"""
from __future__ import annotations

import itertools
import json
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import durable_rules_engine as durable
from pydantic_core import from_json, to_json

from checker.core import conditions
from checker.core.catalogue import PLACEHOLDER, Catalogue
from checker.core.errors import RuleError
from checker.core.native_limits import Network

CATCH_ALL = "catch_all"
_CATCH_ALL_MESSAGE = '{"' + CATCH_ALL + '"'
# "cap" hands every pending catch-all match over as one action per batch instead of one per fact.
# A catch-all that never completes a join avoided the actions too, but delete_state then crashed durable.
MARKER_GROUP = 200  # rules per stage marker (< durable's 256 joins per alpha node)
_CATCH_ALL_RULE = {"all": [{"m": {"$ex": {"t": 1}}}], "cap": 100_000}
# durable's assert result codes (durable/engine.py, Ruleset._handle_result)
_NOT_HANDLED, _ALREADY_ASSERTED, _NOTHING_TO_DO = 1, 2, 3


class EngineError(RuntimeError):
    """The rule engine failed; the CLI reports an internal error (exit 3)."""


class _KeyCollision(Exception):
    """durable took two different facts for one (state.c keys facts by a hash of their text)."""


SAFEGUARD_UNIT = "safeguard:"  # prefix of the units that tick a safeguard from stated facts
COUNCIL_UNIT = "council:"      # prefix of the units that find a ground for consulting the council


class Match(NamedTuple):
    """One way a rule's condition held: the facts matched, by pattern name.

    `rule_id` is a catalogue rule id, or SAFEGUARD_UNIT + a safeguard id when the proposal's
    facts satisfy that safeguard."""

    rule_id: str
    facts: dict[str, dict[str, Any]]


class Unit(NamedTuple):
    """What the engine runs: a condition, and the fact it derives when it holds (if any)."""

    name: str
    condition: conditions.Node
    derive_fact: str | None = None
    derive_fields: dict[str, Any] = {}
    templates: tuple[str, ...] = ()   # texts whose {alias.field} placeholders read matched facts


def units(catalogue: Catalogue) -> list[Unit]:
    """The catalogue's rules, then one unit per safeguard that stated facts can satisfy."""
    out = [Unit(r.id, r.condition, r.derive.fact if r.derive else None, r.derive.fields if r.derive else {},
                (r.because, r.opinion, *(v for v in (r.derive.fields.values() if r.derive else ()) if isinstance(v, str))))
           for r in catalogue.rules]
    # Safeguard units only report that they held (the pipeline ticks the safeguard); they derive
    # nothing, so they add no stratum. durable identifies a fact by its `id` field, so a derived
    # `safeguard` fact would also clash with the same id listed under `safeguards:`.
    out += [Unit(SAFEGUARD_UNIT + sg.id, sg.condition)
            for sg in catalogue.safeguards.values() if sg.condition is not None]
    # The grounds for consulting the council (法第129条, checker/core/council.py) likewise only report.
    out += [Unit(COUNCIL_UNIT + c.id, c.condition) for c in catalogue.council_criteria.values()]
    return out


def _strata(all_units: list[Unit]) -> dict[str, int]:
    """Stratum of each unit: 1 + the highest stratum of any unit deriving a fact it reads."""
    by_name = {u.name: u for u in all_units}
    derivers: dict[str, list[str]] = {}
    for unit in all_units:
        if unit.derive_fact:
            derivers.setdefault(unit.derive_fact, []).append(unit.name)
    level: dict[str, int] = {}

    def visit(unit: Unit, stack: tuple[str, ...]) -> int:
        if unit.name in level:
            return level[unit.name]
        if unit.name in stack:
            raise EngineError(f"導出ファクトが循環しています: {' → '.join(stack + (unit.name,))}")
        reads = {p.fact for p, _ in conditions.patterns(unit.condition)}
        deps = [by_name[n] for fact in reads for n in derivers.get(fact, [])]
        level[unit.name] = 1 + max((visit(d, stack + (unit.name,)) for d in deps), default=0)
        return level[unit.name]

    for unit in all_units:
        visit(unit, ())
    return level


class Engine:
    """A catalogue compiled once into durable rulesets; evaluate() runs one proposal."""

    _instances = itertools.count()

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.units = {u.name: u for u in units(catalogue)}
        self.strata = _strata(list(self.units.values()))
        self.max_stratum = max(self.strata.values(), default=1)
        self._sessions = itertools.count()
        self._derives = {u.name for u in self.units.values() if u.derive_fact is not None}
        self.read_fields = _read_fields(list(self.units.values()))
        # Ruleset names are global to the process: make them unique per Engine.
        prefix = f"shingikai{next(self._instances)}"
        # name -> durable ruleset JSON; each rule's "run" names the catalogue rule it records
        self.definitions: dict[str, dict[str, Any]] = {}
        self._handles: list[int] = []
        self._bodies: list[str] = []  # the JSON each handle was compiled from, for __setstate__
        durable_rules = self._compile()
        # the fact types each durable rule joins, with how many rules join the same ones (most_matches)
        self._join_shapes = list(Counter(tuple(sorted(j)) for j in self._joined).items())
        names = (f"{prefix}_{n}" for n in itertools.count())
        pending = self._pack(durable_rules)
        while pending:
            chunk = pending.pop(0)
            name = next(names)
            body = {rule: {k: v for k, v in spec.items() if k != "run"} for rule, spec in chunk}
            body[CATCH_ALL] = _CATCH_ALL_RULE
            text = json.dumps(body, ensure_ascii=False)
            try:
                self._handles.append(durable.create_ruleset(name, text))
            except Exception as exc:  # the C extension raises plain Exceptions with error codes
                if len(chunk) == 1:
                    raise EngineError(f"ルールベースをコンパイルできません（{chunk[0][0]}）: {exc}") from exc
                half = len(chunk) // 2  # a limit the model in native_limits.py misses: split the ruleset
                pending[:0] = [chunk[:half], chunk[half:]]
                continue
            self.definitions[name] = dict(chunk)
            self._bodies.append(text)

    def __getstate__(self) -> dict[str, Any]:
        """The compiled engine for the cache (checker/core/cache.py): everything but durable's handles,
        which live in this process only. Unpickling compiles the kept rulesets again; the analysis
        that chose them (strata, packing by native_limits.py, the JSON) is what the cache saves."""
        state = dict(self.__dict__)
        del state["_handles"], state["_sessions"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._sessions = itertools.count()
        prefix = f"shingikai{next(self._instances)}"  # ruleset names are global to the process
        self.definitions = {f"{prefix}_{n}": rules for n, rules in enumerate(self.definitions.values())}
        self._handles = [durable.create_ruleset(name, text) for name, text in zip(self.definitions, self._bodies)]

    def _pack(self, durable_rules: list[tuple[str, dict[str, Any]]]) -> list[list[tuple[str, dict[str, Any]]]]:
        """The durable rules in order, in as few rulesets as stay within durable's fixed tables."""
        chunks: list[list[tuple[str, dict[str, Any]]]] = []
        chunk: list[tuple[str, dict[str, Any]]] = []
        network = _network()
        for rule, spec in durable_rules:
            network.add(spec["all"])
            if network.problem():
                if chunk:  # full: this rule starts the next ruleset
                    chunks.append(chunk)
                    chunk, network = [], _network()
                    network.add(spec["all"])
                problem = network.problem()
                if problem:
                    raise self._limit_error(spec["run"], problem)
            chunk.append((rule, spec))
        return chunks + [chunk] if chunk else chunks

    def _limit_error(self, unit: str, problem: str) -> RuleError:
        """A rule that alone passes a limit of durable's tables: the rule file's error (exit 3)."""
        if unit.startswith(SAFEGUARD_UNIT):
            sid = unit[len(SAFEGUARD_UNIT):]
            return RuleError("safeguards.yaml", f"安全管理措置 {sid} の satisfied_by がルールエンジンの上限を超えます"
                                                f"（{problem}）。条件を分けてください。")
        return RuleError(str(self.catalogue.files.get(unit, unit)),
                         f"条件がルールエンジンの上限を超えます（{problem}）。ルールを分けるか、in の値を減らしてください。",
                         unit)

    def _compile(self) -> list[tuple[str, dict[str, Any]]]:
        out = []
        self._joined: list[tuple[str, ...]] = []  # per durable rule: the fact types its match joins
        self._groups: dict[int, int] = {}         # stage -> marker groups
        for unit in self.units.values():
            stage = self.strata[unit.name]
            for n, (positive, negative) in enumerate(conditions.branches(unit.condition)):
                self._joined.append(tuple(p.fact for p in positive))
                terms: list[dict[str, Any]] = []
                if negative:
                    # A negation must wait for its stage's marker, asserted after every fact it could
                    # see. durable lets one alpha node feed at most 256 joins (BETA_LIST_LENGTH), so
                    # the rules of a stage share MARKER_GROUP markers each: the whole catalogue then
                    # fits one ruleset, and each fact is matched once, not per ruleset. A rule without
                    # negation holds as soon as its facts are there: no marker, a third fewer join
                    # nodes for durable to clear per proposal (the pipeline orders the matches itself).
                    count = self._groups.get(stage, 0)
                    self._groups[stage] = count + 1
                    terms.append({"go__": {"$and": [{"t": "go"}, {"stage": stage}, {"group": count // MARKER_GROUP}]}})
                for pattern in positive:
                    terms.append({pattern.name: conditions.pattern_json(pattern)})
                for k, pattern in enumerate(negative):
                    terms.append({f"neg{k}$not": conditions.pattern_json(pattern)})
                # "cap": one action per rule and batch, however many ways the rule matched.
                out.append((f"{unit.name}#{n}", {"all": terms, "run": unit.name, "cap": 10_000}))
        return out

    def markers(self, stage: int, sid: str) -> list[dict[str, Any]]:
        """The facts that start a stage: one per marker group of its rules."""
        groups = -(-self._groups.get(stage, 0) // MARKER_GROUP)
        return [{"t": "go", "stage": stage, "group": g, "sid": sid} for g in range(groups)]

    def most_matches(self, facts: list[dict[str, Any]]) -> int:
        """An upper bound on the partial matches durable keeps for these facts: per rule, the product
        of the numbers of facts of the types it joins. Each costs ~300 bytes of durable's memory
        and its time (a join of two patterns over 1,000 facts: 1 million, 0.3 GB, 0.7 s)."""
        counts = Counter(fact["t"] for fact in facts)
        total = 0
        for joined, rules in self._join_shapes:
            product = rules
            for fact_type in joined:
                product *= counts[fact_type]
            total += product
        return total

    def evaluate(self, facts: list[dict[str, Any]]) -> list[Match]:
        """Run one proposal's facts through every stratum and return the matches."""
        with _default_signal_actions():
            for _ in range(3):
                try:
                    return self._evaluate(facts)
                except _KeyCollision:  # another session id gives every fact another key
                    continue
        raise EngineError("ルールエンジンが異なるファクトを同じものとして扱いました（3 回試しても解消しません）")

    def _evaluate(self, facts: list[dict[str, Any]]) -> list[Match]:
        sid = f"p{next(self._sessions)}"
        matches: list[Match] = []
        seen_derived: set[str] = set()
        batch = self.pruned(facts, sid)
        intact = True  # after a native error the session's state may be corrupt: never delete it
        try:
            for stage in range(1, self.max_stratum + 1):
                batch += self.markers(stage, sid)
                payload = to_json(batch).decode()
                batch = []
                for handle in self._handles:
                    for rule_id, matched in _fired(handle, payload):
                        matched.pop("go__", None)
                        for fact in matched.values():
                            fact.pop("sid", None)
                        matches.append(Match(rule_id, matched))
                        if rule_id in self._derives:
                            derived = self._derived_fact(rule_id, matched)
                            key = json.dumps(derived, sort_keys=True, ensure_ascii=False)
                            if key not in seen_derived:  # an identical fact asserted twice raises
                                seen_derived.add(key)
                                batch.append(dict(derived, sid=sid))
        except (EngineError, _KeyCollision):
            raise
        except Exception as exc:  # the C extension raises plain Exceptions with error codes
            intact = False
            raise EngineError(f"ルールの評価中にエラーが発生しました: {exc}") from exc
        finally:
            for handle in self._handles if intact else ():
                try:
                    durable.delete_state(handle, sid)
                except Exception:  # a session that never started has no state to delete
                    pass
        return matches

    def pruned(self, facts: list[dict[str, Any]], sid: str | None = None) -> list[dict[str, Any]]:
        """Each fact with only the fields some rule reads; facts of a type no rule reads are left out.

        durable hands every matched fact back whole, once per way a rule matched (~90 times per
        proposal), so fields nobody reads cost twice: ~20% of the JSON each way.
        """
        out = []
        for fact in facts:
            keep = self.read_fields.get(fact["t"])
            if keep is not None:
                slim = {k: fact[k] for k in keep if k in fact}
                if sid is not None:
                    slim["sid"] = sid
                out.append(slim)
        return out

    def _first_location(self, name: str, matched: dict[str, dict[str, Any]]) -> str:
        """Where a derived fact points: its first stated pattern in condition order (not the order of
        durable's frame, which is not ours to rely on)."""
        for pattern, negated in conditions.patterns(self.units[name].condition):
            fact = matched.get(pattern.name)
            if not negated and fact is not None and fact.get("at"):
                return str(fact["at"])
        return ""

    def _derived_fact(self, name: str, matched: dict[str, dict[str, Any]]) -> dict[str, Any]:
        unit = self.units[name]
        assert unit.derive_fact is not None
        fact: dict[str, Any] = {"t": unit.derive_fact, "at": self._first_location(name, matched)}
        for key, value in unit.derive_fields.items():
            if isinstance(value, str) and PLACEHOLDER.fullmatch(value):
                alias, fld = PLACEHOLDER.fullmatch(value).groups()
                value = matched.get(alias, {}).get(fld)
            if value is not None:
                fact[key] = value
        return fact


def _read_fields(all_units: list[Unit]) -> dict[str, tuple[str, ...]]:
    """Fact type -> the fields rules read: tested in a pattern, or named by a `because` or derived
    fact placeholder; plus `t` and `at` (where a finding points)."""
    fields: dict[str, set[str]] = {}
    for unit in all_units:
        fact_of: dict[str, str] = {}
        for pattern, _ in conditions.patterns(unit.condition):
            fields.setdefault(pattern.fact, {"t", "at"}).update(pattern.where)
            fact_of[pattern.name] = pattern.fact
        for template in unit.templates:
            for alias, field in PLACEHOLDER.findall(template):
                if alias in fact_of:
                    fields[fact_of[alias]].add(field)
    return {fact: tuple(sorted(names)) for fact, names in fields.items()}


def _fired(handle: int, payload: str) -> Iterator[tuple[str, dict[str, dict[str, Any]]]]:
    """Assert a batch into one ruleset; yield (rule id, matched facts) for every rule that fired.

    Each pending action is one message {durable rule name: frame, or list of frames with cap};
    completing it starts the next. The catch-all's message is skipped without decoding it.
    """
    code, state = durable.assert_facts(handle, payload)
    if code == _NOTHING_TO_DO:
        return
    if code == _ALREADY_ASSERTED:
        raise _KeyCollision()
    if code == _NOT_HANDLED:
        raise EngineError(f"ルールエンジンがファクトを受け付けませんでした（コード {code}）")
    started = durable.start_action_for_state(handle, state)
    message = started[1] if started else None
    while message:
        if message.startswith(_CATCH_ALL_MESSAGE):
            message = durable.complete_and_start_action(handle, state)
            continue
        for name, frames in from_json(message).items():
            if name == CATCH_ALL:
                continue
            for frame in frames if isinstance(frames, list) else [frames]:
                yield name.partition("#")[0], frame
        message = durable.complete_and_start_action(handle, state)


def _network() -> Network:
    network = Network()
    network.add(_CATCH_ALL_RULE["all"])
    return network


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def _default_signal_actions() -> Iterator[None]:
    """SIGINT / SIGTERM / SIGHUP end the process at once while durable's C code runs.

    Python runs a signal handler only between bytecodes, and durable's calls hold the GIL, so a
    handler (or a watchdog thread) waits for the call to return: seconds or longer for a large join.
    A child process per proposal would cost a fork and a copy of every match; the kernel's default
    action costs nothing and ends the process as a shell reports it (130, 143, 129). No output
    file is open while the engine runs (outputs are written after it), so nothing is left behind.
    Handlers set to ignore (a lint worker ignores SIGINT) stay as they are.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    try:
        for sig, handler in saved.items():
            if callable(handler):
                signal.signal(sig, signal.SIG_DFL)
        yield
    finally:
        for sig, handler in saved.items():
            if callable(handler):
                signal.signal(sig, handler)
