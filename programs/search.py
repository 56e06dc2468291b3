"""What the header search finds in this app (bureau.search)."""

from bureau.search import SearchProvider, register_search

from .models import Application


@register_search
class ApplicationSearch(SearchProvider):
    model = Application
    order = 20
    fields = (
        ("title", "项目名称"),
        ("enterprise__name", "承担企业"),
        ("institution", "承担单位"),
        ("approval_number", "立项文号"),
        ("contract_number", "合同编号"),
    )
    select_related = ("enterprise", "program")

    @classmethod
    def detail(cls, obj):
        unit = obj.enterprise.name if obj.enterprise_id else obj.institution
        return " · ".join(x for x in (f"{obj.year}年", obj.program.name, unit) if x)
