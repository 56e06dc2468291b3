"""First-run checklist items of the core: the county's name, a user per role, this year's county base
data and the annual targets of this year and next (bureau.setup)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Q
from django.urls import reverse

from bureau.accounts.roles import ADMIN, ROLES
from bureau.records.urls import record_url
from bureau.registry import register_setup_checks
from bureau.setup import SetupCheck

from .models import AnnualTarget, CountyYear
from .selectors import site_settings

BASE_DATA_FIELDS = ("gdp", "population", "industrial_output_above_scale")


@register_setup_checks
def core_setup_checks(*, today: datetime.date) -> list[SetupCheck]:
    return [county_name_check(), *user_checks(), base_data_check(today.year), *target_checks(today.year)]


def county_name_check() -> SetupCheck:
    current = site_settings()
    saved = current.pk is not None
    return SetupCheck(
        group="基础设置",
        title="县（区）名称",
        done=saved,
        detail=f"已设为“{current.county_name}”" if saved else f"尚未设置（暂用“{current.county_name}”）",
        url=reverse("site_settings"),
        action="门户设置",
        order=10,
    )


def user_checks() -> list[SetupCheck]:
    """A working account per role (two queries). A superuser (``createsuperuser``, the first account
    of a new installation) counts as 管理员 even outside the group: it has every right."""
    names = [role.name for role in ROLES.values()]
    groups = {
        g.name: g
        for g in Group.objects.filter(name__in=names).annotate(
            active=Count("user", filter=Q(user__is_active=True), distinct=True)
        )
    }
    admin_name = ROLES[ADMIN].name
    superusers = (
        get_user_model().objects.filter(is_active=True, is_superuser=True).exclude(groups__name=admin_name).count()
    )
    changelist = reverse("admin:auth_user_changelist")
    checks = []
    for i, name in enumerate(names):
        group = groups.get(name)
        count = (group.active if group else 0) + (superusers if name == admin_name else 0)
        checks.append(
            SetupCheck(
                group="基础设置",
                title=f"{name}账号",
                done=count > 0,
                detail=f"已有 {count} 个" if count else "尚无",
                url=f"{changelist}?groups__id__exact={group.pk}" if group and count else reverse("admin:auth_user_add"),
                action="查看账号" if count else "新建账号",
                order=20 + i,
            )
        )
    return checks


def base_data_check(year: int) -> SetupCheck:
    row = CountyYear.objects.filter(year=year).first()
    title = f"{year}年县域基础数据"
    if row is None:
        return SetupCheck(
            group="年度数据",
            title=title,
            done=False,
            detail="尚未录入",
            url=record_url(CountyYear, "add"),
            action="录入",
            order=10,
        )
    missing = [str(CountyYear._meta.get_field(f).verbose_name) for f in BASE_DATA_FIELDS if getattr(row, f) is None]
    return SetupCheck(
        group="年度数据",
        title=title,
        done=not missing,
        detail=f"缺少{'、'.join(missing)}" if missing else "已录入",
        url=record_url(row, "edit"),
        action="补录" if missing else "查看",
        order=10,
    )


def target_checks(year: int) -> list[SetupCheck]:
    """This year's targets (the dashboard's completion) and next year's (the report's plan section)."""
    counts = dict(
        AnnualTarget.objects.filter(year__in=(year, year + 1))
        .values_list("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    checks = []
    for i, y in enumerate((year, year + 1)):
        n = counts.get(y, 0)
        checks.append(
            SetupCheck(
                group="年度数据",
                title=f"{y}年年度目标",
                done=n > 0,
                detail=f"已设 {n} 项指标的目标" if n else "尚未设置",
                url=record_url(AnnualTarget, "list", year=y),
                action="查看" if n else "设置",
                order=20 + i,
            )
        )
    return checks
