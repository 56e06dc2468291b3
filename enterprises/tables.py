import django_tables2 as tables
from django.utils.html import format_html

from bureau.accounts.display import user_display
from bureau.records.tables import MoneyColumn, RecordTable

from .models import Certification, Enterprise, Need, YearlyStatistic


def _own_url(record):
    return record.get_absolute_url()


class EnterpriseTable(RecordTable):
    name = tables.Column(linkify=True)

    class Meta(RecordTable.Meta):
        model = Enterprise
        fields = ("selection", "name", "credit_code", "town", "industry", "scale", "contact", "phone")


class CertificationTable(RecordTable):
    # The first column opens the certification; the enterprise has its own page one click further.
    enterprise = tables.Column(linkify=_own_url, order_by=("enterprise__name",))
    type = tables.Column(order_by=("type__order", "type__name"))
    state = tables.Column()
    expires_on = tables.DateColumn(format="Y-m-d")
    issued_on = tables.DateColumn(format="Y-m-d")

    class Meta(RecordTable.Meta):
        model = Certification
        fields = (
            "selection",
            "enterprise",
            "type",
            "year",
            "state",
            "certificate_no",
            "issued_on",
            "expires_on",
            "first_time",
        )

    def render_state(self, record, value):
        colour = {
            Certification.State.CERTIFIED: "success",
            Certification.State.APPLIED: "primary",
            Certification.State.REJECTED: "secondary",
        }.get(record.state, "light border text-dark")
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, value)


class YearlyStatisticTable(RecordTable):
    enterprise = tables.Column(linkify=_own_url, order_by=("enterprise__name",))
    rd_expenditure = MoneyColumn()
    revenue = MoneyColumn()
    industrial_output = MoneyColumn()
    high_tech_output = MoneyColumn()

    class Meta(RecordTable.Meta):
        model = YearlyStatistic
        fields = (
            "selection",
            "enterprise",
            "year",
            "rd_expenditure",
            "revenue",
            "industrial_output",
            "high_tech_output",
            "patents_applied",
            "patents_granted",
            "invention_patents_granted",
            "valid_invention_patents",
        )


class NeedTable(RecordTable):
    title = tables.Column(linkify=True)
    enterprise = tables.Column(order_by=("enterprise__name",))
    handler = tables.Column(verbose_name="对接负责人", order_by=("handler__first_name", "handler__username"))

    class Meta(RecordTable.Meta):
        model = Need
        fields = ("selection", "title", "enterprise", "kind", "state", "collected_on", "handler", "resolved_on")

    def render_handler(self, value):
        return user_display(value)
