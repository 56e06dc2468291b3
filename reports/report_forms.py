from django import forms

from bureau.records.forms import RecordForm

from .models import PLAN_FIELDS, AnnualReport

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class AnnualReportForm(RecordForm):
    class Meta:
        model = AnnualReport
        fields = [
            "year",
            "title",
            "report_date",
            "opening",
            "problems",
            "plan_intro",
            *(n for n, _ in PLAN_FIELDS),
            "closing",
        ]
        widgets = {
            "opening": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 8}),
            "plan_intro": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.Textarea(attrs={"rows": 3}) for name, _ in PLAN_FIELDS},
            "closing": forms.Textarea(attrs={"rows": 3}),
        }


class ExclusionForm(forms.Form):
    item = forms.CharField(max_length=50, widget=forms.HiddenInput)
    reason = forms.CharField(label="理由", max_length=200, required=False)
