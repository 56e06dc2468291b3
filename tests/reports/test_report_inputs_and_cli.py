"""Issue 15: every input the report can require comes from a ledger; the CLI does what the page does;
the plan section never disappears; 不写入报告 needs a reason and the right; the 403 page speaks to
the user's role."""

import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from bureau.core.models import AnnualTarget, CountyYear
from bureau.registry import registry
from reports.models import AnnualReport
from reports.report_selectors import ledger_supplying, report_completeness, report_snapshot
from reports.report_services import report_exclude
from tests.reports.factories import AnnualReportFactory

pytestmark = pytest.mark.django_db
YEAR = 2019


def _report(**texts) -> AnnualReport:
    """A report whose staff wrote no plan text (the factory's report has some)."""
    return AnnualReportFactory(year=YEAR, **{"plan_intro": "", "plan_talent": "", **texts})


def _county(gdp="125.5", population="55.2", output=None):
    for y in (YEAR - 1, YEAR):
        CountyYear.objects.update_or_create(
            year=y,
            defaults={
                "gdp": Decimal(gdp),
                "population": Decimal(population),
                "industrial_output_above_scale": None if output is None else Decimal(output),
            },
        )


def test_every_input_the_completeness_check_can_ask_for_has_a_ledger_column():
    report = _report()  # an empty database: every input is missing
    check = report_completeness(report_snapshot(report))
    inputs = [i for p in check.problems for i in p.inputs]
    assert {i["label"] for i in inputs} >= {f"{YEAR}年规上工业总产值(万元)", f"{YEAR + 1}年年度目标"}
    assert [i["label"] for i in inputs if not i["ledger"]] == []
    # And for every registered indicator that names inputs, not only those the report states now.
    for indicator in registry["indicators"].values():
        for label, _url, source in indicator.missing_input_sources(YEAR):
            assert source is not None and ledger_supplying(*source) is not None, label
    assert ledger_supplying(AnnualTarget, "target") is not None


def test_build_report_with_inputs_missing_exits_1_with_one_line_per_input_naming_its_ledger(tmp_path):
    _report()
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("build_report", year=YEAR, out=str(tmp_path / "r.pdf"), stderr=err)
    assert exc.value.returncode == 1
    lines = err.getvalue().strip().splitlines()
    gdp = [line for line in lines if line.startswith(f"缺少{YEAR}年地区生产总值")]
    assert gdp and all("导入台账“县域基础数据”（/ledgers/county-years/import/）" in line for line in gdp)
    assert any(line.startswith(f"缺少{YEAR + 1}年年度目标") and "“年度目标”" in line for line in lines)
    assert any(f"{YEAR}年规上工业总产值(万元)" in line for line in lines)


def test_build_report_leaves_out_a_figure_for_a_reviewer_with_a_reason_and_refuses_staff(staff, reviewer, tmp_path):
    _county()  # no 规上工业总产值: 高新技术产业产值占比 cannot be computed
    AnnualTarget.objects.create(year=YEAR + 1, indicator="platforms_new", target=Decimal("3"))
    _report()
    out = tmp_path / "r.pdf"
    args = ["build_report", "--year", str(YEAR), "--out", str(out), "--leave-out", "高新技术产业产值占比"]
    with pytest.raises(CommandError, match="股室负责人"):
        call_command(*args, "--user", staff.username, "--reason", "统计局数据未发布", stdout=io.StringIO())
    with pytest.raises(CommandError, match="理由"):
        call_command(*args, "--user", reviewer.username, stdout=io.StringIO())
    call_command(*args, "--user", reviewer.username, "--reason", "统计局数据未发布", stdout=io.StringIO())
    assert out.read_bytes()[:4] == b"%PDF"
    exclusion = AnnualReport.objects.get(year=YEAR).exclusions.get()
    assert (exclusion.item, exclusion.reason, exclusion.created_by) == (
        "high_tech_output_share",
        "统计局数据未发布",
        reviewer,
    )


def test_leaving_out_needs_a_reason_and_the_right(staff, reviewer):
    report = _report()
    with pytest.raises(PermissionDenied):
        report_exclude(actor=staff, report_id=report.pk, item="rd_intensity", reason="未发布")
    with pytest.raises(ValidationError, match="理由"):
        report_exclude(actor=reviewer, report_id=report.pk, item="rd_intensity", reason="  ")


def test_the_reason_is_shown_with_the_exclusion(reviewer_client):
    report = _report()
    reviewer_client.post(
        reverse("reports:annualreport_exclude", args=[report.pk]), {"item": "rd_intensity", "reason": "统计局未发布"}
    )
    page = reviewer_client.get(report.get_absolute_url()).content.decode()
    assert "确认：统计局未发布）" in page


def test_the_plan_cannot_be_left_out_and_needs_targets_or_plan_text(reviewer):
    _county(output="3e6")
    report = _report()
    plan = next(p for p in report_completeness(report_snapshot(report)).blocking if p.item == "plan_targets")
    assert not plan.excludable
    with pytest.raises(ValidationError):
        report_exclude(actor=reviewer, report_id=report.pk, item="plan_targets", reason="无")
    report.plan_talent = "进一步密切我县企业与省内外高校的合作关系。"
    report.save()
    assert "plan_targets" not in {p.item for p in report_completeness(report_snapshot(report)).blocking}


def test_the_plan_section_is_written_from_staff_text_alone(tmp_path):
    _county(output="3e6")
    _report(plan_talent="进一步密切我县企业与省内外高校的合作关系。")
    out = tmp_path / "r.pdf"
    call_command("build_report", year=YEAR, out=str(out), stdout=io.StringIO())
    text = "".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    # (numbered 二、: with no records the summary has nothing to state, not even 研发投入强度达到0%)
    assert re.search(f"[一二三]、{YEAR + 1}年工作计划", text) and "进一步密切我县企业与省内外高校的合作关系" in text


def test_plan_links_lead_only_to_pages_the_user_may_open_else_name_the_role(staff, admin_user):
    _county(output="3e6")
    report = _report()
    snapshot = report_snapshot(report)
    for_staff = next(p for p in report_completeness(snapshot, user=staff).problems if p.item == "plan_targets")
    assert f"请管理员录入{YEAR + 1}年年度目标" in for_staff.message
    assert not any("annualtarget" in url or "/ledgers/targets/" in url for _, url in for_staff.links)
    assert any("edit" in url for _, url in for_staff.links)  # the plan text the staff may write
    for_admin = next(p for p in report_completeness(snapshot, user=admin_user).problems if p.item == "plan_targets")
    assert "请管理员" not in for_admin.message
    assert any("/ledgers/targets/" in url for _, url in for_admin.links)


def test_the_403_page_names_the_users_role_and_who_can(staff_client, leader_client):
    report = _report()
    url = reverse("reports:annualreport_exclude", args=[report.pk])
    page = staff_client.post(url, {"item": "rd_intensity", "reason": "x"}).content.decode()
    assert "您的角色是<strong>科员</strong>" in page and "股室负责人" in page
    page = leader_client.post(url, {"item": "rd_intensity", "reason": "x"}).content.decode()
    assert "<strong>局领导</strong>" in page and "只能查看" in page
