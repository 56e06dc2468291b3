"""The report's services have the one service shape: ``actor`` keyword-only, rights checked in the
service (``actor=None`` is the system), a refusal naming the roles that may."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied

from bureau.accounts.roles import ADMIN, LEADER, REVIEWER, STAFF
from reports import report_services
from reports.models import ReportBuild
from tests.conftest import make_user
from tests.reports.factories import YEAR, AnnualReportFactory, complete_inputs, fake_indicators  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_indicators")]

ACTOR_SERVICES = ["annual_report_create", "annual_report_update", "report_exclude", "report_include"]
ACTOR_SERVICES += ["report_build_start", "report_signoff"]


@pytest.mark.parametrize("name", ACTOR_SERVICES)
def test_every_report_service_a_user_calls_takes_a_keyword_only_actor(name):
    params = inspect.signature(getattr(report_services, name)).parameters
    assert params["actor"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "by" not in params


def test_no_report_service_takes_by():
    for name, func in vars(report_services).items():
        if inspect.isfunction(func) and func.__module__ == report_services.__name__ and not name.startswith("_"):
            assert "by" not in inspect.signature(func).parameters, name


@pytest.mark.parametrize(
    ("role", "allowed"), [(STAFF, True), (REVIEWER, True), (ADMIN, True), (LEADER, False), (None, True)]
)
def test_building_a_version_needs_the_right_to_change_the_report(role, allowed):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    actor = make_user(role) if role else None
    if allowed:
        build = report_services.report_build_start(actor=actor, report_id=report.pk, enqueue=False)
        assert build.created_by == actor
    else:
        with pytest.raises(PermissionDenied, match="只有科员、股室负责人、管理员可以生成工作报告"):
            report_services.report_build_start(actor=actor, report_id=report.pk, enqueue=False)
        assert not report.builds.exists()


@pytest.mark.parametrize(("role", "allowed"), [(STAFF, False), (LEADER, False), (REVIEWER, True), (None, True)])
def test_signing_off_a_version_is_the_reviewers_and_a_refusal_names_who_may(role, allowed):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    build = report_services.report_build_start(actor=None, report_id=report.pk, enqueue=False)
    ReportBuild.objects.filter(pk=build.pk).update(state=ReportBuild.State.SUCCEEDED)
    actor = make_user(role) if role else None
    if allowed:
        report = report_services.report_signoff(actor=actor, report_id=report.pk, build_id=build.pk)
        assert (report.signed_off_build, report.signed_off_by) == (build, actor)
    else:
        with pytest.raises(PermissionDenied, match="只有股室负责人、管理员可以签发工作报告"):
            report_services.report_signoff(actor=actor, report_id=report.pk, build_id=build.pk)
        report.refresh_from_db()
        assert report.signed_off_build is None


def test_a_staff_member_leaving_a_figure_out_is_told_who_may():
    report = AnnualReportFactory(year=YEAR)
    with pytest.raises(PermissionDenied, match="只有股室负责人、管理员可以确认不写入报告"):
        report_services.report_exclude(actor=make_user(STAFF), report_id=report.pk, item="rd_intensity", reason="x")
    assert not report.exclusions.exists()


def test_an_exclusion_names_a_person_so_the_system_may_not_leave_a_figure_out():
    report = AnnualReportFactory(year=YEAR)
    with pytest.raises(PermissionDenied, match="--user"):
        report_services.report_exclude(actor=None, report_id=report.pk, item="rd_intensity", reason="未发布")
    assert not report.exclusions.exists()


def test_only_a_reviewer_takes_a_left_out_figure_back():
    report = AnnualReportFactory(year=YEAR)
    reviewer = make_user(REVIEWER)
    exclusion = report_services.report_exclude(actor=reviewer, report_id=report.pk, item="rd_intensity", reason="x")
    assert exclusion.created_by == reviewer
    with pytest.raises(PermissionDenied, match="只有股室负责人、管理员可以恢复不写入报告的指标"):
        report_services.report_include(actor=make_user(STAFF), report_id=report.pk, item="rd_intensity")
    assert report.exclusions.exists()
    report_services.report_include(actor=reviewer, report_id=report.pk, item="rd_intensity")
    assert not report.exclusions.exists()
