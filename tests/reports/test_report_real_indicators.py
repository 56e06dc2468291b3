"""The report with the indicators the apps register (no stand-ins): real codes, real inputs."""

import subprocess
from decimal import Decimal

import pytest

from bureau.core.models import AnnualTarget, CountyYear
from bureau.indicators import NAMES
from bureau.registry import registry
from reports.models import ReportBuild
from reports.report_selectors import report_completeness, report_snapshot
from reports.report_services import report_build_start
from reports.sections import REPORT_CODES
from tests.reports.factories import AnnualReportFactory

pytestmark = pytest.mark.django_db
YEAR = 2019


def test_every_standard_indicator_of_the_domain_is_stated_somewhere_in_the_report():
    assert set(NAMES) <= set(REPORT_CODES)


def test_sentences_of_unregistered_indicators_are_left_out_not_blank():
    missing = [code for code in REPORT_CODES if code not in registry["indicators"]]
    snapshot = report_snapshot(AnnualReportFactory(year=YEAR))
    assert not set(missing) & set(snapshot["figures"])


def test_missing_county_data_blocks_the_ratios_until_entered_then_the_report_builds(
    staff, django_capture_on_commit_callbacks
):
    report = AnnualReportFactory(year=YEAR)
    check = report_completeness(report_snapshot(report))
    blocked = {p.item for p in check.blocking}
    assert {"rd_intensity", "invention_patents_per_10k", "plan_targets"} <= blocked
    rd = next(p for p in check.blocking if p.item == "rd_intensity")
    assert rd.links and "countyyear" in rd.links[0][1]

    for year in (YEAR - 1, YEAR):
        CountyYear.objects.create(
            year=year, gdp=Decimal("125.5"), population=Decimal("55.2"), industrial_output_above_scale=Decimal("3e6")
        )
    AnnualTarget.objects.create(year=YEAR + 1, indicator="platforms_new", target=Decimal("3"))
    assert report_completeness(report_snapshot(report)).ok
    with django_capture_on_commit_callbacks(execute=True):
        build = report_build_start(report_id=report.pk, by=staff)
    build.refresh_from_db()
    assert build.state == ReportBuild.State.SUCCEEDED
    text = subprocess.run(["pdftotext", build.pdf.path, "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())
    assert "研发投入强度达到0%" in text  # zero R&D over a known GDP is a figure
    assert f"{YEAR + 1}年，力争新建各类创新平台3个" in text
