"""Issue 22, finding 2: the client address comes from a trusted proxy only; no lockout by address alone."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from bureau.accounts.client_ip import client_ip
from tests.conftest import make_user

PROXY = "10.1.0.5"


@pytest.fixture(autouse=True)
def _proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.9.0.0/16"]


def ip_of(**meta):
    return client_ip(RequestFactory().get("/", **meta))


def test_forwarded_for_is_read_only_from_a_trusted_proxy():
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9") == "203.0.113.9"
    assert ip_of(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.9") == "198.51.100.1"


def test_a_forged_left_hand_entry_is_not_believed():
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the real address.
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9") == "203.0.113.9"
    # Through two of our proxies the nearest untrusted address is the client.
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 10.9.3.3") == "203.0.113.9"
    assert ip_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-ip") == PROXY


@pytest.mark.django_db
def test_five_bad_guesses_at_a_made_up_user_behind_the_proxy_do_not_lock_out_the_admin():
    make_user("admin", username="admin_real", password="pass-12345")
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(6):
        attacker.post("/accounts/login/", {"username": "no-such-user", "password": "guess"})
    attempt = AccessAttempt.objects.get(username="no-such-user")
    assert attempt.ip_address == "203.0.113.66"  # the login record shows the client, not nginx
    admin = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
    response = admin.post("/accounts/login/", {"username": "admin_real", "password": "pass-12345"})
    assert response.status_code == 302
    # Even from the attacker's own address a different user name is not locked.
    response = attacker.post("/accounts/login/", {"username": "admin_real", "password": "pass-12345"})
    assert response.status_code == 302
