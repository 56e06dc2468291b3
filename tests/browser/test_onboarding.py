"""A new county's first run (issue 15): on an empty database the admin sees the first-run checklist,
imports the county's 企业名录 (tests/onboarding/county.py) through the upload page — the preview shows
the towns and industries the lists lack as 新增 — confirms, and the checklist shows that ledger done."""

import re

import pytest

from enterprises.models import Enterprise, Industry, Town
from tests.onboarding.county import FIRMS, write_ledgers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LEDGER = "企业名录"


def checklist_item(page, title: str) -> str:
    return page.locator(f'[data-setup-check="{title}"]').inner_text()


def assert_all_chinese(text: str) -> None:
    """No untranslated interface words: Latin letters only where the data or a unit puts them."""
    words = set(re.findall(r"[A-Za-z]{3,}", text))
    assert not words, words


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
