"""A clerk imports an enterprise directory: two bad rows are caught in the preview, the fixed file
is imported, and the enterprises are in the list."""

import pytest

from enterprises.models import Enterprise, Town
from tests.ledgers.xlsx import code, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADERS = ["企业名称*", "统一社会信用代码*", "所属乡镇", "行业", "企业规模", "联系人", "联系电话"]


def rows(fixed: bool):
    bad_code = code(2)[:17] + ("0" if code(2)[17] != "0" else "1")
    return [
        ["示例县鲁中新材料科技有限公司", code(1), "南麻街道", None, "规上", "张伟", "0533-3212345"],
        ["示例县沂源药业有限公司", code(2) if fixed else bad_code, "悦庄镇", None, "规下", "李娜", "0533-3212346"],
        ["示例县悦庄机械制造有限公司", code(3), "悦庄镇", None, "规上" if fixed else "中型", "王强", "0533-3212347"],
        ["示例县东里食品有限公司", code(4), "南麻街道", None, "规下", "赵敏", "0533-3212348"],
    ]


def upload(page, content: bytes, name: str):
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": name,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        ],
    )
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("[data-testid=counts]")


def test_clerk_fixes_two_bad_rows_and_imports_the_directory(page, live_server, login, shot):
    Town.objects.create(name="南麻街道")
    Town.objects.create(name="悦庄镇")
    login(page, "staff")
    page.goto(f"{live_server.url}/enterprises/enterprises/")
    page.click("text=导入Excel")
    page.wait_for_selector("text=上传后先显示预览")
    shot(page, "ledgers-upload")

    upload(page, xlsx_bytes(HEADERS, rows(fixed=False), title="企业名录"), "企业名录-有错.xlsx")
    errors = page.locator("[data-testid=row-errors]").inner_text()
    assert f"第3行 统一社会信用代码：校验位应为 {code(2)[17]}" in errors
    assert "第4行 企业规模：「中型」不是可选值，可选：规上、规下" in errors
    assert page.locator("button:has-text('确认导入')").count() == 0
    assert page.locator("tr.table-danger").count() == 2
    shot(page, "ledgers-preview-errors")
    assert Enterprise.objects.count() == 0

    page.click("text=修改后重新上传")
    upload(page, xlsx_bytes(HEADERS, rows(fixed=True), title="企业名录"), "企业名录.xlsx")
    assert page.locator("[data-testid=row-errors]").count() == 0
    assert page.locator("[data-row] .badge:has-text('新增')").count() == 4
    shot(page, "ledgers-preview-ok")
    assert Enterprise.objects.count() == 0  # the preview wrote nothing

    page.click("button:has-text('确认导入')")
    page.wait_for_selector("text=已全部导入：新增 4 条")
    shot(page, "ledgers-imported")
    page.click("a.alert-link:has-text('查看企业')")
    page.wait_for_selector("table tbody tr")
    listing = page.locator("table tbody").inner_text()
    for name in (
        "示例县鲁中新材料科技有限公司",
        "示例县沂源药业有限公司",
        "示例县悦庄机械制造有限公司",
        "示例县东里食品有限公司",
    ):
        assert name in listing
    shot(page, "ledgers-enterprise-list")
    assert Enterprise.objects.get(credit_code=code(3)).scale == Enterprise.Scale.ABOVE
