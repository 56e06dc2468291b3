"""Every write to the enterprise records goes through here (keyword-only, atomic, full_clean, rights)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from bureau.permissions import Actor, require_permission
from bureau.services import UNSET, Unset, assign, record_save, save

from .models import Certification, CertificationType, Enterprise, Industry, Need, Town, YearlyStatistic
from .pinyin import name_initials
from .validators import normalise_credit_code

# --- Managed lists (乡镇/街道, 行业, 资质类型): only those with the add right extend them ----------------


@transaction.atomic
def town_create(*, actor: Actor, name: str, order: int | Unset = UNSET) -> Town:
    require_permission(actor, Town, "add")
    return record_save(Town(), name=name.strip(), order=order)


@transaction.atomic
def industry_create(*, actor: Actor, name: str, order: int | Unset = UNSET) -> Industry:
    require_permission(actor, Industry, "add")
    return record_save(Industry(), name=name.strip(), order=order)


@transaction.atomic
def certification_type_create(
    *,
    actor: Actor,
    name: str,
    code: str,
    short_name: str | Unset = UNSET,
    validity_years: int | None | Unset = UNSET,
    order: int | Unset = UNSET,
) -> CertificationType:
    require_permission(actor, CertificationType, "add")
    return record_save(
        CertificationType(),
        name=name.strip(),
        code=code,
        short_name=short_name,
        validity_years=validity_years,
        order=order,
    )


# --- Enterprise -------------------------------------------------------------------------------


def enterprise_fill_derived(enterprise: Enterprise) -> None:
    """Normalise the credit code and the name and derive the pinyin initials the picker searches.
    (The ledger import applies the same rule through this function.)"""
    enterprise.credit_code = normalise_credit_code(enterprise.credit_code or "")
    enterprise.name = (enterprise.name or "").strip()
    enterprise.name_initials = name_initials(enterprise.name)


def _enterprise_save(enterprise: Enterprise, **values) -> Enterprise:
    many = assign(enterprise, **values)
    enterprise_fill_derived(enterprise)
    return save(enterprise, many)


@transaction.atomic
def enterprise_create(
    *,
    actor: Actor,
    name: str,
    credit_code: str,
    town: Town | None | Unset = UNSET,
    industry: Industry | None | Unset = UNSET,
    scale: str | Unset = UNSET,
    address: str | Unset = UNSET,
    contact: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    founded_on: datetime.date | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Enterprise:
    """A new enterprise; the pinyin initials the picker searches are derived from the name."""
    require_permission(actor, Enterprise, "add")
    return _enterprise_save(
        Enterprise(),
        name=name,
        credit_code=credit_code,
        town=town,
        industry=industry,
        scale=scale,
        address=address,
        contact=contact,
        phone=phone,
        founded_on=founded_on,
        notes=notes,
    )


@transaction.atomic
def enterprise_update(
    *,
    actor: Actor,
    enterprise: Enterprise,
    name: str | Unset = UNSET,
    credit_code: str | Unset = UNSET,
    town: Town | None | Unset = UNSET,
    industry: Industry | None | Unset = UNSET,
    scale: str | Unset = UNSET,
    address: str | Unset = UNSET,
    contact: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    founded_on: datetime.date | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Enterprise:
    require_permission(actor, Enterprise, "change")
    return _enterprise_save(
        enterprise,
        name=name,
        credit_code=credit_code,
        town=town,
        industry=industry,
        scale=scale,
        address=address,
        contact=contact,
        phone=phone,
        founded_on=founded_on,
        notes=notes,
    )


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


def _certification_save(certification: Certification, **values) -> Certification:
    many = assign(certification, **values)
    certification_fill_dates(certification)
    return save(certification, many)


@transaction.atomic
def certification_create(
    *,
    actor: Actor,
    enterprise: Enterprise,
    type: CertificationType,
    year: int,
    state: str | Unset = UNSET,
    applied_on: datetime.date | None | Unset = UNSET,
    certified_on: datetime.date | None | Unset = UNSET,
    certificate_no: str | Unset = UNSET,
    issued_on: datetime.date | None | Unset = UNSET,
    expires_on: datetime.date | None | Unset = UNSET,
    first_time: bool | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Certification:
    require_permission(actor, Certification, "add")
    return _certification_save(
        Certification(),
        enterprise=enterprise,
        type=type,
        year=year,
        state=state,
        applied_on=applied_on,
        certified_on=certified_on,
        certificate_no=certificate_no,
        issued_on=issued_on,
        expires_on=expires_on,
        first_time=first_time,
        notes=notes,
    )


@transaction.atomic
def certification_update(
    *,
    actor: Actor,
    certification: Certification,
    enterprise: Enterprise | Unset = UNSET,
    type: CertificationType | Unset = UNSET,
    year: int | Unset = UNSET,
    state: str | Unset = UNSET,
    applied_on: datetime.date | None | Unset = UNSET,
    certified_on: datetime.date | None | Unset = UNSET,
    certificate_no: str | Unset = UNSET,
    issued_on: datetime.date | None | Unset = UNSET,
    expires_on: datetime.date | None | Unset = UNSET,
    first_time: bool | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Certification:
    require_permission(actor, Certification, "change")
    return _certification_save(
        certification,
        enterprise=enterprise,
        type=type,
        year=year,
        state=state,
        applied_on=applied_on,
        certified_on=certified_on,
        certificate_no=certificate_no,
        issued_on=issued_on,
        expires_on=expires_on,
        first_time=first_time,
        notes=notes,
    )


# --- Yearly statistics ------------------------------------------------------------------------


@transaction.atomic
def yearly_statistic_create(
    *,
    actor: Actor,
    enterprise: Enterprise,
    year: int,
    rd_expenditure: Decimal | None | Unset = UNSET,
    revenue: Decimal | None | Unset = UNSET,
    industrial_output: Decimal | None | Unset = UNSET,
    high_tech_output: Decimal | None | Unset = UNSET,
    patents_applied: int | None | Unset = UNSET,
    patents_granted: int | None | Unset = UNSET,
    invention_patents_granted: int | None | Unset = UNSET,
    valid_invention_patents: int | None | Unset = UNSET,
) -> YearlyStatistic:
    """One row per enterprise and year: a second one fails with “该企业2019年的统计数据已存在”."""
    require_permission(actor, YearlyStatistic, "add")
    return record_save(
        YearlyStatistic(),
        enterprise=enterprise,
        year=year,
        rd_expenditure=rd_expenditure,
        revenue=revenue,
        industrial_output=industrial_output,
        high_tech_output=high_tech_output,
        patents_applied=patents_applied,
        patents_granted=patents_granted,
        invention_patents_granted=invention_patents_granted,
        valid_invention_patents=valid_invention_patents,
    )


@transaction.atomic
def yearly_statistic_update(
    *,
    actor: Actor,
    yearly_statistic: YearlyStatistic,
    enterprise: Enterprise | Unset = UNSET,
    year: int | Unset = UNSET,
    rd_expenditure: Decimal | None | Unset = UNSET,
    revenue: Decimal | None | Unset = UNSET,
    industrial_output: Decimal | None | Unset = UNSET,
    high_tech_output: Decimal | None | Unset = UNSET,
    patents_applied: int | None | Unset = UNSET,
    patents_granted: int | None | Unset = UNSET,
    invention_patents_granted: int | None | Unset = UNSET,
    valid_invention_patents: int | None | Unset = UNSET,
) -> YearlyStatistic:
    require_permission(actor, YearlyStatistic, "change")
    return record_save(
        yearly_statistic,
        enterprise=enterprise,
        year=year,
        rd_expenditure=rd_expenditure,
        revenue=revenue,
        industrial_output=industrial_output,
        high_tech_output=high_tech_output,
        patents_applied=patents_applied,
        patents_granted=patents_granted,
        invention_patents_granted=invention_patents_granted,
        valid_invention_patents=valid_invention_patents,
    )


# --- Needs ------------------------------------------------------------------------------------


@transaction.atomic
def need_create(
    *,
    actor: Actor,
    enterprise: Enterprise,
    title: str,
    collected_on: datetime.date,
    kind: str | Unset = UNSET,
    description: str | Unset = UNSET,
    handler: AbstractBaseUser | None | Unset = UNSET,
    state: str | Unset = UNSET,
    result: str | Unset = UNSET,
    resolved_on: datetime.date | None | Unset = UNSET,
) -> Need:
    require_permission(actor, Need, "add")
    return record_save(
        Need(),
        enterprise=enterprise,
        kind=kind,
        title=title,
        description=description,
        collected_on=collected_on,
        handler=handler,
        state=state,
        result=result,
        resolved_on=resolved_on,
    )


@transaction.atomic
def need_update(
    *,
    actor: Actor,
    need: Need,
    enterprise: Enterprise | Unset = UNSET,
    kind: str | Unset = UNSET,
    title: str | Unset = UNSET,
    description: str | Unset = UNSET,
    collected_on: datetime.date | Unset = UNSET,
    handler: AbstractBaseUser | None | Unset = UNSET,
    state: str | Unset = UNSET,
    result: str | Unset = UNSET,
    resolved_on: datetime.date | None | Unset = UNSET,
) -> Need:
    require_permission(actor, Need, "change")
    return record_save(
        need,
        enterprise=enterprise,
        kind=kind,
        title=title,
        description=description,
        collected_on=collected_on,
        handler=handler,
        state=state,
        result=result,
        resolved_on=resolved_on,
    )
