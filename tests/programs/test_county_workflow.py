"""县级立项: every (state, role, action) of the county table, its guards, and each step's own rules."""

import dataclasses
import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from bureau.accounts.roles import ADMIN, LEADER, REVIEWER, STAFF
from bureau.notifications.models import Notification
from programs.models import Application, ChangeRequest, Track
from programs.services import (
    application_transition,
    change_request_create,
    change_request_decide,
    disbursement_create,
    formal_review_record,
    milestone_add,
    objection_handle,
    objection_record,
    publicity_open,
    working_days_end,
)
from programs.workflow import COUNTY_TRANSITIONS, add_guard, track_states
from tests.conftest import make_user
from tests.programs.factories import (
    ApplicationFactory,
    CallFactory,
    ProgramFactory,
    ReviewRoundFactory,
    closed_round,
    county_application,
)

S = Application.Status
ALL_ROLES = [STAFF, REVIEWER, LEADER, ADMIN]
TODAY = timezone.localdate()
STEP_DATA = {
    "approve": {
        "approved_amount": Decimal("80"),
        "approved_on": datetime.date(2019, 6, 20),
        "approval_number": "示科发〔2019〕12号",
    },
    "sign": {
        "contract_number": "XKJ-2019-001",
        "contract_signed_on": datetime.date(2019, 7, 1),
        "midterm_due_on": datetime.date(2020, 6, 30),
        "acceptance_due_on": datetime.date(2021, 6, 30),
        "first_payment_percent": 60,
        "midterm_payment_percent": 30,
    },
    "midterm": {"midterm_checked_on": datetime.date(2020, 6, 20), "midterm_result": Application.MidtermResult.PASSED},
    "accept": {"accepted_on": datetime.date(2021, 6, 20), "acceptance_result": Application.AcceptanceResult.PASSED},
    "evaluate": {"performance_score": Decimal("91.5"), "performance_grade": Application.PerformanceGrade.EXCELLENT},
}
COUNTY_STATES = sorted(track_states(Track.COUNTY))
CASES = [(state, role, action) for state in COUNTY_STATES for role in ALL_ROLES for action in COUNTY_TRANSITIONS]


def _outcome(state, role, action):
    t = COUNTY_TRANSITIONS[action]
    if state not in t.sources:
        return "illegal"
    if role not in t.roles:
        return "forbidden"
    return "done"


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "role", "action"), CASES, ids=[f"{s}-{r}-{a}" for s, r, a in CASES])
def test_each_county_transition_is_allowed_only_from_its_states_and_to_its_roles(state, role, action):
    user = make_user(role)
    app = county_application(status=state)
    t = COUNTY_TRANSITIONS[action]
    call = {
        "application_id": app.pk,
        "action": action,
        "actor": user,
        "comment": "经审核，同意",
        "data": STEP_DATA.get(action),
        "step": t.step,
    }
    outcome = _outcome(state, role, action)
    if outcome == "done":
        application_transition(**call)
        app.refresh_from_db()
        assert app.status == t.target
        log = app.logs.get()
        assert (log.by, log.source, log.target, log.action) == (user, state, t.target, action)
        return
    expected = ValidationError if outcome == "illegal" else PermissionDenied
    with pytest.raises(expected) as exc:
        application_transition(**call)
    message = "".join(exc.value.messages) if outcome == "illegal" else str(exc.value)
    assert t.label in message
    app.refresh_from_db()
    assert app.status == state
    assert not app.logs.exists()


def test_county_table_reaches_every_state_of_its_track_and_only_the_ends_have_no_exit():
    exits = {s for t in COUNTY_TRANSITIONS.values() for s in t.sources}
    assert exits == track_states(Track.COUNTY) - {S.REJECTED, S.TERMINATED}  # 已验收 keeps 绩效评价
    assert S.COUNTY_REVIEW not in track_states(Track.COUNTY)
    assert S.FORMAL_REVIEW not in track_states(Track.RECOMMEND)


@pytest.mark.django_db
def test_an_action_of_the_other_track_is_refused_naming_the_track(reviewer, staff):
    county = county_application(status=S.DRAFT)
    with pytest.raises(ValidationError, match="「县级立项」流程没有这个操作"):
        application_transition(application_id=county.pk, action="recommend", actor=reviewer)
    upper = ApplicationFactory(status=S.COUNTY_REVIEW)
    with pytest.raises(ValidationError, match="「推荐上报」流程没有这个操作"):
        application_transition(application_id=upper.pk, action="publicize", actor=reviewer)
    # The same action name follows the application's track.
    application_transition(application_id=county.pk, action="submit", actor=staff)
    county.refresh_from_db()
    assert county.status == S.FORMAL_REVIEW


@pytest.mark.django_db
def test_a_step_with_its_own_form_is_refused_outside_its_service(staff):
    app = county_application(status=S.FORMAL_REVIEW)
    with pytest.raises(ValidationError, match="请在其办理表单中办理"):
        application_transition(application_id=app.pk, action="formal_pass", actor=staff)
    app.refresh_from_db()
    assert app.status == S.FORMAL_REVIEW


# --- 形式审查 and 补正 --------------------------------------------------------------------------


@pytest.mark.django_db
def test_failed_checklist_items_send_the_application_back_for_correction_naming_them(staff):
    app = county_application(status=S.FORMAL_REVIEW, handler=staff)
    app.call.checklist = "材料齐全\n单位资格\n承诺书"
    app.call.correction_days = 7
    app.call.save()
    review = formal_review_record(actor=staff, application_id=app.pk, failed_items=["承诺书", "材料齐全"])
    app.refresh_from_db()
    assert app.status == S.CORRECTION
    assert review.failed_items == ["材料齐全", "承诺书"]
    assert review.correction_due_on == TODAY + datetime.timedelta(days=7)
    assert "不合格项：材料齐全、承诺书" in app.logs.get().comment


@pytest.mark.django_db
def test_correction_returns_to_formal_review_and_passing_every_item_goes_to_expert_review(staff):
    app = county_application(status=S.FORMAL_REVIEW)
    formal_review_record(actor=staff, application_id=app.pk, failed_items=["单位资格"])
    application_transition(application_id=app.pk, action="resubmit", actor=staff, comment="已补交资格证明")
    app.refresh_from_db()
    assert app.status == S.FORMAL_REVIEW
    review = formal_review_record(actor=staff, application_id=app.pk, failed_items=[])
    app.refresh_from_db()
    assert (app.status, review.passed) == (S.EXPERT_REVIEW, True)
    assert [log.action for log in app.logs.all()] == ["formal_return", "resubmit", "formal_pass"]


@pytest.mark.django_db
def test_an_item_not_on_the_checklist_is_refused(staff):
    app = county_application(status=S.FORMAL_REVIEW)
    with pytest.raises(ValidationError, match="审查清单中没有：查新报告"):
        formal_review_record(actor=staff, application_id=app.pk, failed_items=["查新报告"])


@pytest.mark.django_db
def test_correction_after_the_window_is_refused_with_the_deadline(staff, reviewer):
    app = county_application(status=S.FORMAL_REVIEW)
    review = formal_review_record(actor=staff, application_id=app.pk, failed_items=["承诺书"])
    review.correction_due_on = TODAY - datetime.timedelta(days=1)
    review.save()
    with pytest.raises(ValidationError, match=f"补正期限已于{review.correction_due_on.isoformat()}截止"):
        application_transition(application_id=app.pk, action="resubmit", actor=staff)
    application_transition(application_id=app.pk, action="lapse", actor=reviewer, comment="逾期未补正")
    app.refresh_from_db()
    assert app.status == S.REJECTED


@pytest.mark.django_db
def test_a_recommend_track_application_has_no_formal_review(staff):
    app = ApplicationFactory(status=S.COUNTY_REVIEW)
    with pytest.raises(ValidationError, match="推荐上报"):
        formal_review_record(actor=staff, application_id=app.pk, failed_items=[])


# --- 专家评审 → 公示: guards ---------------------------------------------------------------------


@pytest.mark.django_db
def test_publicity_needs_the_calls_period(reviewer):
    call = CallFactory(program=ProgramFactory(track=Track.COUNTY))
    app = county_application(call=call, status=S.EXPERT_REVIEW)
    with pytest.raises(ValidationError, match="请先在申报批次上设定公示期"):
        application_transition(application_id=app.pk, action="publicize", actor=reviewer)


@pytest.mark.django_db
def test_publicity_waits_for_the_calls_review_round_to_close(reviewer):
    call = CallFactory(
        program=ProgramFactory(track=Track.COUNTY),
        publicity_starts_on=datetime.date(2019, 6, 3),
        publicity_ends_on=datetime.date(2019, 6, 7),
    )
    review_round = ReviewRoundFactory(call=call)
    app = county_application(call=call, status=S.EXPERT_REVIEW)
    with pytest.raises(ValidationError, match="专家评审尚未结束"):
        application_transition(application_id=app.pk, action="publicize", actor=reviewer)
    review_round.closed_at = timezone.now()
    review_round.save()
    application_transition(application_id=app.pk, action="publicize", actor=reviewer)
    app.refresh_from_db()
    assert app.status == S.PUBLICITY


@pytest.mark.django_db
def test_a_guard_added_by_another_module_refuses_the_step_with_its_message(reviewer, monkeypatch):
    original = COUNTY_TRANSITIONS["publicize"]
    monkeypatch.setitem(COUNTY_TRANSITIONS, "publicize", original)  # restored after the test
    add_guard("publicize", lambda app: "专家评审轮次尚未结束，不能列入公示。")
    assert len(COUNTY_TRANSITIONS["publicize"].guards) == len(original.guards) + 1
    app = county_application(status=S.EXPERT_REVIEW)
    with pytest.raises(ValidationError, match="专家评审轮次尚未结束"):
        application_transition(application_id=app.pk, action="publicize", actor=reviewer)
    app.refresh_from_db()
    assert app.status == S.EXPERT_REVIEW
    monkeypatch.setitem(COUNTY_TRANSITIONS, "publicize", dataclasses.replace(original, guards=original.guards))
    application_transition(application_id=app.pk, action="publicize", actor=reviewer)
    app.refresh_from_db()
    assert app.status == S.PUBLICITY


@pytest.mark.django_db
def test_publicity_lasts_five_working_days_by_default_skipping_weekends_and_holidays(reviewer, settings):
    friday = datetime.date(2019, 6, 7)
    assert working_days_end(friday, 5) == datetime.date(2019, 6, 13)  # Fri, Mon–Thu
    settings.PROGRAM_HOLIDAYS = ["2019-06-10"]
    assert working_days_end(friday, 5) == datetime.date(2019, 6, 14)
    call = CallFactory(program=ProgramFactory(track=Track.COUNTY))
    closed_round(call)
    apps = [county_application(call=call, status=S.EXPERT_REVIEW) for _ in range(2)]
    moved = publicity_open(actor=reviewer, call=call, starts_on=friday, application_ids=[apps[0].pk])
    call.refresh_from_db()
    assert (call.publicity_starts_on, call.publicity_ends_on) == (friday, datetime.date(2019, 6, 14))
    assert [a.status for a in moved] == [S.PUBLICITY]
    apps[1].refresh_from_db()
    assert apps[1].status == S.EXPERT_REVIEW


@pytest.mark.django_db
def test_staff_cannot_open_a_publicity(staff):
    call = CallFactory(program=ProgramFactory(track=Track.COUNTY))
    with pytest.raises(PermissionDenied, match="股室负责人"):
        publicity_open(actor=staff, call=call, starts_on=TODAY, application_ids=[])


@pytest.mark.django_db
def test_approval_waits_for_the_end_of_publicity_and_names_it(reviewer):
    call = CallFactory(
        program=ProgramFactory(track=Track.COUNTY),
        publicity_starts_on=TODAY - datetime.timedelta(days=2),
        publicity_ends_on=TODAY,
    )
    app = county_application(call=call, status=S.PUBLICITY)
    with pytest.raises(ValidationError) as exc:
        application_transition(application_id=app.pk, action="approve", actor=reviewer, data=STEP_DATA["approve"])
    assert f"公示期至{TODAY.isoformat()}结束，公示结束后才能立项" in exc.value.messages[0]


@pytest.mark.django_db
def test_approval_waits_for_every_objection_to_be_handled(staff, reviewer):
    call = CallFactory(
        program=ProgramFactory(track=Track.COUNTY),
        publicity_starts_on=TODAY,
        publicity_ends_on=TODAY + datetime.timedelta(days=6),
    )
    app = county_application(call=call, status=S.PUBLICITY)
    objection = objection_record(actor=staff, application_id=app.pk, content="合作单位资质存疑", raised_by="匿名")
    call.publicity_ends_on = TODAY - datetime.timedelta(days=1)
    call.publicity_starts_on = TODAY - datetime.timedelta(days=7)
    call.save()
    with pytest.raises(ValidationError, match="还有1条公示异议未处理"):
        application_transition(application_id=app.pk, action="approve", actor=reviewer, data=STEP_DATA["approve"])
    with pytest.raises(PermissionDenied):
        objection_handle(actor=staff, objection_id=objection.pk, handling="核实无误")
    objection_handle(actor=reviewer, objection_id=objection.pk, handling="经核实，合作单位资质有效")
    application_transition(application_id=app.pk, action="approve", actor=reviewer, data=STEP_DATA["approve"])
    app.refresh_from_db()
    assert app.status == S.APPROVED
    assert [log.action for log in app.logs.all()] == ["objection", "objection_handled", "approve"]


@pytest.mark.django_db
def test_objections_are_recorded_only_during_publicity(staff):
    app = county_application(status=S.EXPERT_REVIEW)
    with pytest.raises(ValidationError, match="只有公示中的项目"):
        objection_record(actor=staff, application_id=app.pk, content="异议")


# --- 任务书 and the payment plan ------------------------------------------------------------------


def _signed(staff, reviewer, amount=Decimal("100")):
    app = county_application(status=S.PUBLICITY, handler=staff)
    data = {**STEP_DATA["approve"], "approved_amount": amount}
    application_transition(application_id=app.pk, action="approve", actor=reviewer, data=data)
    application_transition(application_id=app.pk, action="sign", actor=staff, data=STEP_DATA["sign"])
    app.refresh_from_db()
    return app


@pytest.mark.django_db
def test_nothing_is_paid_before_the_task_book_is_signed(staff, reviewer):
    app = county_application(status=S.PUBLICITY)
    application_transition(application_id=app.pk, action="approve", actor=reviewer, data=STEP_DATA["approve"])
    with pytest.raises(ValidationError) as exc:
        disbursement_create(actor=staff, application=app, amount=Decimal("1"), paid_on=TODAY)
    assert "签订任务书前累计最多拨付0万元" in exc.value.message_dict["amount"][0]


@pytest.mark.django_db
def test_payment_plan_allows_60_percent_on_signing_then_30_after_midterm_then_the_rest(staff, reviewer):
    app = _signed(staff, reviewer)
    with pytest.raises(ValidationError) as exc:
        disbursement_create(actor=staff, application=app, amount=Decimal("61"), paid_on=TODAY)
    assert "本次最多可拨付60万元" in exc.value.message_dict["amount"][0]
    disbursement_create(actor=staff, application=app, amount=Decimal("60"), paid_on=TODAY)

    rectify = {
        "midterm_checked_on": datetime.date(2020, 6, 20),
        "midterm_result": Application.MidtermResult.RECTIFY,
        "midterm_rectify_due_on": datetime.date(2020, 9, 30),
    }
    application_transition(application_id=app.pk, action="midterm", actor=staff, data=rectify)
    app.refresh_from_db()
    with pytest.raises(ValidationError, match="本次最多可拨付0万元"):
        disbursement_create(actor=staff, application=app, amount=Decimal("10"), paid_on=TODAY)

    application_transition(application_id=app.pk, action="midterm", actor=staff, data=STEP_DATA["midterm"])
    app.refresh_from_db()
    with pytest.raises(ValidationError, match="中期检查合格后累计最多拨付90万元"):
        disbursement_create(actor=staff, application=app, amount=Decimal("30.0001"), paid_on=TODAY)
    disbursement_create(actor=staff, application=app, amount=Decimal("30"), paid_on=TODAY)

    application_transition(
        application_id=app.pk, action="accept", actor=reviewer, comment="达到任务书指标", data=STEP_DATA["accept"]
    )
    app.refresh_from_db()
    disbursement_create(actor=staff, application=app, amount=Decimal("10"), paid_on=TODAY)
    assert sum(d.amount for d in app.disbursements.all()) == Decimal("100")


@pytest.mark.django_db
def test_a_failed_acceptance_releases_nothing_more(staff, reviewer):
    app = _signed(staff, reviewer)
    data = {**STEP_DATA["accept"], "acceptance_result": Application.AcceptanceResult.FAILED}
    application_transition(application_id=app.pk, action="accept", actor=reviewer, comment="未完成指标", data=data)
    app.refresh_from_db()
    with pytest.raises(ValidationError, match="签订任务书后累计最多拨付60万元"):
        disbursement_create(actor=staff, application=app, amount=Decimal("61"), paid_on=TODAY)


@pytest.mark.django_db
def test_payment_shares_cannot_exceed_100_percent(staff, reviewer):
    app = county_application(status=S.APPROVED, approved_on=datetime.date(2019, 6, 20))
    data = {**STEP_DATA["sign"], "first_payment_percent": 80, "midterm_payment_percent": 30}
    with pytest.raises(ValidationError) as exc:
        application_transition(application_id=app.pk, action="sign", actor=staff, data=data)
    assert "midterm_payment_percent" in exc.value.message_dict


@pytest.mark.django_db
def test_contract_cannot_be_signed_before_the_approval(staff):
    app = county_application(status=S.APPROVED, approved_on=datetime.date(2019, 8, 1))
    with pytest.raises(ValidationError) as exc:
        application_transition(application_id=app.pk, action="sign", actor=staff, data=STEP_DATA["sign"])
    assert "不能早于立项日期" in exc.value.message_dict["contract_signed_on"][0]


@pytest.mark.django_db
def test_milestones_are_logged_on_the_timeline(staff, reviewer):
    app = _signed(staff, reviewer)
    milestone_add(
        actor=staff,
        application_id=app.pk,
        content="完成中试线建设",
        due_on=datetime.date(2020, 3, 31),
        deliverable="中试报告",
    )
    assert app.milestones.get().deliverable == "中试报告"
    assert app.logs.last().action == "milestone"


# --- 中期检查, 验收, 绩效评价 ----------------------------------------------------------------------


@pytest.mark.django_db
def test_rectification_needs_a_deadline(staff, reviewer):
    app = _signed(staff, reviewer)
    data = {"midterm_checked_on": datetime.date(2020, 6, 20), "midterm_result": Application.MidtermResult.RECTIFY}
    with pytest.raises(ValidationError) as exc:
        application_transition(application_id=app.pk, action="midterm", actor=staff, data=data)
    assert "限期整改须填写整改期限" in exc.value.message_dict["midterm_rectify_due_on"][0]


@pytest.mark.django_db
def test_failed_midterm_proposes_termination_to_the_reviewers(staff, reviewer, django_capture_on_commit_callbacks):
    app = _signed(staff, reviewer)
    data = {"midterm_checked_on": datetime.date(2020, 6, 20), "midterm_result": Application.MidtermResult.FAILED}
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application_id=app.pk, action="midterm", actor=staff, data=data)
    note = Notification.objects.get(recipient=reviewer, kind="application_midterm_failed")
    assert "中期检查不合格，建议终止" in note.title
    assert app.logs.last().details.startswith("中期检查完成日期：2020-06-20；中期检查结论：不合格")
    application_transition(application_id=app.pk, action="terminate", actor=reviewer, comment="中期检查不合格")
    app.refresh_from_db()
    assert app.status == S.TERMINATED


@pytest.mark.django_db
def test_reconsideration_loops_back_once(staff, reviewer):
    app = _signed(staff, reviewer)
    application_transition(application_id=app.pk, action="reconsider", actor=reviewer, comment="经费决算需复核")
    with pytest.raises(ValidationError, match="不能执行「验收需要复议」"):
        application_transition(application_id=app.pk, action="reconsider", actor=reviewer, comment="再议")
    application_transition(
        application_id=app.pk, action="accept", actor=reviewer, comment="复议通过", data=STEP_DATA["accept"]
    )
    application_transition(application_id=app.pk, action="evaluate", actor=reviewer, data=STEP_DATA["evaluate"])
    app.refresh_from_db()
    assert (app.status, app.acceptance_result, app.performance_grade) == (S.ACCEPTED, "passed", "excellent")


# --- 变更 / 延期 / 撤销 ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_one_extension_of_at_most_a_year(staff, reviewer):
    app = _signed(staff, reviewer)
    due = app.acceptance_due_on
    with pytest.raises(ValidationError) as exc:
        change_request_create(
            actor=staff,
            application_id=app.pk,
            kind="extension",
            reason="设备到货延迟",
            new_end_on=due + datetime.timedelta(days=366),
        )
    assert f"最晚可延至{(due + datetime.timedelta(days=365)).isoformat()}" in exc.value.message_dict["new_end_on"][0]
    request = change_request_create(
        actor=staff,
        application_id=app.pk,
        kind="extension",
        reason="设备到货延迟",
        new_end_on=datetime.date(2022, 3, 31),
    )
    with pytest.raises(PermissionDenied):
        change_request_decide(actor=staff, request_id=request.pk, approve=True)
    change_request_decide(actor=reviewer, request_id=request.pk, approve=True, comment="同意延期")
    app.refresh_from_db()
    assert app.acceptance_due_on == datetime.date(2022, 3, 31)
    with pytest.raises(ValidationError, match="该项目已延期1次，按规定最多延期1次"):
        change_request_create(
            actor=staff,
            application_id=app.pk,
            kind="extension",
            reason="再次延期",
            new_end_on=datetime.date(2022, 6, 30),
        )


@pytest.mark.django_db
def test_revocation_needs_the_disbursed_funds_returned(staff, reviewer):
    app = _signed(staff, reviewer)
    disbursement_create(actor=staff, application=app, amount=Decimal("60"), paid_on=TODAY)
    request = change_request_create(actor=staff, application_id=app.pk, kind="revoke", reason="企业经营困难，无法实施")
    with pytest.raises(ValidationError) as exc:
        change_request_decide(actor=reviewer, request_id=request.pk, approve=True, funds_returned=Decimal("50"))
    assert "撤销须先退回已拨付资金60万元" in exc.value.message_dict["funds_returned"][0]
    app.refresh_from_db()
    assert app.status == S.IN_PROGRESS
    change_request_decide(
        actor=reviewer, request_id=request.pk, approve=True, funds_returned=Decimal("60"), funds_returned_on=TODAY
    )
    app.refresh_from_db()
    request.refresh_from_db()
    assert (app.status, request.status, request.funds_returned) == (S.TERMINATED, "approved", Decimal("60"))
    assert app.logs.last().action == "revoke"


@pytest.mark.django_db
def test_a_refused_change_leaves_the_project_as_it_was(staff, reviewer):
    app = _signed(staff, reviewer)
    request = change_request_create(
        actor=staff,
        application_id=app.pk,
        kind=ChangeRequest.Kind.CHANGE,
        reason="调整技术路线",
        new_content="改用湿法工艺",
    )
    with pytest.raises(ValidationError, match="已有待审批的变更申请"):
        change_request_create(actor=staff, application_id=app.pk, kind="revoke", reason="撤销")
    change_request_decide(actor=reviewer, request_id=request.pk, approve=False, comment="理由不充分")
    app.refresh_from_db()
    assert app.status == S.IN_PROGRESS
    assert app.logs.last().action == "change_refused"


# --- concurrency --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_formal_reviews_at_once_leave_one_review_and_one_step():
    """Two 科员 review the same application at the same moment. The first holds the row lock; on
    PostgreSQL the second waits, then reads 专家评审 and is refused; SQLite refuses the write outright."""
    first_user = make_user(STAFF, username="keyuan_a")
    second_user = make_user(STAFF, username="keyuan_b")
    app = county_application(status=S.FORMAL_REVIEW)
    holding, release = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                formal_review_record(actor=first_user, application_id=app.pk, failed_items=[])
                holding.set()
                release.wait(5)
            results["first"] = "done"
        finally:
            connection.close()

    def second():
        holding.wait(5)
        try:
            formal_review_record(actor=second_user, application_id=app.pk, failed_items=["承诺书"])
            results["second"] = "done"
        except (ValidationError, OperationalError) as exc:
            results["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    release.set()
    for t in threads:
        t.join(10)

    assert results["first"] == "done"
    assert results["second"] != "done"
    if connection.vendor == "postgresql":
        assert "当前状态为「专家评审」，不能执行「退回补正」" in results["second"].messages[0]
    app.refresh_from_db()
    assert app.status == S.EXPERT_REVIEW
    assert [(log.by, log.action) for log in app.logs.all()] == [(first_user, "formal_pass")]
    assert app.formal_reviews.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_cannot_both_pass_the_plan():
    """Two 科员 each enter 40 of the 60 the plan allows after signing: one of them is refused."""
    staff_a = make_user(STAFF, username="keyuan_c")
    staff_b = make_user(STAFF, username="keyuan_d")
    reviewer = make_user(REVIEWER, username="guzhang_c")
    app = _signed(staff_a, reviewer)
    holding, release = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                disbursement_create(actor=staff_a, application=app, amount=Decimal("40"), paid_on=TODAY)
                holding.set()
                release.wait(5)
            results["first"] = "done"
        finally:
            connection.close()

    def second():
        holding.wait(5)
        try:
            disbursement_create(actor=staff_b, application=app, amount=Decimal("40"), paid_on=TODAY)
            results["second"] = "done"
        except (ValidationError, OperationalError) as exc:
            results["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    release.set()
    for t in threads:
        t.join(10)

    assert results["first"] == "done"
    assert results["second"] != "done"
    if connection.vendor == "postgresql":
        assert "本次最多可拨付20万元" in results["second"].messages[0]
    assert sum(d.amount for d in app.disbursements.all()) == Decimal("40")


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_county_page_offers_the_tracks_steps_per_role(staff_client, reviewer_client, leader_client):
    app = county_application(status=S.FORMAL_REVIEW)
    url = app.get_absolute_url()

    def offered(client):
        return [t.action for t, _ in client.get(url).context["transition_forms"]]

    assert offered(staff_client) == ["formal_pass", "formal_return"]
    assert offered(reviewer_client) == ["formal_pass", "formal_return"]
    assert offered(leader_client) == []
    page = staff_client.get(url).content.decode()
    assert "县级立项流程" in page and "形式审查通过" in page and "承诺书" in page
    upper = ApplicationFactory(status=S.COUNTY_REVIEW)
    upper_page = reviewer_client.get(upper.get_absolute_url()).content.decode()
    assert "推荐上报流程" in upper_page and "中期检查结论" not in upper_page and "形式审查" not in upper_page


@pytest.mark.django_db
def test_returning_on_the_page_names_the_ticked_items(staff_client):
    app = county_application(status=S.FORMAL_REVIEW)
    response = staff_client.post(
        app.get_absolute_url(),
        {
            "action": "formal_return",
            "formal_return-expected_status": S.FORMAL_REVIEW,
            "formal_return-items": ["承诺书"],
        },
        follow=True,
    )
    assert "已执行「退回补正」" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.CORRECTION
    assert "不合格项：承诺书" in response.content.decode()


@pytest.mark.django_db
def test_passing_on_the_page_needs_every_item_ticked(staff_client):
    app = county_application(status=S.FORMAL_REVIEW)
    response = staff_client.post(
        app.get_absolute_url(),
        {"action": "formal_pass", "formal_pass-expected_status": S.FORMAL_REVIEW, "formal_pass-items": ["承诺书"]},
    )
    assert response.status_code == 200
    assert "以下项目未核对为合格：材料齐全、单位资格" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.FORMAL_REVIEW


@pytest.mark.django_db
def test_publicity_page_lists_the_proposed_projects_and_reviewers_open_it(reviewer_client, staff_client):
    call = CallFactory(program=ProgramFactory(track=Track.COUNTY))
    closed_round(call)
    listed = county_application(call=call, status=S.EXPERT_REVIEW, title="秸秆综合利用技术示范")
    url = reverse("programs:call_publicity", args=[call.pk])
    assert staff_client.get(url).context["form"] is None
    response = reviewer_client.post(
        url, {"starts_on": "2019-06-07", "applications": [listed.pk], "comment": "专家评审排名前列"}, follow=True
    )
    page = response.content.decode()
    assert "公示期2019-06-07至2019-06-13，1个项目列入公示" in page
    assert "秸秆综合利用技术示范" in page


@pytest.mark.django_db
def test_county_application_page_query_count_is_flat(staff_client, staff, reviewer, django_assert_num_queries):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    def build(n):
        app = _signed(staff, reviewer, amount=Decimal("1000"))
        for i in range(n):
            milestone_add(actor=staff, application_id=app.pk, content=f"节点{i}", due_on=datetime.date(2020, 1, 1))
            disbursement_create(actor=staff, application=app, amount=Decimal("1"), paid_on=TODAY)
            application_transition(application_id=app.pk, action="midterm", actor=staff, data=STEP_DATA["midterm"])
        return app

    few, many = build(2), build(20)
    staff_client.get(few.get_absolute_url())  # warm the per-user caches (menu, 我的待办)
    with CaptureQueriesContext(conn) as captured:
        assert staff_client.get(few.get_absolute_url()).status_code == 200
    with django_assert_num_queries(len(captured.captured_queries)):
        assert staff_client.get(many.get_absolute_url()).status_code == 200


# --- 我的待办 -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_step_shows_in_the_work_of_whoever_must_act(staff, reviewer):
    from programs.reminders import county_program_reminders

    app = county_application(status=S.FORMAL_REVIEW, handler=staff, title="甲项目")
    formal_review_record(actor=staff, application_id=app.pk, failed_items=["承诺书"])
    staff_work = county_program_reminders(user=staff, today=TODAY)
    assert [(r.kind, r.text) for r in staff_work] == [("待补正", "「甲项目」须补正：承诺书")]
    signed = _signed(staff, reviewer)
    change_request_create(actor=staff, application_id=signed.pk, kind="revoke", reason="无法实施")
    kinds = {r.kind for r in county_program_reminders(user=reviewer, today=TODAY)}
    assert {"变更审批", "中期检查"} <= kinds
    leader = make_user(LEADER)
    assert county_program_reminders(user=leader, today=TODAY) == []
