from django.conf import settings


def session_policy(request):
    """The idle timeout the page warns about (static/js/idle.js), for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        # The server may have seen the last activity up to SESSION_IDLE_TOUCH_SECONDS early: count from there.
        "idle_timeout_seconds": max(
            settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - settings.SESSION_IDLE_TOUCH_SECONDS, 60
        ),
        "idle_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
    }
