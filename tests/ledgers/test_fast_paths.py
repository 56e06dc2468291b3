"""The import's shortcuts change no outcome: pinyin initials as pypinyin gives them for the whole
name, amounts checked by the record form's rules whatever rows came before, repeated errors on every
row, the garbage collector running again after an import."""

import gc
from decimal import Decimal

import pytest
from faker import Faker
from pypinyin import Style, lazy_pinyin

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.validators import decimal_cleaner
from bureau.ledgers.write import ledger_import
from enterprises.forms import YearlyStatisticForm
from enterprises.models import Enterprise, YearlyStatistic
from enterprises.pinyin import name_initials
from tests.enterprises.factories import EnterpriseFactory
from tests.ledgers.xlsx import code as credit_code
from tests.ledgers.xlsx import write_xlsx

STAT_HEADERS = ["统一社会信用代码*", "年度*", "研发经费支出(万元)", "营业收入(万元)", "工业总产值(万元)", "专利申请量"]

NAMES = [
    "重庆长安汽车股份有限公司",  # heteronyms read as phrases: 重庆 chongqing, 长安 chang'an
    "中国银行沂源支行",  # 银行 hang, 支行 hang
    "长春行业协会",
    "示例县鲁中新材料科技有限公司",
    "山东ABC药业集团股份有限公司",
    "沂源县第3号科技有限公司",
    "１２３ＡＢＣ全角科技",  # full-width letters and digits
    "鲁中（淄博）重工·机械有限公司",
    "abc-123 Co., Ltd.",
    "",
    "   ",
    "乐山乐水音乐文化传播有限公司",
    "曾经的朝阳重庆单县",
]


def reference_initials(name):
    """What name_initials gave before: pypinyin over the whole name at once."""
    parts = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(parts).lower() if ch.isascii() and ch.isalnum())[:200]


def test_name_initials_are_what_pypinyin_gives_for_the_whole_name():
    fake = Faker("zh_CN")
    fake.seed_instance(20261124)
    names = NAMES + [fake.company() for _ in range(300)] + [fake.name() + "科技有限公司" for _ in range(100)]
    for name in names + names:  # the second time from the remembered segments
        assert name_initials(name) == reference_initials(name), name
    assert name_initials("重庆长安汽车股份有限公司") == "cqcaqcgfyxgs"
    assert name_initials("中国银行") == "zgyh"


@pytest.fixture
def run(tmp_path, staff):
    counter = iter(range(100))

    def do(headers, rows):
        path = write_xlsx(tmp_path / f"s{next(counter)}.xlsx", headers, rows)
        return ledger_import(ledger=get_ledger("企业年度统计"), path=str(path), user=staff, commit=True)

    return do


def form_message(field, value):
    """The record form's own message for a value (what a clerk typing it in the page would see)."""
    form = YearlyStatisticForm(data={"year": 2019, field: value})
    form.is_valid()
    return form.errors[field][0]


@pytest.mark.django_db
@pytest.mark.parametrize("first", [1.5, "1.50000"])
def test_too_many_decimal_places_is_an_error_whatever_rows_came_before(run, first):
    # Decimal("1.5") == Decimal("1.50000"): an amount must never pass because an equal one did.
    for i in range(1, 4):
        EnterpriseFactory(credit_code=credit_code(i))
    second = "1.50000" if first == 1.5 else 1.5
    rows = [[credit_code(1), 2019, first], [credit_code(2), 2019, second], [credit_code(3), 2019, 1.5]]
    result = run(STAT_HEADERS[:3], rows)
    bad_row = 2 if first == "1.50000" else 3
    assert result.messages() == [f"第{bad_row}行 研发经费支出(万元)：{form_message('rd_expenditure', '1.50000')}"]
    assert YearlyStatistic.objects.count() == 0


@pytest.mark.django_db
def test_amounts_are_checked_by_the_record_forms_rules_with_its_messages(run):
    for i in range(1, 4):
        EnterpriseFactory(credit_code=credit_code(i))
    rows = [
        [credit_code(1), 2019, "1.23456", None, None],
        [credit_code(2), 2019, None, "123456789012.5", None],
        [credit_code(3), 2019, None, None, -1],
    ]
    messages = run(STAT_HEADERS[:5], rows).messages()
    assert messages == [
        f"第2行 研发经费支出(万元)：{form_message('rd_expenditure', '1.23456')}",
        f"第3行 营业收入(万元)：{form_message('revenue', '123456789012.5')}",
        f"第4行 工业总产值(万元)：{form_message('industrial_output', '-1')}",
    ]


@pytest.mark.django_db
def test_the_same_bad_value_on_several_rows_is_an_error_on_each(run):
    for i in range(1, 5):
        EnterpriseFactory(credit_code=credit_code(i))
    rows = [[credit_code(i), 2019, None, None, None, -1] for i in range(1, 4)] + [[credit_code(4), 2019, 1, 1, 1, 3]]
    result = run(STAT_HEADERS, rows)
    message = form_message("patents_applied", "-1")
    assert result.messages() == [f"第{n}行 专利申请量：{message}" for n in (2, 3, 4)]
    assert [r.status for r in result.rows][-1] == "new"


@pytest.mark.django_db
def test_a_name_longer_than_the_field_is_refused_with_the_forms_message(tmp_path, staff):
    path = write_xlsx(tmp_path / "e.xlsx", ["企业名称*", "统一社会信用代码*"], [["长" * 201, credit_code(1)]])
    result = ledger_import(ledger=get_ledger("企业名录"), path=str(path), user=staff, commit=True)
    [message] = result.messages()
    assert message.startswith("第2行 企业名称：") and "200" in message
    assert Enterprise.objects.count() == 0


def test_the_import_form_cleans_decimals_like_djangos_decimal_field():
    djangos = YearlyStatistic._meta.get_field("revenue").formfield()
    quick = decimal_cleaner(djangos)

    def outcome(clean, value):
        try:
            return ("ok", clean(value))
        except Exception as exc:  # noqa: BLE001 - the error itself is the outcome compared
            return (type(exc).__name__, getattr(exc, "messages", str(exc)))

    values = [Decimal("1.5"), Decimal("0"), Decimal("-0.01"), Decimal("1.23456"), Decimal("12345678901")]
    values += [Decimal("1E+3"), Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), "12.5", 7, None, ""]
    for value in values:
        assert outcome(quick, value) == outcome(djangos.clean, value), value


@pytest.mark.django_db
@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_as_it_was_after_an_import(run, enabled):
    EnterpriseFactory(credit_code=credit_code(1))
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        assert run(STAT_HEADERS[:3], [[credit_code(1), 2019, 1]]).committed
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
