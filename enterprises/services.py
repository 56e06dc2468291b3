"""Every write to the enterprise records goes through here (keyword-only, atomic, full_clean)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from .models import Certification, Enterprise, Need, YearlyStatistic
from .pinyin import name_initials
from .validators import normalise_credit_code


def _apply(obj, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


# --- Enterprise -------------------------------------------------------------------------------


def _enterprise_save(enterprise: Enterprise) -> Enterprise:
    enterprise.credit_code = normalise_credit_code(enterprise.credit_code or "")
    enterprise.name = (enterprise.name or "").strip()
    enterprise.name_initials = name_initials(enterprise.name)
    enterprise.full_clean()
    enterprise.save()
    return enterprise


@transaction.atomic
def enterprise_create(*, name: str, credit_code: str, **fields: Any) -> Enterprise:
    """A new enterprise; the pinyin initials the picker searches are derived from the name."""
    enterprise = Enterprise(name=name, credit_code=credit_code)
    _apply(enterprise, fields)
    return _enterprise_save(enterprise)


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, **fields: Any) -> Enterprise:
    _apply(enterprise, fields)
    return _enterprise_save(enterprise)


# --- Certification ----------------------------------------------------------------------------


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later (29 Feb becomes 28 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def certification_expiry(*, issued_on: datetime.date, validity_years: int) -> datetime.date:
    """Last valid day: a 3-year certificate issued 2021-12-15 is valid to 2024-12-14."""
    return add_years(issued_on, validity_years) - datetime.timedelta(days=1)


def certification_fill_dates(certification: Certification) -> None:
    """The certificate date defaults to the certification date, and the expiry to the type's
    validity, so clerks enter one date for the common case and the indicators still see both.
    (The ledger import applies the same rule through this function.)"""
    if certification.state == Certification.State.CERTIFIED and not certification.issued_on:
        certification.issued_on = certification.certified_on
    if certification.issued_on and not certification.expires_on and certification.type_id:
        years = certification.type.validity_years
        if years:
            certification.expires_on = certification_expiry(issued_on=certification.issued_on, validity_years=years)


def _certification_save(certification: Certification) -> Certification:
    certification_fill_dates(certification)
    certification.full_clean()
    certification.save()
    return certification


@transaction.atomic
def certification_create(*, enterprise: Enterprise, type, year: int, **fields: Any) -> Certification:
    certification = Certification(enterprise=enterprise, type=type, year=year)
    _apply(certification, fields)
    return _certification_save(certification)


@transaction.atomic
def certification_update(*, certification: Certification, **fields: Any) -> Certification:
    _apply(certification, fields)
    return _certification_save(certification)


# --- Yearly statistics ------------------------------------------------------------------------


@transaction.atomic
def yearly_statistic_create(*, enterprise: Enterprise, year: int, **fields: Any) -> YearlyStatistic:
    """One row per enterprise and year: a second one fails with “该企业2019年的统计数据已存在”."""
    statistic = YearlyStatistic(enterprise=enterprise, year=year)
    _apply(statistic, fields)
    statistic.full_clean()
    statistic.save()
    return statistic


@transaction.atomic
def yearly_statistic_update(*, statistic: YearlyStatistic, **fields: Any) -> YearlyStatistic:
    _apply(statistic, fields)
    statistic.full_clean()
    statistic.save()
    return statistic


# --- Needs ------------------------------------------------------------------------------------


@transaction.atomic
def need_create(*, enterprise: Enterprise, title: str, collected_on: datetime.date, **fields: Any) -> Need:
    need = Need(enterprise=enterprise, title=title, collected_on=collected_on)
    _apply(need, fields)
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def need_update(*, need: Need, **fields: Any) -> Need:
    _apply(need, fields)
    need.full_clean()
    need.save()
    return need
