"""`shingikai new`: a commented starting proposal for each kind of handling."""
from __future__ import annotations

from .proposal import LABELS

_HEAD = """\
# yaml-language-server: $schema=proposal.schema.json
# （スキーマは `shingikai schema --output proposal.schema.json` で同じフォルダに作成できます）
# 個人情報保護審議会 諮問・報告案件（{label}）のひな形です。
# 値を書き換え、不要な節は削除してください。点検: shingikai check このファイル.yaml
id: 2025-001                      # 案件 ID（課内で一意に）
title: ○○業務の{label}について   # 件名
municipality: ○○市
department: ○○課
meeting_date: 2025-04-01          # 審議会の開催日
procedure: consultation           # consultation=諮問 / report=報告
timing: before_start              # before_start=実施前 / after_start=事後報告
legal_basis:
  ordinance_articles: [第○条第○項]  # 諮問・報告の根拠条項
  laws: []                         # 事務の根拠法令
kinds: [{kind}]
business: ○○業務                 # 対象業務
purpose: ○○のため                # 目的
effect: ○○が可能になる            # 効果
subjects:
  - {{name: ○○の対象者, count: 1000, children: false}}
data_items:                       # 記録項目（資料の表記のまま）
  - 氏名
  - 住所
  - 生年月日
sensitive_data: {{included: false, justification: ""}}  # 要配慮個人情報（病歴・障害等）の有無
"""

_SECTIONS = {
    "vendors": """\
vendors:
  - name: ○○株式会社
    role: ○○の実施
    certifications: [isms]        # isms / pmark / iso27017 / ismap / lgwan_asp ...
    selection: {method: proposal_competition, reasons: 選定理由を記載, quotes_compared: true}
    track_record: 他自治体での実績
    reentrustment: {allowed: false}
""",
    "transfers": """\
transfers:
  - from: ○○課
    to: ○○株式会社
    medium: lgwan                 # hand / post / security_courier / usb / encrypted_media / lgwan / lgwan_asp ...
    content: electronic           # paper / electronic
    encrypted: true
""",
    "retention": """\
retention:
  period: 業務終了後○か月
  deletion_method: overwrite      # overwrite / dissolution / return_to_city ...
  proof: certificate              # none / certificate / witnessed / log
  confirmed_by: supervisor        # one_clerk / supervisor / two_persons
  city_can_delete: true
contract:
  special_clauses: true
  responsibility_structure: true
  confidentiality: true
  audit_rights: true
  incident_reporting: true
""",
    "systems": """\
systems:
  - name: ○○システム
    location: on_premises         # on_premises / vendor_datacentre / saas_standard_terms / negotiated_cloud
    segment: lgwan                # my_number / lgwan / internet / closed
    connected_externally: false
access_control:
  methods: [id_password, role_based]
logging:
  access_logs: true
  periodic_review: true
""",
    "cloud": """\
cloud:
  service: ○○クラウド
  terms: negotiated               # standard=約款 / negotiated=個別契約
  certifications: [iso27017, ismap]
  data_location: domestic
  tenant_isolation: true
  backups: true
  exit_plan: true
""",
    "provisions": """\
provisions:
  - recipient: 提供先
    purpose: 提供の目的
    legal_basis: 根拠（法令・条例の条項）
    online: false
""",
}

_BY_KIND = {
    "outsourcing": ["vendors", "transfers", "retention"],
    "external_linkage": ["systems", "provisions"],
    "cloud": ["systems", "cloud", "retention"],
    "new_processing": ["systems"],
    "purpose_outside_use": ["provisions"],
    "external_provision": ["provisions"],
    "collection_from_others": ["provisions"],
    "record_items": ["systems"],
    "worker_dispatch": ["vendors", "retention"],
}

KINDS = tuple(_BY_KIND)


def template(kind: str) -> str:
    """The starting proposal for a kind (a valid proposal once the placeholders are filled)."""
    text = _HEAD.format(kind=kind, label=LABELS["Kind"][kind])
    return text + "".join(_SECTIONS[s] for s in _BY_KIND[kind])
