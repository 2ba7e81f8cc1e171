"""What the workbench does with a proposal the browser sends, as the CLI's commands do with files.

The browser sends proposal data as JSON; it is written out as YAML and read back through the same
loader and validation as a file (checker/core), so a proposal saved from the browser gives the same
findings under `shingikai check`, and every error keeps the loader's Japanese message. The error's
line is mapped back to the field path the form shows it beside. Uploaded files are only ever bytes
in memory: nothing here opens a path that came from the browser.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from checker.commands.agenda import DEFAULT_MINUTES, AgendaError, build_agenda
from checker.commands.agenda import Agenda
from checker.commands.diff import Diff, build_diff
from checker.commands.new import KINDS, template
from checker.commands.record import RecordUpdate, add_item
from checker.core.engine import Engine
from checker.core.errors import InputError, Problem
from checker.core.findings import Report
from checker.core.loading import MAX_BYTES, LoadedYaml, decode, parse_yaml
from checker.core.pipeline import check_loaded
from checker.core.proposal import Proposal
from checker.core.record import RECORD_OUTCOMES
from checker.core.validation import LoadedProposal, dotted, validate

MAX_FILES = 50                     # proposals in one upload (a meeting has a handful; all the seeds are 33)
MAX_ZIP_BYTES = 5_000_000          # a zip of proposals; each member is still held to MAX_BYTES
PLACEHOLDER = "○"                  # the scaffold's "still to be written" mark (○○, 第○条)


@dataclass(frozen=True)
class FieldError:
    """One validation problem, placed at the field the form shows it beside ("" = the whole form)."""

    path: str
    message: str
    hint: str = ""


@dataclass
class Checked:
    """A proposal from the browser: its report, or the errors that stopped it."""

    yaml_text: str
    report: Report | None = None
    proposal: Proposal | None = None
    errors: list[FieldError] = field(default_factory=list)


def _blank(value: Any) -> Any:
    """The scaffold's data with its placeholders emptied: the form shows empty fields, never a made-up answer."""
    if isinstance(value, dict):
        return {k: _blank(v) for k, v in value.items()}
    if isinstance(value, list):
        return [b for b in (_blank(v) for v in value) if b not in ("", None)]
    if isinstance(value, str) and PLACEHOLDER in value:
        return ""
    if isinstance(value, bool):   # a yes/no the scaffold answers for the example (children: false)
        return None
    return value


def starting_data(kind: str) -> dict[str, Any]:
    """A new proposal of a kind: the same sections as `shingikai new --kind`, every answer still empty."""
    if kind not in KINDS:
        raise InputError("（新しい案件）", [Problem(f"案件の種類「{kind}」はありません。", f"使える種類: {', '.join(KINDS)}")])
    data = yaml.safe_load(template(kind))
    data = _blank(data)
    data["kinds"] = [kind]
    return data


def to_yaml(data: Any) -> str:
    """Proposal data as the YAML file a department keeps (block style, keys in the form's order)."""
    head = "# shingikai serve で作成した案件ファイルです。点検: shingikai check このファイル.yaml\n"
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


def _line_paths(loaded: LoadedYaml) -> dict[int, str]:
    """The field each line of the YAML stands for (the deepest key or value that starts there)."""
    by_line: dict[int, tuple[Any, ...]] = {}
    for positions in (loaded.values, loaded.keys):
        for path, pos in positions.items():
            if len(path) >= len(by_line.get(pos.line, ())):
                by_line[pos.line] = path
    return {line: dotted(path) for line, path in by_line.items()}


# A missing field has no line of its own (the loader points at its parent); its path is in the hint.
_MISSING = re.compile(r"^(\S+) を追加してください")


def _field_errors(exc: InputError, loaded: LoadedYaml | None) -> list[FieldError]:
    lines = _line_paths(loaded) if loaded is not None else {}
    errors = []
    for p in exc.problems:
        missing = _MISSING.match(p.hint) if p.message.startswith("必須の項目") else None
        errors.append(FieldError(missing.group(1) if missing else lines.get(p.line or 0, ""), p.message, p.hint))
    return errors


def check_data(data: Any, engine: Engine, name: str = "案件", today: dt.date | None = None) -> Checked:
    """Validate and check proposal data from the form, as `shingikai check` would its YAML file."""
    return check_yaml(to_yaml(data), engine, name, today)


def check_yaml(text: str, engine: Engine, name: str = "案件", today: dt.date | None = None) -> Checked:
    loaded: LoadedYaml | None = None
    try:
        loaded = parse_yaml(text, name)
        proposal = validate(loaded, name)
        report = check_loaded(LoadedProposal(name, proposal, loaded, list(loaded.notices)), engine, today)
    except InputError as exc:
        return Checked(text, errors=_field_errors(exc, loaded))
    return Checked(text, report, proposal)


def plain(value: Any) -> Any:
    """YAML data as JSON can carry it: dates (meeting_date) as the ISO text the loader reads back."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def read_upload(name: str, raw: bytes) -> tuple[str, Any]:
    """An uploaded YAML file's text and plain data (InputError, naming the file, if it is not a proposal)."""
    if len(raw) > MAX_BYTES:
        raise InputError(name, [Problem(f"ファイルが大きすぎます（{len(raw):,} バイト、上限 {MAX_BYTES:,} バイト）。",
                                        "案件ごとにファイルを分けてください。")])
    text, _ = decode(raw, name)
    loaded = parse_yaml(text, name)
    validate(loaded, name)
    return text, plain(loaded.data)


def _safe_member(info: zipfile.ZipInfo) -> bool:
    """A proposal file inside a zip: no folders, links, absolute paths or '..' (never extracted anyway)."""
    path = PurePosixPath(info.filename.replace("\\", "/"))
    return (not info.is_dir() and not path.is_absolute() and ".." not in path.parts
            and path.suffix.lower() in (".yaml", ".yml") and not any(p.startswith(".") for p in path.parts))


def unpack(uploads: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[AgendaError]]:
    """Uploaded files (a zip opened in memory) -> (name, bytes) of each proposal, and what was refused."""
    files: list[tuple[str, bytes]] = []
    refused: list[AgendaError] = []
    for name, raw in uploads:
        if not name.lower().endswith(".zip"):
            files.append((name, raw))
            continue
        if len(raw) > MAX_ZIP_BYTES:
            refused.append(AgendaError(file=name, message=f"{name}: エラー: zip が大きすぎます（上限 {MAX_ZIP_BYTES:,} バイト）。"))
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                for info in archive.infolist():
                    if not _safe_member(info):
                        continue
                    if info.file_size > MAX_BYTES:
                        refused.append(AgendaError(file=f"{name}/{info.filename}",
                                                   message=f"{name}/{info.filename}: エラー: ファイルが大きすぎます。"))
                        continue
                    files.append((f"{name}/{info.filename}", archive.read(info)[:MAX_BYTES + 1]))
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
            refused.append(AgendaError(file=name, message=f"{name}: エラー: zip を開けません（{type(exc).__name__}）。"))
    if len(files) > MAX_FILES:
        refused.append(AgendaError(file="", message=f"一度に扱えるのは {MAX_FILES} 件までです（{len(files)} 件）。"
                                                    "分けてアップロードしてください。"))
        files = files[:MAX_FILES]
    return files, refused


def agenda_of(uploads: list[tuple[str, bytes]], engine: Engine, minutes: int = DEFAULT_MINUTES,
              today: dt.date | None = None) -> Agenda:
    """The agenda sheet for uploaded proposals, as `shingikai agenda` gives for files."""
    files, errors = unpack(uploads)
    entries = []
    for name, raw in files:
        try:
            text, _ = read_upload(name, raw)
        except InputError as exc:
            errors.append(AgendaError(file=name, message=str(exc)))
            continue
        checked = check_yaml(text, engine, name, today)
        if checked.report is None or checked.proposal is None:
            errors.append(AgendaError(file=name, message="\n".join(f"{name}: エラー: {e.message}" for e in checked.errors)))
        else:
            entries.append((checked.proposal, checked.report))
    agenda = build_agenda(entries, minutes, errors)
    return agenda.model_copy(update={"calibration": engine.catalogue.likelihoods.line()})


def diff_of(old: tuple[str, bytes], new: tuple[str, bytes], engine: Engine, today: dt.date | None = None) -> Diff:
    """Two versions of a proposal compared, as `shingikai diff` does for files (InputError on bad input)."""
    checked = []
    for name, raw in (old, new):
        text, _ = read_upload(name, raw)
        one = check_yaml(text, engine, name, today)
        if one.report is None or one.proposal is None:
            raise InputError(name, [Problem(e.message, e.hint) for e in one.errors])
        checked.append(one)
    texts = {sid: sg.text for sid, sg in engine.catalogue.safeguards.items()}
    (a, b) = checked
    return build_diff(old[0], a.proposal, a.report, new[0], b.proposal, b.report, texts)  # type: ignore[arg-type]


OUTCOMES = RECORD_OUTCOMES
DEFERRAL_REASONS = {"time": "時間切れ", "material": "資料不足"}


def _file_name(name: str, fallback: str) -> str:
    """An uploaded file's name as a plain file name of our own choosing (a label, never a path)."""
    base = re.sub(r"[^\w.\-]", "_", name.replace("\\", "/").rsplit("/", 1)[-1])[:100].lstrip(".")
    return base if base.lower().endswith((".yaml", ".yml")) else fallback


def record_of(proposal: tuple[str, bytes], record: tuple[str, bytes] | None, engine: Engine, *, meeting: str,
              date: dt.date | None, council: str | None, raised: list[str], unpredicted: list[str],
              outcome: str | None, deferral_reason: str | None, minutes: int | None) -> RecordUpdate:
    """What the council asked about one item, added to the council's record as `shingikai record` does.

    The uploads are written to a fresh temporary folder under names chosen here, so the record names
    the proposal by its file name, and the folder is gone when this returns: nothing is kept.
    """
    if not meeting.strip():
        raise InputError("（記録）", [Problem("会議の名前がありません。", "例: 令和7年度第1回")])
    if outcome is not None and outcome not in OUTCOMES:
        raise InputError("（記録）", [Problem(f"結果「{outcome}」は使えません。", "使える値: " + ", ".join(OUTCOMES))])
    if deferral_reason is not None and deferral_reason not in DEFERRAL_REASONS:
        raise InputError("（記録）", [Problem(f"継続審議の理由「{deferral_reason}」は使えません。", "使える値: time, material")])
    read_upload(*proposal)   # a bad proposal is reported under its own name, before anything is written
    with tempfile.TemporaryDirectory(prefix="shingikai-serve-") as folder:
        proposal_path = PurePosixPath(folder) / _file_name(proposal[0], "proposal.yaml")
        record_name = _file_name(record[0], "record.yaml") if record else "record.yaml"
        record_path = PurePosixPath(folder) / ("council-" + record_name if record_name == proposal_path.name else record_name)
        Path(proposal_path).write_bytes(proposal[1])
        if record is not None:
            Path(record_path).write_bytes(record[1][:MAX_BYTES + 1])
        return add_item(Path(record_path), Path(proposal_path), engine, meeting=meeting.strip(), date=date,
                        council=council or None, raised=raised, unpredicted=unpredicted,
                        outcome=outcome, deferral_reason=deferral_reason, minutes=minutes)  # type: ignore[arg-type]
