"""Two-factor authentication (issue 22, 等保 level 3): TOTP with backup codes, on django-otp.

At sign-in the user's state is worked out once and kept in the session (no query per request):

- ``verify``: the user has a confirmed authenticator; every page but 二次验证 waits for a code;
- ``setup``: their role must use one (``TWO_FACTOR_REQUIRED_ROLES``, 管理员 and 股室负责人 by
  default) and they have none yet; every page but 绑定验证器 waits for the enrolment;
- ``""``: nothing is asked (a role for which it is optional, without a device).

The admin site asks for a verified session whatever the role. The demo county's accounts are
exempt only with ``PASSWORD_POLICY_DEMO_EXEMPT`` (development; ``check --deploy`` refuses it).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

STATE = "two_factor"
BACKUP_NAME = "备用验证码"
TOTP_NAME = "手机验证器"
BACKUP_CODES = 10


def required(user) -> bool:
    from .policy import exempt
    from .roles import user_roles

    if exempt(user):
        return False
    return bool(user_roles(user) & set(settings.TWO_FACTOR_REQUIRED_ROLES))


def two_factor_state(user) -> str:
    if user_has_device(user, confirmed=True):
        return "verify"
    return "setup" if required(user) else ""


def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[STATE] = two_factor_state(user)


def totp_device_unconfirmed(user) -> TOTPDevice:
    """The authenticator being enrolled: the same secret until confirmed, so a reload keeps the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def two_factor_enrol(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm ``device`` with a code from the app; return the new backup codes (shown once), or None."""
    from bureau.audit.models import AuditKind
    from bureau.audit.services import audit_log

    if not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    codes = backup_codes_renew(user=user)
    audit_log(AuditKind.TWO_FACTOR, actor=user, target=user, detail="绑定手机验证器，生成备用验证码")
    return codes


def backup_codes_renew(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def two_factor_verify(*, user, token: str):
    """The confirmed device (authenticator or a backup code, used up) that accepts ``token``, or None."""
    token = token.strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


@transaction.atomic
def two_factor_disable(*, user, actor) -> None:
    from bureau.audit.models import AuditKind
    from bureau.audit.services import audit_log

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(AuditKind.TWO_FACTOR, actor=actor, target=user, detail="解除双因素认证")


def _allowed(path: str, state: str) -> bool:
    own = reverse("accounts:two_factor_verify") if state == "verify" else reverse("accounts:two_factor_setup")
    allowed = [own, reverse("accounts:logout"), reverse("accounts:login"), reverse("healthz"), settings.STATIC_URL]
    return any(path.startswith(p) for p in allowed)


class TwoFactorMiddleware:
    """After OTPMiddleware and before the password policy: a session that owes a second factor
    reaches only the page that takes it (and 退出登录)."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _admin_site_asks(request, user) -> bool:
        """The admin site asks every user, the demo accounts aside (dev only, as everywhere)."""
        from .policy import exempt

        if not settings.TWO_FACTOR_ADMIN_SITE or not request.path_info.startswith(reverse("admin:index")):
            return False
        return not exempt(user)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        state = request.session.get(STATE)
        if state is None:  # a session from before 2FA
            state = request.session[STATE] = two_factor_state(user)
        if not state and self._admin_site_asks(request, user):
            state = "verify" if user_has_device(user, confirmed=True) else "setup"
        if state and not _allowed(request.path_info, state):
            target = "accounts:two_factor_verify" if state == "verify" else "accounts:two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
