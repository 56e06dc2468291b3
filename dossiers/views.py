"""Dossier downloads, the enterprise PDF, and the background build of a list's dossier."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from programs.filtersets import ApplicationFilterSet
from programs.models import Application

from . import services
from .selectors import dossier_build_for

POLL_SECONDS = 1


def _refused(request, exc: ValidationError, to: str):
    for message in exc.messages:
        messages.error(request, message)
    return redirect(to)


@require_GET
def application_zip(request, pk: int):
    try:
        out, name = services.dossier_application_zip(actor=request.user, application_id=pk)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")


@require_GET
def enterprise_zip(request, pk: int):
    try:
        out, name = services.dossier_enterprise_zip(actor=request.user, enterprise_id=pk)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")


@require_GET
def enterprise_pdf(request, pk: int):
    try:
        data, name = services.enterprise_pdf(actor=request.user, enterprise_id=pk)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type="application/pdf")


@require_POST
def applications_build(request):
    """The dossier of the application list as filtered (the list's query string, posted back)."""
    query = QueryDict(request.POST.get("query", ""))
    filterset = ApplicationFilterSet(query, queryset=Application.objects.all(), request=request)
    list_url = reverse("programs:application_list") + (f"?{query.urlencode()}" if query else "")
    if not filterset.is_valid():
        messages.error(request, "筛选条件有误，无法导出档案。")
        return redirect(list_url)
    ids = list(filterset.qs.values_list("pk", flat=True))
    try:
        build = services.dossier_build_start(actor=request.user, application_ids=ids, title=_title(filterset))
    except ValidationError as exc:
        return _refused(request, exc, list_url)
    return redirect("dossiers:build_detail", pk=build.pk)


def _title(filterset) -> str:
    parts = [str(v) for k, v in filterset.form.cleaned_data.items() if v not in (None, "", [])]
    return "项目申报档案" + (f"（{'，'.join(parts)}）" if parts else "（全部）")


@require_GET
def build_detail(request, pk: int):
    build = dossier_build_for(actor=request.user, pk=pk)
    return render(request, "dossiers/build_detail.html", {"build": build, "poll_seconds": POLL_SECONDS})


@require_GET
def build_status(request, pk: int):
    """The progress of one build, polled by htmx while it runs; the page reloads when it ends."""
    build = services.dossier_build_expire(build=dossier_build_for(actor=request.user, pk=pk))
    response = render(request, "dossiers/build_status.html", {"build": build, "poll_seconds": POLL_SECONDS})
    if request.htmx and not build.is_active:
        response["HX-Refresh"] = "true"
    return response


@require_GET
def build_download(request, pk: int):
    build = services.dossier_build_download(actor=request.user, pk=pk)
    return FileResponse(build.file.open("rb"), as_attachment=True, filename=build.file_name())
