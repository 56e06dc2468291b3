"""Every write of the programs app: application workflow, applications, disbursements."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from bureau.accounts.roles import REVIEWER, ROLE_NAMES, user_has_role, user_roles
from bureau.core.models import Policy
from bureau.notifications.services import notify, users_with_role
from bureau.permissions import Actor, permission_message, require_permission
from bureau.services import UNSET, Unset, assign, record_save, save
from enterprises.models import Enterprise

from .models import Achievement, Application, ApplicationLog, Award, Call, Disbursement, Program, Reward
from .review_services import integrity_check_application
from .workflow import FUNDABLE_STATES, HISTORY_ACTION, HISTORY_ROLES, TRANSITIONS, states_reachable

# --- Program catalogue and calls (计划: a managed list only 管理员 extend) -------------------------


@transaction.atomic
def program_create(
    *,
    actor: Actor,
    name: str,
    level: str,
    category: str | Unset = UNSET,
    authority: str | Unset = UNSET,
    active: bool | Unset = UNSET,
) -> Program:
    require_permission(actor, Program, "add")
    return record_save(Program(), name=name, level=level, category=category, authority=authority, active=active)


@transaction.atomic
def program_update(
    *,
    actor: Actor,
    program: Program,
    name: str | Unset = UNSET,
    level: str | Unset = UNSET,
    category: str | Unset = UNSET,
    authority: str | Unset = UNSET,
    active: bool | Unset = UNSET,
) -> Program:
    require_permission(actor, Program, "change")
    return record_save(program, name=name, level=level, category=category, authority=authority, active=active)


@transaction.atomic
def call_create(
    *,
    actor: Actor,
    program: Program,
    year: int,
    title: str | Unset = UNSET,
    opens_on: datetime.date | None | Unset = UNSET,
    closes_on: datetime.date | None | Unset = UNSET,
) -> Call:
    require_permission(actor, Call, "add")
    return record_save(Call(), program=program, year=year, title=title, opens_on=opens_on, closes_on=closes_on)


@transaction.atomic
def call_update(
    *,
    actor: Actor,
    call: Call,
    program: Program | Unset = UNSET,
    year: int | Unset = UNSET,
    title: str | Unset = UNSET,
    opens_on: datetime.date | None | Unset = UNSET,
    closes_on: datetime.date | None | Unset = UNSET,
) -> Call:
    require_permission(actor, Call, "change")
    return record_save(call, program=program, year=year, title=title, opens_on=opens_on, closes_on=closes_on)


# --- Applications -----------------------------------------------------------------------------

STALE_MESSAGE = "该申报状态已变化，请刷新后重试"


@transaction.atomic
def application_transition(
    *,
    application_id: int,
    actor: Actor,
    action: str,
    comment: str = "",
    expected_status: str | None = None,
    data: dict[str, Any] | None = None,
) -> Application:
    """Move an application along one transition of programs/workflow.py and log it.

    ``expected_status`` is the state the user saw when pressing the button: when someone else moved
    the application in between, the step is refused rather than applied to a state nobody looked at.
    """
    # Lock first, then read the state: two people acting at once are serialised on this row, and
    # the second one reads the state the first one left.
    app = Application.objects.select_for_update().get(pk=application_id)
    transition = TRANSITIONS.get(action)
    if expected_status is not None and app.status != expected_status:
        raise ValidationError(STALE_MESSAGE)
    if transition is None:
        raise ValidationError("没有这个操作。")
    if app.status not in transition.sources:
        raise ValidationError(
            "项目「%(app)s」当前状态为「%(status)s」，不能执行「%(action)s」。"
            % {"app": app, "status": app.get_status_display(), "action": transition.label}
        )
    if actor is not None and not user_has_role(actor, transition.roles):
        raise PermissionDenied(
            "只有%(roles)s可以执行「%(action)s」。"
            % {"roles": "、".join(ROLE_NAMES[r] for r in transition.roles), "action": transition.label}
        )
    if action == "submit":
        integrity_check_application(app)
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise ValidationError({"comment": "请填写「%(action)s」的意见。" % {"action": transition.label}})

    data = data or {}
    unknown = set(data) - set(transition.fields)
    if unknown:
        raise ValidationError("该操作不登记这些内容：%(fields)s" % {"fields": "、".join(sorted(unknown))})
    missing = {
        name: "请填写%(field)s。" % {"field": Application._meta.get_field(name).verbose_name}
        for name in transition.required
        if data.get(name) in (None, "")
    }
    if missing:
        raise ValidationError(missing)
    for name, value in data.items():
        setattr(app, name, value)
    if action == "recommend":
        app.recommended_on = timezone.localdate()

    source = app.status
    app.status = transition.target
    app.full_clean()
    app.save()
    ApplicationLog.objects.create(
        application=app, action=action, source=source, target=transition.target, by=actor, comment=comment
    )
    _announce_transition(app, action=action, actor=actor, comment=comment)
    return app


# Who hears of a step: the reviewers of a submission, the 经办人 of every decision on it.
TRANSITION_EVENTS = {
    "submit": ("application_submitted", "「%(app)s」已提交审核，请审核"),
    "return": ("application_returned", "「%(app)s」被退回修改"),
    "recommend": ("application_recommended", "「%(app)s」已推荐上报"),
    "approve": ("application_approved", "「%(app)s」已登记立项"),
    "reject": ("application_rejected", "「%(app)s」登记为未立项"),
}


def _announce_transition(app: Application, *, action: str, actor: Actor, comment: str) -> None:
    event = TRANSITION_EVENTS.get(action)
    if event is None:
        return
    kind, title = event
    recipients = users_with_role(REVIEWER) if action == "submit" else [app.handler_id]
    notify(
        recipients=recipients,
        kind=kind,
        title=title % {"app": app.title},
        body=comment,
        url=app.get_absolute_url(),
        actor=actor,
    )


@transaction.atomic
def application_reassign(*, actor: Actor, application_id: int, handler: AbstractBaseUser) -> Application:
    """A reviewer hands an application to another 经办人, who is told so."""
    if not _may_reassign(actor):
        raise PermissionDenied(permission_message(Application, "review"))
    app = Application.objects.select_for_update().get(pk=application_id)
    if not handler.is_active:
        raise ValidationError({"handler": "该用户已停用，不能作为经办人。"})
    if app.handler_id == handler.pk:
        return app
    app.handler = handler
    app.full_clean()
    app.save(update_fields=["handler", "updated_at"])
    _notify_assigned(app, actor=actor)
    return app


def _may_reassign(actor: Actor) -> bool:
    return actor is None or actor.has_perm("programs.review_application")


def _notify_assigned(app: Application, *, actor: Actor) -> None:
    notify(
        recipients=[app.handler],
        kind="application_assigned",
        title="您已成为「%(app)s」的经办人" % {"app": app.title},
        url=app.get_absolute_url(),
        actor=actor,
    )


@transaction.atomic
def application_recommend_many(*, actor: Actor, application_ids: list[int], comment: str = "") -> int:
    """推荐所选: all or nothing. Raises one ValidationError listing every refused application."""
    refused = []
    for pk in application_ids:
        try:
            with transaction.atomic():
                application_transition(actor=actor, application_id=pk, action="recommend", comment=comment)
        except (ValidationError, PermissionDenied) as exc:
            title = Application.objects.filter(pk=pk).values_list("title", flat=True).first() or f"#{pk}"
            refused.append(f"「{title}」：{_error_text(exc)}")
    if refused:
        raise ValidationError("未推荐任何项目。以下项目不能推荐：%(list)s" % {"list": "；".join(refused)})
    return len(application_ids)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "".join(exc.messages)
    return str(exc) or "没有权限。"


def application_states_allowed(actor: Actor) -> set[str]:
    """The states ``actor`` may create an application in: any for the system, 股室负责人 and 管理员
    (loading history); for anyone else the states the workflow's buttons would take them to."""
    if actor is None:
        return set(Application.Status.values)
    roles = user_roles(actor)
    if roles & set(HISTORY_ROLES):
        return set(Application.Status.values)
    return states_reachable(roles)


def application_state_refusal(actor: Actor, status: str, *, states: set[str] | None = None) -> str:
    """Why ``actor`` may not create an application in ``status`` ("" when they may). ``states``:
    ``application_states_allowed(actor)`` when the caller has it already (an import, once per file)."""
    if states is None:
        states = application_states_allowed(actor)
    if status in states:
        return ""
    allowed = "、".join(label for value, label in Application.Status.choices if value in states)
    return "不能直接登记状态为「%(status)s」的项目申报（您只能登记%(allowed)s的申报）；历史数据请由%(roles)s导入。" % {
        "status": Application.Status(status).label if status in Application.Status.values else status,
        "allowed": allowed,
        "roles": "、".join(ROLE_NAMES[r] for r in HISTORY_ROLES),
    }


def application_log_history(*, applications: list[Application], actor: Actor) -> None:
    """The log entry "历史数据导入" (by ``actor``) of each new application created past 草稿, so the
    timeline never shows a state without how it got there. Part of ``application_create`` and of the
    项目申报 ledger's write."""
    ApplicationLog.objects.bulk_create(
        [
            ApplicationLog(
                application=application,
                action=HISTORY_ACTION,
                source=Application.Status.DRAFT,
                target=application.status,
                by=actor,
                comment=HISTORY_ACTION,
            )
            for application in applications
            if application.status != Application.Status.DRAFT
        ]
    )


def application_fill_from_call(application: Application) -> None:
    """An application under a call belongs to the call's program and year unless told otherwise."""
    if application.call_id and not application.program_id:
        application.program_id = application.call.program_id
    if application.call_id and not application.year:
        application.year = application.call.year


@transaction.atomic
def application_create(
    *,
    actor: Actor,
    title: str,
    program: Program | Unset = UNSET,
    year: int | Unset = UNSET,
    enterprise: Enterprise | None | Unset = UNSET,
    institution: str | Unset = UNSET,
    call: Call | None | Unset = UNSET,
    amount_requested: Decimal | None | Unset = UNSET,
    handler: AbstractBaseUser | None | Unset = UNSET,
    acceptance_due_on: datetime.date | None | Unset = UNSET,
    summary: str | Unset = UNSET,
    status: str = Application.Status.DRAFT,
    recommended_on: datetime.date | None | Unset = UNSET,
    approved_on: datetime.date | None | Unset = UNSET,
    approved_amount: Decimal | None | Unset = UNSET,
    accepted_on: datetime.date | None | Unset = UNSET,
    acceptance_result: str | Unset = UNSET,
) -> Application:
    """A new application, normally a 草稿. One in a later state is history being loaded: only in a
    state the actor may create (``application_states_allowed``), and logged as "历史数据导入" so
    the timeline never shows a state without how it got there."""
    require_permission(actor, Application, "add")
    refusal = application_state_refusal(actor, status)
    if refusal:
        raise PermissionDenied(refusal)
    application = Application(status=status)
    many = assign(
        application,
        title=title,
        enterprise=enterprise,
        institution=institution,
        program=program,
        call=call,
        year=year,
        amount_requested=amount_requested,
        handler=handler,
        acceptance_due_on=acceptance_due_on,
        summary=summary,
        recommended_on=recommended_on,
        approved_on=approved_on,
        approved_amount=approved_amount,
        accepted_on=accepted_on,
        acceptance_result=acceptance_result,
    )
    application_fill_from_call(application)
    if application.handler_id is None and actor is not None:
        application.handler = actor
    if status in (Application.Status.DRAFT, Application.Status.COUNTY_REVIEW):
        # 科研诚信: a unit under a 失信 record may not apply (history loaded past 县局审核 is the past).
        integrity_check_application(application)
    save(application, many)
    application_log_history(applications=[application], actor=actor)
    return application


@transaction.atomic
def application_update(
    *,
    actor: Actor,
    application: Application,
    title: str | Unset = UNSET,
    enterprise: Enterprise | None | Unset = UNSET,
    institution: str | Unset = UNSET,
    program: Program | Unset = UNSET,
    call: Call | None | Unset = UNSET,
    year: int | Unset = UNSET,
    amount_requested: Decimal | None | Unset = UNSET,
    handler: AbstractBaseUser | None | Unset = UNSET,
    acceptance_due_on: datetime.date | None | Unset = UNSET,
    summary: str | Unset = UNSET,
) -> Application:
    """Change an application's own data; its status moves only through transitions."""
    require_permission(actor, Application, "change")
    stored_handler = Application.objects.values_list("handler_id", flat=True).get(pk=application.pk)
    new_handler = getattr(handler, "pk", None) if handler is not UNSET else stored_handler
    if new_handler != stored_handler and not _may_reassign(actor):
        # 经办人 is reassigned by a reviewer (更换经办人), on every path, not only on its own page.
        raise ValidationError({"handler": "只有股室负责人可以更换经办人。"})
    many = assign(
        application,
        title=title,
        enterprise=enterprise,
        institution=institution,
        program=program,
        call=call,
        year=year,
        amount_requested=amount_requested,
        handler=handler,
        acceptance_due_on=acceptance_due_on,
        summary=summary,
    )
    application_fill_from_call(application)
    # Keep the stored status whatever the instance holds.
    application.status = Application.objects.values_list("status", flat=True).get(pk=application.pk)
    save(application, many)
    if new_handler != stored_handler and application.handler is not None:
        _notify_assigned(application, actor=actor)
    return application


def disbursed_total(*, application_id: int, exclude_pk: int | None = None) -> Decimal:
    qs = Disbursement.objects.filter(application_id=application_id)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def _check_disbursement(disbursement: Disbursement) -> None:
    """Refused when the project is not approved or the sum would pass the approved amount."""
    # Lock the application so that two payments entered at once cannot both pass the check.
    app = Application.objects.select_for_update().get(pk=disbursement.application_id)
    disbursement_check(
        application=app,
        amount=disbursement.amount,
        already=disbursed_total(application_id=app.pk, exclude_pk=disbursement.pk),
    )


def disbursement_check(*, application: Application, amount: Decimal | None, already: Decimal) -> None:
    """The rule of a payment: only on an approved project, and the project's payments (``already``
    paid, others than this one) plus ``amount`` within its approved amount. Raises ValidationError.
    (The 资金拨付 ledger applies it row by row, counting the file's earlier rows in ``already``.)"""
    app = application
    if app.status not in FUNDABLE_STATES:
        raise ValidationError(
            {
                "application": "项目「%(app)s」当前状态为「%(status)s」，只有已立项、实施中或已验收的项目才能拨付资金。"
                % {"app": app, "status": app.get_status_display()}
            }
        )
    if app.approved_amount is None:
        raise ValidationError({"application": "项目「%(app)s」尚未登记获批资金，不能拨付。" % {"app": app}})
    if amount is not None and already + amount > app.approved_amount:
        raise ValidationError(
            {
                "amount": "拨付后累计%(total)s万元，超过获批资金%(approved)s万元（已拨付%(already)s万元，最多还可拨付%(left)s万元）。"
                % {
                    "total": _wan(already + amount),
                    "approved": _wan(app.approved_amount),
                    "already": _wan(already),
                    "left": _wan(app.approved_amount - already),
                }
            }
        )


@transaction.atomic
def disbursement_create(
    *,
    actor: Actor,
    application: Application,
    amount: Decimal,
    paid_on: datetime.date,
    note: str | Unset = UNSET,
) -> Disbursement:
    """Record a payment against an approved application, within its approved amount."""
    require_permission(actor, Disbursement, "add")
    disbursement = Disbursement()
    many = assign(disbursement, application=application, amount=amount, paid_on=paid_on, note=note)
    _check_disbursement(disbursement)
    return save(disbursement, many)


@transaction.atomic
def disbursement_update(
    *,
    actor: Actor,
    disbursement: Disbursement,
    application: Application | Unset = UNSET,
    amount: Decimal | Unset = UNSET,
    paid_on: datetime.date | Unset = UNSET,
    note: str | Unset = UNSET,
) -> Disbursement:
    require_permission(actor, Disbursement, "change")
    many = assign(disbursement, application=application, amount=amount, paid_on=paid_on, note=note)
    _check_disbursement(disbursement)
    return save(disbursement, many)


def _wan(value: Decimal) -> str:
    from bureau.formatting import wan

    return wan(value)


# --- Rewards, awards, achievements ----------------------------------------------------------


@transaction.atomic
def reward_create(
    *,
    actor: Actor,
    enterprise: Enterprise,
    kind: str,
    amount: Decimal,
    paid_on: datetime.date,
    policy: Policy | None | Unset = UNSET,
    note: str | Unset = UNSET,
) -> Reward:
    require_permission(actor, Reward, "add")
    return record_save(
        Reward(), enterprise=enterprise, policy=policy, kind=kind, amount=amount, paid_on=paid_on, note=note
    )


@transaction.atomic
def reward_update(
    *,
    actor: Actor,
    reward: Reward,
    enterprise: Enterprise | Unset = UNSET,
    policy: Policy | None | Unset = UNSET,
    kind: str | Unset = UNSET,
    amount: Decimal | Unset = UNSET,
    paid_on: datetime.date | Unset = UNSET,
    note: str | Unset = UNSET,
) -> Reward:
    require_permission(actor, Reward, "change")
    return record_save(
        reward, enterprise=enterprise, policy=policy, kind=kind, amount=amount, paid_on=paid_on, note=note
    )


@transaction.atomic
def award_create(
    *,
    actor: Actor,
    name: str,
    level: str,
    grade: str,
    year: int,
    enterprise: Enterprise | None | Unset = UNSET,
    person: str | Unset = UNSET,
    project: str | Unset = UNSET,
) -> Award:
    require_permission(actor, Award, "add")
    return record_save(
        Award(), enterprise=enterprise, person=person, name=name, project=project, level=level, grade=grade, year=year
    )


@transaction.atomic
def award_update(
    *,
    actor: Actor,
    award: Award,
    enterprise: Enterprise | None | Unset = UNSET,
    person: str | Unset = UNSET,
    name: str | Unset = UNSET,
    project: str | Unset = UNSET,
    level: str | Unset = UNSET,
    grade: str | Unset = UNSET,
    year: int | Unset = UNSET,
) -> Award:
    require_permission(actor, Award, "change")
    return record_save(
        award, enterprise=enterprise, person=person, name=name, project=project, level=level, grade=grade, year=year
    )


@transaction.atomic
def achievement_create(
    *,
    actor: Actor,
    title: str,
    enterprise: Enterprise,
    registration_number: str | Unset = UNSET,
    registered_on: datetime.date | None | Unset = UNSET,
    transformed_on: datetime.date | None | Unset = UNSET,
    transform_mode: str | Unset = UNSET,
) -> Achievement:
    require_permission(actor, Achievement, "add")
    return record_save(
        Achievement(),
        title=title,
        enterprise=enterprise,
        registration_number=registration_number,
        registered_on=registered_on,
        transformed_on=transformed_on,
        transform_mode=transform_mode,
    )


@transaction.atomic
def achievement_update(
    *,
    actor: Actor,
    achievement: Achievement,
    title: str | Unset = UNSET,
    enterprise: Enterprise | Unset = UNSET,
    registration_number: str | Unset = UNSET,
    registered_on: datetime.date | None | Unset = UNSET,
    transformed_on: datetime.date | None | Unset = UNSET,
    transform_mode: str | Unset = UNSET,
) -> Achievement:
    require_permission(actor, Achievement, "change")
    return record_save(
        achievement,
        title=title,
        enterprise=enterprise,
        registration_number=registration_number,
        registered_on=registered_on,
        transformed_on=transformed_on,
        transform_mode=transform_mode,
    )
