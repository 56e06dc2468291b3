"""Sections of the enterprise page (一企一档): its talents, platforms and cooperation agreements.

Besides ProfileSection's interface, each section offers ``can_view(user)`` and
``add_url(enterprise, user)``, which the enterprise page uses when present.
"""

from typing import Any, ClassVar

from django.db import models

from bureau.permissions import permission_name
from bureau.profile import ProfileSection
from bureau.records.urls import record_url
from bureau.registry import register_profile_section

from . import selectors
from .models import CooperationAgreement, Person, Platform


class TalentProfileSection(ProfileSection):
    model: ClassVar[type[models.Model]]
    enterprise_field: ClassVar[str]  # the add form's field that points at the enterprise

    def _perm(self, action: str) -> str:
        return permission_name(self.model, action)

    def can_view(self, user) -> bool:
        return user.has_perm(self._perm("view"))

    def add_url(self, enterprise, user) -> str | None:
        if not user.has_perm(self._perm("add")):
            return None
        return record_url(self.model, "add", **{self.enterprise_field: enterprise.pk})


@register_profile_section
class TalentsSection(TalentProfileSection):
    title = "人才与科技特派员"
    order = 50
    slug = "talents"
    model = Person
    enterprise_field = "employer_enterprise"
    template_name = "talent/profile_talents.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return selectors.talents_for_enterprise(enterprise=enterprise)


@register_profile_section
class PlatformsSection(TalentProfileSection):
    title = "创新平台"
    order = 60
    slug = "platforms"
    model = Platform
    enterprise_field = "host_enterprise"
    template_name = "talent/profile_platforms.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {"platforms": selectors.platforms_for_enterprise(enterprise=enterprise)}


@register_profile_section
class CooperationSection(TalentProfileSection):
    title = "产学研合作"
    order = 70
    slug = "cooperation"
    model = CooperationAgreement
    enterprise_field = "enterprises"
    template_name = "talent/profile_cooperation.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {"agreements": selectors.agreements_for_enterprise(enterprise=enterprise)}
