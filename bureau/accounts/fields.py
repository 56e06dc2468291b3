"""Form fields for choosing a colleague."""

from django import forms

from .display import user_display


class UserChoiceField(forms.ModelChoiceField):
    """A user picker that lists people by name (``user_display``), never by login name."""

    def label_from_instance(self, obj) -> str:
        return user_display(obj)
