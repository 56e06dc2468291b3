"""Every write of the core records: policies, activities, county base data, targets, settings."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bureau.audit.models import AuditKind
from bureau.audit.services import audit_log
from bureau.formatting import plain
from bureau.permissions import Actor, require_permission
from bureau.services import UNSET, Unset, assign, record_save, save

from .models import Activity, AnnualTarget, CountyYear, Policy, SiteSettings
from .selectors import SITE_SETTINGS_CACHE_KEY


@transaction.atomic
def site_settings_update(
    *, actor: Actor, county_name: str, bureau_name: str = "", setup_dismissed: bool | Unset = UNSET
) -> SiteSettings:
    require_permission(actor, SiteSettings, "change")
    obj = SiteSettings.objects.select_for_update().first() or SiteSettings()
    return _site_settings_save(obj, county_name=county_name, bureau_name=bureau_name, setup_dismissed=setup_dismissed)


@transaction.atomic
def site_settings_dismiss_setup(*, actor: Actor, dismissed: bool = True) -> SiteSettings:
    """Hide (or show again) the first-run checklist on the home page. Before an admin has saved the
    settings, the row is created with the county name in use (COUNTY_NAME)."""
    require_permission(actor, SiteSettings, "change")
    obj = SiteSettings.objects.select_for_update().first() or SiteSettings(county_name=settings.DEFAULT_COUNTY_NAME)
    return _site_settings_save(obj, setup_dismissed=dismissed)


def _site_settings_save(obj: SiteSettings, **values) -> SiteSettings:
    assign(obj, **values)
    obj.full_clean()
    obj.save()
    # Now (so this request reads its own write) and after the commit (a reader that cached the old
    # row meanwhile does not keep it).
    cache.delete(SITE_SETTINGS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(SITE_SETTINGS_CACHE_KEY))
    return obj


# --- Policies, activities, county base data -------------------------------------------------


@transaction.atomic
def policy_create(
    *,
    actor: Actor,
    title: str,
    issued_on: datetime.date,
    document_number: str | Unset = UNSET,
    level: str | Unset = UNSET,
    issuer: str | Unset = UNSET,
    summary: str | Unset = UNSET,
) -> Policy:
    require_permission(actor, Policy, "add")
    return record_save(
        Policy(),
        title=title,
        document_number=document_number,
        level=level,
        issuer=issuer,
        issued_on=issued_on,
        summary=summary,
    )


@transaction.atomic
def policy_update(
    *,
    actor: Actor,
    policy: Policy,
    title: str | Unset = UNSET,
    document_number: str | Unset = UNSET,
    level: str | Unset = UNSET,
    issuer: str | Unset = UNSET,
    issued_on: datetime.date | Unset = UNSET,
    summary: str | Unset = UNSET,
) -> Policy:
    require_permission(actor, Policy, "change")
    return record_save(
        policy,
        title=title,
        document_number=document_number,
        level=level,
        issuer=issuer,
        issued_on=issued_on,
        summary=summary,
    )


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    title: str,
    held_on: datetime.date,
    kind: str | Unset = UNSET,
    location: str | Unset = UNSET,
    participants: int | Unset = UNSET,
    organizer: str | Unset = UNSET,
    funds: Decimal | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Activity:
    require_permission(actor, Activity, "add")
    return record_save(
        Activity(),
        title=title,
        kind=kind,
        held_on=held_on,
        location=location,
        participants=participants,
        organizer=organizer,
        funds=funds,
        notes=notes,
    )


@transaction.atomic
def activity_update(
    *,
    actor: Actor,
    activity: Activity,
    title: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    held_on: datetime.date | Unset = UNSET,
    location: str | Unset = UNSET,
    participants: int | Unset = UNSET,
    organizer: str | Unset = UNSET,
    funds: Decimal | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Activity:
    require_permission(actor, Activity, "change")
    return record_save(
        activity,
        title=title,
        kind=kind,
        held_on=held_on,
        location=location,
        participants=participants,
        organizer=organizer,
        funds=funds,
        notes=notes,
    )


@transaction.atomic
def county_year_create(
    *,
    actor: Actor,
    year: int,
    gdp: Decimal | None | Unset = UNSET,
    population: Decimal | None | Unset = UNSET,
    industrial_output_above_scale: Decimal | None | Unset = UNSET,
) -> CountyYear:
    require_permission(actor, CountyYear, "add")
    return record_save(
        CountyYear(),
        year=year,
        gdp=gdp,
        population=population,
        industrial_output_above_scale=industrial_output_above_scale,
    )


@transaction.atomic
def county_year_update(
    *,
    actor: Actor,
    county_year: CountyYear,
    year: int | Unset = UNSET,
    gdp: Decimal | None | Unset = UNSET,
    population: Decimal | None | Unset = UNSET,
    industrial_output_above_scale: Decimal | None | Unset = UNSET,
) -> CountyYear:
    require_permission(actor, CountyYear, "change")
    return record_save(
        county_year,
        year=year,
        gdp=gdp,
        population=population,
        industrial_output_above_scale=industrial_output_above_scale,
    )


# --- Annual targets ---------------------------------------------------------------------------

# A reviewer signed off these values; changing any of them needs a new sign-off.
SIGNED_FIELDS = ("year", "indicator", "target")


def annual_target_reset_signoff(target: AnnualTarget, *, before: dict | None, actor: Actor = None) -> None:
    """Clear the sign-off when a signed value changed since ``before`` (the ledger import applies
    the same rule through this function)."""
    if before is None:
        return
    if any(before.get(name, getattr(target, name)) != getattr(target, name) for name in SIGNED_FIELDS):
        was_signed = target.signed_off_at is not None
        target.signed_off_by = None
        target.signed_off_at = None
        if was_signed and target.pk:
            _announce_signoff_reset(target, actor=actor)


def _announce_signoff_reset(target: AnnualTarget, *, actor: Actor) -> None:
    """A signed-off target changed: the reviewers are told it needs signing off again."""
    from bureau.accounts.roles import REVIEWER
    from bureau.notifications.services import notify, users_with_role

    notify(
        recipients=users_with_role(REVIEWER),
        kind="target_changed",
        title="已签核的年度目标「%(t)s」被修改，请重新签核" % {"t": target},
        url=target.get_absolute_url(),
        actor=actor,
    )


@transaction.atomic
def annual_target_create(
    *,
    actor: Actor,
    year: int,
    indicator: str,
    target: Decimal,
    notes: str | Unset = UNSET,
) -> AnnualTarget:
    require_permission(actor, AnnualTarget, "add")
    return record_save(AnnualTarget(), year=year, indicator=indicator, target=target, notes=notes)


@transaction.atomic
def annual_target_update(
    *,
    actor: Actor,
    annual_target: AnnualTarget,
    year: int | Unset = UNSET,
    indicator: str | Unset = UNSET,
    target: Decimal | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> AnnualTarget:
    """Change a target; a changed year, indicator or figure needs a new sign-off."""
    require_permission(actor, AnnualTarget, "change")
    before = AnnualTarget.objects.select_for_update().filter(pk=annual_target.pk).values(*SIGNED_FIELDS).first()
    many = assign(annual_target, year=year, indicator=indicator, target=target, notes=notes)
    annual_target_reset_signoff(annual_target, before=before, actor=actor)
    return save(annual_target, many)


def annual_target_signed_values(target: AnnualTarget) -> dict[str, Any]:
    """The values a sign-off confirms, as the signer's page shows them (and sends back)."""
    return {name: getattr(target, name) for name in SIGNED_FIELDS}


@transaction.atomic
def annual_target_signoff(*, actor: Actor, target_id: int, seen: Mapping[str, Any]) -> AnnualTarget:
    """股室负责人 confirm a target; the dashboard and the report show who signed it off.

    ``seen`` is the year, indicator and figure the signer's page showed: a sign-off confirms what
    was seen, so it is refused when any of them has changed since (issue 22: 7500 shown, 75000 signed).
    """
    target = AnnualTarget.objects.select_for_update().get(pk=target_id)
    require_permission(actor, AnnualTarget, "signoff")
    if target.signed_off_at is not None:
        raise ValidationError("该目标已签核，无需重复签核。")
    if any(seen.get(name) != value for name, value in annual_target_signed_values(target).items()):
        raise ValidationError(
            "您看到的值已被修改（当前目标值为 %(target)s），未签核；请核对后重新签核。"
            % {"target": plain(target.target, 4)}
        )
    target.signed_off_by = actor
    target.signed_off_at = timezone.now()
    target.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    audit_log(AuditKind.SIGNOFF, actor=actor, target=target, detail=f"签核年度目标：{plain(target.target, 4)}")
    return target
