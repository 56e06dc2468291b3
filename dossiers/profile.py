"""The enterprise page's list of every document of the enterprise and of its records (一企一档)."""

from __future__ import annotations

from typing import Any

from bureau.documents.models import Document
from bureau.permissions import permission_name
from bureau.profile import ProfileSection
from bureau.registry import register_profile_section

from .selectors import enterprise_documents


@register_profile_section
class DocumentsSection(ProfileSection):
    title = "档案材料"
    order = 95
    slug = "all-documents"  # "documents" is the enterprise's own documents panel
    template_name = "dossiers/profile_documents.html"

    user = None

    def can_view(self, user) -> bool:
        # The page asks this first on the same instance: remembered so that the list holds only the
        # record types this user may view (get_context receives the enterprise alone).
        self.user = user
        return user.has_perm(permission_name(Document, "view"))

    def get_context(self, enterprise) -> dict[str, Any]:
        if self.user is None:
            return {"document_rows": []}
        return {"document_rows": enterprise_documents(enterprise=enterprise, actor=self.user)}
