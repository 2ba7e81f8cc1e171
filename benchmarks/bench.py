"""Speed and memory of the checker against the floor of parsing the same YAML.

    python benchmarks/bench.py --n 500 [--seed 1] [--runs 7] [--keep DIR]
    python benchmarks/bench.py --cold [--runs 15] [--file PROPOSAL] [--against REV]

--cold measures only the cold start (issue 23's target: ≤ 0.25 s), see cold_main(); with --against,
the checker of an earlier git revision runs beside this one in the same run (before and after).

Figures (per proposal unless said otherwise):
  floor      PyYAML's C loader (yaml.CSafeLoader) parsing each file, nothing else, in this process;
  check      the full pipeline (load, validate, facts, engine, findings) rendered to a JSON report,
             in this process with one compiled engine (engine compile time reported apart), best
             of two passes;
  floor_proc the floor as a separate Python process over the whole folder (interpreter start included);
  lint       `shingikai lint DIR` (text; json apart) as a process, side by side with floor_proc
             (skipped if the command is absent);
  cold       `shingikai check FILE` on one file: median wall time of several processes, with the
             compiled-rules cache warm (plus the first, cache-less run, reported apart);
  peak_mb    highest resident memory of this process (check) and of the largest lint process
             (main or worker; benchmarks/memory.py sums the whole tree).
The checker is byte-compiled first, as a pip install leaves it (see byte_compile_checker).
The last line printed is one JSON object with every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

FLOOR_SCRIPT = """
import sys, yaml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob('*.yaml')):
    yaml.load(p.read_bytes().decode('utf-8'), Loader=yaml.CSafeLoader)
"""


def shingikai() -> list[str]:
    exe = Path(sys.executable).with_name("shingikai")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "checker"]


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, str, float]:
    """Wall seconds, peak RSS in MB, exit code, stderr, CPU seconds (user + system) of one process.

    CPU time is reported next to wall time because it barely moves when other jobs load the
    machine; wall time is what the targets are about. (Pool workers' CPU is not included.)
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:  # what it prints goes to a file of our own, unread
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode, stderr, usage.ru_utime + usage.ru_stime


def floor_in_process(paths: list[Path]) -> float:
    import yaml
    start = time.perf_counter()
    for p in paths:
        yaml.load(p.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def check_in_process(paths: list[Path]) -> tuple[float, float]:
    """(engine load seconds, seconds for all files through check + JSON rendering)."""
    import checker
    from checker.core.pipeline import check_file
    from checker.reporters import render
    start = time.perf_counter()
    engine = checker.load_engine()
    loaded = time.perf_counter()
    passes = []
    for _ in range(2):  # best of two passes, as the floor is the best of three
        begin = time.perf_counter()
        for p in paths:
            render("report", "json", [check_file(p, engine)])
        passes.append(time.perf_counter() - begin)
    return loaded - start, min(passes)


def byte_compile_checker() -> bool:
    """Write the checker's .pyc files if they are missing; True when they are there afterwards."""
    import compileall
    import checker
    return bool(compileall.compile_dir(Path(checker.__file__).parent, quiet=1))


def lint_available() -> bool:
    code = run_process([*shingikai(), "lint", "--help"])[2]
    return code == 0


ONE_FLOOR_SCRIPT = """
import sys, yaml
with open(sys.argv[1], 'rb') as f:
    yaml.load(f.read().decode('utf-8'), Loader=yaml.CSafeLoader)
"""
COLD_FORMATS = ("text", "json", "html")
COLD_TARGET_S = 0.25  # issue 23
DEFAULT_PROPOSAL = Path(__file__).resolve().parent.parent / "proposals" / "examples" / "complete-outsourcing.yaml"


# Runs the checker found in the folder given first, as the console script runs the installed one.
TREE_LAUNCHER = "import sys; sys.path.insert(0, sys.argv.pop(1)); sys.argv[0] = 'shingikai'; from checker.cli import main; main()"


def revision_tree(rev: str, into: Path) -> Path:
    """checker/ and rules/ of a git revision of this repository, byte-compiled like this tree."""
    import compileall
    import io
    import tarfile
    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(["git", "-C", str(root), "archive", rev, "checker", "rules"],
                             capture_output=True, check=True).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    compileall.compile_dir(into / "checker", quiet=1)
    return into


def cold_main(runs: int, proposal: Path, against: str | None = None) -> int:
    """Cold `shingikai check FILE --format F -o OUT` for text, json and html, beside the floor process
    (a Python that imports yaml and parses the same file), interleaved run by run so that a busy
    moment slows all of them alike; medians of wall and CPU time. The compiled-catalogue cache is
    warmed first (a user's second run onwards). With `against`, that revision's checker runs too."""
    compiled = byte_compile_checker()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="shingikai-cold-"))
    env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))
    commands = {"floor": [sys.executable, "-c", ONE_FLOOR_SCRIPT, str(proposal)]}
    for fmt in COLD_FORMATS:
        commands[fmt] = [*shingikai(), "check", str(proposal), "--format", fmt, "-o", str(work / f"report.{fmt}")]
    if against:
        tree = revision_tree(against, work / "before")
        for fmt in COLD_FORMATS:
            commands[f"{fmt} @{against}"] = [sys.executable, "-c", TREE_LAUNCHER, str(tree), "check", str(proposal),
                                             "--format", fmt, "-o", str(work / f"before.{fmt}")]
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    try:
        for name, cmd in commands.items():  # fills the cache; each command must succeed
            code, err = run_process(cmd, env)[2:4]
            if code not in (0, 1):
                print(f"{name} exited {code}: {err[:500]}", file=sys.stderr)
                return 2
        for _ in range(runs):
            for name, cmd in commands.items():
                wall, _, _, _, cpu = run_process(cmd, env)
                samples[name].append((wall, cpu))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    medians = {name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s))
               for name, s in samples.items()}
    floor_wall, floor_cpu = medians["floor"]
    result: dict[str, object] = {"file": proposal.name, "runs": runs, "target_s": COLD_TARGET_S,
                                 "byte_compiled": compiled, "against": against}
    print(f"cold start, {proposal.name}, median of {runs} (interleaved), {os.cpu_count()} CPUs")
    for name, (wall, cpu) in medians.items():
        result[name] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}
        label = "floor (python: import yaml, parse)" if name == "floor" else f"shingikai check --format {name}"
        ratio = "" if name == "floor" else f"  ({wall / floor_wall:.1f}x floor wall, {cpu / floor_cpu:.1f}x CPU)"
        print(f"  {label:<46} {wall:.3f} s wall, CPU {cpu:.3f} s{ratio}")
    load_after = os.getloadavg()[0]
    result["load_avg"] = [round(load_before, 1), round(load_after, 1)]
    print(f"  target ≤ {COLD_TARGET_S} s; load average (1 min) {load_before:.1f} before, {load_after:.1f} after")
    print(json.dumps(result, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="shingikai のベンチマーク")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=None, help="cold start runs (median; 7, or 15 with --cold)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--cold", action="store_true", help="only the cold start of check (text, json, html) and the floor")
    parser.add_argument("--file", type=Path, default=DEFAULT_PROPOSAL, help="the proposal for --cold")
    parser.add_argument("--against", help="with --cold: also run the checker of this git revision (before/after)")
    args = parser.parse_args(argv)
    if args.cold:
        return cold_main(args.runs or 15, args.file.resolve(), args.against)
    args.runs = args.runs or 7

    # Measure the checker as pip installs it: byte-compiled. An editable install compiles on first
    # import, except where PYTHONDONTWRITEBYTECODE is set (as on this machine), which would make
    # every process compile the checker's sources again (~30 ms) while the floor's PyYAML is compiled.
    compiled = byte_compile_checker()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="shingikai-bench-"))
    corpus = args.keep or work / "corpus"
    try:
        paths = generate(args.n, corpus, args.seed)
        size_kb = sum(p.stat().st_size for p in paths) / 1024 / len(paths)
        cache_env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))

        floor_s = min(floor_in_process(paths) for _ in range(3))
        engine_s, check_s = check_in_process(paths)
        check_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        floor_proc_s, _, _, _, floor_proc_cpu = min(run_process([sys.executable, "-c", FLOOR_SCRIPT, str(corpus)])
                                    for _ in range(3))
        lint_s = lint_peak = lint_code = lint_json_s = None
        if lint_available():
            lint = [*shingikai(), "lint", str(corpus)]
            lint_s, lint_peak, lint_code, lint_err, _ = min(run_process(lint, cache_env) for _ in range(3))
            if lint_code not in (0, 1):
                print(f"lint exited {lint_code}: {lint_err[:500]}", file=sys.stderr)
            lint_json_s = min(run_process([*lint, "--format", "json"], cache_env)[0] for _ in range(2))
        else:
            print("`shingikai lint` がまだありません: lint の計測を省略します。", file=sys.stderr)

        one = str(paths[0])
        cmd = [*shingikai(), "check", one, "--format", "json"]
        first_s, _, code, err, _ = run_process(cmd, cache_env)  # empty cache: compiles and stores
        if code not in (0, 1):
            print(f"check exited {code}: {err[:500]}", file=sys.stderr)
        cold = [run_process(cmd, cache_env) for _ in range(args.runs)]
        cold_s = statistics.median(c[0] for c in cold)
        cold_cpu = statistics.median(c[4] for c in cold)
        cold_peak = max(c[1] for c in cold)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    n = len(paths)
    floor_ms, check_ms = floor_s / n * 1000, check_s / n * 1000
    result = {
        "n": n, "kb_per_file": round(size_kb, 2),
        "floor_ms": round(floor_ms, 3), "check_ms": round(check_ms, 3), "ratio": round(check_ms / floor_ms, 2),
        "engine_load_s": round(engine_s, 3),
        "floor_proc_s": round(floor_proc_s, 3),
        "lint_s": None if lint_s is None else round(lint_s, 3),
        "lint_ratio": None if lint_s is None else round(lint_s / floor_proc_s, 2),
        "lint_json_s": None if lint_json_s is None else round(lint_json_s, 3),
        "cold_s": round(cold_s, 3), "cold_first_s": round(first_s, 3),
        "peak_mb": round(max(check_peak, lint_peak or 0), 1),
        "check_peak_mb": round(check_peak, 1), "lint_peak_mb": None if lint_peak is None else round(lint_peak, 1),
        "cold_peak_mb": round(cold_peak, 1), "cold_cpu_s": round(cold_cpu, 3),
        "floor_proc_cpu_s": round(floor_proc_cpu, 3), "cpus": os.cpu_count(),
        "load_avg": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "byte_compiled": compiled,
    }
    rows = [
        ("files", f"{n} (avg {size_kb:.1f} KB)"),
        ("floor: CSafeLoader parse", f"{floor_ms:.3f} ms/file"),
        ("check → JSON, one process", f"{check_ms:.3f} ms/file  (ratio {result['ratio']}x floor)"),
        ("engine load (once)", f"{engine_s:.3f} s"),
        ("floor as a process", f"{floor_proc_s:.3f} s"),
        ("shingikai lint (process)", "skipped: no lint command" if lint_s is None
         else f"{lint_s:.3f} s  ({result['lint_ratio']}x floor process, exit {lint_code});"
              f" --format json {lint_json_s:.3f} s"),
        ("cold shingikai check", f"{cold_s:.3f} s median of {args.runs}, CPU {cold_cpu:.3f} s"
                                 f"  (first, empty cache: {first_s:.3f} s)"),
        ("load average (1 min)", f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"),
        ("checker byte-compiled", "yes (as pip installs it)" if compiled else "no: sources compiled in every process"),
        ("peak RSS", f"check {check_peak:.1f} MB, lint {result['lint_peak_mb']} MB, cold {cold_peak:.1f} MB"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
