from .selectors import unread_count


def notifications(request):
    """The bell's unread count in the header: one indexed count query per page, lazily (a page
    that does not render the header pays nothing)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = {}

    def count():
        if "n" not in cached:
            cached["n"] = unread_count(user=user)
        return cached["n"]

    return {"unread_notifications": _Lazy(count)}


class _Lazy:
    """Evaluated on first use in the template, once."""

    def __init__(self, func):
        self._func = func

    def __int__(self):
        return self._func()

    def __str__(self):
        n = self._func()
        return "99+" if n > 99 else str(n)

    def __bool__(self):
        return self._func() > 0
