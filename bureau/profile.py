"""Sections of the enterprise page (一企一档), contributed by any app without editing enterprises.

An app subclasses ``ProfileSection`` in its ``profile.py`` and decorates it with
``bureau.registry.register_profile_section``; the enterprise page renders the registered sections
by ``order``. Each section calls one selector with a bounded number of queries.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ProfileSection:
    title: ClassVar[str]
    order: ClassVar[int] = 100
    template_name: ClassVar[str]
    slug: ClassVar[str] = ""  # anchor id on the page; default: the class name lower-cased

    def get_context(self, enterprise) -> dict[str, Any]:
        return {}

    def should_render(self, enterprise) -> bool:
        return True

    @classmethod
    def anchor(cls) -> str:
        return cls.slug or cls.__name__.lower()
