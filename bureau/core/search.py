"""What the header search finds among the bureau's own records (bureau.search)."""

from bureau.search import SearchProvider, register_search

from .models import Policy


@register_search
class PolicySearch(SearchProvider):
    model = Policy
    order = 70
    fields = (("title", "政策名称"), ("document_number", "文号"))

    @classmethod
    def detail(cls, obj):
        return " · ".join(x for x in (obj.document_number, obj.issuer) if x)
