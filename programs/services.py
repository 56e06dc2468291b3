"""Every write of the programs app: application workflow, applications, disbursements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from bureau.accounts.roles import ROLE_NAMES, user_has_role

from .models import Application, ApplicationLog, Disbursement
from .workflow import FUNDABLE_STATES, TRANSITIONS

STALE_MESSAGE = "该申报状态已变化，请刷新后重试"


@transaction.atomic
def application_transition(
    *,
    application_id: int,
    action: str,
    by: AbstractBaseUser,
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
    if not user_has_role(by, transition.roles):
        raise PermissionDenied(
            "只有%(roles)s可以执行「%(action)s」。"
            % {"roles": "、".join(ROLE_NAMES[r] for r in transition.roles), "action": transition.label}
        )
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
        application=app, action=action, source=source, target=transition.target, by=by, comment=comment
    )
    return app


@transaction.atomic
def application_recommend_many(*, application_ids: list[int], by: AbstractBaseUser, comment: str = "") -> int:
    """推荐所选: all or nothing. Raises one ValidationError listing every refused application."""
    refused = []
    for pk in application_ids:
        try:
            with transaction.atomic():
                application_transition(application_id=pk, action="recommend", by=by, comment=comment)
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


@transaction.atomic
def application_save(*, application: Application, by: AbstractBaseUser) -> Application:
    """Create or update an application's own data; its status moves only through transitions."""
    if application.call_id and not application.program_id:
        application.program_id = application.call.program_id
    if application.call_id and not application.year:
        application.year = application.call.year
    if application.pk is None:
        application.status = Application.Status.DRAFT
        if application.handler_id is None:
            application.handler = by
    else:
        # The edit form never carries the status; keep the stored one whatever the instance holds.
        application.status = Application.objects.values_list("status", flat=True).get(pk=application.pk)
    application.full_clean()
    application.save()
    return application


def disbursed_total(*, application_id: int, exclude_pk: int | None = None) -> Decimal:
    qs = Disbursement.objects.filter(application_id=application_id)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("amount"))["total"] or Decimal("0")


@transaction.atomic
def disbursement_save(*, disbursement: Disbursement, by: AbstractBaseUser | None = None) -> Disbursement:
    """Record a payment; refused when the project is not approved or the sum would pass the approved amount."""
    # Lock the application so that two payments entered at once cannot both pass the check.
    app = Application.objects.select_for_update().get(pk=disbursement.application_id)
    if app.status not in FUNDABLE_STATES:
        raise ValidationError(
            {
                "application": "项目「%(app)s」当前状态为「%(status)s」，只有已立项、实施中或已验收的项目才能拨付资金。"
                % {"app": app, "status": app.get_status_display()}
            }
        )
    if app.approved_amount is None:
        raise ValidationError({"application": "项目「%(app)s」尚未登记获批资金，不能拨付。" % {"app": app}})
    already = disbursed_total(application_id=app.pk, exclude_pk=disbursement.pk)
    if disbursement.amount is not None and already + disbursement.amount > app.approved_amount:
        raise ValidationError(
            {
                "amount": "拨付后累计%(total)s万元，超过获批资金%(approved)s万元（已拨付%(already)s万元，最多还可拨付%(left)s万元）。"
                % {
                    "total": _wan(already + disbursement.amount),
                    "approved": _wan(app.approved_amount),
                    "already": _wan(already),
                    "left": _wan(app.approved_amount - already),
                }
            }
        )
    disbursement.full_clean()
    disbursement.save()
    return disbursement


def _wan(value: Decimal) -> str:
    from bureau.formatting import wan

    return wan(value)
