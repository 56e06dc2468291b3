"""The reports in the portal (every kind, ``reports.kinds``): a record type (list/add/edit from the generic machinery) with its
own detail page (completeness check, versions with live progress, sign-off), the HTML preview
where every figure links to its records, and the downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from bureau.records.declarations import Record
from bureau.records.views import RecordDetailView
from bureau.registry import register_record

from . import report_services
from .kinds import KINDS, PLAN_FIELDS, TEXT_LABELS
from .models import AnnualReport, ReportBuild
from .report_filtersets import AnnualReportFilterSet
from .report_forms import AnnualReportForm
from .report_selectors import build_is_stale, report_completeness, report_detail, report_snapshot
from .report_services import (
    SIGNOFF_PERMISSION,
    report_build_expire,
    report_build_start,
    report_exclude,
    report_include,
    report_signoff,
)
from .report_tables import AnnualReportTable
from .sections import build_document

VIEW = "reports.view_annualreport"
CHANGE = "reports.change_annualreport"
POLL_SECONDS = 1


class AnnualReportDetailView(RecordDetailView):
    """The report's page: what is missing, the versions and their progress, the staff's text."""

    def get_template_names(self):
        return ["reports/report_detail.html"]

    def get_object(self, queryset=None):
        try:
            report = report_detail(self.kwargs["pk"])
        except AnnualReport.DoesNotExist as exc:
            raise Http404 from exc
        for build in report.builds.all():
            if build_is_stale(build):
                report_build_expire(build_id=build.pk)
                report = report_detail(report.pk)
                break
        return report

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        snapshot = report_snapshot(report)
        user = self.request.user
        builds = list(report.builds.all())
        title_label = AnnualReport._meta.get_field("title").verbose_name
        # The staff texts of this kind only (a briefing has no per-area plan, an annual report no 汇报对象).
        kind = report.report_kind
        hidden = {TEXT_LABELS[n] for k in KINDS.values() for n in k.text_fields if n not in kind.text_fields}
        if not kind.audience:
            hidden.add(AnnualReport._meta.get_field("audience").verbose_name)
        context["fields"] = [
            (label, f"{report.display_title}（默认）" if label == title_label and not value else value)
            for label, value in context["fields"]
            if str(label) not in hidden
        ]
        context.update(
            check=report_completeness(snapshot, user=user),
            builds=builds,
            active=next((b for b in builds if b.is_active), None),
            can_build=user.has_perm(CHANGE),
            can_signoff=user.has_perm(SIGNOFF_PERMISSION),
            poll_seconds=POLL_SECONDS,
        )
        return context


@register_record
class AnnualReportRecord(Record):
    model = AnnualReport
    filterset = AnnualReportFilterSet
    table = AnnualReportTable
    form = AnnualReportForm
    detail_view = AnnualReportDetailView
    # The detail page shows what staff write; state, sign-off and versions have their own panels.
    detail_fields = (
        "kind",
        "year",
        "audience",
        "title",
        "report_date",
        "opening",
        "problems",
        "plan_intro",
        *(n for n, _ in PLAN_FIELDS),
        "next_steps",
        "closing",
    )
    url_base = "annual/"
    menu_group = "统计与报告"
    menu_order = 50
    menu_icon = "bi-file-earmark-richtext"

    create_service = report_services.annual_report_create
    update_service = report_services.annual_report_update


def _messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def build_start(request, pk: int):
    report = get_object_or_404(AnnualReport, pk=pk)
    try:
        build = report_build_start(actor=request.user, report_id=report.pk)
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(request, f"已开始生成第{build.version}版，完成后可下载 PDF 和 Word。")
    return redirect(report.get_absolute_url())


@require_GET
@permission_required(VIEW, raise_exception=True)
def build_status(request, pk: int):
    """The progress row of one build, polled by htmx while it runs; the page reloads when it ends."""
    build = get_object_or_404(ReportBuild.objects.defer("snapshot").select_related("report"), pk=pk)
    if build_is_stale(build):
        build = report_build_expire(build_id=build.pk)
    response = render(request, "reports/report_build_status.html", {"build": build, "poll_seconds": POLL_SECONDS})
    if request.htmx and not build.is_active:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@permission_required(VIEW, raise_exception=True)
def preview(request, pk: int):
    """The report as it would be built now, every figure linked to the records behind it."""
    report = get_object_or_404(AnnualReport, pk=pk)
    snapshot = report_snapshot(report)
    return render(
        request,
        "reports/report_preview.html",
        {
            "report": report,
            "doc": build_document(snapshot),
            "check": report_completeness(snapshot, user=request.user),
            "links": True,
            "live": True,
        },
    )


@require_GET
@permission_required(VIEW, raise_exception=True)
def build_detail(request, pk: int):
    """A built version as it was frozen: its figures link to today's records for checking."""
    build = get_object_or_404(ReportBuild.objects.select_related("report", "created_by"), pk=pk)
    if build.snapshot is None:
        raise Http404
    return render(
        request,
        "reports/report_preview.html",
        {"report": build.report, "build": build, "doc": build_document(build.snapshot), "links": True},
    )


@require_GET
@permission_required(VIEW, raise_exception=True)
def download(request, pk: int, fmt: str):
    build = get_object_or_404(ReportBuild.objects.select_related("report"), pk=pk)
    field = {"pdf": build.pdf, "docx": build.docx}.get(fmt)
    if build.state != ReportBuild.State.SUCCEEDED or not field:
        raise Http404("该版本尚未生成文件")
    return FileResponse(field.open("rb"), as_attachment=True, filename=build.file_name(fmt))


@require_POST
@permission_required(VIEW, raise_exception=True)
def exclude(request, pk: int):
    report = get_object_or_404(AnnualReport, pk=pk)
    item = request.POST.get("item", "")
    try:
        if request.POST.get("undo"):
            report_include(actor=request.user, report_id=report.pk, item=item)
            messages.success(request, "已恢复：该项需补齐数据后才能生成报告。")
        else:
            report_exclude(actor=request.user, report_id=report.pk, item=item, reason=request.POST.get("reason", ""))
            messages.success(request, "已确认该项不写入报告。")
    except ValidationError as exc:
        _messages(request, exc)
    except PermissionDenied:
        raise
    return redirect(report.get_absolute_url())


@require_POST
@permission_required(VIEW, raise_exception=True)
def signoff(request, pk: int):
    report = get_object_or_404(AnnualReport, pk=pk)
    try:
        report = report_signoff(actor=request.user, report_id=report.pk, build_id=int(request.POST.get("build", 0)))
    except (ValidationError, ValueError) as exc:
        _messages(request, exc if isinstance(exc, ValidationError) else ValidationError("版本无效。"))
    else:
        messages.success(request, f"已签发第{report.signed_off_build.version}版。")
    return redirect(report.get_absolute_url())


report_urlpatterns = [
    path("annual/<int:pk>/build/", build_start, name="annualreport_build"),
    path("annual/<int:pk>/preview/", preview, name="annualreport_preview"),
    path("annual/<int:pk>/exclude/", exclude, name="annualreport_exclude"),
    path("annual/<int:pk>/signoff/", signoff, name="annualreport_signoff"),
    path("builds/<int:pk>/", build_detail, name="reportbuild_detail"),
    path("builds/<int:pk>/status/", build_status, name="reportbuild_status"),
    path("builds/<int:pk>/<str:fmt>/", download, name="reportbuild_download"),
]
