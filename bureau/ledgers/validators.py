"""Row validators: the record's form and model rules applied to one row of a ledger.

Two implementations of one contract — ``validator.check(data, instance)`` returns the row's
errors as ``{form field or NON_FIELD_ERRORS: [message, …]}`` and leaves ``instance`` holding the
row's values:

- ``ModelFormRowValidator``, the reference: a plain ModelForm of the record bound to every row and
  ``is_valid()`` — what a clerk typing the row into the record's page would get (the row's values
  for the sheet's fields, the record's current values for the others). Correct by construction,
  and slow: a form per row, a query per relation, per unique field and per constraint.
- ``FastRowValidator``, what imports use: the same steps, through public API only, with one form
  per file and savings that change no outcome. ``tests/ledgers/test_validators.py`` checks that the
  two agree on every file of ``tests/ledgers/files`` and on a generated 10,000-row file.

The fast path, step by step (Django's ModelForm steps, each a public API):

1. every sheet field's form field ``clean()`` (a value already cleaned in an earlier row is not
   cleaned again: ``CleanMemo``; a Decimal is checked by the field's validators without Django's
   "is it empty?" comparisons, which a Decimal never passes), then ``clean_<field>()``;
2. the form's ``clean()``;
3. the instance built like ``construct_instance`` (``Field.save_form_data``);
4. each model field's ``clean()`` (remembered like the form fields; skipped where the form field
   has just made the same checks on the same value), then the model's ``clean()`` — or the model's
   own ``full_clean(exclude=…, validate_unique=False, validate_constraints=False)`` when the model
   overrides ``clean_fields``/``full_clean``;
5. model errors reported on the form's fields with the form's messages.

Relations come from the ledger's lookups (``ResolvedField``: no query per row, and records the
import is about to create are accepted). Uniqueness and database constraints are left to the
natural-key match and duplicate check of the whole file and to the database when the rows are
written (a query per row and constraint otherwise).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.expressions import DatabaseDefault
from django.forms.models import BaseModelForm, InlineForeignKeyField, model_to_dict, modelform_factory
from django.forms.utils import ErrorDict

from bureau.ledgers.columns import Ledger

ErrorMap = dict[str, list[str]]


def import_form_class(ledger: type[Ledger], fields: list[str]) -> type[forms.ModelForm]:
    """The record's form for an import: all its own fields (its ``__init__`` may adjust them) plus
    the sheet's ``fields`` that it lacks."""
    base = ledger.get_form()
    model = ledger.model
    model_fields = {f.name for f in model._meta.get_fields()}
    own = list(getattr(getattr(base, "Meta", None), "fields", None) or [])
    if own == forms.ALL_FIELDS:
        own = []
    all_fields = [*(f for f in own if f in model_fields), *(f for f in fields if f in model_fields and f not in own)]
    form_class = modelform_factory(model, form=base, fields=all_fields)
    form_class.import_fields = [f for f in fields if f in form_class.base_fields]
    form_class.meta_fields = all_fields
    return form_class


def _form_kwargs(form_class, user) -> dict[str, Any]:
    return {"user": user} if getattr(form_class, "accepts_user", False) else {}


def _errors_of(errors) -> ErrorMap:
    return {name: [str(m) for m in messages] for name, messages in errors.items()}


# The reference ---------------------------------------------------------------------------------


class ModelFormRowValidator:
    """A plain ModelForm per row, ``is_valid()``: the reference the fast path is tested against.

    Relations are given to the form as the objects the ledger's lookups found (ModelChoiceField
    accepts them and checks them against its queryset). A record the import is about to create
    (a new person, a new program) has no primary key yet, so this reference cannot validate rows
    naming one; the fast path accepts them."""

    def __init__(self, ledger: type[Ledger], fields: list[str], user=None):
        self.form_class = import_form_class(ledger, fields)
        self.import_fields = self.form_class.import_fields
        self.kwargs = _form_kwargs(self.form_class, user)

    def check(self, data: dict[str, Any], instance: models.Model) -> tuple[ErrorMap, models.Model]:
        form_data = model_to_dict(instance, fields=self.form_class.meta_fields)
        form_data.update({name: data.get(name) for name in self.import_fields})
        form = self.form_class(data=form_data, instance=instance, **self.kwargs)
        form.is_valid()
        return _errors_of(form.errors), form.instance


# The fast path ---------------------------------------------------------------------------------


class ResolvedField(forms.Field):
    """Stands in for a relation's choice field: the ledger already found the object in its lookup,
    so the form neither queries for it again nor lists every choice."""

    queryset = None

    def to_python(self, value):
        return None if value in self.empty_values else value

    def clean(self, value):
        if isinstance(value, models.Model) and not self.validators:
            # A record found in the lookup is never empty, and there is nothing else to check.
            return value
        return super().clean(value)


def decimal_cleaner(form_field: forms.DecimalField):
    """``form_field.clean`` for a plain ``forms.DecimalField``, quicker for a cell the sheet's
    column has made a Decimal already: the same checks (finite, then every validator: digits,
    decimal places, minimum) with the same messages, without Django's four "is it empty?" tests,
    which a Decimal never passes and which cost more than the checks (a Decimal compares itself
    with '', None, [], () and {} through the ``numbers`` ABCs). Anything else goes to ``clean``."""
    clean = form_field.clean

    def cleaner(value):
        if type(value) is not Decimal:
            return clean(value)
        # DecimalField.to_python gives Decimal(str(value)): an equal Decimal with the same digits.
        if not value.is_finite():
            raise ValidationError(form_field.error_messages["invalid"], code="invalid")
        errors = []
        for validator in form_field.validators:  # Field.run_validators
            try:
                validator(value)
            except ValidationError as e:
                if hasattr(e, "code") and e.code in form_field.error_messages:
                    e.message = form_field.error_messages[e.code]
                errors.extend(e.error_list)
        if errors:
            raise ValidationError(errors)
        return value

    return cleaner


# Form fields of Django's own whose clean() returns what the model field's to_python() keeps as
# it is, and which ModelForm makes from the model field with its limits (max_length, max_digits
# and decimal_places, min_value).
_PLAIN_FORM_FIELDS = (forms.CharField, forms.IntegerField, forms.DecimalField)
_PLAIN_MODEL_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.DecimalField)


def _model_check_repeats_form(model_field: models.Field, form_field: forms.Field, form_class) -> bool:
    """Whether the model's clean of this field would only repeat what the form field just checked,
    on the very value the form field returned: a plain field (no choices, Django's own
    to_python/validate/clean), a form field ModelForm made from it with every one of the model
    field's validators, no clean_<field>() and no form clean() that could change the value between
    the two. Such a field is validated once, by the form field, with the form's messages."""
    name = model_field.name
    cls = type(model_field)
    return (
        isinstance(model_field, _PLAIN_MODEL_FIELDS)
        and not model_field.is_relation
        and not model_field.choices
        and cls.clean is models.Field.clean
        and cls.validate is models.Field.validate
        and cls.run_validators is models.Field.run_validators
        and any(cls.to_python is plain.to_python for plain in _PLAIN_MODEL_FIELDS)
        and type(form_field) in _PLAIN_FORM_FIELDS
        and name not in form_class.declared_fields
        and not hasattr(form_class, f"clean_{name}")
        and form_class.clean is BaseModelForm.clean
        and all(v in form_field.validators for v in model_field.validators)
    )


# Types whose equal values are the same value, so that cleaning one gives what cleaning the other
# would. Not Decimal: Decimal("1.5") == Decimal("1.50000") and only the second has too many
# decimal places; not float (0.0 == -0.0); not model instances (cheap to clean anyway).
MEMO_TYPES = frozenset({str, int, bool, type(None), datetime.date, datetime.datetime})
_MISS = object()


class CleanMemo:
    """What cleaning a value gave, for a clean() that depends on the value alone (a year, a town, a
    state, a patent count repeat from row to row): the cleaned value, or the ValidationError raised
    again. A column whose values rarely repeat (names, codes) stops being remembered after a few
    hundred rows, so it costs no more than cleaning every value."""

    __slots__ = ("clean", "outcomes", "hits", "misses", "active")

    def __init__(self, clean):
        self.clean = clean
        self.outcomes: dict = {}
        self.hits = self.misses = 0
        self.active = True

    def __call__(self, value, *args):
        if not self.active or type(value) not in MEMO_TYPES:
            return self.clean(value, *args)
        key = (type(value), value)
        outcome = self.outcomes.get(key, _MISS)
        if outcome is _MISS:
            self.misses += 1
            if self.misses > 256 and self.hits < self.misses:
                self.active = False
                self.outcomes.clear()
                return self.clean(value, *args)
            try:
                outcome = self.clean(value, *args)
            except ValidationError as e:
                self.outcomes[key] = e
                raise
            self.outcomes[key] = outcome
            return outcome
        self.hits += 1
        if isinstance(outcome, ValidationError):
            # The same error again, with a fresh traceback (re-raising would chain the old ones).
            raise outcome.with_traceback(None)
        return outcome


def _value_only_clean(model_field: models.Field) -> bool:
    """A model field whose clean() reads the value alone: Django's own to_python/validate (no
    relation: those query the database), whatever its validators (they are given the value only)."""
    cls = type(model_field)
    return (
        not model_field.is_relation
        and cls.clean is models.Field.clean
        and cls.validate is models.Field.validate
        and cls.run_validators is models.Field.run_validators
    )


def _fast_form_class(ledger: type[Ledger], fields: list[str]) -> type[forms.ModelForm]:
    """The import form with the sheet's relations declared as ``ResolvedField`` (a subclass's
    declared fields replace the ones ModelForm would make)."""
    form_class = import_form_class(ledger, fields)
    declared = {
        name: ResolvedField(required=field.required, label=field.label)
        for name, field in form_class.base_fields.items()
        if name in form_class.import_fields and isinstance(field, forms.ModelChoiceField)
    }
    meta = type("Meta", (form_class.Meta,), {})
    fast = type(f"Import{ledger.get_form().__name__}", (_RowForm, form_class), {"Meta": meta, **declared})
    fast.import_fields = form_class.import_fields
    fast.meta_fields = form_class.meta_fields
    fast.resolved = frozenset(declared)
    return fast


class _RowForm(forms.ModelForm):
    """The import's form: one instance for the whole file (its ``__init__`` runs once), bound to a
    row with ``bind`` and cleaned by ``full_clean`` as described in the module's docstring. Errors
    are kept per row in ``row_errors`` (``errors`` and ``add_error`` read and write them)."""

    import_fields: list[str]
    meta_fields: list[str]
    resolved: frozenset[str]
    row_errors: ErrorDict | None = None

    class Meta:
        fields: list[str] = []

    def bind(self, data: dict[str, Any], instance: models.Model) -> None:
        self.data = data
        self.instance = instance
        self.is_bound = True
        self.row_errors = None
        if not hasattr(self, "cleaners"):
            self._plan()

    def _plan(self) -> None:
        """What is the same for every row, decided on the fields as ``__init__`` left them."""
        model = type(self.instance)
        opts = model._meta
        meta = getattr(type(self), "Meta", None)
        exclude = set(getattr(meta, "exclude", None) or ())
        self.cleaners = {}
        for name in self.import_fields:
            field = self.fields[name]
            if type(field) is forms.DecimalField and not field.localize:
                self.cleaners[name] = CleanMemo(decimal_cleaner(field))
            else:
                self.cleaners[name] = CleanMemo(field.clean)
        # construct_instance(): the model fields the form writes, file fields last.
        plan = [
            f
            for f in opts.fields
            if f.editable
            and not isinstance(f, models.AutoField)
            and f.name in self.meta_fields
            and f.name not in exclude
        ]
        self.construct_plan = sorted(plan, key=lambda f: isinstance(f, models.FileField))
        # ModelForm's validation exclusions that do not depend on the row, plus the relations
        # taken from the lookups and the form's fields the sheet does not fill.
        self.static_exclude = {
            f.name
            for f in opts.fields
            if f.name not in self.fields
            or f.name not in self.meta_fields
            or f.name in exclude
            or isinstance(self.fields[f.name], InlineForeignKeyField)
        }
        self.static_exclude |= self.resolved | (set(self.fields) - set(self.import_fields))
        self.row_dependent = [
            (f.name, f.blank, self.fields[f.name]) for f in opts.fields if f.name not in self.static_exclude
        ]
        self.checked_by_form = set()
        for name in self.import_fields:
            try:
                model_field = opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if name not in self.resolved and _model_check_repeats_form(model_field, self.fields[name], type(self)):
                self.checked_by_form.add(name)
        own_checks = type(self.instance).clean_fields is models.Model.clean_fields
        own_checks = own_checks and type(self.instance).full_clean is models.Model.full_clean
        self.model_plan = (
            [(f, CleanMemo(f.clean) if _value_only_clean(f) else f.clean) for f in opts.fields if not f.generated]
            if own_checks
            else None
        )
        nfe = getattr(meta, "error_messages", None) or {}
        self.non_field_messages = nfe.get(NON_FIELD_ERRORS)

    # The public Form API, over this row's errors.
    @property
    def errors(self):
        if self.row_errors is None:
            self.full_clean()
        return self.row_errors

    def add_error(self, field, error):
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if hasattr(error, "error_dict"):
            if field is not None:
                raise TypeError(
                    "The argument `field` must be `None` when the `error` argument contains errors for multiple fields."
                )
            error = error.error_dict
        else:
            error = {field or NON_FIELD_ERRORS: error.error_list}
        for name, error_list in error.items():
            if name != NON_FIELD_ERRORS and name not in self.fields:
                raise ValueError(f"'{type(self).__name__}' has no field named '{name}'.")
            self.row_errors.setdefault(name, self.error_class(renderer=self.renderer)).extend(error_list)
            self.cleaned_data.pop(name, None)

    def validate_unique(self):
        """Left to the natural-key match of the whole file and to the database on write."""

    def full_clean(self):
        self.row_errors = ErrorDict()
        self.cleaned_data = {}
        if not self.is_bound:
            return
        # 1. form fields, clean_<field>()
        for name in self.import_fields:
            field = self.fields[name]
            value = getattr(self.instance, name, None) if field.disabled else self.data.get(name)
            try:
                self.cleaned_data[name] = self.cleaners[name](value)
                hook = getattr(self, f"clean_{name}", None)
                if hook is not None:
                    self.cleaned_data[name] = hook()
            except ValidationError as e:
                self.add_error(name, e)
        # 2. the form's clean()
        try:
            cleaned = self.clean()
        except ValidationError as e:
            self.add_error(None, e)
        else:
            if cleaned is not None:
                self.cleaned_data = cleaned
        # 3. the instance, 4. the model's checks
        exclude = self.validation_exclusions()
        self.construct()
        try:
            self.clean_model(exclude)
        except ValidationError as e:
            self.model_errors(e)

    def validation_exclusions(self) -> set[str]:
        exclude = set(self.static_exclude)
        for name, blank, form_field in self.row_dependent:
            if name in self.row_errors or (
                not blank and not form_field.required and self.cleaned_data.get(name) in form_field.empty_values
            ):
                exclude.add(name)
        return exclude

    def construct(self) -> None:
        """``construct_instance`` for this form's fields."""
        cleaned_data = self.cleaned_data
        for f in self.construct_plan:
            name = f.name
            if name not in cleaned_data:
                continue
            # Leave defaults for fields that aren't in the data (checkboxes excepted).
            if f.has_default():
                form_field = self.fields[name]
                if (
                    form_field.widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
                    and cleaned_data.get(name) in form_field.empty_values
                ):
                    continue
            f.save_form_data(self.instance, cleaned_data[name])

    def clean_model(self, exclude: set[str]) -> None:
        """``Model.full_clean(exclude, validate_unique=False, validate_constraints=False)``: each
        field's ``clean()`` (remembered), then the model's ``clean()``."""
        instance = self.instance
        if self.model_plan is None:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            return
        errors: dict = {}
        skip = exclude | self.checked_by_form
        for f, clean in self.model_plan:
            if f.name in skip:
                continue
            raw_value = getattr(instance, f.attname)
            if f.blank and raw_value in f.empty_values:
                continue
            if isinstance(raw_value, DatabaseDefault):
                continue
            try:
                setattr(instance, f.attname, clean(raw_value, instance))
            except ValidationError as e:
                errors[f.name] = e.error_list
        if errors:
            errors = ValidationError(errors).update_error_dict({})
        try:
            instance.clean()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def model_errors(self, errors: ValidationError) -> None:
        """Model errors on the form's fields, with the form's own messages for their codes."""
        error_dict = errors.error_dict if hasattr(errors, "error_dict") else {NON_FIELD_ERRORS: errors.error_list}
        for name, messages in error_dict.items():
            if name == NON_FIELD_ERRORS and self.non_field_messages:
                overrides = self.non_field_messages
            elif name in self.fields:
                overrides = self.fields[name].error_messages
            else:
                continue
            for message in messages:
                if isinstance(message, ValidationError) and message.code in overrides:
                    message.message = overrides[message.code]
        self.add_error(None, ValidationError(error_dict))


class FastRowValidator:
    """The import's validator: one ``_RowForm`` for the whole file."""

    def __init__(self, ledger: type[Ledger], fields: list[str], user=None):
        form_class = _fast_form_class(ledger, fields)
        self.import_fields = form_class.import_fields
        self.form = form_class(data={}, instance=ledger.model(), **_form_kwargs(form_class, user))

    def check(self, data: dict[str, Any], instance: models.Model) -> tuple[ErrorMap, models.Model]:
        self.form.bind(data, instance)
        return _errors_of(self.form.errors), self.form.instance
