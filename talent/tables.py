import django_tables2 as tables

from bureau.records.tables import MoneyColumn, RecordTable

from .models import (
    Commissioner,
    CooperationAgreement,
    Institution,
    Person,
    Platform,
    PlatformEvaluation,
    Secondment,
    TalentSelection,
)


def _self_link(record):
    return record.get_absolute_url()


class PersonTable(RecordTable):
    name = tables.Column(linkify=True)
    employer = tables.Column(
        verbose_name="工作单位",
        accessor="employer",
        order_by=("employer_enterprise__name", "employer_institution__name", "employer_text"),
    )

    class Meta(RecordTable.Meta):
        model = Person
        fields = ("selection", "name", "gender", "birth_year", "degree", "title", "field", "employer", "phone")


class TalentSelectionTable(RecordTable):
    person = tables.Column(linkify=_self_link, order_by=("person__name",))
    program = tables.Column()
    support_funds = MoneyColumn()

    class Meta(RecordTable.Meta):
        model = TalentSelection
        fields = ("selection", "person", "program", "subcategory", "year", "state", "mode", "support_funds")


class CommissionerTable(RecordTable):
    person = tables.Column(linkify=_self_link, order_by=("person__name",))
    service_enterprise = tables.Column(linkify=True)
    end_year = tables.Column(default="至今")

    class Meta(RecordTable.Meta):
        model = Commissioner
        fields = (
            "selection",
            "person",
            "kind",
            "level",
            "service_area",
            "service_enterprise",
            "start_year",
            "end_year",
        )


class SecondmentTable(RecordTable):
    person = tables.Column(linkify=_self_link, order_by=("person__name",))
    end = tables.DateColumn(default="至今")

    class Meta(RecordTable.Meta):
        model = Secondment
        fields = ("selection", "person", "post", "post_text", "origin_institution", "start", "end")


class PlatformTable(RecordTable):
    name = tables.Column(linkify=True)
    host = tables.Column(
        verbose_name="依托单位", accessor="host", order_by=("host_enterprise__name", "host_institution__name")
    )

    class Meta(RecordTable.Meta):
        model = Platform
        fields = ("selection", "name", "type", "level", "host", "state", "year", "certified_on")


class PlatformEvaluationTable(RecordTable):
    platform = tables.Column(linkify=_self_link, order_by=("platform__name",))
    platform_type = tables.Column(verbose_name="平台类型", accessor="platform__type", orderable=False)
    reward = MoneyColumn()

    class Meta(RecordTable.Meta):
        model = PlatformEvaluation
        fields = ("selection", "platform", "platform_type", "year", "result", "reward")


class CooperationAgreementTable(RecordTable):
    title = tables.Column(linkify=True)
    enterprises = tables.ManyToManyColumn(verbose_name="合作企业", separator="、")
    institutions = tables.ManyToManyColumn(verbose_name="合作高校院所", separator="、")
    funds = MoneyColumn()

    class Meta(RecordTable.Meta):
        model = CooperationAgreement
        fields = (
            "selection",
            "title",
            "enterprises",
            "county_government",
            "institutions",
            "state",
            "signed_on",
            "funds",
        )


class InstitutionTable(RecordTable):
    name = tables.Column(linkify=True)

    class Meta(RecordTable.Meta):
        model = Institution
        fields = ("selection", "name", "kind", "order")
