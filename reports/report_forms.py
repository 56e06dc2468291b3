from django import forms

from bureau.records.forms import RecordForm

from .kinds import KINDS, PLAN_FIELDS, kind_of
from .models import AnnualReport

TEXTAREA = forms.Textarea(attrs={"rows": 4})
TEXT_FIELDS = {name for kind in KINDS.values() for name in kind.text_fields}


class AnnualReportForm(RecordForm):
    """One form for every kind; it shows the staff texts of the report's kind (``?kind=half_year``
    on the add page, the record's kind on the edit page) and 汇报对象 only for a briefing."""

    class Meta:
        model = AnnualReport
        fields = [
            "kind",
            "year",
            "audience",
            "title",
            "report_date",
            "opening",
            "problems",
            "plan_intro",
            *(n for n, _ in PLAN_FIELDS),
            "next_steps",
            "closing",
        ]
        widgets = {
            "opening": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 8}),
            "plan_intro": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.Textarea(attrs={"rows": 3}) for name, _ in PLAN_FIELDS},
            "next_steps": forms.Textarea(attrs={"rows": 8}),
            "closing": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        key = (self.data.get("kind") if self.is_bound else None) or self.initial.get("kind") or self.instance.kind
        kind = kind_of(key)
        for name in TEXT_FIELDS - set(kind.text_fields):
            self.fields.pop(name, None)
        if not kind.audience:
            self.fields.pop("audience", None)
        else:
            self.fields["audience"].required = True
        if kind.date_required:
            self.fields["report_date"].required = True
        if self.instance.pk and self.instance.builds.exists():
            self.fields["kind"].disabled = True  # its versions were built as this kind


class ExclusionForm(forms.Form):
    item = forms.CharField(max_length=50, widget=forms.HiddenInput)
    reason = forms.CharField(label="理由", max_length=200, required=False)
