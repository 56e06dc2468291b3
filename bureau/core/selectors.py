from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from .models import AnnualTarget, CountyYear, SiteSettings

SITE_SETTINGS_CACHE_KEY = "core:site-settings"


def site_settings() -> SiteSettings:
    """The portal's settings; an unsaved default (from COUNTY_NAME) until an admin saves them."""
    cached = cache.get(SITE_SETTINGS_CACHE_KEY)
    if cached is not None:
        return cached
    obj = SiteSettings.objects.first() or SiteSettings(county_name=settings.DEFAULT_COUNTY_NAME)
    cache.set(SITE_SETTINGS_CACHE_KEY, obj, 300)
    return obj


def annual_targets(*, years: Iterable[int]) -> dict[tuple[str, int], AnnualTarget]:
    """The targets of some years by (indicator code, year), in one query."""
    rows = AnnualTarget.objects.filter(year__in=list(years)).select_related("signed_off_by")
    return {(t.indicator, t.year): t for t in rows}


def county_years(*, years: Iterable[int]) -> dict[int, CountyYear]:
    """County base data (GDP, population) by year, in one query."""
    return {c.year: c for c in CountyYear.objects.filter(year__in=list(years))}


def latest_planned_year(*, today) -> int | None:
    """The latest year, up to this one, for which the admin has entered targets or base data."""
    years = [
        AnnualTarget.objects.filter(year__lte=today.year).aggregate(y=Max("year"))["y"],
        CountyYear.objects.filter(year__lte=today.year).aggregate(y=Max("year"))["y"],
    ]
    years = [y for y in years if y is not None]
    return max(years) if years else None
