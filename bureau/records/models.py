"""The base every record type shares: timestamps, change history, canonical URLs, money."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MoneyField(models.DecimalField):
    """An amount in 万元, exact to the yuan (4 decimal places); never a float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_digits") == 14:
            del kwargs["max_digits"]
        if kwargs.get("decimal_places") == 4:
            del kwargs["decimal_places"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        return super().formfield(**kwargs)


class RecordModel(models.Model):
    """Abstract base: every concrete record gets timestamps and a django-simple-history table."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        from bureau.records.urls import record_url

        return record_url(self)
