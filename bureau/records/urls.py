"""URL patterns for a record type, and the one way to build a record's URL."""

from __future__ import annotations

from django.db import models
from django.urls import path, reverse

from bureau.records.declarations import Record

ACTIONS_WITH_PK = ("detail", "edit", "delete")


def record_urls(record: type[Record]) -> list:
    """``<models>/``, ``add/``, ``bulk-delete/``, ``<pk>/``, ``<pk>/edit/``, ``<pk>/delete/``,
    ``deleted/`` (the deleted records, to restore) and ``deleted/<history_id>/restore/``."""
    from bureau.records import views

    name = record.model_name()
    base = record.url_base or f"{name}s/"

    def view(attr: str, default: type):
        return (getattr(record, attr) or default).as_view(record=record)

    return [
        path(base, view("list_view", views.RecordListView), name=f"{name}_list"),
        path(f"{base}add/", view("create_view", views.RecordCreateView), name=f"{name}_add"),
        path(f"{base}bulk-delete/", view("bulk_delete_view", views.RecordBulkDeleteView), name=f"{name}_bulk_delete"),
        path(f"{base}<int:pk>/", view("detail_view", views.RecordDetailView), name=f"{name}_detail"),
        path(f"{base}<int:pk>/edit/", view("edit_view", views.RecordEditView), name=f"{name}_edit"),
        path(f"{base}<int:pk>/delete/", view("delete_view", views.RecordDeleteView), name=f"{name}_delete"),
        path(f"{base}deleted/", views.RecordDeletedView.as_view(record=record), name=f"{name}_deleted"),
        path(
            f"{base}deleted/<int:history_id>/restore/",
            views.RecordRestoreView.as_view(record=record),
            name=f"{name}_restore",
        ),
    ]


def record_url(obj_or_model: models.Model | type[models.Model], action: str = "detail", **query) -> str:
    """The URL of a record (detail/edit/delete) or of its type (list/add/bulk_delete/deleted);
    ``restore`` takes ``history_id=`` (the deletion entry)."""
    opts = obj_or_model._meta
    name = f"{opts.app_label}:{opts.model_name}_{action}"
    if action == "restore":  # a deleted record has no row: its deletion entry in the history names it
        url = reverse(name, kwargs={"history_id": query.pop("history_id")})
    elif action in ACTIONS_WITH_PK:
        url = reverse(name, kwargs={"pk": obj_or_model.pk})
    else:
        url = reverse(name)
    if query:
        from django.utils.http import urlencode

        url = f"{url}?{urlencode(query)}"
    return url
