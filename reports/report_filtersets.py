import django_filters

from bureau.records.filtersets import RecordFilterSet, YearFilter

from .kinds import KIND_CHOICES
from .models import AnnualReport


class AnnualReportFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=KIND_CHOICES, label="报告类型")
    year = YearFilter()
    state = django_filters.ChoiceFilter(choices=AnnualReport.State.choices, label="状态")
    search_fields = ("title", "audience", "opening", "problems")

    class Meta:
        model = AnnualReport
        fields = ["q", "kind", "year", "state"]
