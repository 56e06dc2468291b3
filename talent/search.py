"""What the header search finds in this app (bureau.search)."""

from bureau.search import SearchProvider, register_search

from .models import CooperationAgreement, Person, Platform


@register_search
class PersonSearch(SearchProvider):
    model = Person
    order = 30
    fields = (("name", "姓名"), ("field", "专业领域"))
    select_related = ("employer_enterprise", "employer_institution")

    @classmethod
    def detail(cls, obj):
        employer = obj.employer_enterprise or obj.employer_institution or obj.employer_text
        return " · ".join(str(x) for x in (obj.title, employer) if x)


@register_search
class PlatformSearch(SearchProvider):
    model = Platform
    order = 40
    fields = (("name", "平台名称"), ("host_enterprise__name", "依托企业"))
    select_related = ("type", "host_enterprise")

    @classmethod
    def detail(cls, obj):
        return " · ".join(str(x) for x in (obj.type, obj.get_level_display(), obj.host_enterprise) if x)


@register_search
class AgreementSearch(SearchProvider):
    model = CooperationAgreement
    order = 50
    fields = (("title", "协议名称"),)
