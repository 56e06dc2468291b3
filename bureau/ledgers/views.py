"""Excel ledger pages: the ledger list, template download, upload → preview → confirm."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from bureau.ledgers import jobs, safety
from bureau.ledgers.columns import Ledger, get_ledger
from bureau.ledgers.template import ledger_template as build_template
from bureau.ledgers.validation import STATUS_LABELS
from bureau.records.export import xlsx_download
from bureau.records.models import ImportJob
from bureau.records.urls import record_url
from bureau.registry import registry
from bureau.tasks import TaskQueueUnavailable

ROWS_SHOWN = 300
NEW_PROGRAM = "新增计划："


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel文件（.xlsx）",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": "请选择要导入的 .xlsx 文件。", "empty": "文件是空的（0字节）。"},
    )


def _ledger_or_404(slug: str) -> type[Ledger]:
    ledger = get_ledger(slug)
    if ledger is None:
        raise Http404("没有这个台账。")
    return ledger


def _require_import(user, ledger: type[Ledger]) -> None:
    if not ledger.user_can_import(user):
        raise PermissionDenied


def _list_url(ledger: type[Ledger]) -> str | None:
    if ledger.model._meta.label_lower not in registry["records"]:
        return None
    try:
        return record_url(ledger.model, "list")
    except NoReverseMatch:
        return None


def ledger_index(request):
    """Every ledger the user may read: its template, and its import when the user may write."""
    rows = []
    for ledger in registry["ledgers"].values():
        if not request.user.has_perm(ledger.permission("view")):
            continue
        rows.append(
            {
                "ledger": ledger,
                "can_import": ledger.user_can_import(request.user),
                "list_url": _list_url(ledger),
                "columns": ledger.columns,
            }
        )
    jobs = ImportJob.objects.filter(user=request.user).order_by("-created_at")[:10]
    names = {lg.slug: lg.name for lg in registry["ledgers"].values()}
    return render(request, "records/ledger_index.html", {"rows": rows, "jobs": jobs, "ledger_names": names})


def ledger_template(request, slug: str):
    ledger = _ledger_or_404(slug)
    if not request.user.has_perm(ledger.permission("view")):
        raise PermissionDenied
    return xlsx_download(build_template(ledger), f"{ledger.name}-导入模板.xlsx")


def ledger_import(request, slug: str):
    ledger = _ledger_or_404(slug)
    _require_import(request.user, ledger)
    form = UploadForm(request.POST or None, request.FILES or None)
    rejected: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_start(ledger=ledger, upload=form.cleaned_data["file"], user=request.user)
        except safety.FileRejected as exc:
            rejected = exc.messages
        else:
            return HttpResponseRedirect(reverse("ledger_job", args=[job.pk]))
    return render(
        request,
        "records/import.html",
        {
            "ledger": ledger,
            "form": form,
            "rejected": rejected,
            "list_url": _list_url(ledger),
            "model_opts": ledger.model._meta,
            "max_mb": safety.max_bytes() // (1024 * 1024),
            "max_rows": safety.max_rows(),
        },
        status=400 if rejected else 200,
    )


def _job_for(request, pk) -> tuple[ImportJob, type[Ledger]]:
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)  # a job is its uploader's only
    ledger = _ledger_or_404(job.ledger)
    _require_import(request.user, ledger)
    return job, ledger


def ledger_job(request, pk):
    job, ledger = _job_for(request, pk)
    if request.htmx and request.GET.get("partial"):
        response = render(request, "records/import_progress.html", {"job": job})
        if not job.running:
            response["HX-Refresh"] = "true"  # the full page shows the preview or the result
        return response
    result = job.result or {}
    show = request.GET.get("show", "")
    rows = result.get("rows", [])
    if show in STATUS_LABELS:
        rows = [r for r in rows if r["s"] == show]
    else:
        show = ""
    errors = [m for r in result.get("rows", []) for m in r.get("errors", [])]
    context = {
        "job": job,
        "ledger": ledger,
        "result": result,
        "counts": result.get("counts", {}),
        "rows": rows[:ROWS_SHOWN],
        "rows_hidden": max(0, len(rows) - ROWS_SHOWN),
        "show": show,
        "status_labels": STATUS_LABELS,
        "errors": errors,
        "message_lines": [line for line in job.message.splitlines() if line],
        "list_url": _list_url(ledger),
        "model_opts": ledger.model._meta,
        # What confirming adds to the program catalogue (the managed lists say so in the notices).
        "new_programs": sorted(
            {
                f.removeprefix(NEW_PROGRAM)
                for r in result.get("rows", [])
                for f in r.get("flags", [])
                if f.startswith(NEW_PROGRAM)
            }
        ),
    }
    return render(request, "records/import_job.html", context)


@require_POST
def ledger_job_confirm(request, pk):
    job, ledger = _job_for(request, pk)
    try:
        job, started = jobs.import_job_confirm(job=job, user=request.user)
    except TaskQueueUnavailable as exc:
        messages.error(request, exc.messages[0])
        return HttpResponseRedirect(reverse("ledger_job", args=[job.pk]))
    if not started:
        messages.warning(request, "该文件不在待确认状态（可能已导入或有错误），未重复导入。")
    elif job.status == ImportJob.Status.DONE:
        counts = job.result.get("counts", {})
        messages.success(
            request,
            "已导入%(name)s：新增 %(new)d 条，修改 %(changed)d 条，无变化 %(same)d 条。"
            % {
                "name": ledger.name,
                "new": counts.get("new", 0),
                "changed": counts.get("changed", 0),
                "same": counts.get("unchanged", 0),
            },
        )
    elif job.status in (ImportJob.Status.INVALID, ImportJob.Status.FAILED):
        messages.error(request, "导入前重新校验时发现问题，未导入任何数据，详见下方。")
    return HttpResponseRedirect(reverse("ledger_job", args=[job.pk]))


@require_POST
def ledger_job_discard(request, pk):
    job, ledger = _job_for(request, pk)
    if job.status in (ImportJob.Status.PREVIEW, ImportJob.Status.INVALID):
        jobs.import_job_discard(job=job)
        messages.info(request, "已放弃导入“%(file)s”，服务器上的文件已删除。" % {"file": job.filename})
    return HttpResponseRedirect(reverse("ledger_import", args=[ledger.slug]))
