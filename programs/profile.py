"""Sections of the enterprise page (一企一档): applications, rewards, awards, achievements.

Besides ProfileSection's interface each section offers ``can_view(user)`` and
``add_url(enterprise, user)``, which the enterprise page uses when present.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from bureau.permissions import permission_name
from bureau.profile import ProfileSection
from bureau.records.urls import record_url
from bureau.registry import register_profile_section

from . import selectors
from .models import Achievement, Application, Award, Reward


class ProgramsProfileSection(ProfileSection):
    model: ClassVar[type[models.Model]]

    def _perm(self, action: str) -> str:
        return permission_name(self.model, action)

    def can_view(self, user) -> bool:
        return user.has_perm(self._perm("view"))

    def add_url(self, enterprise, user) -> str | None:
        if not user.has_perm(self._perm("add")):
            return None
        return record_url(self.model, "add", enterprise=enterprise.pk)

    def links(self, enterprise) -> dict[str, Any]:
        """The full list behind a section that shows only its latest rows."""
        return {"list_url": record_url(self.model, "list", enterprise=enterprise.pk), "limit": selectors.PROFILE_LIMIT}


@register_profile_section
class ApplicationsSection(ProgramsProfileSection):
    title = "项目申报"
    order = 30
    slug = "applications"
    model = Application
    template_name = "programs/profile_applications.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {"applications": selectors.enterprise_applications(enterprise=enterprise), **self.links(enterprise)}


@register_profile_section
class RewardsSection(ProgramsProfileSection):
    title = "奖励兑现"
    order = 32
    slug = "rewards"
    model = Reward
    template_name = "programs/profile_rewards.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {
            "rewards": selectors.enterprise_rewards(enterprise=enterprise),
            "reward_total": selectors.enterprise_reward_total(enterprise=enterprise),
            **self.links(enterprise),
        }


@register_profile_section
class AwardsSection(ProgramsProfileSection):
    title = "科技奖励"
    order = 34
    slug = "awards"
    model = Award
    template_name = "programs/profile_awards.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {"awards": selectors.enterprise_awards(enterprise=enterprise), **self.links(enterprise)}


@register_profile_section
class AchievementsSection(ProgramsProfileSection):
    title = "科技成果"
    order = 36
    slug = "achievements"
    model = Achievement
    template_name = "programs/profile_achievements.html"

    def get_context(self, enterprise) -> dict[str, Any]:
        return {"achievements": selectors.enterprise_achievements(enterprise=enterprise), **self.links(enterprise)}
