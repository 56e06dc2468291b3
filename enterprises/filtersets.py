from bureau.records.filtersets import RecordFilterSet

from .models import Enterprise


class EnterpriseFilterSet(RecordFilterSet):
    search_fields = ("name", "credit_code", "contact")

    class Meta:
        model = Enterprise
        fields = ["q", "town", "industry", "scale"]
