"""Every write of talent records that carries a business rule (Django-Styleguide services)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from bureau.permissions import Actor, require_permission
from bureau.services import UNSET, Unset, assign, record_save, save
from enterprises.models import Enterprise
from programs.models import Call, Program

from .models import (
    Commissioner,
    CooperationAgreement,
    Institution,
    Person,
    Platform,
    PlatformEvaluation,
    PlatformType,
    Secondment,
    TalentSelection,
)


def _save(obj):
    return save(obj)


# Managed lists: 平台类型 (only 管理员), 高校院所 (staff add one while entering an agreement) ------------


@transaction.atomic
def platform_type_create(*, actor: Actor, name: str, code: str, order: int | Unset = UNSET) -> PlatformType:
    require_permission(actor, PlatformType, "add")
    return record_save(PlatformType(), name=name.strip(), code=code, order=order)


@transaction.atomic
def institution_create(
    *,
    actor: Actor,
    name: str,
    kind: str | Unset = UNSET,
    order: int | Unset = UNSET,
) -> Institution:
    require_permission(actor, Institution, "add")
    return record_save(Institution(), name=name, kind=kind, order=order)


@transaction.atomic
def institution_update(
    *,
    actor: Actor,
    institution: Institution,
    name: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    order: int | Unset = UNSET,
) -> Institution:
    require_permission(actor, Institution, "change")
    return record_save(institution, name=name, kind=kind, order=order)


# 人才 ----------------------------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    name: str,
    gender: str | Unset = UNSET,
    birth_year: int | None | Unset = UNSET,
    degree: str | Unset = UNSET,
    title: str | Unset = UNSET,
    field: str | Unset = UNSET,
    employer_enterprise: Enterprise | None | Unset = UNSET,
    employer_institution: Institution | None | Unset = UNSET,
    employer_text: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Person:
    require_permission(actor, Person, "add")
    return record_save(
        Person(),
        name=name,
        gender=gender,
        birth_year=birth_year,
        degree=degree,
        title=title,
        field=field,
        employer_enterprise=employer_enterprise,
        employer_institution=employer_institution,
        employer_text=employer_text,
        phone=phone,
        notes=notes,
    )


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    name: str | Unset = UNSET,
    gender: str | Unset = UNSET,
    birth_year: int | None | Unset = UNSET,
    degree: str | Unset = UNSET,
    title: str | Unset = UNSET,
    field: str | Unset = UNSET,
    employer_enterprise: Enterprise | None | Unset = UNSET,
    employer_institution: Institution | None | Unset = UNSET,
    employer_text: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Person:
    require_permission(actor, Person, "change")
    return record_save(
        person,
        name=name,
        gender=gender,
        birth_year=birth_year,
        degree=degree,
        title=title,
        field=field,
        employer_enterprise=employer_enterprise,
        employer_institution=employer_institution,
        employer_text=employer_text,
        phone=phone,
        notes=notes,
    )


@transaction.atomic
def commissioner_create(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    level: str,
    start_year: int,
    service_area: str | Unset = UNSET,
    service_enterprise: Enterprise | None | Unset = UNSET,
    end_year: int | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Commissioner:
    require_permission(actor, Commissioner, "add")
    return record_save(
        Commissioner(),
        person=person,
        kind=kind,
        level=level,
        service_area=service_area,
        service_enterprise=service_enterprise,
        start_year=start_year,
        end_year=end_year,
        notes=notes,
    )


@transaction.atomic
def commissioner_update(
    *,
    actor: Actor,
    commissioner: Commissioner,
    person: Person | Unset = UNSET,
    kind: str | Unset = UNSET,
    level: str | Unset = UNSET,
    service_area: str | Unset = UNSET,
    service_enterprise: Enterprise | None | Unset = UNSET,
    start_year: int | Unset = UNSET,
    end_year: int | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Commissioner:
    require_permission(actor, Commissioner, "change")
    return record_save(
        commissioner,
        person=person,
        kind=kind,
        level=level,
        service_area=service_area,
        service_enterprise=service_enterprise,
        start_year=start_year,
        end_year=end_year,
        notes=notes,
    )


@transaction.atomic
def secondment_create(
    *,
    actor: Actor,
    person: Person,
    post: str,
    origin_institution: Institution,
    start: datetime.date,
    post_text: str | Unset = UNSET,
    end: datetime.date | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Secondment:
    require_permission(actor, Secondment, "add")
    return record_save(
        Secondment(),
        person=person,
        post=post,
        post_text=post_text,
        origin_institution=origin_institution,
        start=start,
        end=end,
        notes=notes,
    )


@transaction.atomic
def secondment_update(
    *,
    actor: Actor,
    secondment: Secondment,
    person: Person | Unset = UNSET,
    post: str | Unset = UNSET,
    post_text: str | Unset = UNSET,
    origin_institution: Institution | Unset = UNSET,
    start: datetime.date | Unset = UNSET,
    end: datetime.date | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Secondment:
    require_permission(actor, Secondment, "change")
    return record_save(
        secondment,
        person=person,
        post=post,
        post_text=post_text,
        origin_institution=origin_institution,
        start=start,
        end=end,
        notes=notes,
    )


# 人才工程 ----------------------------------------------------------------------------------------


@transaction.atomic
def talent_selection_create(
    *,
    actor: Actor,
    person: Person,
    program: Program,
    year: int,
    call: Call | None = None,
    subcategory: str = "",
    state: str = TalentSelection.State.APPLIED,
    mode: str = "",
    support_funds: Decimal | None = None,
    notes: str = "",
) -> TalentSelection:
    """Record an application to a talent program; a call given must be of that program and year."""
    require_permission(actor, TalentSelection, "add")
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
def talent_selection_update(
    *,
    actor: Actor,
    selection: TalentSelection,
    person: Person | Unset = UNSET,
    program: Program | Unset = UNSET,
    subcategory: str | Unset = UNSET,
    call: Call | None | Unset = UNSET,
    year: int | Unset = UNSET,
    state: str | Unset = UNSET,
    mode: str | Unset = UNSET,
    support_funds: Decimal | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> TalentSelection:
    require_permission(actor, TalentSelection, "change")
    selection = TalentSelection.objects.select_for_update().get(pk=selection.pk)
    return record_save(
        selection,
        person=person,
        program=program,
        subcategory=subcategory,
        call=call,
        year=year,
        state=state,
        mode=mode,
        support_funds=support_funds,
        notes=notes,
    )


# 创新平台 ----------------------------------------------------------------------------------------


@transaction.atomic
def platform_create(
    *,
    actor: Actor,
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
    require_permission(actor, Platform, "add")
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
def platform_update(
    *,
    actor: Actor,
    platform: Platform,
    name: str | Unset = UNSET,
    type: PlatformType | Unset = UNSET,
    level: str | Unset = UNSET,
    state: str | Unset = UNSET,
    host_enterprise: Enterprise | None | Unset = UNSET,
    host_institution: Institution | None | Unset = UNSET,
    year: int | Unset = UNSET,
    applied_on: datetime.date | None | Unset = UNSET,
    certified_on: datetime.date | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Platform:
    """Change a platform; one that has evaluations cannot go back to a never-established state."""
    require_permission(actor, Platform, "change")
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    assign(
        platform,
        name=name,
        type=type,
        level=level,
        state=state,
        host_enterprise=host_enterprise,
        host_institution=host_institution,
        year=year,
        applied_on=applied_on,
        certified_on=certified_on,
        notes=notes,
    )
    if platform.state not in Platform.DATED and platform.evaluations.exists():
        raise ValidationError({"state": "该平台已有绩效评估记录，状态只能是已认定、已备案或已撤销。"})
    return _save(platform)


def platform_evaluable(platform: Platform) -> bool:
    """Only a certified or filed platform is evaluated (the ledger import checks the same function)."""
    return platform.state in Platform.ESTABLISHED


def _check_evaluable(platform: Platform) -> None:
    if not platform_evaluable(platform):
        raise ValidationError(
            {
                "platform": "只能对已认定或已备案的平台进行绩效评估；「%(name)s」当前状态为“%(state)s”。"
                % {"name": platform.name, "state": platform.get_state_display()}
            }
        )


def platform_evaluation_check_year(platform: Platform, year: int | None) -> None:
    if year and platform.certified_on and year < platform.certified_on.year:
        raise ValidationError(
            {"year": "评估年度不能早于平台认定/备案的年度（%(year)s年）。" % {"year": platform.certified_on.year}}
        )


@transaction.atomic
def platform_evaluation_create(
    *,
    actor: Actor,
    platform: Platform,
    year: int,
    result: str,
    reward: Decimal | None = None,
    notes: str = "",
) -> PlatformEvaluation:
    """Record a performance evaluation; only a certified or filed platform is evaluated."""
    require_permission(actor, PlatformEvaluation, "add")
    # Lock the platform so that it cannot be moved out of 已认定/已备案 while we record its result.
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    _check_evaluable(platform)
    platform_evaluation_check_year(platform, year)
    evaluation = PlatformEvaluation(platform=platform, year=year, result=result, reward=reward, notes=notes)
    return _save(evaluation)


@transaction.atomic
def platform_evaluation_update(
    *,
    actor: Actor,
    evaluation: PlatformEvaluation,
    platform: Platform | Unset = UNSET,
    year: int | Unset = UNSET,
    result: str | Unset = UNSET,
    reward: Decimal | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> PlatformEvaluation:
    require_permission(actor, PlatformEvaluation, "change")
    evaluation = PlatformEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    original_platform_id = evaluation.platform_id
    assign(evaluation, platform=platform, year=year, result=result, reward=reward, notes=notes)
    platform = Platform.objects.select_for_update().get(pk=evaluation.platform_id)
    if platform.pk != original_platform_id:
        # Moving a result to another platform is a new evaluation of that platform.
        _check_evaluable(platform)
    platform_evaluation_check_year(platform, evaluation.year)
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
    actor: Actor,
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
    require_permission(actor, CooperationAgreement, "add")
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
def cooperation_agreement_update(
    *,
    actor: Actor,
    agreement: CooperationAgreement,
    title: str | Unset = UNSET,
    enterprises: Iterable[Enterprise] | Unset = UNSET,
    county_government: bool | Unset = UNSET,
    institutions: Iterable[Institution] | Unset = UNSET,
    state: str | Unset = UNSET,
    signed_on: datetime.date | None | Unset = UNSET,
    funds: Decimal | None | Unset = UNSET,
    content: str | Unset = UNSET,
) -> CooperationAgreement:
    require_permission(actor, CooperationAgreement, "change")
    agreement = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
    enterprises = list(agreement.enterprises.all()) if enterprises is UNSET else list(enterprises)
    institutions = list(agreement.institutions.all()) if institutions is UNSET else list(institutions)
    assign(
        agreement,
        title=title,
        county_government=county_government,
        state=state,
        signed_on=signed_on,
        funds=funds,
        content=content,
    )
    _check_parties(enterprises=enterprises, county_government=agreement.county_government, institutions=institutions)
    _save(agreement)
    agreement.enterprises.set(enterprises)
    agreement.institutions.set(institutions)
    return agreement
