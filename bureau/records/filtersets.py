"""Base filterset: a free-text ``q`` over the record's ``search_fields``."""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q

from bureau.records.widgets import autocomplete_widget


class RecordFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        return queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": value}) for f in self.search_fields)))


class YearFilter(django_filters.NumberFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "年度")
        super().__init__(*args, **kwargs)


def autocomplete_filter(queryset, *, search_fields: tuple[str, ...] = ("name",), source: str = "", **kwargs):
    """A choice filter over a table that grows (programs, calls, institutions, policies): the page
    renders only the chosen option and the picker asks ``/records/choices/<model>/?q=`` as one types,
    so no list page loads the whole table into its filter form."""
    widget = autocomplete_widget(queryset, search_fields, source)  # a narrowed queryset names its own source
    return django_filters.ModelChoiceFilter(queryset=queryset, widget=widget, **kwargs)
