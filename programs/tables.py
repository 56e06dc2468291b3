import django_tables2 as tables
from django.utils.html import format_html

from bureau.records.tables import MoneyColumn, RecordTable

from .models import Achievement, Application, Award, Call, Disbursement, Program, Reward

STATUS_COLOURS = {
    Application.Status.DRAFT: "secondary",
    Application.Status.COUNTY_REVIEW: "warning",
    Application.Status.RECOMMENDED: "info",
    Application.Status.APPROVED: "success",
    Application.Status.REJECTED: "danger",
    Application.Status.IN_PROGRESS: "primary",
    Application.Status.ACCEPTED: "success",
    Application.Status.TERMINATED: "dark",
}


def wide(breakpoint: str = "md", *, numeric: bool = False) -> dict:
    """Column attrs that hide a secondary column below ``breakpoint``, so a list stays readable on a phone."""
    hide = f"d-none d-{breakpoint}-table-cell"
    align = " text-end" if numeric else ""
    td = hide + align + (" font-monospace" if numeric else "")
    return {"th": {"class": hide + align}, "td": {"class": td}}


def status_badge(application: Application) -> str:
    colour = STATUS_COLOURS.get(application.status, "secondary")
    text = "text-bg-" + colour
    return format_html('<span class="badge {}">{}</span>', text, application.get_status_display())


class ProgramTable(RecordTable):
    name = tables.Column(linkify=True)

    class Meta(RecordTable.Meta):
        model = Program
        fields = ("selection", "name", "level", "category", "authority", "active")


class CallTable(RecordTable):
    title = tables.Column(linkify=True, empty_values=())
    program_level = tables.Column(verbose_name="计划级别", accessor="program__level", attrs=wide("lg"))
    program = tables.Column(attrs=wide())
    opens_on = tables.Column(attrs=wide())

    class Meta(RecordTable.Meta):
        model = Call
        fields = ("selection", "title", "program", "program_level", "year", "opens_on", "closes_on")

    def render_title(self, record):
        return str(record)


class ApplicationTable(RecordTable):
    title = tables.Column(linkify=True)
    lead_name = tables.Column(
        verbose_name="承担单位",
        accessor="lead_name",
        order_by=("enterprise__name", "institution"),
        attrs=wide(),
    )
    program = tables.Column(attrs=wide("lg"))
    program_level = tables.Column(verbose_name="计划级别", accessor="program__level", attrs=wide("lg"))
    amount_requested = MoneyColumn(attrs=wide(numeric=True))
    approved_amount = MoneyColumn(attrs=wide("sm", numeric=True))
    approval_number = tables.Column(attrs=wide("xl"))
    contract_number = tables.Column(attrs=wide("xl"))
    status = tables.Column()

    class Meta(RecordTable.Meta):
        model = Application
        fields = (
            "selection",
            "title",
            "lead_name",
            "program",
            "program_level",
            "year",
            "amount_requested",
            "status",
            "approved_amount",
            "approval_number",
            "contract_number",
        )

    def render_status(self, record):
        return status_badge(record)


class DisbursementTable(RecordTable):
    application = tables.Column(linkify=True)
    paid_on = tables.Column(linkify=True)
    amount = MoneyColumn()
    note = tables.Column(attrs=wide())

    class Meta(RecordTable.Meta):
        model = Disbursement
        fields = ("selection", "paid_on", "application", "amount", "note")
        sequence = ("selection", "paid_on", "application", "amount", "note")


class RewardTable(RecordTable):
    enterprise = tables.Column(linkify=lambda record: record.get_absolute_url())
    amount = MoneyColumn()
    policy = tables.Column(attrs=wide("lg"))
    note = tables.Column(attrs=wide("lg"))
    paid_on = tables.Column(attrs=wide("sm"))

    class Meta(RecordTable.Meta):
        model = Reward
        fields = ("selection", "enterprise", "kind", "amount", "paid_on", "policy", "note")


class AwardTable(RecordTable):
    name = tables.Column(linkify=True)
    winner_name = tables.Column(
        verbose_name="获奖企业/个人",
        accessor="winner_name",
        order_by=("enterprise__name", "person"),
        attrs=wide(),
    )
    project = tables.Column(attrs=wide("lg"))
    grade = tables.Column(attrs=wide("sm"))

    class Meta(RecordTable.Meta):
        model = Award
        fields = ("selection", "name", "winner_name", "project", "level", "grade", "year")


class AchievementTable(RecordTable):
    title = tables.Column(linkify=True)
    enterprise = tables.Column(attrs=wide())
    registration_number = tables.Column(attrs=wide("lg"))
    registered_on = tables.Column(attrs=wide("md"))

    class Meta(RecordTable.Meta):
        model = Achievement
        fields = (
            "selection",
            "title",
            "enterprise",
            "registration_number",
            "registered_on",
            "transformed_on",
            "transform_mode",
        )
