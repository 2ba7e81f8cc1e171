"""Property-based: random and mutated YAML never gives a traceback, only a report or an input error.

The mutations start from the example proposals, so most inputs get past the parser and reach
validation, facts, the engine and the reporters. Example counts stay modest to keep the suite fast.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker.cli import app
from checker.core.errors import InputError
from checker.core.findings import Report
from checker.core.loading import decode, parse_yaml
from checker.core.pipeline import check_file
from checker.reporters import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "proposals" / "examples").glob("*.yaml"))
TEXTS = [p.read_text(encoding="utf-8") for p in EXAMPLES]
DATA = [yaml.safe_load(t) for t in TEXTS]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
    st.text(max_size=30), st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["consultation", "usb", "lgwan", "outsourcing", "TRN-001", "media-encryption",
                     "氏名", "病歴", "個人番号", "", "~", "null", "yes", "0x1F", "2020-02-30"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)


def _check_text(engine: Any, text: str | bytes) -> None:
    """The property: a Report that renders in every format, or an InputError naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        try:
            report = check_file(path, engine)
        except InputError as exc:
            assert exc.path == str(path) and exc.problems
            assert all(p.message for p in exc.problems)
            return
        assert isinstance(report, Report)
        for fmt in ("text", "md", "json"):
            assert render("report", fmt, [report])


@FUZZ
@given(st.text(max_size=300))
def test_loader_on_random_text(text):
    try:
        loaded = parse_yaml(text, "random.yaml")
    except InputError as exc:
        assert exc.problems and exc.path == "random.yaml"
        return
    assert loaded.values.get(()) is not None


@FUZZ
@given(st.binary(max_size=300))
def test_decoder_on_random_bytes(raw):
    try:
        text, notices = decode(raw, "random.yaml")
    except InputError as exc:
        assert exc.problems
        return
    assert isinstance(text, str) and len(notices) <= 1


@st.composite
def mutated_text(draw):
    """An example proposal with lines deleted, duplicated, re-indented, cut or spliced with junk."""
    lines = draw(st.sampled_from(TEXTS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "junk", "truncate", "swap"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip(" ")
        elif op == "junk":
            cut = draw(st.integers(0, len(lines[i])))
            junk = draw(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`,? \t\n氏名あ\u3000")), max_size=8))
            lines[i] = lines[i][:cut] + junk + lines[i][cut:]
        elif op == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


@FUZZ
@given(text=mutated_text())
def test_check_on_mutated_text(engine, text):
    _check_text(engine, text)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, prefix + (i,))
    return out


@st.composite
def mutated_data(draw):
    """An example proposal as data with values replaced, keys dropped and values added."""
    data = copy.deepcopy(draw(st.sampled_from(DATA)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)[1:]))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        op = draw(st.sampled_from(["replace", "delete", "add"]))
        if op == "replace":
            parent[path[-1]] = draw(values)
        elif op == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["vendors", "transfers", "safeguards", "my_number", "cloud",
                                         "accepted_risks", "data_items", "extra_key", "kinds"]))] = draw(values)
        else:
            parent.append(draw(values))
    return data


@FUZZ
@given(data=mutated_data())
def test_check_on_mutated_structure(engine, data):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    _check_text(engine, text)


@settings(max_examples=25, deadline=None)
@given(text=st.one_of(mutated_text(), st.binary(max_size=200)))
def test_cli_check_exits_0_or_2_without_traceback(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        result = CliRunner().invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "内部エラー" not in result.output
    if result.exit_code == 0:
        assert json.loads(result.stdout)["proposal"]
    else:
        assert "fuzz.yaml" in result.stderr
