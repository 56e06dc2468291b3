"""Cell parsing: the forms clerks type dates and amounts in, and what is refused."""

import datetime
from decimal import Decimal

import pytest

from bureau.ledgers.columns import CellError, Integer, Money, Year, normalise_header, parse_date, parse_decimal


@pytest.mark.parametrize(
    "cell",
    [
        "2019年5月1日",
        "2019/5/1",
        "2019.5.1",
        "2019-05-01",
        "2019 年 5 月 1 日",
        "２０１９年５月１日",  # full-width digits from an IME
        "20190501",
        datetime.datetime(2019, 5, 1),  # noqa: DTZ001 - Excel date cells are naive
        datetime.date(2019, 5, 1),
        43586,  # the Excel serial of 2019-05-01 in a cell not formatted as a date
    ],
)
def test_dates_in_common_chinese_forms_are_read(cell):
    assert parse_date(cell) == datetime.date(2019, 5, 1)


@pytest.mark.parametrize("cell", ["五月一日", "2019年13月1日", "2019/2/30", "下周", "19/5/1"])
def test_garbage_dates_are_refused_with_the_value(cell):
    with pytest.raises(CellError) as info:
        parse_date(cell)
    assert str(cell) in info.value.message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("12.5万元", Decimal("12.5")),
        ("12.5万", Decimal("12.5")),
        ("1,234,567万元", Decimal("1234567")),
        (356.8, Decimal("356.8")),  # a float cell goes through str, never float arithmetic
        (0.1 + 0.2, Decimal("0.3")),  # Excel's 15 significant digits, not the double's noise
        (12580, Decimal("12580")),
        ("  88 ", Decimal("88")),
        ("１２.５", Decimal("12.5")),
    ],
)
def test_amounts_with_separators_and_unit_are_exact(cell, expected):
    assert Money("金额(万元)", "x").parse(cell) == expected


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("1,23", "千分位"),
        ("12.5元", "应为数字"),
        ("约100", "应为数字"),
        ("NaN", "应为数字"),
        (datetime.date(2019, 1, 1), "应为数字"),
    ],
)
def test_amounts_that_are_not_numbers_are_refused(cell, problem):
    with pytest.raises(CellError) as info:
        Money("金额(万元)", "x").parse(cell)
    assert problem in info.value.message


def test_decimal_text_without_units_refuses_a_unit():
    with pytest.raises(CellError):
        parse_decimal("12万元", ())


def test_counts_must_be_whole_numbers():
    column = Integer("专利申请量", "x", units=("件",))
    assert column.parse("12件") == 12
    assert column.parse(12.0) == 12
    with pytest.raises(CellError) as info:
        column.parse(12.5)
    assert info.value.message == "应为整数，当前为「12.5」"


def test_years_accept_the_year_suffix_and_refuse_dates():
    column = Year("年度", "year")
    assert column.parse("2019年") == 2019
    assert column.parse(2019.0) == 2019
    with pytest.raises(CellError) as info:
        column.parse(datetime.datetime(2019, 1, 1))  # noqa: DTZ001
    assert "应为年份" in info.value.message
    with pytest.raises(CellError) as info:
        column.parse(1900)
    assert "1949至2100" in info.value.message


def test_headers_match_despite_full_width_brackets_stars_and_blanks():
    assert normalise_header(" 研发经费支出（万元）* ") == normalise_header("研发经费支出(万元)")
