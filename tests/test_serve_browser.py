"""`shingikai serve` in a real browser: Debian's chromium driven by Playwright (never a downloaded browser).

The server is the real command (`python -m checker serve --port 0`) in its own process; the browser
runs with a fresh profile and no background networking (tests/browser.py's flags).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from .browser import FLAGS, need
from .conftest import ROOT

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402  (the test extra installs it)

SEEDS = sorted((ROOT / "proposals" / "seeds").glob("*.yaml"))


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("serve")
    process = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", "0"], cwd=folder,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line + process.stderr.read()
        yield match.group(0)
    finally:
        process.terminate()
        process.communicate(timeout=30)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    chromium = need("chromium")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium, headless=True, args=FLAGS,
            accept_downloads=True, locale="ja-JP")
        yield context.pages[0] if context.pages else context.new_page()
        context.close()


def new_proposal(page: Page, server: str, kind: str = "outsourcing") -> None:
    page.goto(server)
    page.select_option("#new-kind", kind)
    page.click("#new-start")
    expect(page.locator("#proposal-form [data-path='title']")).to_be_visible()


def test_a_clerk_fills_a_proposal_from_nothing_and_saves_yaml_that_check_accepts(page: Page, server: str,
                                                                                  tmp_path: Path) -> None:
    new_proposal(page, server)
    # nothing is filled in for the clerk: the yes/no questions are 未記入, the texts empty
    assert page.locator("[data-path='contract.special_clauses']").input_value() == ""
    assert page.locator("[data-path='purpose']").input_value() == ""
    # the empty id and title are reported beside their fields, in Japanese
    id_error = page.locator("[data-field='id'] > .field-error")
    expect(id_error).to_contain_text("必須の項目「id」がありません")
    expect(page.locator("[data-field='title'] > .field-error")).to_be_visible()
    expect(page.locator("#report")).to_contain_text("入力に誤りが")
    page.fill("[data-path='id']", "例示-001")
    page.fill("[data-path='title']", "市民アンケートの集計業務の委託について")
    expect(id_error).to_have_count(0)
    # a vendor's name may be left out (only the fact of outsourcing is known), so no error appears there
    page.fill("[data-path='subjects[0].name']", "無作為抽出した市民")
    page.fill("[data-path='vendors[0].name']", "例示データ株式会社")
    expect(page.locator("[data-field='vendors[0].name'] > .field-error")).to_have_count(0)
    # a likely question appears, with what to write for it
    first = page.locator("#report ol.likely > li").first
    expect(first).to_contain_text("見込み")
    page.select_option("[data-path='contract.special_clauses']", "false")
    page.wait_for_timeout(600)
    expect(page.locator("#report ol.likely > li").first).to_be_visible()
    shown = page.locator("#report ol.likely > li > p").all_inner_texts()
    assert shown, "no likely question shown"
    with page.expect_download() as download:
        page.click("#save-yaml")
    saved = tmp_path / "from-browser.yaml"
    download.value.save_as(saved)
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["id"] == "例示-001" and data["contract"]["special_clauses"] is False
    result = subprocess.run([sys.executable, "-m", "checker", "check", "-f", "json", str(saved)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert [t["question"] for t in report["topics"][:5]] == shown


def test_the_secretariat_uploads_the_seed_proposals_and_gets_the_agenda(page: Page, server: str) -> None:
    page.goto(server)
    page.click("#tab-secretariat")
    page.set_input_files("#agenda-files", [str(p) for p in SEEDS])
    page.click("#agenda-form button[type=submit]")
    expect(page.locator("#agenda-status")).to_contain_text(f"{len(SEEDS)} 件の案件で議題シートを作りました")
    sheet = page.frame_locator("#agenda-view")
    title = yaml.safe_load(SEEDS[0].read_text(encoding="utf-8"))["title"]
    expect(sheet.locator("body")).to_contain_text(title)


def test_a_script_typed_into_a_field_is_shown_as_text(page: Page, server: str) -> None:
    typed = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    new_proposal(page, server)
    page.fill("[data-path='id']", "例示-002")
    page.fill("[data-path='title']", typed)
    page.fill("[data-path='subjects[0].name']", typed)
    page.fill("[data-path='vendors[0].name']", typed)
    expect(page.locator("#report .title")).to_have_text(typed)
    assert page.evaluate("window.pwned") is None
    assert page.locator("#report script, #report img").count() == 0


def test_a_clerk_opens_an_existing_file_and_downloads_the_report_and_action_plan(page: Page, server: str,
                                                                                  tmp_path: Path) -> None:
    example = ROOT / "proposals" / "examples" / "complete-outsourcing.yaml"
    page.goto(server)
    page.set_input_files("#open-file", str(example))
    title = yaml.safe_load(example.read_text(encoding="utf-8"))["title"]
    expect(page.locator("[data-path='title']")).to_have_value(title)
    expect(page.locator("#report .title")).to_have_text(title)
    with page.expect_download() as report:
        page.click("#save-report")
    assert report.value.suggested_filename == "report.html"
    report.value.save_as(tmp_path / "report.html")
    assert title in (tmp_path / "report.html").read_text(encoding="utf-8")
    with page.expect_download() as plan:
        page.click("#save-csv")
    plan.value.save_as(tmp_path / "actions.csv")
    assert (tmp_path / "actions.csv").read_text(encoding="utf-8-sig").count("\n") > 1


def test_the_secretariat_compares_two_versions_of_an_item(page: Page, server: str) -> None:
    """The compare form shows what a resubmission settled, as `shingikai diff` does."""
    old = ROOT / "proposals" / "seeds" / "004-2-pittari-my-number-segment.yaml"
    new = ROOT / "tests" / "data" / "resubmission" / "004-2-pittari-resubmitted.yaml"
    page.goto(server)
    page.click("#tab-secretariat")
    page.set_input_files("#diff-form input[name=old]", str(old))
    page.set_input_files("#diff-form input[name=new]", str(new))
    page.click("#diff-form button[type=submit]")
    view = page.locator("#diff-view")
    expect(view).to_contain_text("解消した指摘")
    expect(view).to_contain_text("NET-001")
    expect(view).to_contain_text("総合リスク: 高 → 中")


def test_the_secretariat_records_what_the_council_asked_and_saves_the_record(page: Page, server: str,
                                                                            tmp_path: Path) -> None:
    """After a meeting: the item, what was raised, the outcome and minutes go into a record file the
    browser saves; sending that file back with the same item replaces the item instead of adding it."""
    proposal = SEEDS[0]
    page.goto(server)
    page.click("#tab-secretariat")
    form = page.locator("#record-form")
    form.locator("input[name=proposal]").set_input_files(str(proposal))
    form.locator("input[name=council]").fill("例示市個人情報保護審議会")
    form.locator("input[name=meeting]").fill("令和7年度第1回")
    form.locator("input[name=raised]").fill("retention_deletion")
    form.locator("textarea[name=unpredicted]").fill("cost_effectiveness:費用に見合う効果はあるか")
    form.locator("select[name=outcome]").select_option("approved_with_conditions")
    form.locator("input[name=minutes]").fill("15")
    with page.expect_download() as saved:
        form.locator("button[type=submit]").click()
    expect(page.locator("#record-status")).to_contain_text("追記しました")
    saved.value.save_as(tmp_path / "record.yaml")
    record = yaml.safe_load((tmp_path / "record.yaml").read_text(encoding="utf-8"))
    assert record["council"] == "例示市個人情報保護審議会"
    item = record["meetings"][0]["items"][0]
    assert record["meetings"][0]["meeting"] == "令和7年度第1回"
    assert item["raised"] == ["retention_deletion"] and item["outcome"] == "approved_with_conditions"
    assert item["minutes"] == 15 and item["unpredicted"][0]["topic"] == "cost_effectiveness"
    assert item["not_raised"], "the findings the council did not raise are listed from the report"

    # the same item again, onto the saved record: replaced, not added twice
    form.locator("input[name=record]").set_input_files(str(tmp_path / "record.yaml"))
    form.locator("select[name=outcome]").select_option("approved")
    with page.expect_download() as again:
        form.locator("button[type=submit]").click()
    expect(page.locator("#record-status")).to_contain_text("置き換えました")
    again.value.save_as(tmp_path / "record2.yaml")
    items = yaml.safe_load((tmp_path / "record2.yaml").read_text(encoding="utf-8"))["meetings"][0]["items"]
    assert len(items) == 1 and items[0]["outcome"] == "approved"


def test_a_record_naming_an_unknown_rule_is_refused_in_japanese(page: Page, server: str) -> None:
    page.goto(server)
    page.click("#tab-secretariat")
    form = page.locator("#record-form")
    form.locator("input[name=proposal]").set_input_files(str(SEEDS[0]))
    form.locator("input[name=council]").fill("例示市個人情報保護審議会")
    form.locator("input[name=meeting]").fill("令和7年度第1回")
    form.locator("input[name=raised]").fill("NOPE-999")
    form.locator("button[type=submit]").click()
    expect(page.locator("#record-status")).to_contain_text("NOPE-999")
    assert page.locator("#record-view").text_content() == ""
