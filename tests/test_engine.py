"""The durable-rules adapter: isolation between proposals, order independence, no lost findings."""
from __future__ import annotations

import random

import yaml

from checker.core.engine import Engine
from checker.core.facts import build_facts
from checker.core.pipeline import check_file
from checker.core.validation import load_proposal

from .conftest import ROOT

PROPOSALS = sorted((ROOT / "proposals").rglob("*.yaml"))


def _findings(report):
    return [(f.rule_id, f.status, f.because, tuple(l.path for l in f.locations)) for f in report.findings]


def test_batch_equals_one_by_one(catalogue, engine):
    """100 proposals through one engine give exactly what each gives alone on a fresh engine."""
    paths = (PROPOSALS * (100 // len(PROPOSALS) + 1))[:100]
    batch = [_findings(check_file(p, engine)) for p in paths]
    alone = {p: _findings(check_file(p, Engine(catalogue))) for p in set(paths)}
    assert batch == [alone[p] for p in paths]
    assert any(batch), "the corpus should raise at least one finding"


def test_repeat_runs_are_identical(engine):
    path = ROOT / "proposals" / "examples" / "child-consultation-migration.yaml"
    first = check_file(path, engine).as_records()
    for _ in range(5):
        assert check_file(path, engine).as_records() == first


def test_fact_order_does_not_change_matches(engine, catalogue):
    """Negations are judged on the whole proposal, whatever order the facts arrive in."""
    for path in PROPOSALS:
        facts = build_facts(load_proposal(path).proposal, catalogue.vocabulary, catalogue.areas)
        expected = sorted((m.rule_id, repr(sorted(m.facts.items(), key=str))) for m in engine.evaluate(facts))
        rng = random.Random(7)
        for _ in range(3):
            shuffled = facts[:]
            rng.shuffle(shuffled)
            got = sorted((m.rule_id, repr(sorted(m.facts.items(), key=str))) for m in engine.evaluate(shuffled))
            assert got == expected, path.name


def test_unmatched_facts_do_not_hide_findings(engine, write_yaml):
    """Most facts match no rule; the one that does must still produce its finding."""
    items = [f"項目{i}" for i in range(40)] + ["既往歴"]
    text = yaml.safe_dump({"id": "x", "title": "多数の項目", "procedure": "consultation",
                           "kinds": ["new_processing"], "data_items": items}, allow_unicode=True)
    report = check_file(write_yaml(text), engine)
    assert "SEN-005" in {f.rule_id for f in report.findings}   # undated: judged under the current Act


def test_safeguard_declared_after_the_fact_still_counts(engine, write_yaml):
    """A rule negating a fact must see it even when it comes late in the file."""
    base = {"id": "x", "title": "紙の委託", "procedure": "consultation", "kinds": ["outsourcing"],
            "vendors": [{"name": "委託先"}],
            "transfers": [{"from": "市", "to": "委託先", "medium": "hand", "content": "paper"}]}
    fired = {f.rule_id for f in check_file(write_yaml(yaml.safe_dump(base, allow_unicode=True)), engine).findings}
    assert "DEL-001" in fired
    base["retention"] = {"deletion_method": "dissolution", "proof": "certificate"}
    fired = {f.rule_id for f in check_file(write_yaml(yaml.safe_dump(base, allow_unicode=True)), engine).findings}
    assert "DEL-001" not in fired


def test_derived_facts_feed_later_rules(engine, write_yaml):
    """CLD-001 reads the fact SEN-005 derives (forward chaining across strata; SEN-001 under an ordinance)."""
    text = yaml.safe_dump({
        "id": "x", "title": "約款クラウド", "procedure": "consultation", "kinds": ["cloud"],
        "data_items": ["氏名", "病名"],
        "systems": [{"name": "共有ツール", "place": "cloud", "terms": "standard", "segment": "internet"}],
    }, allow_unicode=True)
    fired = {f.rule_id for f in check_file(write_yaml(text), engine).findings}
    assert {"SEN-005", "CLD-001"} <= fired
    assert engine.max_stratum >= 2


def maximal_proposal() -> dict:
    """Every kind and section, 50 data items, 10 vendors, 10 transfers."""
    kinds = ["outsourcing", "external_linkage", "cloud", "new_processing", "purpose_outside_use",
             "external_provision", "collection_from_others", "record_items", "worker_dispatch"]
    names = ["氏名", "住所", "生年月日", "病名", "障害の有無", "本籍", "在留資格", "生活保護の受給",
             "所得", "指紋", "個人番号", "口座番号", "虐待の状況", "犯罪歴", "PCR 検査結果"]
    media = ["hand", "post", "security_courier", "usb", "encrypted_media", "email", "lgwan",
             "lgwan_asp", "dedicated_line", "internet"]
    return {
        "id": "max", "title": "最大の案件", "procedure": "consultation", "timing": "after_start",
        "kinds": kinds, "subjects": [{"name": "子ども", "count": 400000, "children": True}],
        "data_items": [names[i % len(names)] + ("" if i < len(names) else str(i)) for i in range(50)],
        "sensitive_data": {"included": False},
        "my_number": {"used": True, "persons": 400000, "handlers": 600, "serious_incident": True},
        "vendors": [{"name": f"委託先{i}", "reentrustment": {"allowed": True}, "handlers": 10}
                    for i in range(10)],
        "transfers": [{"from": "市", "to": f"委託先{i}", "medium": media[i], "content": "paper" if i % 2 else "electronic"}
                      for i in range(10)],
        "systems": [{"name": "連携サーバ", "place": "cloud", "terms": "standard", "segment": "my_number",
                     "relays": ["dmz_server", "proxy_server", "file_transfer"], "relay_from": "internet",
                     "connected_externally": True, "connects_to_core": True}],
        "cloud": {"service": "クラウド", "terms": "standard", "data_location": "overseas"},
        "identity_verification": {"methods": ["sns_account", "photo_upload"]},
        "access_control": {"methods": ["id_password"], "smart_devices": True, "remote_access": True},
        "logging": {"access_logs": False}, "retention": {"confirmed_by": "one_clerk"},
        "migration": {"medium": "usb", "checked_by": "one_clerk"}, "contract": {"special_clauses": False},
        "pilot": {}, "devices": {"mobile": True, "taken_home": True},
        "biometrics": {"type": "palm_vein"}, "provisions": [{"recipient": "他部署"}],
        "incident_response": {"plan": False}, "notice": {"publicity": False},
        "operations": {"internal_rules": False}, "expansion": {"planned": True},
    }


def test_maximal_proposal_runs_through_the_whole_rule_base(engine, catalogue, write_yaml):
    report = check_file(write_yaml(yaml.safe_dump(maximal_proposal(), allow_unicode=True)), engine)
    fired = {f.rule_id for f in report.findings}
    assert {"SEN-005", "TRN-001", "DEL-001", "CLD-001"} <= fired
    assert report.summary.risk == "high"
    # Every finding points somewhere real in the file.
    assert all(loc.line >= 1 for f in report.findings for loc in f.locations)


def test_finding_about_something_missing_points_at_the_top_of_the_file(engine, write_yaml):
    """DEL-001 rests on the proposal as a whole (no retention section): it names the file's top."""
    text = ("# yaml-language-server: $schema=x.json\n"
            "id: x\ntitle: 紙の委託\nprocedure: consultation\nkinds: [outsourcing]\n"
            "vendors: [{name: 委託先}]\n"
            "transfers: [{from: 市, to: 委託先, medium: hand, content: paper}]\n")
    report = check_file(write_yaml(text), engine)
    finding = next(f for f in report.findings if f.rule_id == "DEL-001")
    assert (finding.location.path, finding.location.line, finding.location.column) == ("", 2, 1)
    usb = next(f for f in report.findings if f.rule_id == "TRN-001")
    assert usb.location.path == "transfers[0]" and usb.location.line == 7


def _host_matches(engine: Engine, facts: list[dict]) -> list[tuple[str, str]]:
    """The same compiled rulesets run through durable's own Python Host, as a reference.

    Engine drives durable's C engine directly; this evaluates the first stratum the documented
    way (Host, actions looked up by name) so any difference in how we read durable's messages
    shows up as a different set of matches.
    """
    import copy

    from durable import engine as durable

    recorded: list[tuple[str, str]] = []

    class Host(durable.Host):
        def _run(self) -> None:  # no timer threads: every action runs inside assert_facts
            pass

        def get_action(self, name):
            def record(c):
                frames = [c._m] if "_m" in vars(c) else [m._d for m in c.m]
                for frame in frames:
                    if name != "catch_all":
                        facts = {k: {f: v for f, v in fact.items() if f != "sid"}
                                 for k, fact in frame.items() if k != "go__"}
                        recorded.append((name, repr(sorted(facts.items(), key=str))))
            return record

    host = Host()
    # the Host drops a batch's actions when some fact matches no rule: it needs a catch-all
    catch_all = {"catch_all": {"all": [{"m": {"$ex": {"t": 1}}}], "run": "catch_all", "cap": 100_000}}
    # one deep copy per ruleset: durable's Ruleset deletes each rule's "run" as it reads it
    definitions = {f"ref{next(_REFERENCE_NAMES)}_{name}": copy.deepcopy({**d, **catch_all})
                   for name, d in engine.definitions.items()}
    host.set_rulesets(definitions)
    batch = [dict(f, sid="ref") for f in facts] + engine.markers(1, "ref")
    for name in definitions:
        host.assert_facts(name, batch)
    return sorted(recorded)


_REFERENCE_NAMES = iter(range(10**6))


def test_direct_driving_matches_durables_own_host(engine, catalogue):
    """Stratum-1 matches on every bundled proposal equal those of durable's Python Host."""
    first = {rid for rid, level in engine.strata.items() if level == 1}
    compared = 0
    for path in PROPOSALS:
        facts = build_facts(load_proposal(path).proposal, catalogue.vocabulary, catalogue.areas)
        ours = sorted((m.rule_id, repr(sorted(m.facts.items(), key=str)))
                      for m in engine.evaluate(facts) if m.rule_id in first)
        assert ours == _host_matches(engine, engine.pruned(facts)), path.name
        compared += len(ours)
    assert compared > 100, "the bundled proposals should fire many stratum-1 rules"


def test_a_rule_base_too_big_for_one_ruleset_is_packed_into_several(tmp_path, engine, monkeypatch):
    """Rule bases beyond the bundled one: the rules are packed into rulesets within durable's tables
    (native_limits.py); were the model to miss a limit, halving a refused ruleset still works."""
    import re

    from checker.core.catalogue import SHARED_FILES, bundled_rules_dir, load_catalogue
    copies = []
    for prefix in ("X", "Y", "Z"):
        extra = tmp_path / prefix
        for path in bundled_rules_dir().rglob("*.yaml"):
            if path.name in SHARED_FILES:
                continue
            text = path.read_text(encoding="utf-8")
            rule_id = re.search(r"^id: (\S+)$", text, re.M).group(1)
            target = extra / path.parent.name / f"{prefix}{path.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text.replace(f"id: {rule_id}", f"id: {prefix}{rule_id}", 1), encoding="utf-8")
        copies.append(extra)
    quadrupled = Engine(load_catalogue(copies))
    # identical conditions share durable's tests, so even four copies fit the tables of one ruleset
    assert [list(d) for d in quadrupled.definitions.values()] == [
        [name for name, _ in chunk] for chunk in quadrupled._pack(quadrupled._compile())], "durable refused a packed ruleset"
    for path in PROPOSALS[:6]:
        # the copies share their originals' concerns, so they join the same findings as triggers
        expected = {rid for f in check_file(path, engine).findings for rid in f.rules}
        copied = {f"{prefix}{r}" for r in expected for prefix in ("X", "Y", "Z")}
        assert {rid for f in check_file(path, quadrupled).findings for rid in f.rules} == expected | copied

    # 300 own rules on one pattern pass durable's 256 joins per node: packed into two rulesets, or,
    # were the model to miss it, split by halving the ruleset durable refuses (error 108)
    own = tmp_path / "own"
    (own / "misdelivery").mkdir(parents=True)
    example = ROOT / "docs" / "examples" / "my-rules"
    for name in ("safeguards.yaml", "sources.yaml"):
        (own / name).write_text((example / name).read_text(encoding="utf-8"), encoding="utf-8")
    for n in range(1, 301):
        (own / "misdelivery" / f"REI-{n:03d}.yaml").write_text(
            f"id: REI-{n:03d}\ntitle: 独自 {n}\ntopic: misdelivery\nseverity: low\nwhy: 試験。\nwhen: {{fact: proposal}}\n"
            "because: 試験。\nquestions: [試験ですか。]\nsafeguards: [rei-guardian-contact-check]\n"
            "precedents: [{source: rei-outsourcing-standard, item: 第5条, note: 試験。}]\n"
            "examples: {fires: [{name: a, proposal: {}}], quiet: [{name: b, proposal: {}}]}\n", encoding="utf-8")
    catalogue = load_catalogue([own])
    packed = Engine(catalogue)
    monkeypatch.setattr(Engine, "_pack", lambda self, rules: [rules])  # one ruleset: durable refuses it
    halved = Engine(catalogue)
    for split in (packed, halved):
        assert len(split.definitions) >= 2
        fired = {rid for f in check_file(PROPOSALS[0], split).findings for rid in f.rules}
        assert {rid for rid in fired if rid.startswith("REI-")} == {f"REI-{n:03d}" for n in range(1, 301)}


def test_facts_sent_without_unread_fields_give_the_same_reports(catalogue):
    """The engine leaves out fields no rule reads; reports must not change (a new way of reading
    facts, e.g. another placeholder, must also be taught to engine._read_fields)."""
    slim, full = Engine(catalogue), Engine(catalogue)
    every: dict[str, set[str]] = {}
    for path in PROPOSALS:
        for fact in build_facts(load_proposal(path).proposal, catalogue.vocabulary, catalogue.areas):
            every.setdefault(fact["t"], set()).update(fact)
    full.read_fields = {**slim.read_fields, **{t: tuple(sorted(names | set(slim.read_fields.get(t, ()))))
                                                for t, names in every.items()}}
    assert sum(len(slim.read_fields.get(t, ())) for t in every) < sum(len(full.read_fields[t]) for t in every)
    for path in PROPOSALS:
        assert check_file(path, slim).as_records() == check_file(path, full).as_records(), path.name
