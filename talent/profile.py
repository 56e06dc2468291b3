"""Sections of the enterprise page (一企一档): its talents, platforms and cooperation agreements."""

from typing import Any

from bureau.profile import RecordProfileSection
from bureau.registry import register_profile_section

from . import selectors
from .models import CooperationAgreement, Person, Platform


@register_profile_section
class TalentsSection(RecordProfileSection):
    title = "人才与科技特派员"
    order = 50
    slug = "talents"
    model = Person
    enterprise_field = "employer_enterprise"
    template_name = "talent/profile_talents.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return selectors.talents_for_enterprise(enterprise=enterprise)


@register_profile_section
class PlatformsSection(RecordProfileSection):
    title = "创新平台"
    order = 60
    slug = "platforms"
    model = Platform
    enterprise_field = "host_enterprise"
    template_name = "talent/profile_platforms.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {"platforms": selectors.platforms_for_enterprise(enterprise=enterprise)}


@register_profile_section
class CooperationSection(RecordProfileSection):
    title = "产学研合作"
    order = 70
    slug = "cooperation"
    model = CooperationAgreement
    enterprise_field = "enterprises"
    template_name = "talent/profile_cooperation.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {"agreements": selectors.agreements_for_enterprise(enterprise=enterprise)}
