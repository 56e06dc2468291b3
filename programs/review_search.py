"""What the header search finds of 专家评审 (bureau.search): experts by name, employer and field."""

from bureau.search import SearchProvider, register_search

from .review_models import Expert


@register_search
class ExpertSearch(SearchProvider):
    model = Expert
    order = 25
    fields = (("name", "姓名"), ("employer", "工作单位"), ("field", "专业领域"))

    @classmethod
    def detail(cls, obj):
        return " · ".join(x for x in (obj.field, obj.title, obj.employer) if x)
