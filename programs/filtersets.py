import django_filters

from bureau.core.models import Policy
from bureau.records.filtersets import RecordFilterSet, YearFilter, autocomplete_filter
from bureau.records.widgets import AutocompleteSelect
from enterprises.models import Enterprise

from .models import Achievement, Application, Award, Call, Disbursement, Level, Program, Reward

PROGRAM_SEARCH = ("name", "authority")


def enterprise_filter(label="企业"):
    return django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(),
        widget=AutocompleteSelect("enterprises:enterprise_autocomplete"),
        label=label,
    )


class ProgramFilterSet(RecordFilterSet):
    search_fields = ("name", "authority")

    class Meta:
        model = Program
        fields = ["q", "level", "category", "active"]


class CallFilterSet(RecordFilterSet):
    search_fields = ("title", "program__name")
    program = autocomplete_filter(Program.objects.all(), search_fields=PROGRAM_SEARCH, label="科技计划")
    year = YearFilter()
    level = django_filters.ChoiceFilter(field_name="program__level", choices=Level.choices, label="计划级别")

    class Meta:
        model = Call
        fields = ["q", "program", "year", "level"]


class ApplicationFilterSet(RecordFilterSet):
    search_fields = ("title", "enterprise__name", "institution", "program__name", "approval_number", "contract_number")
    year = YearFilter()
    level = django_filters.ChoiceFilter(field_name="program__level", choices=Level.choices, label="计划级别")
    program = autocomplete_filter(Program.objects.all(), search_fields=PROGRAM_SEARCH, label="科技计划")
    status = django_filters.ChoiceFilter(choices=Application.Status.choices, label="状态")
    call = autocomplete_filter(
        Call.objects.select_related("program"), search_fields=("title", "program__name"), label="申报批次"
    )
    enterprise = enterprise_filter("承担企业")

    class Meta:
        model = Application
        fields = ["q", "year", "level", "program", "status", "call", "enterprise"]


class DisbursementFilterSet(RecordFilterSet):
    search_fields = ("application__title", "note")
    year = django_filters.NumberFilter(field_name="paid_on", lookup_expr="year", label="年度")
    program = autocomplete_filter(
        Program.objects.all(), search_fields=PROGRAM_SEARCH, field_name="application__program", label="科技计划"
    )

    class Meta:
        model = Disbursement
        fields = ["q", "year", "program"]


class RewardFilterSet(RecordFilterSet):
    search_fields = ("enterprise__name", "note")
    year = django_filters.NumberFilter(field_name="paid_on", lookup_expr="year", label="年度")
    policy = autocomplete_filter(Policy.objects.all(), search_fields=("title", "document_number"), label="依据政策")
    enterprise = enterprise_filter()

    class Meta:
        model = Reward
        fields = ["q", "year", "kind", "policy", "enterprise"]


class AwardFilterSet(RecordFilterSet):
    search_fields = ("name", "project", "person", "enterprise__name")
    year = YearFilter()
    enterprise = enterprise_filter("获奖企业")

    class Meta:
        model = Award
        fields = ["q", "year", "level", "grade", "enterprise"]


class AchievementFilterSet(RecordFilterSet):
    search_fields = ("title", "registration_number", "enterprise__name")
    year = django_filters.NumberFilter(field_name="transformed_on", lookup_expr="year", label="转化年度")
    enterprise = enterprise_filter("完成企业")

    class Meta:
        model = Achievement
        fields = ["q", "year", "transform_mode", "enterprise"]
