from django import template

from programs.tables import status_badge

register = template.Library()


@register.filter
def application_status(application):
    """The application's state as a coloured badge (the same colours as the list)."""
    return status_badge(application)
