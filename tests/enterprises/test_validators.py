"""统一社会信用代码 (GB 32100-2015) against real-format codes: every kind of mistake is named."""

import pytest
from django.core.exceptions import ValidationError

from enterprises.validators import (
    credit_code_check_char,
    make_credit_code,
    normalise_credit_code,
    validate_credit_code,
)

# Published codes of real enterprises (check characters verified by hand with the standard's weights).
VALID = [
    "91350100M000100Y43",  # letters in the organisation code part, digit check character
    "91440300708461136T",  # letter check character
    "914403001922038216",
    "91110108551385082Q",
]


@pytest.mark.parametrize("code", VALID)
def test_published_codes_pass(code):
    validate_credit_code(code)


def test_check_character_follows_the_standard_weights():
    # GB 32100-2015: check value = 31 − (Σ value×weight mod 31), written with the same 31 characters.
    first17 = "91350100M000100Y4"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(charset.index(c) * w for c, w in zip(first17, weights, strict=True))
    assert credit_code_check_char(first17) == charset[(31 - total % 31) % 31] == "3"


def test_pasted_code_with_blanks_and_lower_case_is_accepted():
    pasted = " 9135 0100m000100y43\u3000"
    assert normalise_credit_code(pasted) == "91350100M000100Y43"
    validate_credit_code(pasted)


def _error(code: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    return info.value


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_wrong_length_says_eighteen(code):
    err = _error(code)
    assert err.code == "length"
    assert "应为18位" in err.messages[0]
    assert f"当前为{len(code)}位" in err.messages[0]


@pytest.mark.parametrize(
    ("code", "bad"), [("91350100M000100I43", "I"), ("91350100MO00100Y43", "O"), ("9135010-M000100Y43", "-")]
)
def test_forbidden_characters_are_named(code, bad):
    err = _error(code)
    assert err.code == "charset"
    assert bad in err.messages[0]


def test_region_code_must_be_six_digits():
    err = _error(make_credit_code("91A50100M000100Y4"))
    assert err.code == "region"
    assert "行政区划码" in err.messages[0]


def test_wrong_check_character_names_the_expected_one():
    err = _error("911100001000026733")
    assert err.code == "check"
    assert "校验位应为 T" in err.messages[0]
    assert "当前为 3" in err.messages[0]
    validate_credit_code("91110000100002673T")


def test_every_single_character_typo_is_caught():
    """Changing any one of the first 17 characters changes the check character."""
    code = VALID[0]
    for i in range(17):
        for replacement in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if replacement == code[i]:
                continue
            typo = code[:i] + replacement + code[i + 1 :]
            if i in range(2, 8) and not replacement.isdigit():
                continue  # caught as a region error instead
            with pytest.raises(ValidationError):
                validate_credit_code(typo)


def test_make_credit_code_yields_valid_codes():
    validate_credit_code(make_credit_code("91370323MA3C4X5Y6"))
