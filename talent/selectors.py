"""Reads shaped for one page each: related rows joined or prefetched, so query counts stay flat."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from .models import (
    Commissioner,
    CooperationAgreement,
    Person,
    Platform,
    PlatformEvaluation,
    Secondment,
    TalentSelection,
)


def person_list() -> QuerySet[Person]:
    return Person.objects.select_related("employer_enterprise", "employer_institution")


def person_search(*, query: str, limit: int = 20) -> QuerySet[Person]:
    """For the person picker: name contains, or phone starts with, the query."""
    query = query.strip()
    qs = person_list().order_by("name", "pk")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(phone__startswith=query))
    return qs[:limit]


def person_roles(*, person: Person) -> dict[str, Any]:
    """What a person does for the county: talent programs, commissions, secondments (3 queries)."""
    return {
        "selections": list(person.selections.select_related("program", "call__program").order_by("-year", "pk")),
        "commissions": list(person.commissions.select_related("service_enterprise").order_by("-start_year", "pk")),
        "secondments": list(person.secondments.select_related("origin_institution").order_by("-start", "pk")),
    }


def talent_selection_list() -> QuerySet[TalentSelection]:
    return TalentSelection.objects.select_related("person", "program", "call__program")


def commissioner_list() -> QuerySet[Commissioner]:
    return Commissioner.objects.select_related("person", "service_enterprise")


def secondment_list() -> QuerySet[Secondment]:
    return Secondment.objects.select_related("person", "origin_institution")


def platform_list() -> QuerySet[Platform]:
    return Platform.objects.select_related("type", "host_enterprise", "host_institution")


def platform_evaluations(*, platform: Platform) -> list[PlatformEvaluation]:
    """The evaluations listed on a platform's page, newest first (1 query)."""
    return list(platform.evaluations.order_by("-year", "-pk"))


def platform_evaluation_list() -> QuerySet[PlatformEvaluation]:
    return PlatformEvaluation.objects.select_related("platform__type")


def cooperation_agreement_list() -> QuerySet[CooperationAgreement]:
    return CooperationAgreement.objects.prefetch_related("enterprises", "institutions")


# The enterprise page (一企一档) ----------------------------------------------------------------


def talents_for_enterprise(*, enterprise) -> dict[str, list]:
    """People employed by the enterprise with their talent programs, and its commissioners (3 queries)."""
    selections = TalentSelection.objects.select_related("program").order_by("-year", "pk")
    people = (
        Person.objects.filter(employer_enterprise=enterprise)
        .prefetch_related(Prefetch("selections", queryset=selections))
        .order_by("name", "pk")
    )
    commissioners = (
        Commissioner.objects.filter(service_enterprise=enterprise)
        .select_related("person")
        .order_by("-start_year", "pk")
    )
    return {"people": list(people), "commissioners": list(commissioners)}


def platforms_for_enterprise(*, enterprise) -> list[Platform]:
    """Platforms the enterprise hosts, each with its evaluations (2 queries)."""
    evaluations = PlatformEvaluation.objects.order_by("-year", "-pk")
    return list(
        Platform.objects.filter(host_enterprise=enterprise)
        .select_related("type")
        .prefetch_related(Prefetch("evaluations", queryset=evaluations))
        .order_by("-year", "name", "pk")
    )


def agreements_for_enterprise(*, enterprise) -> list[CooperationAgreement]:
    """Cooperation agreements the enterprise is party to, with the institutions (2 queries)."""
    return list(
        CooperationAgreement.objects.filter(enterprises=enterprise)
        .prefetch_related("institutions")
        .order_by("-signed_on", "-pk")
    )
