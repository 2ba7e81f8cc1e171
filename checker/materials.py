"""Material to request before the meeting: what a proposal leaves unstated that the council needs.

Two generic sources, nothing written per proposal:
1. open findings: each safeguard the proposal has not declared becomes a request built from the
   safeguard's `write` text ("what to write in the consultation document"), once per safeguard
   even when several rules ask for it;
2. unstated sections: schema-level checks (no retention section on an outsourcing proposal, a
   vendor without certifications, no sensitive-data declaration, a system without its network
   segment, a pilot without report-back...). A check is skipped when an open finding on the same
   topic already produced requests, so the department is not asked the same thing twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from pydantic import BaseModel, ConfigDict

from .findings import SEVERITY_ORDER, Report
from .proposal import Proposal

VENDOR_KINDS = {"outsourcing", "cloud", "worker_dispatch"}
SYSTEM_KINDS = {"new_processing", "cloud", "external_linkage"}


class MaterialRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str                  # the request to the department, in Japanese
    basis: str                 # why the secretariat asks (a rule, or what is unstated)
    topic: str                 # topic code (topics.md)
    rules: list[str] = []      # rule ids behind the request ([] for an unstated section)
    safeguard: str | None = None
    path: str = ""             # the part of the proposal it concerns ("" = the whole proposal)
    severity: str | None = None  # residual severity of the most severe finding behind it


def as_request(write: str) -> str:
    """Turn a safeguard's `write` text (plain form) into a polite request to the department."""
    text = write.strip().rstrip("。")
    if text.endswith("を記載する"):
        return text[: -len("記載する")] + "記載した資料を提出してください。"
    if text.endswith("する"):
        return text[: -len("する")] + "してください。"
    return f"次の点を資料で示してください: {text}。"


def from_findings(report: Report) -> list[MaterialRequest]:
    """One request per undeclared safeguard of the open findings, most severe finding first."""
    by_safeguard: dict[str, MaterialRequest] = {}
    ordered = sorted(report.open_findings, key=lambda f: (-SEVERITY_ORDER[f.residual_severity], f.rule_id))
    for f in ordered:
        path = f.locations[0].path if f.locations else ""
        for s in f.missing_safeguards:
            known = by_safeguard.get(s.id)
            if known is not None:
                by_safeguard[s.id] = known.model_copy(update={"rules": known.rules + [f.rule_id]})
                continue
            by_safeguard[s.id] = MaterialRequest(
                text=f"「{s.text.rstrip('。')}」について、{as_request(s.write)}",
                basis=f"{f.rule_id} {f.title}（未申告の措置 {s.id}）", topic=f.topic,
                rules=[f.rule_id], safeguard=s.id, path=path, severity=f.residual_severity)
    return list(by_safeguard.values())


@dataclass(frozen=True)
class Unstated:
    """One schema-level check: a topic and a function yielding (path, request, basis) triples."""

    topic: str
    find: Callable[[Proposal], Iterator[tuple[str, str, str]]]


def _needs_vendor_detail(p: Proposal) -> bool:
    return bool(p.vendors) and bool(set(p.kinds) & VENDOR_KINDS)


def _retention(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if not _needs_vendor_detail(p):
        return
    if p.retention is None:
        yield ("retention", "委託先での保存期間、業務終了後の消去・廃棄の方法、その証明（消去証明書等）と"
               "市側で確認する人を示した資料を提出してください。", "保存期間・消去方法の記載がない")
    elif p.retention.deletion_method == "unknown":
        yield ("retention.deletion_method", "委託先での消去・廃棄の方法と、その証明の受け取り方を示してください。",
               "消去・廃棄の方法が未記載")


def _vendors(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if not _needs_vendor_detail(p):
        return
    for i, v in enumerate(p.vendors):
        if not v.certifications:
            yield (f"vendors[{i}].certifications", f"委託先「{v.name}」が取得している認証（ISMS・プライバシーマーク等）"
                   "の写し、または取得していない場合はそれに代わる安全管理の説明を提出してください。",
                   "委託先の認証が未記載")


def _selection(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if not _needs_vendor_detail(p):
        return
    for i, v in enumerate(p.vendors):
        if v.selection is None or v.selection.method == "unknown" or not v.selection.reasons.strip():
            yield (f"vendors[{i}].selection", f"委託先「{v.name}」の選定方法と、その事業者を選んだ理由を示してください。",
                   "委託先の選定方法・理由が未記載")


def _reentrustment(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if "outsourcing" not in p.kinds:
        return
    for i, v in enumerate(p.vendors):
        if v.reentrustment is None:
            yield (f"vendors[{i}]", f"委託先「{v.name}」が再委託するかどうか、する場合はその範囲・条件と市の承認手続を"
                   "示してください。", "再委託の有無が未記載")


def _contract(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if _needs_vendor_detail(p) and p.contract is None:
        yield ("contract", "契約書（案）または仕様書と、個人情報取扱特記事項を提出してください。", "契約条項の記載がない")


def _sensitive(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if p.sensitive_data is None and not any(d.sensitive is not None for d in p.data_items):
        yield ("sensitive_data", "要配慮個人情報（病歴・障害・犯罪歴など）を含むかどうかを明記し、含む場合は該当する"
               "項目と取り扱う必要性の説明を提出してください。", "要配慮個人情報の申告がない")


def _items(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if not p.data_items:
        yield ("data_items", "取り扱う記録項目の一覧を提出してください。", "記録項目の記載がない")


def _subjects(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if not p.subjects or any(s.count is None for s in p.subjects):
        yield ("subjects", "対象者の範囲と人数（概数）を示してください。", "対象者・人数が未記載")


def _network(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if not p.systems and set(p.kinds) & SYSTEM_KINDS:
        yield ("systems", "システムの構成図（設置場所、ネットワーク区分、庁外・他の区分との接続経路）を提出してください。",
               "システム・ネットワークの記載がない")
    for i, s in enumerate(p.systems):
        if s.segment is None and s.location != "standalone_terminal":
            yield (f"systems[{i}].segment", f"「{s.name}」がどのネットワーク区分（マイナンバー利用事務系・LGWAN 接続系・"
                   "インターネット接続系）に置かれ、どこと接続するかを示したネットワーク構成図を提出してください。",
                   "ネットワーク区分が未記載")
        if s.relays and s.relay_from is None:
            yield (f"systems[{i}].relay_from", f"「{s.name}」へデータを取り込む経路について、取り込み元の区分と"
                   "中継サーバの配置・接続の向きを示してください。", "取り込み元の区分が未記載")


def _cloud(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if p.cloud is None:
        return
    if not p.cloud.certifications:
        yield ("cloud.certifications", f"クラウドサービス「{p.cloud.service}」の事業者が取得している認証（ISMAP・"
               "ISO/IEC 27017 等）を示してください。", "クラウド事業者の認証が未記載")
    if p.cloud.data_location == "unknown":
        yield ("cloud.data_location", "データの保管場所（国内か国外か）を示してください。", "データの保管場所が未記載")


def _pilot(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if p.pilot is None:
        return
    if not p.pilot.report_back:
        yield ("pilot.report_back", "実証実験の結果を審議会に報告する時期と方法を示してください。", "結果報告の予定が未記載")
    if not p.pilot.period.strip() or not p.pilot.scope.strip():
        yield ("pilot", "実証実験の期間と対象範囲を示してください。", "実証の期間・範囲が未記載")


def _legal(p: Proposal) -> Iterator[tuple[str, str, str]]:
    lb = p.legal_basis
    if not (lb.laws or lb.act_articles or lb.ordinance_articles or lb.explanation.strip()):
        yield ("legal_basis", "事務の根拠法令と、諮問・報告の根拠となる条例の条項を示してください。", "根拠の記載がない")
    for i, pv in enumerate(p.provisions):
        if not pv.legal_basis.strip():
            yield (f"provisions[{i}].legal_basis", f"「{pv.recipient}」への提供・利用の根拠を示してください。",
                   "提供の根拠が未記載")


def _my_number(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if p.my_number is not None and p.my_number.used and p.my_number.pia_done is None:
        yield ("my_number.pia_done", "特定個人情報保護評価（しきい値判断の結果と実施状況）を示してください。",
               "特定個人情報保護評価が未記載")


def _transfers(p: Proposal) -> Iterator[tuple[str, str, str]]:
    for i, t in enumerate(p.transfers):
        if t.content == "electronic" and t.encrypted is None:
            yield (f"transfers[{i}].encrypted", f"{t.from_}から{t.to}への受け渡しで、データを暗号化するかどうかを示してください。",
                   "暗号化の有無が未記載")


def _access(p: Proposal) -> Iterator[tuple[str, str, str]]:
    if p.systems and p.access_control is None:
        yield ("access_control", "システムを利用できる職員・委託先の範囲と、アクセス制御の方法を示してください。",
               "アクセス制御の記載がない")


UNSTATED: list[Unstated] = [
    Unstated("sensitive_data", _sensitive), Unstated("data_minimization", _items),
    Unstated("network_connection", _network), Unstated("retention_deletion", _retention),
    Unstated("vendor_selection", _vendors), Unstated("vendor_selection", _selection),
    Unstated("subcontracting", _reentrustment), Unstated("contract_terms", _contract),
    Unstated("cloud_service", _cloud), Unstated("pilot_followup", _pilot),
    Unstated("my_number", _my_number), Unstated("transfer_method", _transfers),
    Unstated("access_control", _access), Unstated("legal_basis", _legal),
    Unstated("data_inventory", _subjects),
]


def from_unstated(proposal: Proposal, skip_topics: set[str] = frozenset()) -> list[MaterialRequest]:
    out: list[MaterialRequest] = []
    for check in UNSTATED:
        if check.topic in skip_topics:
            continue
        for path, text, basis in check.find(proposal):
            out.append(MaterialRequest(text=text, basis=basis, topic=check.topic, path=path))
    return out


def material_requests(proposal: Proposal, report: Report) -> list[MaterialRequest]:
    """Everything to ask the department for before the meeting, most pressing first."""
    found = from_findings(report)
    requests = found + from_unstated(proposal, {r.topic for r in found})
    seen: set[str] = set()
    unique = []
    for r in requests:
        if r.text not in seen:
            seen.add(r.text)
            unique.append(r)
    return unique
