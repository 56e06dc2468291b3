"""Forms and filters of 专家库, 科研诚信 and 专家评审 (issue 19)."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model

from bureau.accounts.fields import UserChoiceField
from bureau.accounts.roles import EXPERT, group_name
from bureau.records.filtersets import RecordFilterSet, YearFilter, autocomplete_filter
from bureau.records.forms import AutocompleteChoiceField, DateInput, RecordForm
from bureau.records.widgets import AutocompleteSelect
from enterprises.forms import EnterpriseChoiceField
from enterprises.models import Enterprise

from .models import Application, Call
from .review_models import Expert, IntegrityRecord, ReviewRound


class AutocompleteSelectMultiple(AutocompleteSelect, forms.SelectMultiple):
    """The enterprise picker for several enterprises (Tom Select on a <select multiple>)."""


class EnterpriseMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Enterprise.objects.all())
        kwargs.setdefault("widget", AutocompleteSelectMultiple("enterprises:enterprise_autocomplete"))
        kwargs.setdefault("error_messages", {"invalid_choice": "所选企业不存在，请重新选择。"})
        super().__init__(**kwargs)


def expert_accounts():
    return get_user_model().objects.filter(is_active=True, groups__name=group_name(EXPERT)).order_by("first_name")


class ExpertForm(RecordForm):
    employer_enterprise = EnterpriseChoiceField(label="工作单位（本县企业）", required=False)
    related_enterprises = EnterpriseMultipleChoiceField(label="关联单位", required=False)
    user = UserChoiceField(queryset=expert_accounts(), label="登录账号", required=False)

    class Meta:
        model = Expert
        fields = [
            "name",
            "employer",
            "employer_enterprise",
            "field",
            "title",
            "phone",
            "email",
            "related_enterprises",
            "user",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = expert_accounts()
        self.fields["user"].help_text = "专家角色的账号；专家用它登录录入自己的评分"


class ExpertFilterSet(RecordFilterSet):
    search_fields = ("name", "employer", "field", "title")
    field = django_filters.CharFilter(field_name="field", lookup_expr="icontains", label="专业领域")

    class Meta:
        model = Expert
        fields = ["q", "field", "title", "active"]


def expert_label(expert: Expert) -> str:
    """孙立华（现代农业，示例县农业科学研究所）: a pool has namesakes."""
    return f"{expert.name}（{expert.field or '—'}，{expert.employer_name or '—'}）"


EXPERT_SEARCH = ("name", "employer", "employer_enterprise__name", "field")
# The pickers of the review forms: the pool and the calls grow, the page renders only the choice.
CALLS = Call.objects.select_related("program")
CALL_SEARCH = ("title", "program__name")


def expert_field(queryset, source: str, **kwargs) -> AutocompleteChoiceField:
    field = AutocompleteChoiceField(
        queryset.select_related("employer_enterprise"),
        search_fields=EXPERT_SEARCH,
        source=source,
        label_of=expert_label,
        **kwargs,
    )
    field.widget.attrs["data-placeholder"] = "输入姓名、单位或专业领域搜索"
    return field


class IntegrityRecordForm(RecordForm):
    enterprise = EnterpriseChoiceField(label="失信企业", required=False)
    expert = expert_field(Expert.objects.all(), "programs.expert.pool", label="失信专家", required=False)

    class Meta:
        model = IntegrityRecord
        fields = ["enterprise", "person_name", "expert", "cause", "source_document", "starts_on", "ends_on"]
        widgets = {"cause": forms.Textarea(attrs={"rows": 2}), "starts_on": DateInput(), "ends_on": DateInput()}


class IntegrityRecordFilterSet(RecordFilterSet):
    search_fields = ("enterprise__name", "person_name", "expert__name", "cause", "source_document")
    expert = autocomplete_filter(Expert.objects.all(), search_fields=("name", "employer"), label="专家")

    class Meta:
        model = IntegrityRecord
        fields = ["q", "expert"]


class IntegrityOverrideForm(forms.Form):
    call = AutocompleteChoiceField(CALLS, search_fields=CALL_SEARCH, label="放行的申报批次")
    reason = forms.CharField(label="放行理由", widget=forms.Textarea(attrs={"rows": 2}))


class ReviewRoundForm(RecordForm):
    call = AutocompleteChoiceField(CALLS, search_fields=CALL_SEARCH, label="申报批次")

    class Meta:
        model = ReviewRound
        fields = ["call", "recommend_score", "note"]


class ReviewRoundFilterSet(RecordFilterSet):
    search_fields = ("call__title", "call__program__name", "note")
    year = YearFilter(field_name="call__year")

    class Meta:
        model = ReviewRound
        fields = ["q", "year"]


class CriterionForm(forms.Form):
    name = forms.CharField(label="评分项", max_length=100)
    maximum = forms.DecimalField(label="满分", min_value=0, max_digits=6, decimal_places=2)
    weight = forms.DecimalField(label="权重", min_value=0, max_digits=5, decimal_places=2, initial=1)


class AssignForm(forms.Form):
    application = forms.ModelChoiceField(queryset=Application.objects.none(), label="项目")
    expert = expert_field(Expert.objects.filter(active=True), "programs.expert.active", label="专家")

    def __init__(self, *args, round_: ReviewRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(call_id=round_.call_id)
        self.fields["expert"].widget.attrs.update({"class": "form-select form-select-sm", "aria-label": "专家"})


class SuggestForm(forms.Form):
    application = forms.ModelChoiceField(queryset=Application.objects.none(), label="项目")
    field = forms.CharField(label="专业领域", required=False, help_text="同领域的专家优先")
    count = forms.IntegerField(label="人数", min_value=1, max_value=15, initial=5)

    def __init__(self, *args, round_: ReviewRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(call_id=round_.call_id)


class DeclareForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label="利益冲突声明",
        choices=[("no", "本人与申报单位无利益冲突"), ("yes", "本人与申报单位存在利益冲突，申请回避")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    reason = forms.CharField(label="回避原因", required=False, max_length=200)


def plain(value) -> str:
    return format(value.normalize(), "f")


def score_form(criteria, data=None, initial=None):
    """A form with one field per criterion of the score sheet, plus the comment."""
    fields = {
        f"c{c.pk}": forms.DecimalField(
            label=f"{c.name}（满分{plain(c.maximum)}{'，权重' + plain(c.weight) if c.weight != 1 else ''}）",
            min_value=0,
            max_value=c.maximum,
            max_digits=6,
            decimal_places=2,
        )
        for c in criteria
    }
    fields["comment"] = forms.CharField(label="评审意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    form_class = type("ScoreForm", (forms.Form,), fields)
    return form_class(data=data, initial=initial)
