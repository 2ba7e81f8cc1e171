"""How fast the workbench answers: the first report for a bundled example, and the report after one field changes.

    python benchmarks/serve.py [--example proposals/examples/complete-outsourcing.yaml] [--runs 20]

Runs the real app (checker/web.py) in this process through Starlette's test client, so the figures are
the server's side of a request (JSON in, validation, rules, JSON out), without the browser's drawing
and without the page's 400 ms typing pause. Prints figures; asserts nothing (speed is never a test).
  first   the first /api/check of the example after the engine is compiled (engine compile apart);
  update  /api/check after one field changed (the title, then a yes/no answer), median and worst of --runs.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from checker.commands.serve.workbench import plain  # noqa: E402
from checker.core.cache import load_engine  # noqa: E402
from checker.web import create_app  # noqa: E402


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--example", default=str(ROOT / "proposals/examples/complete-outsourcing.yaml"))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    compile_ms, engine = timed(lambda: load_engine(None))
    client = TestClient(create_app(engine, ["testserver"]))
    page = client.get("/")
    client.headers["X-Shingikai-Token"] = re.search(r'name="shingikai-token" content="([^"]+)"', page.text).group(1)
    data = plain(yaml.safe_load(Path(args.example).read_text(encoding="utf-8")))
    first_ms, answer = timed(lambda: client.post("/api/check", json={"proposal": data}))
    assert answer.status_code == 200 and answer.json()["report"] is not None, answer.text
    updates = []
    for i in range(args.runs):
        data["title"] = f"{data['title'].rstrip('0123456789')}{i}"
        if isinstance(data.get("contract"), dict):
            data["contract"]["special_clauses"] = i % 2 == 0
        ms, answer = timed(lambda: client.post("/api/check", json={"proposal": data}))
        assert answer.status_code == 200
        updates.append(ms)
    figures = {"example": Path(args.example).name, "engine_load_ms": round(compile_ms, 1),
               "first_report_ms": round(first_ms, 1), "update_median_ms": round(statistics.median(updates), 1),
               "update_max_ms": round(max(updates), 1), "runs": args.runs}
    print(f"エンジンの読み込み: {figures['engine_load_ms']} ms")
    print(f"最初の報告（{figures['example']}）: {figures['first_report_ms']} ms")
    print(f"項目を 1 つ変えた後の報告: 中央値 {figures['update_median_ms']} ms、最大 {figures['update_max_ms']} ms"
          f"（{args.runs} 回）")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
