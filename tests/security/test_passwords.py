"""Issue 22, finding 5: password rules, history, expiry, forced change, idle timeout."""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bureau.accounts.models import PasswordHistory
from bureau.accounts.policy import LAST_SEEN
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
GOOD = "Kejiju#2026"


@pytest.mark.parametrize("password", ["qwxzpolk", "kejiju2020", "demo12345", "Ab1!x"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_three_of_four_character_classes_pass():
    validate_password("Kejiju2026")  # upper, lower, digits
    validate_password("kejiju#2026")  # lower, symbol, digits


def test_none_of_the_last_five_passwords_is_reused():
    user = make_user("staff", username="reuser")
    passwords = [f"Kejiju#20{n}" for n in range(6)]
    for password in passwords[:5]:
        user.set_password(password)
        user.save()
    with pytest.raises(ValidationError, match="最近 5 次"):
        validate_password(passwords[0], user)
    user.set_password(passwords[5])
    user.save()
    validate_password(passwords[0], user)  # six changes ago: allowed again


def login(username, password):
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": username, "password": password}).status_code == 302
    return client


def test_an_account_an_admin_creates_must_change_its_password_at_first_login(admin_client_):
    response = admin_client_.post(
        "/admin/auth/user/add/",
        {"username": "xinren", "password1": GOOD, "password2": GOOD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client = login("xinren", GOOD)
    response = client.get(reverse("home"))
    assert response.url == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "初始密码" in page
    new = "Xinren#2026b"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": GOOD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert not PasswordHistory.objects.filter(user__username="xinren").first().temporary


def test_an_expired_password_leads_to_the_change_page():
    user = make_user("staff", username="laoyonghu", password=GOOD)
    old = timezone.now() - datetime.timedelta(days=91)
    PasswordHistory.objects.create(user=user, password=user.password, temporary=False)
    PasswordHistory.objects.filter(user=user).update(created_at=old)
    client = login("laoyonghu", GOOD)
    assert client.get(reverse("home")).url == reverse("accounts:password_change")
    assert "超过 90 天" in client.get(reverse("accounts:password_change")).content.decode()


def test_a_recent_own_password_is_not_forced_to_change():
    user = make_user("staff", username="zhengchang", password=GOOD)
    PasswordHistory.objects.create(user=user, password=user.password, temporary=False)
    assert login("zhengchang", GOOD).get(reverse("home")).status_code == 200


def test_demo_accounts_are_exempt_only_with_the_dev_setting(settings):
    user = get_user_model()(username="keyuan")
    user.set_password("demo12345")  # as create_demo_users does: a password set for the user
    user.save()
    make_user("staff", username="other")  # (groups exist)
    settings.PASSWORD_POLICY_DEMO_EXEMPT = False
    assert login("keyuan", "demo12345").get(reverse("home")).status_code == 302
    settings.PASSWORD_POLICY_DEMO_EXEMPT = True
    assert login("keyuan", "demo12345").get(reverse("accounts:password_change")).status_code == 200
    assert "初始密码" not in login("keyuan", "demo12345").get(reverse("accounts:password_change")).content.decode()
    assert user.password_history.get().temporary


def test_the_deploy_check_refuses_the_demo_exemption(settings):
    settings.PASSWORD_POLICY_DEMO_EXEMPT = True
    errors = [e.id for e in run_checks(include_deployment_checks=True)]
    assert "bureau.E001" in errors
    settings.PASSWORD_POLICY_DEMO_EXEMPT = False
    assert "bureau.E001" not in [e.id for e in run_checks(include_deployment_checks=True)]


def test_an_idle_session_is_signed_out_with_a_message(staff, settings):
    client = login(staff.username, "pass-12345")
    page = client.get(reverse("home")).content.decode()
    assert 'id="idle-warning"' in page and "js/idle.js" in page
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    page = client.get(response.url).content.decode()
    assert "30 分钟未操作" in page
    assert "_auth_user_id" not in client.session


def test_keepalive_counts_as_activity(staff):
    client = login(staff.username, "pass-12345")
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 25 * 60
    session.save()
    assert client.post(reverse("accounts:keepalive")).status_code == 204
    assert client.session[LAST_SEEN] >= int(time.time()) - 5
