from django import template
from django.utils.http import urlencode

from bureau import formatting
from bureau.accounts.display import user_display as _user_display
from bureau.records.urls import record_url as _record_url

register = template.Library()


@register.filter
def user_display(user):
    """A user by name, never by login name (the one way, as exports and history show them)."""
    return _user_display(user)


@register.filter
def wan(value):
    return formatting.wan(value)


@register.filter
def plain(value, places=2):
    return formatting.plain(value, int(places))


@register.filter
def percent(value, places=1):
    return formatting.percent(value, int(places))


@register.simple_tag
def record_url(obj_or_model, action="detail", **query):
    return _record_url(obj_or_model, action, **query)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination, sorting, export)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlencode(query, doseq=True)


@register.filter
def has_perm(user, perm):
    return user.has_perm(perm)
