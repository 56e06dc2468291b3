"""Reads shaped for one page each (select_related/prefetch so query counts stay flat)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Certification, CertificationType, Enterprise, Need, YearlyStatistic

EXPIRY_WARNING_DAYS = 180
_INITIALS = re.compile(r"^[a-z0-9]+$")


def enterprise_search(*, query: str, limit: int = 20) -> QuerySet[Enterprise]:
    """For the picker: name contains the query, credit code starts with it, or (for Latin
    letters) the pinyin initials contain it: “lzkj” finds 鲁中科技有限公司."""
    query = query.strip()
    qs = Enterprise.objects.only("pk", "name", "credit_code", "name_initials").order_by("name")
    if query:
        condition = Q(name__icontains=query) | Q(credit_code__istartswith=query)
        if _INITIALS.match(query.lower()):
            condition |= Q(name_initials__contains=query.lower())
        qs = qs.filter(condition)
    return qs[:limit]


def enterprise_profile(*, pk: int) -> QuerySet[Enterprise]:
    return Enterprise.objects.select_related("town", "industry").filter(pk=pk)


def certifications_for_enterprise(*, enterprise: Enterprise) -> list[Certification]:
    return list(
        Certification.objects.filter(enterprise=enterprise)
        .select_related("type")
        .order_by("-year", "type__order", "-pk")
    )


def statistics_for_enterprise(*, enterprise: Enterprise) -> list[YearlyStatistic]:
    return list(YearlyStatistic.objects.filter(enterprise=enterprise).order_by("year"))


def needs_for_enterprise(*, enterprise: Enterprise) -> list[Need]:
    return list(Need.objects.filter(enterprise=enterprise).select_related("handler").order_by("-collected_on", "-pk"))


def is_current(certification: Certification, today: datetime.date) -> bool:
    """A certified certificate in force today (no expiry date: in force until recorded otherwise)."""
    return (
        certification.state == Certification.State.CERTIFIED
        and certification.issued_on is not None
        and certification.issued_on <= today
        and (certification.expires_on is None or certification.expires_on >= today)
    )


@dataclass(frozen=True)
class Badge:
    text: str
    title: str
    expiring: bool


def certificate_badges(certifications: list[Certification], *, today: datetime.date) -> list[Badge]:
    """The header badges of the profile (“高企 至2027-05”, “科小 2026”) from the current certificates.

    Takes the list the certifications section already loaded, so the badges cost no query.
    """
    badges: list[Badge] = []
    seen: set[int] = set()
    for cert in sorted(certifications, key=lambda c: (c.type.order, -(c.issued_on or datetime.date.min).toordinal())):
        if cert.type_id in seen or not is_current(cert, today):
            continue
        seen.add(cert.type_id)
        name = cert.type.badge_name
        if cert.expires_on and (cert.type.validity_years or 0) > 1:
            text = f"{name} 至{cert.expires_on:%Y-%m}"
        else:
            text = f"{name} {cert.year}"
        expiring = cert.expires_on is not None and (cert.expires_on - today).days <= EXPIRY_WARNING_DAYS
        title = f"{cert.type.name}，证书编号 {cert.certificate_no or '未填'}"
        if cert.expires_on:
            title += f"，有效期至 {cert.expires_on:%Y-%m-%d}"
        badges.append(Badge(text=text, title=title, expiring=expiring))
    return badges


def _renewed() -> Exists:
    """A later certificate of the same type for the same enterprise: the old one needs no reminder."""
    return Exists(
        Certification.objects.filter(
            enterprise=OuterRef("enterprise"),
            type=OuterRef("type"),
            state=Certification.State.CERTIFIED,
            issued_on__gt=OuterRef("issued_on"),
        )
    )


def certifications_expiring(
    *, today: datetime.date, within_days: int = EXPIRY_WARNING_DAYS, enterprise: Enterprise | None = None
) -> QuerySet[Certification]:
    """Certified certificates that expire in the next ``within_days`` days and were not renewed."""
    qs = Certification.objects.filter(
        state=Certification.State.CERTIFIED,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=within_days),
    )
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    return qs.exclude(_renewed()).select_related("enterprise", "type").order_by("expires_on", "pk")


def certification_types() -> QuerySet[CertificationType]:
    return CertificationType.objects.order_by("order", "name")


def current_certificates(*, enterprise: Enterprise, today: datetime.date) -> list[Certification]:
    """The enterprise's certificates in force today (the profile badges)."""
    return list(
        Certification.objects.filter(enterprise=enterprise, state=Certification.State.CERTIFIED, issued_on__lte=today)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("type")
        .order_by("type__order", "-issued_on")
    )
