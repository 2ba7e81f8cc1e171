"""Finding and Report: the one model every output format renders.

Severity order, safeguard ticking, accepted risks and the overall risk level are decided
here, once; reporters only read `Report.as_records()` or the models.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from checker.core.council import CouncilNeed

if TYPE_CHECKING:
    from checker.core.likelihood import Recalibration


Severity = Literal["high", "medium", "low"]
Outcome = Literal["approved", "approved_with_conditions", "deferral_risk",
                  "no_remarks", "remarks", "corrections_required"]
OUTCOME_LABELS: dict[str, str] = {
    "approved": "承認",
    "approved_with_conditions": "条件付き承認",
    "deferral_risk": "継続審議の可能性",
    # A third-party review of a specific PIA gives an opinion, never an approval.
    "no_remarks": "指摘事項なし",
    "remarks": "留意事項あり",
    "corrections_required": "修正を要する",
}
Status = Literal["open", "covered", "accepted"]
SEVERITY_ORDER = {"high": 3, "medium": 2, "low": 1, "none": 0}
SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低", "none": "なし"}
STATUS_LABELS = {"open": "未対応", "covered": "対応済み", "accepted": "受容済み"}


def lower(severity: Severity) -> Severity:
    return {"high": "medium", "medium": "low", "low": "low"}[severity]  # type: ignore[return-value]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class SafeguardCheck(Frozen):
    id: str
    text: str
    write: str
    declared: bool          # in place: listed under `safeguards:` or stated by the proposal's fields
    stated_in: str = ""     # the proposal path whose statement shows it ("" = listed, or missing)


class PrecedentRef(Frozen):
    source: str             # the key in rules/sources.yaml
    item: str               # agenda item of the minutes, or article / section
    note: str
    title: str = ""         # what a reader looks up: council, meeting and date, or the document's title
    url: str = ""
    kind: str = ""          # minutes / law / guidance (rules/sources.yaml)
    edition: str = ""       # the edition of a law or guideline cited
    regime: str = ""        # 旧条例下 for minutes of a meeting held before the Act applied (2023-04-01)

    @property
    def citation(self) -> str:
        """The source as a person can look it up, e.g. 「志木市… 令和2年度第2回（2020-08-07）【旧条例下】 議題(3)」."""
        item = self.item
        if self.kind == "minutes" and not item.startswith(("諮問", "報告", "議題")):
            item = "議題" + item
        title = self.title or self.source
        if self.edition and self.edition not in title:
            title += f"〔{self.edition}〕"
        return f"{title}{f'【{self.regime}】' if self.regime else ''} {item}"


class Location(Frozen):
    path: str      # e.g. "transfers[1]"; "" for the top of the file
    line: int
    column: int


class Acceptance(Frozen):
    reason: str
    approved_by: str = ""
    until: dt.date | None = None
    expired: bool = False


class Trigger(Frozen):
    """One rule whose condition held; a finding lists every rule of its concern that held."""

    rule_id: str
    title: str
    severity: Severity
    because: str
    locations: list[Location]
    topic: str = ""
    question: str = ""      # the rule's first question


class Finding(Frozen):
    rule_id: str            # the concern's leading rule (highest severity among the triggers)
    concern: str = ""       # what findings are merged and calibrated by (the rule id when alone)
    rules: list[str] = []   # every rule that held, leading rule first
    title: str
    topic: str
    topic_label: str
    also_topics: list[str] = []
    severity: Severity
    residual_severity: Severity
    status: Status
    deferral: bool = False
    likelihood: float       # estimated chance (0-1) that the council raises it (checker/core/likelihood.py)
    score: float = -1.0     # what orders the findings: the record's rate before recalibration (-1: = likelihood)
    likelihood_n: int = 0   # recorded items on which the same condition held (0: no record, see likelihood_label)
    likelihood_k: int = 0   # ... and on which the council raised the finding's topic
    likelihood_label: str = ""   # band with its basis, e.g. 高い（会議録3件中2件）: what people read
    likelihood_basis: str = ""
    because: str
    triggers: list[Trigger] = []
    questions: list[str]
    safeguards: list[SafeguardCheck]
    precedents: list[PrecedentRef]
    locations: list[Location]
    acceptance: Acceptance | None = None
    note: str = ""
    form_section: str = ""  # the assessment-form section (PIA reviews group findings by it)
    form_section_label: str = ""
    opinion: str = ""       # the draft review opinion's sentence for it ("" = built from the safeguards)
    review_point: str = ""  # the review viewpoint item it answers (rules/pia_sections.yaml review_points)

    @model_validator(mode="before")
    @classmethod
    def _single_rule_defaults(cls, data: Any) -> Any:
        """A finding built from one rule names itself as its concern, rule and trigger."""
        if isinstance(data, dict) and "rule_id" in data:
            data = dict(data)
            if not data.get("concern"):
                data["concern"] = data["rule_id"]
            if not data.get("rules"):
                data["rules"] = [data["rule_id"]]
            if data.get("score", -1.0) == -1.0 and "likelihood" in data:
                data["score"] = data["likelihood"]
            if not data.get("likelihood_label") and "likelihood" in data:
                from checker.core.likelihood import describe
                data["likelihood_label"] = describe(float(data["likelihood"]), int(data.get("likelihood_n", 0)),
                                                    int(data.get("likelihood_k", 0)))
            if not data.get("triggers"):
                data["triggers"] = [{"rule_id": data["rule_id"], "title": data.get("title", ""),
                                     "severity": data.get("severity", "low"), "because": data.get("because", ""),
                                     "locations": data.get("locations", [])}]
        return data

    @property
    def location(self) -> Location:
        return self.locations[0]

    @property
    def missing_safeguards(self) -> list[SafeguardCheck]:
        return [s for s in self.safeguards if not s.declared]

    @property
    def is_open(self) -> bool:
        return self.status == "open"


# The specific PIA under review, as computed facts (checker/core/pia_summary.py builds it).
class PiaChangeSummary(Frozen):
    what: str
    go_live: dt.date | None = None
    significant: bool = True
    assessed: dt.date | None = None
    before_review: bool = False          # went live before the review without an assessment of its own


class PiaStageSummary(Frozen):
    stage: str
    label: str
    measures: str = ""
    rating: str = "unknown"
    rating_label: str = ""
    reason: str = ""
    section: str = ""                    # the section of the form under review it belongs to
    section_label: str = ""


class PiaFileSummary(Frozen):
    name: str
    persons: int | None = None
    flow: str = ""


class PiaSummary(Frozen):
    work: str
    body: str = ""
    department: str = ""
    level: str
    form_label: str                      # 全項目評価書 / 重点項目評価書 / 基礎項目評価書
    review_mandatory: bool               # only a full assessment must be reviewed (規則第7条)
    assessment: str
    assessment_label: str
    timing: str
    persons: int | None = None
    handlers_total: int | None = None
    serious_incident: bool | None = None
    required_level: str | None = None    # the threshold judgement (指針第5の2) from the figures above
    required_label: str = ""
    changes: str = ""
    dated_changes: list[PiaChangeSummary] = []
    last_published: dt.date | None = None
    reassess_by: dt.date | None = None   # the day before five years have passed since the last publication
    review_dates: list[dt.date] = []
    review_date: dt.date | None = None
    submission: dt.date | None = None
    comment_held: bool | None = None
    comment_start: dt.date | None = None
    comment_end: dt.date | None = None
    comment_days: int | None = None
    comment_shortened_reason: str = ""
    comments: int | None = None
    comments_reflected: str = ""
    withheld: str = ""
    withheld_reason: str = ""
    files: list[PiaFileSummary] = []
    stages: list[PiaStageSummary] = []


class ProposalSummary(Frozen):
    file: str
    id: str
    title: str
    municipality: str = ""
    department: str = ""
    meeting_date: dt.date | None = None
    procedure: str
    procedure_label: str
    kinds: list[str]
    kind_labels: list[str]
    purpose: str = ""
    business: str = ""
    subjects: list[str] = []
    vendors: list[str] = []
    data_item_count: int = 0
    declared_safeguards: list[str] = []
    origin: dict[str, str] | None = None
    pia: PiaSummary | None = None       # the specific PIA under third-party review
    regime: str = "act"             # the law it is judged under (checker/core/regime.py)
    regime_label: str = ""
    regime_reason: str = ""


class Assessment(Frozen):
    """The predicted outcome and minutes (the policy is checker/core/outcome.py)."""

    outcome: Outcome
    label: str
    estimated_minutes: int
    reasons: list[str]


class Summary(Frozen):
    risk: Literal["high", "medium", "low", "none"]
    risk_label: str
    open: dict[str, int]
    covered: int
    accepted: int
    total: int


class TopicChance(Frozen):
    """A topic the council may raise, with the chance that it does (checker/core/likelihood.topic_figure)."""

    topic: str
    label: str
    likelihood: float       # the chance shown: the score recalibrated (Likelihoods.topics_shown), at most its ceiling
    score: float = -1.0     # what orders the topics: strongest finding + bonus (likelihood.topic_figure)
    likelihood_n: int = 0   # the record behind its strongest finding
    likelihood_k: int = 0
    likelihood_label: str = ""   # band with its basis, e.g. 高い（会議録3件中2件）
    rules: list[str]        # lead rule ids of the findings counted for this topic, most likely first
    question: str           # the most likely open finding's first question on this topic
    settled: bool = False   # every finding on it is covered: the council may still ask what was done

    @model_validator(mode="before")
    @classmethod
    def _score_defaults_to_likelihood(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("score", -1.0) == -1.0 and "likelihood" in data:
            data = {**data, "score": data["likelihood"]}
        return data


class PlaceholderRef(Frozen):
    """A value that only holds a place (未定, TBD, ○○ …): read as unstated, listed so it gets filled in."""

    path: str               # e.g. "vendors[0].name"
    line: int
    column: int
    value: str
    message: str            # what it means for the check and what to do, in Japanese


class Report(Frozen):
    proposal: ProposalSummary
    findings: list[Finding]
    summary: Summary
    notices: list[str] = []
    calibration: str = ""   # the one line saying what the likelihoods rest on
    placeholders: list[PlaceholderRef] = []  # in file order
    assessment: Assessment | None = None   # predicted outcome and minutes (checker/core/outcome.py)
    topics: list[TopicChance] = []          # what the council may raise, most likely first
    council: CouncilNeed | None = None      # whether the item needs the council at all (法第129条)

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.is_open]

    def as_records(self) -> dict[str, Any]:
        """The JSON contract: plain data, no timestamps, stable order."""
        return self.model_dump(mode="json")


def summarise(findings: list[Finding]) -> Summary:
    open_counts = {"high": 0, "medium": 0, "low": 0}
    for f in findings:
        if f.is_open:
            open_counts[f.residual_severity] += 1
    risk = next((s for s in ("high", "medium", "low") if open_counts[s]), "none")
    return Summary(risk=risk, risk_label=SEVERITY_LABELS[risk], open=open_counts,
                   covered=sum(f.status == "covered" for f in findings),
                   accepted=sum(f.status == "accepted" for f in findings), total=len(findings))


STATUS_RANK = {"open": 0, "accepted": 1, "covered": 2}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most likely to be raised first (the chance shown, then the score behind it), then by severity
    and rule id. A covered finding keeps its place: councils ask about measures a proposal states,
    too (its status says it is settled)."""
    return sorted(findings, key=lambda f: (-f.likelihood, -f.score, -SEVERITY_ORDER[f.residual_severity], f.rule_id))


TOP_TOPICS = 5   # the reports open with this many topics; a finding is counted in one of them only


def _topic_chance(topic: str, fs: list[Finding], labels: dict[str, str], shown: "Recalibration") -> TopicChance:
    from checker.core.likelihood import ceiling, reband, topic_figure
    live = [f for f in fs if f.status != "covered"]
    counted = sorted(live or fs, key=lambda f: (-f.score, f.rule_id))
    score = topic_figure((f.score, f.likelihood_n, f.likelihood_k) for f in counted) if live else counted[0].score
    # never above what the findings' own records support (ceiling), whatever the recalibration says
    support = max(ceiling(f.score, f.likelihood_n, f.likelihood_k) for f in counted)
    figure = min(shown(score), support)
    lead = counted[0]
    # the question shown is the most likely one asked *about* this topic: a finding on the topic,
    # else a merged rule of that topic inside another finding, else the first finding's
    own = next((f.questions[0] for f in counted if f.topic == topic), None)
    inner = next((t.question for f in counted for t in f.triggers if t.topic == topic and t.question), None)
    label = reband(lead.likelihood_label, figure)
    return TopicChance(topic=topic, label=labels.get(topic, topic), likelihood=figure, score=score,
                       likelihood_n=lead.likelihood_n, likelihood_k=lead.likelihood_k, likelihood_label=label,
                       rules=[f.rule_id for f in counted], question=own or inner or lead.questions[0],
                       settled=not live)


def likely_topics(findings: list[Finding], labels: dict[str, str],
                  shown: "Recalibration | None" = None) -> list[TopicChance]:
    """Every topic the findings raise, most likely first; `shown` turns a topic's score into the
    chance the report shows (none: the score itself).

    A finding counts for its own topic and its `also_topics`, but in the first TOP_TOPICS a finding
    sits in one topic only: each place goes to the most likely topic counting only findings not
    already shown above it (so the same question is never listed twice at the top). The topics
    after that are every other topic with all its findings, so nothing a council may raise is lost.
    """
    from checker.core.likelihood import Recalibration
    shown = shown or Recalibration()
    by_topic: dict[str, list[Finding]] = {}
    for f in findings:
        for t in [f.topic, *f.also_topics]:
            by_topic.setdefault(t, []).append(f)

    def key(t: TopicChance) -> tuple:
        return (-t.likelihood, -t.score, t.rules[0], t.topic)

    # A topic's figure depends only on its findings not yet shown, so after each place only the
    # topics sharing a finding with the one placed are figured again (all of them every time was
    # quadratic: ~80 figures per file, a sixth of a check).
    whole = {topic: _topic_chance(topic, fs, labels, shown) for topic, fs in by_topic.items()}
    current = dict(whole)
    top: list[TopicChance] = []
    placed: set[str] = set()
    shown_rules: set[str] = set()
    while len(top) < TOP_TOPICS:
        candidates = [current[topic] for topic in by_topic if topic not in placed and topic in current]
        if not candidates:
            break
        best = min(candidates, key=key)
        top.append(best)
        placed.add(best.topic)
        newly = set(best.rules) - shown_rules
        shown_rules |= newly
        for topic, fs in by_topic.items():
            if topic in placed or topic not in current or not any(f.rule_id in newly for f in fs):
                continue
            left = [f for f in fs if f.rule_id not in shown_rules]
            if left:
                current[topic] = _topic_chance(topic, left, labels, shown)
            else:
                del current[topic]
    rest = sorted((whole[topic] for topic in by_topic if topic not in placed), key=key)
    return top + rest
