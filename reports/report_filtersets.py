import django_filters

from bureau.records.filtersets import RecordFilterSet, YearFilter

from .models import AnnualReport


class AnnualReportFilterSet(RecordFilterSet):
    year = YearFilter()
    state = django_filters.ChoiceFilter(choices=AnnualReport.State.choices, label="状态")
    search_fields = ("title", "opening", "problems")

    class Meta:
        model = AnnualReport
        fields = ["q", "year", "state"]
