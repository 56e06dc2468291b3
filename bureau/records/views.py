"""One family of generic views for every record type (NetBox ``views/generic``).

Each view takes everything from its ``record`` declaration, checks ``<app>.<action>_<model>``
and renders ``<app>/<model>_<view>.html``, falling back to ``records/<view>.html``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.utils import Accessor

from bureau.accounts.display import object_display, user_display
from bureau.audit.models import AuditKind
from bureau.audit.services import audit_log
from bureau.formatting import plain, wan
from bureau.records.concurrency import VERSION_FIELD, StaleEdit, record_version
from bureau.records.declarations import Record
from bureau.records.export import xlsx_response
from bureau.records.models import MoneyField
from bureau.records.tables import MoneyColumn
from bureau.records.urls import record_url
from bureau.registry import ledger_for_model, registry
from bureau.services import deleted_history, may_restore, record_restore

EXPORT_LIMIT_PAGE = 25


class RecordViewMixin(PermissionRequiredMixin):
    record: type[Record] | None = None
    action = "view"
    view_name = ""

    def get_permission_required(self):
        return (self.record.permission(self.action),)

    def get_queryset(self):
        return self.record.get_queryset()

    def get_template_names(self):
        return [
            f"{self.record.app_label()}/{self.record.model_name()}_{self.view_name}.html",
            f"records/{self.view_name}.html",
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            record=self.record,
            model_opts=self.record.model._meta,
            list_url=record_url(self.record.model, "list"),
            can_add=user.has_perm(self.record.permission("add")),
            can_change=user.has_perm(self.record.permission("change")),
            can_delete=user.has_perm(self.record.permission("delete")),
        )
        return context


class RecordListView(RecordViewMixin, SingleTableMixin, FilterView):
    view_name = "list"
    # The table paginates (one COUNT); the ListView's own paginator would count the same rows again.
    paginate_by = None
    table_pagination = {"per_page": EXPORT_LIMIT_PAGE}
    indicator = None
    indicator_year = None
    indicator_end = None  # ?end=YYYY-MM-DD: the figure of part of the year (1 Jan – end)
    indicator_part = None

    def get_filterset_class(self):
        return self.record.filterset

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs.get("data") is not None and kwargs["data"].get("indicator"):
            # The drill-down's ?year= is the indicator's year, not the list's own "year" filter
            # (which may mean another date, e.g. collected vs resolved): figure and list must agree.
            data = kwargs["data"].copy()
            data.pop("year", None)
            data.pop("end", None)
            kwargs["data"] = data
        return kwargs

    def get_table_class(self):
        return self.record.table

    def get_queryset(self):
        qs = super().get_queryset()
        code = self.request.GET.get("indicator")
        if code:
            # Drill-down: exactly the records the indicator counted, so figure and list agree.
            qs = self._indicator_queryset(qs, code)
        return qs

    def _indicator_queryset(self, qs, code: str):
        indicator = registry["indicators"].get(code)
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = None
        if indicator is None or year is None or not (1949 <= year <= 2100):
            messages.error(self.request, "指标或年度参数无效，已显示全部记录。")
            return qs
        end = None
        if self.request.GET.get("end"):
            try:
                end = datetime.date.fromisoformat(self.request.GET["end"])
            except ValueError:
                end = None
            if end is None or end.year != year or not indicator.supports(end):
                messages.error(self.request, "截止日期参数无效，已显示全年统计的记录。")
                end = None
        counted = indicator.records_for(year, end)
        part_label = self.request.GET.get("part")
        if part_label and indicator.breakdown is not None:
            # One part of the indicator's breakdown (a bar of a dashboard chart): its own records.
            part = next((p for p in indicator.breakdown_for(year, end) if str(p.label) == part_label), None)
            if part is None or part.records is None:
                messages.error(self.request, "指标分项参数无效，已显示该指标的全部记录。")
            else:
                counted, self.indicator_part = part.records, part_label
        if counted.model is not self.record.model:
            messages.error(self.request, "该指标不对应此类记录，已显示全部记录。")
            return qs
        self.indicator, self.indicator_year, self.indicator_end = indicator, year, end
        return qs.filter(pk__in=counted.values("pk"))

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if not self.request.user.has_perm(self.record.permission("delete")):
            kwargs["exclude"] = ("selection",)
        return kwargs

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def export_xlsx(self):
        filterset = self.get_filterset(self.get_filterset_class())
        qs = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        selected = self.request.GET.getlist("pk")
        if selected:
            qs = qs.filter(pk__in=[pk for pk in selected if pk.isdigit()])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        audit_log(
            AuditKind.EXPORT,
            request=self.request,
            detail=f"导出{self.record.verbose_name_plural()}（{self.request.GET.urlencode()}）"[:500],
        )
        ledger = ledger_for_model(self.record.model)
        if ledger is not None:
            # A ledger-backed list exports the ledger's headers and cell formats: the file imports back unchanged.
            rows = (ledger.export_row(obj) for obj in ledger.export_queryset(qs).iterator(chunk_size=2000))
            return xlsx_response(
                filename=f"{ledger.name}-{stamp}.xlsx",
                sheet_title=ledger.name,
                headers=ledger.export_headers(),
                rows=rows,
            )  # no total row here: it would be read back as a record
        headers, accessors = export_columns(self.record)
        rows = ([value_for_export(obj, a) for a in accessors] for obj in qs.iterator(chunk_size=2000))
        return xlsx_response(
            filename=f"{self.record.verbose_name_plural()}-{stamp}.xlsx",
            sheet_title=self.record.verbose_name_plural(),
            headers=headers,
            rows=rows,
            total_columns=money_column_indexes(self.record, accessors),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = context["table"]
        context["total"] = table.paginator.count if getattr(table, "paginator", None) else len(table.rows)
        context["indicator"] = self.indicator
        context["indicator_year"] = self.indicator_year
        context["indicator_end"] = self.indicator_end
        context["indicator_part"] = self.indicator_part
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        context["export_query"] = query.urlencode()
        context["ledger"] = ledger_for_model(self.record.model)
        context["active_filters"] = active_filters(self.request.GET, context.get("filter"))
        if self.indicator is not None:
            keep = {k: v for k, v in self.request.GET.items() if k in ("indicator", "year", "end", "part")}
            context["indicator_query"] = urlencode(keep)
        context["money_totals"] = money_totals(table, self.object_list)
        context["can_restore"] = hasattr(self.record.model, "history") and may_restore(
            self.request.user, self.record.model
        )
        return context


# Query parameters that are not filters a person chose (the drill-down has its own banner).
NOT_FILTERS = {"page", "sort", "export", "indicator", "year", "end", "part", "per_page"}


def active_filters(params, filterset) -> list[dict]:
    """The filters in use, each as a chip: its label, the value as the form shows it, and the query
    without it (the link that removes it)."""
    if filterset is None:
        return []
    chips = []
    form = filterset.form
    drill_down = bool(params.get("indicator"))
    for name, field in form.fields.items():
        if name in NOT_FILTERS and (drill_down or name != "year"):
            continue
        values = [v for v in params.getlist(name) if v not in ("", None)]
        if not values:
            continue
        chips.append(
            {
                "label": field.label or name,
                "value": _filter_value_text(field, values),
                "remove_query": _without(params, name),
            }
        )
    return chips


def _filter_value_text(field, values: list[str]) -> str:
    queryset = getattr(field, "queryset", None)
    if queryset is not None:
        try:
            return "、".join(str(o) for o in queryset.filter(pk__in=[v for v in values if str(v).isdigit()]))
        except (TypeError, ValueError):
            return "、".join(values)
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(k): str(v) for k, v in choices if not isinstance(v, (list, tuple))}
        return "、".join(labels.get(v, v) for v in values)
    return "、".join(values)


def _without(params, name: str) -> str:
    query = params.copy()
    query.pop(name, None)
    query.pop("page", None)
    return query.urlencode()


def money_totals(table, queryset) -> list[dict]:
    """The total of each amount column over the whole filtered set (not the page): one query."""
    columns = [
        c for c in table.columns if isinstance(c.column, MoneyColumn) and c.accessor and "." not in str(c.accessor)
    ]
    if not columns or queryset is None:
        return []
    model_fields = {f.name for f in queryset.model._meta.concrete_fields}
    columns = [c for c in columns if str(c.accessor).split("__")[0] in model_fields]
    if not columns:
        return []
    sums = queryset.order_by().aggregate(**{f"t{i}": Sum(str(c.accessor)) for i, c in enumerate(columns)})
    return [{"label": str(c.header), "value": wan(sums[f"t{i}"] or 0)} for i, c in enumerate(columns)]


def export_columns(record: type[Record]) -> tuple[list[str], list[str]]:
    """Headers and accessors of the export: declared ``export_fields`` or the table's columns."""
    model = record.model
    if record.export_fields is not None:
        names = list(record.export_fields)
    else:
        table = record.table([])
        names = [c.name for c in table.columns if c.name not in ("selection", "actions")]
    headers = []
    for name in names:
        column = record.table.base_columns.get(name) if record.table else None
        verbose = column.verbose_name if column is not None and column.verbose_name else None
        if verbose is None:
            try:
                verbose = model._meta.get_field(name).verbose_name
            except Exception:  # noqa: BLE001 - a non-field accessor keeps its own name
                verbose = name
        headers.append(str(verbose))
    accessors = []
    for name in names:
        column = record.table.base_columns.get(name) if record.table else None
        accessors.append(str(column.accessor) if column is not None and column.accessor else name)
    return headers, accessors


def money_column_indexes(record: type[Record], accessors: list[str]) -> list[int]:
    """The export columns holding amounts (a MoneyField, or a table MoneyColumn): they get a total."""
    by_accessor = {}
    for name, column in record.table.base_columns.items() if record.table else ():
        by_accessor[str(column.accessor) if column.accessor else name] = column
    indexes = []
    for i, accessor in enumerate(accessors):
        if isinstance(by_accessor.get(accessor), MoneyColumn):
            indexes.append(i)
            continue
        try:
            field = record.model._meta.get_field(accessor.replace(".", "__").split("__")[0])
        except Exception:  # noqa: BLE001 - a non-field accessor is no amount
            continue
        if isinstance(field, MoneyField) and "__" not in accessor and "." not in accessor:
            indexes.append(i)
    return indexes


def value_for_export(obj: models.Model, accessor: str) -> Any:
    """A field's value as the list shows it: choices by label, relations by name."""
    parts = accessor.split(".") if "." in accessor else accessor.split("__")
    target = obj
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    last = parts[-1]
    display = getattr(target, f"get_{last}_display", None)
    if callable(display):
        return display()
    value = Accessor(last).resolve(target, quiet=True)
    if hasattr(value, "all") and callable(value.all):  # many-to-many
        return "、".join(str(v) for v in value.all())
    return value


class RecordDetailView(RecordViewMixin, DetailView):
    view_name = "detail"
    history_limit = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context["fields"] = detail_fields(self.record, obj)
        context["history"] = history_entries(obj, limit=self.history_limit)
        if self.record.document_kinds:
            from bureau.documents.panel import panel_context

            context["panel"] = panel_context(obj, self.request.user)
        return context


def detail_fields(record: type[Record], obj: models.Model) -> list[tuple[str, Any]]:
    """(label, value) pairs of the fields the detail page shows."""
    names = record.detail_fields
    if names is None:
        names = [
            f.name
            for f in obj._meta.concrete_fields
            if f.name not in ("id", "created_at", "updated_at") and not f.name.endswith("_ptr")
        ]
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            value = "、".join(object_display(v) for v in getattr(obj, name).all())
        elif field.choices:
            value = getattr(obj, f"get_{name}_display")()
        else:
            value = getattr(obj, name)
            if isinstance(value, datetime.date):
                value = formats.date_format(
                    value, "DATETIME_FORMAT" if isinstance(value, datetime.datetime) else "DATE_FORMAT"
                )
            elif isinstance(value, bool):
                value = "是" if value else "否"
            elif isinstance(value, Decimal):
                value = plain(value, field.decimal_places)  # 150 not 150.0000; exact digits kept
            elif isinstance(value, AbstractBaseUser):
                value = user_display(value)
        rows.append((field.verbose_name, value))
    return rows


def history_entries(obj: models.Model, *, limit: int) -> list[dict]:
    """The change history (newest first) with what changed in each step, in one query."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _display(field, change.old),
                        "new": _display(field, change.new),
                    }
                )
        entries.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "type": {"+": "创建", "~": "修改", "-": "删除"}[newer.history_type],
                "changes": changes,
            }
        )
    return entries


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and not field.many_to_many:
        try:
            return object_display(field.related_model._default_manager.get(pk=value))
        except field.related_model.DoesNotExist:
            return "（已删除）"
    if isinstance(value, Decimal):
        return plain(value, field.decimal_places)  # 60 not 60.0000, as on the detail page
    return value


class RecordFormMixin(RecordViewMixin):
    view_name = "form"

    def get_form_class(self):
        return self.record.form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if getattr(self.get_form_class(), "accepts_user", False):
            kwargs["user"] = self.request.user
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        instance = getattr(form, "instance", None)
        if instance is not None and instance.pk and record_version(instance):
            # The version this user sees travels with the form; a re-shown form keeps the posted one.
            form.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=record_version(instance)
            )
        return form

    def form_valid(self, form):
        seen = form.cleaned_data.get(VERSION_FIELD) or None
        try:
            with transaction.atomic():
                self.object = self.record.save_form(form=form, user=self.request.user, seen_version=seen)
        except StaleEdit as exc:
            audit_log(AuditKind.CONFLICT, request=self.request, target=form.instance, detail=exc.messages[0])
            form.add_error(None, exc)
            # What they typed stays; the form now carries the current version, so saving again
            # (after reading the table) is a deliberate overwrite.
            form.data = form.data.copy()
            form.data[VERSION_FIELD] = exc.current_version
            return self.render_to_response(self.get_context_data(form=form, conflict=exc.changes))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_text())
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()


class RecordCreateView(RecordFormMixin, CreateView):
    action = "add"

    def get_initial(self):
        # Prefill from the query string, e.g. "add a certification" from an enterprise page.
        initial = super().get_initial()
        form_fields = self.get_form_class().base_fields
        for key, value in self.request.GET.items():
            if key in form_fields:
                initial[key] = value
        return initial

    def success_text(self):
        return "已新建%(type)s「%(obj)s」。" % {"type": self.record.verbose_name(), "obj": self.object}


class RecordEditView(RecordFormMixin, UpdateView):
    action = "change"

    def success_text(self):
        return "已保存%(type)s「%(obj)s」。" % {"type": self.record.verbose_name(), "obj": self.object}


class RecordDeleteView(RecordViewMixin, DeleteView):
    action = "delete"
    view_name = "confirm_delete"

    def form_valid(self, form):
        obj = self.object
        name = str(obj)
        try:
            with transaction.atomic():
                self.record.delete(obj=obj, user=self.request.user)
        except (ProtectedError, RestrictedError) as exc:
            blockers = (
                sorted({str(o._meta.verbose_name) for o in exc.protected_objects if hasattr(o, "_meta")})
                if hasattr(exc, "protected_objects")
                else []
            )
            messages.error(
                self.request,
                "「%(obj)s」仍有关联的%(what)s，不能删除；请先处理这些记录。"
                % {"obj": name, "what": "、".join(blockers) or "记录"},
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(
            self.request, "已删除%(type)s「%(obj)s」。" % {"type": self.record.verbose_name(), "obj": name}
        )
        return HttpResponseRedirect(record_url(self.record.model, "list"))


class RecordBulkDeleteView(RecordViewMixin, View):
    """POST with ``pk`` values: first a confirmation page, then (with ``confirm``) the deletion."""

    action = "delete"
    view_name = "bulk_delete"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pks = [pk for pk in request.POST.getlist("pk") if pk.isdigit()]
        objects = list(self.get_queryset().filter(pk__in=pks))
        list_url = record_url(self.record.model, "list")
        if not objects:
            messages.warning(request, "请先勾选要删除的记录。")
            return HttpResponseRedirect(list_url)
        if "confirm" not in request.POST:
            return render(
                request,
                self.get_template_names(),
                {
                    "record": self.record,
                    "objects": objects,
                    "list_url": list_url,
                    "model_opts": self.record.model._meta,
                },
            )
        try:
            with transaction.atomic():
                for obj in objects:
                    self.record.delete(obj=obj, user=request.user)
        except (ProtectedError, RestrictedError):
            messages.error(request, "所选记录中有仍被其他记录引用的，未删除任何记录。")
            return HttpResponseRedirect(list_url)
        messages.success(request, "已删除 %(n)d 条%(type)s。" % {"n": len(objects), "type": self.record.verbose_name()})
        return HttpResponseRedirect(list_url)


class RecordDeletedView(RecordViewMixin, View):
    """The deleted records of a type, newest deletion first, each with 恢复 (股室负责人/管理员)."""

    view_name = "deleted"
    paginate_by = 50

    def has_permission(self):
        return may_restore(self.request.user, self.record.model)

    def get(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        page = Paginator(deleted_history(self.record.model), self.paginate_by).get_page(request.GET.get("page"))
        return render(
            request,
            self.get_template_names(),
            {
                "record": self.record,
                "model_opts": self.record.model._meta,
                "list_url": record_url(self.record.model, "list"),
                "page": page,
                "entries": [(entry, entry.instance) for entry in page],
            },
        )


class RecordRestoreView(RecordViewMixin, View):
    http_method_names = ["post"]

    def has_permission(self):
        return may_restore(self.request.user, self.record.model)

    def post(self, request, history_id: int, *args, **kwargs):
        try:
            obj = record_restore(actor=request.user, model=self.record.model, history_id=history_id)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return HttpResponseRedirect(record_url(self.record.model, "deleted"))
        messages.success(request, "已恢复%(type)s「%(obj)s」。" % {"type": self.record.verbose_name(), "obj": obj})
        return HttpResponseRedirect(obj.get_absolute_url())


def get_record_object(record: type[Record], pk: int) -> models.Model:
    return get_object_or_404(record.get_queryset(), pk=pk)


def choice_autocomplete(request, source: str):
    """JSON for a picker (``autocomplete_filter``, ``AutocompleteChoiceField``): at most 20 matches of ``q``.

    Only models a filter declared are served; a record type also needs its view right."""
    if source not in registry["choice_sources"]:
        raise Http404
    queryset, search_fields, label = registry["choice_sources"][source]
    record = registry["records"].get(queryset.model._meta.label_lower)
    if record is not None and not request.user.has_perm(record.permission("view")):
        return JsonResponse({"results": []}, status=403)
    query = request.GET.get("q", "").strip()
    qs = queryset.all()
    if query:
        qs = qs.filter(reduce(or_, (Q(**{f"{f}__icontains": query}) for f in search_fields)))
    return JsonResponse({"results": [{"id": obj.pk, "text": label(obj)} for obj in qs[:20]]})
