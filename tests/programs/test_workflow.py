"""The application workflow: every (state, role, action), the log, comments, recorded facts, races."""

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
from programs.models import Application, Track
from programs.services import STALE_MESSAGE, application_recommend_many, application_transition
from programs.workflow import TRANSITIONS, track_states
from tests.conftest import make_user
from tests.programs.factories import ApplicationFactory

S = Application.Status
ALL_ROLES = [STAFF, REVIEWER, LEADER, ADMIN]
# What each step records, so that only the state and the role decide whether it may happen.
STEP_DATA = {
    "approve": {
        "approved_amount": Decimal("120.5"),
        "approved_on": datetime.date(2019, 9, 20),
        "acceptance_due_on": datetime.date(2021, 9, 30),
    },
    "accept": {"accepted_on": datetime.date(2021, 8, 30), "acceptance_result": Application.AcceptanceResult.PASSED},
}
CASES = [(state, role, action) for state in S.values for role in ALL_ROLES for action in TRANSITIONS]


def _outcome(state, role, action):
    t = TRANSITIONS[action]
    if state not in t.sources:
        return "illegal"
    if role not in t.roles:
        return "forbidden"
    return "done"


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "role", "action"), CASES, ids=[f"{s}-{r}-{a}" for s, r, a in CASES])
def test_each_transition_is_allowed_only_from_its_states_and_to_its_roles(state, role, action):
    user = make_user(role)
    app = ApplicationFactory(status=state)
    outcome = _outcome(state, role, action)
    call = {
        "application_id": app.pk,
        "action": action,
        "actor": user,
        "comment": "经审核，材料齐全",
        "data": STEP_DATA.get(action),
    }
    if outcome == "done":
        application_transition(**call)
        app.refresh_from_db()
        assert app.status == TRANSITIONS[action].target
        log = app.logs.get()
        assert (log.by, log.source, log.target, log.action) == (user, state, TRANSITIONS[action].target, action)
        return
    expected = ValidationError if outcome == "illegal" else PermissionDenied
    with pytest.raises(expected) as exc:
        application_transition(**call)
    message = "".join(exc.value.messages) if outcome == "illegal" else str(exc.value)
    assert str(TRANSITIONS[action].label) in message  # the refusal names the step the user tried
    app.refresh_from_db()
    assert app.status == state
    assert not app.logs.exists()


def test_the_table_covers_every_state_of_its_track_and_each_state_but_the_final_ones_has_an_exit():
    exits = {s for t in TRANSITIONS.values() for s in t.sources}
    assert exits == track_states(Track.RECOMMEND) - {S.REJECTED, S.ACCEPTED, S.TERMINATED}
    assert {t.target for t in TRANSITIONS.values()} <= set(S.values)


@pytest.mark.django_db
def test_reviewer_recommendation_is_logged_with_date_and_comment(reviewer):
    app = ApplicationFactory(status=S.COUNTY_REVIEW)
    application_transition(application_id=app.pk, action="recommend", actor=reviewer, comment="同意推荐")
    app.refresh_from_db()
    assert app.status == S.RECOMMENDED
    assert app.recommended_on == timezone.localdate()
    log = app.logs.get()
    assert (log.by, log.comment) == (reviewer, "同意推荐")


@pytest.mark.django_db
def test_sending_back_needs_a_reason(reviewer):
    app = ApplicationFactory(status=S.COUNTY_REVIEW)
    with pytest.raises(ValidationError) as exc:
        application_transition(application_id=app.pk, action="return", actor=reviewer, comment="  ")
    assert "请填写「退回修改」的意见" in exc.value.message_dict["comment"][0]
    application_transition(application_id=app.pk, action="return", actor=reviewer, comment="预算表不完整")
    app.refresh_from_db()
    assert app.status == S.DRAFT
    assert app.logs.get().comment == "预算表不完整"


@pytest.mark.django_db
def test_recording_approval_needs_amount_and_date(staff):
    app = ApplicationFactory(status=S.RECOMMENDED)
    with pytest.raises(ValidationError) as exc:
        application_transition(application_id=app.pk, action="approve", actor=staff, data={"approved_amount": None})
    assert set(exc.value.message_dict) == {"approved_amount", "approved_on"}
    app.refresh_from_db()
    assert app.status == S.RECOMMENDED
    application_transition(application_id=app.pk, action="approve", actor=staff, data=STEP_DATA["approve"])
    app.refresh_from_db()
    assert (app.status, app.approved_amount, app.approved_on) == (
        S.APPROVED,
        Decimal("120.5"),
        datetime.date(2019, 9, 20),
    )


@pytest.mark.django_db
def test_a_step_cannot_write_fields_it_does_not_record(staff):
    app = ApplicationFactory(status=S.DRAFT)
    with pytest.raises(ValidationError):
        application_transition(
            application_id=app.pk, action="submit", actor=staff, data={"approved_amount": Decimal("999")}
        )
    app.refresh_from_db()
    assert (app.status, app.approved_amount) == (S.DRAFT, None)


@pytest.mark.django_db
def test_acceptance_records_date_and_result(staff):
    app = ApplicationFactory(approved=True, status=S.IN_PROGRESS)
    application_transition(application_id=app.pk, action="accept", actor=staff, data=STEP_DATA["accept"])
    app.refresh_from_db()
    assert (app.status, app.accepted_on, app.get_acceptance_result_display()) == (
        S.ACCEPTED,
        datetime.date(2021, 8, 30),
        "通过",
    )


@pytest.mark.django_db
def test_second_of_two_concurrent_steps_is_refused_and_nothing_is_lost(reviewer):
    """Two reviewers open the same application in 县局审核; one recommends, then the other sends it back.

    The second post carries the state its page showed; the service reads the state under the row lock
    (select_for_update; a real lock on PostgreSQL), sees it changed, and refuses.
    """
    other = make_user(REVIEWER, username="guzhang_2")
    app = ApplicationFactory(status=S.COUNTY_REVIEW)
    seen = app.status
    application_transition(
        application_id=app.pk, action="recommend", actor=reviewer, comment="同意", expected_status=seen
    )
    with pytest.raises(ValidationError) as exc:
        application_transition(
            application_id=app.pk, action="return", actor=other, comment="请补充材料", expected_status=seen
        )
    assert exc.value.messages == [str(STALE_MESSAGE)]
    app.refresh_from_db()
    assert app.status == S.RECOMMENDED
    assert [(log.by, log.action, log.comment) for log in app.logs.all()] == [(reviewer, "recommend", "同意")]


@pytest.mark.django_db
def test_concurrent_posts_through_the_page_refuse_the_second_with_a_message(reviewer_client):
    other = make_user(REVIEWER, username="guzhang_3")
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    app = ApplicationFactory(status=S.COUNTY_REVIEW)
    url = app.get_absolute_url()
    first = reviewer_client.post(
        url, {"action": "recommend", "recommend-expected_status": S.COUNTY_REVIEW, "recommend-comment": "同意"}
    )
    assert first.status_code == 302
    second = other_client.post(
        url,
        {"action": "return", "return-expected_status": S.COUNTY_REVIEW, "return-comment": "退回"},
        follow=True,
    )
    assert "该申报状态已变化，请刷新后重试" in second.content.decode()
    app.refresh_from_db()
    assert app.status == S.RECOMMENDED
    assert app.logs.count() == 1


@pytest.mark.django_db
def test_detail_page_offers_exactly_the_steps_of_the_users_role(staff_client, reviewer_client, leader_client):
    app = ApplicationFactory(status=S.COUNTY_REVIEW)
    url = app.get_absolute_url()

    def offered(client):
        return [t.action for t, _ in client.get(url).context["transition_forms"]]

    assert offered(reviewer_client) == ["recommend", "return"]
    assert offered(staff_client) == []
    assert offered(leader_client) == []
    page = reviewer_client.get(url).content.decode()
    assert "推荐上报" in page and "退回修改" in page


@pytest.mark.django_db
def test_forbidden_step_posted_by_hand_is_refused_with_a_message(leader_client):
    app = ApplicationFactory(status=S.DRAFT)
    response = leader_client.post(
        app.get_absolute_url(), {"action": "submit", "submit-expected_status": S.DRAFT}, follow=True
    )
    assert "只有科员可以执行「提交审核」" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.DRAFT


@pytest.mark.django_db
def test_missing_approval_amount_keeps_the_form_open_with_the_error(staff_client):
    app = ApplicationFactory(status=S.RECOMMENDED)
    response = staff_client.post(
        app.get_absolute_url(),
        {"action": "approve", "approve-expected_status": S.RECOMMENDED, "approve-approved_on": "2019-09-20"},
    )
    assert response.status_code == 200
    assert response.context["open_action"] == "approve"
    form = dict(response.context["transition_forms"])[TRANSITIONS["approve"]]
    assert "approved_amount" in form.errors
    assert form["approved_on"].value() == "2019-09-20"  # what was typed is kept
    app.refresh_from_db()
    assert app.status == S.RECOMMENDED


@pytest.mark.django_db
def test_status_is_not_in_the_edit_form(staff_client):
    app = ApplicationFactory(status=S.DRAFT)
    form = staff_client.get(reverse("programs:application_edit", args=[app.pk])).context["form"]
    assert "status" not in form.fields
    data = {
        "title": app.title,
        "enterprise": app.enterprise_id,
        "program": app.program_id,
        "year": "2019",
        "status": S.APPROVED,
    }
    assert staff_client.post(reverse("programs:application_edit", args=[app.pk]), data).status_code == 302
    app.refresh_from_db()
    assert app.status == S.DRAFT


@pytest.mark.django_db
def test_batch_recommend_is_all_or_nothing_and_names_the_refused(reviewer):
    ready = ApplicationFactory.create_batch(2, status=S.COUNTY_REVIEW)
    draft = ApplicationFactory(status=S.DRAFT, title="尚未提交的项目")
    with pytest.raises(ValidationError) as exc:
        application_recommend_many(application_ids=[a.pk for a in [*ready, draft]], actor=reviewer)
    assert "尚未提交的项目" in exc.value.messages[0]
    assert Application.objects.filter(status=S.RECOMMENDED).count() == 0
    assert application_recommend_many(application_ids=[a.pk for a in ready], actor=reviewer) == 2
    assert Application.objects.filter(status=S.RECOMMENDED).count() == 2


@pytest.mark.django_db
def test_batch_recommend_page_for_reviewers_only(reviewer_client, staff_client):
    apps = ApplicationFactory.create_batch(2, status=S.COUNTY_REVIEW)
    url = reverse("programs:application_batch_recommend")
    pks = [a.pk for a in apps]
    assert staff_client.post(url, {"pk": pks}).status_code == 403
    response = reviewer_client.post(url, {"pk": pks}, follow=True)
    assert "已推荐上报 2 个项目" in response.content.decode()
    assert set(Application.objects.values_list("status", flat=True)) == {S.RECOMMENDED}


@pytest.mark.django_db
def test_list_offers_batch_recommend_to_reviewers_only(reviewer_client, staff_client):
    ApplicationFactory(status=S.COUNTY_REVIEW)
    url = reverse("programs:application_list")
    assert "推荐所选" in reviewer_client.get(url).content.decode()
    staff_page = staff_client.get(url).content.decode()
    assert "推荐所选" not in staff_page
    assert "导出所选" in staff_page


@pytest.mark.django_db(transaction=True)
def test_a_step_taken_while_another_holds_the_application_sees_its_result():
    """Two reviewers act at the same moment, with no stale page to give it away.

    The first step is still inside its transaction when the second starts. On PostgreSQL the second
    waits on the row lock, then reads 已推荐上报 and is refused with the workflow's message; without
    the lock it would read 县局审核 and send the application back, and two steps would be logged.
    SQLite locks the whole table instead, and refuses the second write outright.
    """
    first_user = make_user(REVIEWER, username="guzhang_a")
    second_user = make_user(REVIEWER, username="guzhang_b")
    app = ApplicationFactory(status=S.COUNTY_REVIEW)
    holding, release = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                application_transition(application_id=app.pk, action="recommend", actor=first_user, comment="同意")
                holding.set()
                release.wait(5)  # keep the transaction (and on PostgreSQL the row lock) open
            results["first"] = "done"
        finally:
            connection.close()

    def second():
        holding.wait(5)
        try:
            application_transition(application_id=app.pk, action="return", actor=second_user, comment="退回")
            results["second"] = "done"
        except (ValidationError, OperationalError) as exc:
            results["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # the second step is now waiting on (or has been refused by) the lock
    release.set()
    for t in threads:
        t.join(10)

    assert results["first"] == "done"
    refusal = results["second"]
    assert refusal != "done"
    if connection.vendor == "postgresql":
        assert isinstance(refusal, ValidationError)
        assert "当前状态为「已推荐上报」，不能执行「退回修改」" in refusal.messages[0]
    app.refresh_from_db()
    assert app.status == S.RECOMMENDED
    assert [(log.by, log.action) for log in app.logs.all()] == [(first_user, "recommend")]
