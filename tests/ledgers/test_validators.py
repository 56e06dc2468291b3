"""The import's fast row validator gives what a plain ModelForm bound to each row gives (the
reference): the same status, the same errors under the same columns, the same changes, row by row —
on every file of the corpus and on generated files of 2,000 and 10,000 enterprises (the latter marked slow: the reference
validates a form per row with its queries) and 3,000 statistics rows
that mix new, changed, unchanged and faulty rows."""

from decimal import Decimal
from pathlib import Path

import pytest

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.validation import CHANGED, ERROR, NEW, UNCHANGED, validate
from bureau.ledgers.validators import FastRowValidator, ModelFormRowValidator
from enterprises.models import Enterprise, Industry, Town, YearlyStatistic
from enterprises.pinyin import name_initials
from tests.enterprises.factories import EnterpriseFactory
from tests.ledgers.xlsx import code, write_xlsx

FILES = Path(__file__).parent / "files"
TOWNS = ["南麻街道", "历山街道", "悦庄镇", "东里镇"]
INDUSTRIES = ["新材料", "医药化工", "装备制造"]


def outcome(result) -> dict:
    return {
        "file_errors": result.file_errors,
        "notices": result.notices,
        "rows": [(r.number, r.status, r.label, r.errors, r.changes, r.flags) for r in result.rows],
    }


def both(path, ledger_name, user) -> tuple[dict, dict]:
    ledger = get_ledger(ledger_name)
    reference = validate(str(path), ledger, user=user, row_validator=ModelFormRowValidator)
    fast = validate(str(path), ledger, user=user, row_validator=FastRowValidator)
    return outcome(reference), outcome(fast)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(p.name for p in FILES.iterdir()))
def test_the_fast_validator_agrees_with_a_model_form_per_row_on_the_corpus(name, staff, settings):
    settings.LEDGER_MAX_ROWS = 50
    EnterpriseFactory(credit_code="91370323MA3C8N2K4B", name="原名称有限公司", scale=Enterprise.Scale.BELOW)
    reference, fast = both(FILES / name, "企业名录", staff)
    assert fast == reference


def _lists():
    towns = [Town.objects.create(name=n) for n in TOWNS]
    industries = [Industry.objects.get_or_create(name=n)[0] for n in INDUSTRIES]
    return towns, industries


def enterprise_rows(n: int) -> list[list]:
    rows = []
    for i in range(n):
        row = [
            f"示例县第{i}号科技有限公司",
            code(i),
            TOWNS[i % len(TOWNS)],
            INDUSTRIES[i % len(INDUSTRIES)],
            "规上" if i % 3 else "规下",
            "张伟",
            f"0533-{3200000 + i}",
        ]
        if i % 97 == 1:
            row[1] = code(i)[:-1] + ("0" if code(i)[-1] != "0" else "1")  # wrong check digit
        elif i % 89 == 2:
            row[2] = "白扬镇"  # not in the list
        elif i % 83 == 3:
            row[0] = "长" * 201  # longer than the field
        elif i % 79 == 4:
            row[4] = "中型"  # not a choice
        elif i % 73 == 5:
            row[1] = code(i - 1)  # the row above again
        elif i % 71 == 6:
            row[0] = None  # required
        elif i % 67 == 7:
            row[5] = "张" * 51  # contact longer than the field
        elif i % 61 == 8:
            row[6] = "0" * 31
        rows.append(row)
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2_000, pytest.param(10_000, marks=pytest.mark.slow)])
def test_the_fast_validator_agrees_with_a_model_form_per_row_on_generated_enterprises(tmp_path, staff, n):
    towns, industries = _lists()
    # Every tenth enterprise exists: half as the file has it, half with another scale and contact.
    existing = []
    for i in range(0, n, 10):
        name = f"示例县第{i}号科技有限公司"
        same = i % 20 == 0
        existing.append(
            Enterprise(
                name=name,
                name_initials=name_initials(name),
                credit_code=code(i),
                town=towns[i % len(towns)],
                industry=industries[i % len(industries)],
                scale=("above" if i % 3 else "below") if same else "",
                contact="张伟" if same else "李娜",
                phone=f"0533-{3200000 + i}",
            )
        )
    Enterprise.objects.bulk_create(existing)
    headers = ["企业名称*", "统一社会信用代码*", "所属乡镇", "行业", "企业规模", "联系人", "联系电话"]
    path = write_xlsx(tmp_path / "enterprises.xlsx", headers, enterprise_rows(n))
    reference, fast = both(path, "企业名录", staff)
    statuses = {row[1] for row in reference["rows"]}
    assert statuses == {NEW, CHANGED, UNCHANGED, ERROR}
    assert len(reference["rows"]) == n
    assert fast == reference


STAT_VALUES = [1.5, "1.50000", "1,234.5万元", -1, "1.23456", "123456789012.5", 0, None, 12580]
COUNT_VALUES = [12, "3件", -1, None, 0, 2.5]


@pytest.mark.django_db
def test_the_fast_validator_agrees_with_a_model_form_per_row_on_3000_statistics(tmp_path, staff):
    enterprises = Enterprise.objects.bulk_create(
        [Enterprise(name=f"企业{i}", credit_code=code(i)) for i in range(1_500)]
    )
    # 500 rows exist: the even ones as the file has them, the odd ones with other figures.
    YearlyStatistic.objects.bulk_create(
        [
            YearlyStatistic(enterprise=e, year=2019, rd_expenditure=Decimal("1.5"), patents_applied=3 if i % 2 else 12)
            for i, e in enumerate(enterprises[:500])
        ]
    )
    rows = []
    for i in range(3_000):
        year = 2019 if i < 1_500 else 2020
        if i < 500 and i % 2 == 0:
            rows.append([code(i), 2019, "1.5万元", None, None, None, "12件", None, None, None])
            continue
        rows.append(
            [
                code(i % 1_500) if i % 101 else code(9_999),  # an enterprise not in the list
                year if i % 103 else "二〇一九",
                STAT_VALUES[i % len(STAT_VALUES)],
                STAT_VALUES[(i // 3) % len(STAT_VALUES)],
                None,
                None,
                COUNT_VALUES[i % len(COUNT_VALUES)],
                None,
                None,
                None,
            ]
        )
    headers = [
        "统一社会信用代码*",
        "年度*",
        "研发经费支出(万元)",
        "营业收入(万元)",
        "工业总产值(万元)",
        "高新技术产业产值(万元)",
        "专利申请量",
        "专利授权量",
        "发明专利授权量",
        "有效发明专利数",
    ]
    path = write_xlsx(tmp_path / "statistics.xlsx", headers, rows)
    reference, fast = both(path, "企业年度统计", staff)
    assert {row[1] for row in reference["rows"]} == {NEW, CHANGED, UNCHANGED, ERROR}
    assert fast == reference
