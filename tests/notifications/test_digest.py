"""The daily e-mail digest: Chinese subject, plain text and HTML, absolute links, once per user and day."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from bureau.notifications.digest import digests_run
from bureau.notifications.models import DigestDelivery, EmailPreference, Notification
from bureau.notifications.services import email_preferences_update
from tests.programs.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2019, 6, 10)
S = ApplicationFactory._meta.model.Status


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://kj.example.gov.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_digest_lists_my_work_with_absolute_links_in_text_and_html(reviewer):
    reviewer.email = "guzhang@example.com"
    reviewer.save()
    app = ApplicationFactory(title="待审的项目", status=S.COUNTY_REVIEW)
    Notification.objects.create(
        recipient=reviewer,
        kind="application_submitted",
        title="「待审的项目」已提交审核，请审核",
        url=app.get_absolute_url(),
    )
    digests_run(date=TODAY)
    [msg] = mail.outbox
    assert msg.to == ["guzhang@example.com"]
    assert msg.subject.startswith("【科技局工作平台】每日待办摘要（2019年6月10日）")
    assert "待审的项目" in msg.body and "https://kj.example.gov.cn" + app.get_absolute_url() in msg.body
    [(html, mimetype)] = msg.alternatives
    assert mimetype == "text/html" and "我的待办" in html and "未读通知" in html
    assert DigestDelivery.objects.get(user=reviewer, date=TODAY).status == DigestDelivery.Status.SENT


def test_a_second_run_the_same_day_sends_nothing(reviewer):
    reviewer.email = "guzhang@example.com"
    reviewer.save()
    ApplicationFactory(status=S.COUNTY_REVIEW)
    digests_run(date=TODAY)
    digests_run(date=TODAY)
    call_command("send_digests", "--date", TODAY.isoformat(), stdout=StringIO())
    assert len(mail.outbox) == 1
    digests_run(date=TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_nothing_to_say_sends_no_mail_and_no_address_no_claim(reviewer, staff):
    reviewer.email = "guzhang@example.com"
    reviewer.save()
    digests_run(date=TODAY)  # no work, no notifications
    assert mail.outbox == []
    assert DigestDelivery.objects.get(user=reviewer).status == DigestDelivery.Status.EMPTY
    assert not DigestDelivery.objects.filter(user=staff).exists()  # staff has no address


def test_dry_run_names_the_recipients_and_sends_nothing(reviewer):
    reviewer.email = "guzhang@example.com"
    reviewer.save()
    ApplicationFactory(status=S.COUNTY_REVIEW)
    out = StringIO()
    call_command("send_digests", "--date", TODAY.isoformat(), "--dry-run", stdout=out)
    assert "guzhang@example.com" in out.getvalue() and "1人将收到摘要" in out.getvalue()
    assert mail.outbox == [] and DigestDelivery.objects.count() == 0


def test_a_kind_set_to_never_is_left_out_of_the_digest(staff):
    email_preferences_update(
        actor=staff, email="keyuan@example.com", modes={"import_finished": EmailPreference.Mode.NEVER}
    )
    Notification.objects.create(recipient=staff, kind="import_finished", title="不该出现的通知")
    Notification.objects.create(recipient=staff, kind="import_failed", title="应出现的通知")
    digests_run(date=TODAY)
    [msg] = mail.outbox
    assert "应出现的通知" in msg.body and "不该出现的通知" not in msg.body


def test_an_immediate_kind_is_mailed_at_once(staff, reviewer, django_capture_on_commit_callbacks):
    from programs.services import application_transition

    staff.email = "keyuan@example.com"
    staff.save()
    app = ApplicationFactory(title="退回的项目", status=S.COUNTY_REVIEW, handler=staff)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application_id=app.pk, actor=reviewer, action="return", comment="补充附件")
    [msg] = mail.outbox  # 申报被退回 defaults to 立即发送
    assert msg.subject == "【申报被退回修改】「退回的项目」被退回修改"
    assert "意见：补充附件" in msg.body and "https://kj.example.gov.cn" in msg.body
    assert Notification.objects.get(recipient=staff).emailed_at is not None


def test_the_settings_page_saves_the_address_and_modes(staff, staff_client):
    staff_client.post("/notifications/settings/", {"email": "wang@example.com", "mode_application_returned": "never"})
    staff.refresh_from_db()
    assert staff.email == "wang@example.com"
    assert EmailPreference.objects.get(user=staff, kind="application_returned").mode == "never"
    page = staff_client.get("/notifications/settings/").content.decode()
    assert "申报被退回修改" in page and "每日摘要" in page


def test_beat_schedules_the_digest_at_8_and_the_clean_ups(settings):
    from bureau.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    digest = schedule["daily-digest"]["schedule"]
    assert digest.hour == {8} and digest.minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_work_replayed_as_history_is_neither_mailed_nor_unread(staff, reviewer, django_capture_on_commit_callbacks):
    """The demo seed replays years of work through the services: nobody is told about it today."""
    from bureau.notifications.services import replaying_history
    from programs.services import application_transition

    staff.email = "keyuan@example.com"
    staff.save()
    app = ApplicationFactory(title="往年退回的项目", status=S.COUNTY_REVIEW, handler=staff)
    with django_capture_on_commit_callbacks(execute=True), replaying_history():
        application_transition(application_id=app.pk, actor=reviewer, action="return", comment="补充附件")
    assert mail.outbox == []  # 申报被退回 is an immediate kind: outside the replay it is mailed at once
    note = Notification.objects.get(recipient=staff)
    assert note.title == "「往年退回的项目」被退回修改" and note.read_at and note.emailed_at  # no digest lists it
