"""In-app notifications: raised by the services on commit, the bell, the inbox, retention."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bureau.accounts.roles import REVIEWER, STAFF
from bureau.notifications.models import Notification
from bureau.notifications.services import notification_mark_read, notifications_purge, notify
from programs.services import application_reassign, application_transition, application_update
from tests.conftest import make_user
from tests.programs.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
S = ApplicationFactory._meta.model.Status


@pytest.fixture
def say(django_capture_on_commit_callbacks):
    """notify() and run its on-commit write at once (the test's transaction never commits)."""

    def _say(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            notify(**kwargs)

    return _say


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_submitting_notifies_every_reviewer_but_not_the_submitter(staff, reviewer, django_capture_on_commit_callbacks):
    other_reviewer = make_user(REVIEWER)
    app = ApplicationFactory(title="智能农机项目", handler=staff)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application_id=app.pk, actor=staff, action="submit")
    assert titles(reviewer) == ["「智能农机项目」已提交审核，请审核"]
    assert titles(other_reviewer) == ["「智能农机项目」已提交审核，请审核"]
    assert titles(staff) == []
    n = Notification.objects.get(recipient=reviewer)
    assert n.url == app.get_absolute_url() and n.actor_name == "王科员"


def test_sending_back_notifies_the_handler_with_the_comment(staff, reviewer, django_capture_on_commit_callbacks):
    app = ApplicationFactory(title="新材料项目", status=S.COUNTY_REVIEW, handler=staff)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application_id=app.pk, actor=reviewer, action="return", comment="预算表缺少明细")
    n = Notification.objects.get(recipient=staff)
    assert n.title == "「新材料项目」被退回修改" and n.body == "预算表缺少明细" and n.kind == "application_returned"


@pytest.mark.parametrize(
    ("action", "data", "title"),
    [
        ("approve", {"approved_amount": 50, "approved_on": datetime.date(2019, 9, 1)}, "「甲项目」已登记立项"),
        ("reject", {}, "「甲项目」登记为未立项"),
    ],
)
def test_the_upper_levels_decision_notifies_the_handler(
    staff, reviewer, django_capture_on_commit_callbacks, action, data, title
):
    app = ApplicationFactory(title="甲项目", status=S.RECOMMENDED, handler=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application_id=app.pk, actor=staff, action=action, data=data)
    assert titles(reviewer) == [title]


def test_nothing_is_notified_when_the_write_rolls_back(staff, reviewer, django_capture_on_commit_callbacks):
    app = ApplicationFactory(handler=staff)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        application_transition(application_id=app.pk, actor=staff, action="submit")
        transaction.set_rollback(True)
    assert Notification.objects.count() == 0


def test_a_reviewer_reassigns_and_the_new_handler_is_told(staff, reviewer, django_capture_on_commit_callbacks):
    other = make_user(STAFF, first_name="新经办")
    app = ApplicationFactory(title="乙项目", handler=staff)
    with django_capture_on_commit_callbacks(execute=True):
        application_reassign(actor=reviewer, application_id=app.pk, handler=other)
    app.refresh_from_db()
    assert app.handler == other
    assert titles(other) == ["您已成为「乙项目」的经办人"]


def test_a_staff_member_may_not_reassign(staff):
    app = ApplicationFactory(handler=staff)
    with pytest.raises(PermissionDenied):
        application_reassign(actor=staff, application_id=app.pk, handler=make_user(STAFF))


def test_a_staff_member_may_not_reassign_through_the_edit_service_either(staff):
    app = ApplicationFactory(handler=staff, title="丙项目")
    with pytest.raises(ValidationError) as refused:
        application_update(actor=staff, application=app, handler=make_user(STAFF), title="丙项目（改）")
    assert refused.value.message_dict["handler"] == ["只有股室负责人可以更换经办人。"]
    app.refresh_from_db()
    assert (app.handler, app.title) == (staff, "丙项目")
    application_update(actor=staff, application=app, handler=staff, title="丙项目（改）")  # unchanged: fine
    app.refresh_from_db()
    assert app.title == "丙项目（改）"


def test_a_reviewer_editing_the_handler_tells_the_new_one(staff, reviewer, django_capture_on_commit_callbacks):
    other = make_user(STAFF, first_name="接手人")
    app = ApplicationFactory(title="丁项目", handler=staff)
    with django_capture_on_commit_callbacks(execute=True):
        application_update(actor=reviewer, application=app, handler=other)
    app.refresh_from_db()
    assert app.handler == other
    assert titles(other) == ["您已成为「丁项目」的经办人"]


def test_the_edit_form_offers_the_handler_to_reviewers_only(staff, staff_client, reviewer_client):
    app = ApplicationFactory(handler=staff)
    edit = reverse("programs:application_edit", args=[app.pk])
    assert "由股室负责人更换" in staff_client.get(edit).content.decode()  # shown, not editable
    assert "由股室负责人更换" not in reviewer_client.get(edit).content.decode()


def test_the_reassign_button_is_on_the_page_for_reviewers_only(staff, staff_client, reviewer_client):
    app = ApplicationFactory(handler=staff)
    assert "更换经办人" in reviewer_client.get(app.get_absolute_url()).content.decode()
    assert "更换经办人" not in staff_client.get(app.get_absolute_url()).content.decode()
    response = staff_client.post(reverse("programs:application_reassign", args=[app.pk]), {"handler": staff.pk})
    assert response.status_code == 403


def test_the_bell_shows_the_unread_count_and_the_inbox_lists_them(staff, staff_client, say):
    for i in range(3):
        say(recipients=[staff], kind="import_finished", title=f"通知{i}", body="意见内容")
    page = staff_client.get(reverse("home")).content.decode()
    assert "data-bell-count>3<" in page
    inbox = staff_client.get(reverse("notifications:inbox")).content.decode()
    assert "通知0" in inbox and "通知2" in inbox and "意见：意见内容" in inbox


def test_mark_read_and_mark_all_read(staff, staff_client, say):
    say(recipients=[staff], kind="import_finished", title="甲")
    say(recipients=[staff], kind="import_finished", title="乙")
    first = Notification.objects.get(title="甲")
    staff_client.post(reverse("notifications:mark_read", args=[first.pk]))
    assert "data-bell-count>1<" in staff_client.get(reverse("home")).content.decode()
    staff_client.post(reverse("notifications:mark_all_read"))
    page = staff_client.get(reverse("home")).content.decode()
    assert "data-bell-count" not in page
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_nobody_marks_someone_elses_notification(staff, reviewer, say):
    say(recipients=[staff], kind="import_finished", title="甲")
    n = Notification.objects.get()
    with pytest.raises(Exception, match="没有这条通知"):
        notification_mark_read(actor=reviewer, notification_id=n.pk)
    n.refresh_from_db()
    assert n.read_at is None


def test_notifications_older_than_180_days_are_deleted(staff, say):
    say(recipients=[staff], kind="import_finished", title="旧")
    say(recipients=[staff], kind="import_finished", title="新")
    Notification.objects.filter(title="旧").update(created_at=timezone.now() - datetime.timedelta(days=181))
    Notification.objects.filter(title="新").update(created_at=timezone.now() - datetime.timedelta(days=179))
    assert notifications_purge() == 1
    assert titles(staff) == ["新"]


def test_an_unknown_kind_is_refused(staff):
    with pytest.raises(ValueError):
        notify(recipients=[staff], kind="no_such_kind", title="x")


@pytest.mark.parametrize("url_name", ["home", "programs:application_list"])
def test_page_query_counts_stay_flat_in_the_number_of_notifications(
    staff, staff_client, say, django_assert_num_queries, url_name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(url_name)
    say(recipients=[staff], kind="import_finished", title="一条")
    staff_client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    with_one = len(one.captured_queries)
    for i in range(50):
        say(recipients=[staff], kind="import_finished", title=f"第{i}条")
    staff_client.get(url)
    with django_assert_num_queries(with_one):
        assert "data-bell-count>51<" in staff_client.get(url).content.decode()


def test_a_page_reads_the_bell_with_one_count_query(staff, staff_client, say):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    say(recipients=[staff], kind="import_finished", title="一条")
    with CaptureQueriesContext(connection) as ctx:
        staff_client.get(reverse("programs:application_list"))
    bell = [q["sql"] for q in ctx.captured_queries if "notifications_notification" in q["sql"]]
    assert len(bell) == 1 and "COUNT" in bell[0].upper()
