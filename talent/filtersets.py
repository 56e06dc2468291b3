import datetime
from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q

from bureau.records.filtersets import RecordFilterSet, YearFilter, autocomplete_filter
from programs.models import Program

from .models import (
    Commissioner,
    CooperationAgreement,
    Institution,
    Person,
    Platform,
    PlatformEvaluation,
    PlatformType,
    Secondment,
    TalentSelection,
)


class DistinctSearchFilterSet(RecordFilterSet):
    """Free-text search across to-many relations: each record once."""

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        matches = reduce(or_, (Q(**{f"{f}__icontains": value}) for f in self.search_fields))
        return queryset.filter(pk__in=queryset.model._default_manager.filter(matches).values("pk"))


class PersonFilterSet(RecordFilterSet):
    search_fields = (
        "name",
        "title",
        "field",
        "phone",
        "employer_text",
        "employer_enterprise__name",
        "employer_institution__name",
    )
    employer_institution = autocomplete_filter(Institution.objects.all(), label="工作单位（高校院所）")

    class Meta:
        model = Person
        fields = ["q", "gender", "degree", "employer_institution"]


class TalentSelectionFilterSet(RecordFilterSet):
    search_fields = ("person__name", "program__name", "subcategory")
    program = autocomplete_filter(
        Program.objects.filter(category=Program.Category.TALENT),
        search_fields=("name", "authority"),
        source="programs.program.talent",
        label="人才工程",
    )
    year = YearFilter()

    class Meta:
        model = TalentSelection
        fields = ["q", "program", "year", "state", "mode"]


class CommissionerFilterSet(RecordFilterSet):
    search_fields = ("person__name", "service_area", "service_enterprise__name")
    serving_in = django_filters.NumberFilter(method="filter_serving_in", label="服务年度")

    class Meta:
        model = Commissioner
        fields = ["q", "kind", "level", "serving_in"]

    def filter_serving_in(self, queryset, name, value):
        year = int(value)
        return queryset.filter(start_year__lte=year).filter(Q(end_year__isnull=True) | Q(end_year__gte=year))


class SecondmentFilterSet(RecordFilterSet):
    search_fields = ("person__name", "post_text", "origin_institution__name")
    origin_institution = autocomplete_filter(Institution.objects.all(), label="派出单位")
    serving_in = django_filters.NumberFilter(method="filter_serving_in", label="挂职年度")

    class Meta:
        model = Secondment
        fields = ["q", "post", "origin_institution", "serving_in"]

    def filter_serving_in(self, queryset, name, value):
        year = int(value)
        return queryset.filter(start__lte=datetime.date(year, 12, 31)).filter(
            Q(end__isnull=True) | Q(end__gte=datetime.date(year, 1, 1))
        )


class PlatformFilterSet(RecordFilterSet):
    search_fields = ("name", "host_enterprise__name", "host_institution__name")
    type = django_filters.ModelChoiceFilter(queryset=PlatformType.objects.all(), label="平台类型")
    year = YearFilter()
    certified_in = django_filters.NumberFilter(field_name="certified_on", lookup_expr="year", label="认定/备案年度")

    class Meta:
        model = Platform
        fields = ["q", "type", "level", "state", "year", "certified_in"]


class PlatformEvaluationFilterSet(RecordFilterSet):
    search_fields = ("platform__name",)
    platform_type = django_filters.ModelChoiceFilter(
        field_name="platform__type", queryset=PlatformType.objects.all(), label="平台类型"
    )
    year = YearFilter(label="评估年度")

    class Meta:
        model = PlatformEvaluation
        fields = ["q", "platform_type", "year", "result"]


class CooperationAgreementFilterSet(DistinctSearchFilterSet):
    search_fields = ("title", "content", "enterprises__name", "institutions__name")
    institution = autocomplete_filter(Institution.objects.all(), field_name="institutions", label="合作高校院所")
    year = django_filters.NumberFilter(field_name="signed_on", lookup_expr="year", label="签约年度")

    class Meta:
        model = CooperationAgreement
        fields = ["q", "state", "institution", "year", "county_government"]


class InstitutionFilterSet(RecordFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Institution
        fields = ["q", "kind"]
