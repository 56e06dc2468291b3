"""Base form for records: crispy layout, Chinese error messages, date inputs as pickers."""

from decimal import Decimal

from django import forms

from bureau.records.widgets import autocomplete_widget


def decimal_text(value: Decimal) -> str:
    """A stored decimal as a person types it: 60 not 60.0000, 60.25 not 60.2500 (exact digits kept)."""
    if not value.is_finite():
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class DecimalInput(forms.NumberInput):
    """A number input that shows a stored amount without the column's trailing zeros."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return decimal_text(value)
        return super().format_value(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format)


class RecordForm(forms.ModelForm):
    """Date fields render as date pickers; every record form derives from this.

    ``field_help`` gives the help text shown under a field whose meaning is not obvious, declared
    fields (pickers) included, which ``Meta.help_texts`` does not reach."""

    field_help: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in self.field_help.items():
            if name in self.fields:
                self.fields[name].help_text = text
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field.widget, forms.HiddenInput):
                field.widget = DateInput()
            elif isinstance(field, forms.DecimalField) and type(field.widget) is forms.NumberInput:
                widget = DecimalInput(attrs=field.widget.attrs)
                widget.is_required = field.widget.is_required
                field.widget = widget


class AutocompleteChoiceField(forms.ModelChoiceField):
    """A form's picker over a table that grows (专家库, 申报批次): the page renders only the chosen
    option and the picker asks ``/records/choices/<source>/?q=`` as one types, as the list filters'
    ``autocomplete_filter`` does. ``label_of`` names each match (default ``str``); a narrowed
    queryset names its own ``source``."""

    def __init__(
        self, queryset, *, search_fields: tuple[str, ...] = ("name",), source: str = "", label_of=str, **kwargs
    ):
        kwargs.setdefault("widget", autocomplete_widget(queryset, search_fields, source, label_of))
        super().__init__(queryset=queryset, **kwargs)
        self.label_from_instance = label_of
