"""The leaders' dashboard (also the home page) and the indicator table download."""

from __future__ import annotations

import tempfile

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from bureau.accounts.roles import restricted_home
from bureau.core.selectors import site_settings
from bureau.records.export import xlsx_download
from bureau.records.urls import record_url
from bureau.records.versioning import DATA_CACHE_TIMEOUT, data_version
from bureau.registry import registry
from bureau.reminders import my_work
from bureau.setup import home_checklist

from .dashboard import dashboard_charts
from .indicator_export import write_indicator_table
from .selectors import cache_prefix, default_year, indicator_groups, indicator_table

YEARS_BACK = 10


def selected_year(request) -> int:
    """``?year=Y`` when it is a sensible year, else the year the dashboard opens on."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default_year()
    return year if 1949 <= year <= 2100 else default_year()


def year_choices(year: int) -> list[int]:
    this_year = timezone.localdate().year
    years = set(range(this_year - YEARS_BACK, this_year + 2)) | {year}
    return sorted(years, reverse=True)


def reminders_for(user) -> list:
    """我的待办 (bureau.reminders.my_work): what the user can act on now, cached per user."""
    return my_work(user, today=timezone.localdate())


def dashboard_body(*, year: int, can_edit_base_data: bool) -> str:
    """The cards and charts of a year as HTML; cached until the next record write.

    Only a stale part is recomputed: figures are cached by the tables they read (reports.selectors).
    """
    key = f"{cache_prefix()}:body:{data_version()}:{year}:{int(can_edit_base_data)}"
    html = cache.get(key)
    if html is None:
        rows = indicator_table(year=year)
        html = render_to_string(
            "reports/dashboard_body.html",
            {
                "year": year,
                "groups": indicator_groups(rows),
                "missing_rows": [r for r in rows if r.is_missing],
                "charts": dashboard_charts(year=year),
                "can_edit_base_data": can_edit_base_data,
                "base_data_url": record_url_safe("core.countyyear"),
            },
        )
        cache.set(key, html, timeout=DATA_CACHE_TIMEOUT)
    return mark_safe(html)  # our own template's output, escaped when rendered


@require_GET
def dashboard_page(request, template_name: str = "reports/dashboard.html", with_setup: bool = False):
    """KPI cards for every indicator, charts and reminders for one year; every figure links to its records.

    Queries: a fixed number, whatever the number of records (see reports.selectors); on a warm
    cache only the session, the user and its permissions. The home page (``with_setup``) adds the
    first-run checklist for 管理员 until it is complete or dismissed (bureau.setup: a count per item).
    """
    user = request.user
    home = restricted_home(user)
    if home:
        # A confined role (专家) has no dashboard: its home page is its own page (RestrictedRoleMiddleware
        # answers 403 on the dashboard's other URLs).
        if with_setup:
            return redirect(home)
        raise PermissionDenied
    year = selected_year(request)
    setup = home_checklist(user=user, dismissed=site_settings().setup_dismissed) if with_setup else None
    context = {
        "setup": setup,
        "year": year,
        "years": year_choices(year),
        "body": dashboard_body(year=year, can_edit_base_data=user.has_perm("core.add_countyyear")),
        "reminders": reminders_for(user),
        "today": timezone.localdate(),
        "can_edit_targets": user.has_perm("core.add_annualtarget"),
        "targets_url": record_url_safe("core.annualtarget", year=year),
    }
    return render(request, template_name, context)


def record_url_safe(label: str, **query) -> str | None:
    record = registry["records"].get(label)
    return record_url(record.model, "list", **query) if record else None


@require_GET
def indicators_export(request):
    """The year's indicator table as .xlsx (the same figures as the dashboard)."""
    year = selected_year(request)
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    write_indicator_table(tmp, year=year)
    tmp.seek(0)
    return xlsx_download(tmp, f"{year}年主要指标完成情况.xlsx")
