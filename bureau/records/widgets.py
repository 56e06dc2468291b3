"""The autocomplete picker: a <select> that Tom Select turns into a server-side search."""

from django import forms

from bureau.registry import register_choice_source


class AutocompleteSelect(forms.Select):
    """Renders only the selected option; the rest come from ``url`` (JSON ``{"results": [{id, text}]}``)."""

    def __init__(self, url: str, attrs=None, url_kwargs: dict | None = None, label=str):
        self.url = url
        self.url_kwargs = url_kwargs or {}
        self.label = label  # the chosen option is named as the search names it
        super().__init__(attrs=attrs)

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        attrs = {
            **(attrs or {}),
            "data-autocomplete-url": reverse(self.url, kwargs=self.url_kwargs),
            "data-placeholder": self.attrs.get("data-placeholder")
            or ("输入名称、拼音首字母或信用代码搜索" if not self.url_kwargs else "输入名称搜索"),
        }
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        # Only the chosen value is rendered: a list of 20,000 enterprises never reaches the page.
        selected = {str(v) for v in value if v not in (None, "")}
        if not selected:
            self.choices = [("", "---------")]
        else:
            queryset = self.choices.queryset.filter(pk__in=selected)
            self.choices = [("", "---------"), *((obj.pk, self.label(obj)) for obj in queryset)]
        return super().optgroups(name, value, attrs)


def autocomplete_widget(queryset, search_fields: tuple[str, ...], source: str = "", label=str) -> AutocompleteSelect:
    """The picker over ``queryset`` for a list filter or a form field: its search is registered as
    ``source`` (default the model's label; a narrowed queryset names its own) and served by
    ``/records/choices/<source>/``, each match named by ``label``."""
    source = source or queryset.model._meta.label_lower
    register_choice_source(source, queryset, search_fields, label)
    return AutocompleteSelect("choice_autocomplete", url_kwargs={"source": source}, label=label)
