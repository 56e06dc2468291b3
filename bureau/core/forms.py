from django import forms

from bureau.records.forms import RecordForm
from bureau.registry import registry

from .models import Activity, AnnualTarget, CountyYear, Policy, SiteSettings


class PolicyForm(RecordForm):
    class Meta:
        model = Policy
        fields = ["title", "document_number", "level", "issuer", "issued_on", "summary"]


class ActivityForm(RecordForm):
    class Meta:
        model = Activity
        fields = ["title", "kind", "held_on", "location", "participants", "organizer", "funds", "notes"]


class SiteSettingsForm(RecordForm):
    class Meta:
        model = SiteSettings
        fields = ["county_name", "bureau_name", "setup_dismissed"]


class CountyYearForm(RecordForm):
    class Meta:
        model = CountyYear
        fields = ["year", "gdp", "population", "industrial_output_above_scale"]


def indicator_choices() -> list[tuple[str, str]]:
    """Every registered indicator, labelled with its fixed Chinese name and unit."""
    indicators = sorted(registry["indicators"].values(), key=lambda i: (i.order, i.code))
    return [("", "---------"), *((i.code, f"{i.name}（{i.unit}）") for i in indicators)]


class AnnualTargetForm(RecordForm):
    indicator = forms.ChoiceField(label="指标", choices=())

    class Meta:
        model = AnnualTarget
        fields = ["year", "indicator", "target", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built at form time: the indicators are registered by each app at start-up.
        self.fields["indicator"].choices = indicator_choices()
