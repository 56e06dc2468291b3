"""Writes of the reports (every kind: ``reports.kinds``): the staff's text, exclusions, sign-off, and the build of a version.

A build is a ``ReportBuild`` row: ``report_build_start`` checks completeness, freezes the snapshot
and queues the Celery task after commit; ``report_build_run`` (the task's one service) renders
PDF and DOCX from that snapshot. It may run more than once for one build (acks_late redelivery
after a lost worker), so every step is idempotent: a finished build is left alone, files are
written under fixed names, and the state only moves forward.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bureau.audit.models import AuditKind
from bureau.audit.services import audit_log
from bureau.permissions import Actor, require_permission
from bureau.services import UNSET, Unset, record_save

from .models import AnnualReport, CityRanking, ReportAreaText, ReportBuild, ReportExclusion
from .report_selectors import (
    build_is_stale,
    next_version,
    report_completeness,
    report_snapshot,
)

logger = logging.getLogger(__name__)

SIGNOFF_PERMISSION = "reports.signoff_annualreport"
STALE_MESSAGE = "生成任务长时间没有进展（可能因服务重启而中断），已停止。请重新生成。"


@transaction.atomic
def annual_report_create(
    *,
    actor: Actor,
    year: int,
    kind: str | Unset = UNSET,
    audience: str | Unset = UNSET,
    title: str | Unset = UNSET,
    report_date: datetime.date | None | Unset = UNSET,
    opening: str | Unset = UNSET,
    problems: str | Unset = UNSET,
    plan_intro: str | Unset = UNSET,
    plan_policy: str | Unset = UNSET,
    plan_projects: str | Unset = UNSET,
    plan_talent: str | Unset = UNSET,
    plan_enterprise: str | Unset = UNSET,
    plan_ip: str | Unset = UNSET,
    plan_services: str | Unset = UNSET,
    next_steps: str | Unset = UNSET,
    closing: str | Unset = UNSET,
) -> AnnualReport:
    require_permission(actor, AnnualReport, "add")
    return record_save(
        AnnualReport(),
        year=year,
        kind=kind,
        audience=audience,
        title=title,
        report_date=report_date,
        opening=opening,
        problems=problems,
        plan_intro=plan_intro,
        plan_policy=plan_policy,
        plan_projects=plan_projects,
        plan_talent=plan_talent,
        plan_enterprise=plan_enterprise,
        plan_ip=plan_ip,
        plan_services=plan_services,
        next_steps=next_steps,
        closing=closing,
    )


@transaction.atomic
def annual_report_update(
    *,
    actor: Actor,
    annual_report: AnnualReport,
    year: int | Unset = UNSET,
    kind: str | Unset = UNSET,
    audience: str | Unset = UNSET,
    title: str | Unset = UNSET,
    report_date: datetime.date | None | Unset = UNSET,
    opening: str | Unset = UNSET,
    problems: str | Unset = UNSET,
    plan_intro: str | Unset = UNSET,
    plan_policy: str | Unset = UNSET,
    plan_projects: str | Unset = UNSET,
    plan_talent: str | Unset = UNSET,
    plan_enterprise: str | Unset = UNSET,
    plan_ip: str | Unset = UNSET,
    plan_services: str | Unset = UNSET,
    next_steps: str | Unset = UNSET,
    closing: str | Unset = UNSET,
) -> AnnualReport:
    """Edit a report's text; the year of a report with built versions stays fixed."""
    require_permission(actor, AnnualReport, "change")
    before = AnnualReport.objects.select_for_update().get(pk=annual_report.pk)
    if year is not UNSET and before.year != year and before.builds.exists():
        raise ValidationError({"year": "该报告已有生成的版本，不能修改年度；请为新年度新建报告。"})
    if kind is not UNSET and before.kind != kind and before.builds.exists():
        raise ValidationError({"kind": "该报告已有生成的版本，不能修改报告类型；请新建报告。"})
    return record_save(
        annual_report,
        year=year,
        kind=kind,
        audience=audience,
        title=title,
        report_date=report_date,
        opening=opening,
        problems=problems,
        plan_intro=plan_intro,
        plan_policy=plan_policy,
        plan_projects=plan_projects,
        plan_talent=plan_talent,
        plan_enterprise=plan_enterprise,
        plan_ip=plan_ip,
        plan_services=plan_services,
        next_steps=next_steps,
        closing=closing,
    )


@transaction.atomic
def report_exclude(*, actor: Actor, report_id: int, item: str, reason: str) -> ReportExclusion:
    """A reviewer confirms that a figure without its inputs is left out of the report (不写入报告),
    saying why. The one place the right is checked: the page and ``build_report --leave-out`` call it.
    The plan section cannot be left out (the title promises it): it needs targets or plan text.
    Unlike other writes, the system may not do it: an exclusion names the person who answers for it."""
    if actor is None:
        raise PermissionDenied("不写入报告须由股室负责人或管理员确认（命令行请用 --user 指明确认人）。")
    require_permission(actor, AnnualReport, "signoff", doing="确认不写入报告")
    if not reason.strip():
        raise ValidationError("请填写不写入报告的理由。")
    report = AnnualReport.objects.select_for_update().get(pk=report_id)
    from bureau.registry import registry

    if item not in registry["indicators"]:
        raise ValidationError("没有这个指标。")
    exclusion, _ = ReportExclusion.objects.update_or_create(
        report=report, item=item, defaults={"reason": reason.strip()[:200], "created_by": actor}
    )
    audit_log(AuditKind.EXCLUDE, actor=actor, target=report, detail=f"不写入报告：{item}；理由：{exclusion.reason}")
    return exclusion


@transaction.atomic
def report_include(*, actor: Actor, report_id: int, item: str) -> None:
    """Undo 不写入报告: the figure is required again."""
    require_permission(actor, AnnualReport, "signoff", doing="恢复不写入报告的指标")
    if ReportExclusion.objects.filter(report_id=report_id, item=item).delete()[0]:
        report = AnnualReport.objects.get(pk=report_id)
        audit_log(AuditKind.EXCLUDE, actor=actor, target=report, detail=f"撤销不写入报告：{item}")


@transaction.atomic
def report_build_start(*, actor: Actor, report_id: int, enqueue: bool = True) -> ReportBuild:
    """Freeze the figures as a new version and queue its build; refused while data is missing.

    ``enqueue=False`` leaves running the task to the caller (``build_report`` command runs it
    synchronously with ``apply``)."""
    require_permission(actor, AnnualReport, "change", doing="生成工作报告")
    report = AnnualReport.objects.select_for_update().get(pk=report_id)
    for active in report.builds.filter(state__in=(ReportBuild.State.QUEUED, ReportBuild.State.RUNNING)):
        if not build_is_stale(active):
            raise ValidationError(f"第{active.version}版正在生成中，请等待其完成。")
        _fail(active, STALE_MESSAGE)
    snapshot = report_snapshot(report)
    check = report_completeness(snapshot, user=actor)
    if not check.ok:
        raise ValidationError(["报告所需数据不完整，不能生成："] + [p.message for p in check.blocking])
    build = ReportBuild(
        report=report,
        version=next_version(report),
        snapshot=snapshot,
        as_of=snapshot["as_of"],
        created_by=actor,
        message="已排队，等待生成…",
    )
    build.full_clean(exclude=["pdf", "docx"])
    build.save()
    report.state = AnnualReport.State.BUILDING
    report.save(update_fields=["state", "updated_at"])

    if enqueue:
        from bureau.tasks import enqueue as queue_task

        from .tasks import build_report

        queue_task(build_report, build.pk)  # TaskQueueUnavailable (a ValidationError) rolls this back
    return build


def _progress(build_id: int, progress: int, message: str) -> None:
    """Visible at once to the page polling it (autocommit, outside the render)."""
    ReportBuild.objects.filter(pk=build_id, state=ReportBuild.State.RUNNING).update(
        progress=progress, message=message, heartbeat_at=timezone.now()
    )


FORMATS = ("pdf", "docx")


def report_build_run(*, build_id: int, formats: tuple[str, ...] = FORMATS) -> ReportBuild:
    """Render the version's PDF and DOCX (or only ``formats``) from its snapshot. Safe to run again
    for the same build."""
    from .pdf import render_pdf, render_report_html
    from .sections import build_document

    with transaction.atomic():
        build = ReportBuild.objects.select_for_update().get(pk=build_id)
        if not build.is_active:
            return build  # redelivered after it ended: nothing to do
        now = timezone.now()
        build.attempts += 1
        build.state = ReportBuild.State.RUNNING
        build.started_at = build.started_at or now
        build.heartbeat_at = now
        build.progress = 10
        build.message = "正在生成…" if build.attempts == 1 else f"上次生成中断，正在第{build.attempts}次生成…"
        build.save(update_fields=["attempts", "state", "started_at", "heartbeat_at", "progress", "message"])

    document = build_document(build.snapshot)
    files, fonts_used = [], []
    if "pdf" in formats:
        _progress(build_id, 30, "正在排版 PDF…")
        files.append(("pdf", render_pdf(render_report_html(document), fonts_used=fonts_used)))
    if "docx" in formats:
        from .docx import render_docx  # python-docx and lxml: only when a Word file is asked for

        _progress(build_id, 75, "正在生成 Word 文档…")
        files.append(("docx", render_docx(document)))
    _progress(build_id, 90, "正在保存文件…")

    with transaction.atomic():
        build = ReportBuild.objects.select_for_update().select_related("report").get(pk=build_id)
        if build.state != ReportBuild.State.RUNNING:
            return build  # failed meanwhile (stale or timed out): keep that outcome
        report = build.report
        kind = "" if report.kind == "annual" else f"-{report.kind.replace('_', '-')}"
        stem = f"report-{report.year}{kind}-v{build.version}"
        for ext, data in files:
            field = build.pdf if ext == "pdf" else build.docx
            if field.name:
                field.storage.delete(field.name)  # a redelivered run overwrites, never duplicates
            field.save(f"{stem}.{ext}", ContentFile(data), save=False)
        if fonts_used:
            build.fonts = fonts_used
        build.state = ReportBuild.State.SUCCEEDED
        build.progress = 100
        build.message = "已生成"
        build.finished_at = build.heartbeat_at = timezone.now()
        build.save()
        _sync_report_state(build)
        _announce_build(build)
    return build


def _announce_build(build: ReportBuild) -> None:
    """Whoever started a build hears how it ended."""
    from bureau.notifications.services import notify

    ok = build.state == ReportBuild.State.SUCCEEDED
    notify(
        recipients=[build.created_by_id],
        kind="report_built" if ok else "report_failed",
        title=("「%(b)s」已生成" if ok else "「%(b)s」生成失败") % {"b": build},
        body="" if ok else build.message,
        url=build.report.get_absolute_url(),
    )


def _fail(build: ReportBuild, message: str) -> ReportBuild:
    build.state = ReportBuild.State.FAILED
    build.message = message[:500]
    build.finished_at = timezone.now()
    build.save(update_fields=["state", "message", "finished_at"])
    _sync_report_state(build)
    _announce_build(build)
    return build


def _sync_report_state(build: ReportBuild) -> None:
    """The report's state follows its latest version."""
    report = AnnualReport.objects.select_for_update().get(pk=build.report_id)
    latest = report.builds.order_by("-version").values_list("pk", flat=True).first()
    if latest != build.pk:
        return
    report.state = {
        ReportBuild.State.SUCCEEDED: AnnualReport.State.BUILT,
        ReportBuild.State.FAILED: AnnualReport.State.FAILED,
    }.get(build.state, AnnualReport.State.BUILDING)
    report.save(update_fields=["state", "updated_at"])


@transaction.atomic
def report_build_fail(*, build_id: int, message: str) -> ReportBuild:
    """End a build in 失败 with a readable message (a finished build keeps its outcome)."""
    build = ReportBuild.objects.select_for_update().get(pk=build_id)
    if not build.is_active:
        return build
    return _fail(build, message)


@transaction.atomic
def report_build_expire(*, build_id: int) -> ReportBuild:
    """Fail a build whose worker is gone for good, so a page never shows 生成中 forever."""
    build = ReportBuild.objects.select_for_update().get(pk=build_id)
    if build_is_stale(build):
        return _fail(build, STALE_MESSAGE)
    return build


@transaction.atomic
def report_signoff(*, actor: Actor, report_id: int, build_id: int) -> AnnualReport:
    """股室负责人 sign off one built version as the report for the meeting."""
    require_permission(actor, AnnualReport, "signoff", doing="签发工作报告")
    report = AnnualReport.objects.select_for_update().get(pk=report_id)
    build = ReportBuild.objects.filter(pk=build_id, report=report).first()
    if build is None or build.state != ReportBuild.State.SUCCEEDED:
        raise ValidationError("只能签发已生成的版本。")
    report.signed_off_build = build
    report.signed_off_by = actor
    report.signed_off_at = timezone.now()
    report.save(update_fields=["signed_off_build", "signed_off_by", "signed_off_at", "updated_at"])
    audit_log(AuditKind.SIGNOFF, actor=actor, target=report, detail=f"签发第{build.version}版")
    return report


# ---------------------------------------------------------------- 全市排名 and the staff's area texts


@transaction.atomic
def city_ranking_create(
    *,
    actor: Actor,
    indicator: str,
    year: int,
    rank: int,
    out_of: int,
    source: str,
    subject: str | Unset = UNSET,
) -> CityRanking:
    require_permission(actor, CityRanking, "add")
    return record_save(
        CityRanking(), indicator=indicator, year=year, rank=rank, out_of=out_of, source=source, subject=subject
    )


@transaction.atomic
def city_ranking_update(
    *,
    actor: Actor,
    city_ranking: CityRanking,
    indicator: str | Unset = UNSET,
    year: int | Unset = UNSET,
    rank: int | Unset = UNSET,
    out_of: int | Unset = UNSET,
    source: str | Unset = UNSET,
    subject: str | Unset = UNSET,
) -> CityRanking:
    require_permission(actor, city_ranking, "change")
    return record_save(
        city_ranking, indicator=indicator, year=year, rank=rank, out_of=out_of, source=source, subject=subject
    )


@transaction.atomic
def report_area_texts_save(*, actor: Actor, report_id: int, texts: dict[str, tuple[str, str]]) -> AnnualReport:
    """The staff's lead and 亮点/补充 text of each area of 一、(``{area key: (lead, highlight)}``);
    an area left empty keeps no row."""
    from bureau.registry import registry

    report = AnnualReport.objects.select_for_update().get(pk=report_id)
    require_permission(actor, report, "change")
    areas = {section.key for section in registry["report_sections"]}
    unknown = set(texts) - areas
    if unknown:
        raise ValidationError("没有这个部分：{}".format("、".join(sorted(unknown))))
    for area, (lead, highlight) in texts.items():
        lead, highlight = lead.strip(), highlight.strip()
        current = ReportAreaText.objects.filter(report=report, area=area).first()
        if not lead and not highlight:
            if current is not None:
                current.delete()
            continue
        row = current or ReportAreaText(report=report, area=area)
        if (row.lead, row.highlight) == (lead, highlight) and row.pk:
            continue
        row.lead, row.highlight = lead, highlight
        row.full_clean()
        row.save()
    report.save(update_fields=["updated_at"])
    return report
