"""Issue 22 #6: an append-only audit log of security events that an 审计员 (not the 管理员) reads."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bureau.accounts.roles import AUDITOR, REVIEWER, ROLES
from bureau.audit.models import AppendOnlyError, AuditEvent, AuditKind
from bureau.audit.services import audit_log, audit_purge
from bureau.records.urls import record_url
from tests.conftest import make_user
from tests.core.factories import AnnualTargetFactory
from tests.factories import load_all_factories

FACTORIES = load_all_factories()
PROXY = "10.1.0.5"


@pytest.fixture
def auditor(db):
    return make_user(AUDITOR, username="shenji_t", last_name="孙", first_name="审计")


@pytest.fixture
def auditor_client(auditor):
    client = Client()
    client.force_login(auditor)
    return client


@pytest.fixture(autouse=True)
def _proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]


def kinds() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))


@pytest.mark.django_db
def test_login_success_and_failure_are_logged_with_the_real_client_address():
    make_user("staff", username="keyuan_x", password="Pass-12345")
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    client.post("/accounts/login/", {"username": "keyuan_x", "password": "wrong"})
    client.post("/accounts/login/", {"username": "keyuan_x", "password": "Pass-12345"})
    failed = AuditEvent.objects.get(kind=AuditKind.LOGIN_FAILED)
    ok = AuditEvent.objects.get(kind=AuditKind.LOGIN)
    assert failed.username == "keyuan_x" and failed.ip == "203.0.113.7"
    assert ok.username == "keyuan_x" and ok.ip == "203.0.113.7"
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED).exists()  # kept after the success


@pytest.mark.django_db
def test_a_lockout_is_logged():
    client = Client(REMOTE_ADDR="198.51.100.3")
    for _ in range(6):
        client.post("/accounts/login/", {"username": "no-such", "password": "guess"})
    lockout = AuditEvent.objects.filter(kind=AuditKind.LOCKOUT).first()
    assert lockout is not None and lockout.username == "no-such" and lockout.ip == "198.51.100.3"


@pytest.mark.django_db
def test_a_permission_denial_is_logged(staff_client, staff):
    target = AnnualTargetFactory()
    assert staff_client.post(f"/core/annualtargets/{target.pk}/signoff/").status_code == 403
    denied = AuditEvent.objects.get(kind=AuditKind.PERMISSION_DENIED)
    assert denied.actor == staff and denied.path.endswith("/signoff/")


@pytest.mark.django_db
def test_role_and_password_changes_are_logged(admin_user):
    user = make_user("staff", username="keyuan_y")
    user.groups.add(Group.objects.get(name=ROLES[REVIEWER].name))
    user.set_password("New-pass-2026")
    user.save()
    events = AuditEvent.objects.filter(object_id=str(user.pk))
    assert events.filter(kind=AuditKind.ROLE_CHANGED, detail__contains="股室负责人").exists()
    assert events.filter(kind__in=[AuditKind.PASSWORD_SET, AuditKind.PASSWORD_CHANGED]).exists()


@pytest.mark.django_db
def test_export_deletion_and_sign_off_are_logged(reviewer_client, reviewer):
    enterprise = FACTORIES["enterprises.enterprise"]()
    reviewer_client.get(record_url(enterprise._meta.model, "list") + "?export=xlsx")
    reviewer_client.post(record_url(enterprise, "delete"))
    target = AnnualTargetFactory(target=Decimal("7500"))
    reviewer_client.post(
        f"/core/annualtargets/{target.pk}/signoff/",
        {"seen_year": target.year, "seen_indicator": target.indicator, "seen_target": "7500"},
    )
    assert {AuditKind.EXPORT, AuditKind.DELETE, AuditKind.SIGNOFF} <= set(kinds())
    deleted = AuditEvent.objects.get(kind=AuditKind.DELETE)
    assert deleted.actor == reviewer and deleted.object_repr == str(enterprise)


@pytest.mark.django_db
def test_the_auditor_views_filters_and_exports_the_log(auditor_client):
    audit_log(AuditKind.LOGIN_FAILED, username="guess-1", detail="用户名或密码错误")
    audit_log(AuditKind.EXPORT, username="keyuan", detail="导出企业")
    url = reverse("audit:event_list")
    page = auditor_client.get(url, {"kind": AuditKind.LOGIN_FAILED}).content.decode()
    assert "guess-1" in page and "导出企业" not in page
    export = auditor_client.get(url, {"kind": AuditKind.LOGIN_FAILED, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("时间", "事件")
    assert [r[3] for r in rows[1:]] == ["guess-1"]
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT, detail__startswith="导出审计日志").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "reviewer", "leader", "admin"])
def test_no_other_role_not_even_the_admin_reads_the_log(client, role):
    client.force_login(make_user(role))
    assert client.get(reverse("audit:event_list")).status_code == 403
    assert client.get("/admin/audit/auditevent/").status_code in (302, 403)


@pytest.mark.django_db
def test_the_log_cannot_be_altered_through_any_view(auditor, auditor_client, admin_client_):
    auditor.is_staff = True
    auditor.save()
    event = audit_log(AuditKind.LOGIN_FAILED, username="evidence")
    before = AuditEvent.objects.count()
    admin_base = f"/admin/audit/auditevent/{event.pk}"
    for client in (auditor_client, admin_client_):
        client.post(reverse("audit:event_list"), {"kind": "login", "username": "x"})
        client.post("/admin/audit/auditevent/add/", {"kind": "login", "username": "forged"})
        client.post(f"{admin_base}/change/", {"kind": "login", "username": "changed"})
        client.post(f"{admin_base}/delete/", {"post": "yes"})
        client.post("/admin/audit/auditevent/", {"action": "delete_selected", "_selected_action": [event.pk]})
    assert auditor_client.get(f"{admin_base}/change/").status_code == 200  # the auditor reads it there
    event.refresh_from_db()
    assert event.username == "evidence"
    # Each POST may itself be logged (a denial), but no row was changed or removed.
    assert AuditEvent.objects.filter(pk__lte=event.pk).count() == before


@pytest.mark.django_db
def test_the_model_refuses_updates_and_deletes():
    event = audit_log(AuditKind.LOGIN, username="a")
    event.detail = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_retention_deletes_only_events_older_than_180_days(settings, monkeypatch):
    settings.AUDIT_RETENTION_DAYS = 30  # below the floor: 180 days are kept anyway
    now = timezone.now()
    for days, name in ((181, "old"), (179, "recent")):  # written then (auto_now_add reads the clock)
        monkeypatch.setattr(timezone, "now", lambda days=days: now - datetime.timedelta(days=days))
        audit_log(AuditKind.LOGIN, username=name)
    monkeypatch.undo()
    assert audit_purge(now=now) == 1
    assert list(AuditEvent.objects.values_list("username", flat=True)) == ["recent"]


@pytest.mark.django_db
def test_on_postgresql_the_database_itself_refuses_changes_to_the_log(django_user_model):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (migration audit 0004); SQLite: the model's rule")
    user = django_user_model.objects.create_user("leaving", password="x")
    event = audit_log(AuditKind.LOGIN, actor=user, detail="evidence")
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET detail = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="审计日志不可"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    # The one change Django itself makes: the account removed, the event kept with its name.
    user.delete()
    event.refresh_from_db()
    assert (event.actor_id, event.username, event.detail) == (None, "leaving", "evidence")
    # Clearing the actor together with anything else is a change like any other.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_id = NULL, detail = 'x' WHERE id = %s", [event.pk])


def test_the_purge_runs_daily_from_beat(settings):
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "audit.purge")
    assert entry["schedule"] <= 24 * 60 * 60
