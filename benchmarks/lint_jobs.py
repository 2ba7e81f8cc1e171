"""`shingikai lint` serial versus process pool: wall time and whether the outputs are identical.

    python benchmarks/lint_jobs.py --n 500 [--jobs 2] [--repeat 2]

Generates a corpus with benchmarks/generate.py, lints it in this process with --jobs 1 and with
a pool, renders every lint format for both and prints the times and whether each output is
byte-identical to the serial one. Prints figures only; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from checker.commands import lint  # noqa: E402
from checker.reporters import names, render_lint  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="shingikai-lint-jobs-"))
    try:
        generate(args.n, work / "corpus")
        outputs: dict[int, dict[str, str]] = {}
        for jobs in (1, args.jobs):
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                results = lint.run([work / "corpus"], jobs=jobs)
                times.append(time.perf_counter() - start)
                rendered = {name: render_lint(name, results) for name in names("lint")}
                if jobs in outputs and outputs[jobs] != rendered:
                    print(f"jobs={jobs}: output differs between repeats", file=sys.stderr)
                outputs.setdefault(jobs, rendered)
            print(f"jobs={jobs}: {args.n} files, best {min(times):.2f} s, all {', '.join(f'{t:.2f}' for t in times)} s")
        same = [name for name in names("lint") if outputs[1][name] == outputs[args.jobs][name]]
        print(f"identical to serial: {', '.join(same) or 'none'} ({len(same)}/{len(names('lint'))} formats);"
              f" cpus {len(os.sched_getaffinity(0))}, load {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
