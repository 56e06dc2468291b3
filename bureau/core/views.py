from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.db import connections
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bureau.records.declarations import Record
from bureau.registry import register_record, registry

from .filtersets import ActivityFilterSet, PolicyFilterSet
from .forms import ActivityForm, PolicyForm, SiteSettingsForm
from .models import Activity, Policy
from .selectors import site_settings
from .services import site_settings_update
from .tables import ActivityTable, PolicyTable


@register_record
class PolicyRecord(Record):
    model = Policy
    filterset = PolicyFilterSet
    table = PolicyTable
    form = PolicyForm
    menu_group = "综合"
    menu_order = 10
    menu_icon = "bi-file-earmark-text"


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


def home(request):
    """Staff and reviewers land on their reminders; the dashboard app may take over this page."""
    today = timezone.localdate()
    reminders = []
    for provider in registry["reminders"]:
        reminders.extend(provider(user=request.user, today=today))
    return render(request, "core/home.html", {"reminders": reminders, "today": today})


@permission_required("core.change_sitesettings", raise_exception=True)
def site_settings_edit(request):
    current = site_settings()
    form = SiteSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        site_settings_update(**form.cleaned_data)
        messages.success(request, "门户设置已保存。")
        return redirect("site_settings")
    return render(request, "core/site_settings.html", {"form": form})


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


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
