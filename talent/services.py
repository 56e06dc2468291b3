"""Every write of talent records that carries a business rule (Django-Styleguide services)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from enterprises.models import Enterprise

from .models import (
    CooperationAgreement,
    Institution,
    Person,
    Platform,
    PlatformEvaluation,
    PlatformType,
    TalentSelection,
)

SELECTION_FIELDS = frozenset(
    {"person", "program", "call", "subcategory", "year", "state", "mode", "support_funds", "notes"}
)
PLATFORM_FIELDS = frozenset(
    {
        "name",
        "type",
        "level",
        "host_enterprise",
        "host_institution",
        "state",
        "year",
        "applied_on",
        "certified_on",
        "notes",
    }
)
EVALUATION_FIELDS = frozenset({"platform", "year", "result", "reward", "notes"})
AGREEMENT_FIELDS = frozenset(
    {"title", "enterprises", "county_government", "institutions", "state", "signed_on", "funds", "content"}
)


def _apply(obj, changes: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(obj, name, value)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


# 人才工程 ----------------------------------------------------------------------------------------


@transaction.atomic
def talent_selection_create(
    *,
    person: Person,
    program,
    year: int,
    call=None,
    subcategory: str = "",
    state: str = TalentSelection.State.APPLIED,
    mode: str = "",
    support_funds: Decimal | None = None,
    notes: str = "",
) -> TalentSelection:
    """Record an application to a talent program; a call given must be of that program and year."""
    selection = TalentSelection(
        person=person,
        program=program,
        call=call,
        year=year,
        subcategory=subcategory,
        state=state,
        mode=mode,
        support_funds=support_funds,
        notes=notes,
    )
    return _save(selection)


@transaction.atomic
def talent_selection_update(*, selection: TalentSelection, **changes: Any) -> TalentSelection:
    selection = TalentSelection.objects.select_for_update().get(pk=selection.pk)
    _apply(selection, changes, SELECTION_FIELDS)
    return _save(selection)


# 创新平台 ----------------------------------------------------------------------------------------


@transaction.atomic
def platform_create(
    *,
    name: str,
    type: PlatformType,  # noqa: A002 - the model's field name
    level: str,
    year: int,
    host_enterprise: Enterprise | None = None,
    host_institution: Institution | None = None,
    state: str = Platform.State.PLANNED,
    applied_on: datetime.date | None = None,
    certified_on: datetime.date | None = None,
    notes: str = "",
) -> Platform:
    platform = Platform(
        name=name,
        type=type,
        level=level,
        year=year,
        host_enterprise=host_enterprise,
        host_institution=host_institution,
        state=state,
        applied_on=applied_on,
        certified_on=certified_on,
        notes=notes,
    )
    return _save(platform)


@transaction.atomic
def platform_update(*, platform: Platform, **changes: Any) -> Platform:
    """Change a platform; one that has evaluations cannot go back to a never-established state."""
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    _apply(platform, changes, PLATFORM_FIELDS)
    if platform.state not in Platform.DATED and platform.evaluations.exists():
        raise ValidationError({"state": "该平台已有绩效评估记录，状态只能是已认定、已备案或已撤销。"})
    return _save(platform)


def _check_evaluable(platform: Platform) -> None:
    if platform.state not in Platform.ESTABLISHED:
        raise ValidationError(
            {
                "platform": "只能对已认定或已备案的平台进行绩效评估；「%(name)s」当前状态为“%(state)s”。"
                % {"name": platform.name, "state": platform.get_state_display()}
            }
        )


def _check_year(platform: Platform, year: int | None) -> None:
    if year and platform.certified_on and year < platform.certified_on.year:
        raise ValidationError(
            {"year": "评估年度不能早于平台认定/备案的年度（%(year)s年）。" % {"year": platform.certified_on.year}}
        )


@transaction.atomic
def platform_evaluation_create(
    *,
    platform: Platform,
    year: int,
    result: str,
    reward: Decimal | None = None,
    notes: str = "",
) -> PlatformEvaluation:
    """Record a performance evaluation; only a certified or filed platform is evaluated."""
    # Lock the platform so that it cannot be moved out of 已认定/已备案 while we record its result.
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    _check_evaluable(platform)
    _check_year(platform, year)
    evaluation = PlatformEvaluation(platform=platform, year=year, result=result, reward=reward, notes=notes)
    return _save(evaluation)


@transaction.atomic
def platform_evaluation_update(*, evaluation: PlatformEvaluation, **changes: Any) -> PlatformEvaluation:
    evaluation = PlatformEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    original_platform_id = evaluation.platform_id
    _apply(evaluation, changes, EVALUATION_FIELDS)
    platform = Platform.objects.select_for_update().get(pk=evaluation.platform_id)
    if platform.pk != original_platform_id:
        # Moving a result to another platform is a new evaluation of that platform.
        _check_evaluable(platform)
    _check_year(platform, evaluation.year)
    evaluation.platform = platform
    return _save(evaluation)


# 产学研合作 --------------------------------------------------------------------------------------


def _check_parties(*, enterprises: list[Enterprise], county_government: bool, institutions: list[Institution]):
    errors = {}
    if not institutions:
        errors["institutions"] = "请至少选择一个合作高校院所。"
    if not enterprises and not county_government:
        errors["enterprises"] = "请选择合作企业，或勾选“县政府签约”。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def cooperation_agreement_create(
    *,
    title: str,
    institutions: Iterable[Institution],
    enterprises: Iterable[Enterprise] = (),
    county_government: bool = False,
    state: str = CooperationAgreement.State.SIGNED,
    signed_on: datetime.date | None = None,
    funds: Decimal | None = None,
    content: str = "",
) -> CooperationAgreement:
    """An agreement has one or more institutions, and enterprises or the county government (or both)."""
    enterprises, institutions = list(enterprises), list(institutions)
    _check_parties(enterprises=enterprises, county_government=county_government, institutions=institutions)
    agreement = _save(
        CooperationAgreement(
            title=title,
            county_government=county_government,
            state=state,
            signed_on=signed_on,
            funds=funds,
            content=content,
        )
    )
    agreement.enterprises.set(enterprises)
    agreement.institutions.set(institutions)
    return agreement


@transaction.atomic
def cooperation_agreement_update(*, agreement: CooperationAgreement, **changes: Any) -> CooperationAgreement:
    agreement = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
    unknown = set(changes) - AGREEMENT_FIELDS
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    enterprises = list(changes.pop("enterprises")) if "enterprises" in changes else list(agreement.enterprises.all())
    institutions = (
        list(changes.pop("institutions")) if "institutions" in changes else list(agreement.institutions.all())
    )
    _apply(agreement, changes, AGREEMENT_FIELDS)
    _check_parties(enterprises=enterprises, county_government=agreement.county_government, institutions=institutions)
    _save(agreement)
    agreement.enterprises.set(enterprises)
    agreement.institutions.set(institutions)
    return agreement
