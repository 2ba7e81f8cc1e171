"""The web face of `shingikai serve` (Starlette), as cli.py is the terminal's: parse the request, call the
workbench (checker/commands/serve), render with its reporters, answer.

Security, for a tool trusted with personal information:
- binds to 127.0.0.1 unless told otherwise (cli.py), and answers only to the host names it was bound
  under (a page elsewhere cannot reach it by DNS rebinding);
- every POST needs the session's token in a header and, when the browser says where it comes from,
  the same origin: a page on another site can neither read the token nor send it;
- bodies are read up to a limit, then refused; uploads are bytes in memory, never paths;
- the page loads only its own script and style (Content-Security-Policy), nothing from the network;
- nothing is kept beyond the in-memory session (commands/serve/sessions.py).
Needs the optional extra: pip install 'shingikai-checker[serve]'.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from typing import Any, Awaitable, Callable

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from checker.commands.new import KINDS
from checker.commands.serve import workbench
from checker.commands.serve.sessions import Sessions
from checker.core.engine import Engine
from checker.core.errors import InputError
from checker.core.proposal import label
from checker.reporters import render
from checker.reporters.serve.pages import live_report, page

COOKIE = "shingikai_session"
TOKEN_HEADER = "x-shingikai-token"
MAX_JSON_BYTES = 2_000_000                      # a proposal as JSON is a few KB
MAX_UPLOAD_BYTES = workbench.MAX_ZIP_BYTES + 1_000_000
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
STATIC = {"serve.js": "text/javascript; charset=utf-8", "serve.css": "text/css; charset=utf-8"}


class Refused(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


def _static(name: str) -> bytes:
    return resources.files("checker").joinpath("static", name).read_bytes()


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _error(status: int, message: str) -> Response:
    return _headers(JSONResponse({"error": message}, status_code=status))


def create_app(engine: Engine, allowed_hosts: list[str], sessions: Sessions | None = None) -> Starlette:
    sessions = sessions or Sessions()
    files = {name: _static(name) for name in STATIC}   # read once: no request ever names a file
    kinds = [(k, label("Kind", k)) for k in KINDS]
    schema_cache: dict[str, bytes] = {}

    def guard(request: Request) -> None:
        """A POST from this app's own page: same origin, and the session's token."""
        site = request.headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            raise Refused(403, "別のサイトからの要求は受け付けません。")
        origin = request.headers.get("origin")
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin is not None and origin != own:
            raise Refused(403, "別のサイトからの要求は受け付けません。")
        if not sessions.token_ok(request.cookies.get(COOKIE), request.headers.get(TOKEN_HEADER)):
            raise Refused(403, "画面の有効期限が切れたか、正しくない要求です。ページを再読み込みしてください。")

    async def body(request: Request, limit: int) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            raise Refused(413, f"送信されたデータが大きすぎます（上限 {limit:,} バイト）。")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:   # a body sent without its length is cut off here, not read to the end
                raise Refused(413, f"送信されたデータが大きすぎます（上限 {limit:,} バイト）。")
            chunks.append(chunk)
        return b"".join(chunks)

    async def json_body(request: Request) -> dict[str, Any]:
        raw = await body(request, MAX_JSON_BYTES)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, "送信されたデータを読み取れません（JSON ではありません）。") from None
        if not isinstance(data, dict):
            raise Refused(400, "送信されたデータの形が正しくありません。")
        return data

    async def uploads(request: Request, *names: str) -> dict[str, list[tuple[str, bytes]]]:
        """The uploaded files of a multipart form, by field name (bytes in memory; the name is only a label)."""
        raw = await body(request, MAX_UPLOAD_BYTES)
        # Starlette parses the form from the body it already holds (it reads no further from the client)
        request._body = raw  # noqa: SLF001
        try:
            form = await request.form(max_files=workbench.MAX_FILES, max_fields=20)
        except Exception as exc:   # starlette's MultiPartException, or the parser's own errors
            if "Too many files" in str(exc):
                raise Refused(413, f"一度にアップロードできるのは {workbench.MAX_FILES} 件までです。分けてください。") from None
            raise Refused(400, "アップロードされたデータを読み取れません。") from None
        found: dict[str, list[tuple[str, bytes]]] = {n: [] for n in names}
        for key, value in form.multi_items():
            if key in found and isinstance(value, UploadFile):
                data = await value.read()
                if not value.filename and not data:
                    continue   # a file input left empty: browsers still send a part with no name and no bytes
                name = (value.filename or "無題.yaml").replace("\\", "/").rsplit("/", 1)[-1][:200]
                found[key].append((name, data))
        await form.close()
        return found

    def proposal_of(data: dict[str, Any]) -> Any:
        proposal = data.get("proposal")
        if not isinstance(proposal, dict):
            raise Refused(400, "案件のデータがありません。")
        return proposal

    def endpoint(handler: Callable[[Request], Awaitable[Response]], post: bool = True) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                if post:
                    guard(request)
                return _headers(await handler(request))
            except Refused as exc:
                return _error(exc.status, exc.message)
            except InputError as exc:
                return _error(422, str(exc))
        return run

    async def index(request: Request) -> Response:
        session = sessions.get(request.cookies.get(COOKIE)) or sessions.start()
        limits = {"files": workbench.MAX_FILES, "bytes": MAX_UPLOAD_BYTES}
        response = _headers(HTMLResponse(page(session.token, kinds, limits, workbench.OUTCOMES,
                                                     workbench.DEFERRAL_REASONS)))
        response.set_cookie(COOKIE, session.id, httponly=True, samesite="strict", path="/")
        return response

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in files:
            return _error(404, "ありません。")
        return _headers(Response(files[name], media_type=STATIC[name]))

    async def schema(request: Request) -> Response:
        if "text" not in schema_cache:   # generated at run time: the form follows the schema as it is now
            from checker.commands.schema import schema_text
            schema_cache["text"] = schema_text().encode("utf-8")   # every field has its Japanese description
        return Response(schema_cache["text"], media_type="application/json")

    async def new(request: Request) -> Response:
        data = await json_body(request)
        return JSONResponse({"proposal": workbench.starting_data(str(data.get("kind", "")))})

    def checked_json(checked: workbench.Checked) -> dict[str, Any]:
        return {"errors": [{"path": e.path, "message": e.message, "hint": e.hint} for e in checked.errors],
                "report": live_report(checked.report) if checked.report is not None else None}

    async def check(request: Request) -> Response:
        return JSONResponse(checked_json(workbench.check_data(proposal_of(await json_body(request)), engine)))

    async def open_file(request: Request) -> Response:
        found = (await uploads(request, "file"))["file"]
        if len(found) != 1:
            raise Refused(400, "案件ファイルを 1 つ選んでください。")
        name, raw = found[0]
        try:
            _, data = workbench.read_upload(name, raw)
        except InputError as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)
        return JSONResponse({"proposal": data, "name": name})

    def download(text: str, filename: str, media_type: str) -> Response:
        return Response(text, media_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    async def save_yaml(request: Request) -> Response:
        proposal = proposal_of(await json_body(request))
        return download(workbench.to_yaml(proposal), "proposal.yaml", "application/yaml; charset=utf-8")

    def report_of(data: dict[str, Any]) -> Any:
        checked = workbench.check_data(proposal_of(data), engine)
        if checked.report is None:
            raise Refused(422, "入力に誤りがあるため報告を作れません。項目の横のエラーを直してください。")
        return checked.report

    async def report_html(request: Request) -> Response:
        return download(render("report", "html", [report_of(await json_body(request))]), "report.html",
                        "text/html; charset=utf-8")

    async def actions_csv(request: Request) -> Response:
        return download(render("report", "csv", [report_of(await json_body(request))]), "actions.csv",
                        "text/csv; charset=utf-8")

    async def agenda(request: Request) -> Response:
        found = (await uploads(request, "files"))["files"]
        if not found:
            raise Refused(400, "案件ファイル（または zip）を選んでください。")
        sheet = workbench.agenda_of(found, engine)
        return JSONResponse({"html": render("agenda", "html", sheet), "text": render("agenda", "text", sheet),
                             "items": len(sheet.items), "errors": [e.message for e in sheet.errors]})

    async def diff(request: Request) -> Response:
        found = await uploads(request, "old", "new")
        if len(found["old"]) != 1 or len(found["new"]) != 1:
            raise Refused(400, "比べる 2 つの版（旧・新）を 1 つずつ選んでください。")
        return JSONResponse({"text": render("diff", "text", workbench.diff_of(found["old"][0], found["new"][0], engine))})

    async def record(request: Request) -> Response:
        found = await uploads(request, "proposal", "record")
        form = await request.form()   # the fields of the same, already read body
        if len(found["proposal"]) != 1 or len(found["record"]) > 1:
            raise Refused(400, "審議した案件ファイルを 1 つ選んでください（記録ファイルは任意で 1 つ）。")

        def text(name: str) -> str:
            value = form.get(name)
            return value.strip()[:500] if isinstance(value, str) else ""
        try:
            day = dt.date.fromisoformat(text("date")) if text("date") else None
            minutes = int(text("minutes")) if text("minutes") else None
        except ValueError:
            raise Refused(400, "開催日は YYYY-MM-DD、審議時間は分の整数で書いてください。") from None
        update = workbench.record_of(
            found["proposal"][0], found["record"][0] if found["record"] else None, engine,
            meeting=text("meeting"), date=day, council=text("council") or None,
            raised=[c for c in re.split(r"[\s,、，]+", text("raised")) if c],
            unpredicted=[line.strip() for line in str(form.get("unpredicted") or "").splitlines()[:50] if line.strip()],
            outcome=text("outcome") or None, deferral_reason=text("deferral_reason") or None, minutes=minutes)
        await form.close()
        return JSONResponse({"text": update.text, "replaced": update.replaced, "proposal": update.item.proposal,
                             "raised": len(update.item.raised), "not_raised": len(update.item.not_raised)})

    routes = [
        Route("/", endpoint(index, post=False)),
        Route("/static/{name}", endpoint(static, post=False)),
        Route("/api/schema", endpoint(schema, post=False)),
        Route("/api/new", endpoint(new), methods=["POST"]),
        Route("/api/check", endpoint(check), methods=["POST"]),
        Route("/api/open", endpoint(open_file), methods=["POST"]),
        Route("/api/save.yaml", endpoint(save_yaml), methods=["POST"]),
        Route("/api/report.html", endpoint(report_html), methods=["POST"]),
        Route("/api/actions.csv", endpoint(actions_csv), methods=["POST"]),
        Route("/api/agenda", endpoint(agenda), methods=["POST"]),
        Route("/api/diff", endpoint(diff), methods=["POST"]),
        Route("/api/record", endpoint(record), methods=["POST"]),
    ]
    return Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)])


def serve(engine: Engine, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Run until interrupted; `announce` is told the URL once the port is bound (port 0 = any free one)."""
    import socket

    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    hosts = ["127.0.0.1", "localhost", "[::1]", host, shown]
    app = create_app(engine, hosts)
    _default_stop_signals()
    announce(f"http://{shown}:{bound}/")
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, date_header=False)
    uvicorn.Server(config).run(sockets=[sock])


def _default_stop_signals() -> None:
    """SIGTERM and SIGHUP end the workbench at once until uvicorn takes them over for a graceful stop.

    The CLI turns them into an exception that unwinds (checker/shell/signals.py) so that commands
    remove their temporary files; the workbench writes none. Raised inside asyncio's start-up, before
    uvicorn installs its handlers, that exception was once printed and swallowed, and the server kept
    running (CI, 2026-12-07). The default action cannot be swallowed; once uvicorn has stopped it
    raises the signal again, which then ends the process as a shell reports it (143, 129)."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
