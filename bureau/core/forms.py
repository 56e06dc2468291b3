from bureau.records.forms import RecordForm

from .models import Activity, Policy, SiteSettings


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
        fields = ["county_name", "bureau_name"]
