import datetime

import django_filters
from django import forms
from django.utils import timezone

from bureau.records.filtersets import RecordFilterSet

from .models import Certification, CertificationType, Enterprise, Need, Town, YearlyStatistic


class EnterpriseFilterSet(RecordFilterSet):
    search_fields = ("name", "name_initials", "credit_code", "contact")

    class Meta:
        model = Enterprise
        fields = ["q", "town", "industry", "scale"]


class CertificationFilterSet(RecordFilterSet):
    search_fields = ("enterprise__name", "enterprise__name_initials", "enterprise__credit_code", "certificate_no")
    type = django_filters.ModelChoiceFilter(queryset=CertificationType.objects.all(), label="资质类型")
    year = django_filters.NumberFilter(label="年度")
    town = django_filters.ModelChoiceFilter(
        field_name="enterprise__town", queryset=Town.objects.all(), label="所属乡镇"
    )
    first_time = django_filters.BooleanFilter(
        label="首次认定", widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])
    )
    expiring_within = django_filters.NumberFilter(
        method="filter_expiring", label="几天内到期", min_value=0, max_value=3660
    )

    class Meta:
        model = Certification
        fields = ["q", "type", "state", "year", "town", "first_time", "expiring_within"]

    def filter_expiring(self, queryset, name, value):
        """Certified certificates whose expiry falls between today and today + N days."""
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            state=Certification.State.CERTIFIED,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=int(value)),
        )


class YearlyStatisticFilterSet(RecordFilterSet):
    search_fields = ("enterprise__name", "enterprise__name_initials", "enterprise__credit_code")
    year = django_filters.NumberFilter(label="年度")
    town = django_filters.ModelChoiceFilter(
        field_name="enterprise__town", queryset=Town.objects.all(), label="所属乡镇"
    )

    class Meta:
        model = YearlyStatistic
        fields = ["q", "year", "town"]


class NeedFilterSet(RecordFilterSet):
    search_fields = ("title", "description", "enterprise__name", "enterprise__name_initials", "result")
    year = django_filters.NumberFilter(field_name="collected_on", lookup_expr="year", label="征集年度")
    town = django_filters.ModelChoiceFilter(
        field_name="enterprise__town", queryset=Town.objects.all(), label="所属乡镇"
    )

    class Meta:
        model = Need
        fields = ["q", "state", "kind", "year", "town"]
