import django_tables2 as tables

from bureau.records.tables import RecordTable

from .models import Enterprise


class EnterpriseTable(RecordTable):
    name = tables.Column(linkify=True)

    class Meta(RecordTable.Meta):
        model = Enterprise
        fields = ("selection", "name", "credit_code", "town", "industry", "scale", "contact", "phone")
