"""统一社会信用代码 (GB 32100-2015): 18 characters, check character computed modulo 31."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# The 31 characters a code may contain: digits and capitals without I, O, Z, S, V.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {c: i for i, c in enumerate(CHARSET)}


def credit_code_check_char(first17: str) -> str:
    """The 18th character for the first 17 (which must already be in the charset)."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    """Upper-case and strip blanks (full-width spaces too): what clerks paste from documents."""
    return "".join(str(value).split()).replace("\u3000", "").upper()


def validate_credit_code(value: str) -> None:
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为18位，当前为%(n)d位。" % {"n": len(code)}, code="length")
    bad = sorted({c for c in code if c not in VALUES})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（只能是数字和除 I、O、Z、S、V 以外的大写字母）。"
            % {"chars": "、".join(bad)},
            code="charset",
        )
    if not code[2:8].isdigit():
        raise ValidationError("统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）。", code="region")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            "统一社会信用代码校验位应为 %(expected)s，当前为 %(actual)s，请核对。"
            % {"expected": expected, "actual": code[17]},
            code="check",
        )


def make_credit_code(first17: str) -> str:
    """A valid code from 17 characters (for factories and the demo county)."""
    return first17 + credit_code_check_char(first17)
