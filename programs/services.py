"""Every write of the programs app: application workflow, applications, disbursements."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
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

from .models import (
    DEFAULT_CHECKLIST,
    Achievement,
    Application,
    ApplicationLog,
    Award,
    Call,
    ChangeRequest,
    Disbursement,
    FormalReview,
    Milestone,
    Objection,
    Program,
    Reward,
    Track,
)
from .review_services import integrity_check_application
from .workflow import FUNDABLE_STATES, HISTORY_ACTION, HISTORY_ROLES, states_reachable, workflow_for

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
    track: str | Unset = UNSET,
) -> Program:
    require_permission(actor, Program, "add")
    return record_save(
        Program(), name=name, level=level, category=category, authority=authority, active=active, track=track
    )


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
    track: str | Unset = UNSET,
) -> Program:
    require_permission(actor, Program, "change")
    return record_save(
        program, name=name, level=level, category=category, authority=authority, active=active, track=track
    )


@transaction.atomic
def call_create(
    *,
    actor: Actor,
    program: Program,
    year: int,
    title: str | Unset = UNSET,
    opens_on: datetime.date | None | Unset = UNSET,
    closes_on: datetime.date | None | Unset = UNSET,
    checklist: str | Unset = UNSET,
    correction_days: int | Unset = UNSET,
) -> Call:
    require_permission(actor, Call, "add")
    return record_save(
        Call(),
        program=program,
        year=year,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        checklist=checklist,
        correction_days=correction_days,
    )


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
    checklist: str | Unset = UNSET,
    correction_days: int | Unset = UNSET,
) -> Call:
    require_permission(actor, Call, "change")
    return record_save(
        call,
        program=program,
        year=year,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        checklist=checklist,
        correction_days=correction_days,
    )


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
    step: str = "",
) -> Application:
    """Move an application along one transition of its track's table (programs/workflow.py) and log it.

    ``expected_status`` is the state the user saw when pressing the button: when someone else moved
    the application in between, the step is refused rather than applied to a state nobody looked at.
    ``step`` is passed by the service of a step with its own form (形式审查, 撤销), which records its
    own facts; such a transition is refused from anywhere else.
    """
    # Lock first, then read the state: two people acting at once are serialised on this row, and
    # the second one reads the state the first one left.
    app = Application.objects.select_for_update(of=("self",)).select_related("program", "call").get(pk=application_id)
    transition = workflow_for(app).get(action)
    if expected_status is not None and app.status != expected_status:
        raise ValidationError(STALE_MESSAGE)
    if transition is None:
        raise ValidationError("「%(track)s」流程没有这个操作。" % {"track": app.program.get_track_display()})
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
    if transition.step != step:
        raise ValidationError("「%(action)s」请在其办理表单中办理。" % {"action": transition.label})
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
    refusals = [message for guard in transition.guards if (message := guard(app))]
    if refusals:
        raise ValidationError(refusals)

    source = app.status
    app.status = transition.target
    app.full_clean()
    app.save()
    ApplicationLog.objects.create(
        application=app,
        action=action,
        source=source,
        target=transition.target,
        by=actor,
        comment=comment,
        details=_details(app, transition.fields),
    )
    _announce_transition(app, action=action, actor=actor, comment=comment)
    return app


def _details(app: Application, fields: tuple[str, ...]) -> str:
    """「中期检查结论：合格；中期检查完成日期：2021-06-30」: what the step recorded, for the timeline."""
    parts = []
    for name in fields:
        value = getattr(app, name)
        if value in (None, ""):
            continue
        field = Application._meta.get_field(name)
        if field.choices:
            value = getattr(app, f"get_{name}_display")()
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = _wan(value) if name.endswith("amount") else f"{value.normalize():f}"
        parts.append(f"{field.verbose_name}：{value}")
    return "；".join(parts)


# Who hears of a step, and what they read: "reviewers" (every 股室负责人), "handler" (the 经办人),
# "staff" (every 科员). 我的待办 lists the same work (programs/reminders.py) until it is done.
TRANSITION_EVENTS = {
    "submit": ("application_submitted", "reviewers", "「%(app)s」已提交审核，请审核"),
    "return": ("application_returned", "handler", "「%(app)s」被退回修改"),
    "recommend": ("application_recommended", "handler", "「%(app)s」已推荐上报"),
    "approve": ("application_approved", "handler", "「%(app)s」已登记立项"),
    "reject": ("application_rejected", "handler", "「%(app)s」登记为未立项"),
    # 县级立项
    "resubmit": ("application_submitted", "reviewers", "「%(app)s」已补正提交，请形式审查"),
    "formal_return": ("application_correction", "handler", "「%(app)s」形式审查未通过，请补正"),
    "formal_pass": ("application_expert_review", "reviewers", "「%(app)s」形式审查通过，请组织专家评审"),
    "publicize": ("application_publicized", "handler", "「%(app)s」已列入公示"),
    "expert_reject": ("application_rejected", "handler", "「%(app)s」专家评审未通过"),
    "publicity_reject": ("application_rejected", "handler", "「%(app)s」不予立项"),
    "lapse": ("application_rejected", "handler", "「%(app)s」逾期未补正，不予受理"),
    "midterm": ("application_midterm", "handler", "「%(app)s」已登记中期检查"),
    "reconsider": ("application_reconsider", "handler", "「%(app)s」验收需要复议"),
    "accept": ("application_accepted", "handler", "「%(app)s」已验收"),
    "terminate": ("application_terminated", "handler", "「%(app)s」已终止"),
    "revoke": ("application_terminated", "handler", "「%(app)s」已撤销"),
}


def _announce_transition(app: Application, *, action: str, actor: Actor, comment: str) -> None:
    event = TRANSITION_EVENTS.get(action)
    if event is None:
        return
    kind, who, title = event
    if action == "approve" and app.program.track == Track.COUNTY:
        title = "「%(app)s」已立项，请签订任务书"
    recipients = users_with_role(REVIEWER) if who == "reviewers" else [app.handler_id]
    if action == "midterm" and app.midterm_result == Application.MidtermResult.FAILED:
        # 不合格 is a proposal to terminate: the 股室负责人 decide.
        kind, title = "application_midterm_failed", "「%(app)s」中期检查不合格，建议终止"
        recipients = [*users_with_role(REVIEWER), app.handler_id]
    notify(
        recipients=recipients,
        kind=kind,
        title=title % {"app": app.title},
        body=comment,
        url=app.get_absolute_url(),
        actor=actor,
    )


def application_log_event(*, application: Application, actor: Actor, action: str, comment: str = "") -> None:
    """A log entry that is no change of state (an objection, a change request): the timeline shows it."""
    ApplicationLog.objects.create(
        application=application,
        action=action,
        source=application.status,
        target=application.status,
        by=actor,
        comment=comment,
    )


# --- 县级立项: the steps with their own records -----------------------------------------------


def _county_application(application_id: int) -> Application:
    """The application, locked (its steps and the transition service serialise on this row)."""
    app = Application.objects.select_for_update(of=("self",)).select_related("program", "call").get(pk=application_id)
    if app.program.track != Track.COUNTY:
        raise ValidationError("「%(app)s」所属计划按「推荐上报」流程办理，没有这一步。" % {"app": app})
    return app


def _require_review(actor: Actor, doing: str) -> None:
    require_permission(actor, Application, "review", doing=doing)


def checklist_of(app: Application) -> list[str]:
    return app.call.checklist_items if app.call_id else DEFAULT_CHECKLIST.splitlines()


@transaction.atomic
def formal_review_record(
    *,
    actor: Actor,
    application_id: int,
    failed_items: list[str],
    comment: str = "",
    expected_status: str | None = None,
) -> FormalReview:
    """形式审查 against the call's checklist: every item passes (→ 专家评审), or the failed items are
    named and the application goes back for 补正 within the call's window (→ 补正)."""
    app = _county_application(application_id)
    items = checklist_of(app)
    unknown = [item for item in failed_items if item not in items]
    if unknown:
        raise ValidationError("审查清单中没有：%(items)s" % {"items": "、".join(unknown)})
    failed = [item for item in items if item in failed_items]  # the checklist's order
    today = timezone.localdate()
    comment = (comment or "").strip()
    if failed:
        due = today + datetime.timedelta(days=app.call.correction_days if app.call_id else 10)
        log_comment = "不合格项：%(items)s。请于%(due)s前补正。%(comment)s" % {
            "items": "、".join(failed),
            "due": due.isoformat(),
            "comment": comment,
        }
        application_transition(
            application_id=app.pk,
            actor=actor,
            action="formal_return",
            comment=log_comment.strip(),
            expected_status=expected_status,
            step="formal_review",
        )
    else:
        due = None
        application_transition(
            application_id=app.pk,
            actor=actor,
            action="formal_pass",
            comment=comment or "审查项目全部合格：%(items)s" % {"items": "、".join(items)},
            expected_status=expected_status,
            step="formal_review",
        )
    review = FormalReview(
        application=app,
        reviewed_on=today,
        by=actor,
        items=items,
        failed_items=failed,
        correction_due_on=due,
        comment=comment,
    )
    review.full_clean()
    review.save()
    return review


def working_days_end(starts_on: datetime.date, days: int) -> datetime.date:
    """The last day of a period of ``days`` working days starting on ``starts_on``: weekends and the
    holidays of settings.PROGRAM_HOLIDAYS are skipped."""
    holidays = {datetime.date.fromisoformat(d) for d in settings.PROGRAM_HOLIDAYS}
    day, counted = starts_on, 0
    while True:
        if day.weekday() < 5 and day not in holidays:
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


@transaction.atomic
def call_publicity_set(
    *, actor: Actor, call: Call, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> Call:
    """公示期 of a call: from ``starts_on``, by default settings.PROGRAM_PUBLICITY_WORKING_DAYS working days."""
    _require_review(actor, "设定公示期")
    if ends_on is None:
        ends_on = working_days_end(starts_on, settings.PROGRAM_PUBLICITY_WORKING_DAYS)
    return record_save(call, publicity_starts_on=starts_on, publicity_ends_on=ends_on)


@transaction.atomic
def publicity_open(
    *,
    actor: Actor,
    call: Call,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    application_ids: list[int],
    comment: str = "",
) -> list[Application]:
    """列入公示: set the call's period and move the chosen applications from 专家评审 to 公示, all or none."""
    call = call_publicity_set(actor=actor, call=call, starts_on=starts_on, ends_on=ends_on)
    moved = []
    for pk in application_ids:
        app = Application.objects.filter(pk=pk, call=call).first()
        if app is None:
            raise ValidationError("所选项目不属于批次「%(call)s」。" % {"call": call})
        moved.append(application_transition(application_id=pk, actor=actor, action="publicize", comment=comment))
    return moved


@transaction.atomic
def objection_record(
    *,
    actor: Actor,
    application_id: int,
    content: str,
    received_on: datetime.date | None = None,
    raised_by: str = "",
) -> Objection:
    """A 公示 objection, received while the application is in 公示; the 股室负责人 are told."""
    require_permission(actor, Application, "change", doing="登记公示异议")
    app = _county_application(application_id)
    if app.status != Application.Status.PUBLICITY:
        raise ValidationError("只有公示中的项目可以登记公示异议。")
    objection = Objection(
        application=app, content=content, received_on=received_on or timezone.localdate(), raised_by=raised_by
    )
    objection.full_clean()
    objection.save()
    application_log_event(application=app, actor=actor, action="objection", comment=content)
    notify(
        recipients=users_with_role(REVIEWER),
        kind="application_objection",
        title="「%(app)s」收到公示异议，请处理" % {"app": app.title},
        body=content,
        url=app.get_absolute_url(),
        actor=actor,
    )
    return objection


@transaction.atomic
def objection_handle(
    *, actor: Actor, objection_id: int, handling: str, handled_on: datetime.date | None = None
) -> Objection:
    _require_review(actor, "处理公示异议")
    objection = Objection.objects.select_for_update().get(pk=objection_id)
    if objection.handled_on is not None:
        raise ValidationError("该异议已处理。")
    if not (handling or "").strip():
        raise ValidationError({"handling": "请填写处理情况。"})
    objection.handling = handling.strip()
    objection.handled_on = handled_on or timezone.localdate()
    objection.handled_by = actor
    objection.full_clean()
    objection.save()
    application_log_event(
        application=objection.application, actor=actor, action="objection_handled", comment=objection.handling
    )
    return objection


@transaction.atomic
def milestone_add(
    *, actor: Actor, application_id: int, content: str, due_on: datetime.date, deliverable: str = ""
) -> Milestone:
    """任务书节点, entered once the project is approved (立项) and while it runs."""
    require_permission(actor, Application, "change", doing="登记任务书节点")
    app = _county_application(application_id)
    if app.status not in (Application.Status.APPROVED, Application.Status.IN_PROGRESS):
        raise ValidationError("只有已立项或实施中的项目可以登记任务书节点。")
    milestone = Milestone(application=app, content=content, due_on=due_on, deliverable=deliverable)
    milestone.full_clean()
    milestone.save()
    application_log_event(
        application=app, actor=actor, action="milestone", comment=f"{content}（{due_on.isoformat()}）"
    )
    return milestone


@transaction.atomic
def change_request_create(
    *,
    actor: Actor,
    application_id: int,
    kind: str,
    reason: str,
    new_end_on: datetime.date | None = None,
    new_content: str = "",
) -> ChangeRequest:
    """变更/延期/撤销 asked for a running 县级 project; a 股室负责人 decides (change_request_decide)."""
    require_permission(actor, Application, "change", doing="提出变更申请")
    app = _county_application(application_id)
    if app.status not in (Application.Status.APPROVED, Application.Status.IN_PROGRESS):
        raise ValidationError("只有已立项或实施中的项目可以申请变更、延期或撤销。")
    if app.change_requests.filter(status=ChangeRequest.Status.PENDING).exists():
        raise ValidationError("该项目已有待审批的变更申请，请先审批。")
    request = ChangeRequest(
        application=app,
        kind=kind,
        reason=reason,
        new_end_on=new_end_on,
        new_content=new_content,
        requested_on=timezone.localdate(),
        requested_by=actor,
    )
    request.full_clean()
    if kind == ChangeRequest.Kind.EXTENSION:
        _check_extension(app, new_end_on)
    request.save()
    application_log_event(
        application=app,
        actor=actor,
        action="change_requested",
        comment="%(kind)s：%(reason)s" % {"kind": request.get_kind_display(), "reason": reason},
    )
    notify(
        recipients=users_with_role(REVIEWER),
        kind="application_change_requested",
        title="「%(app)s」申请%(kind)s，请审批" % {"app": app.title, "kind": request.get_kind_display()},
        body=reason,
        url=app.get_absolute_url(),
        actor=actor,
    )
    return request


def _check_extension(app: Application, new_end_on: datetime.date | None) -> None:
    """At most settings.PROGRAM_MAX_EXTENSIONS extensions, each at most PROGRAM_MAX_EXTENSION_DAYS."""
    done = app.change_requests.filter(kind=ChangeRequest.Kind.EXTENSION, status=ChangeRequest.Status.APPROVED).count()
    if done >= settings.PROGRAM_MAX_EXTENSIONS:
        raise ValidationError(
            "该项目已延期%(n)d次，按规定最多延期%(max)d次。" % {"n": done, "max": settings.PROGRAM_MAX_EXTENSIONS}
        )
    if app.acceptance_due_on is None:
        raise ValidationError("项目尚无验收到期日（签订任务书时填写），不能延期。")
    latest = app.acceptance_due_on + datetime.timedelta(days=settings.PROGRAM_MAX_EXTENSION_DAYS)
    if new_end_on is None or new_end_on <= app.acceptance_due_on:
        raise ValidationError({"new_end_on": "延期至的日期须晚于现验收到期日%(d)s。" % {"d": app.acceptance_due_on}})
    if new_end_on > latest:
        raise ValidationError(
            {
                "new_end_on": "延期最长%(days)d天，最晚可延至%(latest)s。"
                % {"days": settings.PROGRAM_MAX_EXTENSION_DAYS, "latest": latest.isoformat()}
            }
        )


@transaction.atomic
def change_request_decide(
    *,
    actor: Actor,
    request_id: int,
    approve: bool,
    comment: str = "",
    funds_returned: Decimal | None = None,
    funds_returned_on: datetime.date | None = None,
) -> ChangeRequest:
    """A 股室负责人 approves or refuses a change request. 延期 moves the 验收到期日 (once, ≤ 1 year);
    撤销 needs every disbursed yuan returned (recorded here) and ends the project (撤销项目)."""
    _require_review(actor, "审批变更申请")
    pending = ChangeRequest.objects.filter(pk=request_id).values_list("application_id", flat=True).get()
    app = _county_application(pending)
    request = ChangeRequest.objects.select_for_update().get(pk=request_id)
    if request.status != ChangeRequest.Status.PENDING:
        raise ValidationError("该变更申请已审批。")
    comment = (comment or "").strip()
    request.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REFUSED
    request.decided_on = timezone.localdate()
    request.decided_by = actor
    request.decision_comment = comment
    if approve and request.kind == ChangeRequest.Kind.EXTENSION:
        _check_extension(app, request.new_end_on)
        old_end = app.acceptance_due_on
        app.acceptance_due_on = request.new_end_on
        app.full_clean()
        app.save(update_fields=["acceptance_due_on", "updated_at"])
        comment = "验收到期日由%(old)s延至%(new)s。%(c)s" % {"old": old_end, "new": request.new_end_on, "c": comment}
    if approve and request.kind == ChangeRequest.Kind.CHANGE:
        comment = "变更内容：%(content)s。%(c)s" % {"content": request.new_content, "c": comment}
    if approve and request.kind == ChangeRequest.Kind.REVOKE:
        owed = disbursed_total(application_id=app.pk)
        if owed and (funds_returned is None or funds_returned < owed or funds_returned_on is None):
            raise ValidationError(
                {"funds_returned": "撤销须先退回已拨付资金%(owed)s万元，请登记退回金额和日期。" % {"owed": _wan(owed)}}
            )
        request.funds_returned = funds_returned
        request.funds_returned_on = funds_returned_on
    request.full_clean()
    request.save()
    application_log_event(
        application=app, actor=actor, action="change_approved" if approve else "change_refused", comment=comment.strip()
    )
    if approve and request.kind == ChangeRequest.Kind.REVOKE:
        returned = f"，已退回资金{_wan(funds_returned)}万元" if funds_returned else ""
        application_transition(
            application_id=app.pk,
            actor=actor,
            action="revoke",
            comment=f"{request.reason}{returned}",
            step="change_request",
        )
    notify(
        recipients=[app.handler_id, request.requested_by_id],
        kind="application_change_decided",
        title="「%(app)s」的%(kind)s申请%(result)s"
        % {"app": app.title, "kind": request.get_kind_display(), "result": request.get_status_display()},
        body=comment,
        url=app.get_absolute_url(),
        actor=actor,
    )
    return request


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
    approval_number: str | Unset = UNSET,
    contract_number: str | Unset = UNSET,
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
        approval_number=approval_number,
        contract_number=contract_number,
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
    approval_number: str | Unset = UNSET,
    contract_number: str | Unset = UNSET,
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
        approval_number=approval_number,
        contract_number=contract_number,
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
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=disbursement.application_id)
    )
    disbursement_check(
        application=app,
        amount=disbursement.amount,
        already=disbursed_total(application_id=app.pk, exclude_pk=disbursement.pk),
    )


def payment_plan_allowed(app: Application) -> tuple[Decimal, str, int]:
    """What a 县级 project's payment plan allows paid in total now: nothing before the 任务书, the
    first share on signing, the 中期 share once 中期检查 is 合格, everything once 验收 is 通过.
    Returns (amount in 万元, the stage as a person reads it, the percentage)."""
    if app.contract_signed_on is None:
        percent, stage = 0, "签订任务书前"
    else:
        percent, stage = app.first_payment_percent, "签订任务书后"
        if app.midterm_result == Application.MidtermResult.PASSED:
            percent, stage = percent + app.midterm_payment_percent, "中期检查合格后"
        if app.status == Application.Status.ACCEPTED and app.acceptance_result == Application.AcceptanceResult.PASSED:
            percent, stage = 100, "验收通过后"
    allowed = (app.approved_amount or Decimal("0")) * percent / 100
    return allowed.quantize(Decimal("0.0001")), stage, percent


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
    if app.program.track == Track.COUNTY:
        allowed, stage, percent = payment_plan_allowed(app)
        if amount is not None and already + amount > allowed:
            raise ValidationError(
                {
                    "amount": "按任务书拨付计划，%(stage)s累计最多拨付%(allowed)s万元（获批资金的%(pct)d%%），已拨付%(already)s万元，本次最多可拨付%(left)s万元。"
                    % {
                        "stage": stage,
                        "allowed": _wan(allowed),
                        "pct": percent,
                        "already": _wan(already),
                        "left": _wan(max(allowed - already, Decimal("0"))),
                    }
                }
            )
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
