"""The benchmark corpus generator: valid, varied and reproducible proposals."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

from checker.core.pipeline import check_file

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

N = 40  # enough for every kind several times, still well under a second to check


def test_every_generated_file_passes_the_whole_check(tmp_path, engine):
    paths = generate.generate(N, tmp_path, seed=3)
    assert len(paths) == N
    reports = [check_file(p, engine) for p in paths]  # an invalid file raises InputError here
    assert sum(len(r.findings) for r in reports) > N  # realistic files draw findings


def test_generated_files_are_varied_within_the_stated_ranges(tmp_path):
    data = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in generate.generate(N, tmp_path, seed=3)]
    assert {k for d in data for k in d["kinds"]} == set(generate.KINDS)
    for d in data:
        plain = [i for i in d["data_items"] if not (isinstance(i, dict) and i.get("my_number"))]
        assert 5 <= len(plain) <= 50
        assert 1 <= len(d["vendors"]) <= 5 and 1 <= len(d["transfers"]) <= 6
    names = {i if isinstance(i, str) else i["name"] for d in data for i in d["data_items"]}
    assert names & set(generate.SENSITIVE_ITEMS) and names & set(generate.MY_NUMBER_ITEMS)
    assert 0 < sum("my_number" in d for d in data) < N


def test_same_seed_same_corpus_other_seed_other_corpus(tmp_path):
    a = [p.read_bytes() for p in generate.generate(12, tmp_path / "a", seed=7)]
    b = [p.read_bytes() for p in generate.generate(12, tmp_path / "b", seed=7)]
    c = [p.read_bytes() for p in generate.generate(12, tmp_path / "c", seed=8)]
    assert a == b and a != c
    # file i depends on (seed, i) only: a larger corpus starts with the smaller one
    assert [p.read_bytes() for p in generate.generate(20, tmp_path / "d", seed=7)][:12] == a
