"""What the header search finds in this app (bureau.search)."""

from bureau.search import SearchProvider, register_search

from .models import Enterprise, Need


@register_search
class EnterpriseSearch(SearchProvider):
    model = Enterprise
    order = 10
    # A credit-code fragment, the name, or its pinyin initials (yyxcl for 沂源新材料).
    fields = (("name", "名称"), ("credit_code", "统一社会信用代码"), ("name_initials", "拼音首字母"))
    lowercase_fields = ("name_initials",)
    select_related = ("town",)

    @classmethod
    def detail(cls, obj):
        return " · ".join(x for x in (obj.credit_code, obj.town.name if obj.town else "") if x)


@register_search
class NeedSearch(SearchProvider):
    model = Need
    order = 60
    fields = (("title", "需求名称"), ("enterprise__name", "企业"))
    select_related = ("enterprise",)

    @classmethod
    def detail(cls, obj):
        return str(obj.enterprise) if obj.enterprise_id else ""
