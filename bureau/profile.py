"""Sections of the enterprise page (一企一档), contributed by any app without editing enterprises.

An app subclasses ``ProfileSection`` (or ``RecordProfileSection``, for a section that lists one
record type) in its ``profile.py`` and decorates it with ``bureau.registry.register_profile_section``;
the enterprise page renders the registered sections by ``order``, each only for users who may see
it. Each section calls one selector with a bounded number of queries.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from bureau.permissions import permission_name
from bureau.records.urls import record_url


class ProfileSection:
    title: ClassVar[str]
    order: ClassVar[int] = 100
    template_name: ClassVar[str]
    slug: ClassVar[str] = ""  # anchor id on the page; default: the class name lower-cased

    def get_context(self, enterprise) -> dict[str, Any]:
        return {}

    def should_render(self, enterprise) -> bool:
        return True

    def can_view(self, user) -> bool:
        return True

    def add_url(self, enterprise, user) -> str | None:
        """The section's “新增” link, or None for no link."""
        return None

    @classmethod
    def anchor(cls) -> str:
        return cls.slug or cls.__name__.lower()


class RecordProfileSection(ProfileSection):
    """A section listing records of ``model`` that point at the enterprise through ``enterprise_field``.

    Shown to users who may view ``model``; its “新增” link (for users who may add one) opens the
    form with the enterprise filled in, and ``list_url`` is the full list filtered to the enterprise.
    """

    model: ClassVar[type[models.Model]]
    enterprise_field: ClassVar[str] = "enterprise"  # the form's and filter's field for the enterprise

    @classmethod
    def permission(cls, action: str) -> str:
        return permission_name(cls.model, action)

    def can_view(self, user) -> bool:
        return user.has_perm(self.permission("view"))

    def add_url(self, enterprise, user) -> str | None:
        if not user.has_perm(self.permission("add")):
            return None
        return record_url(self.model, "add", **{self.enterprise_field: enterprise.pk})

    def list_url(self, enterprise) -> str:
        return record_url(self.model, "list", **{self.enterprise_field: enterprise.pk})
