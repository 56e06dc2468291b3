from django import forms
from django.contrib.auth import get_user_model

from bureau.accounts.fields import UserChoiceField
from bureau.records.forms import RecordForm
from bureau.records.widgets import AutocompleteSelect

from .models import Certification, Enterprise, Need, YearlyStatistic
from .validators import normalise_credit_code


class EnterpriseChoiceField(forms.ModelChoiceField):
    """The enterprise picker every form that points at an enterprise uses."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Enterprise.objects.all())
        kwargs.setdefault("widget", AutocompleteSelect("enterprises:enterprise_autocomplete"))
        kwargs.setdefault("label", "企业")
        kwargs.setdefault("error_messages", {"invalid_choice": "所选企业不存在，请重新选择。"})
        super().__init__(**kwargs)


class EnterpriseForm(RecordForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "town",
            "industry",
            "scale",
            "address",
            "contact",
            "phone",
            "founded_on",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_credit_code(self):
        return normalise_credit_code(self.cleaned_data["credit_code"])


class CertificationForm(RecordForm):
    enterprise = EnterpriseChoiceField()

    class Meta:
        model = Certification
        fields = [
            "enterprise",
            "type",
            "year",
            "state",
            "applied_on",
            "certified_on",
            "certificate_no",
            "issued_on",
            "expires_on",
            "first_time",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class YearlyStatisticForm(RecordForm):
    enterprise = EnterpriseChoiceField()

    class Meta:
        model = YearlyStatistic
        fields = [
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
        ]


class NeedForm(RecordForm):
    enterprise = EnterpriseChoiceField()
    handler = UserChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        label="对接负责人",
    )

    class Meta:
        model = Need
        fields = [
            "enterprise",
            "kind",
            "title",
            "description",
            "collected_on",
            "handler",
            "state",
            "result",
            "resolved_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "result": forms.Textarea(attrs={"rows": 3})}
