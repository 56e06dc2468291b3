import django_filters
from django import forms

from .models import AuditEvent, AuditKind


class AuditEventFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(label="事件", choices=AuditKind.choices)
    who = django_filters.CharFilter(label="用户（姓名或登录名）", method="filter_who")
    ip = django_filters.CharFilter(label="客户端地址", field_name="ip")
    since = django_filters.DateFilter(
        label="起始日期",
        field_name="occurred_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label="截止日期",
        field_name="occurred_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    object_repr = django_filters.CharFilter(label="对象", lookup_expr="icontains")

    class Meta:
        model = AuditEvent
        fields = ["kind", "who", "ip", "since", "until", "object_repr"]

    def filter_who(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(actor_name__icontains=value) | Q(username__icontains=value))
