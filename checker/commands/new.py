"""`shingikai new`: a commented starting proposal for each processing type (取扱いの類型).

The scaffold states nothing on the department's behalf: every value is a placeholder (○○), `unknown`
or left empty, and every yes/no question is left unanswered (`null`), because a scaffold that
said `encrypted: true` would let an unedited file pass for a safeguarded one. Placeholders count as
unstated (checker/core/coverage.py), so an unedited scaffold is checked as the empty proposal it is: the
purpose alone is a high finding of the kind that defers an item, and the report is never 承認 or
総合リスク 低 (a test runs every kind).
"""
from __future__ import annotations

from checker.core.proposal import LABELS

_HEAD = """\
# yaml-language-server: $schema=proposal.schema.json
# （スキーマは `shingikai schema --output proposal.schema.json` で同じフォルダに作成できます）
# 個人情報保護審議会 諮問・報告案件（{label}）のひな形です。
# 「○○」や unknown、null のままの項目は「記載なし」として点検されます。分かることを書き、
# 当てはまらない事項は not_applicable に理由を書いてください。点検: shingikai check このファイル.yaml
id: "○○-001"                      # 案件 ID（課内で一意に。数字だけなら引用符で囲む）
title: ○○業務の{label}について     # 件名
municipality: ○○市
department: ○○課
# meeting_date: 2026-04-01        # 審議会の開催日
procedure: unknown                # consultation=諮問 / report=報告 / pre_review=事前審査 / unknown=未定
timing: unknown                   # before_start=実施前 / after_start=事後報告 / unknown=未記載
legal_basis:
  ordinance_articles: [第○条第○項]  # 自治体の条例の条項（2023-03-31 までの旧条例下の案件では諮問・報告の根拠）
  laws: [○○法]                     # 事務の根拠法令
kinds: [{kind}]
# act_basis:                      # 取扱いが拠る個人情報保護法の条項（任意）: art61 / art64 / art66_2 / art67 / art69_1 / art69_2_1〜art69_2_4 / art71 / art75 …
#   - {{kind: {kind}, articles: [art66_2], regular: null}}   # regular: 定期的・継続的に行うか
# regime: act                     # 判断の基準（省略時は開催日で決まる。2023-04-01 以降・日付なしは常に現行法）
business: ○○業務                 # 対象業務
purpose: ○○のため                # 目的（何のために個人情報を使うか）
effect: ○○が可能になる            # 効果
necessity:
  reason: ○○                      # この取扱いが必要な理由
  alternatives: ○○                # 個人情報をより使わない方法を検討した結果
subjects:
  - {{name: ○○の対象者, count: null, children: null}}   # count: 対象者数（概数）、children: 子どもを含むか
data_items:                       # 記録項目（資料の表記のまま。任意項目は {{name: ○○, required: false, use: ○○}}）
  - ○○
# sensitive_data: {{included: false, justification: ""}}  # 要配慮個人情報（病歴・障害等）の有無を必ず書く
collection:
  sources: []                     # person=本人 / representative=代理人・家族 / other_body=他機関 / other_department=庁内他課
  person_notified: null           # 本人に利用目的を示すか（true / false）
access_control:
  users: ○○                       # 利用できる職員・委託先の範囲と人数
  methods: []                     # id_password / mfa / ip_restriction / client_certificate / role_based ...
  individual_accounts: null       # 職員ごとに ID を割り当てるか
  need_to_know: null              # 業務に必要な範囲に閲覧を限るか
  revoked_on_leave: null          # 異動・退職時に権限を削除するか
  remote_access: null             # 庁外・委託先からリモートで操作するか
  smart_devices: null             # スマートフォン・タブレットから使うか
  external_users: null            # 他機関・委託先の職員も使うか
logging:
  access_logs: null               # 閲覧・操作の記録を残すか
  periodic_review: null           # 記録を定期的に点検するか
  reviewer: ○○                    # 点検する人（例: 所属長）
retention:
  period: ○○                      # 保存期間
  deletion_method: unknown        # overwrite / physical_destruction / dissolution / return_to_city ...
  proof: none                     # none / certificate / witnessed / log
  confirmed_by: unknown           # one_clerk / supervisor / two_persons
# not_applicable:                 # 当てはまらない事項と理由（例）
#   logging: 紙の申請書だけを扱い、電子計算機で処理しないため
"""

_SECTIONS = {
    "vendors": """\
vendors:
  - name: ○○株式会社              # 未定・非公表なら name を書かない
    role: ○○の実施
    overseas: null                # 国外の事業者・拠点か
    certifications: []            # isms / pmark / iso27017 / ismap / lgwan_asp ...
    selection: {method: unknown, reasons: ○○}   # method: competitive_bid / proposal_competition ...
    track_record: ○○              # 他自治体での実績
    staff_list: null              # 従事者名簿を出させるか
    staff_change_notice: null     # 従事者の交代時に届け出させ、研修・誓約をさせるか
    # reentrustment: {allowed: false}   # 再委託の有無（認めるなら conditions と prior_approval も）
# transfers:                      # 受け渡しの方法（例）
#   - {from: ○○課, to: ○○株式会社, medium: lgwan, content: electronic, encrypted: true}
contract:
  special_clauses: null           # 個人情報取扱特記事項を付けるか
  responsibility_structure: null  # 責任体制を契約に明記するか
  confidentiality: null
  audit_rights: null              # 市が立入検査・報告を求められるか
  incident_reporting: null
""",
    "systems": """\
systems:
  - name: ○○システム
    place: unknown                # on_premises / vendor_datacentre / cloud / government_cloud / standalone_terminal ...
    terms: unknown                # 事業者の設備・クラウドなら standard=約款 / negotiated=個別契約
    # segment: lgwan              # my_number / lgwan / internet / closed
    connected_externally: null    # 庁外（インターネット・他機関）とつながるか
    connects_to_core: null        # 基幹系システムとつながるか
maintenance:
  by_vendor: null                 # 事業者が保守するか
  remote: null                    # 庁外からのリモート保守があるか
  controls: ○○                    # 保守作業の承認・記録・立会い
""",
    "cloud": """\
cloud:
  service: ○○クラウド
  terms: unknown                  # standard=約款 / negotiated=個別契約
  certifications: []              # iso27017 / iso27018 / ismap ...
  data_location: unknown          # domestic / overseas
  tenant_isolation: null
  backups: null
  exit_plan: null
  service_model: null             # iaas / paas / saas
  registered_layer: null          # ISMAP 等の登録の範囲: service=サービスそのもの / platform=下の基盤だけ / none
  data_return_format: ○○          # 契約終了時に返すデータの形式（例：CSV と項目定義書）
continuity:
  fallback: ○○                    # サービスが止まったときに窓口・業務をどう続けるか
  recovery_target: ○○             # 稼働率・復旧の目標
""",
    "provisions": """\
provisions:
  - recipient: ○○
    purpose: ○○
    legal_basis: ○○               # 根拠（法令・条例の条項）
    criterion: unknown            # law / consent / internal_reasonable / other_body_reasonable / special_reason ...
    necessity: ○○                 # その要件に当たると判断した理由
    online: null                  # オンラインで提供するか
    person_notified: null         # 本人に知らせるか（本人通知）
    notification: ○○              # 知らせ方、または知らせない理由
""",
    "follow_up": """\
follow_up:
  report_back: null               # 運用開始後に審議会へ報告するか
  when: ○○
  measures: ○○                    # 報告する指標（利用件数、問合せ・事故の件数など）
""",
}

_PIA = """\
my_number:
  used: true
  legal_basis: ○○                 # 番号法第9条・別表の該当事務
  persons: null                   # 特定個人情報ファイルの対象人数
  handlers: null                  # 取扱者数（委託先の従事者は vendors[].handlers に）
  serious_incident: null          # 過去 1 年以内の重大事故（true / false）
  certificates_with_number: null  # 個人番号を記載する証明書・帳票を扱うか
  pia_done: true
  deletion: ○○                    # 不要になった個人番号を削除する時期・方法・確認者
pia:
  body: ○○市長                    # 評価実施機関
  work: ○○に関する事務            # 評価対象の事務
  department: ○○課                # 評価を担当し、対策に責任を負う部署
  level: unknown                  # basic=基礎項目評価 / focused=重点項目評価 / full=全項目評価
  assessment: unknown             # new=新規 / reassessment=再実施 / change=重要な変更
  timing: unknown                 # before / after（システムの構築・変更の前か後か）
  changes: ○○                     # 再実施・変更の場合、前回から変わった点
  dated_changes:                  # 評価の対象とする変更と実施の日（点検の日と比べる）
    - {what: ○○, go_live: null}   # go_live: 稼働・委託の開始の日（YYYY-MM-DD）
  last_published: null            # 前回の評価書の公表日（5 年を経過する前の再実施の目安）
  review_dates: []                # 第三者点検の審議の日（部会・審議会。空なら meeting_date）
  submission: null                # 個人情報保護委員会への提出（予定）日
  public_comment:
    start: null                   # 意見募集の開始日（YYYY-MM-DD）
    end: null
    comments: null                # 寄せられた意見の件数
    reflected: ○○                 # 意見の考慮と評価書への反映
  files:
    - name: ○○ファイル
      persons: null
      sources: [○○]               # 入手元
      recipients: [○○]            # 提供先
      network_link: null          # 情報提供ネットワークシステムで照会・提供するか
      flow: ○○                    # 入手から消去までの流れ
  stages:                         # 段階ごとの対策（誰が・いつ・どの頻度で・何を）と自己評価
    collection: {measures: ○○, rating: unknown}     # rating: focused / sufficient / issues / not_applicable
    use: {measures: ○○, rating: unknown}
    outsourcing: {measures: ○○, rating: unknown}
    provision: {measures: ○○, rating: unknown}
    network_link: {measures: ○○, rating: unknown}
    storage: {measures: ○○, rating: unknown}
    audit: {measures: ○○, rating: unknown}
    training: {measures: ○○, rating: unknown}
    other: {measures: ○○, rating: unknown}
"""
_SECTIONS["pia"] = _PIA

# Sections that apply to some proposals of any kind: left as comments so the scaffold states nothing.
_OPTIONAL = """# --- 当てはまる場合だけ、先頭の「# 」を外して書く ---
# ai:                             # AI（生成 AI のチャットボット、AI-OCR など）を使う場合
#   name: ○○                      # 機能・サービスの名称
#   generative: null              # 生成 AI か
#   provider: ○○                  # AI（モデル・API）の提供者
#   contracted_by: null           # city=市が契約 / vendor=委託先が契約（市から見て再委託）
#   provider_overseas: null       # 提供者が外国の事業者か
#   region: null                  # domestic / overseas / unknown（入力を処理・保存する地域）
#   training_use: null            # 入力・会話の記録が学習・改善に使われるか
#   training_clause: null         # 学習に使わないことを契約・規約の条項で確かめたか
#   provider_retention: ○○        # 提供者が入力を保存する期間と目的
#   residents_facing: null        # 住民が直接使うか
#   disclosed_to_users: null      # AI が答えていることを示すか
#   free_text: null               # 自由に文章を入力できるか
#   input_warning: null           # 個人に関することを入力しないよう案内するか
#   input_masking: null           # 個人情報を送る前に取り除くか
#   minors: null                  # 子どもが使うことを想定するか
#   scope: ○○                     # 答える範囲
#   excluded: ○○                  # 答えない・判断しない事項（受給資格、税額など）
#   decides: null                 # 個人についての判断を AI が行うか
#   human_review: null            # 職員が出力を確かめるか
#   responsibility: ○○            # 誤った回答への対応と責任
#   log_retention: ○○             # 会話記録の保存期間
#   log_readers: ○○               # 会話記録を読む人と目的
# government_cloud:               # ガバメントクラウド・標準準拠システムの場合
#   standard_system: null
#   csp: ○○                       # クラウドサービス事業者
#   operator: ○○                  # ガバメントクラウド運用管理補助者
#   app_vendor: ○○                # アプリケーション事業者
#   csp_accesses_data: null       # それぞれ個人情報・個人番号に触れるか
#   operator_accesses_data: null
#   vendor_accesses_data: null
#   region: null                  # domestic / overseas / unknown
#   contract_chain: ○○            # デジタル庁の利用権と、各事業者との契約の関係
#   pia_change: null              # 重要な変更として評価を再実施するか
#   pia_sections: ○○              # 評価書で改める箇所
#   migration_from: ○○            # 移行元と旧システムのデータの扱い
# messaging:                      # LINE などを住民との窓口にする場合
#   platform: ○○
#   data_on_platform: null        # 相談・申請の内容がアプリの事業者側に残るか
#   separate_system: null         # 別の委託先のシステムに直接保存するか
#   procedures: [○○]              # 受け付ける手続
#   certificate_requests: null    # 証明書（住民票の写しなど）の請求を受け付けるか
"""

_BY_KIND = {
    "outsourcing": ["vendors"],
    "external_linkage": ["systems", "provisions"],
    "cloud": ["systems", "cloud", "vendors", "follow_up"],
    "new_processing": ["systems", "follow_up"],
    "purpose_outside_use": ["provisions"],
    "external_provision": ["provisions"],
    "collection_from_others": ["provisions"],
    "record_items": ["systems"],
    "worker_dispatch": ["vendors"],
    "pia_review": ["pia", "systems"],
    "other": [],
}

KINDS = tuple(_BY_KIND)


def template(kind: str) -> str:
    """The starting proposal for a kind (valid against the schema; every value still to be filled)."""
    text = _HEAD.format(kind=kind, label=LABELS["Kind"][kind])
    return text + "".join(_SECTIONS[s] for s in _BY_KIND[kind]) + _OPTIONAL
