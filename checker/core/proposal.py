"""The proposal schema: what a department states about one agenda item (pydantic v2).

This module is the single source of truth: `schema/proposal.schema.json` and the editor
completion are generated from it. Enum values are English identifiers; their Japanese
labels live in LABELS so that reports and error messages can show them.

Annotations here are evaluated as the classes are defined (no `from __future__ import annotations`):
pydantic then reads the types themselves instead of evaluating ~500 strings, ~4 ms of a cold start.
"""
import datetime as dt
from enum import Enum
from typing import Any, Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Strict(BaseModel):
    """Every model rejects unknown keys so that a typo never silently drops a statement.

    defer_build (here and on the other models of core/): pydantic builds a model's validator when it
    is first used instead of when the class is created. A cold `check` creates ~90 model classes but
    validates with few of them (the catalogue comes from the cache already validated): ~10 ms less."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True, populate_by_name=True, defer_build=True)


class Procedure(str, Enum):
    consultation = "consultation"
    report = "report"
    pre_review = "pre_review"
    unknown = "unknown"


class Kind(str, Enum):
    outsourcing = "outsourcing"
    external_linkage = "external_linkage"
    cloud = "cloud"
    new_processing = "new_processing"
    purpose_outside_use = "purpose_outside_use"
    external_provision = "external_provision"
    collection_from_others = "collection_from_others"
    record_items = "record_items"
    worker_dispatch = "worker_dispatch"
    pia_review = "pia_review"
    other = "other"


class Timing(str, Enum):
    before_start = "before_start"
    after_start = "after_start"
    unknown = "unknown"


class Certification(str, Enum):
    isms = "isms"
    iso27017 = "iso27017"
    iso27018 = "iso27018"
    pmark = "pmark"
    ismap = "ismap"
    ismap_liu = "ismap_liu"
    lgwan_asp = "lgwan_asp"
    soc2 = "soc2"
    other = "other"


class SelectionMethod(str, Enum):
    competitive_bid = "competitive_bid"
    proposal_competition = "proposal_competition"
    quotation_comparison = "quotation_comparison"
    sole_source = "sole_source"
    existing_contractor = "existing_contractor"
    designated_by_law = "designated_by_law"
    unknown = "unknown"


class Medium(str, Enum):
    hand = "hand"
    post = "post"
    security_courier = "security_courier"
    usb = "usb"
    encrypted_media = "encrypted_media"
    email = "email"
    fax = "fax"
    lgwan = "lgwan"
    lgwan_asp = "lgwan_asp"
    dedicated_line = "dedicated_line"
    internet_tls = "internet_tls"
    internet = "internet"
    web_form = "web_form"
    phone = "phone"
    internal_mail = "internal_mail"
    file_transfer_appliance = "file_transfer_appliance"
    public_line = "public_line"
    government_network = "government_network"


class Content(str, Enum):
    paper = "paper"
    electronic = "electronic"


class Place(str, Enum):
    """Where a system or its data stands; the contract form is System.terms (the old `location` mixed both)."""

    on_premises = "on_premises"
    vendor_datacentre = "vendor_datacentre"
    cloud = "cloud"
    government_cloud = "government_cloud"
    standalone_terminal = "standalone_terminal"
    mobile_device = "mobile_device"
    unknown = "unknown"


class Segment(str, Enum):
    my_number = "my_number"
    lgwan = "lgwan"
    internet = "internet"
    closed = "closed"
    vendor = "vendor"


class Relay(str, Enum):
    dmz_server = "dmz_server"
    proxy_server = "proxy_server"
    file_transfer = "file_transfer"
    manual_media = "manual_media"


class CloudTerms(str, Enum):
    standard = "standard"
    negotiated = "negotiated"
    unknown = "unknown"


class DataLocation(str, Enum):
    domestic = "domestic"
    overseas = "overseas"
    unknown = "unknown"


class IdentityMethod(str, Enum):
    none = "none"
    sns_account = "sns_account"
    id_password = "id_password"
    email_or_sms = "email_or_sms"
    jpki = "jpki"
    card_with_pin = "card_with_pin"
    counter_documents = "counter_documents"
    photo_upload = "photo_upload"
    call_back = "call_back"
    kiosk_card = "kiosk_card"
    birth_date_and_number = "birth_date_and_number"


class AccessMethod(str, Enum):
    id_password = "id_password"
    ip_restriction = "ip_restriction"
    client_certificate = "client_certificate"
    biometrics = "biometrics"
    mfa = "mfa"
    per_organisation = "per_organisation"
    role_based = "role_based"
    dedicated_terminal = "dedicated_terminal"


class DeletionMethod(str, Enum):
    overwrite = "overwrite"
    physical_destruction = "physical_destruction"
    dissolution = "dissolution"
    shredding = "shredding"
    incineration = "incineration"
    return_to_city = "return_to_city"
    vendor_standard = "vendor_standard"
    unknown = "unknown"


class Proof(str, Enum):
    none = "none"
    certificate = "certificate"
    witnessed = "witnessed"
    log = "log"
    unknown = "unknown"


class Checker(str, Enum):
    one_clerk = "one_clerk"
    supervisor = "supervisor"
    two_persons = "two_persons"
    vendor_only = "vendor_only"
    person_confirmed = "person_confirmed"
    unknown = "unknown"


class BiometricType(str, Enum):
    palm_vein = "palm_vein"
    fingerprint = "fingerprint"
    face = "face"
    other = "other"


class Source(str, Enum):
    person = "person"
    representative = "representative"
    other_body = "other_body"
    other_department = "other_department"
    vendor = "vendor"
    public = "public"


class Criterion(str, Enum):
    law = "law"
    consent = "consent"
    internal_reasonable = "internal_reasonable"
    other_body_reasonable = "other_body_reasonable"
    statistics_research = "statistics_research"
    person_interest = "person_interest"
    special_reason = "special_reason"
    ordinance_public_interest = "ordinance_public_interest"
    unknown = "unknown"


class AssessmentLevel(str, Enum):
    basic = "basic"
    focused = "focused"
    full = "full"
    unknown = "unknown"


class AssessmentType(str, Enum):
    new = "new"
    reassessment = "reassessment"
    change = "change"
    unknown = "unknown"


class AssessmentTiming(str, Enum):
    before = "before"
    after = "after"
    unknown = "unknown"


class Rating(str, Enum):
    focused = "focused"
    sufficient = "sufficient"
    issues = "issues"
    not_applicable = "not_applicable"
    unknown = "unknown"


class DeliveryChannel(str, Enum):
    post = "post"
    email = "email"
    sms = "sms"
    counter = "counter"
    kiosk = "kiosk"
    convenience_store = "convenience_store"
    web_download = "web_download"
    hand_delivery = "hand_delivery"


# --- AI, government cloud, cloud layers and messaging platforms (issue 19) ---
class ServiceModel(str, Enum):
    iaas = "iaas"
    paas = "paas"
    saas = "saas"


class RegisteredLayer(str, Enum):
    service = "service"
    platform = "platform"
    none = "none"


class AiContractor(str, Enum):
    city = "city"
    vendor = "vendor"


# Japanese labels for every enum value, shown in reports, errors and the JSON Schema.
LABELS: dict[str, dict[str, str]] = {
    "Procedure": {"consultation": "諮問", "report": "報告", "pre_review": "事前審査（諮問・報告の前の点検）",
                  "unknown": "未定・未記載"},
    # Processing types (取扱いの類型) in the terms of the Act as amended; the ids keep the old triggers' names.
    "Kind": {
        "outsourcing": "取扱いの委託（外部委託）", "external_linkage": "外部とのオンライン接続（情報の提供・受領）",
        "cloud": "クラウドサービスの利用", "new_processing": "新たな情報システムでの処理",
        "purpose_outside_use": "利用目的以外の利用（目的外利用）", "external_provision": "外部への提供",
        "collection_from_others": "本人以外からの取得", "record_items": "保有する項目の追加・変更",
        "worker_dispatch": "派遣労働者による取扱い", "pia_review": "特定個人情報保護評価の第三者点検",
        "other": "その他の取扱い",
    },
    "AssessmentLevel": {"basic": "基礎項目評価", "focused": "基礎項目評価＋重点項目評価",
                        "full": "基礎項目評価＋全項目評価", "unknown": "未記載"},
    "AssessmentType": {"new": "新規の評価", "reassessment": "評価の再実施", "change": "重要な変更に伴う評価",
                       "unknown": "未記載"},
    "AssessmentTiming": {"before": "システムの構築・変更の前", "after": "システムの構築・変更の後", "unknown": "未記載"},
    "Rating": {"focused": "特に力を入れている", "sufficient": "十分である", "issues": "課題が残されている",
               "not_applicable": "該当なし", "unknown": "未記載"},
    "Timing": {"before_start": "実施前に諮問・報告", "after_start": "実施後の事後報告", "unknown": "未記載"},
    "Certification": {
        "isms": "ISMS（ISO/IEC 27001）", "iso27017": "ISO/IEC 27017", "iso27018": "ISO/IEC 27018",
        "pmark": "プライバシーマーク", "ismap": "ISMAP", "ismap_liu": "ISMAP-LIU（低リスクの SaaS 向け）", "lgwan_asp": "LGWAN-ASP 登録",
        "soc2": "SOC 2", "other": "その他の認証",
    },
    "SelectionMethod": {
        "competitive_bid": "一般競争入札", "proposal_competition": "プロポーザル",
        "quotation_comparison": "見積合わせ", "sole_source": "随意契約（特命）",
        "existing_contractor": "既存システム事業者", "designated_by_law": "法令等による指定",
        "unknown": "未記載",
    },
    "Medium": {
        "hand": "手渡し", "post": "郵送", "security_courier": "セキュリティ便（専用搬送）",
        "usb": "USB メモリ", "encrypted_media": "暗号化媒体", "email": "電子メール", "fax": "FAX",
        "lgwan": "LGWAN", "lgwan_asp": "LGWAN-ASP", "dedicated_line": "専用回線",
        "internet_tls": "インターネット（TLS 暗号化）", "internet": "インターネット（暗号化なし）",
        "web_form": "Web フォーム", "phone": "電話", "internal_mail": "庁内便（逓送）",
        "file_transfer_appliance": "ファイル転送装置（庁内の自動連携）",
        "public_line": "公衆回線（電話回線・ISDN）", "government_network": "政府共通ネットワーク",
    },
    "Content": {"paper": "紙", "electronic": "電子データ"},
    "Place": {
        "on_premises": "庁内（オンプレミス）", "vendor_datacentre": "事業者のデータセンター",
        "cloud": "クラウドサービス", "government_cloud": "ガバメントクラウド",
        "standalone_terminal": "スタンドアロン端末", "mobile_device": "携帯端末", "unknown": "未記載",
    },
    "Segment": {
        "my_number": "マイナンバー利用事務系", "lgwan": "LGWAN 接続系",
        "internet": "インターネット接続系", "closed": "閉域網", "vendor": "事業者環境",
    },
    "Relay": {
        "dmz_server": "DMZ サーバ", "proxy_server": "プロキシサーバ",
        "file_transfer": "ファイル転送（自動連携）", "manual_media": "媒体による手作業の移送",
    },
    "DataLocation": {"domestic": "国内", "overseas": "国外", "unknown": "不明"},
    "CloudTerms": {"standard": "約款・利用規約による利用", "negotiated": "個別契約", "unknown": "未記載"},
    "Source": {
        "person": "本人", "representative": "代理人・家族", "other_body": "他の行政機関・法人",
        "other_department": "庁内の他の部署", "vendor": "委託先・事業者", "public": "公開されている情報",
    },
    "Criterion": {
        "law": "法令の規定に基づく（第69条第1項）", "consent": "本人の同意・本人への提供（第69条第2項第1号）",
        "internal_reasonable": "内部利用で相当の理由（同第2号）",
        "other_body_reasonable": "他の行政機関等への提供で相当の理由（同第3号）",
        "statistics_research": "統計・学術研究（同第4号）", "person_interest": "本人以外に提供することが明らかに本人の利益（同第4号）",
        "special_reason": "特別の理由（同第4号）", "ordinance_public_interest": "条例の公益上の必要（改正前の条例）",
        "unknown": "未記載",
    },
    "IdentityMethod": {
        "none": "本人確認なし", "sns_account": "SNS アカウント", "id_password": "ID・パスワード",
        "email_or_sms": "メール・SMS 認証", "jpki": "公的個人認証（JPKI）",
        "card_with_pin": "カード＋暗証番号", "counter_documents": "窓口での書類確認",
        "photo_upload": "本人確認書類の画像送信", "call_back": "折り返し電話",
        "kiosk_card": "キオスク端末でのカード読取", "birth_date_and_number": "生年月日＋番号の照合",
    },
    "AccessMethod": {
        "id_password": "ID・パスワード", "ip_restriction": "IP アドレス制限",
        "client_certificate": "クライアント証明書", "biometrics": "生体認証", "mfa": "多要素認証",
        "per_organisation": "組織ごとの閲覧範囲制限", "role_based": "権限による制御",
        "dedicated_terminal": "専用端末に限定",
    },
    "DeletionMethod": {
        "overwrite": "上書き消去", "physical_destruction": "物理破壊", "dissolution": "溶解",
        "shredding": "裁断（シュレッダー）", "incineration": "焼却", "return_to_city": "市へ返却",
        "vendor_standard": "事業者の標準手順", "unknown": "未記載",
    },
    "Proof": {"none": "証明なし", "certificate": "証明書", "witnessed": "職員の立会い", "log": "作業記録", "unknown": "未記載"},
    "Checker": {
        "one_clerk": "担当職員 1 名", "supervisor": "上司（管理職）", "two_persons": "複数名",
        "vendor_only": "事業者のみ", "person_confirmed": "本人が確かめた宛先（確認コード等）", "unknown": "未記載",
    },
    "BiometricType": {"palm_vein": "手のひら静脈", "fingerprint": "指紋", "face": "顔", "other": "その他"},
    "DeliveryChannel": {
        "post": "郵送", "email": "電子メール", "sms": "SMS", "counter": "窓口での交付",
        "kiosk": "庁舎等のキオスク端末", "convenience_store": "コンビニエンスストアの端末",
        "web_download": "Web でのダウンロード", "hand_delivery": "訪問・手渡し",
    },
    "ServiceModel": {"iaas": "IaaS（基盤）", "paas": "PaaS（実行環境）", "saas": "SaaS（アプリケーションまで提供）"},
    "RegisteredLayer": {"service": "サービスそのものが登録・認証されている", "platform": "下の基盤（IaaS・PaaS）だけが登録されている",
                        "none": "登録されていない"},
    "AiContractor": {"city": "市が AI の提供者と直接契約する", "vendor": "委託先が AI の提供者と契約する（市から見て再委託）"},
}


def label(enum_name: str, value: str) -> str:
    """The Japanese label of an enum value (the value itself when unknown)."""
    return LABELS.get(enum_name, {}).get(value, value)


def _describe(enum: type[Enum], text: str) -> str:
    choices = "、".join(f"{m.value}={label(enum.__name__, m.value)}" for m in enum)
    return f"{text}（{choices}）"


Text = Annotated[str, Field(min_length=1)]


class LegalBasis(Strict):
    ordinance_articles: list[str] = Field(default_factory=list, description="諮問・報告の根拠となる条例の条項（例: 第8条第2項第4号）")
    laws: list[str] = Field(default_factory=list, description="事務の根拠法令")
    act_articles: list[str] = Field(default_factory=list, description="個人情報保護法の条項（例: 第69条第2項第2号）")
    explanation: str = Field("", description="根拠の説明")


class Subject(Strict):
    name: Text = Field(description="対象者（例: 40〜74歳の国保被保険者）")
    count: int | None = Field(None, ge=0, description="対象者数（概数）")
    children: bool | None = Field(None, description="子ども（18歳未満）を含むか（分からなければ書かない）")


class DataItem(Strict):
    name: Text = Field(description="記録項目名（資料の表記のまま）")
    sensitive: bool | None = Field(None, description="要配慮個人情報として申告するか")
    my_number: bool | None = Field(None, description="個人番号（特定個人情報）か")
    required: bool | None = Field(None, description="必須の項目か（false = 任意で記入してもらう項目）")
    use: str = Field("", description="この項目を何に使うか（例: 審査、連絡、統計・分析）")
    note: str = Field("", description="補足")


class SensitiveData(Strict):
    included: bool | None = Field(None, description="要配慮個人情報を取り扱うと申告するか")
    justification: str = Field("", description="取り扱う必要性の説明")


class MyNumber(Strict):
    used: bool | None = Field(None, description="個人番号を利用するか")
    legal_basis: str = Field("", description="番号利用の根拠（番号法別表・条例）")
    persons: int | None = Field(None, ge=0, description="特定個人情報ファイルの対象人数")
    handlers: int | None = Field(None, ge=0, description="取扱者数（委託先を含む）")
    serious_incident: bool | None = Field(None, description="過去1年以内の重大事故の有無（分からなければ書かない）")
    pia_done: bool | None = Field(None, description="特定個人情報保護評価を実施済みか")
    certificates_with_number: bool | None = Field(None, description="個人番号が記載される証明書・帳票を扱うか")
    deletion: str = Field("", description="不要になった個人番号（特定個人情報）を削除する時期と方法")


class Selection(Strict):
    method: SelectionMethod = Field(SelectionMethod.unknown, description=_describe(SelectionMethod, "選定方法"))
    reasons: str = Field("", description="この事業者を選んだ理由")
    quotes_compared: bool | None = Field(None, description="複数者の見積・提案を比較したか")
    decided: bool | None = Field(None, description="委託先が決まっているか（false=諮問時点で未定）")


class Reentrustment(Strict):
    allowed: bool | None = Field(None, description="再委託を認めるか（未定なら書かない）")
    conditions: str = Field("", description="再委託を認める条件・範囲")
    prior_approval: bool | None = Field(None, description="市の事前承認を要するか")


class Vendor(Strict):
    name: Text | None = Field(None, description="委託先等の名称（未定・非公表なら書かない）")
    role: str = Field("", description="役割（例: 印刷・封入封緘、システム保守）")
    certifications: list[Certification] = Field(default_factory=list, description=_describe(Certification, "取得認証"))
    selection: Selection | None = Field(None, description="事業者の選定（方法・比較・理由）")
    track_record: str = Field("", description="他自治体等での実績")
    reentrustment: Reentrustment | None = Field(None, description="再委託（有無・承認・条件）")
    handlers: int | None = Field(None, ge=0, description="委託先で個人情報を扱う人数")
    staff_list: bool | None = Field(None, description="個人情報を扱う従事者の名簿を提出させるか")
    staff_change_notice: bool | None = Field(None, description="従事者が替わるときに届け出させ、新しい従事者に研修・誓約をさせるか")
    training: bool | None = Field(None, description="委託先の従事者に個人情報保護の研修をさせるか")
    overseas: bool | None = Field(None, description="国外の事業者・拠点か（分からなければ書かない）")
    dispatch: bool | None = Field(None, description="労働者派遣の派遣元か")


class Delivery(Strict):
    what: Text = Field(description="住民に届ける通知・証明書等の名称")
    channel: DeliveryChannel | None = Field(None, description=_describe(DeliveryChannel, "届け方・交付の方法（未定なら書かない）"))
    by_vendor: bool | None = Field(None, description="委託先が印刷・封入封緘・発送するか")
    volume: int | None = Field(None, ge=0, description="年間の通数・交付件数（概数）")
    address_check: Checker = Field(Checker.unknown, description=_describe(Checker, "宛先・封入物の照合を確認する人"))


class Transfer(Strict):
    description: str = Field("", description="受け渡しの内容")
    from_: Text = Field(alias="from", description="渡す側")
    to: Text = Field(description="受け取る側")
    medium: Medium | None = Field(None, description=_describe(Medium, "受け渡しの方法（未定なら書かない）"))
    content: Content | None = Field(None, description=_describe(Content, "紙か電子データか（書かなければ、方法から電子と分かる場合だけ電子として扱う）"))
    encrypted: bool | None = Field(None, description="暗号化しているか")
    password_separate: bool | None = Field(None, description="パスワードを別経路で伝えるか")
    handover_record: bool | None = Field(None, description="受渡簿など授受の記録を残すか")
    discontinued: bool = Field(False, description="変更前の方法で、今後は使わない受け渡しか")


class System(Strict):
    name: Text = Field(description="システム・保管場所の名称")
    place: Place | None = Field(None, description=_describe(Place, "設置・保管場所（分からなければ書かない）"))
    terms: CloudTerms | None = Field(None, description=_describe(CloudTerms, "事業者の設備・サービスを使う場合の契約の形態"))
    segment: Segment | None = Field(None, description=_describe(Segment, "ネットワーク区分"))
    connects_to_core: bool | None = Field(None, description="基幹系システムとつながるか（分からなければ書かない）")
    connected_externally: bool | None = Field(None, description="庁外（インターネット・他機関）とつながるか（分からなければ書かない）")
    relays: list[Relay] = Field(default_factory=list, description=_describe(Relay, "他の区分からデータを取り込む経路"))
    relay_from: Segment | None = Field(None, description="取り込み元のネットワーク区分")


class Cloud(Strict):
    service: Text | None = Field(None, description="サービス名（未定なら書かない）")
    terms: CloudTerms = Field(CloudTerms.unknown, description=_describe(CloudTerms, "契約の形態"))
    certifications: list[Certification] = Field(default_factory=list, description=_describe(Certification, "事業者の認証"))
    data_location: DataLocation = Field(DataLocation.unknown, description=_describe(DataLocation, "データの保管場所"))
    tenant_isolation: bool | None = Field(None, description="他の利用者とデータが分離されているか")
    backups: bool | None = Field(None, description="バックアップがあるか")
    encryption_at_rest: bool | None = Field(None, description="保存データを暗号化しているか")
    exit_plan: bool | None = Field(None, description="契約終了時のデータ返却・消去が定められているか")
    # What is registered versus what the city uses: an ISMAP entry for the IaaS under a SaaS says nothing
    # of the SaaS itself (issue 19).
    service_model: ServiceModel | None = Field(None, description=_describe(ServiceModel, "利用するサービスの形態"))
    registered_layer: RegisteredLayer | None = Field(
        None, description=_describe(RegisteredLayer, "ISMAP・ISMAP-LIU の登録が及ぶ範囲"))
    data_return_format: str = Field("", description="契約終了時に返却されるデータの形式（例: CSV と項目定義書）と、他の事業者への移行の方法")


class IdentityVerification(Strict):
    methods: list[IdentityMethod] = Field(min_length=1, description=_describe(IdentityMethod, "申請者の本人確認方法"))
    multiple_accounts_prevented: bool | None = Field(None, description="一人が複数アカウントで申請することを防げるか")
    note: str = Field("", description="補足")


class AccessControl(Strict):
    methods: list[AccessMethod] = Field(default_factory=list, description=_describe(AccessMethod, "職員・委託先のアクセス制御"))
    users: str = Field("", description="利用できる職員・委託先の範囲（例: 担当係の職員 5 名）")
    individual_accounts: bool | None = Field(None, description="職員ごとに ID を割り当てるか（共用 ID を使わないか）")
    need_to_know: bool | None = Field(None, description="業務に必要な範囲・項目に限って閲覧できるよう権限を設定するか")
    revoked_on_leave: bool | None = Field(None, description="異動・退職時に権限を削除し、定期的に権限を見直すか")
    smart_devices: bool | None = Field(None, description="スマートフォン・タブレットから使うか")
    remote_access: bool | None = Field(None, description="庁外・委託先からリモートで操作するか")
    external_users: bool | None = Field(None, description="他機関・委託先の職員も利用するか")


class Logging(Strict):
    access_logs: bool | None = Field(None, description="閲覧・操作の記録を残すか")
    periodic_review: bool | None = Field(None, description="記録を定期的に点検するか")
    reviewer: str = Field("", description="記録を点検する人（例: 所属長）")
    retention: str = Field("", description="記録の保存期間")


class Retention(Strict):
    period: str = Field("", description="保存期間")
    deletion_method: DeletionMethod = Field(DeletionMethod.unknown, description=_describe(DeletionMethod, "委託先等での消去・廃棄方法"))
    proof: Proof = Field(Proof.unknown, description=_describe(Proof, "消去・廃棄の証明"))
    confirmed_by: Checker = Field(Checker.unknown, description=_describe(Checker, "消去を確認する人"))
    city_can_delete: bool | None = Field(None, description="市が委託先のデータを自ら消去・指示できるか")


class Migration(Strict):
    description: str = Field("", description="移行の内容（何を、どこからどこへ）")
    medium: Medium | None = Field(None, description=_describe(Medium, "移行データの受け渡し方法"))
    checked_by: Checker = Field(Checker.unknown, description=_describe(Checker, "移行結果を確認する人"))


class Contract(Strict):
    special_clauses: bool | None = Field(None, description="個人情報取扱特記事項を付けるか")
    responsibility_structure: bool | None = Field(None, description="責任体制（責任者・連絡体制）を契約に明記するか")
    confidentiality: bool | None = Field(None, description="守秘義務を課すか")
    audit_rights: bool | None = Field(None, description="市が立入検査・報告を求められるか")
    incident_reporting: bool | None = Field(None, description="事故時の報告義務があるか")
    penalties: bool | None = Field(None, description="違反時の契約解除・損害賠償を定めるか")
    reuse_prohibited: bool | None = Field(None, description="委託先による目的外利用・統計等への二次利用を禁じるか")


class Pilot(Strict):
    period: str = Field("", description="実証期間")
    scope: str = Field("", description="対象範囲")
    report_back: bool | None = Field(None, description="結果を審議会に報告するか")
    criteria: str = Field("", description="本格実施の判断基準")


class Devices(Strict):
    mobile: bool | None = Field(None, description="タブレット等の携帯端末を使うか")
    taken_home: bool | None = Field(None, description="端末を持ち帰るか")
    mdm: bool | None = Field(None, description="端末管理（MDM）をするか")
    web_filtering: bool | None = Field(None, description="Web フィルタリングをするか")
    app_restriction: bool | None = Field(None, description="アプリの導入を制限するか")


class Biometrics(Strict):
    type: BiometricType = Field(description=_describe(BiometricType, "生体情報の種類"))
    template_only: bool | None = Field(None, description="特徴量（テンプレート）のみ保存するか")
    fallback: str = Field("", description="登録できない人・障害時の代替手段")
    removal_on_departure: bool | None = Field(None, description="退職・異動時に削除するか")


class Provision(Strict):
    recipient: Text | None = Field(None, description="提供先・利用する部署（名称が未定なら書かない）")
    purpose: str = Field("", description="提供・利用の目的")
    legal_basis: str = Field("", description="提供・目的外利用の根拠")
    agreement: bool | None = Field(None, description="提供先と協定・覚書などで利用目的・安全管理の条件を定めるか")
    criterion: Criterion | None = Field(None, description=_describe(Criterion, "個人情報保護法第69条等のどの要件に当たるか"))
    necessity: str = Field("", description="その要件に当たると判断した理由")
    online: bool | None = Field(None, description="オンラインで提供するか（分からなければ書かない）")
    person_notified: bool | None = Field(None, description="提供・目的外利用を本人に知らせるか（本人通知）")
    notification: str = Field("", description="本人への知らせ方、または知らせない理由（例: 法令に基づく提供で通知の定めがない）")


class IncidentResponse(Strict):
    plan: bool | None = Field(None, description="漏えい時の対応手順があるか")
    detection: str = Field("", description="漏えいの検知方法")
    reporting: str = Field("", description="報告・連絡体制")


class Notice(Strict):
    publicity: bool | None = Field(None, description="住民に周知するか")
    opt_in: bool | None = Field(None, description="本人の選択（同意）による利用か")
    risk_warnings: bool | None = Field(None, description="利用上の注意を周知するか")


class Training(Strict):
    provided: bool | None = Field(None, description="研修を行うか")
    audience: str = Field("", description="対象（例: 担当職員、委託先の従事者）")
    frequency: str = Field("", description="頻度・時期（例: 年 1 回、配属時）")
    content: str = Field("", description="内容（例: 閲覧の制限、漏えい時の対応）")


class Operations(Strict):
    internal_rules: bool | None = Field(None, description="運用要領・マニュアルを定めるか")
    staff_training: bool | Training | None = Field(None, description="職員研修（true/false、または対象・頻度・内容）")
    staffing: str = Field("", description="運用体制・人員")


class Collection(Strict):
    sources: list[Source] = Field(default_factory=list, description=_describe(Source, "個人情報をどこから得るか"))
    person_notified: bool | None = Field(None, description="本人に利用目的を明示・通知するか")
    representatives: bool | None = Field(None, description="代理人・家族による申請・届出を受けるか")
    representative_check: str = Field("", description="代理人の権限・本人との関係の確認方法")
    note: str = Field("", description="補足")


class Necessity(Strict):
    reason: str = Field("", description="この取扱いが必要な理由")
    alternatives: str = Field("", description="検討した、個人情報をより使わない方法と採らなかった理由")


class FollowUp(Strict):
    report_back: bool | None = Field(None, description="実施後に運用状況を審議会に報告するか")
    when: str = Field("", description="報告の時期")
    measures: str = Field("", description="報告する指標（利用件数、問合せ・事故の件数など）")


class Maintenance(Strict):
    by_vendor: bool | None = Field(None, description="事業者がシステムを保守するか")
    remote: bool | None = Field(None, description="事業者が庁外からリモートで保守するか")
    controls: str = Field("", description="保守作業の管理（事前承認、立会い、作業記録、接続の遮断など）")


class FileRegister(Strict):
    listed: bool | None = Field(None, description="個人情報ファイル簿に記載している（する）か")
    name: str = Field("", description="個人情報ファイルの名称")


class Approval(Strict):
    authority: Text = Field(description="承認・認可した機関（例: 個人情報保護委員会、所管省庁）")
    subject: str = Field("", description="何についての承認か")
    date: dt.date | None = Field(None, description="承認の日付")


class Expansion(Strict):
    planned: bool | None = Field(None, description="対象業務・手続を今後増やす予定か")
    returns_to_council: bool | None = Field(None, description="追加のたびに審議会に諮るか")
    note: str = Field("", description="補足")


class AcceptedRisk(Strict):
    rule: Text = Field(description="受容するルール ID")
    reason: Text = Field(description="受容する理由（必須）")
    approved_by: str = Field("", description="承認者")
    until: dt.date | None = Field(None, description="受容の期限（YYYY-MM-DD）")


class StageMeasures(Strict):
    measures: str = Field("", description="評価書に記載したリスク対策（具体的に: 誰が、いつ、どの頻度で、何を）")
    rating: Rating = Field(Rating.unknown, description=_describe(Rating, "リスクへの対策は十分か（自己評価）"))
    reason: str = Field("", description="評価の根拠（その評価とした理由）")


class PiaStages(Strict):
    """全項目評価書 III・IV のリスク対策（段階ごと）。該当しない段階は rating: not_applicable と理由。"""

    collection: StageMeasures | None = Field(None, description="III 入手（情報提供ネットワークシステムを通じた入手を除く）")
    use: StageMeasures | None = Field(None, description="III 使用（紐付け、権限のない者の使用、事務外の使用、複製）")
    outsourcing: StageMeasures | None = Field(None, description="III 特定個人情報ファイルの取扱いの委託")
    provision: StageMeasures | None = Field(None, description="III 特定個人情報の提供・移転（委託・ネットワークによるものを除く）")
    network_link: StageMeasures | None = Field(None, description="III 情報提供ネットワークシステムとの接続")
    storage: StageMeasures | None = Field(None, description="III 特定個人情報の保管・消去")
    audit: StageMeasures | None = Field(None, description="IV 監査（自己点検・監査）")
    training: StageMeasures | None = Field(None, description="IV 従業者に対する教育・啓発")
    other: StageMeasures | None = Field(None, description="IV その他のリスク対策")


class PublicComment(Strict):
    held: bool | None = Field(None, description="住民等の意見を聴いたか")
    start: dt.date | None = Field(None, description="意見募集の開始日")
    end: dt.date | None = Field(None, description="意見募集の終了日")
    days: int | None = Field(None, ge=0, description="意見募集の日数（開始日・終了日を書かない場合）")
    shortened_reason: str = Field("", description="30 日より短くした特段の理由")
    comments: int | None = Field(None, ge=0, description="寄せられた意見の件数")
    reflected: str = Field("", description="意見をどう考慮し、評価書にどう反映したか")


class PiaFile(Strict):
    name: Text | None = Field(None, description="特定個人情報ファイルの名称（分からなければ書かない）")
    persons: int | None = Field(None, ge=0, description="対象となる本人の数")
    sources: list[str] = Field(default_factory=list, description="入手元（本人、他の行政機関、庁内の他の事務など）")
    recipients: list[str] = Field(default_factory=list, description="提供先・移転先")
    network_link: bool | None = Field(None, description="情報提供ネットワークシステムで照会・提供するか")
    flow: str = Field("", description="事務の中での特定個人情報の流れ（入手から消去まで）")


# Dates of a specific PIA (issue 20): the changes it covers with their go-live, the council's
# sittings that review it and its submission, so that the draft compares them instead of trusting `timing`.
class PiaChange(Strict):
    what: Text = Field(description="変更の内容（システムの移行、委託の開始など）")
    go_live: dt.date | None = Field(None, description="変更の実施（稼働・委託の開始）の日")
    significant: bool = Field(True, description="重要な変更（評価の再実施を要する変更）に当たるか")
    assessed: dt.date | None = Field(None, description="この変更について評価書を公表した日（変更の前に別に評価した場合）")


class Pia(Strict):
    """特定個人情報保護評価書（第三者点検の対象）の記載。"""

    body: str = Field("", description="評価実施機関（例: ○○市長）")
    work: Text = Field(description="評価対象の事務")
    department: str = Field("", description="評価を担当し、リスク対策に責任を負う部署")
    level: AssessmentLevel = Field(AssessmentLevel.unknown, description=_describe(AssessmentLevel, "評価書の種類"))
    assessment: AssessmentType = Field(AssessmentType.unknown, description=_describe(AssessmentType, "新規・再実施・変更"))
    timing: AssessmentTiming = Field(AssessmentTiming.unknown, description=_describe(AssessmentTiming, "評価の時期"))
    changes: str = Field("", description="再実施・変更の場合、前回の評価から何が変わったか")
    last_published: dt.date | None = Field(None, description="前回の評価書の公表日")
    public_comment: PublicComment | None = Field(None, description="住民等からの意見の聴取")
    withheld: str = Field("", description="公表しない部分")
    withheld_reason: str = Field("", description="公表しない理由（セキュリティ上の支障など）")
    files: list[PiaFile] = Field(default_factory=list, description="特定個人情報ファイル")
    stages: PiaStages = Field(default_factory=PiaStages, description="リスク対策（段階ごと）")
    dated_changes: list[PiaChange] = Field(default_factory=list, description="評価の対象とする変更と、その実施の日")
    review_dates: list[dt.date] = Field(default_factory=list, description="第三者点検の審議の日（部会・審議会。書かなければ meeting_date）")
    submission: dt.date | None = Field(None, description="個人情報保護委員会への提出（予定）日")


# --- AI, government cloud, continuity and messaging platforms (issue 19). Every yes/no is tri-state:
# null means "not stated", so a rule can ask about it; nothing here defaults to an answer.
class Ai(Strict):
    """AI（生成 AI のチャットボット、AI-OCR、音声認識など）を使う場合の記載。"""

    name: Text = Field(description="AI を使う機能・サービスの名称（例: 問合せ対応チャットボット）")
    generative: bool | None = Field(None, description="生成 AI（文章・画像を生成する AI）か")
    provider: str = Field("", description="AI（モデル・API）の提供者")
    contracted_by: AiContractor | None = Field(None, description=_describe(AiContractor, "AI の提供者と契約するのは誰か"))
    provider_overseas: bool | None = Field(None, description="提供者が外国の事業者か（外国の法令が及ぶか）")
    region: DataLocation | None = Field(None, description=_describe(DataLocation, "入力が処理・保存される地域"))
    training_use: bool | None = Field(None, description="入力（プロンプト）や会話の記録が AI の学習・改善に使われるか")
    training_clause: bool | None = Field(None, description="学習・改善に使わないことを契約・利用規約の条項で確かめたか")
    provider_retention: str = Field("", description="提供者が入力を保存する期間と目的（例: 不正利用の監視のため 30 日）")
    residents_facing: bool | None = Field(None, description="住民が直接使うか（false = 職員だけが使う）")
    disclosed_to_users: bool | None = Field(None, description="利用者に AI が答えていることを示すか")
    free_text: bool | None = Field(None, description="利用者が自由に文章を入力できるか")
    input_warning: bool | None = Field(None, description="氏名・病気など個人に関することを入力しないよう案内するか")
    input_masking: bool | None = Field(None, description="個人情報を提供者へ送る前に検出して取り除くか")
    minors: bool | None = Field(None, description="子どもが使うことを想定するか")
    scope: str = Field("", description="答える範囲（例: ごみの出し方と施設案内の FAQ）")
    excluded: str = Field("", description="答えない・判断しない事項（例: 給付の受給資格、税額、個別の相談）")
    decides: bool | None = Field(None, description="個人についての判断（受給資格・審査の結果など）を AI が行うか")
    human_review: bool | None = Field(None, description="職員が AI の出力を確かめる（公開前の点検、回答の定期的な点検）か")
    responsibility: str = Field("", description="誤った回答をしたときの対応と責任（訂正、問合せ先）")
    log_retention: str = Field("", description="会話記録の保存期間")
    log_readers: str = Field("", description="会話記録を読む人と目的（例: 担当課の職員 2 名が回答の改善のため月 1 回）")


class GovernmentCloud(Strict):
    """ガバメントクラウド・標準準拠システムへの移行・利用の記載（関係者ごとの役割）。"""

    standard_system: bool | None = Field(None, description="標準準拠システム（基幹業務システムの標準化）か")
    csp: str = Field("", description="クラウドサービス事業者（CSP）")
    operator: str = Field("", description="ガバメントクラウド運用管理補助者")
    app_vendor: str = Field("", description="アプリケーション（標準準拠システム）の事業者")
    csp_accesses_data: bool | None = Field(None, description="クラウドサービス事業者がデータの内容に触れるか")
    operator_accesses_data: bool | None = Field(None, description="運用管理補助者が個人情報・個人番号に触れるか")
    vendor_accesses_data: bool | None = Field(None, description="アプリケーション事業者が個人情報・個人番号に触れるか（保守・障害対応）")
    region: DataLocation | None = Field(None, description=_describe(DataLocation, "データを置くリージョン"))
    contract_chain: str = Field("", description="契約の関係（デジタル庁の利用権、運用管理補助者・アプリケーション事業者との契約）")
    pia_change: bool | None = Field(None, description="移行を重要な変更として特定個人情報保護評価を再実施するか")
    pia_sections: str = Field("", description="評価書で改める箇所（例: III 委託、III 保管・消去）")
    migration_from: str = Field("", description="移行元のシステムと、旧システムのデータの消去")


class Continuity(Strict):
    """サービスが止まったときの業務の継続。"""

    fallback: str = Field("", description="サービスが止まったときに窓口・業務をどう続けるか（例: 紙の受付票で受け付け、復旧後に入力）")
    recovery_target: str = Field("", description="稼働率・復旧の目標（SLA）")
    tested: bool | None = Field(None, description="停止時の手順を訓練・試験したか")


class Messaging(Strict):
    """LINE などのメッセージアプリ・SNS を住民との窓口にする場合の記載。"""

    platform: Text = Field(description="使うメッセージアプリ・SNS（例: LINE 公式アカウント）")
    data_on_platform: bool | None = Field(None, description="相談・申請の内容がメッセージアプリの事業者側に保存されるか")
    separate_system: bool | None = Field(None, description="内容をメッセージアプリとは別の委託先のシステムに直接保存するか")
    procedures: list[str] = Field(default_factory=list, description="受け付ける手続（例: 粗大ごみの収集申込、住民票の写しの交付請求）")
    certificate_requests: bool | None = Field(None, description="証明書（住民票の写し・戸籍・課税証明など）の交付請求を受け付けるか")


# --- Issue 18 (h-law): the regime a proposal is judged under, and the article of the Act each
# handling rests on. Kept in one block so that the schema rewrite (h-schema) can merge around it.
class Regime(str, Enum):
    act = "act"
    ordinance = "ordinance"


class ActArticle(str, Enum):
    art61 = "art61"
    art62 = "art62"
    art63 = "art63"
    art64 = "art64"
    art65 = "art65"
    art66_1 = "art66_1"
    art66_2 = "art66_2"
    art67 = "art67"
    art68 = "art68"
    art69_1 = "art69_1"
    art69_2_1 = "art69_2_1"
    art69_2_2 = "art69_2_2"
    art69_2_3 = "art69_2_3"
    art69_2_4 = "art69_2_4"
    art70 = "art70"
    art71 = "art71"
    art74 = "art74"
    art75 = "art75"


LABELS.update({
    "Regime": {"act": "現行法（個人情報保護法。令和5年4月1日から地方公共団体に適用）",
               "ordinance": "旧条例（令和5年3月31日までの個人情報保護条例）"},
    "ActArticle": {
        "art61": "第61条（保有の制限・利用目的の特定）", "art62": "第62条（利用目的の明示）",
        "art63": "第63条（不適正な利用の禁止）", "art64": "第64条（適正な取得）", "art65": "第65条（正確性の確保）",
        "art66_1": "第66条第1項（安全管理措置）", "art66_2": "第66条第2項（委託を受けた者等の安全管理措置）",
        "art67": "第67条（従事者の義務。派遣労働者を含む）", "art68": "第68条（漏えい等の報告・本人への通知）",
        "art69_1": "第69条第1項（法令に基づく利用・提供）",
        "art69_2_1": "第69条第2項第1号（本人の同意・本人への提供）",
        "art69_2_2": "第69条第2項第2号（内部での利用で相当の理由）",
        "art69_2_3": "第69条第2項第3号（他の行政機関等への提供で相当の理由）",
        "art69_2_4": "第69条第2項第4号（統計・学術研究、本人の利益、特別の理由）",
        "art70": "第70条（提供先への措置要求）", "art71": "第71条（外国にある第三者への提供）",
        "art74": "第74条（個人情報ファイルの保有等に関する事前通知）", "art75": "第75条（個人情報ファイル簿の作成・公表）",
    },
})


class ActBasis(Strict):
    kind: Kind = Field(description=_describe(Kind, "どの取扱いについての根拠か"))
    articles: list[ActArticle] = Field(min_length=1, description=_describe(ActArticle, "その取扱いが拠る個人情報保護法の条項"))
    regular: bool | None = Field(None, description="定期的・継続的に行う取扱いか（例: 毎月の提供。false = その都度・臨時）")
    note: str = Field("", description="補足（どの法令の規定に基づくかなど）")
# --- end of the issue 18 block ---


class Origin(Strict):
    minutes: Text = Field(description="会議録ファイル名")
    item: Text = Field(description="会議録に記載された案件番号")


def _string_or_item(schema: dict[str, Any]) -> None:
    """In the JSON Schema a data item may also be a bare name, as the validator accepts."""
    schema["items"] = {"anyOf": [{"type": "string", "minLength": 1}, schema["items"]]}


class Proposal(Strict):
    """個人情報保護審議会に諮問・報告する案件（1 件）の記述。"""

    id: Text = Field(description="案件 ID（ファイル内で一意な識別子）")
    title: Text = Field(description="件名")
    municipality: str = Field("", description="自治体名")
    department: str = Field("", description="担当課")
    meeting_date: dt.date | None = Field(None, description="審議会の開催日")
    procedure: Procedure = Field(Procedure.unknown, description=_describe(Procedure, "諮問・報告・事前審査のどれか"))
    timing: Timing = Field(Timing.unknown, description=_describe(Timing, "実施前か事後か"))
    system: str = Field("", description="対象システム名（議題のまとめに使う）")
    related: list[str] = Field(default_factory=list, description="一緒に審議すべき関連案件の ID")
    legal_basis: LegalBasis = Field(default_factory=LegalBasis, description="根拠法令（事務の根拠となる法律・条例の規定）")
    kinds: list[Kind] = Field(min_length=1, description=_describe(Kind, "取扱いの類型"))
    business: str = Field("", description="対象業務")
    purpose: str = Field("", description="目的")
    effect: str = Field("", description="効果")
    subjects: list[Subject] = Field(default_factory=list, description="対象者と人数")
    data_items: list[DataItem] = Field(default_factory=list, description="記録項目（文字列だけでも可）",
                                       json_schema_extra=_string_or_item)
    sensitive_data: SensitiveData | None = Field(None, description="要配慮個人情報の申告")
    my_number: MyNumber | None = Field(None, description="個人番号（マイナンバー）の取扱いと特定個人情報保護評価のしきい値")
    vendors: list[Vendor] = Field(default_factory=list, description="委託先・事業者（名称・役割・認証・選定・再委託）")
    transfers: list[Transfer] = Field(default_factory=list, description="データ・書類の受け渡し")
    deliveries: list[Delivery] = Field(default_factory=list, description="住民への通知・証明書等の送付・交付")
    systems: list[System] = Field(default_factory=list, description="保管・処理する場所とネットワーク")
    cloud: Cloud | None = Field(None, description="クラウドサービス（名称・契約の形態・認証・保管場所）")
    identity_verification: IdentityVerification | None = Field(None, description="本人確認の方法")
    access_control: AccessControl | None = Field(None, description="アクセス制御（利用者・権限・認証・端末）")
    logging: Logging | None = Field(None, description="操作・閲覧の記録と、その点検")
    retention: Retention | None = Field(None, description="保存期間と消去・廃棄（証明の方法）")
    migration: Migration | None = Field(None, description="データ移行（方法・確認者）")
    contract: Contract | None = Field(None, description="契約（特記事項・責任体制・監査）")
    pilot: Pilot | None = Field(None, description="実証実験（期間・範囲・結果の報告）")
    devices: Devices | None = Field(None, description="端末（台数・持ち帰り・端末管理）")
    biometrics: Biometrics | None = Field(None, description="生体情報（種類・保存の形・削除）")
    provisions: list[Provision] = Field(default_factory=list, description="目的外利用・外部提供・外部結合の相手先")
    incident_response: IncidentResponse | None = Field(None, description="漏えい等の事故への対応")
    notice: Notice | None = Field(None, description="住民への周知")
    operations: Operations | None = Field(None, description="運用（体制・運用要領・処理量）")
    expansion: Expansion | None = Field(None, description="今後の対象業務・手続の追加")
    collection: Collection | None = Field(None, description="取得元と本人への明示")
    necessity: Necessity | None = Field(None, description="必要性と代替手段の検討")
    follow_up: FollowUp | None = Field(None, description="実施後の報告（実証実験以外も）")
    maintenance: Maintenance | None = Field(None, description="システムの保守")
    file_register: FileRegister | None = Field(None, description="個人情報ファイル簿への記載")
    identifiable: bool | None = Field(None, description="特定の個人を識別できる情報か（false = 統計など個人を識別できない情報のみ）")
    approvals: list[Approval] = Field(default_factory=list, description="国・監督機関等の承認・認可")
    not_applicable: dict[str, Text] = Field(default_factory=dict, description="当てはまらない記載事項とその理由（例: logging: 紙だけで扱うため）")
    pia: Pia | None = Field(None, description="特定個人情報保護評価書（第三者点検の対象）")
    ai: Ai | None = Field(None, description="AI（生成 AI を含む）の利用")
    government_cloud: GovernmentCloud | None = Field(None, description="ガバメントクラウド・標準準拠システム")
    continuity: Continuity | None = Field(None, description="サービスが止まったときの業務の継続")
    messaging: Messaging | None = Field(None, description="メッセージアプリ・SNS を窓口にする場合")
    cost_yen: int | None = Field(None, ge=0, description="経費（円）")
    safeguards: list[str] = Field(default_factory=list, description="講じている安全管理措置の ID（shingikai rules list で確認）")
    accepted_risks: list[AcceptedRisk] = Field(default_factory=list, description="理由を付けて受容するリスク")
    # --- issue 18 (h-law) ---
    regime: Regime | None = Field(None, description=_describe(Regime, "どの制度の下で読むか（省略時は開催日で決まる。2023-04-01以降・日付なしは常に現行法）"))
    act_basis: list[ActBasis] = Field(default_factory=list, description="取扱いごとの個人情報保護法上の根拠条項（任意）")
    # --- end ---
    origin: Origin | None = Field(None, description="会議録から再構成した案件の出典")
    notes: str = Field("", description="補足")

    @field_validator("data_items", mode="before")
    @classmethod
    def _names_as_items(cls, value: Any) -> Any:
        # A bare string is the common case: `- 氏名`.
        if isinstance(value, list):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _unique_safeguards(self) -> "Proposal":
        seen: set[str] = set()
        for sid in self.safeguards:
            if sid in seen:
                raise ValueError(f"安全管理措置 {sid} が重複しています")
            seen.add(sid)
        return self
