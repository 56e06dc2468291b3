"""Password rules of 等保 level 3 (issue 22): character classes and no reuse of recent passwords.

Length ≥ 8 is Django's MinimumLengthValidator (settings.AUTH_PASSWORD_VALIDATORS).
"""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CLASSES = (
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("数字", lambda c: c.isdigit()),
    ("符号", lambda c: not c.isalnum()),
)


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(any(test(c) for c in password) for _, test in CLASSES)
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        names = "、".join(name for name, _ in CLASSES)
        return f"密码须包含{names}中的至少 {self.min_classes} 类。"


class PasswordHistoryValidator:
    """Not one of the user's last ``count`` passwords; records each new password's hash."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        recent = user.password_history.values_list("password", flat=True)[: self.count]
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or not user.pk:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(
            user=user, password=user.password, temporary=not getattr(user, "password_set_by_self", False)
        )

    def get_help_text(self):
        return f"不能与最近 {self.count} 次使用过的密码相同。"
