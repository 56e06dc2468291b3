"""The sections of the enterprise page (一企一档) that this app contributes.

Other apps add theirs in their own ``profile.py`` (``@register_profile_section``); this app never
imports them. A section that lists one record type may subclass ``RecordProfileSection`` to get
the “新增” link prefilled with the enterprise (``?enterprise=<pk>``) and a view-permission check.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from bureau.formatting import plain
from bureau.permissions import permission_name
from bureau.profile import ProfileSection
from bureau.records.urls import record_url
from bureau.registry import register_profile_section

from .models import Certification, Need, YearlyStatistic
from .selectors import certifications_for_enterprise, needs_for_enterprise, statistics_for_enterprise


class RecordProfileSection(ProfileSection):
    """A profile section listing records of ``model`` that point at the enterprise."""

    model: ClassVar[type[models.Model]]

    @classmethod
    def permission(cls, action: str) -> str:
        return permission_name(cls.model, action)

    def can_view(self, user) -> bool:
        return user.has_perm(self.permission("view"))

    def add_url(self, enterprise, user) -> str | None:
        if not user.has_perm(self.permission("add")):
            return None
        return record_url(self.model, "add", enterprise=enterprise.pk)


@register_profile_section
class CertificationsSection(RecordProfileSection):
    title = "企业资质"
    order = 10
    slug = "certifications"
    model = Certification
    template_name = "enterprises/profile_certifications.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {"certifications": certifications_for_enterprise(enterprise=enterprise)}


@register_profile_section
class StatisticsSection(RecordProfileSection):
    title = "年度统计"
    order = 20
    slug = "statistics"
    model = YearlyStatistic
    template_name = "enterprises/profile_statistics.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        statistics = statistics_for_enterprise(enterprise=enterprise)
        # Years in order, R&D as exact decimal text (ECharts parses it); a year without a figure is a gap.
        chart = {
            "years": [str(s.year) for s in statistics],
            "rd": [
                None if s.rd_expenditure is None else plain(s.rd_expenditure, 4).replace(",", "") for s in statistics
            ],
        }
        return {
            "statistics": list(reversed(statistics)),
            "rd_chart": chart if any(v is not None for v in chart["rd"]) else None,
        }


@register_profile_section
class NeedsSection(RecordProfileSection):
    title = "企业需求"
    order = 90
    slug = "needs"
    model = Need
    template_name = "enterprises/profile_needs.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {"needs": needs_for_enterprise(enterprise=enterprise)}
