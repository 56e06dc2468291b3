"""Exports a person can read: names beside credit codes, numbers as formatted numbers, fitted widths,
a frozen header and totals; ledger-backed exports still import back unchanged."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.validation import UNCHANGED
from bureau.ledgers.write import ledger_import
from bureau.records.urls import record_url
from programs.models import Application
from talent.models import CooperationAgreement
from tests.core.factories import ActivityFactory, AnnualTargetFactory
from tests.programs.factories import ApplicationFactory
from tests.talent.factories import CooperationAgreementFactory

pytestmark = pytest.mark.django_db


def _sheet(client, model, query=""):
    response = client.get(record_url(model, "list") + "?export=xlsx" + query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_application_export_has_the_unit_name_beside_its_credit_code(staff_client):
    app = ApplicationFactory(enterprise__name="鲁中新材料科技有限公司")
    ws = _sheet(staff_client, Application)
    headers = [c.value for c in ws[1]]
    at = headers.index("承担单位信用代码")
    assert headers[at + 1] == "单位名称（仅供核对）"
    assert ws.cell(row=2, column=at + 1).value == app.enterprise.credit_code
    assert ws.cell(row=2, column=at + 2).value == "鲁中新材料科技有限公司"


def test_application_export_imports_back_unchanged_with_the_name_column_ignored(staff_client, admin_user, tmp_path):
    ApplicationFactory.create_batch(3)
    before = list(Application.objects.order_by("pk").values())
    response = staff_client.get(record_url(Application, "list") + "?export=xlsx")
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    result = ledger_import(ledger=get_ledger("项目申报"), path=str(path), user=admin_user, commit=True)
    assert result.ok, result.messages()
    assert {r.status for r in result.rows} == {UNCHANGED}
    assert list(Application.objects.order_by("pk").values()) == before


def test_export_has_a_frozen_header_and_columns_fitted_to_their_content(staff_client):
    CooperationAgreementFactory(title="沂源县人民政府与山东理工大学关于新材料产业联合研发的合作协议")
    ws = _sheet(staff_client, CooperationAgreement)
    assert ws.freeze_panes == "A2"
    headers = [c.value for c in ws[1]]
    title_col = ws.cell(row=1, column=headers.index("协议名称") + 1).column_letter
    assert ws.column_dimensions[title_col].width > 40  # the long Chinese title fits


def test_money_columns_are_numbers_with_two_decimals_and_a_total_over_the_filtered_set(staff_client):
    for funds in ("80", "60.5", "0.25"):
        CooperationAgreementFactory(funds=Decimal(funds))
    ws = _sheet(staff_client, CooperationAgreement)
    headers = [c.value for c in ws[1]]
    col = headers.index("合作经费(万元)") + 1
    amounts = [ws.cell(row=r, column=col) for r in range(2, 5)]
    assert sorted(c.value for c in amounts) == [0.25, 60.5, 80]
    assert {c.number_format for c in amounts} == {"#,##0.00"}
    total = [c.value for c in ws[5]]
    assert "合计" in total
    assert total[col - 1] == 140.75


def test_indicator_export_writes_rates_as_percentages(staff_client):
    import datetime

    for month in (3, 6, 9):
        ActivityFactory(kind="training", held_on=datetime.date(2019, month, 1))
    AnnualTargetFactory(year=2019, indicator="trainings", target=Decimal(4))
    response = staff_client.get("/reports/indicators/export/", {"year": 2019})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "培训班期数")
    assert row[4].value == 0.75 and row[4].number_format == "0.0%"
