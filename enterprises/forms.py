from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.records.forms import RecordForm
from bureau.records.widgets import AutocompleteSelect

from .models import Enterprise
from .validators import normalise_credit_code


class EnterpriseChoiceField(forms.ModelChoiceField):
    """The enterprise picker every form that points at an enterprise uses."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Enterprise.objects.all())
        kwargs.setdefault("widget", AutocompleteSelect("enterprises:enterprise_autocomplete"))
        kwargs.setdefault("label", _("企业"))
        kwargs.setdefault("error_messages", {"invalid_choice": _("所选企业不存在，请重新选择。")})
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
