"""The indicator table download and `manage.py export_indicators`: same figures as the dashboard."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from bureau.core.models import Activity
from bureau.registry import registry
from reports.indicator_export import EXPORT_HEADERS
from tests.core.factories import ActivityFactory, AnnualTargetFactory
from tests.enterprises.factories import YearlyStatisticFactory

pytestmark = pytest.mark.django_db


def sheet_rows(data) -> list[tuple]:
    ws = load_workbook(data, read_only=True).worksheets[0]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def by_name(rows):
    return {r[0]: r for r in rows[1:]}


@pytest.fixture
def figures():
    for month in (3, 6, 9):
        ActivityFactory(kind=Activity.Kind.TRAINING, held_on=datetime.date(2019, month, 1))
    for month in (3, 6):
        ActivityFactory(kind=Activity.Kind.TRAINING, held_on=datetime.date(2018, month, 1))
    AnnualTargetFactory(year=2019, indicator="trainings", target=Decimal(4))
    YearlyStatisticFactory(year=2019, rd_expenditure=Decimal("1234.5"))


def test_command_writes_the_indicator_table_of_the_year(figures, tmp_path):
    out = tmp_path / "指标.xlsx"
    call_command("export_indicators", "--year", "2019", "--out", str(out), stdout=io.StringIO())
    rows = sheet_rows(out)
    assert rows[0] == EXPORT_HEADERS == ("指标", "单位", "目标值", "完成值", "完成率", "上年值", "同比")
    assert len(rows) == 1 + len(registry["indicators"])
    assert by_name(rows)["培训班期数"] == ("培训班期数", "期", 4, 3, 0.75, 2, 0.5)


def test_export_shows_missing_figures_as_missing_never_zero(figures, tmp_path):
    out = tmp_path / "t.xlsx"
    call_command("export_indicators", "--year", "2019", "--out", str(out), stdout=io.StringIO())
    rd = by_name(sheet_rows(out))["研发投入强度"]
    assert rd[3] == "缺失" and rd[4] is None
    assert by_name(sheet_rows(out))["研发经费支出"][3] == Decimal("1234.5")


def test_command_refuses_a_wrong_year_or_file_type(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_indicators", "--year", "20190", "--out", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError):
        call_command("export_indicators", "--year", "2019", "--out", str(tmp_path / "a.csv"))


@pytest.mark.parametrize("role_client", ["leader", "staff", "reviewer", "admin"], indirect=True)
def test_every_role_downloads_the_table_from_the_dashboard(figures, role_client):
    _, client = role_client
    page = client.get("/reports/dashboard/", {"year": 2019}).content.decode()
    assert 'href="/reports/indicators/export/?year=2019"' in page
    response = client.get("/reports/indicators/export/", {"year": 2019})
    assert response.status_code == 200
    assert "2019" in response["Content-Disposition"]
    rows = sheet_rows(io.BytesIO(b"".join(response.streaming_content)))
    assert rows[0] == EXPORT_HEADERS
    assert by_name(rows)["培训班期数"][2:5] == (4, 3, 0.75)
