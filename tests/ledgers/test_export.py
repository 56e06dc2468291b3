"""Export: ledger-backed lists export the ledger's headers and formats, so a list exported and
imported back changes nothing; text Excel would evaluate is neutralised."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bureau.core.models import AnnualTarget, CountyYear
from bureau.ledgers.columns import get_ledger
from bureau.ledgers.validation import UNCHANGED
from bureau.ledgers.write import ledger_import
from bureau.records.export import neutralise, write_workbook
from bureau.records.urls import record_url
from enterprises.models import Certification, Enterprise, YearlyStatistic
from tests.core.factories import CountyYearFactory
from tests.enterprises.factories import CertificationFactory, EnterpriseFactory, YearlyStatisticFactory

pytestmark = pytest.mark.django_db


def export(client, model, tmp_path, name="export.xlsx"):
    response = client.get(record_url(model, "list") + "?export=xlsx")
    assert response.status_code == 200
    path = tmp_path / name
    path.write_bytes(b"".join(response.streaming_content))
    return path


def history_count(model) -> int:
    return model.history.model.objects.count()


@pytest.mark.parametrize(
    ("model", "ledger", "make"),
    [
        (Enterprise, "企业名录", lambda: EnterpriseFactory.create_batch(6)),
        (YearlyStatistic, "企业年度统计", lambda: YearlyStatisticFactory.create_batch(6)),
        (Certification, "企业资质", lambda: CertificationFactory.create_batch(4)),
    ],
)
def test_export_then_import_back_changes_nothing(staff_client, staff, tmp_path, model, ledger, make):
    make()
    before = list(model.objects.order_by("pk").values())
    histories = history_count(model)
    path = export(staff_client, model, tmp_path)
    assert load_workbook(path).sheetnames == [ledger]
    result = ledger_import(ledger=get_ledger(ledger), path=str(path), user=staff, commit=True)
    assert result.ok, result.messages()
    assert {r.status for r in result.rows} == {UNCHANGED}
    assert len(result.rows) == len(before)
    assert list(model.objects.order_by("pk").values()) == before
    assert history_count(model) == histories


def test_county_data_and_targets_round_trip(admin_client_, admin_user, tmp_path):
    CountyYearFactory(year=2019, gdp=Decimal("152.3612"), population=Decimal("52.8"))
    AnnualTarget.objects.create(year=2020, indicator="high_tech_new", target=Decimal("10"))
    for model, ledger in ((CountyYear, "县域基础数据"), (AnnualTarget, "年度目标")):
        before = list(model.objects.values())
        path = export(admin_client_, model, tmp_path, f"{model.__name__}.xlsx")
        result = ledger_import(ledger=get_ledger(ledger), path=str(path), user=admin_user, commit=True)
        assert result.ok and {r.status for r in result.rows} == {UNCHANGED}, result.messages()
        assert list(model.objects.values()) == before


def test_export_uses_the_ledger_headers_and_formats_dates_and_money(staff_client, tmp_path):
    stat = YearlyStatisticFactory(rd_expenditure=Decimal("356.8000"))
    CertificationFactory(certified_on=datetime.date(2019, 11, 28))
    wb = load_workbook(export(staff_client, YearlyStatistic, tmp_path))
    ws = wb.active
    # The enterprise's name is written beside its credit code (for a reader; the import ignores it).
    assert [c.value for c in ws[1]][:4] == ["统一社会信用代码", "单位名称（仅供核对）", "年度", "研发经费支出(万元)"]
    row = ws[2]
    assert row[0].value == stat.enterprise.credit_code
    assert row[1].value == stat.enterprise.name
    assert row[3].value == pytest.approx(356.8) and row[3].number_format == "#,##0.00"
    ws = load_workbook(export(staff_client, Certification, tmp_path, "c.xlsx")).active
    assert [c.value for c in ws[1]][:5] == ["统一社会信用代码", "单位名称（仅供核对）", "资质类型", "年度", "状态"]
    assert ws["E2"].value == "已认定"
    assert ws["G2"].value == datetime.datetime(2019, 11, 28)  # noqa: DTZ001 - Excel dates are naive
    assert ws["G2"].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","点我")', "+8613800000000", "-1+2", "@SUM(A1)", "\tTAB"])
def test_text_excel_would_evaluate_is_neutralised(text):
    assert neutralise(text) == "'" + text
    buffer = io.BytesIO()
    write_workbook(buffer, sheet_title="t", headers=["名称"], rows=[[text]])
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A2"]
    assert cell.data_type == "s" and cell.value == "'" + text


def test_neutralised_text_round_trips(staff_client, staff, tmp_path):
    ent = EnterpriseFactory(name="=示例公司", contact="-王", phone="+86 0533-3212345")
    path = export(staff_client, Enterprise, tmp_path)
    ws = load_workbook(path).active
    assert ws["A2"].value == "'=示例公司"
    result = ledger_import(ledger=get_ledger("企业名录"), path=str(path), user=staff, commit=True)
    assert [r.status for r in result.rows] == [UNCHANGED], result.messages()
    ent.refresh_from_db()
    assert (ent.name, ent.contact, ent.phone) == ("=示例公司", "-王", "+86 0533-3212345")
