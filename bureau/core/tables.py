import django_tables2 as tables

from bureau.accounts.display import user_display
from bureau.formatting import plain
from bureau.records.tables import MoneyColumn, RecordTable

from .models import Activity, AnnualTarget, CountyYear, Policy, indicator_label


class PolicyTable(RecordTable):
    title = tables.Column(linkify=True)

    class Meta(RecordTable.Meta):
        model = Policy
        fields = ("selection", "title", "document_number", "level", "issuer", "issued_on")


class ActivityTable(RecordTable):
    title = tables.Column(linkify=True)
    funds = MoneyColumn()

    class Meta(RecordTable.Meta):
        model = Activity
        fields = ("selection", "title", "kind", "held_on", "location", "participants", "funds")


class CountyYearTable(RecordTable):
    year = tables.Column(linkify=True)
    gdp = tables.Column(attrs=MoneyColumn.attrs)
    population = tables.Column(attrs=MoneyColumn.attrs)
    industrial_output_above_scale = MoneyColumn()

    class Meta(RecordTable.Meta):
        model = CountyYear
        fields = ("selection", "year", "gdp", "population", "industrial_output_above_scale")

    def render_gdp(self, value):
        return plain(value, 4)

    def render_population(self, value):
        return plain(value, 4)


class AnnualTargetTable(RecordTable):
    indicator = tables.Column(linkify=True)
    unit = tables.Column(verbose_name="单位", accessor="indicator", orderable=False)
    target = tables.Column(attrs=MoneyColumn.attrs)
    signed_off_by = tables.Column(verbose_name="签核", empty_values=(None,))

    class Meta(RecordTable.Meta):
        model = AnnualTarget
        fields = ("selection", "year", "indicator", "unit", "target", "notes", "signed_off_by")
        sequence = ("selection", "indicator", "year", "unit", "target", "notes", "signed_off_by")

    def render_indicator(self, value):
        return indicator_label(value)[0]

    def render_unit(self, value):
        return indicator_label(value)[1]

    def render_target(self, value):
        return plain(value, 4)

    def render_signed_off_by(self, value, record):
        if value is None:
            return "未签核"
        return f"{user_display(value)} {record.signed_off_at:%Y-%m-%d}"
