"""A fixed Report built from the models alone (not from the live rule base), for golden files.

It exercises every state a reporter must show: an open deferral-kind high finding, a finding whose
residual severity was lowered by one declared safeguard, a covered finding, an accepted risk and
an expired acceptance, plus a notice.
"""
from __future__ import annotations

import datetime as dt

from checker.core.council import CouncilGround, CouncilNeed
from checker.core.findings import (Acceptance, Finding, Location, PrecedentRef, ProposalSummary, Report,
                                   SafeguardCheck, likely_topics, sort_findings, summarise)
from checker.core.likelihood import GUIDANCE_ONLY, CalibratedOn
from checker.core.outcome import assess
from checker.core.proposal import label


def _sg(sid: str, text: str, write: str, declared: bool) -> SafeguardCheck:
    return SafeguardCheck(id=sid, text=text, write=write, declared=declared)


def sample_report() -> Report:
    proposal = ProposalSummary(
        file="proposals/examples/sample-golden.yaml", id="sample-golden",
        title="見本市 子育て支援システムのクラウド移行", municipality="見本市", department="こども家庭課",
        meeting_date=dt.date(2030, 5, 20), procedure="consultation", procedure_label="諮問",
        kinds=["outsourcing", "cloud"], kind_labels=[label("Kind", "outsourcing"), label("Kind", "cloud")],
        purpose="相談記録を一元管理し、支援の引継ぎを確実にするため", business="子育て相談の記録管理",
        subjects=["相談を受けた保護者と子ども（約1,200人）"], vendors=["見本システム株式会社"],
        data_item_count=6, declared_safeguards=["media-encryption", "vendor-audit"],
        origin={"minutes": "002_b0e95e3b61938bf8.txt", "item": "(2)",
                "citation": "志木市情報公開・個人情報保護審議会 令和2年度第3回（2021-02-17） 議題(2)"},
        regime="act", regime_label="現行法（個人情報保護法。令和5年4月1日から地方公共団体に適用）",
        regime_reason="開催日が改正法の施行日（令和5年4月1日）以後のため、現行法で判断します。")
    findings = [
        Finding(
            rule_id="SEN-901", title="要配慮個人情報に当たる項目があるのに申告していない", topic="sensitive_data",
            topic_label="要配慮個人情報", severity="high", residual_severity="high", status="open", likelihood=0.82, likelihood_n=5, likelihood_k=4, deferral=True,
            because="記録項目「障害の有無」は要配慮個人情報に当たるが、案件では申告していない。",
            questions=["この項目を要配慮個人情報としなかった理由は何ですか。", "その項目が業務に必要な理由を説明してください。"],
            safeguards=[_sg("sensitive-declaration", "要配慮個人情報を含むことを明記し、必要性を説明する",
                            "該当する項目名と、その項目が必要な理由を記載する", False)],
            precedents=[PrecedentRef(source="004_c339a8eb093e21c8.txt", item="(2)",
                                     note="障害や病歴を含むのに申告がなく、資料を求めて継続審議となった。",
                                     title="吹田市個人情報保護審議会 第74回（2022-01-21）", kind="minutes", regime="旧条例下"),
                        PrecedentRef(source="個人情報保護法", item="第75条第1項", note="ファイル簿に要配慮個人情報を含む旨を記載する。",
                                     title="個人情報の保護に関する法律", kind="law", edition="令和3年法律第37号による改正後")],
            locations=[Location(path="data_items[3]", line=14, column=5)]),
        Finding(
            rule_id="NET-901", title="他の区分からマイナンバー利用事務系へデータを橋渡しする", topic="network_connection",
            topic_label="ネットワークの接続", severity="high", residual_severity="high", status="open", likelihood=0.7, likelihood_n=3, likelihood_k=2, deferral=True,
            because="「申請管理システム」はマイナンバー利用事務系にあり、LGWAN 接続系からデータを取り込む。",
            questions=["どの経路で、どの区分からデータを取り込みますか。"],
            safeguards=[_sg("segment-one-way", "取込みは一方向・無害化を経た経路に限る", "取込みの経路と無害化の方法を記載する", False)],
            precedents=[PrecedentRef(source="004_c339a8eb093e21c8.txt", item="(2)", note="区分をまたぐ連携の説明が足りず、継続審議となった。")],
            locations=[Location(path="systems[0]", line=26, column=5)]),
        Finding(
            rule_id="TRN-901", title="媒体で委託先へ受け渡す", topic="transfer_method", topic_label="データの受け渡し方法",
            severity="high", residual_severity="medium", status="open", likelihood=0.55, likelihood_n=4, likelihood_k=2,
            because="委託先への受け渡しに USB メモリ を使う計画になっている。",
            questions=["媒体を紛失した場合、どう気付き、どう対応しますか。"],
            safeguards=[_sg("media-encryption", "媒体を暗号化し、パスワードは別経路で伝える", "暗号化方式と伝達方法を記載する", True),
                        _sg("handover-record", "受渡簿で授受を記録し、双方が確認する", "受渡簿の様式と確認者を記載する", False)],
            precedents=[PrecedentRef(source="001_dd092029e2b65e8c.txt", item="①", note="USB 媒体の持込みが問われた。")],
            locations=[Location(path="transfers[0]", line=22, column=5)]),
        Finding(
            rule_id="CLD-901", title="約款型クラウドに個人情報を保存する", topic="cloud_service", topic_label="クラウドサービス",
            severity="medium", residual_severity="medium", status="accepted", likelihood=0.4, likelihood_label=GUIDANCE_ONLY,
            because="保存先が約款による利用のクラウドサービスである。",
            questions=["事業者の都合で約款が変わった場合、どう対応しますか。"],
            safeguards=[_sg("cloud-exit-plan", "契約終了時のデータ返却・消去を定める", "返却・消去の手順を記載する", False)],
            precedents=[PrecedentRef(source="003_3a1b27192e1934e4.txt", item="諮問69", note="初めての約款型クラウド利用に注意が付いた。")],
            locations=[Location(path="cloud", line=30, column=3)],
            acceptance=Acceptance(reason="国の標準仕様に沿ったサービスで、個別契約ができないため", approved_by="情報政策課長",
                                  until=dt.date(2031, 3, 31))),
        Finding(
            rule_id="DEL-901", title="委託先での消去を確認する手順がない", topic="retention_deletion", topic_label="保存と消去",
            severity="low", residual_severity="low", status="open", likelihood=0.3, likelihood_n=3, likelihood_k=1,
            because="委託先での消去の確認者が「不明」になっている。",
            questions=["消去したことを誰がどう確認しますか。"],
            safeguards=[_sg("deletion-certificate", "消去証明書を提出させる", "消去の時期・方法と証明書の提出を記載する", False)],
            precedents=[PrecedentRef(source="002_b0e95e3b61938bf8.txt", item="(1)", note="委託先での廃棄の確認が問われた。")],
            locations=[Location(path="retention", line=35, column=3)],
            acceptance=Acceptance(reason="前年度の審議で了承済み", until=dt.date(2029, 3, 31), expired=True),
            note="リスク受容の期限（2029-03-31）を過ぎたため、再び未対応として扱います。"),
        Finding(
            rule_id="VEN-901", title="委託先の監査", topic="vendor_oversight", topic_label="委託先の監督",
            severity="medium", residual_severity="medium", status="covered", likelihood=0.25, likelihood_n=2, likelihood_k=0,
            because="委託先で個人情報を取り扱う。", questions=["委託先をどう監督しますか。"],
            safeguards=[_sg("vendor-audit", "委託先に立入検査・報告を求める", "監査の方法と頻度を記載する", True)],
            precedents=[PrecedentRef(source="000_2489abd23889b2e9.txt", item="(3)", note="委託先の管理が確認された。")],
            locations=[Location(path="vendors[0]", line=18, column=5)]),
    ]
    findings = sort_findings(findings)
    topics = likely_topics(findings, {f.topic: f.topic_label for f in findings})
    council = CouncilNeed(needed=True, label="審議会に諮る根拠あり（自治体の基準）: 先例のない新しい技術",
                          grounds=[CouncilGround(id="new-technology", ground="municipal", label="先例のない新しい技術",
                                                 explanation="庁内に判断の先例がない技術を使う。",
                                                 citations=["個人情報の保護に関する法律 第129条"])])
    return Report(proposal=proposal, findings=findings, summary=summarise(findings), topics=topics,
                  notices=["注意: 見本の案件です（ゴールデンファイル用）。"], assessment=assess(findings, proposal),
                  calibration=CalibratedOn("見本の記録", 12, 2, 1).line(), council=council)
