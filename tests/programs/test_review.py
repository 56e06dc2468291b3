"""专家评审 and 科研诚信 (issue 19): 回避, 失信 and its override, score aggregation, final scores after
the round is closed, concurrent scoring, and the 专家 role confined to its own assignments."""

from __future__ import annotations

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from bureau.accounts.roles import EXPERT, REVIEWER, STAFF
from bureau.audit.models import AuditEvent, AuditKind
from bureau.notifications.models import Notification
from bureau.records.urls import record_url
from bureau.registry import registry
from bureau.reminders import collect_work
from programs.models import Application, ReviewAssignment
from programs.review_guards import REVIEW_EXIT_GUARDS, review_round_closed
from programs.review_selectors import aggregate_totals, review_ranking
from programs.review_services import (
    assignment_declare,
    assignment_score,
    expert_suggestions,
    integrity_override_grant,
    review_assign,
    review_assign_suggested,
    review_round_close,
    score_criterion_add,
)
from programs.services import application_create, application_transition
from tests.conftest import _client_for, make_user
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import load_all_factories
from tests.programs.factories import (
    ApplicationFactory,
    ExpertFactory,
    IntegrityRecordFactory,
    ReviewRoundFactory,
)

S = Application.Status


def _round_with_sheet(*, applications: int = 1):
    round_ = ReviewRoundFactory()
    score_criterion_add(actor=None, round_id=round_.pk, name="技术创新性", maximum=Decimal(60))
    score_criterion_add(actor=None, round_id=round_.pk, name="实施基础", maximum=Decimal(40))
    apps = [
        ApplicationFactory(call=round_.call, program=round_.call.program, year=round_.call.year)
        for _ in range(applications)
    ]
    return round_, apps


def _scored(round_, app, total: int, *, expert=None, actor=None):
    expert = expert or ExpertFactory()
    a = review_assign(actor=actor, round_id=round_.pk, application=app, expert=expert)
    assignment_declare(actor=actor, assignment_id=a.pk, conflict=False)
    c1, c2 = round_.criteria.all()
    first = min(total, 60)
    return assignment_score(
        actor=actor, assignment_id=a.pk, values={c1.pk: Decimal(first), c2.pk: Decimal(total - first)}
    )


# --- 回避 ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_expert_employed_by_the_applicant_cannot_be_assigned_and_the_message_names_the_conflict(staff):
    round_, (app,) = _round_with_sheet()
    expert = ExpertFactory(name="周志远", employer_enterprise=app.enterprise)
    with pytest.raises(ValidationError) as exc:
        review_assign(actor=staff, round_id=round_.pk, application=app, expert=expert)
    assert exc.value.messages == [f"专家周志远任职于申报单位「{app.enterprise.name}」，应当回避，不能指派。"]
    assert not ReviewAssignment.objects.exists()


@pytest.mark.django_db
def test_an_expert_related_to_the_applicant_cannot_be_assigned(staff):
    round_, (app,) = _round_with_sheet()
    expert = ExpertFactory(name="林晓梅")
    expert.related_enterprises.add(app.enterprise)
    with pytest.raises(ValidationError) as exc:
        review_assign(actor=staff, round_id=round_.pk, application=app, expert=expert)
    assert "专家林晓梅与申报单位" in exc.value.messages[0]
    assert "存在关联关系" in exc.value.messages[0]


@pytest.mark.django_db
def test_an_expert_whose_employer_text_is_the_applicant_is_refused(staff):
    round_, _ = _round_with_sheet()
    app = ApplicationFactory(enterprise=None, institution="山东理工大学", call=round_.call, program=round_.call.program)
    expert = ExpertFactory(employer="山东理工大学")
    with pytest.raises(ValidationError, match="工作单位即申报单位「山东理工大学」"):
        review_assign(actor=staff, round_id=round_.pk, application=app, expert=expert)


@pytest.mark.django_db
def test_suggestions_put_the_same_field_first_then_the_fewest_assignments_and_leave_out_conflicts(staff):
    round_, (app, other) = _round_with_sheet(applications=2)
    busy = ExpertFactory(name="甲", field="新材料")
    free = ExpertFactory(name="乙", field="新材料")
    elsewhere = ExpertFactory(name="丙", field="现代农业")
    conflicted = ExpertFactory(name="丁", field="新材料", employer_enterprise=app.enterprise)
    review_assign(actor=staff, round_id=round_.pk, application=other, expert=busy)
    suggested = expert_suggestions(round_=round_, application=app, field="新材料", limit=10)
    assert suggested == [free, busy, elsewhere]
    assert conflicted not in suggested
    made = review_assign_suggested(actor=staff, round_id=round_.pk, application=app, field="新材料", count=2)
    assert [a.expert for a in made] == [free, busy]


@pytest.mark.django_db
def test_assignment_notifies_the_expert_and_lists_it_in_their_work(django_capture_on_commit_callbacks, staff):
    round_, (app,) = _round_with_sheet()
    user = make_user(EXPERT, username="zhuanjia_t")
    expert = ExpertFactory(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        a = review_assign(actor=staff, round_id=round_.pk, application=app, expert=expert)
    note = Notification.objects.get(recipient=user)
    assert note.kind == "review_assigned"
    assert app.title in note.title
    work = collect_work(user=user, today=datetime.date(2026, 12, 6))
    assert [(w.kind, w.url) for w in work] == [("待声明", reverse("programs:review_assignment", args=[a.pk]))]


@pytest.mark.django_db
def test_only_staff_and_reviewers_assign_experts(leader):
    round_, (app,) = _round_with_sheet()
    with pytest.raises(PermissionDenied):
        review_assign(actor=leader, round_id=round_.pk, application=app, expert=ExpertFactory())


# --- 科研诚信 ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_application_of_a_unit_under_a_integrity_record_is_refused_saying_until_when(staff):
    record = IntegrityRecordFactory(ends_on=datetime.date(2099, 5, 31))
    call = ReviewRoundFactory().call
    with pytest.raises(ValidationError) as exc:
        application_create(actor=staff, title="新项目", enterprise=record.enterprise, call=call)
    message = exc.value.messages[0]
    assert f"「{record.enterprise.name}」有失信记录" in message
    assert "2099年5月31日前不得申报科技计划项目" in message
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_submitting_is_refused_while_the_record_lasts_and_allowed_once_it_ended(staff):
    app = ApplicationFactory(status=S.DRAFT)
    record = IntegrityRecordFactory(enterprise=app.enterprise, ends_on=None)
    with pytest.raises(ValidationError, match="长期不得申报"):
        application_transition(application_id=app.pk, action="submit", actor=staff)
    record.ends_on = datetime.date(2020, 1, 1)
    record.save()
    application_transition(application_id=app.pk, action="submit", actor=staff)
    app.refresh_from_db()
    assert app.status == S.COUNTY_REVIEW


@pytest.mark.django_db
def test_a_reviewer_override_for_a_call_lets_it_through_and_is_an_audit_event(staff, reviewer):
    record = IntegrityRecordFactory()
    call = ReviewRoundFactory().call
    with pytest.raises(PermissionDenied):
        integrity_override_grant(actor=staff, record=record, call=call, reason="整改到位")
    with pytest.raises(ValidationError):
        integrity_override_grant(actor=reviewer, record=record, call=call, reason=" ")
    integrity_override_grant(actor=reviewer, record=record, call=call, reason="已整改，经局务会研究同意")
    app = application_create(actor=staff, title="放行后的申报", enterprise=record.enterprise, call=call)
    assert app.pk is not None
    event = AuditEvent.objects.get(kind=AuditKind.OVERRIDE)
    assert event.actor == reviewer
    assert "已整改，经局务会研究同意" in event.detail
    # Another call is still barred.
    other_call = ReviewRoundFactory().call
    with pytest.raises(ValidationError):
        application_create(actor=staff, title="另一批次", enterprise=record.enterprise, call=other_call)


@pytest.mark.django_db
def test_an_expert_under_a_integrity_record_cannot_be_assigned_until_overridden(staff, reviewer):
    round_, (app,) = _round_with_sheet()
    expert = ExpertFactory(name="陈建国")
    record = IntegrityRecordFactory(enterprise=None, expert=expert, ends_on=datetime.date(2099, 1, 1))
    with pytest.raises(ValidationError) as exc:
        review_assign(actor=staff, round_id=round_.pk, application=app, expert=expert)
    assert "「陈建国」有失信记录" in exc.value.messages[0]
    assert "2099年1月1日前不得参加专家评审" in exc.value.messages[0]
    assert expert not in expert_suggestions(round_=round_, application=app, field="", limit=10)
    integrity_override_grant(actor=reviewer, record=record, call=round_.call, reason="回避期满前特许")
    assert review_assign(actor=staff, round_id=round_.pk, application=app, expert=expert).pk


# --- Scores and their aggregation ---------------------------------------------------------------


def test_five_totals_drop_the_highest_and_lowest_four_do_not():
    kept, average, spread = aggregate_totals([Decimal(v) for v in (90, 60, 80, 70, 100)])
    assert kept == [Decimal(70), Decimal(80), Decimal(90)]
    assert average == Decimal("80.00")
    assert spread == Decimal(40)
    kept, average, spread = aggregate_totals([Decimal(v) for v in (90, 60, 80, 71)])
    assert len(kept) == 4
    assert average == Decimal("75.25")
    assert spread == Decimal(30)


@pytest.mark.django_db
def test_ranking_averages_trimmed_totals_and_recommends_by_the_line():
    round_, (strong, weak, unscored) = _round_with_sheet(applications=3)
    for total in (95, 60, 85, 80, 90):  # five: 60 and 95 dropped → 85
        _scored(round_, strong, total)
    for total in (70, 50, 60, 65):  # four: all kept → 61.25
        _scored(round_, weak, total)
    rows = {row.application: row for row in review_ranking(round_=round_)}
    assert (rows[strong].rank, rows[strong].average, rows[strong].count, rows[strong].spread) == (
        1,
        Decimal("85.00"),
        5,
        Decimal(35),
    )
    assert rows[strong].recommendation == "建议立项"
    assert (rows[weak].rank, rows[weak].average, rows[weak].recommendation) == (2, Decimal("61.25"), "不建议立项")
    assert (rows[unscored].rank, rows[unscored].average, rows[unscored].recommendation) == (None, None, "未评分")


@pytest.mark.django_db
def test_scoring_needs_the_no_conflict_declaration_and_each_score_within_its_maximum(staff):
    round_, (app,) = _round_with_sheet()
    a = review_assign(actor=staff, round_id=round_.pk, application=app, expert=ExpertFactory())
    c1, c2 = round_.criteria.all()
    with pytest.raises(ValidationError, match="请先声明与申报单位无利益冲突"):
        assignment_score(actor=staff, assignment_id=a.pk, values={c1.pk: Decimal(50), c2.pk: Decimal(30)})
    assignment_declare(actor=staff, assignment_id=a.pk, conflict=False)
    with pytest.raises(ValidationError) as exc:
        assignment_score(actor=staff, assignment_id=a.pk, values={c1.pk: Decimal(61), c2.pk: Decimal(30)})
    assert "「技术创新性」的得分应在0到60之间。" in exc.value.messages
    scored = assignment_score(actor=staff, assignment_id=a.pk, values={c1.pk: Decimal(50), c2.pk: Decimal(30)})
    assert scored.total == Decimal("80.00")
    assert scored.entered_by == staff  # typed in from the paper sheet: who did it is recorded


@pytest.mark.django_db
def test_an_expert_declaring_a_conflict_is_withdrawn_and_cannot_score():
    user = make_user(EXPERT, username="zhuanjia_c")
    round_, (app,) = _round_with_sheet()
    a = review_assign(actor=None, round_id=round_.pk, application=app, expert=ExpertFactory(user=user))
    assignment_declare(actor=user, assignment_id=a.pk, conflict=True, reason="曾为该企业技术顾问")
    a.refresh_from_db()
    assert a.state == ReviewAssignment.State.RECUSED
    c1, c2 = round_.criteria.all()
    with pytest.raises(ValidationError, match="已声明回避"):
        assignment_score(actor=user, assignment_id=a.pk, values={c1.pk: Decimal(1), c2.pk: Decimal(1)})


@pytest.mark.django_db
def test_an_expert_scores_only_their_own_assignment():
    mine = make_user(EXPERT, username="zhuanjia_m")
    theirs = make_user(EXPERT, username="zhuanjia_o")
    round_, (app,) = _round_with_sheet()
    ExpertFactory(user=theirs)
    a = review_assign(actor=None, round_id=round_.pk, application=app, expert=ExpertFactory(user=mine))
    with pytest.raises(PermissionDenied):
        assignment_declare(actor=theirs, assignment_id=a.pk, conflict=False)
    assignment_declare(actor=mine, assignment_id=a.pk, conflict=False)
    c1, c2 = round_.criteria.all()
    scored = assignment_score(actor=mine, assignment_id=a.pk, values={c1.pk: Decimal(40), c2.pk: Decimal(35)})
    assert (scored.total, scored.entered_by) == (Decimal("75.00"), mine)


@pytest.mark.django_db
def test_scores_are_final_once_a_reviewer_closes_the_round(staff, reviewer):
    round_, (app,) = _round_with_sheet()
    a = _scored(round_, app, 80)
    with pytest.raises(PermissionDenied, match="股室负责人"):
        review_round_close(actor=staff, round_id=round_.pk)
    review_round_close(actor=reviewer, round_id=round_.pk)
    c1, c2 = round_.criteria.all()
    with pytest.raises(ValidationError, match="评分已确定，不能再修改"):
        assignment_score(actor=staff, assignment_id=a.pk, values={c1.pk: Decimal(10), c2.pk: Decimal(10)})
    with pytest.raises(ValidationError, match="评分已确定"):
        review_assign(actor=staff, round_id=round_.pk, application=app, expert=ExpertFactory())
    a.refresh_from_db()
    assert a.total == Decimal("80.00")


@pytest.mark.django_db
def test_a_round_with_unscored_assignments_cannot_be_closed(reviewer):
    round_, (app,) = _round_with_sheet()
    _scored(round_, app, 80)
    review_assign(actor=None, round_id=round_.pk, application=app, expert=ExpertFactory())
    with pytest.raises(ValidationError, match="还有1份评审未评分"):
        review_round_close(actor=reviewer, round_id=round_.pk)


@pytest.mark.django_db
def test_the_guard_of_leaving_review_wants_a_closed_round(reviewer):
    round_, (app,) = _round_with_sheet()
    assert review_round_closed in REVIEW_EXIT_GUARDS
    assert "尚未结束" in review_round_closed(app)
    _scored(round_, app, 80)
    review_round_close(actor=reviewer, round_id=round_.pk)
    assert review_round_closed(app) is None
    assert "尚未组织专家评审" in review_round_closed(
        ApplicationFactory(call=ReviewRoundFactory().call.__class__.objects.create(program=app.program, year=2020))
    )


@pytest.mark.django_db(transaction=True)
def test_two_experts_scoring_at_the_same_moment_lose_nothing():
    """The first expert's transaction is still open when the second scores. On PostgreSQL the second
    waits on the round's lock and then writes; both totals count. SQLite locks the whole database and
    may refuse the second outright: then it is refused loudly, never half-written or lost silently."""
    round_, (app,) = _round_with_sheet()
    users = [make_user(EXPERT, username=f"zhuanjia_{i}") for i in range(2)]
    assignments = []
    for user in users:
        a = review_assign(actor=None, round_id=round_.pk, application=app, expert=ExpertFactory(user=user))
        assignment_declare(actor=user, assignment_id=a.pk, conflict=False)
        assignments.append(a)
    c1, c2 = round_.criteria.all()
    holding, release = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                assignment_score(
                    actor=users[0], assignment_id=assignments[0].pk, values={c1.pk: Decimal(50), c2.pk: Decimal(30)}
                )
                holding.set()
                release.wait(5)
            results["first"] = "done"
        finally:
            connection.close()

    def second():
        holding.wait(5)
        try:
            assignment_score(
                actor=users[1], assignment_id=assignments[1].pk, values={c1.pk: Decimal(40), c2.pk: Decimal(30)}
            )
            results["second"] = "done"
        except OperationalError as exc:
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
    totals = sorted(ReviewAssignment.objects.filter(round=round_).values_list("total", flat=True), key=str)
    if connection.vendor == "postgresql" or results["second"] == "done":
        assert results["second"] == "done"
        assert totals == [Decimal("70.00"), Decimal("80.00")]
    else:
        assert totals[0] == Decimal("80.00") or Decimal("80.00") in totals  # the first is kept
    # Every score row belongs to a scored assignment: nothing half-written.
    for a in ReviewAssignment.objects.filter(round=round_):
        assert (a.scores.count() == 2) == (a.total is not None)


@pytest.mark.django_db(transaction=True)
def test_a_score_sent_while_the_round_is_being_closed_is_refused_not_lost():
    """Closing holds the round's lock; a score arriving meanwhile reads the closed round afterwards
    (PostgreSQL) and is refused with the message; on SQLite the database lock refuses it."""
    reviewer = make_user(REVIEWER, username="guzhang_close")
    staff = make_user(STAFF, username="keyuan_close")
    round_, (app,) = _round_with_sheet()
    done = _scored(round_, app, 80)
    c1, c2 = round_.criteria.all()
    holding, release = threading.Event(), threading.Event()
    results = {}

    def closer():
        try:
            with transaction.atomic():
                review_round_close(actor=reviewer, round_id=round_.pk)
                holding.set()
                release.wait(5)
            results["close"] = "done"
        finally:
            connection.close()

    def scorer():
        holding.wait(5)
        try:
            assignment_score(actor=staff, assignment_id=done.pk, values={c1.pk: Decimal(1), c2.pk: Decimal(1)})
            results["score"] = "done"
        except (ValidationError, OperationalError) as exc:
            results["score"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=closer), threading.Thread(target=scorer)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    release.set()
    for t in threads:
        t.join(10)
    assert results["close"] == "done"
    assert results["score"] != "done"
    if connection.vendor == "postgresql":
        assert "评分已确定" in results["score"].messages[0]
    done.refresh_from_db()
    assert done.total == Decimal("80.00")


# --- The 专家 role sees only its assignment ------------------------------------------------------


@pytest.fixture
def expert_setup(db):
    user = make_user(EXPERT, username="zhuanjia_v", first_name="吴专家")
    round_, (mine, other) = _round_with_sheet(applications=2)
    expert = ExpertFactory(user=user)
    own = review_assign(actor=None, round_id=round_.pk, application=mine, expert=expert)
    theirs = review_assign(actor=None, round_id=round_.pk, application=other, expert=ExpertFactory())
    return user, _client_for(user), own, theirs


def test_the_expert_home_is_their_review_list_with_only_their_assignment(expert_setup):
    user, client, own, theirs = expert_setup
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == reverse("programs:my_reviews")
    page = client.get(reverse("programs:my_reviews"))
    html = page.content.decode()
    assert own.application.title in html
    assert theirs.application.title not in html
    # No record menu, no ledgers, no search box: only 我的评审.
    assert page.context["menu_groups"] == []
    assert reverse("ledger_index") not in html
    assert 'name="q"' not in html


def test_the_expert_opens_their_assignment_and_no_other(expert_setup):
    user, client, own, theirs = expert_setup
    assert client.get(reverse("programs:review_assignment", args=[own.pk])).status_code == 200
    assert client.get(reverse("programs:review_assignment", args=[theirs.pk])).status_code == 403
    assert (
        client.post(
            reverse("programs:review_assignment", args=[theirs.pk]), {"op": "declare", "conflict": "no"}
        ).status_code
        == 403
    )
    theirs.refresh_from_db()
    assert theirs.state == ReviewAssignment.State.ASSIGNED


def test_the_expert_declares_and_scores_through_the_page(expert_setup):
    user, client, own, _ = expert_setup
    url = reverse("programs:review_assignment", args=[own.pk])
    client.post(url, {"op": "declare", "conflict": "no"})
    c1, c2 = own.round.criteria.all()
    client.post(url, {"op": "score", f"c{c1.pk}": "55", f"c{c2.pk}": "33.5", "comment": "创新性强"})
    own.refresh_from_db()
    assert (own.state, own.total, own.entered_by) == (ReviewAssignment.State.SCORED, Decimal("88.50"), user)


def test_every_other_page_answers_403_to_the_expert(expert_setup):
    user, client, own, _ = expert_setup
    factories = load_all_factories()
    for label, record in sorted(registry["records"].items()):
        obj = factories[label]()
        for url in (record_url(record.model, "list"), record_url(obj), record_url(record.model, "add")):
            assert client.get(url).status_code == 403, url
    for name in (
        "reports:dashboard",
        "reports:indicators_export",
        "search",
        "search_suggest",
        "ledger_index",
        "site_settings",
        "setup_checklist",
        "audit:event_list",
    ):
        assert client.get(reverse(name), {"q": own.application.title}).status_code == 403, name
    assert client.get(reverse("notifications:inbox")).status_code == 200  # their own notifications


def test_a_staff_member_who_is_also_an_expert_keeps_the_portal(db):
    user = make_user(STAFF, username="keyuan_zj")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name="专家"))
    client = _client_for(user)
    assert client.get("/").status_code == 200
    assert client.get(record_url(Application, "list")).status_code == 200


# --- Pages of staff and reviewers -----------------------------------------------------------------


def test_the_ranking_page_and_export_query_counts_do_not_grow(reviewer_client, django_assert_num_queries):
    round_, apps = _round_with_sheet(applications=2)
    for app in apps:
        for total in (70, 80, 90):
            _scored(round_, app, total)
    url = round_.get_absolute_url()
    export = reverse("programs:review_ranking_export", args=[round_.pk])
    reviewer_client.get(url)
    # 16: the expert picker renders no pool (it searches the server as one types)
    with django_assert_num_queries(16) as small:
        assert reviewer_client.get(url).status_code == 200
    with django_assert_num_queries(7) as small_export:
        assert reviewer_client.get(export).status_code == 200
    more = [ApplicationFactory(call=round_.call, program=round_.call.program) for _ in range(8)]
    for app in more:
        for total in (60, 70, 75, 80, 85, 95):
            _scored(round_, app, total)
    with django_assert_num_queries(len(small.captured_queries)):
        page = reviewer_client.get(url)
    with django_assert_num_queries(len(small_export.captured_queries)):
        response = reviewer_client.get(export)
    assert page.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_ranking_export_is_a_workbook_of_the_ranking(reviewer_client):
    from io import BytesIO

    from openpyxl import load_workbook

    round_, (app,) = _round_with_sheet()
    for total in (70, 80, 90, 60, 100):
        _scored(round_, app, total)
    response = reviewer_client.get(reverse("programs:review_ranking_export", args=[round_.pk]))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("排名", "项目名称", "承担单位")
    assert rows[1][0] == 1
    assert rows[1][1] == app.title
    assert rows[1][6] == 80
    assert rows[1][8] == "建议立项"


def test_staff_cannot_close_a_round_nor_maintain_the_expert_pool(staff_client, reviewer_client):
    round_, (app,) = _round_with_sheet()
    _scored(round_, app, 80)
    staff_client.post(round_.get_absolute_url(), {"op": "close"})
    round_.refresh_from_db()
    assert not round_.closed
    assert staff_client.get(record_url(round_.__class__, "list")).status_code == 200
    from programs.models import Expert

    assert staff_client.get(record_url(Expert, "add")).status_code == 403
    assert reviewer_client.get(record_url(Expert, "add")).status_code == 200
    reviewer_client.post(round_.get_absolute_url(), {"op": "close"})
    round_.refresh_from_db()
    assert round_.closed


def test_a_refused_assignment_on_the_page_shows_the_conflict(staff_client):
    round_, (app,) = _round_with_sheet()
    expert = ExpertFactory(name="郑海峰", employer_enterprise=app.enterprise)
    response = staff_client.post(
        round_.get_absolute_url(), {"op": "assign", "application": app.pk, "expert": expert.pk}, follow=True
    )
    assert "专家郑海峰任职于申报单位" in response.content.decode()
    assert not ReviewAssignment.objects.exists()


def test_an_enterprise_without_records_applies_normally(staff):
    app = application_create(
        actor=staff, title="正常申报", enterprise=EnterpriseFactory(), program=ApplicationFactory().program, year=2020
    )
    assert app.pk


# --- 专家库 ledger ---------------------------------------------------------------------------------


def test_the_expert_ledger_imports_the_pool_and_reimporting_changes_nothing(tmp_path, reviewer, staff):
    from bureau.ledgers.columns import get_ledger
    from bureau.ledgers.write import ledger_import
    from programs.models import Expert
    from programs.review_ledgers import EXPERT_HEADERS
    from tests.ledgers.xlsx import write_xlsx

    enterprise = EnterpriseFactory()
    rows = [
        ("王立新", "山东理工大学", None, "新材料", "教授", "13905330001", "wanglx@example.cn"),
        ("李红", enterprise.name, enterprise.credit_code, "生物医药", "高级工程师", "13905330002", None),
    ]
    path = write_xlsx(
        tmp_path / "experts.xlsx",
        [f"{h}*" if h in ("姓名", "专业领域", "联系电话") else h for h in EXPERT_HEADERS],
        rows,
    )
    ledger = get_ledger("专家库")
    assert not ledger.user_can_import(staff)  # the pool is the reviewers' and the admin's
    assert ledger.user_can_import(reviewer)
    result = ledger_import(ledger=ledger, path=str(path), user=reviewer, commit=True)
    assert result.ok, result.messages()
    li = Expert.objects.get(name="李红")
    assert (li.employer_enterprise, li.field, li.active) == (enterprise, "生物医药", True)
    again = ledger_import(ledger=ledger, path=str(path), user=reviewer, commit=True)
    assert again.counts()["unchanged"] == 2
    assert Expert.objects.count() == 2


def test_the_header_search_finds_an_expert_for_staff_and_nothing_for_an_expert(staff_client):
    ExpertFactory(name="欧阳明远", field="智能制造")
    response = staff_client.get(reverse("search"), {"q": "欧阳明远"})
    assert "欧阳明远" in response.content.decode()
