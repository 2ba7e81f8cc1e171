"""Load and validate the rule knowledge base: rules/<topic>/<ID>.yaml plus its shared files.

Everything in a rule file is data checked here at load time; a broken file is a RuleError
naming the file and the rule (the CLI exits 3). Nothing in a rule file is executed.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from checker.core import conditions, placeholders
from checker.core.coverage import Area, path_exists
from checker.core.errors import RuleError, RuleErrors
from checker.core.ids import did_you_mean, normalise_id
from checker.core.fact_schema import ENUM_FIELDS, FACT_FIELDS, PIA_STAGES, SINGLE_FACTS
from checker.core.likelihood import Likelihoods
from checker.core.loading import SAFE_LOADER
from checker.core.outcome import OutcomeModel
from checker.core.paths import bundled_rules_dir
from checker.core.proposal import LABELS, Proposal
from checker.core.vocabulary import Vocabulary, load_vocabulary

Severity = Literal["high", "medium", "low"]
RULE_ID = re.compile(r"^[A-Z]{2,5}-\d{3}$")
PLACEHOLDER = re.compile(r"\{(\w+)\.(\w+)\}")
# A council's own calibration (`shingikai rules calibrate --records`), put in its --rules folder:
# it replaces the bundled likelihoods and the outcome and minutes figures.
CALIBRATION_FILE = "calibration.yaml"
SHARED_FILES = {"topics.yaml", "safeguards.yaml", "vocabulary.yaml", "example_base.yaml", "areas.yaml",
                "likelihood.yaml", "sources.yaml", "pia_sections.yaml", CALIBRATION_FILE,
                "placeholders.yaml", "council.yaml", "ordinance_sensitive.yaml"}
COVERAGE_STATES = ("stated", "not_applicable", "unstated")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Safeguard(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: str = Field(min_length=1, description="講じるべき措置")
    write: str = Field(min_length=1, description="諮問書に書くべき内容")
    # A measure the schema can state: the proposal facts that show it is in place (the same
    # condition language as rules). Stating them ticks the safeguard off (済) without a
    # `safeguards:` entry; `example` is a partial proposal that must tick it (meta-test).
    satisfied_by: Any = Field(None, description="この措置を講じていることを示す案件の記載（条件）")
    example: dict[str, Any] | None = Field(None, description="satisfied_by を満たす部分的な案件（テスト用）")
    # A measure no schema field states (a procedure, a document): why it can only be declared.
    declared_only: str = Field("", description="記載欄がなく safeguards: で申告する理由")

    @cached_property
    def condition(self) -> conditions.Node | None:
        return conditions.parse(self.satisfied_by) if self.satisfied_by is not None else None


class Source(Strict):
    """Where a precedent can be looked up: a council's minutes, a law or a national guideline."""

    key: str
    title: str = Field(min_length=1, description="報告書に示す名称（会議録なら審議会・回・開催日）")
    kind: Literal["minutes", "law", "guidance"]
    url: str = Field("", pattern=r"^(https://\S+)?$")
    # A law or guideline is cited by its edition (改正・版の年月); minutes by the meeting's date, which
    # also tells the regime it was held under (旧条例下 before 2023-04-01).
    edition: str = Field("", description="法令・指針の版（改正の年月や版）。kind が law / guidance のとき必須")
    date: dt.date | None = Field(None, description="会議の開催日。kind が minutes のとき必須")

    @model_validator(mode="after")
    def _dated(self) -> "Source":
        if self.kind == "minutes" and self.date is None:
            raise ValueError("会議録の出典には開催日（date: YYYY-MM-DD）を書いてください")
        if self.kind != "minutes" and not self.edition.strip():
            raise ValueError("法令・指針の出典には版（edition: 例 令和7年3月版）を書いてください")
        return self


class CouncilCriterion(Strict):
    """A ground on which an item needs the council's expert view (法第129条), checked per proposal.

    `statutory` grounds are set by law (the third-party review of a full PIA); `municipal` ones are
    the municipality's own criteria, kept in its rules folder (council.yaml) and editable like rules."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    ground: Literal["statutory", "municipal"] = Field(description="statutory: 法令が求める / municipal: 自治体の基準")
    label: str = Field(min_length=1, description="報告に示す根拠の名称")
    explanation: str = Field(min_length=1, description="なぜ審議会の専門的知見が必要か（報告に示す）")
    when: Any = Field(description="当てはまる条件（ルールと同じ書き方）")
    precedents: list["Precedent"] = Field(default_factory=list, description="根拠となる法令・指針の条項")

    @cached_property
    def condition(self) -> conditions.Node:
        return conditions.parse(self.when)


def _half_width(value: Any) -> Any:
    """Ids typed in full width (ＲＥＩ－００１) are read as half-width (checker/core/ids.py)."""
    if isinstance(value, str):
        return normalise_id(value)
    if isinstance(value, list):
        return [normalise_id(v) if isinstance(v, str) else v for v in value]
    return value


class Precedent(Strict):
    source: str = Field(min_length=1, description="出典のキー（rules/sources.yaml）")
    item: str = Field(min_length=1, description="案件番号、または条項")
    note: str = Field(min_length=1, description="そこで何が問われたか（要約）")



class Derive(Strict):
    fact: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fields: dict[str, Any] = Field(default_factory=dict)


# What the finding of a `fires` example must show, checked by the example test and
# `shingikai rules lint` (sqlfluff keeps its cases beside its rules the same way).
class Expectation(Strict):
    severity: Severity | None = Field(None, description="報告に示される重要度（申告済みの措置を反映した後）")
    status: Literal["open", "covered", "accepted"] | None = Field(
        None, description="指摘の状態（省略時は open: 例のどの記載もこの指摘を解消しない）")
    deferral: bool | None = Field(None, description="継続審議になりやすい指摘として示されるか")
    location: str | None = Field(None, description="指摘が指す箇所（例: transfers[0]。空文字は案件全体）")
    likelihood: Literal["likely", "possible", "unlikely"] | None = Field(
        None, description="問われる見込みの帯（likely: 50% 以上、possible: 20% 以上、unlikely: 20% 未満）")
    because: list[str] = Field(default_factory=list, description="理由の文に含まれるべき語句（案件から引いた語など）")
    form_section: str | None = Field(None, description="第三者点検で指摘が置かれる評価書の節")
    silent: list[str] = Field(default_factory=list, description="この例では当たらないはずの他のルールの ID")

    _silent_half_width = field_validator("silent", mode="before")(_half_width)


class Example(Strict):
    name: str = Field(min_length=1)
    proposal: dict[str, Any] = Field(default_factory=dict, description="rules/example_base.yaml に重ねる部分的な案件")
    expect: Expectation | None = Field(None, description="該当例で指摘が示すべきこと（fires の例だけ）")


class Examples(Strict):
    fires: list[Example] = Field(min_length=1, description="ルールが当たる例")
    quiet: list[Example] = Field(min_length=1, description="ルールが当たらない例")


class Rule(Strict):
    id: str = Field(description="ルール ID（ABC-001 の形。ファイル名と同じ）")
    title: str = Field(min_length=1, description="指摘の題名")
    topic: str = Field(description="論点（rules/topics.yaml のコード。フォルダ名と同じ）")
    also_topics: list[str] = Field(default_factory=list, description="ほかに関わる論点")
    severity: Severity = Field(description="high: 条件付きや継続審議になりうる、medium: 問われやすい、low: 準備しておくとよい")
    deferral: bool = Field(False, description="未対応だと継続審議になりやすい種類の指摘か")
    # Rules that ask the same question share a concern: they become one finding listing each
    # rule that held as a trigger, and are calibrated together.
    concern: str | None = Field(None, pattern=r"^[a-z][a-z0-9-]*$", description="同じ質問をするルールの共通名")
    # For the third-party review of a specific PIA: the section of the assessment form the finding
    # belongs to (rules/pia_sections.yaml; default: by topic), and the sentence the draft review
    # opinion uses for it, in the reviewer's voice.
    form_section: str | None = Field(None, description="全項目評価書の節（rules/pia_sections.yaml）")
    opinion: str = Field("", description="第三者点検の意見（案）に書く文（指摘事項として）")
    why: str = Field(min_length=1, description="審議会がなぜこれを問うか（ルールの説明）")
    when: Any = Field(description="当てはまる条件（all / any / not とファクトのパターン。docs/facts.md）")
    because: str = Field(min_length=1, description="報告に示す理由。{別名.項目} で案件の値を引ける")
    questions: list[str] = Field(min_length=1, description="想定される質問（言い換えて書く）")
    safeguards: list[str] = Field(min_length=1, description="求められる安全管理措置の ID（rules/safeguards.yaml）")
    precedents: list[Precedent] = Field(min_length=1, description="出典（会議録の案件、法令・指針の条項）")
    derive: Derive | None = Field(None, description="当てはまったとき、後のルールのために加えるファクト")
    examples: Examples = Field(description="当たる例と当たらない例（テストとして実行される）")
    # Under which law the rule's premise holds (checker/core/regime.py). A rule resting on what only
    # a repealed ordinance required (consult before starting, 本人収集の原則…) says `[ordinance]`
    # and never reaches a report judged under the current Act.
    regimes: list[Literal["act", "ordinance"]] = Field(
        default_factory=lambda: ["act", "ordinance"], min_length=1,
        description="ルールの前提が成り立つ制度（act: 現行法、ordinance: 旧条例。省略時は両方）")

    _ids_half_width = field_validator("id", "safeguards", mode="before")(_half_width)

    @field_validator("questions")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not q.strip() for q in value):
            raise ValueError("空の質問があります")
        return value

    @field_validator("regimes")
    @classmethod
    def _distinct_regimes(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("regimes に同じ制度が重複しています")
        return value

    @property
    def all_regimes(self) -> bool:
        return set(self.regimes) == {"act", "ordinance"}

    @cached_property
    def condition(self) -> conditions.Node:
        when = self.when
        if not self.all_regimes:
            # The engine sees the proposal's regime as a fact: a rule of one regime joins it.
            when = {"all": [when, {"fact": "regime", "where": {"regime": {"in": list(self.regimes)}}}]}
        return conditions.parse(when)

    @property
    def topics(self) -> list[str]:
        return [self.topic, *self.also_topics]

    @property
    def concern_key(self) -> str:
        """The unit findings merge and likelihoods are calibrated by."""
        return self.concern or self.id


@dataclass
class Catalogue:
    """Validated rules, safeguards, topics and vocabulary, with the source file of each rule."""

    rules: list[Rule]
    safeguards: dict[str, Safeguard]
    topics: dict[str, str]
    vocabulary: Vocabulary
    example_base: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)
    derived_fields: dict[str, dict[str, type]] = field(default_factory=dict)
    areas: list[Area] = field(default_factory=list)
    likelihoods: Likelihoods = field(default_factory=Likelihoods)
    outcome_model: OutcomeModel = field(default_factory=OutcomeModel)
    sources: dict[str, Source] = field(default_factory=dict)
    form_sections: dict[str, str] = field(default_factory=dict)       # section id -> label
    topic_sections: dict[str, str] = field(default_factory=dict)      # topic -> section id
    stage_sections: dict[str, str] = field(default_factory=dict)      # pia.stages.<stage> -> section id
    safeguard_files: dict[str, Path] = field(default_factory=dict)    # safeguard id -> the file defining it
    forms: dict[str, "FormLayout"] = field(default_factory=dict)      # pia.level -> its form's layout
    review_points: dict[str, str] = field(default_factory=dict)       # rule id or concern -> viewpoint item

    council_criteria: dict[str, CouncilCriterion] = field(default_factory=dict)  # 法第129条の判断基準
    ordinance_sensitive_source: str = ""   # the municipality's ordinance listing 条例要配慮個人情報

    def review_point(self, rule: Rule) -> str:
        """The item of the review viewpoints (審査の観点) a finding led by `rule` answers, or ""."""
        return self.review_points.get(rule.id) or self.review_points.get(rule.concern_key, "")

    def placed(self, level: str, section: str, concern: str = "") -> tuple[str, str]:
        """(section id, label) in the form being reviewed for a finding placed at `section` of the
        full form (the canonical layout the rules are written in)."""
        form = self.forms.get(level)
        if form is None or not form.sections:
            return section, self.form_sections.get(section, section)
        own = form.concerns.get(concern) or form.from_full.get(section) or next(iter(form.sections))
        return own, form.sections[own]

    def form_section_of(self, rule: Rule, paths: list[str] = ()) -> str:  # type: ignore[assignment]
        """The assessment-form section a finding is grouped under in a PIA review: the stage of the
        form it points at (III as a whole when it points at stages of several sections), else the
        rule's own section, else its topic's."""
        stages = {self.stage_sections.get(p.split(".")[2]) for p in paths if p.startswith("pia.stages.")} - {None}
        if len(stages) == 1:
            return stages.pop()
        if stages:
            return "III" if all(s.startswith("III") for s in stages) else min(stages)
        return rule.form_section or self.topic_sections.get(rule.topic, "I")

    @cached_property
    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def concern_topic(self) -> dict[str, str]:
        """Concern -> the topic of its leading rule (highest severity, then lowest id): the topic
        whose rate a concern never seen on the seeds starts from."""
        order = {"high": 3, "medium": 2, "low": 1}
        lead: dict[str, Rule] = {}
        for r in self.rules:
            known = lead.get(r.concern_key)
            if known is None or (-order[r.severity], r.id) < (-order[known.severity], known.id):
                lead[r.concern_key] = r
        return {key: rule.topic for key, rule in lead.items()}

    @cached_property
    def finding_parts(self) -> dict[tuple[str, ...], Any]:
        """Rule ids that held together -> what their finding takes from those rules alone (the same in
        every file): filled by checker/core/pipeline.py as the sets are met, so it is worked out once."""
        return {}

    @cached_property
    def located_patterns(self) -> dict[str, tuple[str, ...]]:
        """Rule id -> names of its positive patterns in condition order (where a finding points)."""
        return {r.id: tuple(p.name for p, negated in conditions.patterns(r.condition) if not negated)
                for r in self.rules}

    def fields_of(self, fact: str) -> dict[str, type] | None:
        return FACT_FIELDS.get(fact) or self.derived_fields.get(fact)


def _read_text(path: Path) -> str:
    """A regular file's text. Opened without blocking and checked before reading: a FIFO or a device
    named *.yaml in a rules folder would otherwise wait for a writer forever."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise RuleError(str(path), "通常のファイルではありません（FIFO・デバイス・フォルダなど）。ルールのフォルダには"
                                       "ルールの YAML ファイルだけを置き、それ以外は移してください。")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read()
    finally:
        os.close(fd)
    return data.decode("utf-8")


def _read_yaml(path: Path) -> Any:
    try:
        text = _read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = "UTF-8 ではありません" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or type(exc).__name__)
        raise RuleError(str(path), f"ルールファイルを読めません（{reason}）。UTF-8 のテキストとして保存し、"
                                   "権限を確認してください。") from None
    try:
        # The C loader: same safe semantics, ~10x faster on a rule base of dozens of files.
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        raise _yaml_error(path, text) from None


def _yaml_error(path: Path, text: str) -> RuleError:
    """The proposal loader's Japanese message for the same mistake, at file:line:col."""
    from checker.core.errors import InputError
    from checker.core.loading import parse_yaml
    try:
        parse_yaml(text, str(path))
    except InputError as exc:
        problem = exc.problems[0]
        where = f"{path}:{problem.line}:{problem.column or 1}" if problem.line else str(path)
        return RuleError(where, problem.message + (f" → {problem.hint}" if problem.hint else ""))
    return RuleError(str(path), "YAML として読めません。インデント、コロンの後の空白、引用符・括弧の閉じ忘れを確認してください。")


_RULE_FIELD_HINTS = {"examples": "examples: の下に fires（ルールが当たる例）と quiet（当たらない例）を 1 つ以上書いてください"}


def _first_error(exc: ValidationError) -> str:
    """The first problem in Japanese, with what to write (rules are read without positions)."""
    return _error_text(exc.errors(include_url=False)[0])


def _error_texts(exc: ValidationError) -> list[str]:
    """Every problem in Japanese, in the order of the file's fields."""
    return [_error_text(e) for e in exc.errors(include_url=False)]


def _error_text(e: Any) -> str:
    where = ".".join(str(x) for x in e["loc"]) or "（ファイル全体）"
    kind, last = e["type"], str(e["loc"][-1]) if e["loc"] else ""
    if kind == "missing":
        hint = _RULE_FIELD_HINTS.get(last, f"「{last}:」を追加してください")
        return f"必須の項目「{where}」がありません。{hint}（`shingikai rules lint` で確かめられます）。"
    if kind == "extra_forbidden":
        return f"不明な項目「{where}」があります。綴りを確認するか、削除してください。"
    if kind == "too_short":
        return f"{where} が空です。少なくとも 1 つ書いてください。"
    if kind in ("literal_error", "enum"):
        expected = e.get("ctx", {}).get("expected", "")
        return f"{where} の値 {e.get('input')!r} は使えません（使える値: {expected}）。"
    if kind == "string_pattern_mismatch":
        return f"{where} の値 {e.get('input')!r} は決められた形になっていません（{e.get('ctx', {}).get('pattern', '')}）。"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{where} の値 {e.get('input')!r} の型が違います（{kind}）。ルールの書き方（docs/rules.md）を確認してください。"
    return f"{where}: 値が正しくありません（{e['msg']}）。"


def _load_safeguards(path: Path, into: dict[str, Safeguard], problems: list[RuleError] | None = None,
                     files: dict[str, Path] | None = None, broken: set[str] | None = None) -> None:
    """Safeguards of one file into `into`. With `problems`, every broken one is recorded there (its
    id in `broken`, so rules naming it are not reported again) instead of raising the first."""
    def fail(message: str) -> None:
        if problems is None:
            raise RuleError(str(path), message)
        problems.append(RuleError(str(path), message))

    data = _read_yaml(path) or {}
    if not isinstance(data, dict):
        return fail("「ID: {text, write}」のマッピングで書いてください。")
    for raw, spec in data.items():
        sid = normalise_id(str(raw))   # a full-width id is read as half-width
        if sid in into:
            fail(f"安全管理措置 {sid} が重複して定義されています"
                 f"（{files[sid] if files and sid in files else '同梱の rules/safeguards.yaml'} にもあります）。")
            continue
        try:
            into[sid] = Safeguard(id=sid, **(spec or {}))
            if into[sid].condition is not None:
                conditions.branches(into[sid].condition)
            if files is not None:
                files[sid] = path
        except (ValidationError, TypeError, ValueError) as exc:
            into.pop(sid, None)
            if broken is not None:
                broken.add(sid)
            for msg in _error_texts(exc) if isinstance(exc, ValidationError) else [str(exc)]:
                fail(f"安全管理措置 {sid}: {msg}")


def _load_areas(path: Path) -> list[Area]:
    data = _read_yaml(path) if path.exists() else {}
    if not isinstance(data, dict) or not isinstance(data.get("areas", {}), dict):
        raise RuleError(str(path), "「areas: {ID: {label, fields}}」の形で書いてください。")
    areas = []
    for area_id, spec in (data.get("areas") or {}).items():
        try:
            area = Area(id=area_id, **(spec or {}))
        except (ValidationError, TypeError) as exc:
            msg = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
            raise RuleError(str(path), f"記載事項 {area_id}: {msg}") from None
        for f in area.fields:
            if not path_exists(Proposal, f):
                raise RuleError(str(path), f"記載事項 {area_id}: 案件の項目 {f} はスキーマにありません。")
        areas.append(area)
    return areas


def _load_sources(path: Path, into: dict[str, Source], problems: list[RuleError] | None = None,
                  broken: set[str] | None = None) -> None:
    """Sources of one file into `into`; with `problems`, every broken one is recorded (see _load_safeguards)."""
    def fail(message: str) -> None:
        if problems is None:
            raise RuleError(str(path), message)
        problems.append(RuleError(str(path), message))

    data = _read_yaml(path) if path.exists() else {}
    if not isinstance(data, dict) or not isinstance(data.get("sources", {}), dict):
        return fail("「sources: {キー: {title, kind, url}}」の形で書いてください。")
    for raw, spec in (data.get("sources") or {}).items():
        key = str(raw)   # a title-like key may hold full-width characters on purpose
        if key in into:
            fail(f"出典 {key} が重複して定義されています。")
            continue
        try:
            into[key] = Source(key=key, **(spec or {}))
        except (ValidationError, TypeError) as exc:
            if broken is not None:
                broken.add(key)
            for msg in _error_texts(exc) if isinstance(exc, ValidationError) else [str(exc)]:
                fail(f"出典 {key}: {msg}")


# The items of the review viewpoints a finding can answer (rules/pia_sections.yaml review_points).
REVIEW_POINTS = frozenset({"threshold", "body", "withheld", "timing", "public_comment", "completeness",
                           "department", "flow"})


@dataclass(frozen=True)
class FormLayout:
    """One kind of assessment form (基礎項目・重点項目・全項目評価書): its sections and where the
    sections of the full form land in it (empty for the full form itself)."""

    label: str
    review: str                                   # mandatory / voluntary third-party review
    sections: dict[str, str] = field(default_factory=dict)
    from_full: dict[str, str] = field(default_factory=dict)
    concerns: dict[str, str] = field(default_factory=dict)


def _load_forms(path: Path, data: dict[str, Any], full: dict[str, str]) -> dict[str, FormLayout]:
    forms: dict[str, FormLayout] = {}
    for level, spec in (data.get("forms") or {}).items():
        if level not in ("basic", "focused", "full") or not isinstance(spec, dict):
            raise RuleError(str(path), f"forms の {level} は basic / focused / full のいずれかで、label・review・sections を書きます。")
        if spec.get("review") not in ("mandatory", "voluntary"):
            raise RuleError(str(path), f"forms.{level}.review は mandatory か voluntary です。")
        layout = FormLayout(str(spec.get("label") or level), spec["review"],
                            {str(k): str(v) for k, v in (spec.get("sections") or {}).items()},
                            {str(k): str(v) for k, v in (spec.get("from") or {}).items()},
                            {str(k): str(v) for k, v in (spec.get("concerns") or {}).items()})
        if layout.sections:
            missing = set(full) - set(layout.from_full)
            wrong = {v for v in [*layout.from_full.values(), *layout.concerns.values()] if v not in layout.sections}
            if missing or wrong or set(layout.from_full) - set(full):
                raise RuleError(str(path), f"forms.{level}: from は全項目評価書の節すべてを、この様式の sections の節に対応づけてください"
                                           f"（不足: {sorted(missing)}、未知の節: {sorted(wrong)}）。")
        forms[str(level)] = layout
    return forms


def _load_council(path: Path, into: dict[str, CouncilCriterion], municipal: bool) -> None:
    """The grounds for consulting the council (法第129条). A municipality's folder may add its own
    criteria and switch bundled municipal ones off (`disabled:`); statutory grounds stay."""
    data = _read_yaml(path) if path.exists() else {}
    if not isinstance(data, dict) or not isinstance(data.get("criteria") or {}, dict):
        raise RuleError(str(path), "「criteria: {ID: {ground, label, explanation, when}}」の形で書いてください。")
    for cid in data.get("disabled") or []:
        known = into.get(str(cid))
        if known is None:
            raise RuleError(str(path), f"disabled の {cid} は定義されていない基準です。")
        if known.ground == "statutory":
            raise RuleError(str(path), f"{cid} は法令が求める第三者点検の根拠なので、止められません。")
        del into[str(cid)]
    for cid, spec in (data.get("criteria") or {}).items():
        if cid in into:
            raise RuleError(str(path), f"審議会への諮問の基準 {cid} が重複して定義されています。")
        try:
            criterion = CouncilCriterion(id=str(cid), **(spec or {}))
            conditions.branches(criterion.condition)
        except (ValidationError, TypeError, ValueError) as exc:
            msg = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
            raise RuleError(str(path), f"審議会への諮問の基準 {cid}: {msg}") from None
        if municipal and criterion.ground == "statutory":
            raise RuleError(str(path), f"基準 {cid}: 自治体のフォルダで足せるのは ground: municipal の基準だけです。")
        into[str(cid)] = criterion


def _load_ordinance_sensitive(path: Path, vocabulary: Vocabulary) -> tuple[Vocabulary, str]:
    """The municipality's 条例要配慮個人情報 (法第60条第5項): the ordinance and the item names it covers."""
    data = _read_yaml(path) or {}
    terms = data.get("terms") if isinstance(data, dict) else None
    ordinance = str(data.get("ordinance", "")).strip() if isinstance(data, dict) else ""
    if not ordinance or not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
        raise RuleError(str(path), "「ordinance: 条例名と条項」と「terms: [記録項目の語, …]」（1 つ以上）を書いてください。")
    return vocabulary.with_ordinance_sensitive(terms), ordinance


def _load_form_sections(path: Path, topics: dict[str, str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    data = _read_yaml(path) if path.exists() else {}
    if not isinstance(data, dict):
        raise RuleError(str(path), "「sections: {ID: 名称}」「stages: {段階: ID}」「topics: {論点: ID}」の形で書いてください。")
    sections = {str(k): str(v) for k, v in (data.get("sections") or {}).items()}
    by_topic = {str(k): str(v) for k, v in (data.get("topics") or {}).items()}
    by_stage = {str(k): str(v) for k, v in (data.get("stages") or {}).items()}
    for key, section, known, what in ([(t, s, topics, "論点") for t, s in by_topic.items()]
                                      + [(g, s, PIA_STAGES, "段階") for g, s in by_stage.items()]):
        if key not in known:
            raise RuleError(str(path), f"未知の{what} {key} です。")
        if section not in sections:
            raise RuleError(str(path), f"{what} {key} の節 {section} が sections にありません。")
    return sections, by_topic, by_stage


def _rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.yaml") if p.name not in SHARED_FILES)


def _load_calibration(path: Path) -> tuple[Likelihoods, OutcomeModel]:
    """A council's calibration file: its likelihoods and its outcome and minutes figures."""
    data = _read_yaml(path)
    try:
        if not isinstance(data, dict) or not (data.get("calibrated_on") or {}).get("items"):
            raise ValueError("calibrated_on がありません")
        return Likelihoods.from_data(data), OutcomeModel.from_data(data.get("outcome"))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RuleError(str(path), f"審議会の較正ファイルの形式が正しくありません（{exc}）。"
                        "`shingikai rules calibrate --records 記録のフォルダ` で作り直してください。") from None


def load_catalogue(extra_dirs: list[Path] | None = None, base: Path | None = None) -> Catalogue:
    """Load the bundled rules (or `base`) plus a municipality's own rule folders."""
    base = base or bundled_rules_dir()
    if not base.is_dir():
        raise RuleError(str(base), "ルールのフォルダが見つかりません。")
    topics_data = _read_yaml(base / "topics.yaml") or {}
    topics = dict(topics_data.get("topics") or {})
    if not topics:
        raise RuleError(str(base / "topics.yaml"), "論点（topics）が定義されていません。")
    safeguards: dict[str, Safeguard] = {}
    _load_safeguards(base / "safeguards.yaml", safeguards)
    vocabulary = load_vocabulary(base / "vocabulary.yaml")
    example_base = _read_yaml(base / "example_base.yaml") or {}
    areas = _load_areas(base / "areas.yaml")
    if (base / placeholders.FILE_NAME).exists():
        placeholders.load(base / placeholders.FILE_NAME)   # validated with the rules (exit 3 when wrong)
    sources: dict[str, Source] = {}
    _load_sources(base / "sources.yaml", sources)
    form_sections, topic_sections, stage_sections = _load_form_sections(base / "pia_sections.yaml", topics)
    sections_file = base / "pia_sections.yaml"
    sections_data = (_read_yaml(sections_file) or {}) if sections_file.exists() else {}
    forms = _load_forms(sections_file, sections_data, form_sections)
    review_points = {str(k): str(v) for k, v in (sections_data.get("review_points") or {}).items()}
    unknown_points = set(review_points.values()) - REVIEW_POINTS
    if unknown_points:
        raise RuleError(str(sections_file), f"review_points の観点 {sorted(unknown_points)} は未知です（{', '.join(sorted(REVIEW_POINTS))}）。")
    likelihood_file = base / "likelihood.yaml"
    try:
        likelihoods = Likelihoods.from_data(_read_yaml(likelihood_file) if likelihood_file.exists() else None)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RuleError(str(likelihood_file), f"形式が正しくありません（{exc}）。`shingikai rules calibrate` で作り直してください。") from None
    outcome_model = OutcomeModel()
    for directory in extra_dirs or []:
        calibration = Path(directory) / CALIBRATION_FILE
        if calibration.is_file():
            likelihoods, outcome_model = _load_calibration(calibration)
    files: dict[str, Path] = {}
    rules: list[Rule] = []
    # A municipality's folders are checked whole: every problem of every file is reported at once.
    problems: list[RuleError] = []
    context = _Context(base=base, safeguard_files={sid: base / "safeguards.yaml" for sid in safeguards})
    council: dict[str, CouncilCriterion] = {}
    ordinance_source = ""
    for directory in [base, *(extra_dirs or [])]:
        if not directory.is_dir():
            raise RuleError(str(directory), "ルールのフォルダが見つかりません。")
        if directory != base and (directory / "safeguards.yaml").exists():
            _load_safeguards(directory / "safeguards.yaml", safeguards, problems, context.safeguard_files,
                             context.broken)
        if directory != base:
            _load_sources(directory / "sources.yaml", sources, problems, context.broken)
        _load_council(directory / "council.yaml", council, municipal=directory != base)
        if (directory / "ordinance_sensitive.yaml").exists():
            vocabulary, ordinance_source = _load_ordinance_sensitive(directory / "ordinance_sensitive.yaml", vocabulary)
        for path in _rule_files(directory):
            try:
                rule = _load_rule(path)
            except RuleError as exc:
                problems.extend(exc.errors if isinstance(exc, RuleErrors) else [exc])
                continue
            if rule.id in files:
                problems.append(RuleError(str(path), f"ID {rule.id} は {files[rule.id]} と重複しています。", rule.id))
                continue
            files[rule.id] = path
            context.roots[rule.id] = directory
            rules.append(rule)
    catalogue = Catalogue(sorted(rules, key=lambda r: r.id), safeguards, topics, vocabulary,
                          example_base, files, areas=areas, likelihoods=likelihoods, outcome_model=outcome_model,
                          sources=sources,
                          form_sections=form_sections, topic_sections=topic_sections,
                          stage_sections=stage_sections, safeguard_files=context.safeguard_files,
                          forms=forms, review_points=review_points, council_criteria=council,
                          ordinance_sensitive_source=ordinance_source)
    problems += _check_references(catalogue, context)
    if problems:
        # stable: within a file, the order found (the rule's own fields before its references)
        raise RuleErrors(sorted(problems, key=lambda e: _file_of(e.path)))
    return catalogue


def _file_of(where: str) -> str:
    """'a/b.yaml:3:5' -> 'a/b.yaml' (problems of one file stay together)."""
    return re.sub(r"(:\d+)+$", "", where)


@dataclass
class _Context:
    """Where things came from, for messages that name the file a municipality can edit."""

    base: Path                                                        # the bundled rules
    roots: dict[str, Path] = field(default_factory=dict)              # rule id -> its rules folder
    safeguard_files: dict[str, Path] = field(default_factory=dict)    # safeguard id -> its file
    broken: set[str] = field(default_factory=set)                     # ids whose definition failed

    def own_file(self, rule_id: str, name: str) -> str:
        """The file of the rule's own folder to add a definition to (rules/<name> for bundled rules)."""
        root = self.roots.get(rule_id, self.base)
        return f"rules/{name}" if root == self.base else str(root / name)


def _load_rule(path: Path) -> Rule:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise RuleError(str(path), "ルールは「キー: 値」のマッピングで書いてください。")
    rule_id = normalise_id(str(data.get("id", "")))
    try:
        rule = Rule.model_validate(data)
        conditions.branches(rule.condition)
    except ValidationError as exc:
        raise RuleErrors([RuleError(str(path), msg, rule_id) for msg in _error_texts(exc)]) from None
    except ValueError as exc:
        raise RuleError(str(path), str(exc), rule_id) from None
    if not RULE_ID.match(rule.id):
        upper = rule.id.upper()
        hint = f"「{upper}」の誤りではありませんか（英字は大文字）。" if RULE_ID.match(upper) else ""
        raise RuleError(str(path), f"ID は「ABC-001」の形にしてください。{hint}", rule.id)
    if path.stem != rule.id:
        raise RuleError(str(path), f"ファイル名（{path.stem}）と ID（{rule.id}）を一致させてください。", rule.id)
    if path.parent.name != rule.topic:
        raise RuleError(str(path), f"フォルダ名（{path.parent.name}）と topic（{rule.topic}）を一致させてください。", rule.id)
    return rule


def _check_patterns(cat: Catalogue, node: conditions.Node, fail: Any) -> dict[str, str]:
    """Every pattern names a known fact type, field, value type and enum value; returns the
    positive patterns' names -> fact types (what `because` placeholders may refer to)."""
    aliases: dict[str, str] = {}
    for pattern, negated in conditions.patterns(node):
        fields = cat.fields_of(pattern.fact)
        if fields is None:
            known = sorted({*FACT_FIELDS, *cat.derived_fields})
            fail(f"未知のファクト型 {pattern.fact} です。{did_you_mean(pattern.fact, known)}"
                 "（使えるファクト型: docs/facts.md）")
            continue
        for name, test in pattern.tests():
            if name not in fields:
                fail(f"ファクト {pattern.fact} に項目 {name} はありません。{did_you_mean(name, fields)}"
                     f"（使える項目: {', '.join(fields)}）")
                continue
            _check_value(fail, pattern.fact, name, fields[name], test)
            _check_enum(fail, pattern.fact, name, test)
            if pattern.fact == "coverage":
                allowed = {"area": [a.id for a in cat.areas], "state": list(COVERAGE_STATES)}.get(name)
                values = test.value if isinstance(test.value, list) else [test.value]
                if allowed is not None and test.op not in ("exists", "missing") and set(values) - set(allowed):
                    fail(f"coverage.{name} の値 {sorted(set(values) - set(allowed))} は定義にありません"
                         f"（使える値: {', '.join(allowed)}）。")
        if not negated:
            aliases[pattern.name] = pattern.fact
    return aliases


def _check_single_facts(node: conditions.Node, fail: Any) -> None:
    """A proposal has one fact of each section type: two positive patterns on the same one in a
    branch would need two such facts, so the branch could never hold. Join the tests instead."""
    for positive, _ in conditions.branches(node):
        seen: set[str] = set()
        for pattern in positive:
            if pattern.fact in SINGLE_FACTS:
                if pattern.fact in seen:
                    fail(f"条件の 1 つの組合せに {pattern.fact} のパターンが 2 つあります。案件に {pattern.fact} は 1 つしかないため、"
                         "この組合せは成り立ちません。1 つのパターンの where にまとめてください。")
                seen.add(pattern.fact)


def _excludes(a: conditions.Test, b: conditions.Test) -> bool:
    """Whether no value can pass both tests (a conservative answer: False when unsure)."""
    def values(t: conditions.Test) -> set[Any] | None:
        if t.op == "eq":
            return {t.value}
        if t.op == "in":
            return set(t.value)
        return None
    va, vb = values(a), values(b)
    if va is not None and vb is not None:
        return not va & vb
    for x, y in ((a, b), (b, a)):
        vx = values(x)
        if vx is not None and y.op == "ne" and vx == {y.value}:
            return True
        if vx is not None and y.op == "not_in" and vx <= set(y.value):
            return True
        if vx is not None and y.op == "missing":
            return True
        if x.op == "exists" and y.op == "missing":
            return True
    return False


def _check_negations(node: conditions.Node, fail: Any) -> None:
    """durable matches each fact to one pattern of a rule, so a negated pattern never sees the fact
    a positive pattern of the same type took: `vendor` with `not: vendor where X` holds for a single
    vendor that has X. Such a pair is only safe when no fact can match both patterns."""
    for positive, negative in conditions.branches(node):
        for neg in negative:
            for pos in positive:
                if pos.fact != neg.fact:
                    continue
                pos_tests, neg_tests = dict(pos.tests()), dict(neg.tests())
                if not any(_excludes(pos_tests[f], neg_tests[f]) for f in set(pos_tests) & set(neg_tests)):
                    fail(f"{pos.fact} のパターンと、同じ型の not のパターンの両方に当てはまるファクトがありえます。"
                         "ルールエンジンは 1 つのファクトを 1 つのパターンにしか使わないため、not がそのファクトを"
                         "見落とします。肯定のパターンを not と両立しない条件にするか、件数（proposal の *_count）で"
                         "書いてください。")


def _check_references(cat: Catalogue, context: _Context | None = None) -> list[RuleError]:
    """Topics, safeguards, fact types, fields, value types and placeholders all exist. Every problem
    is returned, a rule's own condition and texts before what it refers to in other files: an unknown
    source must not hide a misspelt field."""
    context = context or _Context(base=bundled_rules_dir())
    problems: list[RuleError] = []
    for rule in cat.rules:
        if rule.derive:
            cat.derived_fields.setdefault(rule.derive.fact, {}).update(
                {k: (type(v) if not isinstance(v, str) or not PLACEHOLDER.fullmatch(v) else object)
                 for k, v in rule.derive.fields.items()})
    for rule in cat.rules:
        path = str(cat.files[rule.id])

        def fail(message: str, path: str = path, rule_id: str = rule.id) -> None:
            problems.append(RuleError(path, message, rule_id))

        aliases = _check_patterns(cat, rule.condition, fail)
        _check_single_facts(rule.condition, fail)
        _check_negations(rule.condition, fail)
        for alias, fld in PLACEHOLDER.findall(rule.because + rule.opinion + str(rule.derive.fields if rule.derive else "")):
            if alias not in aliases:
                fail(f"because の {{{alias}.{fld}}} が条件のどのパターンも指していません"
                     f"（条件のパターンの名前: {', '.join(aliases) or 'なし'}）。")
            elif fld not in (cat.fields_of(aliases[alias]) or {}):
                fail(f"because の {{{alias}.{fld}}}: ファクト {aliases[alias]} に項目 {fld} はありません。"
                     + did_you_mean(fld, cat.fields_of(aliases[alias]) or {}))
        _check_expectations(cat, rule, fail)
        for topic in rule.topics:
            if topic not in cat.topics:
                fail(f"未知の論点 {topic} です。{did_you_mean(topic, cat.topics)}（使える論点: {', '.join(cat.topics)}）")
        if rule.form_section is not None and rule.form_section not in cat.form_sections:
            fail(f"未知の評価書の節 {rule.form_section} です。{did_you_mean(rule.form_section, cat.form_sections)}"
                 f"（使える節: {', '.join(cat.form_sections)}）")
        for sid in rule.safeguards:
            if sid not in cat.safeguards and sid not in context.broken:
                fail(f"未定義の安全管理措置 {sid} です。{did_you_mean(sid, cat.safeguards)}"
                     f"新しい措置なら {context.own_file(rule.id, 'safeguards.yaml')} に定義してください。")
        for precedent in rule.precedents:
            if cat.sources and precedent.source not in cat.sources and precedent.source not in context.broken:
                fail(f"未知の出典 {precedent.source} です。{did_you_mean(precedent.source, cat.sources)}"
                     f"新しい出典なら {context.own_file(rule.id, 'sources.yaml')} の sources: に追加してください。")
    for criterion in cat.council_criteria.values():
        def fail_council(message: str, cid: str = criterion.id) -> None:
            problems.append(RuleError("council.yaml", f"審議会への諮問の基準 {cid} の when: {message}"))

        _check_patterns(cat, criterion.condition, fail_council)
        _check_single_facts(criterion.condition, fail_council)
        _check_negations(criterion.condition, fail_council)
        for precedent in criterion.precedents:
            if cat.sources and precedent.source not in cat.sources:
                fail_council(f"未知の出典 {precedent.source} です。")
    for sg in cat.safeguards.values():
        if sg.condition is None:
            continue
        sg_path = str(context.safeguard_files.get(sg.id, "safeguards.yaml"))

        def fail_sg(message: str, sid: str = sg.id, where: str = sg_path) -> None:
            problems.append(RuleError(where, f"安全管理措置 {sid} の satisfied_by: {message}"))

        _check_patterns(cat, sg.condition, fail_sg)
        _check_single_facts(sg.condition, fail_sg)
        _check_negations(sg.condition, fail_sg)
    return problems


def _check_expectations(cat: Catalogue, rule: Rule, fail: Any) -> None:
    """`expect:` sits on examples the rule fires on, and names sections and rules that exist."""
    for example in rule.examples.quiet:
        if example.expect is not None:
            fail(f"非該当例「{example.name}」に expect があります。expect は該当例（fires）にだけ書けます。")
    for example in rule.examples.fires:
        expect = example.expect
        if expect is None:
            continue
        if expect.form_section is not None and expect.form_section not in cat.form_sections:
            fail(f"該当例「{example.name}」の expect.form_section {expect.form_section} は評価書の節にありません。")
        for other in expect.silent:
            if other not in cat.by_id or other == rule.id:
                fail(f"該当例「{example.name}」の expect.silent の {other} は他のルールの ID ではありません。"
                     + did_you_mean(other, [r for r in cat.by_id if r != rule.id]))


def _check_value(fail: Any, fact: str, name: str, kind: type, test: conditions.Test) -> None:
    if test.op in ("exists", "missing") or kind is object:
        return
    values = test.value if isinstance(test.value, list) else [test.value]
    for v in values:
        ok = isinstance(v, bool) if kind is bool else (isinstance(v, kind) and not isinstance(v, bool))
        if not ok:
            fail(f"{fact}.{name} は {kind.__name__} 型ですが、値 {v!r} が指定されています。")


def _check_enum(fail: Any, fact: str, name: str, test: conditions.Test) -> None:
    """A misspelt enum value would make a rule that can never fire: reject it."""
    enum = ENUM_FIELDS.get(name)
    if fact not in FACT_FIELDS or enum is None or test.op in ("exists", "missing"):
        return
    allowed = set(LABELS[enum])
    for v in test.value if isinstance(test.value, list) else [test.value]:
        if v not in allowed:
            fail(f"{fact}.{name} の値 {v!r} は定義にありません（使える値: {', '.join(sorted(allowed))}）。")
