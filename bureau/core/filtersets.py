import django_filters

from bureau.records.filtersets import RecordFilterSet

from .forms import indicator_choices
from .models import Activity, AnnualTarget, CountyYear, Policy


class PolicyFilterSet(RecordFilterSet):
    search_fields = ("title", "document_number", "issuer", "summary")
    year = django_filters.NumberFilter(field_name="issued_on", lookup_expr="year", label="年度")

    class Meta:
        model = Policy
        fields = ["q", "level", "year"]


class ActivityFilterSet(RecordFilterSet):
    search_fields = ("title", "location", "organizer")
    year = django_filters.NumberFilter(field_name="held_on", lookup_expr="year", label="年度")

    class Meta:
        model = Activity
        fields = ["q", "kind", "year"]


class CountyYearFilterSet(RecordFilterSet):
    year = django_filters.NumberFilter(label="年度")

    class Meta:
        model = CountyYear
        fields = ["year"]


class AnnualTargetFilterSet(RecordFilterSet):
    search_fields = ("notes",)
    year = django_filters.NumberFilter(label="年度")
    indicator = django_filters.ChoiceFilter(label="指标", choices=indicator_choices)

    class Meta:
        model = AnnualTarget
        fields = ["q", "year", "indicator"]
