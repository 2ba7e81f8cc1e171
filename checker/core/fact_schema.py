"""The fact types rules may name, and their fields: the contract between facts.py and the rule catalogue.

A rule's `when` patterns (checker/core/conditions.py) may only name these fact types and fields,
with values of these types and, for enum fields, the proposal schema's values; the catalogue
checks that when it loads. The same tables generate the reference for rule authors
(docs/facts.md, `shingikai rules facts`) and the `when` part of the rule schema
(schema/rule.schema.json, `shingikai rules schema`).

A field a proposal does not state is left out of its fact, so a rule can tell "said no"
(`eq: false`) from "did not say" (`missing: true`). Placeholders (○○, 未定, TBD) count as not stated.
"""
from __future__ import annotations

from checker.core.vocabulary import FLAGS

PIA_STAGES = {"collection": "入手", "use": "使用", "outsourcing": "委託", "provision": "提供・移転",
              "network_link": "情報提供ネットワークシステムとの接続", "storage": "保管・消去", "audit": "監査",
              "training": "従業者に対する教育・啓発", "other": "その他のリスク対策"}
CERT_FIELDS = ("isms", "iso27017", "iso27018", "pmark", "ismap", "lgwan_asp")

B, I, S = bool, int, str
FACT_FIELDS: dict[str, dict[str, type]] = {
    "proposal": {
        "procedure": S, "timing": S, "kind_count": I, "has_purpose": B, "has_effect": B,
        "has_business": B, "subjects_total": I, "children": B, "has_legal_basis": B,
        "has_ordinance_article": B, "sensitive_declared": B, "sensitive_justified": B,
        "vendor_count": I, "transfer_count": I, "item_count": I, "system_count": I,
        "provision_count": I, "has_cost": B, "sections": I, "paper_to_vendor": B,
        "electronic_to_vendor": B, "has_system_name": B, "identifiable": B, "approval_count": I,
        "has_title": B, "electronic": B, "vendor_handles_data": B, "careful_data": B,
        "subject_count": I, "delivery_count": I,
    },
    # One per safeguard area (rules/areas.yaml): state is stated / not_applicable / unstated.
    "coverage": {"area": S, "state": S, "label": S},
    "kind": {"value": S},
    "subject": {"name": S, "count": I, "children": B},
    "data_item": {"name": S, "category": S, "declared_sensitive": B, "declared_my_number": B,
                  "required": B, "has_use": B, "statutory_core": B, **{flag: B for flag in FLAGS}},
    "my_number": {"used": B, "has_legal_basis": B, "persons": I, "handlers": I,
                  "handlers_total": I, "serious_incident": B, "pia_done": B,
                  "certificates_with_number": B, "persons_band": S, "has_deletion": B},
    "vendor": {"name": S, "role": S, "cert_count": I, **{c: B for c in CERT_FIELDS},
               "selection_method": S, "selection_reasons": B, "quotes_compared": B,
               "track_record": B, "reentrustment_allowed": B, "reentrustment_conditions": B,
               "reentrustment_approval": B, "handlers": I, "overseas": B, "dispatch": B,
               "selection_decided": B, "mailing": B, "staff_list": B, "staff_change_notice": B,
               "training": B, "placeholder": B},
    "transfer": {"medium": S, "content": S, "encrypted": B, "password_separate": B,
                 "handover_record": B, "physical": B, "network": B, "to_vendor": B,
                 "from_vendor": B},
    "system": {"name": S, "location": S, "segment": S, "connects_to_core": B,
               "connected_externally": B, "has_relay": B, "relay_dmz": B, "relay_proxy": B,
               "relay_file_transfer": B, "relay_manual": B, "relay_from": S, "saas": B},
    "cloud": {"name": S, "terms": S, "cert_count": I, **{c: B for c in CERT_FIELDS},
              "data_location": S, "tenant_isolation": B, "backups": B,
              "encryption_at_rest": B, "exit_plan": B},
    "identity": {"method_count": I, "strong": B, "multiple_accounts_prevented": B,
                 "weakest": S},
    "identity_method": {"method": S},
    "access": {"method_count": I, "password_only": B, "id_password": B, "ip_restriction": B,
               "client_certificate": B, "biometrics": B, "mfa": B, "per_organisation": B,
               "role_based": B, "dedicated_terminal": B, "smart_devices": B,
               "remote_access": B, "external_users": B, "has_users": B, "individual_accounts": B,
               "need_to_know": B, "revoked_on_leave": B},
    "logging": {"access_logs": B, "periodic_review": B, "has_retention": B, "has_reviewer": B},
    "retention": {"has_period": B, "deletion_method": S, "proof": S, "confirmed_by": S,
                  "city_can_delete": B},
    "migration": {"medium": S, "checked_by": S},
    "contract": {"special_clauses": B, "responsibility_structure": B, "confidentiality": B,
                 "reuse_prohibited": B,
                 "audit_rights": B, "incident_reporting": B, "penalties": B},
    "pilot": {"has_period": B, "has_scope": B, "report_back": B, "has_criteria": B},
    "devices": {"mobile": B, "taken_home": B, "mdm": B, "web_filtering": B, "app_restriction": B},
    "biometrics": {"type": S, "template_only": B, "has_fallback": B, "removal_on_departure": B},
    "provision": {"recipient": S, "has_purpose": B, "has_legal_basis": B, "online": B,
                  "criterion": S, "has_necessity": B, "mynumber_basis": B, "agreement": B,
                  "national_infrastructure": B},
    # The specific PIA under third-party review (pia:), and one fact per risk stage of its form.
    "assessment": {"stated_level": S, "assessment_type": S, "assessed": S, "has_changes": B, "comment_held": B,
                   "comment_days": I, "comment_reason": B, "comments": I, "comments_reflected": B,
                   "withheld": B, "withheld_reason": B, "file_count": I, "flows_described": B,
                   "network_link": B, "years_since_last": I, "has_department": B,
                   "rated_sufficient": I, "rated_issues": I, "generic_stages": I,
                   "changes_before_review": I, "early_change": S, "comment_after_review": B,
                   "submitted_before_review": B, "submitted_after_five_years": B},
    "assessment_stage": {"stage": S, "label": S, "stated": B, "generic": B, "rating": S, "has_reason": B,
                         "has_actor": B, "has_frequency": B, "has_deletion": B, "has_medium": B,
                         "has_identity": B, "has_misuse_check": B, "has_deadline": B},
    "incident_response": {"plan": B, "has_detection": B, "has_reporting": B},
    "notice": {"publicity": B, "opt_in": B, "risk_warnings": B},
    "operations": {"internal_rules": B, "staff_training": B, "training_detail": B, "has_staffing": B},
    "collection": {"person": B, "representative": B, "other_body": B, "other_department": B,
                   "vendor": B, "public": B, "person_notified": B, "representatives": B,
                   "representative_check": B},
    "follow_up": {"report_back": B, "has_when": B, "has_measures": B},
    "maintenance": {"by_vendor": B, "remote": B, "has_controls": B},
    "file_register": {"listed": B},
    "approval": {"authority": S},
    "expansion": {"planned": B, "returns_to_council": B},
    "safeguard": {"id": S},
    # A transfer the proposal replaces (discontinued: true): history, not the plan.
    "former_transfer": {"medium": S, "physical": B, "network": B, "to_vendor": B},
    # A notice or certificate sent or handed to residents.
    "delivery": {"channel": S, "by_vendor": B, "volume": I, "unattended": B, "address_check": S},
}
# Where a whole-section fact points in the YAML (for lint locations).
SECTION_PATHS = {"my_number": "my_number", "cloud": "cloud", "identity": "identity_verification",
                 "access": "access_control", "logging": "logging", "retention": "retention",
                 "migration": "migration", "contract": "contract", "pilot": "pilot",
                 "devices": "devices", "biometrics": "biometrics",
                 "incident_response": "incident_response", "notice": "notice",
                 "operations": "operations", "expansion": "expansion", "collection": "collection",
                 "follow_up": "follow_up", "maintenance": "maintenance", "file_register": "file_register",
                 "assessment": "pia"}


# Fact types a proposal has at most one of (its head and its sections).
SINGLE_FACTS = frozenset({"proposal", *SECTION_PATHS})


# Fact type -> (where in the proposal it comes from, what one fact stands for), for the reference.
FACT_DOCS: dict[str, tuple[str, str]] = {
    "proposal": ("（案件全体）", "案件に 1 つ。手続・種類の数・目的などの記載の有無と、案件全体から数えた値。"),
    "coverage": ("rules/areas.yaml の記載事項", "安全管理の記載事項ごとに 1 つ。state は stated（記載あり）・not_applicable（該当なしと理由を記載）・unstated（記載なし）。"),
    "kind": ("kinds[]", "取扱いの種類ごとに 1 つ。"),
    "subject": ("subjects[]", "対象者の区分ごとに 1 つ。"),
    "data_item": ("data_items[]", "記録項目ごとに 1 つ。語彙（rules/vocabulary.yaml）で分類し、要配慮などの印（フラグ）を付ける。"),
    "my_number": ("my_number", "特定個人情報（個人番号）の取扱い。しきい値判断の人数区分を含む。"),
    "vendor": ("vendors[]", "委託先ごとに 1 つ。認証、選定、再委託、従事者の管理。"),
    "transfer": ("transfers[]", "個人情報の受け渡しごとに 1 つ（discontinued: true の廃止する受け渡しは former_transfer）。"),
    "former_transfer": ("transfers[]（discontinued: true）", "この案件で廃止する受け渡し。計画ではなく経緯として読む。"),
    "system": ("systems[]", "システムごとに 1 つ。設置場所、ネットワークの系、中継の仕組み。"),
    "cloud": ("cloud", "クラウドサービスの利用条件。"),
    "identity": ("identity_verification", "本人確認の方法のまとめ。"),
    "identity_method": ("identity_verification.methods[]", "本人確認の方法ごとに 1 つ。"),
    "access": ("access_control", "利用者の認証とアクセス権の管理。"),
    "logging": ("logging", "アクセス記録（ログ）の取得と確認。"),
    "retention": ("retention", "保存期間と消去・廃棄。"),
    "migration": ("migration", "データ移行の媒体と確認。"),
    "contract": ("contract", "委託契約の条項（特記事項など）。"),
    "pilot": ("pilot", "実証実験・試行の期間・範囲・報告。"),
    "devices": ("devices", "タブレット・スマートフォンなど端末の管理。"),
    "biometrics": ("biometrics", "生体認証の方式と管理。"),
    "provision": ("provisions[]", "外部提供・目的外利用の相手ごとに 1 つ。"),
    "assessment": ("pia", "第三者点検を受ける特定個人情報保護評価書（評価の種類・時期・意見聴取・公表）。"),
    "assessment_stage": ("pia.stages.<段階>", "評価書のリスク対策の段階（入手・使用・委託…）ごとに 1 つ。記載がない段階も stated: false として出る。"),
    "incident_response": ("incident_response", "事故（漏えい等）への対応の体制。"),
    "notice": ("notice", "本人への周知・同意。"),
    "operations": ("operations", "運用の規程・研修・体制。"),
    "collection": ("collection", "個人情報の取得元（本人・代理人・他機関など）。"),
    "follow_up": ("follow_up", "実施後の審議会への報告。"),
    "maintenance": ("maintenance", "保守（事業者による保守、遠隔保守）。"),
    "file_register": ("file_register", "個人情報ファイル簿への記載。"),
    "approval": ("approvals[]", "必要な承認・届出ごとに 1 つ。"),
    "expansion": ("expansion", "対象の拡大の予定。"),
    "safeguard": ("safeguards[]", "案件が申告した安全管理措置ごとに 1 つ（rules/safeguards.yaml の ID）。"),
    "delivery": ("deliveries[]", "住民への通知・証明書の送付・交付の経路ごとに 1 つ。"),
}

# Notes on fields whose name does not say it all (computed rather than copied from the proposal).
FIELD_NOTES: dict[str, dict[str, str]] = {
    "proposal": {
        "has_purpose": "目的が記載されている（仮置きは記載なし）。has_effect・has_business・has_title も同じ",
        "subjects_total": "対象者数（subjects[].count）の合計",
        "children": "対象者に子どもを含む",
        "sensitive_declared": "要配慮個人情報を含むと申告した（sensitive_data.included、または記録項目の sensitive）",
        "sensitive_justified": "要配慮個人情報を扱う理由を記載した",
        "sections": "記載された節（my_number、cloud、retention など）の数",
        "paper_to_vendor": "紙の資料を委託先へ渡す", "electronic_to_vendor": "電子データを委託先へ渡す",
        "electronic": "電子計算機で処理する（種類・システム・クラウド・電子の受け渡しから判断）",
        "vendor_handles_data": "委託先が個人情報を扱う",
        "careful_data": "要配慮個人情報か個人番号を扱う",
    },
    "coverage": {"area": "rules/areas.yaml の ID", "state": "stated / not_applicable / unstated",
                 "label": "記載事項の名称（理由の文に使う）"},
    "data_item": {"category": "語彙の分類コード（語彙にない語は unknown）",
                  "declared_sensitive": "記録項目に sensitive: true と書いた",
                  "declared_my_number": "記録項目に my_number: true と書いた",
                  "has_use": "その項目の用途（use）を記載した",
                  "statutory_core": "第三者点検で、評価の対象の事務そのものが法令上扱う分類の項目（語彙の statutory_core）",
                  **{flag: f"語彙がこの項目に付けた印「{flag}」" for flag in FLAGS}},
    "my_number": {"handlers_total": "市と委託先の取扱者数の合計",
                  "persons_band": "しきい値判断の対象人数の区分（under_1k / 1k_to_10k / 10k_to_100k / 100k_to_300k / 300k_plus）",
                  "has_deletion": "個人番号の削除の方法を記載した"},
    "vendor": {"cert_count": "認証の数（isms ほか各認証の有無も項目）",
               "selection_reasons": "選定の理由を記載した", "track_record": "実績を記載した",
               "mailing": "役割が封入・封緘・発送など郵送物を扱う", "placeholder": "名称が仮置き（○○）のまま"},
    "transfer": {"physical": "手渡し・郵送・USB など物理的な受け渡し", "network": "ネットワーク経由の受け渡し",
                 "to_vendor": "委託先へ渡す", "from_vendor": "委託先から受け取る"},
    "system": {"has_relay": "別の系から中継する仕組みがある（relay_* はその種類）",
               "saas": "標準規約の SaaS に置く"},
    "identity": {"strong": "公的個人認証など確かな方法を含む", "weakest": "最も弱い方法"},
    "access": {"password_only": "認証が ID・パスワードだけ", "has_users": "利用者の範囲を記載した"},
    "assessment": {"stated_level": "評価書の種類（basic / focused / full）", "assessed": "評価の時期（システムの構築・変更の前か後か）",
                   "comment_days": "意見聴取（パブリックコメント）の日数", "years_since_last": "前回の公表から会議の日までの年数",
                   "rated_sufficient": "「十分」「特に力を入れている」と自己評価した段階の数",
                   "rated_issues": "「課題が残されている」と自己評価した段階の数",
                   "generic_stages": "記載が定型文だけの段階の数",
                   "changes_before_review": "重要な変更のうち、点検の日より前に実施され、その前に別に評価していないものの数",
                   "early_change": "そのうち最初の変更の内容",
                   "comment_after_review": "意見聴取の終了日が点検の日以後",
                   "submitted_before_review": "委員会への提出日が点検の日より前",
                   "submitted_after_five_years": "委員会への提出日が、前回の公表から 5 年を経過する日以後"},
    "assessment_stage": {"stated": "リスク対策を記載した", "generic": "記載がない、または定型文だけ",
                         "has_reason": "自己評価の理由を記載した",
                         "has_actor": "対策・理由が担当（誰が）を示す", "has_frequency": "頻度・時機（いつ）を示す",
                         "has_deletion": "削除・廃棄の時期か確認を示す", "has_medium": "受け渡しの方法・媒体を示す",
                         "has_identity": "本人確認・照合の方法を示す",
                         "has_misuse_check": "事務外の使用を見つける方法（抽出・照会の理由の確認など）を示す", "has_deadline": "課題の解決の期限（年・年度）を示す"},
    "operations": {"training_detail": "研修の対象・頻度・内容のいずれかを記載した"},
    "provision": {"mynumber_basis": "根拠が番号法（第 19 条など）", "has_necessity": "提供の必要性を記載した",
                  "national_infrastructure": "提供先が国の共通基盤（情報提供ネットワークシステム、住基ネット、eLTAX など。語彙の national_infrastructure）"},
    "delivery": {"unattended": "コンビニ・キオスクなど無人の交付"},
}


def _enum_fields() -> dict[str, str]:
    """Fact field -> the proposal enum (by name) whose values it holds."""
    return {"procedure": "Procedure", "timing": "Timing", "value": "Kind", "medium": "Medium",
            "content": "Content", "location": "Location", "segment": "Segment",
            "relay_from": "Segment", "data_location": "DataLocation", "method": "IdentityMethod",
            "weakest": "IdentityMethod", "deletion_method": "DeletionMethod", "proof": "Proof",
            "confirmed_by": "Checker", "checked_by": "Checker", "selection_method": "SelectionMethod",
            "channel": "DeliveryChannel", "address_check": "Checker",
            "type": "BiometricType", "terms": "CloudTerms", "criterion": "Criterion",
            "rating": "Rating", "stated_level": "AssessmentLevel", "assessment_type": "AssessmentType",
            "assessed": "AssessmentTiming"}


ENUM_FIELDS = _enum_fields()
