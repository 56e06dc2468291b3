"""A reviewer binds an authenticator and signs in with a TOTP computed from the test's own secret."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_user

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "reviewer"]
    settings.PASSWORD_POLICY_DEMO_EXEMPT = False


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _password(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")


def test_reviewer_binds_an_authenticator_then_signs_in_with_a_code(page, live_server, shot):
    user = make_user("reviewer", username="b_guzhang_2fa", password=PASSWORD)
    _password(page, live_server, user.username)
    page.wait_for_selector("#totp-qr svg")  # sent to 绑定验证器 before anything else
    shot(page, "two_factor_setup")
    secret = page.inner_text("#totp-secret").replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret  # the same key the QR code carries, for manual entry
    page.fill("input[name=token]", _code(device))
    page.click("#two-factor-form button[type=submit]")
    page.wait_for_selector("#backup-codes li")
    assert page.locator("#backup-codes li").count() == 10
    shot(page, "two_factor_backup_codes")

    page.context.clear_cookies()
    _password(page, live_server, user.username)
    page.wait_for_selector("input[name=token]")
    assert "二次验证" in page.content()
    shot(page, "two_factor_verify")
    page.fill("input[name=token]", _code(device, drift=1))  # the next step: not the code used to bind
    page.click("#two-factor-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "首页" in page.content()
