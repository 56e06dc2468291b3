"""The auditor's pages: the log, filtered, and its .xlsx export. Read-only: no view writes a row
except the export's own record of itself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bureau.records.export import xlsx_response

from .filtersets import AuditEventFilterSet
from .models import AuditEvent, AuditKind
from .roles import is_auditor
from .services import audit_log

HEADERS = ["时间", "事件", "用户", "登录名", "客户端地址", "对象类型", "对象编号", "对象", "说明", "请求地址"]


def _row(e: AuditEvent) -> list:
    return [
        e.occurred_at,
        e.get_kind_display(),
        e.actor_name,
        e.username,
        e.ip,
        e.object_type,
        e.object_id,
        e.object_repr,
        e.detail,
        e.path,
    ]


@require_GET
def event_list(request):
    # 三权分立: the audit log is the 审计员's, not the 管理员's (a superuser is not an auditor).
    if not is_auditor(request.user):
        raise PermissionDenied("只有审计员可以查看审计日志。")
    filterset = AuditEventFilterSet(request.GET or None, queryset=AuditEvent.objects.all())
    events = filterset.qs if filterset.is_bound and filterset.is_valid() else AuditEvent.objects.all()
    if request.GET.get("export") == "xlsx":
        audit_log(AuditKind.EXPORT, request=request, detail=f"导出审计日志（{request.GET.urlencode()}）")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        rows = (_row(e) for e in events.iterator(chunk_size=2000))
        return xlsx_response(filename=f"审计日志-{stamp}.xlsx", sheet_title="审计日志", headers=HEADERS, rows=rows)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    export_query = query.copy()
    export_query["export"] = "xlsx"
    return render(
        request,
        "audit/event_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "export_query": export_query.urlencode(),
        },
    )
