"""立项文号 and 合同编号: entered on the form, shown on the page and in the list, found by the list's
search and the header search, carried by the 项目申报 ledger and its export (round trip unchanged)."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.validation import UNCHANGED
from bureau.ledgers.write import ledger_import
from bureau.records.urls import record_url
from programs.models import Application
from tests.programs.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

NUMBER = "淄科发〔2019〕12号"
CONTRACT = "2019ZDYF012"


def test_form_takes_both_numbers_with_help_text(staff_client):
    app = ApplicationFactory()
    page = staff_client.get(record_url(app, "edit")).content.decode()
    assert 'name="approval_number"' in page and 'name="contract_number"' in page
    assert "立项通知的文号" in page and "任务书或合同上的编号" in page


def test_numbers_entered_on_the_form_are_saved(staff_client, staff):
    app = ApplicationFactory(handler=staff)
    form = staff_client.get(record_url(app, "edit")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        enterprise=app.enterprise_id,
        program=app.program_id,
        handler=staff.pk,
        approval_number=NUMBER,
        contract_number=CONTRACT,
        _version=form.initial.get("_version", ""),
    )
    response = staff_client.post(record_url(app, "edit"), data)
    assert response.status_code == 302, response.context["form"].errors
    app.refresh_from_db()
    assert (app.approval_number, app.contract_number) == (NUMBER, CONTRACT)


def test_detail_page_and_list_show_both_numbers(staff_client):
    app = ApplicationFactory(approval_number=NUMBER, contract_number=CONTRACT)
    detail = staff_client.get(app.get_absolute_url()).content.decode()
    assert "立项文号" in detail and NUMBER in detail and CONTRACT in detail
    listing = staff_client.get(record_url(Application, "list")).content.decode()
    assert "立项文号" in listing and "合同编号" in listing and NUMBER in listing


@pytest.mark.parametrize("query", ["2019〕12", CONTRACT])
def test_list_search_finds_an_application_by_its_numbers(staff_client, query):
    wanted = ApplicationFactory(approval_number=NUMBER, contract_number=CONTRACT)
    other = ApplicationFactory()
    page = staff_client.get(record_url(Application, "list"), {"q": query}).content.decode()
    assert wanted.title in page and other.title not in page


def test_header_search_finds_an_application_by_its_approval_number(staff_client):
    app = ApplicationFactory(approval_number=NUMBER)
    page = staff_client.get(reverse("search"), {"q": "2019〕12"}).content.decode()
    assert app.get_absolute_url() in page
    assert f"立项文号：{NUMBER}" in page


def test_ledger_export_carries_the_numbers_and_imports_back_unchanged(staff_client, staff, tmp_path):
    ApplicationFactory.create_batch(3, approval_number=NUMBER, contract_number=CONTRACT)
    ApplicationFactory(approval_number="", contract_number="")
    before = list(Application.objects.order_by("pk").values())
    response = staff_client.get(record_url(Application, "list") + "?export=xlsx")
    path = tmp_path / "applications.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheet = load_workbook(path).active
    headers = [c.value for c in sheet[1]]
    assert headers[-2:] == ["立项文号", "合同编号"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[headers.index("立项文号")] or "" for r in rows) == ["", NUMBER, NUMBER, NUMBER]
    assert sorted(r[headers.index("合同编号")] or "" for r in rows) == ["", CONTRACT, CONTRACT, CONTRACT]
    result = ledger_import(ledger=get_ledger("项目申报"), path=str(path), user=staff, commit=True)
    assert result.ok, result.messages()
    assert {r.status for r in result.rows} == {UNCHANGED}
    assert list(Application.objects.order_by("pk").values()) == before


def test_ledger_import_sets_the_numbers(admin_user, tmp_path):
    from tests.enterprises.factories import EnterpriseFactory
    from tests.ledgers.xlsx import code, write_xlsx
    from tests.programs.factories import ProgramFactory

    EnterpriseFactory(credit_code=code(1))
    program = ProgramFactory(name="省重点研发计划(科技创新类)")
    headers = ["项目名称*", "承担单位信用代码*", "计划名称*", "计划级别*", "年度*", "状态*", "立项文号", "合同编号"]
    row = ["聚乙烯改性材料研究", code(1), program.name, "省级", 2019, "草稿", NUMBER, CONTRACT]
    path = write_xlsx(tmp_path / "a.xlsx", headers, [row])
    result = ledger_import(ledger=get_ledger("项目申报"), path=str(path), user=admin_user, commit=True)
    assert result.committed, result.messages()
    app = Application.objects.get(title="聚乙烯改性材料研究")
    assert (app.approval_number, app.contract_number) == (NUMBER, CONTRACT)
