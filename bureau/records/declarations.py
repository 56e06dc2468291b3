"""A record type is one declaration: model, queryset, filterset, table, form, services (NetBox-style)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import ClassVar

from django.db import models
from django.db.models import QuerySet

from bureau.permissions import permission_name
from bureau.records.concurrency import check_version
from bureau.services import record_delete


@functools.cache
def instance_keyword(service: Callable, model: type[models.Model]) -> str:
    """The keyword of an update service that takes the record itself: the one annotated with the model.

    ``enterprise_update(*, actor, enterprise: Enterprise, name=UNSET, …)`` gives ``"enterprise"``.
    """
    for name, annotation in inspect.get_annotations(service).items():
        if annotation in (model, model.__name__):
            return name
    raise TypeError(f"{service.__qualname__} has no keyword annotated {model.__name__}")


class Record:
    """Declare a record type; the generic views, URLs, sidebar, export and tests take it from here.

    Override a single view by subclassing it and naming it here (``detail_view = MyDetailView``).
    """

    model: ClassVar[type[models.Model]]
    queryset: ClassVar[QuerySet | None] = None
    filterset: ClassVar[type | None] = None
    table: ClassVar[type | None] = None
    form: ClassVar[type | None] = None
    # URL prefix inside the app's namespace (default "<model>s/").
    url_base: ClassVar[str | None] = None
    search_fields: ClassVar[tuple[str, ...]] = ()
    # Sidebar: group title and order inside the group; None keeps a type out of the sidebar.
    menu_group: ClassVar[str | None] = "综合"
    menu_order: ClassVar[int] = 100
    menu_icon: ClassVar[str] = "bi-list-ul"
    # Fields shown on the detail page (default: every concrete field but the timestamps).
    detail_fields: ClassVar[tuple[str, ...] | None] = None
    # Columns of the .xlsx export (default: the table's columns).
    export_fields: ClassVar[tuple[str, ...] | None] = None
    # Attachment kinds (code, 中文), in the order the documents panel lists them; none: no panel.
    document_kinds: ClassVar[tuple[tuple[str, str], ...]] = ()
    # Optional per-view overrides, set to a subclass of the generic view.
    list_view: ClassVar[type | None] = None
    detail_view: ClassVar[type | None] = None
    create_view: ClassVar[type | None] = None
    edit_view: ClassVar[type | None] = None
    delete_view: ClassVar[type | None] = None
    bulk_delete_view: ClassVar[type | None] = None

    # Every write goes through a service (STYLE §1), which checks the actor's rights: the generic
    # save calls ``create_service(actor=user, **data)`` or ``update_service(actor=user, <instance>=obj,
    # **data)``, ``data`` being the form's cleaned model fields and ``<instance>`` the update
    # service's keyword annotated with the model. ``delete_service(actor=user, instance=obj)``
    # defaults to the generic delete.
    create_service: ClassVar[Callable[..., models.Model] | None] = None
    update_service: ClassVar[Callable[..., models.Model] | None] = None
    delete_service: ClassVar[Callable[..., None]] = staticmethod(record_delete)

    @classmethod
    def save_form(cls, *, form, user, seen_version: str | None = None) -> models.Model:
        """Write a valid form through the declared services.

        An edit whose ``seen_version`` is no longer the record's is refused with ``StaleEdit``
        (bureau.records.concurrency) before anything is written; call it inside a transaction.
        """
        data = {name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}
        if form.instance.pk:
            check_version(obj=form.instance, seen=seen_version, fields=list(data), submitted=data)
            return cls.update_service(
                actor=user, **{instance_keyword(cls.update_service, cls.model): form.instance}, **data
            )
        return cls.create_service(actor=user, **data)

    @classmethod
    def delete(cls, *, obj: models.Model, user) -> None:
        cls.delete_service(actor=user, instance=obj)

    @classmethod
    def get_queryset(cls) -> QuerySet:
        qs = cls.queryset if cls.queryset is not None else cls.model._default_manager.all()
        return qs.all()

    @classmethod
    def get_menu_group(cls) -> str | None:
        return cls.menu_group

    @classmethod
    def app_label(cls) -> str:
        return cls.model._meta.app_label

    @classmethod
    def model_name(cls) -> str:
        return cls.model._meta.model_name

    @classmethod
    def verbose_name(cls) -> str:
        return str(cls.model._meta.verbose_name)

    @classmethod
    def verbose_name_plural(cls) -> str:
        return str(cls.model._meta.verbose_name_plural)

    @classmethod
    def permission(cls, action: str) -> str:
        """``<app>.<action>_<model>`` (bureau.permissions.permission_name)."""
        return permission_name(cls.model, action)
