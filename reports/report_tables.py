import django_tables2 as tables

from bureau.records.tables import RecordTable

from .models import AnnualReport


class AnnualReportTable(RecordTable):
    year = tables.Column(linkify=True)
    title = tables.Column(verbose_name="标题", accessor="display_title", orderable=False, linkify=True)
    signed_off_at = tables.DateTimeColumn(format="Y-m-d", verbose_name="签发时间")

    class Meta(RecordTable.Meta):
        model = AnnualReport
        fields = ("selection", "year", "kind", "title", "audience", "state", "signed_off_at", "updated_at")
