"""Password expiry, forced change and the idle timeout (issue 22, 等保 level 3).

The state is worked out once at sign-in and kept in the session, so ordinary requests cost no query.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

MUST_CHANGE = "pw_must_change"  # "temporary" / "expired" / "" (no change needed)
LAST_SEEN = "last_seen"

REASONS = {
    "temporary": "这是管理员为您设置的初始密码，请先修改密码再继续使用。",
    "expired": "您的密码已超过 %(days)d 天未修改，请修改密码后继续使用。",
}


def reason_text(reason: str) -> str:
    return REASONS[reason] % {"days": settings.PASSWORD_MAX_AGE_DAYS} if reason else ""


def exempt(user) -> bool:
    """The demo county's accounts in development (PASSWORD_POLICY_DEMO_EXEMPT; refused in production)."""
    if not settings.PASSWORD_POLICY_DEMO_EXEMPT:
        return False
    from bureau.registry import registry

    return user.username in registry["demo_accounts"]  # a login name, compared, never shown


def password_state(user) -> str:
    """Why the user must change their password now ("temporary", "expired"), or ""."""
    if exempt(user):
        return ""
    latest = user.password_history.only("temporary", "created_at").first()
    if latest is not None and latest.temporary:
        return "temporary"
    changed = latest.created_at if latest is not None else user.date_joined
    if timezone.now() - changed > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS):
        return "expired"
    return ""


def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[MUST_CHANGE] = password_state(user)
    request.session[LAST_SEEN] = int(time.time())


def touch(request) -> None:
    request.session[LAST_SEEN] = int(time.time())


def _exempt_path(path: str) -> bool:
    allowed = [
        reverse("accounts:password_change"),
        reverse("accounts:logout"),
        reverse("accounts:login"),
        reverse("accounts:keepalive"),
        reverse("healthz"),
        settings.STATIC_URL,
    ]
    return any(path.startswith(p) for p in allowed)


class SessionPolicyMiddleware:
    """After AuthenticationMiddleware: signs out an idle session, sends a user who must change their
    password to 修改密码 (and nowhere else)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN)
        idle_limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        if last_seen is not None and now - last_seen > idle_limit:
            logout(request)
            messages.info(
                request,
                "由于 %(m)d 分钟未操作，已自动退出，请重新登录。" % {"m": settings.SESSION_IDLE_TIMEOUT_MINUTES},
            )
            return redirect_to_login(request.get_full_path())
        if last_seen is None or now - last_seen >= settings.SESSION_IDLE_TOUCH_SECONDS:
            touch(request)
        if MUST_CHANGE not in request.session:  # a session from before this policy
            request.session[MUST_CHANGE] = password_state(user)
        reason = request.session[MUST_CHANGE]
        if reason and not _exempt_path(request.path_info):
            return redirect("accounts:password_change")
        return self.get_response(request)
