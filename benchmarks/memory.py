"""Memory at scale: 10,000 proposals through one engine, and `shingikai lint` over them.

    python benchmarks/memory.py [--n 10000] [--seed 1] [--corpus DIR]

In-process: resident memory (VmRSS) is sampled every 500 files while one compiled engine checks
every file and renders a JSON report; growth = last sample - sample after the first 1,000 files
(flat means no state kept between proposals). As a process: `shingikai lint DIR --format FMT`
with the resident memory of the whole process tree (pool workers included) and of its largest
process, sampled every 0.1 s.
The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import lint_available, shingikai  # noqa: E402
from generate import generate  # noqa: E402


def rss_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory of a process and all its descendants (shared pages counted per process), and
    of the largest of them."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, largest, todo = 0.0, 0.0, [pid]
    while todo:
        p = todo.pop()
        mb = rss_mb(p)
        total, largest = total + mb, max(largest, mb)
        todo.extend(children.get(p, []))
    return total, largest


def in_process(paths: list[Path]) -> dict[str, float]:
    import checker
    from checker.core.pipeline import check_file
    from checker.reporters import render
    engine = checker.load_engine()
    samples: list[tuple[int, float]] = [(0, rss_mb())]
    start = time.perf_counter()
    for i, path in enumerate(paths, 1):
        render("report", "json", [check_file(path, engine)])
        if i % 500 == 0 or i == len(paths):
            samples.append((i, rss_mb()))
    elapsed = time.perf_counter() - start
    after_1000 = next((mb for i, mb in samples if i >= 1000), samples[-1][1])
    for i, mb in samples:
        print(f"  in-process after {i:>6} files: {mb:7.1f} MB")
    return {"inproc_s": round(elapsed, 2), "inproc_peak_mb": round(max(mb for _, mb in samples), 1),
            "inproc_growth_mb": round(samples[-1][1] - after_1000, 1)}


def as_process(corpus: Path, fmt: str) -> dict[str, float | None]:
    if not lint_available():
        print("`shingikai lint` がまだありません: lint のメモリ計測を省略します。", file=sys.stderr)
        return {"lint_s": None, "lint_peak_mb": None, "lint_growth_mb": None, "lint_largest_process_mb": None}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:  # the report goes to a file of our own, unread
        proc = subprocess.Popen([*shingikai(), "lint", str(corpus), "--format", fmt], stdout=out, stderr=out)
        samples: list[float] = []
        largest = 0.0
        while proc.poll() is None:
            total, one = tree_rss_mb(proc.pid)
            samples.append(total)
            largest = max(largest, one)
            time.sleep(0.1)
    elapsed = time.perf_counter() - start
    samples = [s for s in samples if s > 0] or [0.0]
    quarter = max(len(samples) // 4, 1)
    early, late = max(samples[quarter:2 * quarter] or samples), max(samples[-quarter:])
    print(f"  lint exit {proc.returncode}, {len(samples)} samples, process tree early {early:.1f} MB, "
          f"late {late:.1f} MB, peak {max(samples):.1f} MB; largest single process {largest:.1f} MB")
    return {"lint_s": round(elapsed, 2), "lint_exit": proc.returncode, "lint_peak_mb": round(max(samples), 1),
            "lint_growth_mb": round(late - early, 1), "lint_largest_process_mb": round(largest, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="shingikai のメモリ計測")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="reuse (or create) this corpus folder")
    parser.add_argument("--format", default="text", help="lint output format (text, json, sarif, ...)")
    parser.add_argument("--skip-in-process", action="store_true", help="only measure the lint process")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="shingikai-mem-"))
    try:
        corpus = args.corpus or work / "corpus"
        existing = sorted(corpus.glob("*.yaml")) if corpus.is_dir() else []
        paths = existing if len(existing) == args.n else generate(args.n, corpus, args.seed)
        result: dict[str, object] = {"n": len(paths), "format": args.format}
        if not args.skip_in_process:
            result.update(in_process(paths))
        result.update(as_process(corpus, args.format))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
