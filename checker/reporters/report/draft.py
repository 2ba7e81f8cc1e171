"""The draft result of a third-party review of a specific PIA (点検結果・答申案), as a secretariat hands
it to its council: 1 点検の対象, 2 点検の方法, 3 点検の結果 (適合性, 妥当性), 4 結論, 5 指摘事項, 6 意見.

Written in the register of a 答申: computed facts are stated (the threshold judgement from the head
counts, the dates compared), every point appears once (findings that ask for the same safeguards are
one point), points that need a correction go to 5 and points to keep in mind to 6, and section 3 refers
to them by number. Rule ids stay in the appendix (and in the JSON); field names and the project's
spacing around numerals never reach the body (dates in the Japanese era, office spacing).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from checker.core.findings import Finding, PiaStageSummary, PiaSummary, Report
from checker.reporters.office import wareki

CONFORMITY = (("threshold", "しきい値判断"), ("body", "実施主体"), ("withheld", "公表しない部分"),
              ("timing", "実施の時期"), ("public_comment", "住民等の意見の聴取"),
              ("completeness", "様式が求める全ての項目の検討"))
SERIOUS = ("high", "medium")                       # needs a correction (指摘事項); low is a remark (意見)
REQUIRED = {"none": "評価の実施を要しない", "basic": "基礎項目評価", "focused": "基礎項目評価及び重点項目評価",
            "full": "基礎項目評価及び全項目評価"}


_FIELD_NOTE = re.compile(r"（[^（）]*[A-Za-z_]+[._][a-z_]+[^（）]*）|`[^`]*`")
_SPACE_BEFORE = re.compile(r"(?<=[^\x00-\x7f])[ \u3000]+(?=[0-9A-Za-z%〜~])")
_SPACE_AFTER = re.compile(r"(?<=[0-9A-Za-z%])[ \u3000]+(?=[^\x00-\x7f])")


def office(text: str) -> str:
    """Office register: no notes naming YAML fields, no spaces between Japanese text and numerals."""
    text = _FIELD_NOTE.sub("", text)
    return _SPACE_AFTER.sub("", _SPACE_BEFORE.sub("", text)).strip()


KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノ"


def kana(n: int) -> str:
    """The third level of a Japanese official document's numbering: ア, イ, ウ…"""
    return KANA[n - 1] if 0 < n <= len(KANA) else str(n)


def number(value: int | None) -> str:
    return f"{value:,}" if value is not None else "不明"


@dataclass
class Item:
    """One point of 5 指摘事項 or 6 意見."""

    ref: str              # 「5(1)」
    section: str          # the form section it concerns
    text: str
    rules: list[str]


@dataclass
class Point:
    """One item checked under a viewpoint: what was confirmed, and the points raised on it."""

    heading: str
    confirmed: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    see: list[str] = field(default_factory=list)     # stages raised in a point filed elsewhere


@dataclass
class Draft:
    title: str
    addressee: str
    council: str
    date: str
    target: list[tuple[str, str]]
    review_note: str
    method: list[str]
    documents: list[str]
    conformity: list[Point]
    appropriateness: list[Point]
    conclusion: str
    corrections: list[Item]
    remarks: list[Item]
    outcome: str


def as_instruction(write: str) -> str:
    """A safeguard's `write` text as a review instruction: 「…を評価書に記載すること。」"""
    text = write.strip().rstrip("。")
    if text.endswith("を記載する"):
        return text[: -len("記載する")] + "評価書に記載すること。"
    if text.endswith("する"):
        return text[: -len("する")] + "すること。"
    return text + "こと。"


def _text(f: Finding) -> str:
    if f.opinion:
        return office(f.opinion)
    return office("".join(as_instruction(s.write) for s in f.missing_safeguards[:3]))


def _merge(findings: list[Finding]) -> list[list[Finding]]:
    """Findings that ask for any of the same safeguards are one point (e.g. re-entrustment asked by
    the outsourcing, the subcontracting and the My Number rules)."""
    groups: list[tuple[set[str], list[Finding]]] = []
    for f in findings:
        wanted = {s.id for s in f.missing_safeguards}
        for ids, members in groups:
            if ids & wanted or (f.review_point and f.review_point == members[0].review_point):
                ids |= wanted
                members.append(f)
                break
        else:
            groups.append((wanted, [f]))
    return [members for _, members in groups]


def _point_text(members: list[Finding]) -> str:
    """The lead's sentence, then those of the others that ask for something the lead does not."""
    members = sorted(members, key=lambda f: (SERIOUS.index(f.residual_severity) if f.residual_severity in SERIOUS else 2,
                                             -len(f.missing_safeguards), f.rule_id))
    sentences: list[str] = []
    asked: set[str] = set()
    for f in members:
        wanted = {s.id for s in f.missing_safeguards}
        text = _text(f)
        if text and text not in sentences and (not sentences or not wanted <= asked):
            sentences.append(text)
        asked |= wanted
    return "".join(sentences)


def _key(f: Finding) -> str:
    if f.review_point:
        return f.review_point
    return "flow" if f.form_section in ("I", "II") else f"section:{f.form_section}"


def _section_order(section: str) -> tuple[int, int]:
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
    head, _, rest = section.partition("-")
    return roman.get(head, 9), int(rest) if rest.isdigit() else 0


# --- what was confirmed, point by point (computed from the assessment) ---

def _threshold(a: PiaSummary) -> list[str]:
    if a.persons is None:
        return []
    incident = {True: "過去1年以内に重大事故が発生しており", False: "過去1年以内の重大事故はなく",
                None: "過去1年以内の重大事故の有無は示されておらず"}[a.serious_incident]
    text = (f"対象人数は{number(a.persons)}人、取扱者数は委託先の従事者を含めて{number(a.handlers_total)}人、"
            f"{incident}、しきい値判断の結果は{REQUIRED.get(a.required_level or '', a.required_label)}となる。")
    order = ["none", "basic", "focused", "full"]
    if a.required_level in order and a.level in order and order.index(a.level) >= order.index(a.required_level):
        extra = "" if a.level == a.required_level else "（判断の結果より詳細な評価を任意に実施したもの）"
        text += f"本評価書は{a.form_label}であり、この結果に沿った評価であることを確認した{extra}。"
    return [text]


def _body(a: PiaSummary) -> list[str]:
    if not a.body:
        return []
    return [f"評価実施機関は{a.body}であり、{a.work}を行う機関が評価を実施していることを確認した。"]


def _withheld(a: PiaSummary) -> list[str]:
    if not a.withheld:
        return ["評価書の全部を公表することとしていることを確認した。"]
    if not a.withheld_reason:
        return []
    return [f"公表しない部分は「{a.withheld}」に限られ、その理由は「{a.withheld_reason}」とされていることを確認した。"]


def _timing(a: PiaSummary) -> list[str]:
    out = []
    review = wareki(a.review_date)
    head = f"本評価は{a.assessment_label}であり"
    if a.last_published:
        head += f"、前回の評価書は{wareki(a.last_published)}に公表されている"
    out.append(head + "。")
    for c in a.dated_changes:
        if not c.significant:
            continue
        when = f"{wareki(c.go_live)}に実施" if c.go_live else "実施の日は示されていない"
        if c.go_live and a.review_date and c.go_live >= a.review_date:
            out.append(f"「{c.what}」は{when}する予定であり、点検の日（{review}）より後であることを確認した。")
        elif c.assessed and c.go_live and c.assessed <= c.go_live:
            out.append(f"「{c.what}」（{when}）は、その前の{wareki(c.assessed)}に評価書を公表していることを確認した。")
    if a.reassess_by and a.assessment in ("reassessment", "change"):
        # 規則第15条: re-assess before five years have passed. Confirmed only against a stated submission day.
        if a.submission and a.submission <= a.reassess_by:
            out.append(f"前回の公表から5年を経過する日（{wareki(a.reassess_by)}）より前に、再実施の評価書を"
                       f"提出する予定（{wareki(a.submission)}）であることを確認した。")
        elif not a.submission:
            out.append(f"前回の公表から5年を経過する日は{wareki(a.reassess_by)}である。")
    if a.submission and a.review_date and a.submission >= a.review_date:
        out.append(f"個人情報保護委員会への提出は点検の後（{wareki(a.submission)}）の予定であることを確認した。")
    return out


def _public_comment(a: PiaSummary) -> list[str]:
    if a.level != "full":
        return [f"{a.form_label}であり、住民等の意見の聴取は義務付けられていない。"]
    if not a.comment_held or a.comment_days is None:
        return []
    end = wareki(a.comment_end)
    if a.comment_start and a.comment_end and a.comment_start.year == a.comment_end.year:
        end = "同年" + end.split("年", 1)[1]
    period = (f"{wareki(a.comment_start)}から{end}までの{a.comment_days}日間"
              if a.comment_start and a.comment_end else f"{a.comment_days}日間")
    text = f"{period}、住民等の意見を求め"
    if a.comments:
        text += f"、寄せられた{a.comments}件の意見について「{a.comments_reflected}」としていることを確認した。" \
            if a.comments_reflected else f"、{a.comments}件の意見が寄せられた。"
    else:
        text += ("、意見は寄せられなかったことを確認した。" if a.comments == 0 else "たことを確認した。")
    if a.comment_end and a.review_date and a.comment_end < a.review_date:
        text += "意見の聴取は点検の前に終了している。"
    return [text]


def _completeness(a: PiaSummary) -> list[str]:
    if not a.stages:
        return []
    labels = "、".join(s.label for s in a.stages)
    skipped = any(s.rating == "not_applicable" for s in a.stages)
    return [f"リスク対策の各段階（{labels}）について記載があること"
            + ("（該当しない段階はその理由を含む）" if skipped else "") + "を確認した。"]


def _department(a: PiaSummary) -> list[str]:
    if not a.department:
        return []
    return [f"評価の担当部署は{a.department}であり、対象事務を担当し、リスク対策の実施に責任を負う部署であることを確認した。"]


def _flow(a: PiaSummary) -> list[str]:
    out = []
    for f in a.files:
        if f.flow:
            persons = f"（対象{number(f.persons)}人）" if f.persons is not None else ""
            out.append(f"特定個人情報ファイル「{f.name}」{persons}について、入手から消去までの流れが「{f.flow}」と"
                       "具体的に記載されていることを確認した。")
    return out


def _stage(s: PiaStageSummary) -> str:
    if s.rating == "not_applicable":
        return f"{s.label}：該当しない（{s.reason or '理由の記載なし'}）とされていることを確認した。"
    rating = f"（自己評価「{s.rating_label}」）" if s.rating != "unknown" else ""
    return f"{s.label}：「{s.measures}」とされていることを確認した{rating}。"


CONFIRM = {"threshold": _threshold, "body": _body, "withheld": _withheld, "timing": _timing,
           "public_comment": _public_comment, "completeness": _completeness,
           "department": _department, "flow": _flow}


def draft(report: Report) -> Draft | None:
    """The draft 点検結果 of a PIA review, or None for other kinds of proposal."""
    a = report.proposal.pia
    if "pia_review" not in report.proposal.kinds or a is None:
        return None
    p = report.proposal
    open_ = [f for f in report.findings if f.is_open]
    by_key: dict[str, list[Finding]] = {}
    for f in open_:
        by_key.setdefault(_key(f), []).append(f)
    corrections: list[Item] = []
    remarks: list[Item] = []
    stage_refs: dict[str, list[str]] = {}           # stage -> the items that raise it

    def items_for(key: str) -> list[Item]:
        made = []
        for members in _merge(by_key.get(key, [])):
            serious = any(f.residual_severity in SERIOUS for f in members)
            target = corrections if serious else remarks
            item = Item(f"{5 if serious else 6}({len(target) + 1})", members[0].form_section_label,
                        _point_text(members), sorted({r for f in members for r in f.rules}))
            target.append(item)
            made.append(item)
            for stage in {loc.path.split(".")[2] for f in members for t in f.triggers for loc in t.locations
                          if loc.path.startswith("pia.stages.")}:
                stage_refs.setdefault(stage, []).append(item.ref)
        return made

    def point(key: str, heading: str) -> Point:
        items = items_for(key)
        # Completeness is a claim about the whole form: it is confirmed only when nothing is missing.
        confirmed = [office(t) for t in CONFIRM[key](a)] if key in CONFIRM and not (key == "completeness" and items) else []
        return Point(heading, confirmed, items)

    conformity = [point(key, heading) for key, heading in CONFORMITY]
    appropriateness = [point("department", "評価の担当部署"), point("flow", "事務の内容と特定個人情報の流れ")]
    flagged = {loc.path.split(".")[2] for f in open_ for t in f.triggers for loc in t.locations
               if loc.path.startswith("pia.stages.")}
    sections = sorted({s.section for s in a.stages} | {k.split(":", 1)[1] for k in by_key if k.startswith("section:")},
                      key=_section_order)
    for section in sections:
        stages = [s for s in a.stages if s.section == section]
        label = next((s.section_label for s in stages), "") or next(
            f.form_section_label for f in by_key.get(f"section:{section}", []))
        pt = Point(label, [], items_for(f"section:{section}"))
        pt.confirmed = [office(_stage(s)) for s in stages if s.measures or s.rating == "not_applicable"
                        if s.stage not in flagged]
        own = {i.ref for i in pt.items}
        pt.see = [f"{s.label}については、後記{'、'.join(refs)}のとおり。" for s in stages
                  if (refs := [r for r in stage_refs.get(s.stage, []) if r not in own])]
        appropriateness.append(pt)
    review_day = wareki(a.review_date)
    return Draft(
        title=office(f"{a.work} {a.form_label}に係る第三者点検の結果について（答申案）"),
        addressee=f"{a.body} 様" if a.body else "",
        council=f"{p.municipality}個人情報保護審議会" if p.municipality else "個人情報保護審議会",
        date=review_day,
        target=[("評価書の名称", f"{a.work} {a.form_label}"), ("評価実施機関", a.body or "記載なし"),
                ("評価書の種類", a.form_label), ("評価の区分", a.assessment_label),
                ("評価の担当部署", a.department or "記載なし")],
        review_note=(f"本件は{a.form_label}であり、特定個人情報保護評価に関する規則第7条により第三者点検を受ける"
                     "ことが義務付けられている。" if a.review_mandatory else
                     f"本件は{a.form_label}であり、第三者点検は義務付けられていないが、"
                     f"{p.municipality or '評価実施機関'}の判断により任意に点検を求められたものである。"),
        method=[office("特定個人情報保護評価指針第10に定める審査の観点（適合性及び妥当性）並びに個人情報保護委員会が"
                       "示す審査の観点の主な考慮事項に沿って、次の資料及び担当課の説明により点検を行った。"),
                office(f"担当課（{a.department or p.department}）から評価書の内容について説明を受け、質疑を行った。"),
                "審議の経過：" + "、".join(wareki(d) for d in (a.review_dates or ([a.review_date] if a.review_date else [])))],
        documents=_documents(a),
        conformity=conformity, appropriateness=appropriateness,
        conclusion=_conclusion(corrections, remarks),
        corrections=corrections, remarks=remarks, outcome=report.assessment.label if report.assessment else "")


def _documents(a: PiaSummary) -> list[str]:
    docs = [f"{a.work} {a.form_label}（案）"]
    if a.comment_held:
        docs.append("住民等からの意見の聴取の結果と、意見の考慮の状況")
    if a.assessment in ("reassessment", "change"):
        docs.append("前回の評価書からの変更箇所" + (f"（前回公表 {wareki(a.last_published)}）" if a.last_published else ""))
    return [office(d) for d in docs]


def _conclusion(corrections: list[Item], remarks: list[Item]) -> str:
    if corrections:
        return ("本評価書は、後記5の指摘事項について修正を要する。ただし、当該指摘事項を踏まえて評価書を修正したうえで"
                "公表し、個人情報保護委員会に提出するのであれば、適合性及び妥当性を有すると認められる。"
                + ("なお、後記6の意見に留意されたい。" if remarks else ""))
    text = "本評価書は、特定個人情報保護評価指針に定める実施手続等に適合し（適合性）、その内容は評価の目的等に照らし妥当である（妥当性）と認められる。"
    return text + ("ただし、後記6の意見に留意されたい。" if remarks else "")
