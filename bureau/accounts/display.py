"""How a person is shown: on pages, in exports and in the change history, the same way.

A user is shown by the name a colleague knows (姓 then 名, as Chinese names are written), never by
the login name; a user whose name was never filled in is shown as such, so the gap can be fixed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

NO_NAME = "（未填写姓名）"


def user_display(user: AbstractBaseUser | None) -> str:
    """The user's full name; "" for no user."""
    if user is None:
        return ""
    name = f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()
    return name or NO_NAME


def object_display(value: Any) -> str:
    """A related object as text: a user by ``user_display``, anything else by ``str``."""
    if isinstance(value, AbstractBaseUser):
        return user_display(value)
    return str(value)
