"""How likely a council is to raise a finding, and each topic: a small model calibrated on the seed minutes.

The model, in two lines:

    finding:  likelihood = (raised + STRENGTH * topic_rate) / (fired + STRENGTH)
    topic:    chance = 1 - product over the item's findings on that topic of (1 - likelihood)

- A finding is one concern (a rule, or the rules merged under one `concern`). `fired` counts the
  seed agenda items (proposals/seeds) on which it produced a finding, whatever its status; `raised`
  those among them whose recorded topics (tests/seeds/gold.yaml) include the finding's topic or one
  of its `also_topics`.
- `topic_rate` is the same share pooled over every finding whose topic is that topic, itself
  shrunk toward the rate over all findings (TOPIC_STRENGTH pseudo-observations). A concern never
  seen on the seeds (one from national guidance, or a municipality's own rule) gets its topic's
  rate as it stands: a new access-control rule starts where access-control findings stand.
- STRENGTH pseudo-observations keep one lucky or unlucky item from deciding a rule's rank.
- A topic is raised if any of its findings is: the findings are treated as independent chances.
  Several findings on one topic make that topic more likely than any one of them.
Measured by leave-one-meeting-out cross-validation (benchmarks/crossval.py): calibrate on four
meetings, rank the fifth. Ordering by topic chance found more of the recorded topics among the
first five than ordering by the single most likely finding, and pooling by topic more than pooling
by severity (figures in the README and benchmarks/README.md).
The numbers are generated into rules/likelihood.yaml by `shingikai rules calibrate` (a test fails
when the file is stale).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

STRENGTH = 4.0          # pseudo-observations of the topic rate behind each concern
TOPIC_STRENGTH = 2.0    # pseudo-observations of the overall rate behind each topic
DEFAULT_RATE = 0.3      # before any calibration (no seeds at all)
# Named bands of likelihood, as a rule example's `expect: {likelihood: …}` states them: stable
# words where the calibrated figures move a little with every seed item.
BANDS = (("likely", 0.5), ("possible", 0.2), ("unlikely", 0.0))   # (band, lowest likelihood in it)


def band(likelihood: float) -> str:
    return next(name for name, low in BANDS if likelihood >= low)


class Observation(NamedTuple):
    """One finding on one seed item: its concern, topic, and whether the council raised it."""

    concern: str
    topic: str
    raised: bool


@dataclass(frozen=True)
class Estimate:
    likelihood: float
    fired: int
    raised: int
    topic: str = ""


@dataclass
class Likelihoods:
    """Calibrated likelihood per concern, with a rate per topic for concerns never observed."""

    overall: float = DEFAULT_RATE
    topics: dict[str, float] = field(default_factory=dict)
    concerns: dict[str, Estimate] = field(default_factory=dict)
    strength: float = STRENGTH
    topic_strength: float = TOPIC_STRENGTH

    def of(self, concern: str, topic: str) -> Estimate:
        known = self.concerns.get(concern)
        if known is not None:
            return known
        return Estimate(round(self.topics.get(topic, self.overall), 2), 0, 0, topic)

    def as_data(self) -> dict:
        return {"strength": self.strength, "topic_strength": self.topic_strength, "overall": self.overall,
                "topics": dict(sorted(self.topics.items())),
                "concerns": {k: {"likelihood": e.likelihood, "fired": e.fired, "raised": e.raised}
                             for k, e in sorted(self.concerns.items())}}

    @classmethod
    def from_data(cls, data: dict | None) -> "Likelihoods":
        if not data:
            return cls()
        return cls(overall=float(data.get("overall", DEFAULT_RATE)),
                   topics={k: float(v) for k, v in (data.get("topics") or {}).items()},
                   concerns={k: Estimate(float(v["likelihood"]), int(v["fired"]), int(v["raised"]))
                             for k, v in (data.get("concerns") or {}).items()},
                   strength=float(data.get("strength", STRENGTH)),
                   topic_strength=float(data.get("topic_strength", TOPIC_STRENGTH)))


def _shrunk(raised: int, fired: int, strength: float, prior: float) -> float:
    return (raised + strength * prior) / (fired + strength)


def calibrate(observations: Iterable[Observation], topic_of: dict[str, str],
              strength: float = STRENGTH, topic_strength: float = TOPIC_STRENGTH) -> Likelihoods:
    """Fit the model on observations; `topic_of` maps every concern of the catalogue to its topic."""
    obs = list(observations)
    overall = sum(o.raised for o in obs) / len(obs) if obs else DEFAULT_RATE
    topics = {}
    for topic in sorted(set(topic_of.values()) | {o.topic for o in obs}):
        mine = [o for o in obs if o.topic == topic]
        topics[topic] = round(_shrunk(sum(o.raised for o in mine), len(mine), topic_strength, overall), 3)
    concerns = {}
    for concern, topic in topic_of.items():
        mine = [o for o in obs if o.concern == concern]
        fired, raised = len(mine), sum(o.raised for o in mine)
        value = _shrunk(raised, fired, strength, topics.get(topic, overall))
        concerns[concern] = Estimate(round(value, 2), fired, raised, topic)
    return Likelihoods(round(overall, 3), topics, concerns, strength, topic_strength)


def topic_chance(likelihoods: Iterable[float]) -> float:
    """The chance a topic is raised when each of its findings is raised with these chances."""
    miss = 1.0
    for value in likelihoods:
        miss *= 1.0 - value
    return 1.0 - miss


def basis(estimate: Estimate) -> str:
    """One line a department can read: where the figure comes from."""
    if estimate.fired == 0:
        return "会議録に同じ条件の案件がないため、同じ論点の指摘が取り上げられた割合から見積もった値です。"
    return (f"会議録で同じ条件に当てはまった {estimate.fired} 件のうち {estimate.raised} 件で審議会がこの論点を"
            "取り上げました（件数が少ないほど、同じ論点の指摘の平均に寄せています）。")
