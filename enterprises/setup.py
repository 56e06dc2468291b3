"""First-run checklist items of this app: the managed lists the 企业名录 names (bureau.setup)."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.urls import reverse

from bureau.registry import register_setup_checks
from bureau.setup import SetupCheck

from .models import Industry, Town


@register_setup_checks
def managed_list_checks(*, today: datetime.date) -> list[SetupCheck]:
    counts = Town.objects.aggregate(towns=Count("pk")) | Industry.objects.aggregate(industries=Count("pk"))
    return [
        SetupCheck(
            group="名录",
            title=str(model._meta.verbose_name),
            done=counts[key] > 0,
            detail=f"已有 {counts[key]} 个"
            if counts[key]
            else "尚无（导入企业名录时由管理员新增，或在系统管理中录入）",
            url=reverse(f"admin:enterprises_{model._meta.model_name}_changelist"),
            action="维护",
            order=order,
        )
        for order, (key, model) in enumerate((("towns", Town), ("industries", Industry)))
    ]
