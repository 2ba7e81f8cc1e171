"""How the cost per file grows with the rules and the data items, beside the floor, in one run.

    python benchmarks/scaling.py [--n 500] [--per-cell 100] [--seed 1] [--skip-lint]

One run measures, side by side (the machine is shared and noisy, so compare ratios within a run):
  floor         PyYAML's C loader parsing each file (in this process, and as a process over the folder);
  plain Python  the same files parsed, validated, turned into facts, and a fixed subset of rules
                (SUBSET) evaluated by a few lines of Python over the facts: what the work costs
                without durable-rules, findings or reports;
  per file      the checker's pipeline (load, facts, engine, findings) and its engine call alone, for
                the catalogue x1, x2, x4 (renamed copies of every bundled rule: SEN-001 -> SEN-101,
                SEN-201, SEN-301) and proposals of 5, 50 and 200 data items (the generated files with
                their data items resized), CPU time, best of three passes;
  lint          `shingikai lint DIR -j 1` over the --n generated files as a process, wall and CPU
                time, for the catalogue x1 and x4, as a ratio to the floor process.
CPU time is given beside wall time because other jobs take the second core at random.
The last line printed is one JSON object with every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import FLOOR_SCRIPT, byte_compile_checker, run_process, shingikai  # noqa: E402
from generate import BASIC_ITEMS, SENSITIVE_ITEMS, generate  # noqa: E402

SCALES = (1, 2, 4)
ITEM_COUNTS = (5, 50, 200)
# A fixed subset of rules for the plain-Python comparison: the first 14 bundled rules by id.
SUBSET_SIZE = 14


def copies(times: int, out: Path) -> list[Path]:
    """Folders holding times-1 renamed copies of every bundled rule (the catalogue x times)."""
    from checker.core.catalogue import SHARED_FILES, bundled_rules_dir
    folders = []
    for k in range(1, times):
        folder = out / f"copy{k}"
        for path in bundled_rules_dir().rglob("*.yaml"):
            if path.name in SHARED_FILES:
                continue
            text = path.read_text(encoding="utf-8")
            prefix, number = path.stem.split("-")
            new_id = f"{prefix}-{int(number) + 100 * k:03d}"
            target = folder / path.parent.name / f"{new_id}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(re.sub(rf"^id: {path.stem}$", f"id: {new_id}", text, count=1, flags=re.M), encoding="utf-8")
        folders.append(folder)
    return folders


def resized(paths: list[Path], items: int, out: Path, seed: int) -> list[Path]:
    """The files with exactly `items` data items (their own first, then generated names, numbered)."""
    out.mkdir(parents=True, exist_ok=True)
    result = []
    for i, path in enumerate(paths):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rng = random.Random(seed * 100_003 + i)
        current = list(data.get("data_items") or [])
        pool = BASIC_ITEMS + SENSITIVE_ITEMS
        while len(current) < items:
            current.append(f"{rng.choice(pool)}（{len(current)}）")
        data["data_items"] = current[:items]
        target = out / path.name
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result.append(target)
    return result


def best(passes: int, work: Any) -> tuple[float, float]:
    """Least (CPU seconds, wall seconds) of `passes` calls of work()."""
    cpu = wall = float("inf")
    for _ in range(passes):
        c, w = time.process_time(), time.perf_counter()
        work()
        cpu, wall = min(cpu, time.process_time() - c), min(wall, time.perf_counter() - w)
    return cpu, wall


def floor(paths: list[Path]) -> None:
    for p in paths:
        yaml.load(p.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)


def plain_python(paths: list[Path], subset: list[Any], catalogue: Any) -> int:
    """Parse, validate, build facts, and evaluate the subset's conditions in Python; the matches."""
    from checker.core import conditions
    from checker.core.facts import build_facts
    from checker.core.proposal import Proposal

    def passes(fact: dict[str, Any], pattern: conditions.Pattern) -> bool:
        if fact["t"] != pattern.fact:
            return False
        for field, test in pattern.tests():
            value, present = fact.get(field), field in fact
            op = test.op
            if op == "eq" and not (present and value == test.value) or op == "in" and not (present and value in test.value):
                return False
            if op == "ne" and present and value == test.value or op == "not_in" and present and value in test.value:
                return False
            if op == "exists" and not present or op == "missing" and present:
                return False
            if op in ("lt", "le", "gt", "ge"):
                if not present or not {"lt": value < test.value, "le": value <= test.value,
                                       "gt": value > test.value, "ge": value >= test.value}[op]:
                    return False
        return True

    branches = [conditions.branches(rule.condition) for rule in subset]
    matched = 0
    for p in paths:
        data = yaml.load(p.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
        facts = build_facts(Proposal.model_validate(data), catalogue.vocabulary, catalogue.areas)
        by_type: dict[str, list[dict[str, Any]]] = {}
        for fact in facts:
            by_type.setdefault(fact["t"], []).append(fact)
        for rule_branches in branches:
            matched += any(all(any(passes(f, pat) for f in by_type.get(pat.fact, ())) for pat in positive)
                           and not any(passes(f, pat) for pat in negative for f in by_type.get(pat.fact, ()))
                           for positive, negative in rule_branches)
    return matched


def per_file(paths: list[Path], engine: Any) -> dict[str, float]:
    """CPU ms per file: the pipeline after reading the file, and the engine call alone."""
    from checker.core.facts import build_facts
    from checker.core.pipeline import check_loaded
    from checker.core.validation import load_proposal
    loaded = [load_proposal(p) for p in paths]
    facts = [build_facts(item.proposal, engine.catalogue.vocabulary, engine.catalogue.areas) for item in loaded]
    pipeline_cpu, _ = best(3, lambda: [check_loaded(item, engine) for item in loaded])
    engine_cpu, _ = best(3, lambda: [engine.evaluate(f) for f in facts])
    load_cpu, _ = best(3, lambda: [load_proposal(p) for p in paths])
    n = len(paths)
    return {"load_ms": load_cpu / n * 1000, "after_load_ms": pipeline_cpu / n * 1000, "engine_ms": engine_cpu / n * 1000,
            "facts": sum(len(f) for f in facts) / n}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ルール数・データ項目数に対する 1 件あたりの費用")
    parser.add_argument("--n", type=int, default=500, help="lint に使う生成ファイルの数")
    parser.add_argument("--per-cell", type=int, default=100, help="1 件あたりの費用を測るファイル数")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-lint", action="store_true", help="lint のプロセスを測らない")
    args = parser.parse_args(argv)

    from checker.core.catalogue import load_catalogue
    from checker.core.engine import Engine
    compiled = byte_compile_checker()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="shingikai-scaling-"))
    result: dict[str, Any] = {"n": args.n, "per_cell": args.per_cell, "byte_compiled": compiled}
    rows: list[tuple[str, str]] = []
    try:
        corpus = generate(args.n, work / "corpus", args.seed)
        sample = corpus[: args.per_cell]
        folders = copies(max(SCALES), work / "rules")
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))

        floor_cpu, floor_wall = best(3, lambda: floor(sample))
        floor_ms = floor_cpu / len(sample) * 1000
        result["floor_ms"] = round(floor_ms, 3)
        rows.append(("floor: CSafeLoader parse", f"{floor_ms:.3f} ms/file CPU ({floor_wall / len(sample) * 1000:.3f} wall)"))

        base = load_catalogue()
        subset = base.rules[:SUBSET_SIZE]
        plain_cpu, _ = best(3, lambda: plain_python(sample, subset, base))
        plain_ms = plain_cpu / len(sample) * 1000
        result["plain_python_ms"] = round(plain_ms, 3)
        rows.append((f"plain Python: parse+validate+facts+{SUBSET_SIZE} rules", f"{plain_ms:.3f} ms/file  ({plain_ms / floor_ms:.2f}x floor)"))

        cells: dict[str, dict[str, float]] = {}
        item_sets = {k: resized(sample, k, work / f"items{k}", args.seed) for k in ITEM_COUNTS}
        for scale in SCALES:
            catalogue = load_catalogue(folders[: scale - 1])
            engine = Engine(catalogue)
            for items, paths in item_sets.items():
                cell = per_file(paths, engine)
                cell["rules"] = len(catalogue.rules)
                cell["durable_rules"] = sum(len(d) for d in engine.definitions.values())
                cell["rulesets"] = len(engine.definitions)
                cells[f"x{scale}/{items}"] = {k: round(v, 3) for k, v in cell.items()}
                rows.append((f"catalogue x{scale} ({cell['rules']} rules, {cell['rulesets']} rulesets), {items} items",
                             f"load {cell['load_ms']:.2f} + after load {cell['after_load_ms']:.2f} ms/file "
                             f"(engine {cell['engine_ms']:.2f}), {(cell['load_ms'] + cell['after_load_ms']) / floor_ms:.1f}x floor,"
                             f" {cell['facts']:.0f} facts"))
        result["cells"] = cells
        ratios = {
            "engine_x2_over_x1_at_50": cells["x2/50"]["engine_ms"] / cells["x1/50"]["engine_ms"],
            "engine_x4_over_x2_at_50": cells["x4/50"]["engine_ms"] / cells["x2/50"]["engine_ms"],
            "file_200_over_50_items_x1": (cells["x1/200"]["load_ms"] + cells["x1/200"]["after_load_ms"])
            / (cells["x1/50"]["load_ms"] + cells["x1/50"]["after_load_ms"]),
        }
        result["growth"] = {k: round(v, 2) for k, v in ratios.items()}
        rows.append(("growth", ", ".join(f"{k} {v:.2f}" for k, v in ratios.items())))

        if not args.skip_lint:
            folder = str(work / "corpus")
            floor_proc = min(run_process([sys.executable, "-c", FLOOR_SCRIPT, folder]) for _ in range(3))
            result["floor_proc_s"], result["floor_proc_cpu_s"] = round(floor_proc[0], 3), round(floor_proc[4], 3)
            for scale in (1, 4):
                extra = [a for f in folders[: scale - 1] for a in ("--rules", str(f))]
                cmd = [*shingikai(), "lint", folder, "-j", "1", *extra]  # text, the default
                run_process(cmd, env)  # fills the compiled-catalogue cache
                runs = [run_process(cmd, env) for _ in range(3)]
                wall, cpu = min(r[0] for r in runs), min(r[4] for r in runs)
                peak, code = max(r[1] for r in runs), runs[0][2]
                result[f"lint_x{scale}"] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "exit": code,
                                            "wall_ratio": round(wall / floor_proc[0], 2),
                                            "cpu_ratio": round(cpu / floor_proc[4], 2), "peak_mb": round(peak, 1)}
                rows.append((f"lint -j 1, catalogue x{scale}, {args.n} files",
                             f"{wall:.2f} s wall ({wall / floor_proc[0]:.2f}x floor process {floor_proc[0]:.2f} s), "
                             f"CPU {cpu:.2f} s ({cpu / floor_proc[4]:.2f}x floor CPU {floor_proc[4]:.2f} s), exit {code}"))
            one = str(corpus[0])
            cold = [run_process([*shingikai(), "check", one, "--format", "json"], env) for _ in range(7)]
            cold_wall = sorted(c[0] for c in cold)[3]
            cold_cpu = sorted(c[4] for c in cold)[3]
            result["cold_check"] = {"wall_s": round(cold_wall, 3), "cpu_s": round(cold_cpu, 3)}
            rows.append(("cold shingikai check (median of 7)", f"{cold_wall:.3f} s wall, CPU {cold_cpu:.3f} s"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["load_avg"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    rows.append(("load average (1 min)", f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs"))
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
