"""Turn a Proposal into many small facts for the rule engine.

durable-rules allows at most 32 properties per fact, so a proposal becomes one fact per
kind, data item, vendor, transfer, system and section. Every fact carries `t` (its type)
and `at` (the dotted path of the YAML node it comes from, used for finding locations).
A tri-state answer (true / false / not stated) is omitted when not stated, so rules can
tell "said no" (eq false) from "did not say" (missing). A text only counts as stated when it says
something: a placeholder (○○, 未定, TBD) is treated as empty (checker/core/coverage.py).
Whole areas the proposal leaves unstated become `coverage` facts, so rules can ask about them.

The fact types and their fields, the contract with the rule catalogue, are checker/core/fact_schema.py.
"""
from __future__ import annotations

import re

from typing import Any, Iterable

from checker.core.coverage import Area, coverage, is_generic, says
from checker.core.fact_schema import CERT_FIELDS, PIA_STAGES, SECTION_PATHS
from checker.core.proposal import Proposal
from checker.core.regime import choose
from checker.core.vocabulary import FLAGS, Vocabulary

PHYSICAL_MEDIA = {"hand", "post", "security_courier", "usb", "encrypted_media", "fax", "internal_mail"}
NETWORK_MEDIA = {"lgwan", "lgwan_asp", "dedicated_line", "internet_tls", "internet", "email", "web_form",
                 "file_transfer_appliance", "public_line", "government_network"}
# Media that can only carry electronic data; hand, post and couriers may carry paper or media.
ELECTRONIC_MEDIA = NETWORK_MEDIA | {"usb", "encrypted_media"}
UNATTENDED_CHANNELS = {"kiosk", "convenience_store"}
# A vendor whose stated role is enclosing or sending mail to residents: departments rarely fill in
# `deliveries`, but they always describe the job ("通知書の印刷・封入・封緘"), and mis-sent mail is the risk.
MAILING_ROLE_TERMS = ("封入", "封緘", "発送", "郵送")
STRONG_IDENTITY = {"jpki", "card_with_pin", "counter_documents"}
# Kinds that mean a computer processes the personal data (so access, records and retention apply).
ELECTRONIC_KINDS = {"new_processing", "cloud", "external_linkage", "record_items", "pia_review"}
# Places where a vendor's equipment holds the data (systems[].place).
VENDOR_PLACES = {"vendor_datacentre", "cloud"}
# Data items the law treats specially (要配慮個人情報, 個人番号): what councils ask about staff access,
# records and vendor staff for. Items that can lead to discrimination (本籍, 在留資格, 生活保護, 所得,
# 生体情報) have rules of their own (SEN-002, RGT-001, MIN-002); counting them here raised access and
# logging questions on seed items whose councils asked neither (benchmarks/crossval.py).
CAREFUL_FLAGS = ("sensitive", "my_number")
SOURCES = ("person", "representative", "other_body", "other_department", "vendor", "public")
# Words that show a provision rests on the My Number Act (番号法第19条 and its items).
MYNUMBER_ACT = ("番号法", "第19条", "第十九条", "行政手続における特定の個人を識別するための番号の利用等に関する法律")
# Procedures whose online request the law ties to a strong identity check (an electronic signature
# with the public individual-authentication service): certificates of residence, family register, tax.
CERTIFICATE_TERMS = ("住民票", "戸籍", "印鑑登録証明", "課税証明", "非課税証明", "所得証明", "納税証明")
# Jobs that a service vendor almost never does with its own staff and servers (issue 19): the SMS goes
# through a carrier aggregator, calls through a call centre, card payments through a payment processor.
SUBPROCESSOR_ROLE_TERMS = {"SMS": "SMS の配信", "ＳＭＳ": "SMS の配信", "コールセンター": "コールセンター",
                           "決済": "決済代行", "収納代行": "収納代行"}


def _fact(t: str, at: str, **fields: Any) -> dict[str, Any]:
    """A fact with not-stated (None) fields left out."""
    fact = {"t": t, "at": at}
    fact.update({k: v for k, v in fields.items() if v is not None})
    return fact


def _any_stated(values: Iterable[bool | None]) -> bool | None:
    """Tri-state "any": true if one says yes, false only if every one says no, else not stated."""
    values = list(values)
    if any(v is True for v in values):
        return True
    if values and all(v is False for v in values):
        return False
    return None


def _in(value: str | None, group: set[str]) -> bool | None:
    """Whether an enum value belongs to a group; not stated when the value is not stated."""
    return None if value is None else value in group


def _content(transfer: Any) -> str | None:
    """Paper or electronic as stated, else electronic where the medium can carry nothing else."""
    if transfer.content is not None:
        return transfer.content
    return "electronic" if transfer.medium in ELECTRONIC_MEDIA else None


def _weakest_identity(methods: list[str]) -> str:
    order = ["none", "sns_account", "email_or_sms", "id_password", "birth_date_and_number",
             "photo_upload", "call_back", "kiosk_card", "card_with_pin", "jpki", "counter_documents"]
    return min(methods, key=order.index)


# The person-count bands of the specific PIA threshold test (特定個人情報保護評価のしきい値判断).
# A band is one field because the engine cannot test one fact twice (a negated pattern never
# sees the fact that the positive pattern matched), so "1,000 <= n < 10,000" must be one value.
PERSONS_BANDS = ((1_000, "under_1k"), (10_000, "1k_to_10k"), (100_000, "10k_to_100k"),
                 (300_000, "100k_to_300k"))


def _persons_band(persons: int | None) -> str | None:
    if persons is None:
        return None
    return next((band for limit, band in PERSONS_BANDS if persons < limit), "300k_plus")


def _training(value: Any) -> tuple[bool | None, bool]:
    """(training provided, its audience/frequency/content stated) from a bool or a Training."""
    if value is None or isinstance(value, bool):
        return value, False
    detail = says(value.audience) or says(value.frequency) or says(value.content)
    provided = value.provided if value.provided is not None else (True if detail else None)
    return provided, detail


# What a stage's measures must name for a reviewer to see the operation behind them (審査の観点 妥当性):
# who does it, how often, when and how data is deleted, on what medium it moves, how the person is identified,
# and, for a stage rated 課題が残されている, by when the issue will be settled.
STAGE_DETAIL = {
    "actor": re.compile(r"課長|係長|職員|担当|委託先|事業者|責任者|管理者|[0-9０-９]+\s*名|監査|部署|課が"),
    "frequency": re.compile(r"毎[日週月年]|[0-9０-９]+\s*(日|週|か月|ヶ月|月|年)\s*(に|ごと|以内)|[月年週]\s*[0-9０-９]+\s*回|四半期|"
                            r"随時|都度|[日週月年期件]ごと|のたびに|の前に|翌営業日|年度末|配属時|全件"),
    "deletion": re.compile(r"(削除|消去|廃棄|溶解|破砕|裁断).*(年|日|月|期間|年度末|証明|確認|記録)|(年|期間|年度末).*(削除|消去|廃棄|溶解)"),
    "medium": re.compile(r"媒体|LGWAN|専用回線|専用の接続|閉域|暗号|手渡し|電子|オンライン|ネットワーク|郵送|封筒|DVD|USB|"
                         r"番号法第\s*19\s*条|情報提供ネットワーク"),
    "identity": re.compile(r"本人確認|番号確認|個人番号カード|確認書類|照合|住民基本台帳|真正|突合|身元"),
    "misuse_check": re.compile(r"事務外|目的外|業務外|私的|照会の理由|抽出|不審|突合して点検|閲覧の記録"),
    "deadline": re.compile(r"(20[0-9]{2}|令和\s*[0-9０-９]+)\s*年(度)?[^。]*(まで|予定|目途|めど|完了|開始)"),
}


def _detail(text: str, what: str) -> bool:
    return bool(STAGE_DETAIL[what].search(text))


def review_date(p: Proposal):
    """The day the council reviews the assessment: its last sitting, else the meeting date."""
    a = p.pia
    return max(a.review_dates) if a and a.review_dates else p.meeting_date


def changes_before_review(p: Proposal) -> list:
    """Significant changes that went live before the review without an assessment of their own before."""
    a, day = p.pia, review_date(p)
    if a is None or day is None:
        return []
    return [c for c in a.dated_changes if c.significant and c.go_live and c.go_live < day
            and not (c.assessed and c.assessed <= c.go_live)]


def _assessment_facts(p: Proposal) -> list[dict[str, Any]]:
    """The assessment under review and one fact per risk stage (a stage left out is unstated)."""
    a = p.pia
    assert a is not None
    out = []
    ratings = []
    generic = 0
    for stage, label in PIA_STAGES.items():
        m = getattr(a.stages, stage)
        rating = m.rating if m else "unknown"
        stated = bool(m and says(m.measures))
        is_vague = rating != "not_applicable" and (not stated or is_generic(m.measures if m else None))
        generic += is_vague and stated
        ratings.append(rating)
        text = (m.measures + " " + m.reason) if m else ""
        out.append(_fact("assessment_stage", f"pia.stages.{stage}", stage=stage, label=label, stated=stated,
                         generic=is_vague, rating=rating, has_reason=bool(m and says(m.reason)),
                         **{f"has_{what}": _detail(text, what) for what in STAGE_DETAIL}))
    pc = a.public_comment
    # A period that ends before it starts was not held (validation rejects it before this).
    days = pc.days if pc and pc.days is not None else (
        (pc.end - pc.start).days + 1 if pc and pc.start and pc.end and pc.end >= pc.start else None)
    reference = p.meeting_date
    years = (reference.year - a.last_published.year - ((reference.month, reference.day) < (a.last_published.month,
             a.last_published.day))) if reference and a.last_published else None
    out.insert(0, _fact(
        "assessment", "pia", stated_level=a.level, assessment_type=a.assessment, assessed=a.timing,
        has_changes=says(a.changes),
        comment_held=(pc.held if pc.held is not None else (True if days is not None else None)) if pc else None,
        comment_days=days, comment_reason=bool(pc and says(pc.shortened_reason)),
        comments=pc.comments if pc else None, comments_reflected=bool(pc and says(pc.reflected)),
        withheld=says(a.withheld), withheld_reason=says(a.withheld_reason), file_count=len(a.files),
        flows_described=bool(a.files) and all(says(f.flow) for f in a.files),
        network_link=any(f.network_link for f in a.files), years_since_last=years,
        has_department=says(a.department),
        rated_sufficient=sum(r in ("focused", "sufficient") for r in ratings),
        rated_issues=sum(r == "issues" for r in ratings), generic_stages=generic,
        **_date_facts(p)))
    return out


def _certificate_request(p: Proposal) -> bool | None:
    """Whether residents request certificates through this proposal (stated, or named in its text)."""
    if p.messaging and p.messaging.certificate_requests is not None:
        return p.messaging.certificate_requests
    texts = [p.title, p.business, *(p.messaging.procedures if p.messaging else []), p.pilot.scope if p.pilot else ""]
    return True if any(term in text for text in texts for term in CERTIFICATE_TERMS) else None


def _implied_subprocessors(p: Proposal) -> list[str]:
    """Jobs in the proposal that imply another company handles the data (for a 'no re-entrustment' check)."""
    found: list[str] = []
    if any(d.channel == "sms" and d.by_vendor for d in p.deliveries):
        found.append("SMS の配信")
    if (any(d.channel == "post" and d.by_vendor for d in p.deliveries)
            and not any(term in v.role for v in p.vendors for term in MAILING_ROLE_TERMS)):
        found.append("郵送物の印刷・発送")
    for v in p.vendors:
        found.extend(job for term, job in SUBPROCESSOR_ROLE_TERMS.items() if term in v.role)
    if p.ai and p.ai.contracted_by == "vendor":
        found.append(f"AI の提供者（{p.ai.provider or p.ai.name}）")
    return list(dict.fromkeys(found))


def _date_facts(p: Proposal) -> dict[str, Any]:
    """The assessment's dates compared: changes that went live before the review, a public comment
    still open at the review, a submission dated before the review."""
    a, day = p.pia, review_date(p)
    assert a is not None
    early = changes_before_review(p)
    pc = a.public_comment
    return {"changes_before_review": len(early) if day else None,
            "early_change": early[0].what if early else None,
            "comment_after_review": (pc.end >= day) if pc and pc.end and day else None,
            "submitted_before_review": (a.submission < day) if a.submission and day else None,
            "submitted_after_five_years": (a.submission >= five_years_after(a.last_published))
            if a.submission and a.last_published else None}


def five_years_after(day):
    """規則第15条: the day five years after the last publication (a re-assessment is due before it)."""
    try:
        return day.replace(year=day.year + 5)
    except ValueError:               # 29 February
        return day.replace(year=day.year + 5, day=28)


def build_facts(p: Proposal, vocabulary: Vocabulary, areas: Iterable[Area] = ()) -> list[dict[str, Any]]:
    """All facts for one proposal, in document order (the engine adds the markers)."""
    facts: list[dict[str, Any]] = []
    add = facts.append
    vendor_names = {v.name for v in p.vendors if v.name}
    current = [t for t in p.transfers if not t.discontinued]
    items = [(i, d, vocabulary.lookup(d.name)) for i, d in enumerate(p.data_items)]
    # In a PIA review, the item categories the assessed work exists to handle (所得 in local tax).
    core = vocabulary.core_categories(p.pia.work) if p.pia else set()
    sensitive_declared = (p.sensitive_data.included if p.sensitive_data else None)
    if any(d.sensitive for _, d, _ in items):
        sensitive_declared = True
    sections = sum(1 for name in SECTION_PATHS.values() if getattr(p, name) is not None)
    kinds = set(p.kinds)
    electronic_to_vendor = any(_content(t) == "electronic" and t.to in vendor_names for t in current)
    paper_to_vendor = any(_content(t) == "paper" and t.to in vendor_names for t in current)
    electronic = bool(kinds & ELECTRONIC_KINDS or p.systems or p.cloud
                      or any(_content(t) == "electronic" for t in current))
    # An outsourcing item before the council is there because the vendor handles personal data,
    # whether or not the proposal says how the data reaches it.
    vendor_handles_data = bool(p.vendors) and bool(
        kinds & {"outsourcing", "cloud", "worker_dispatch"} or electronic_to_vendor or paper_to_vendor
        or any(v.dispatch for v in p.vendors) or any(s.place in VENDOR_PLACES for s in p.systems))
    careful_data = bool(sensitive_declared or (p.my_number and p.my_number.used)
                        or any(match.flag(f) for _, _, match in items for f in CAREFUL_FLAGS)
                        or any(d.my_number or d.sensitive for _, d, _ in items))
    subprocessors = _implied_subprocessors(p)
    add(_fact(
        "proposal", "",
        procedure=p.procedure, timing=p.timing, kind_count=len(p.kinds),
        has_purpose=says(p.purpose), has_effect=says(p.effect),
        has_business=says(p.business), has_title=says(p.title),
        subjects_total=sum(s.count or 0 for s in p.subjects),
        children=_any_stated(s.children for s in p.subjects),
        has_legal_basis=any(says(x) for x in [*p.legal_basis.laws, *p.legal_basis.act_articles,
                                               *p.legal_basis.ordinance_articles, p.legal_basis.explanation]),
        has_ordinance_article=any(says(x) for x in p.legal_basis.ordinance_articles),
        sensitive_declared=sensitive_declared,
        sensitive_justified=bool(p.sensitive_data and says(p.sensitive_data.justification)),
        vendor_count=len(p.vendors), transfer_count=len(p.transfers), item_count=len(p.data_items),
        system_count=len(p.systems), provision_count=len(p.provisions),
        has_cost=p.cost_yen is not None, sections=sections,
        paper_to_vendor=paper_to_vendor, electronic_to_vendor=electronic_to_vendor,
        has_system_name=says(p.system), identifiable=p.identifiable, approval_count=len(p.approvals),
        electronic=electronic, vendor_handles_data=vendor_handles_data, careful_data=careful_data,
        subject_count=len(p.subjects), delivery_count=len(p.deliveries),
        certificate_request=_certificate_request(p), subprocessor_hint=bool(subprocessors),
        implied_subprocessors="、".join(subprocessors) or None,
        on_government_cloud=any(s.place == "government_cloud" for s in p.systems),
    ))
    for area, state in coverage(p, areas):
        # `at` names where the area is stated (what ticks a safeguard points at); a finding about an
        # unstated area points at the top of the file instead (pipeline: coverage is a vague fact)
        at = area.fields[0].split("[]")[0] if state == "stated" else ""
        add(_fact("coverage", at, area=area.id, state=state, label=area.label))
    for i, kind in enumerate(p.kinds):
        add(_fact("kind", f"kinds.{i}", value=kind))
    for i, s in enumerate(p.subjects):
        add(_fact("subject", f"subjects.{i}", name=s.name, count=s.count, children=s.children))
    for i, d, match in items:
        code = match.category.code if match.category else "unknown"
        add(_fact("data_item", f"data_items.{i}", name=d.name, category=code,
                  declared_sensitive=d.sensitive, declared_my_number=d.my_number,
                  required=d.required, has_use=bool(d.use.strip()),
                  statutory_core=bool(match.category and match.category.code.split(":")[-1] in core),
                  **{flag: match.flag(flag) for flag in FLAGS}))
    if p.my_number:
        m = p.my_number
        total = (m.handlers or 0) + sum(v.handlers or 0 for v in p.vendors)
        add(_fact("my_number", "my_number", used=m.used, has_legal_basis=says(m.legal_basis),
                  persons=m.persons, handlers=m.handlers,
                  handlers_total=total if (m.handlers is not None or total) else None,
                  serious_incident=m.serious_incident, pia_done=m.pia_done,
                  certificates_with_number=m.certificates_with_number,
                  persons_band=_persons_band(m.persons), has_deletion=says(m.deletion)))
    for i, v in enumerate(p.vendors):
        sel, re_ = v.selection, v.reentrustment
        add(_fact("vendor", f"vendors.{i}", name=v.name, role=v.role, cert_count=len(v.certifications),
                  **{c: c in v.certifications for c in CERT_FIELDS},
                  selection_method=sel.method if sel else "unknown",
                  selection_reasons=bool(sel and says(sel.reasons)),
                  selection_decided=sel.decided if sel else None,
                  quotes_compared=sel.quotes_compared if sel else None,
                  track_record=says(v.track_record),
                  reentrustment_allowed=re_.allowed if re_ else None,
                  reentrustment_conditions=bool(re_ and says(re_.conditions)),
                  reentrustment_approval=re_.prior_approval if re_ else None,
                  handlers=v.handlers, overseas=v.overseas, dispatch=v.dispatch,
                  mailing=any(term in v.role for term in MAILING_ROLE_TERMS),
                  staff_list=v.staff_list, staff_change_notice=v.staff_change_notice, training=v.training,
                  placeholder=not says(v.name)))
    for i, t in enumerate(p.transfers):
        if t.discontinued:
            add(_fact("former_transfer", f"transfers.{i}", medium=t.medium, physical=_in(t.medium, PHYSICAL_MEDIA),
                      network=_in(t.medium, NETWORK_MEDIA), to_vendor=t.to in vendor_names))
            continue
        add(_fact("transfer", f"transfers.{i}", medium=t.medium, content=_content(t),
                  encrypted=t.encrypted, password_separate=t.password_separate,
                  handover_record=t.handover_record, physical=_in(t.medium, PHYSICAL_MEDIA),
                  network=_in(t.medium, NETWORK_MEDIA), to_vendor=t.to in vendor_names,
                  from_vendor=t.from_ in vendor_names))
    for i, s in enumerate(p.systems):
        add(_fact("system", f"systems.{i}", name=s.name, place=s.place, terms=s.terms, segment=s.segment,
                  connects_to_core=s.connects_to_core, connected_externally=s.connected_externally,
                  has_relay=bool(s.relays), relay_dmz="dmz_server" in s.relays,
                  relay_proxy="proxy_server" in s.relays, relay_file_transfer="file_transfer" in s.relays,
                  relay_manual="manual_media" in s.relays, relay_from=s.relay_from,
                  saas=s.place == "cloud" and s.terms == "standard"))
    if p.cloud:
        c = p.cloud
        add(_fact("cloud", "cloud", name=c.service, terms=c.terms, cert_count=len(c.certifications),
                  **{k: k in c.certifications for k in CERT_FIELDS}, data_location=c.data_location,
                  tenant_isolation=c.tenant_isolation, backups=c.backups,
                  encryption_at_rest=c.encryption_at_rest, exit_plan=c.exit_plan,
                  service_model=c.service_model, registered_layer=c.registered_layer,
                  has_return_format=says(c.data_return_format)))
    if p.identity_verification:
        iv = p.identity_verification
        add(_fact("identity", "identity_verification", method_count=len(iv.methods),
                  strong=any(m in STRONG_IDENTITY for m in iv.methods),
                  multiple_accounts_prevented=iv.multiple_accounts_prevented,
                  weakest=_weakest_identity(list(iv.methods))))
        for i, m in enumerate(iv.methods):
            add(_fact("identity_method", f"identity_verification.methods.{i}", method=m))
    if p.access_control:
        a = p.access_control
        methods = set(a.methods)
        add(_fact("access", "access_control", method_count=len(methods),
                  password_only=bool(methods) and methods <= {"id_password"},
                  **{m: m in methods for m in ("id_password", "ip_restriction", "client_certificate",
                                               "biometrics", "mfa", "per_organisation", "role_based",
                                               "dedicated_terminal")},
                  smart_devices=a.smart_devices, remote_access=a.remote_access,
                  external_users=a.external_users, has_users=says(a.users),
                  individual_accounts=a.individual_accounts, need_to_know=a.need_to_know,
                  revoked_on_leave=a.revoked_on_leave))
    if p.logging:
        lg = p.logging
        add(_fact("logging", "logging", access_logs=lg.access_logs, periodic_review=lg.periodic_review,
                  has_retention=says(lg.retention), has_reviewer=says(lg.reviewer)))
    if p.retention:
        r = p.retention
        add(_fact("retention", "retention", has_period=says(r.period), deletion_method=r.deletion_method,
                  proof=r.proof, confirmed_by=r.confirmed_by, city_can_delete=r.city_can_delete))
    if p.migration:
        add(_fact("migration", "migration", medium=p.migration.medium, checked_by=p.migration.checked_by))
    if p.contract:
        add(_fact("contract", "contract", **p.contract.model_dump()))
    if p.pilot:
        pl = p.pilot
        add(_fact("pilot", "pilot", has_period=says(pl.period), has_scope=says(pl.scope),
                  report_back=pl.report_back, has_criteria=says(pl.criteria)))
    if p.devices:
        add(_fact("devices", "devices", **p.devices.model_dump()))
    if p.biometrics:
        b = p.biometrics
        add(_fact("biometrics", "biometrics", type=b.type, template_only=b.template_only,
                  has_fallback=says(b.fallback), removal_on_departure=b.removal_on_departure))
    for i, pv in enumerate(p.provisions):
        add(_fact("provision", f"provisions.{i}", recipient=pv.recipient, has_purpose=says(pv.purpose),
                  national_infrastructure=vocabulary.is_national_infrastructure(pv.recipient) if pv.recipient else None,
                  has_legal_basis=says(pv.legal_basis), online=pv.online,
                  person_notified=pv.person_notified, has_notification=says(pv.notification),
                  criterion=pv.criterion, has_necessity=says(pv.necessity), agreement=pv.agreement,
                  mynumber_basis=any(word in pv.legal_basis for word in MYNUMBER_ACT)))
    if p.incident_response:
        ir = p.incident_response
        add(_fact("incident_response", "incident_response", plan=ir.plan,
                  has_detection=says(ir.detection), has_reporting=says(ir.reporting)))
    if p.notice:
        add(_fact("notice", "notice", **p.notice.model_dump()))
    if p.operations:
        o = p.operations
        provided, detail = _training(o.staff_training)
        add(_fact("operations", "operations", internal_rules=o.internal_rules,
                  staff_training=provided, training_detail=detail, has_staffing=says(o.staffing)))
    if p.collection:
        c = p.collection
        add(_fact("collection", "collection", **{src: src in c.sources for src in SOURCES},
                  person_notified=c.person_notified, representatives=c.representatives,
                  representative_check=says(c.representative_check)))
    if p.follow_up:
        fu = p.follow_up
        add(_fact("follow_up", "follow_up", report_back=fu.report_back, has_when=says(fu.when),
                  has_measures=says(fu.measures)))
    if p.maintenance:
        mt = p.maintenance
        add(_fact("maintenance", "maintenance", by_vendor=mt.by_vendor, remote=mt.remote,
                  has_controls=says(mt.controls)))
    if p.file_register:
        add(_fact("file_register", "file_register", listed=p.file_register.listed))
    for i, ap in enumerate(p.approvals):
        add(_fact("approval", f"approvals.{i}", authority=ap.authority))
    if p.pia:
        facts.extend(_assessment_facts(p))
    if p.expansion:
        add(_fact("expansion", "expansion", planned=p.expansion.planned,
                  returns_to_council=p.expansion.returns_to_council))
    for i, d in enumerate(p.deliveries):
        add(_fact("delivery", f"deliveries.{i}", channel=d.channel, by_vendor=d.by_vendor, volume=d.volume,
                  unattended=_in(d.channel, UNATTENDED_CHANNELS), address_check=d.address_check))
    facts.extend(_issue19_facts(p))
    for i, sid in enumerate(p.safeguards):
        add(_fact("safeguard", f"safeguards.{i}", id=sid))
    add(_fact("regime", "regime" if p.regime else "", regime=choose(p).regime))
    for i, basis in enumerate(p.act_basis):
        for article in basis.articles:
            add(_fact("act_basis", f"act_basis.{i}", kind=basis.kind, article=article, regular=basis.regular,
                      provision_69_2=article.startswith("art69_2")))
    return facts


def _issue19_facts(p: Proposal) -> list[dict[str, Any]]:
    """AI, government cloud, continuity and messaging-platform sections (one fact each when written)."""
    out = []
    if p.ai:
        a = p.ai
        out.append(_fact(
            "ai", "ai", name=a.name, generative=a.generative, has_provider=says(a.provider), contracted_by=a.contracted_by,
            provider_overseas=a.provider_overseas, region=a.region, training_use=a.training_use,
            training_clause=a.training_clause, has_provider_retention=says(a.provider_retention),
            residents_facing=a.residents_facing, disclosed_to_users=a.disclosed_to_users, free_text=a.free_text,
            input_warning=a.input_warning, input_masking=a.input_masking, minors=a.minors,
            has_scope=says(a.scope), has_excluded=says(a.excluded), decides=a.decides,
            human_review=a.human_review, has_responsibility=says(a.responsibility),
            has_log_retention=says(a.log_retention), has_log_readers=says(a.log_readers)))
    if p.government_cloud:
        g = p.government_cloud
        out.append(_fact(
            "government_cloud", "government_cloud", standard_system=g.standard_system, has_csp=says(g.csp),
            has_operator=says(g.operator), has_app_vendor=says(g.app_vendor),
            csp_accesses_data=g.csp_accesses_data, operator_accesses_data=g.operator_accesses_data,
            vendor_accesses_data=g.vendor_accesses_data, region=g.region,
            has_contract_chain=says(g.contract_chain), pia_change=g.pia_change,
            has_pia_sections=says(g.pia_sections), has_migration_from=says(g.migration_from)))
    if p.continuity:
        c = p.continuity
        out.append(_fact("continuity", "continuity", has_fallback=says(c.fallback),
                         has_recovery_target=says(c.recovery_target), tested=c.tested))
    if p.messaging:
        m = p.messaging
        out.append(_fact("messaging", "messaging", platform=m.platform, data_on_platform=m.data_on_platform,
                         separate_system=m.separate_system, procedure_count=len(m.procedures),
                         certificate_requests=m.certificate_requests))
    return out
