"""`shingikai serve`: every endpoint of the workbench, through Starlette's test client (no browser).

Also the requests a page on another site, a broken client or an oversized upload would send.
"""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from checker.commands.serve import workbench
from checker.commands.serve.sessions import Sessions
from checker.core.engine import Engine
from checker.core.pipeline import check_text

from .conftest import ROOT

from starlette.testclient import TestClient  # the test extra installs the serve extra

from checker.web import COOKIE, MAX_JSON_BYTES, create_app

EXAMPLE = ROOT / "proposals" / "examples" / "complete-outsourcing.yaml"
SEEDS = sorted((ROOT / "proposals" / "seeds").glob("*.yaml"))


@pytest.fixture(scope="module")
def app(engine: Engine):
    return create_app(engine, ["testserver"])


@pytest.fixture
def client(app) -> TestClient:
    c = TestClient(app)
    page = c.get("/")
    c.headers["X-Shingikai-Token"] = re.search(r'name="shingikai-token" content="([^"]+)"', page.text).group(1)
    return c


def example_data() -> dict:
    return workbench.plain(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


def findings_of(report) -> list[tuple[str, str]]:
    return [(f.rule_id, f.status) for f in report.findings]


def test_the_page_sets_a_session_and_allows_only_its_own_script(app) -> None:
    page = TestClient(app).get("/")
    assert page.status_code == 200
    assert COOKIE in page.cookies
    assert "HttpOnly" in page.headers["set-cookie"] and "SameSite=strict" in page.headers["set-cookie"]
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert '<script src="/static/serve.js"' in page.text and "http" not in page.text.split("<body>")[0].replace("http-equiv", "")
    assert "外部委託" in page.text   # the kinds to start from


def test_static_files_are_a_fixed_list(client) -> None:
    assert client.get("/static/serve.js").status_code == 200
    assert "innerHTML" not in client.get("/static/serve.js").text
    for name in ("../pyproject.toml", "..%2Fpyproject.toml", "serve.html.j2", "/etc/passwd"):
        assert client.get(f"/static/{name}").status_code == 404


def test_the_schema_is_the_proposal_schema_of_now(client) -> None:
    schema = client.get("/api/schema").json()
    assert {"id", "title", "kinds", "vendors"} <= set(schema["properties"])


def test_a_new_proposal_has_the_scaffold_sections_and_no_made_up_answers(client) -> None:
    data = client.post("/api/new", json={"kind": "outsourcing"}).json()["proposal"]
    assert data["kinds"] == ["outsourcing"] and "vendors" in data and "contract" in data
    assert "○" not in json.dumps(data, ensure_ascii=False)
    assert data["subjects"][0]["children"] is None   # the scaffold's example answer is not the clerk's
    assert data["contract"]["special_clauses"] is None    # a yes/no question still unanswered
    bad = client.post("/api/new", json={"kind": "teleport"})
    assert bad.status_code == 422 and "案件の種類「teleport」はありません" in bad.json()["error"]


def test_check_gives_the_report_of_shingikai_check(client, engine: Engine) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    answer = client.post("/api/check", json={"proposal": workbench.plain(yaml.safe_load(text))}).json()
    assert answer["errors"] == []
    expected = check_text(text, "x", engine)
    assert answer["report"]["risk_label"] == expected.summary.risk_label
    assert [r["question"] for r in answer["report"]["likely"]] == [t.question for t in expected.topics[:5]]


def test_a_validation_error_names_its_field(client) -> None:
    data = example_data()
    data["procedure"] = "consultaton"
    data["vendors"][0]["staff_list"] = "たぶん"
    del data["title"]
    answer = client.post("/api/check", json={"proposal": data}).json()
    assert answer["report"] is None
    by_path = {e["path"]: e["message"] for e in answer["errors"]}
    assert "consultaton" in by_path["procedure"]
    assert "title" in by_path["title"] and "必須" in by_path["title"]
    assert "vendors[0].staff_list" in by_path


def test_saved_yaml_gives_the_same_findings_under_check(client, engine: Engine, tmp_path: Path) -> None:
    data = example_data()
    saved = client.post("/api/save.yaml", json={"proposal": data})
    assert saved.status_code == 200 and "attachment" in saved.headers["content-disposition"]
    path = tmp_path / "saved.yaml"
    path.write_bytes(saved.content)
    result = subprocess.run([sys.executable, "-m", "checker", "check", "-f", "json", str(path)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    from_cli = [(f["rule_id"], f["status"]) for f in json.loads(result.stdout)["findings"]]
    assert from_cli == findings_of(check_text(EXAMPLE.read_text(encoding="utf-8"), "x", engine))


def test_report_and_action_plan_downloads(client) -> None:
    data = {"proposal": example_data()}
    html = client.post("/api/report.html", json=data)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "report.html" in html.headers["content-disposition"] and "<html" in html.text
    csv = client.post("/api/actions.csv", json=data)
    assert csv.status_code == 200 and "actions.csv" in csv.headers["content-disposition"] and "," in csv.text
    broken = client.post("/api/report.html", json={"proposal": {"id": "x"}})
    assert broken.status_code == 422 and "エラー" in broken.json()["error"]


def test_opening_a_file_reads_it_in_memory(client) -> None:
    opened = client.post("/api/open", files={"file": ("案件.yaml", EXAMPLE.read_bytes())})
    assert opened.status_code == 200 and opened.json()["proposal"]["id"] == yaml.safe_load(EXAMPLE.read_text())["id"]
    broken = client.post("/api/open", files={"file": ("bad.yaml", "id: x\ntitle: [\n".encode())})
    assert broken.status_code == 422 and "bad.yaml:" in broken.json()["error"] and "YAML の構文エラー" in broken.json()["error"]
    assert client.post("/api/open", files={}).status_code == 400


def test_the_agenda_from_uploaded_seed_proposals(client) -> None:
    files = [("files", (p.name, p.read_bytes())) for p in SEEDS[:6]]
    answer = client.post("/api/agenda", files=files)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["items"] == 6 and body["errors"] == []
    assert yaml.safe_load(SEEDS[0].read_text(encoding="utf-8"))["title"] in body["text"]


def test_the_agenda_from_a_zip_skips_paths_outside_it(client) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("meeting/a.yaml", SEEDS[0].read_bytes())
        archive.writestr("../escape.yaml", SEEDS[1].read_bytes())
        archive.writestr("/etc/abs.yaml", SEEDS[2].read_bytes())
        archive.writestr("broken.yaml", b"id: [\n")
    answer = client.post("/api/agenda", files=[("files", ("meeting.zip", buffer.getvalue()))]).json()
    assert answer["items"] == 1
    assert len(answer["errors"]) == 1 and "broken.yaml" in answer["errors"][0]
    not_zip = client.post("/api/agenda", files=[("files", ("x.zip", b"not a zip"))]).json()
    assert not_zip["items"] == 0 and "zip を開けません" in not_zip["errors"][0]


def test_too_many_files_are_refused_with_a_reason(client, engine: Engine) -> None:
    upload = [("files", (f"{i}.yaml", b"id: x\n")) for i in range(workbench.MAX_FILES + 1)]
    refused = client.post("/api/agenda", files=upload)
    assert refused.status_code == 413 and f"{workbench.MAX_FILES} 件まで" in refused.json()["error"]
    files = [(f"{i}.yaml", SEEDS[0].read_bytes()) for i in range(workbench.MAX_FILES + 1)]
    kept, refused = workbench.unpack(files)
    assert len(kept) == workbench.MAX_FILES and "までです" in refused[0].message


def test_comparing_two_versions(client) -> None:
    old = example_data()
    new = dict(old, safeguards=old.get("safeguards", [])[:-1])
    answer = client.post("/api/diff", files=[("old", ("v1.yaml", workbench.to_yaml(old).encode())),
                                              ("new", ("v2.yaml", workbench.to_yaml(new).encode()))])
    assert answer.status_code == 200 and "v1.yaml" in answer.json()["text"]
    one = client.post("/api/diff", files=[("old", ("v1.yaml", EXAMPLE.read_bytes()))])
    assert one.status_code == 400 and "2 つの版" in one.json()["error"]


@pytest.mark.parametrize("url", ["/api/new", "/api/check", "/api/save.yaml", "/api/report.html",
                                 "/api/actions.csv", "/api/open", "/api/agenda", "/api/diff", "/api/record"])
def test_state_changing_requests_need_the_token_and_the_same_origin(app, client, url: str) -> None:
    body = {"proposal": {"id": "x"}, "kind": "outsourcing"}
    stranger = TestClient(app)
    stranger.get("/")   # a session of its own, but not the page's token
    assert stranger.post(url, json=body).status_code == 403
    wrong = client.post(url, json=body, headers={"X-Shingikai-Token": "guess"})
    assert wrong.status_code == 403 and "再読み込み" in wrong.json()["error"]
    elsewhere = client.post(url, json=body, headers={"Origin": "http://evil.example"})
    assert elsewhere.status_code == 403 and "別のサイト" in elsewhere.json()["error"]
    assert client.post(url, json=body, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.get(url).status_code == 405


def test_oversized_and_malformed_requests_are_refused_in_japanese(client) -> None:
    big = client.post("/api/check", content=b"{" + b" " * (MAX_JSON_BYTES + 10) + b"}",
                      headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and "大きすぎます" in big.json()["error"]
    assert client.post("/api/check", content=b"{not json", headers={"Content-Type": "application/json"}).status_code == 400
    assert client.post("/api/check", content=b"\xff\xfe", headers={"Content-Type": "application/json"}).status_code == 400
    assert client.post("/api/check", json=[1, 2]).status_code == 400
    assert client.post("/api/check", json={"proposal": "id: x"}).status_code == 400
    assert client.post("/api/open", content=b"--x\r\nbroken", headers={"Content-Type": "multipart/form-data; boundary=x"}).status_code == 400
    huge = client.post("/api/open", files={"file": ("big.yaml", b"a: 1\n" * 1_300_000)})
    assert huge.status_code == 413
    nested: object = "x"
    for _ in range(60):   # deeper than the loader allows
        nested = [nested]
    deep = client.post("/api/check", json={"proposal": {"id": "x", "related": nested}})
    assert deep.status_code == 200 and deep.json()["report"] is None


def test_only_the_bound_host_names_are_answered(app) -> None:
    assert TestClient(app, base_url="http://rebound.example").get("/").status_code == 400


def test_sessions_expire_and_stay_in_memory() -> None:
    now = [0.0]
    sessions = Sessions(idle_seconds=10, clock=lambda: now[0])
    s = sessions.start()
    assert sessions.token_ok(s.id, s.token) and not sessions.token_ok(s.id, "other")
    now[0] = 11
    assert sessions.get(s.id) is None and not sessions.token_ok(s.id, s.token) and len(sessions) == 0


def test_serve_without_the_extra_names_the_install_command(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['starlette'] = None; sys.argv = ['shingikai', 'serve', '--port', '0'];"
            "from checker.cli import main; main()")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert "pip install 'shingikai-checker[serve]'" in result.stderr


def test_serve_prints_its_url_and_warns_for_another_host(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--host", "127.0.0.2", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        line = process.stdout.readline()
        assert re.fullmatch(r"ワークベンチを開始しました: http://127\.0\.0\.2:\d+/\n", line), line
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "警告: 127.0.0.2 で待ち受けます" in stderr


def test_recording_what_the_council_asked(client, engine: Engine) -> None:
    seed = SEEDS[0]
    from checker.core.pipeline import check_file
    rule = check_file(seed, engine).findings[0].rule_id
    fields = {"meeting": "令和8年度第1回", "date": "2026-05-20", "council": "例示市個人情報保護審議会",
              "raised": f"{rule}", "outcome": "approved", "minutes": "15"}
    first = client.post("/api/record", data=fields, files=[("proposal", (seed.name, seed.read_bytes()))])
    assert first.status_code == 200, first.text
    text = first.json()["text"]
    record = yaml.safe_load(text)
    item = record["meetings"][0]["items"][0]
    assert record["council"] == "例示市個人情報保護審議会" and item["proposal"] == seed.name
    assert item["raised"] == [rule] and item["outcome"] == "approved" and item["minutes"] == 15
    # the record grows from the file the secretariat keeps
    again = client.post("/api/record", data=dict(fields, raised=""),
                        files=[("proposal", ("other.yaml", SEEDS[1].read_bytes())), ("record", ("record.yaml", text.encode()))])
    assert again.status_code == 200 and len(yaml.safe_load(again.json()["text"])["meetings"][0]["items"]) == 2
    typo = client.post("/api/record", data=dict(fields, raised="NO-SUCH-999"), files=[("proposal", (seed.name, seed.read_bytes()))])
    assert typo.status_code == 422 and "NO-SUCH-999" in typo.json()["error"]
    assert client.post("/api/record", data=dict(fields, outcome="won"),
                       files=[("proposal", (seed.name, seed.read_bytes()))]).status_code == 422
    assert client.post("/api/record", data=dict(fields, date="昨日"),
                       files=[("proposal", (seed.name, seed.read_bytes()))]).status_code == 400
    no_council = client.post("/api/record", data=dict(fields, council=""), files=[("proposal", (seed.name, seed.read_bytes()))])
    assert no_council.status_code == 422 and "審議会の名前" in no_council.json()["error"]
    # a browser sends the optional record input left empty as a part with filename="" and no bytes
    boundary = "----shingikai-test"
    parts = [f'Content-Disposition: form-data; name="{k}"\r\n\r\n{v}' for k, v in fields.items()]
    parts.append(f'Content-Disposition: form-data; name="proposal"; filename="{seed.name}"\r\n'
                 f'Content-Type: application/x-yaml\r\n\r\n' + seed.read_text(encoding="utf-8"))
    parts.append('Content-Disposition: form-data; name="record"; filename=""\r\n'
                 'Content-Type: application/octet-stream\r\n\r\n')
    body = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts) + f"--{boundary}--\r\n"
    unchosen = client.post("/api/record", content=body.encode("utf-8"),
                           headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert unchosen.status_code == 200, unchosen.text
    assert len(yaml.safe_load(unchosen.json()["text"])["meetings"][0]["items"]) == 1


@pytest.mark.parametrize("path", sorted((ROOT / "proposals" / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_opened_in_the_form_keeps_its_findings(client, engine: Engine, path: Path) -> None:
    """Open, edit nothing, check: as the form holds it (data items as objects), the findings are the file's."""
    opened = client.post("/api/open", files={"file": (path.name, path.read_bytes())}).json()["proposal"]
    opened["data_items"] = [{"name": d} if isinstance(d, str) else d for d in opened.get("data_items", [])]
    checked = workbench.check_data(opened, engine)
    assert checked.errors == []
    assert findings_of(checked.report) == findings_of(check_text(path.read_text(encoding="utf-8"), "x", engine))


def test_the_form_schema_labels_every_field_in_japanese(client) -> None:
    from checker.commands.schema import schema_text
    served = client.get("/api/schema").json()
    assert served == json.loads(schema_text())
    assert served["properties"]["access_control"]["description"].startswith("アクセス制御")
    assert served["properties"]["title"]["description"] == "件名"




def test_stop_signals_take_their_default_action_while_the_workbench_starts(tmp_path: Path) -> None:
    """Between the announced URL and uvicorn's own handlers, SIGTERM / SIGHUP must not be the CLI's
    unwinding handler (an exception there could be swallowed by asyncio's start-up and leave the
    server running): the process sees the default action when uvicorn starts."""
    script = (
        "import signal, uvicorn\n"
        "from checker.shell import signals\n"
        "from checker.core.cache import load_engine\n"
        "from checker import web\n"
        "signals.install_command_handlers()\n"
        "def run(self, sockets=None):\n"
        "    print(signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, signal.getsignal(signal.SIGHUP) is signal.SIG_DFL)\n"
        "uvicorn.Server.run = run\n"
        "web.serve(load_engine(), '127.0.0.1', 0, lambda url: None)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"
