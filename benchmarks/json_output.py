"""The JSON outputs side by side: `--format json` against the lighter `--format json_refs`, in one run.

    python benchmarks/json_output.py [--n 500] [--seed 1]

Generates --n proposals (benchmarks/generate.py) and prints, for `lint -f json` and `lint -f json_refs`
as processes over the folder (`-j 1`): wall and CPU time, output bytes per file, and the ratio to
the floor process (PyYAML's C loader parsing the same files); and in this process, per file, the
rendering alone (a report's records → text) for `check`'s two JSON formats. The last line printed
is one JSON object with every figure.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import FLOOR_SCRIPT, byte_compile_checker, run_process, shingikai  # noqa: E402
from generate import generate  # noqa: E402

FORMATS = ("json", "json_refs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    byte_compile_checker()
    out: dict[str, object] = {"n": args.n}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "proposals"
        generate(args.n, folder, args.seed)
        paths = sorted(folder.glob("*.yaml"))
        floor_wall, _, _, _, floor_cpu = run_process([sys.executable, "-c", FLOOR_SCRIPT, str(folder)])
        print(f"floor process (parse {args.n} files)        {floor_wall:.2f} s wall, CPU {floor_cpu:.2f} s")
        out["floor"] = {"wall_s": round(floor_wall, 3), "cpu_s": round(floor_cpu, 3)}
        for name in FORMATS:
            target = Path(tmp) / f"lint.{name}"
            wall, peak, code, stderr, cpu = run_process(
                [*shingikai(), "lint", str(folder), "-j", "1", "-f", name, "-o", str(target)])
            if code not in (0, 1):
                print(stderr, file=sys.stderr)
                return 1
            size = target.stat().st_size
            print(f"lint -j 1 -f {name:<10} {wall:.2f} s wall ({wall / floor_wall:.2f}x floor), "
                  f"CPU {cpu:.2f} s ({cpu / floor_cpu:.2f}x), {size / len(paths) / 1024:.1f} KB per file, "
                  f"peak {peak:.0f} MB")
            out[f"lint_{name}"] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "kb_per_file":
                                   round(size / len(paths) / 1024, 1), "cpu_ratio": round(cpu / floor_cpu, 2),
                                   "peak_mb": round(peak, 1)}
        from checker.core.catalogue import load_catalogue
        from checker.core.engine import Engine
        from checker.core.errors import InputError
        from checker.core.pipeline import check_file
        from checker.reporters import render
        engine = Engine(load_catalogue())
        reports = []
        for path in paths:
            try:
                reports.append(check_file(path, engine))
            except InputError:
                continue
        for name in FORMATS:
            best = float("inf")
            for _ in range(3):
                start = time.process_time()
                size = sum(len(render("report", name, [r]).encode()) for r in reports)
                best = min(best, time.process_time() - start)
            print(f"check -f {name:<10} rendering only: {best / len(reports) * 1000:.2f} ms CPU and "
                  f"{size / len(reports) / 1024:.1f} KB per report")
            out[f"check_{name}"] = {"ms_per_report": round(best / len(reports) * 1000, 3),
                                    "kb_per_report": round(size / len(reports) / 1024, 1)}
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
