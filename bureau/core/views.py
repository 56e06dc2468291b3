from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.db import connections
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bureau.records.declarations import Record
from bureau.records.views import RecordDetailView
from bureau.registry import register_record
from bureau.setup import SETUP_PERMISSION, checklist

from . import services
from .filtersets import ActivityFilterSet, AnnualTargetFilterSet, CountyYearFilterSet, PolicyFilterSet
from .forms import ActivityForm, AnnualTargetForm, CountyYearForm, PolicyForm, SiteSettingsForm
from .models import Activity, AnnualTarget, CountyYear, Policy
from .selectors import site_settings
from .services import annual_target_signoff, site_settings_dismiss_setup, site_settings_update
from .tables import ActivityTable, AnnualTargetTable, CountyYearTable, PolicyTable


@register_record
class PolicyRecord(Record):
    model = Policy
    filterset = PolicyFilterSet
    table = PolicyTable
    form = PolicyForm
    menu_group = "综合"
    menu_order = 10
    menu_icon = "bi-file-earmark-text"
    create_service = services.policy_create
    update_service = services.policy_update


@register_record
class ActivityRecord(Record):
    model = Activity
    filterset = ActivityFilterSet
    table = ActivityTable
    form = ActivityForm
    url_base = "activities/"
    menu_group = "综合"
    menu_order = 20
    menu_icon = "bi-calendar-event"
    create_service = services.activity_create
    update_service = services.activity_update


@register_record
class CountyYearRecord(Record):
    """县域基础数据: GDP and population, the denominators of the ratio indicators (admin)."""

    model = CountyYear
    filterset = CountyYearFilterSet
    table = CountyYearTable
    form = CountyYearForm
    menu_group = "统计与报告"
    menu_order = 40
    menu_icon = "bi-bar-chart-steps"
    create_service = services.county_year_create
    update_service = services.county_year_update


class AnnualTargetDetailView(RecordDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        indicator_field = str(AnnualTarget._meta.get_field("indicator").verbose_name)
        context["fields"] = [
            (label, obj.get_indicator_display() if str(label) == indicator_field else value)
            for label, value in context["fields"]
        ]
        context["can_signoff"] = self.request.user.has_perm("core.signoff_annualtarget")
        return context


@register_record
class AnnualTargetRecord(Record):
    """年度目标任务: a target per indicator and year (admin); 股室负责人 sign it off."""

    model = AnnualTarget
    queryset = AnnualTarget.objects.select_related("signed_off_by")
    filterset = AnnualTargetFilterSet
    table = AnnualTargetTable
    form = AnnualTargetForm
    detail_view = AnnualTargetDetailView
    export_fields = ("year", "indicator", "target", "notes", "signed_off_by")
    menu_group = "统计与报告"
    menu_order = 30
    menu_icon = "bi-bullseye"

    create_service = services.annual_target_create
    update_service = services.annual_target_update


def _seen_values(post) -> dict:
    """The signed values the signer's page sent back (hidden fields ``seen_<name>``)."""
    try:
        return {
            "year": int(post.get("seen_year", "")),
            "indicator": post.get("seen_indicator", ""),
            "target": Decimal(post.get("seen_target", "")),
        }
    except (ValueError, InvalidOperation):
        return {}


@require_POST
def annual_target_signoff_view(request, pk: int):
    target = get_object_or_404(AnnualTarget, pk=pk)
    try:
        annual_target_signoff(actor=request.user, target_id=target.pk, seen=_seen_values(request.POST))
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, f"已签核「{target}」。")
    return redirect(target.get_absolute_url())


@permission_required("core.change_sitesettings", raise_exception=True)
def site_settings_edit(request):
    current = site_settings()
    form = SiteSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        site_settings_update(actor=request.user, **form.cleaned_data)
        messages.success(request, "门户设置已保存。")
        return redirect("site_settings")
    return render(request, "core/site_settings.html", {"form": form})


@permission_required(SETUP_PERMISSION, raise_exception=True)
def setup_checklist_page(request):
    """The first-run checklist (管理员): every item, done or not, even after it left the home page."""
    return render(
        request,
        "core/setup_checklist.html",
        {"checklist": checklist(), "dismissed": site_settings().setup_dismissed},
    )


@require_POST
@permission_required(SETUP_PERMISSION, raise_exception=True)
def setup_checklist_dismiss(request):
    dismissed = request.POST.get("show") is None
    site_settings_dismiss_setup(actor=request.user, dismissed=dismissed)
    if dismissed:
        messages.success(request, "首页不再显示首次使用清单；可在“首次使用清单”页面随时查看。")
        return redirect("home")
    messages.success(request, "首次使用清单将在首页显示，直到各项完成。")
    return redirect("setup_checklist")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness for the load balancer: the database always, Redis when it is configured."""
    checks = {}
    healthy = True
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy, reported as text
        checks["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
            healthy = False
    body = {"status": "ok" if healthy else "error", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})


# What each role may do, and who does the rest: the 403 page says it to the user's own role.
ROLE_SCOPES = {
    "科员": "科员可以录入和修改业务记录、导入台账、生成报告；审核、签发和“不写入报告”由股室负责人办理，"
    "年度目标、县域基础数据、计划目录和名录由管理员维护。",
    "股室负责人": "股室负责人可以审核、签发和确认“不写入报告”；年度目标、县域基础数据、计划目录和名录由管理员维护。",
    "局领导": "局领导账号只能查看，不能修改；录入由科员办理，年度目标和县域基础数据由管理员维护。",
    "管理员": "管理员可以维护全部数据；如仍被拒绝，该操作可能只在特定状态下可用。",
}


def permission_denied(request, exception=None):
    from bureau.accounts.roles import ROLES, user_roles
    from bureau.audit.models import AuditKind
    from bureau.audit.services import audit_log

    audit_log(AuditKind.PERMISSION_DENIED, request=request, detail=str(exception or "")[:500])

    names = [ROLES[code].name for code in ROLES if code in user_roles(request.user)]
    context = {
        "role_names": "、".join(names),
        "scopes": [ROLE_SCOPES[n] for n in names if n in ROLE_SCOPES],
        "reason": str(exception or "") if exception is not None and str(exception) else "",
    }
    return render(request, "403.html", context, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
