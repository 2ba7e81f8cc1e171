"""How likely a council is to raise a finding, and each topic: a small model calibrated on recorded items.

The model, in three lines:

    finding:  likelihood = (raised + STRENGTH * topic_rate) / (fired + STRENGTH)       (fired >= 1)
              likelihood = overall rate                                                 (fired == 0)
    topic:    strongest open finding + BONUS_PER_FINDING per further open finding, at most BONUS_CAP,
              never above the highest rate its findings' records support (`ceiling`)
    shown:    both are scores that order the report; what it shows is the score recalibrated
              (Recalibration, fitted leave-one-meeting-out), never above its `ceiling`

On the seed minutes the recalibration has slope 0: out of their meeting, topics scored high were
raised no more often than the others (benchmarks/crossval.py: Brier score of the scores 0.249 against
0.233 for one constant rate), so every report shows one rate (about 4 in 10), says why, and keeps the
scores for the order, which does carry information (recall@5 0.61 against 0.22 for the most frequent
topics). A council's record of three meetings or more is recalibrated the same way and may earn a slope.

- A finding is one concern (a rule, or the rules merged under one `concern`). `fired` counts the
  recorded agenda items on which it produced a finding, whatever its status; `raised` those among
  them on which the council raised the finding's topic or one of its `also_topics`.
- `topic_rate` is the same share pooled over every finding whose topic is that topic, shrunk toward
  the rate over all findings (TOPIC_STRENGTH pseudo-observations). STRENGTH pseudo-observations keep
  one lucky or unlucky item from deciding a rule's rank.
- A concern never seen on a recorded item (a rule drawn from national guidance only, a municipality's
  own rule) gets the overall rate, not its topic's: nothing says councils ask it as often as the
  precedented rules of its topic. Reports show it as 「国の指針のみ（会議録の先例なし）」.
- Why not "any finding raised" (noisy-or)? The rules of a topic fire on the same facts and were
  calibrated on the same items: they are not independent chances, and the noisy-or pushed topics to
  98-100 %. Leave-one-meeting-out (benchmarks/crossval.py), topics predicted at 50 % or more by the
  noisy-or were raised 43 % of the time. The strongest finding plus a bounded bonus keeps most of its
  ranking (several findings on one topic are still a little more likely than one) without the
  inflation; the figures, with the variants tried, are in benchmarks/README.md.
- Covered findings (every expected safeguard stated) neither raise a topic's figure nor supply its
  question; a topic with only covered findings keeps its strongest one's figure and is marked settled
  (councils ask about stated measures too: such topics were raised about half the time).
- SLOPE: held out by meeting, the per-rule rates overstate their differences. The least-squares
  calibration slope of the findings (fit_slope, printed by benchmarks/crossval.py) is near 0 on the
  seeds: out of the meeting a rule was written from, its own rate says little beyond the overall
  rate. Yet the ranking of topics still gains from it. Measured leave-one-meeting-out (recall@5;
  "likely" band: mean figure vs observed share): slope 1 0.606, 0.70 vs 0.43; slope 0.5 0.616, 0.65
  vs 0.46; slope 0 0.545, 0.64 vs 0.44. Half is the compromise kept; a council's record
  (calibrate with a prior) is not pulled again.

The numbers are generated into rules/likelihood.yaml by `shingikai rules calibrate` (a test fails
when the file is stale); a council's own record gives a calibration file of its own
(`rules calibrate --records`, checker/commands/rules/calibrate.py), with these figures as the prior.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

STRENGTH = 4.0          # pseudo-observations of the topic rate behind each concern
TOPIC_STRENGTH = 2.0    # pseudo-observations of the overall rate behind each topic
DEFAULT_RATE = 0.3      # before any calibration (no recorded items at all)
BONUS_PER_FINDING = 0.2  # a topic's figure rises this much per further open finding on it ...
BONUS_CAP = 0.4          # ... and at most this much above its strongest finding
SLOPE = 0.5             # each figure keeps half its distance from the overall rate (see below)
# Named bands of likelihood, as a rule example's `expect: {likelihood: …}` states them: stable
# words where the calibrated figures move a little with every recorded item.
BANDS = (("likely", 0.5), ("possible", 0.2), ("unlikely", 0.0))   # (band, lowest likelihood in it)
BAND_LABELS = {"likely": "高い", "possible": "中程度", "unlikely": "低い"}
GUIDANCE_ONLY = "国の指針のみ（会議録の先例なし）"
NO_RECORD = "先例なし（記録に同じ条件の案件なし）"
SEED_SOURCE = "会議録"   # what the bundled figures were counted on; a council's record says 記録


def band(likelihood: float) -> str:
    return next(name for name, low in BANDS if likelihood >= low)


def band_midpoint(name: str) -> float:
    """The middle of a band, which cross-validation compares the observed rate with."""
    lows = [low for _, low in BANDS]
    i = [n for n, _ in BANDS].index(name)
    high = 1.0 if i == 0 else lows[i - 1]
    return (lows[i] + high) / 2


def describe(likelihood: float, n: int, k: int, source: str = SEED_SOURCE, guidance_only: bool = False) -> str:
    """The band with its basis, as every human format shows it: 「高い（会議録3件中2件）」."""
    if n == 0:
        return GUIDANCE_ONLY if guidance_only else NO_RECORD
    return f"{BAND_LABELS[band(likelihood)]}（{source}{n}件中{k}件）"


def reband(label: str, likelihood: float) -> str:
    """A label from `describe` with its band word set for another figure (a topic's, from its lead finding's)."""
    for word in BAND_LABELS.values():
        if label.startswith(word + "（"):
            return BAND_LABELS[band(likelihood)] + label[len(word):]
    return label


def ceiling(likelihood: float, n: int, k: int, strength: float = STRENGTH) -> float:
    """The highest rate a finding's record supports: its observed rate plus the prior's weight (and
    never below its own figure, which is that record weighed with the prior)."""
    if n == 0:
        return likelihood
    return max(likelihood, min(1.0, k / n + strength / (n + strength)))


@dataclass(frozen=True)
class Recalibration:
    """Turns a ranking score into the chance a report shows (logistic recalibration, "Platt scaling"):

        shown = 1 / (1 + exp(-(intercept + slope * score)))      (clipped to [0.01, 0.99])

    fitted on out-of-fold predictions: each topic scored by figures fitted without its item's meeting,
    paired with whether the council raised it. Slope 0 shows every item at one rate: the record does
    not tell one from another beyond their order, and the report says no more than that. Not fitted
    (n = 0): the score is shown as it is.
    """

    intercept: float = 0.0
    slope: float = 0.0
    n: int = 0          # out-of-fold predictions the fit rests on

    def __call__(self, score: float) -> float:
        if not self.n:
            return score
        return round(min(0.99, max(0.01, 1 / (1 + math.exp(-(self.intercept + self.slope * score))))), 2)

    @property
    def rate(self) -> float:
        """The chance shown at slope 0 (one rate for all)."""
        return 1 / (1 + math.exp(-self.intercept))

    def as_data(self) -> dict:
        return {"intercept": self.intercept, "slope": self.slope, "n": self.n}

    @classmethod
    def from_data(cls, data: dict | None) -> "Recalibration":
        if not data:
            return cls()
        return cls(float(data["intercept"]), float(data["slope"]), int(data["n"]))


def fit_recalibration(by_meeting: dict[str, list[tuple[float, bool]]]) -> Recalibration:
    """The recalibration of out-of-fold (score, raised) pairs, grouped by meeting (see Recalibration).

    The slope is kept only where it earns its place: leave one meeting out again, fit on the other
    meetings' pairs, and measure on the held-out meeting how much the fit lowers the squared error
    (Brier score) against one rate for all, fitted on the same pairs. The slope stays only if the
    mean gain over the meetings exceeds its standard error (the one-standard-error rule: the simpler
    model unless the data clearly favour the other). Otherwise every figure is shown at the rate: on
    the seed minutes the topics' scores do not beat one constant rate out of their meeting
    (benchmarks/crossval.py prints both), so reports show no band above what that rate supports,
    while the scores still order the list.
    """
    full = _fit([p for pairs in by_meeting.values() for p in pairs])
    if full.slope == 0 or len(by_meeting) < 2:
        return full
    gains = []
    for held, pairs in by_meeting.items():
        rest = [p for m, ps in by_meeting.items() if m != held for p in ps]
        if not pairs or not rest:
            continue
        fitted, level = _fit(rest), _flat(rest)
        gains.append(sum((level(s) - y) ** 2 - (fitted(s) - y) ** 2 for s, y in pairs) / len(pairs))
    mean = sum(gains) / len(gains) if gains else 0.0
    error = (sum((g - mean) ** 2 for g in gains) / (len(gains) - 1) / len(gains)) ** 0.5 if len(gains) > 1 else 0.0
    return full if mean > error else _flat([p for pairs in by_meeting.values() for p in pairs])


def _flat(pairs: list[tuple[float, bool]]) -> Recalibration:
    n = len(pairs)
    rate = min(0.99, max(0.01, sum(y for _, y in pairs) / n))
    return Recalibration(round(math.log(rate / (1 - rate)), 4), 0.0, n)


RIDGE = 0.1   # a small penalty on the slope keeps it finite when the record separates perfectly


def _fit(pairs: list[tuple[float, bool]]) -> Recalibration:
    """Logistic regression of raised on score (Newton's method), the slope held at 0 or above:
    a recalibration never turns the order of the scores around."""
    if not pairs:
        return Recalibration()
    flat = _flat(pairs)
    a, b = flat.intercept, 0.0
    for _ in range(50):
        ga, gb, haa, hab, hbb = 0.0, -RIDGE * b, 0.0, 0.0, RIDGE
        for s, y in pairs:
            p = 1 / (1 + math.exp(-(a + b * s)))
            w = p * (1 - p)
            ga += y - p
            gb += (y - p) * s
            haa += w
            hab += w * s
            hbb += w * s * s
        det = haa * hbb - hab * hab
        if det <= 1e-12:
            break
        step_a, step_b = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        a, b = a + step_a, b + step_b
        if abs(step_a) + abs(step_b) < 1e-8:
            break
    if b <= 0:
        return flat
    return Recalibration(round(a, 4), round(b, 4), len(pairs))


def topic_figure(findings: Iterable[tuple[float, int, int]]) -> float:
    """A topic's chance from its open findings' (likelihood, n, k): the strongest plus a bounded bonus."""
    ranked = sorted(findings, reverse=True)
    if not ranked:
        return 0.0
    top = ranked[0][0]
    bonus = min(BONUS_CAP, BONUS_PER_FINDING * (len(ranked) - 1))
    support = max(ceiling(*f) for f in ranked)
    return round(max(top, min(top + bonus, support)), 2)


class Observation(NamedTuple):
    """One finding on one recorded item: its concern, topic, and whether the council raised it."""

    concern: str
    topic: str
    raised: bool


@dataclass(frozen=True)
class Estimate:
    likelihood: float
    fired: int
    raised: int
    topic: str = ""
    source: str = SEED_SOURCE   # what fired/raised were counted on (会議録, or a council's 記録)


@dataclass(frozen=True)
class CalibratedOn:
    """What the figures rest on, for the one line every report carries."""

    name: str = ""
    items: int = 0
    meetings: int = 0
    councils: int = 0
    prior: str = ""     # what the figures started from (a council's record starts from the seed minutes)

    def line(self, one_rate: float | None = None) -> str:
        """The basis line; `one_rate`: the recalibration shows every figure at this rate (slope 0)."""
        if not self.items:
            return "問われる見込みは較正されていません（記録のない既定値）。"
        basis = f"問われる見込みの根拠: {self.name}（{self.councils}審議会・{self.meetings}回・{self.items}案件）"
        if self.prior:
            basis += f"で較正し、{self.prior}の数値を事前の値としています。"
        elif one_rate is None:
            return basis + "で、同じ条件の指摘を審議会が取り上げた割合です。ほかの審議会では確かめていない目安です。"
        else:
            basis += "。"
        if one_rate is not None:
            basis += (f"会議を1回ずつ除いて確かめると論点ごとの割合の差がほかの会議で再現しなかったため、見込みはどの"
                      f"論点も同じ目安（約{round(one_rate * 10)}割）で示し、記録の割合（括弧内の件数）は並び順にだけ使って"
                      "います。" + ("" if self.prior else "ほかの審議会では確かめていない目安です。"))
        return basis


@dataclass
class Likelihoods:
    """Calibrated likelihood per concern, with a rate per topic and the overall rate."""

    overall: float = DEFAULT_RATE
    topics: dict[str, float] = field(default_factory=dict)
    concerns: dict[str, Estimate] = field(default_factory=dict)
    strength: float = STRENGTH
    topic_strength: float = TOPIC_STRENGTH
    calibrated_on: CalibratedOn = field(default_factory=CalibratedOn)
    slope: float = 1.0      # calibration slope toward the overall rate (fit_slope), already applied
    # what reports show: a topic's or finding's score recalibrated on the topics' out-of-fold predictions
    shown: Recalibration = field(default_factory=Recalibration)

    def of(self, concern: str, topic: str) -> Estimate:
        known = self.concerns.get(concern)
        if known is not None and known.fired:
            return known
        return Estimate(round(self.overall, 2), 0, 0, topic)

    def line(self) -> str:
        """What the figures rest on, and how far they can be told apart: the line every report carries."""
        shown, on = self.shown, self.calibrated_on
        if shown.n and shown.slope == 0:
            return on.line(one_rate=shown.rate)
        line = on.line()
        if on.items and not shown.n and on.meetings < 3:
            line += f"記録が{on.meetings}回分のため、見込みはほかの会議で確かめていない記録の割合のままです。"
        elif on.items and not shown.n:   # a calibration file written before the recalibration existed
            line += ("見込みは会議を除いて確かめていない記録の割合のままです（較正ファイルが古い形式です。"
                     "`shingikai rules calibrate` で作り直してください）。")
        return line

    def as_data(self) -> dict:
        on = self.calibrated_on
        return {"calibrated_on": {"name": on.name, "items": on.items, "meetings": on.meetings, "councils": on.councils,
                                  **({"prior": on.prior} if on.prior else {})},
                "strength": self.strength, "topic_strength": self.topic_strength, "slope": self.slope,
                "overall": self.overall,
                "shown": self.shown.as_data(),
                "topics": dict(sorted(self.topics.items())),
                "concerns": {k: {"likelihood": e.likelihood, "fired": e.fired, "raised": e.raised,
                                 **({"source": e.source} if e.source != SEED_SOURCE else {})}
                             for k, e in sorted(self.concerns.items())}}

    @classmethod
    def from_data(cls, data: dict | None) -> "Likelihoods":
        if not data:
            return cls()
        on = data.get("calibrated_on") or {}
        return cls(overall=float(data.get("overall", DEFAULT_RATE)),
                   topics={k: float(v) for k, v in (data.get("topics") or {}).items()},
                   concerns={k: Estimate(float(v["likelihood"]), int(v["fired"]), int(v["raised"]),
                                         source=str(v.get("source", SEED_SOURCE)))
                             for k, v in (data.get("concerns") or {}).items()},
                   strength=float(data.get("strength", STRENGTH)),
                   topic_strength=float(data.get("topic_strength", TOPIC_STRENGTH)),
                   slope=float(data.get("slope", 1.0)),
                   shown=Recalibration.from_data(data.get("shown")),
                   calibrated_on=CalibratedOn(str(on.get("name", "")), int(on.get("items", 0)),
                                              int(on.get("meetings", 0)), int(on.get("councils", 0)),
                                              str(on.get("prior", ""))))


def _shrunk(raised: int, fired: int, strength: float, prior: float) -> float:
    return (raised + strength * prior) / (fired + strength)


def calibrate(observations: Iterable[Observation], topic_of: dict[str, str],
              strength: float = STRENGTH, topic_strength: float = TOPIC_STRENGTH,
              prior: Likelihoods | None = None, source: str = SEED_SOURCE,
              calibrated_on: CalibratedOn | None = None, slope: float = 1.0) -> Likelihoods:
    """Fit the model on observations; `topic_of` maps every concern of the catalogue to its topic.

    With a `prior` (the bundled, seed-derived figures), a council's own record moves each figure
    from the prior's value by its own counts: the prior's figure stands for `strength` items.
    A concern the record never saw keeps the prior's estimate (and its basis).
    `slope` (fit_slope) pulls every concern's figure toward the overall rate: 1 leaves it, 0.5 halves
    its distance.
    """
    obs = list(observations)
    base = prior.overall if prior else DEFAULT_RATE
    overall = _shrunk(sum(o.raised for o in obs), len(obs), topic_strength, base) if prior else (
        sum(o.raised for o in obs) / len(obs) if obs else DEFAULT_RATE)
    topics = {}
    for topic in sorted(set(topic_of.values()) | {o.topic for o in obs}):
        mine = [o for o in obs if o.topic == topic]
        start = prior.topics.get(topic, overall) if prior else overall
        topics[topic] = round(_shrunk(sum(o.raised for o in mine), len(mine), topic_strength, start), 3)
    concerns = {}
    for concern, topic in topic_of.items():
        mine = [o for o in obs if o.concern == concern]
        fired, raised = len(mine), sum(o.raised for o in mine)
        before = prior.concerns.get(concern) if prior else None
        if prior and fired == 0 and before is not None:
            concerns[concern] = before
            continue
        start = before.likelihood if before is not None and before.fired else topics.get(topic, overall)
        value = overall + slope * (_shrunk(raised, fired, strength, start) - overall)
        concerns[concern] = Estimate(round(value, 2), fired, raised, topic, source)
    return Likelihoods(round(overall, 3), topics, concerns, strength, topic_strength, calibrated_on or CalibratedOn(),
                       slope)


def fit_slope(meetings: list[list[Observation]], topic_of: dict[str, str]) -> float:
    """How far the figures should sit from the overall rate to hold on a meeting they were not fitted on.

    Leave one meeting out: fit on the others, predict the held-out meeting's findings (those whose
    concern the others saw), and take the least-squares slope of what happened on what was predicted,
    both measured from the overall rate (a calibration slope; 1 = the figures hold as they are, below
    1 = they overstate their differences). Clipped to [0, 1]; 1 with fewer than three meetings.
    """
    if len(meetings) < 3:
        return 1.0
    num = den = 0.0
    for i, held in enumerate(meetings):
        fitted = calibrate([o for j, m in enumerate(meetings) if j != i for o in m], topic_of)
        for o in held:
            known = fitted.concerns.get(o.concern)
            if known is None or not known.fired:
                continue
            gap = known.likelihood - fitted.overall
            num += (o.raised - fitted.overall) * gap
            den += gap * gap
    return round(min(1.0, max(0.0, num / den)), 2) if den else 1.0



def basis(estimate: Estimate, guidance_only: bool = False) -> str:
    """One line a department can read: where the figure comes from."""
    if estimate.fired == 0:
        where = "国の指針から作ったルールで、" if guidance_only else ""
        return (f"{where}記録に同じ条件の案件がないため、審議会が指摘全体を取り上げた割合を目安にしています"
                "（この論点の先例の割合は使っていません）。")
    return (f"{estimate.source}で同じ条件に当てはまった{estimate.fired}件のうち{estimate.raised}件で審議会がこの論点を"
            "取り上げました（件数が少ないほど、同じ論点の指摘の平均に寄せています）。")
