"""Every write of 专家评审 and 科研诚信 (issue 19): the expert pool, 失信 records and their logged
exceptions, review rounds, score sheets, assignments with 回避, scores and closing a round.

Rights are checked here, once: 专家库 and 失信 records are the 股室负责人's and 管理员's; a round,
its score sheet, its assignments and scores typed from paper sheets are staff work; closing a round
and letting a call through a 失信 record are a reviewer's; an expert scores only their own assignment.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bureau.audit.models import AuditKind
from bureau.audit.services import audit_log
from bureau.notifications.services import notify
from bureau.permissions import Actor, has_permission, permission_message, require_permission
from bureau.services import UNSET, Unset, record_save
from enterprises.models import Enterprise

from .models import Application, Call
from .review_models import (
    AssignmentState,
    Expert,
    IntegrityOverride,
    IntegrityRecord,
    ReviewAssignment,
    ReviewRound,
    Score,
    ScoreCriterion,
)

CENT = Decimal("0.01")


def plain(value: Decimal) -> str:
    """60.00 → "60", 7.50 → "7.5" (no exponent)."""
    return format(value.normalize(), "f")


# --- 专家库 ------------------------------------------------------------------------------------


@transaction.atomic
def expert_create(
    *,
    actor: Actor,
    name: str,
    field: str,
    employer: str | Unset = UNSET,
    employer_enterprise: Enterprise | None | Unset = UNSET,
    title: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    email: str | Unset = UNSET,
    related_enterprises: list[Enterprise] | Unset = UNSET,
    user: AbstractBaseUser | None | Unset = UNSET,
    active: bool | Unset = UNSET,
) -> Expert:
    require_permission(actor, Expert, "add")
    return record_save(
        Expert(),
        name=name,
        field=field,
        employer=employer,
        employer_enterprise=employer_enterprise,
        title=title,
        phone=phone,
        email=email,
        related_enterprises=related_enterprises,
        user=user,
        active=active,
    )


@transaction.atomic
def expert_update(
    *,
    actor: Actor,
    expert: Expert,
    name: str | Unset = UNSET,
    field: str | Unset = UNSET,
    employer: str | Unset = UNSET,
    employer_enterprise: Enterprise | None | Unset = UNSET,
    title: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    email: str | Unset = UNSET,
    related_enterprises: list[Enterprise] | Unset = UNSET,
    user: AbstractBaseUser | None | Unset = UNSET,
    active: bool | Unset = UNSET,
) -> Expert:
    require_permission(actor, Expert, "change")
    return record_save(
        expert,
        name=name,
        field=field,
        employer=employer,
        employer_enterprise=employer_enterprise,
        title=title,
        phone=phone,
        email=email,
        related_enterprises=related_enterprises,
        user=user,
        active=active,
    )


# --- 科研诚信 -----------------------------------------------------------------------------------


@transaction.atomic
def integrity_record_create(
    *,
    actor: Actor,
    cause: str,
    source_document: str,
    starts_on: datetime.date,
    enterprise: Enterprise | None | Unset = UNSET,
    person_name: str | Unset = UNSET,
    expert: Expert | None | Unset = UNSET,
    ends_on: datetime.date | None | Unset = UNSET,
) -> IntegrityRecord:
    require_permission(actor, IntegrityRecord, "add")
    return record_save(
        IntegrityRecord(),
        enterprise=enterprise,
        person_name=person_name,
        expert=expert,
        cause=cause,
        source_document=source_document,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def integrity_record_update(
    *,
    actor: Actor,
    record: IntegrityRecord,
    enterprise: Enterprise | None | Unset = UNSET,
    person_name: str | Unset = UNSET,
    expert: Expert | None | Unset = UNSET,
    cause: str | Unset = UNSET,
    source_document: str | Unset = UNSET,
    starts_on: datetime.date | Unset = UNSET,
    ends_on: datetime.date | None | Unset = UNSET,
) -> IntegrityRecord:
    require_permission(actor, IntegrityRecord, "change")
    return record_save(
        record,
        enterprise=enterprise,
        person_name=person_name,
        expert=expert,
        cause=cause,
        source_document=source_document,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def integrity_active(
    *,
    enterprise_id: int | None = None,
    unit_name: str = "",
    expert: Expert | None = None,
    call_id: int | None = None,
    today: datetime.date | None = None,
) -> IntegrityRecord | None:
    """The 失信 record barring this enterprise, unit or expert today (the one lasting longest), unless
    a reviewer has let ``call_id`` through it. One query."""
    today = today or timezone.localdate()
    who = Q(pk__in=[])
    if enterprise_id:
        who |= Q(enterprise_id=enterprise_id)
    if unit_name.strip():
        who |= Q(enterprise__isnull=True, expert__isnull=True, person_name=unit_name.strip())
    if expert is not None:
        who |= Q(expert_id=expert.pk) | Q(enterprise__isnull=True, expert__isnull=True, person_name=expert.name)
    qs = IntegrityRecord.objects.filter(who, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    if call_id:
        qs = qs.exclude(overrides__call_id=call_id)
    # The one lasting longest says when the bar ends: 长期 (no end) first.
    return qs.select_related("enterprise", "expert").order_by("-ends_on").first() if qs.exists() else None


def integrity_refusal(record: IntegrityRecord, *, doing: str) -> str:
    return "%(who)s有失信记录（%(cause)s，依据%(doc)s），%(until)s不得%(doing)s。" % {
        "who": f"「{record.subject_name}」",
        "cause": record.cause.strip().rstrip("。"),
        "doc": record.source_document,
        "until": "长期" if record.ends_on is None else f"{record.until_text}前",
        "doing": doing,
    }


def integrity_check_application(application: Application) -> None:
    """A new application or a submission is refused while its unit has a 失信 record (the
    message says until when), unless a reviewer has let the call through it."""
    record = integrity_active(
        enterprise_id=application.enterprise_id,
        unit_name="" if application.enterprise_id else application.institution,
        call_id=application.call_id,
    )
    if record is not None:
        raise ValidationError(integrity_refusal(record, doing="申报科技计划项目"))


@transaction.atomic
def integrity_override_grant(*, actor: Actor, record: IntegrityRecord, call: Call, reason: str) -> IntegrityOverride:
    """A reviewer lets ``call`` through a 失信 record: applications and expert assignments of that call
    pass it. The reason is required and the act is an audit event."""
    require_permission(actor, IntegrityRecord, "review", doing="对失信限制例外放行")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写例外放行的理由。"})
    if IntegrityOverride.objects.filter(record=record, call=call).exists():
        raise ValidationError("该失信记录已对「%(call)s」放行。" % {"call": call})
    override = IntegrityOverride(record=record, call=call, reason=reason, by=actor)
    override.full_clean()
    override.save()
    audit_log(
        AuditKind.OVERRIDE,
        actor=actor,
        target=record,
        detail="对申报批次「%(call)s」例外放行：%(reason)s" % {"call": call, "reason": reason},
    )
    return override


# --- Review rounds and their score sheets ---------------------------------------------------------


def _require_open(round_: ReviewRound) -> None:
    if round_.closed:
        raise ValidationError(
            "「%(round)s」已于%(at)s结束，评分已确定，不能再修改。"
            % {"round": round_, "at": timezone.localtime(round_.closed_at).strftime("%Y-%m-%d %H:%M")}
        )


def _lock_round(round_id: int) -> ReviewRound:
    """Lock the round row: scoring and closing are serialised on it, so no score lands after the close."""
    return ReviewRound.objects.select_for_update().select_related("call").get(pk=round_id)


@transaction.atomic
def review_round_create(
    *,
    actor: Actor,
    call: Call,
    recommend_score: Decimal | Unset = UNSET,
    note: str | Unset = UNSET,
) -> ReviewRound:
    require_permission(actor, ReviewRound, "add")
    return record_save(ReviewRound(), call=call, recommend_score=recommend_score, note=note)


@transaction.atomic
def review_round_update(
    *,
    actor: Actor,
    round: ReviewRound,
    call: Call | Unset = UNSET,
    recommend_score: Decimal | Unset = UNSET,
    note: str | Unset = UNSET,
) -> ReviewRound:
    require_permission(actor, ReviewRound, "change")
    _require_open(_lock_round(round.pk))
    if call is not UNSET and call.pk != round.call_id and round.assignments.exists():
        raise ValidationError({"call": "已指派专家的评审不能改换申报批次。"})
    return record_save(round, call=call, recommend_score=recommend_score, note=note)


@transaction.atomic
def review_round_delete(*, actor: Actor, instance: ReviewRound) -> None:
    require_permission(actor, instance, "delete")
    if instance.assignments.filter(state=AssignmentState.SCORED).exists():
        raise ValidationError("该评审已有评分，不能删除。")
    instance.delete()


@transaction.atomic
def score_criterion_add(
    *, actor: Actor, round_id: int, name: str, maximum: Decimal, weight: Decimal = Decimal(1)
) -> ScoreCriterion:
    """A line of the call's score sheet; the sheet is fixed once the first score is entered."""
    require_permission(actor, ReviewRound, "change")
    round_ = _lock_round(round_id)
    _require_open(round_)
    if round_.assignments.filter(state=AssignmentState.SCORED).exists():
        raise ValidationError("已有专家评分，评分表不能再修改。")
    criterion = ScoreCriterion(
        round=round_, name=(name or "").strip(), maximum=maximum, weight=weight, order=round_.criteria.count() + 1
    )
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def score_criterion_remove(*, actor: Actor, criterion_id: int) -> None:
    require_permission(actor, ReviewRound, "change")
    criterion = ScoreCriterion.objects.get(pk=criterion_id)
    round_ = _lock_round(criterion.round_id)
    _require_open(round_)
    if round_.assignments.filter(state=AssignmentState.SCORED).exists():
        raise ValidationError("已有专家评分，评分表不能再修改。")
    criterion.delete()


# --- Assignments: 回避 and 失信 enforced here --------------------------------------------------


def conflict_of_interest(expert: Expert, application: Application) -> str:
    """Why ``expert`` may not review ``application`` ("" when they may): employed by the applicant,
    or listed as related to it (回避)."""
    if application.enterprise_id:
        if expert.employer_enterprise_id == application.enterprise_id:
            return "专家%(e)s任职于申报单位「%(u)s」，应当回避，不能指派。" % {
                "e": expert.name,
                "u": application.lead_name,
            }
        if expert.related_enterprises.filter(pk=application.enterprise_id).exists():
            return "专家%(e)s与申报单位「%(u)s」存在关联关系（专家库登记的关联单位），应当回避，不能指派。" % {
                "e": expert.name,
                "u": application.lead_name,
            }
    lead = application.lead_name.strip()
    if lead and expert.employer.strip() == lead:
        return "专家%(e)s的工作单位即申报单位「%(u)s」，应当回避，不能指派。" % {"e": expert.name, "u": lead}
    return ""


def assignment_refusal(*, round_: ReviewRound, application: Application, expert: Expert) -> str:
    """Why ``expert`` may not be assigned to ``application`` in ``round_`` ("" when they may)."""
    if application.call_id != round_.call_id:
        return "「%(app)s」不属于「%(call)s」。" % {"app": application, "call": round_.call}
    if not expert.active:
        return "专家%(e)s已不在库，不能指派。" % {"e": expert.name}
    conflict = conflict_of_interest(expert, application)
    if conflict:
        return conflict
    record = integrity_active(expert=expert, call_id=round_.call_id)
    if record is not None:
        return integrity_refusal(record, doing="参加专家评审")
    return ""


@transaction.atomic
def review_assign(*, actor: Actor, round_id: int, application: Application, expert: Expert) -> ReviewAssignment:
    """Assign ``expert`` to review ``application``; 回避 and 失信 are refused with the conflict named.
    The expert (their account) is notified."""
    require_permission(actor, ReviewRound, "change", doing="指派评审专家")
    round_ = _lock_round(round_id)
    _require_open(round_)
    refusal = assignment_refusal(round_=round_, application=application, expert=expert)
    if refusal:
        raise ValidationError(refusal)
    if ReviewAssignment.objects.filter(application=application, expert=expert).exists():
        raise ValidationError("专家%(e)s已指派评审「%(app)s」。" % {"e": expert.name, "app": application})
    assignment = ReviewAssignment(round=round_, application=application, expert=expert, assigned_by=actor)
    assignment.full_clean()
    assignment.save()
    if expert.user_id:
        notify(
            recipients=[expert.user_id],
            kind="review_assigned",
            title="请评审「%(app)s」（%(call)s）" % {"app": application.title, "call": round_.call},
            url=assignment_url(assignment),
            actor=actor,
        )
    return assignment


def assignment_url(assignment: ReviewAssignment) -> str:
    from django.urls import reverse

    return reverse("programs:review_assignment", args=[assignment.pk])


def expert_suggestions(*, round_: ReviewRound, application: Application, field: str, limit: int = 5) -> list[Expert]:
    """Experts who may review ``application``: same field first, then those with the fewest
    assignments in the round; conflicted, barred and already assigned experts left out."""
    from django.db.models import Count

    field = (field or "").strip()
    taken = set(ReviewAssignment.objects.filter(application=application).values_list("expert_id", flat=True))
    experts = (
        Expert.objects.filter(active=True)
        .exclude(pk__in=taken)
        .annotate(load=Count("assignments", filter=Q(assignments__round=round_)))
        .prefetch_related("related_enterprises")
        .order_by("load", "name", "pk")
    )
    barred = set(
        IntegrityRecord.objects.filter(expert__isnull=False, starts_on__lte=timezone.localdate())
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
        .exclude(overrides__call_id=round_.call_id)
        .values_list("expert_id", flat=True)
    )
    fit = []
    for expert in experts:
        if expert.pk in barred:
            continue
        if application.enterprise_id and (
            expert.employer_enterprise_id == application.enterprise_id
            or any(e.pk == application.enterprise_id for e in expert.related_enterprises.all())
        ):
            continue
        if expert.employer.strip() and expert.employer.strip() == application.lead_name.strip():
            continue
        fit.append(expert)
    same = [e for e in fit if field and (field in e.field or e.field in field)]
    other = [e for e in fit if e not in same]
    return (same + other)[:limit]


@transaction.atomic
def review_assign_suggested(
    *, actor: Actor, round_id: int, application: Application, field: str, count: int
) -> list[ReviewAssignment]:
    """Assign the first ``count`` suggested experts (same field first, fewest assignments next)."""
    require_permission(actor, ReviewRound, "change", doing="指派评审专家")
    round_ = _lock_round(round_id)
    experts = expert_suggestions(round_=round_, application=application, field=field, limit=count)
    if not experts:
        raise ValidationError("没有可指派的专家（已排除需回避、失信和已指派的专家）。")
    return [review_assign(actor=actor, round_id=round_id, application=application, expert=e) for e in experts]


@transaction.atomic
def review_unassign(*, actor: Actor, assignment_id: int) -> None:
    require_permission(actor, ReviewRound, "change", doing="撤销评审指派")
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment_id)
    _require_open(_lock_round(assignment.round_id))
    if assignment.state == AssignmentState.SCORED:
        raise ValidationError("该专家已评分，不能撤销指派。")
    assignment.delete()


def _may_enter_for(actor: Actor, assignment: ReviewAssignment) -> bool:
    """The expert themself, or staff typing in a paper sheet (the round's change right)."""
    if actor is None:
        return True
    if assignment.expert.user_id is not None and assignment.expert.user_id == actor.pk:
        return True
    return has_permission(actor, ReviewRound, "change")


def _lock_assignment(*, actor: Actor, assignment_id: int) -> ReviewAssignment:
    assignment = ReviewAssignment.objects.select_related("expert", "application").get(pk=assignment_id)
    if not _may_enter_for(actor, assignment):
        raise PermissionDenied("只有被指派的专家本人或科员、股室负责人可以录入该评审。")
    # Round first, then the assignment: the same order as closing, so two writers never deadlock.
    round_ = _lock_round(assignment.round_id)
    assignment = (
        ReviewAssignment.objects.select_for_update().select_related("expert", "application").get(pk=assignment_id)
    )
    assignment.round = round_
    _require_open(round_)
    return assignment


@transaction.atomic
def assignment_declare(*, actor: Actor, assignment_id: int, conflict: bool, reason: str = "") -> ReviewAssignment:
    """Before scoring, the expert declares that they have no conflict of interest with the applicant;
    declaring one withdraws them (已回避) with the reason."""
    assignment = _lock_assignment(actor=actor, assignment_id=assignment_id)
    if assignment.state == AssignmentState.SCORED:
        raise ValidationError("已评分，不能再声明。")
    if conflict:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "请说明需要回避的原因。"})
        assignment.state = AssignmentState.RECUSED
        assignment.recusal_reason = reason[:200]
    else:
        if assignment.state == AssignmentState.RECUSED:
            raise ValidationError("已声明回避，不能再评分。")
        assignment.state = AssignmentState.DECLARED
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["state", "recusal_reason", "declared_at"])
    return assignment


@transaction.atomic
def assignment_score(
    *, actor: Actor, assignment_id: int, values: dict[int, Decimal], comment: str = ""
) -> ReviewAssignment:
    """Record an expert's scores (criterion id -> score), by the expert or from their paper sheet by
    staff (``entered_by`` says who). Each within its maximum; the total is Σ score × weight. Refused
    before the no-conflict declaration and once the round is closed."""
    assignment = _lock_assignment(actor=actor, assignment_id=assignment_id)
    if assignment.state == AssignmentState.RECUSED:
        raise ValidationError("该专家已声明回避，不能评分。")
    if assignment.state == AssignmentState.ASSIGNED:
        raise ValidationError("请先声明与申报单位无利益冲突，再评分。")
    criteria = list(assignment.round.criteria.all())
    if not criteria:
        raise ValidationError("该批次尚未设置评分表。")
    errors = {}
    total = Decimal(0)
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            errors[f"c{criterion.pk}"] = "请填写「%(c)s」的得分。" % {"c": criterion.name}
        elif value < 0 or value > criterion.maximum:
            errors[f"c{criterion.pk}"] = "「%(c)s」的得分应在0到%(m)s之间。" % {
                "c": criterion.name,
                "m": plain(criterion.maximum),
            }
        else:
            total += value * criterion.weight
    if errors:
        raise ValidationError(errors)
    Score.objects.filter(assignment=assignment).delete()
    Score.objects.bulk_create([Score(assignment=assignment, criterion=c, value=values[c.pk]) for c in criteria])
    assignment.total = total.quantize(CENT)
    assignment.comment = (comment or "").strip()
    assignment.state = AssignmentState.SCORED
    assignment.scored_at = timezone.now()
    assignment.entered_by = actor
    assignment.save(update_fields=["total", "comment", "state", "scored_at", "entered_by"])
    return assignment


@transaction.atomic
def review_round_close(*, actor: Actor, round_id: int) -> ReviewRound:
    """结束评审 (a reviewer's act): from now on the scores are final. Refused while an assigned
    expert has neither scored nor withdrawn."""
    if not has_permission(actor, ReviewRound, "review"):
        raise PermissionDenied(permission_message(ReviewRound, "review", doing="结束专家评审"))
    round_ = _lock_round(round_id)
    _require_open(round_)
    pending = round_.assignments.filter(state__in=[AssignmentState.ASSIGNED, AssignmentState.DECLARED]).count()
    if pending:
        raise ValidationError("还有%(n)d份评审未评分，请录入或撤销指派后再结束评审。" % {"n": pending})
    if not round_.assignments.filter(state=AssignmentState.SCORED).exists():
        raise ValidationError("还没有任何评分，不能结束评审。")
    round_.closed_at = timezone.now()
    round_.closed_by = actor
    round_.save(update_fields=["closed_at", "closed_by", "updated_at"])
    return round_
