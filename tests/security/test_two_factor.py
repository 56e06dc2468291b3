"""Issue 22 #5: TOTP two-factor authentication with backup codes (django-otp)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bureau.audit.models import AuditEvent, AuditKind
from tests.conftest import make_user

PASSWORD = "Pass-12345"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "reviewer"]
    settings.TWO_FACTOR_ADMIN_SITE = True
    settings.PASSWORD_POLICY_DEMO_EXEMPT = False


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "password sign-in failed"
    return client


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def enrol(client: Client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.content.decode()  # the QR code, inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("accounts:two_factor_setup"), {"token": code_for(device), "action": "rebind"})
    codes = re.findall(r"<li class=\"col\">(\d{8})</li>", done.content.decode())
    device.refresh_from_db()
    return device, codes


@pytest.mark.django_db
def test_a_reviewer_must_bind_an_authenticator_before_anything_else():
    make_user("reviewer", username="guzhang_2fa", password=PASSWORD)
    client = sign_in("guzhang_2fa")
    response = client.get("/enterprises/enterprises/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.django_db
def test_enrolment_with_a_code_from_the_secret_opens_the_portal_and_gives_backup_codes():
    user = make_user("reviewer", username="guzhang_2fa", password=PASSWORD)
    client = sign_in("guzhang_2fa")
    device, codes = enrol(client, user)
    assert device.confirmed
    assert len(codes) == 10
    assert client.get("/enterprises/enterprises/").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.TWO_FACTOR, object_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_the_next_sign_in_asks_for_a_code_and_refuses_a_wrong_one():
    user = make_user("reviewer", username="guzhang_2fa", password=PASSWORD)
    device, _ = enrol(sign_in("guzhang_2fa"), user)
    client = sign_in("guzhang_2fa")
    assert client.get("/").status_code == 302
    wrong = client.post(reverse("accounts:two_factor_verify"), {"token": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED, detail="二次验证码错误").exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp slows guesses down; the test waits no time
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post(reverse("accounts:two_factor_verify"), {"token": code_for(device, offset=1), "next": "/"})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_backup_code_works_once():
    user = make_user("reviewer", username="guzhang_2fa", password=PASSWORD)
    _, codes = enrol(sign_in("guzhang_2fa"), user)
    first = sign_in("guzhang_2fa")
    assert first.post(reverse("accounts:two_factor_verify"), {"token": codes[0]}).status_code == 302
    assert first.get("/").status_code == 200
    again = sign_in("guzhang_2fa")
    assert again.post(reverse("accounts:two_factor_verify"), {"token": codes[0]}).status_code == 200
    assert again.get("/").status_code == 302


@pytest.mark.django_db
def test_staff_may_sign_in_with_a_password_only_but_may_opt_in():
    user = make_user("staff", username="keyuan_2fa", password=PASSWORD)
    client = sign_in("keyuan_2fa")
    assert client.get("/enterprises/enterprises/").status_code == 200
    enrol(client, user)
    assert sign_in("keyuan_2fa").get("/").status_code == 302  # opted in: asked from now on


@pytest.mark.django_db
def test_the_admin_site_asks_every_user_for_a_second_factor():
    user = make_user("staff", username="keyuan_2fa", password=PASSWORD)
    user.is_staff = True
    user.save()
    client = sign_in("keyuan_2fa")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.django_db
def test_demo_accounts_are_exempt_only_with_the_dev_setting(settings):
    from bureau.registry import registry

    username = sorted(registry["demo_accounts"])[0]
    make_user("reviewer", username=username, password=PASSWORD)
    settings.PASSWORD_POLICY_DEMO_EXEMPT = True
    client = sign_in(username)
    assert client.get("/enterprises/enterprises/").status_code == 200
    assert client.get("/admin/").status_code in (200, 302)  # the admin site's own login, not 2FA
    assert "two-factor" not in client.get("/admin/").get("Location", "")
    settings.PASSWORD_POLICY_DEMO_EXEMPT = False
    assert sign_in(username).get("/enterprises/enterprises/").status_code == 302


def test_deploy_check_refuses_two_factor_off_for_admins(settings):
    from bureau.accounts.checks import two_factor_on_in_production

    settings.TWO_FACTOR_REQUIRED_ROLES = ["reviewer"]
    assert [e.id for e in two_factor_on_in_production(None)] == ["bureau.E002"]
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "reviewer"]
    assert two_factor_on_in_production(None) == []
