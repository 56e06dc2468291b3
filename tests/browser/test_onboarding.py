"""A new county's first run (issue 15): on an empty database the admin sees the first-run checklist,
imports the county's 企业名录 (tests/onboarding/county.py) through the upload page — the preview shows
the towns and industries the lists lack as 新增 — confirms, and the checklist shows that ledger done;
then the other seven ledgers the same way (2019's applications as history), and a 科员 builds the
2020 report on its page, whose PDF states the figures worked out from the ledgers."""

import re
import subprocess
from decimal import Decimal

import pytest

from bureau.indicators import NAMES
from bureau.ledgers.columns import get_ledger
from bureau.registry import registry
from enterprises.models import Enterprise, Industry, Town
from programs.models import Application
from reports.models import AnnualReport
from reports.sections import fmt_number
from tests.onboarding.county import COUNTY, FIRMS, LEDGER_ORDER, YEAR, expected_figures, write_ledgers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LEDGER = "企业名录"


def checklist_item(page, title: str) -> str:
    return page.locator(f'[data-setup-check="{title}"]').inner_text()


def assert_all_chinese(text: str) -> None:
    """No untranslated interface words: Latin letters only where the data or a unit puts them."""
    words = set(re.findall(r"[A-Za-z]{3,}", text))
    assert not words, words


def upload(page, live_server, ledger: str, path) -> str:
    """The upload page: preview, then 确认导入; returns the preview's text."""
    page.goto(f"{live_server.url}/ledgers/{get_ledger(ledger).slug}/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("[data-testid=counts]")
    assert page.locator("[data-testid=row-errors]").count() == 0, page.locator("main").inner_text()
    preview = page.locator("main").inner_text()
    page.click("button:has-text('确认导入')")
    page.wait_for_selector("text=已全部导入")
    return preview


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"—\s*\d+\s*—", "", text))


def test_admin_loads_the_first_ledger_of_a_new_county_from_the_checklist(page, live_server, login, shot, tmp_path):
    assert not Town.objects.exists() and not Enterprise.objects.exists()
    industries_before = set(Industry.objects.values_list("name", flat=True))  # a standard set, if seeded
    towns = sorted({f.town for f in FIRMS})
    new_industries = sorted({f.industry for f in FIRMS} - industries_before)
    files = write_ledgers(tmp_path / "白杨县")

    login(page, "admin")
    checklist = page.locator("[data-testid=setup-checklist]")
    checklist.wait_for()
    assert "首次使用清单" in checklist.inner_text()
    assert "尚未导入" in checklist_item(page, LEDGER)
    assert "缺少" in checklist_item(page, "乡镇/街道")
    assert_all_chinese(checklist.inner_text())
    shot(page, "onboarding-1-home-checklist")

    page.locator(f'[data-setup-check="{LEDGER}"] a:has-text("导入")').click()
    page.wait_for_selector("text=上传后先显示预览")
    shot(page, "onboarding-2-upload")
    page.set_input_files("input[type=file]", str(files[LEDGER]))
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("[data-testid=counts]")

    # The preview: every firm is a new row, no row is refused, and each value the managed lists lack
    # is announced as 新增 (created on confirm, the admin having that right). Waits for L2's merge.
    assert page.locator("[data-testid=row-errors]").count() == 0
    assert f"确认导入（新增 {len(FIRMS)} 条" in page.locator("button:has-text('确认导入')").inner_text()
    preview = page.locator("main").inner_text()
    new_lines = [line for line in preview.splitlines() if "新增" in line]
    for value in towns + new_industries:
        assert any(value in line for line in new_lines), (value, new_lines)
    assert not Town.objects.exists() and not Enterprise.objects.exists()  # the preview wrote nothing
    shot(page, "onboarding-3-preview-new-lists")

    page.click("button:has-text('确认导入')")
    page.wait_for_selector(f"text=已全部导入：新增 {len(FIRMS)} 条")
    shot(page, "onboarding-4-imported")
    assert set(Town.objects.values_list("name", flat=True)) == set(towns)

    page.goto(f"{live_server.url}/")
    checklist.wait_for()
    assert f"共 {len(FIRMS)} 条" in checklist_item(page, LEDGER)
    assert "已完成" in checklist_item(page, LEDGER)
    assert f"已有 {len(towns)} 个" in checklist_item(page, "乡镇/街道")
    assert "尚未导入" in checklist_item(page, "企业资质")  # the next ledger in the order
    shot(page, "onboarding-5-home-ledger-done")

    page.goto(f"{live_server.url}/setup/")
    page.wait_for_selector("[data-testid=setup-progress]")
    assert_all_chinese(page.locator("main").inner_text())
    shot(page, "onboarding-6-checklist-page")


def test_the_eight_ledgers_through_the_pages_give_a_report_that_states_their_figures(
    page, live_server, login, shot, tmp_path, browser
):
    files = write_ledgers(tmp_path / "白杨县")
    login(page, "admin")
    page.goto(f"{live_server.url}/settings/")  # the checklist's first item: the county's name
    page.fill("input[name=county_name]", COUNTY)
    page.click("main button[type=submit]:has-text('保存')")
    page.wait_for_selector(f"text={COUNTY}科技局工作平台")
    previews = {name: upload(page, live_server, name, files[name]) for name in LEDGER_ORDER}
    assert "历史数据导入" in previews["项目申报"]  # 2019's final states are loaded as history
    shot(page, "onboarding-7-last-ledger-imported")
    page.goto(f"{live_server.url}/setup/")
    page.wait_for_selector("[data-testid=setup-progress]")
    for name in LEDGER_ORDER:
        assert "已完成" in checklist_item(page, name), (name, checklist_item(page, name))
    shot(page, "onboarding-8-checklist-ledgers-done")

    approved = Application.objects.filter(year=2019, status="approved").first()
    page.goto(f"{live_server.url}{approved.get_absolute_url()}")
    assert "历史数据导入" in page.locator("main").inner_text()

    # The staff write the report's own text; a 科员 builds it on its page and downloads the PDF.
    AnnualReport.objects.create(
        year=YEAR,
        opening=f"{YEAR}年，{COUNTY}科技局围绕创新驱动发展战略开展工作。",
        problems="企业研发投入总量仍然偏小。",
        plan_intro=f"{YEAR + 1}年，继续加大企业创新主体培育力度。",
    )
    staff_context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    staff_page = staff_context.new_page()
    login(staff_page, "staff")
    staff_page.goto(f"{live_server.url}{AnnualReport.objects.get().get_absolute_url()}")
    shot(staff_page, "onboarding-9-report-ready")
    staff_page.click("button:has-text('生成新版本')")
    staff_page.wait_for_selector("#builds a:has-text('PDF')", timeout=60_000)
    shot(staff_page, "onboarding-10-report-built")
    with staff_page.expect_download() as download:
        staff_page.click("#builds a:has-text('PDF')")
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    staff_context.close()
    text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    code_by_name = {name: code for code, (name, _unit) in NAMES.items()}
    missing = []
    for name, value in expected_figures().items():
        indicator = registry["indicators"][code_by_name[name]]
        figure = squeeze(fmt_number(Decimal(value), str(indicator.unit), indicator.decimals))
        if figure not in text:
            missing.append(f"{name} {figure}")
    assert not missing, f"not in the PDF: {missing}\n{text[:2000]}"
    assert text.startswith(squeeze(f"{COUNTY}科技局{YEAR}年工作总结")), text[:200]
