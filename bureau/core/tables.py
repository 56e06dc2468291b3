import django_tables2 as tables

from bureau.records.tables import MoneyColumn, RecordTable

from .models import Activity, Policy


class PolicyTable(RecordTable):
    title = tables.Column(linkify=True)

    class Meta(RecordTable.Meta):
        model = Policy
        fields = ("selection", "title", "document_number", "level", "issuer", "issued_on")


class ActivityTable(RecordTable):
    title = tables.Column(linkify=True)
    funds = MoneyColumn()

    class Meta(RecordTable.Meta):
        model = Activity
        fields = ("selection", "title", "kind", "held_on", "location", "participants", "funds")
