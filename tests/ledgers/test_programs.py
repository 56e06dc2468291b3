"""项目申报: programs matched by name and level, new ones planned (新增计划) and created on import."""

import datetime
from decimal import Decimal

import pytest

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.validation import CHANGED, NEW, UNCHANGED
from bureau.ledgers.write import ledger_import
from programs.models import Application, Program
from tests.enterprises.factories import EnterpriseFactory
from tests.ledgers.xlsx import code, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "项目名称*",
    "承担单位信用代码*",
    "计划名称*",
    "计划级别*",
    "年度*",
    "申请资金(万元)",
    "状态*",
    "获批资金(万元)",
    "立项日期",
]


@pytest.fixture
def run(tmp_path, admin_user):
    """Imports as 管理员 (who may extend the catalogue and load history) unless told the user."""
    counter = iter(range(100))

    def do(rows, commit=True, user=admin_user):
        path = write_xlsx(tmp_path / f"a{next(counter)}.xlsx", HEADERS, rows)
        return ledger_import(ledger=get_ledger("项目申报"), path=str(path), user=user, commit=commit)

    return do


def test_known_program_is_matched_and_unknown_one_is_created_as_new_programme(run):
    EnterpriseFactory(credit_code=code(1))
    known = Program.objects.create(name="省重点研发计划(科技创新类)", level="provincial")
    rows = [
        [
            "聚乙烯改性材料研究",
            code(1),
            "省重点研发计划（科技创新类）",
            "省级",
            2019,
            "100",
            "已立项",
            "50万元",
            "2019年9月20日",
        ],
        ["中药提取废液利用", code(1), "市“双十”计划", "市级", 2019, 80, "已推荐上报", None, None],
        ["智能检测算法", code(1), "市“双十”计划", "市级", 2019, 60, "草稿", None, None],
    ]
    preview = run(rows, commit=False)
    assert preview.ok, preview.messages()
    assert [r.flags for r in preview.rows] == [
        ["历史数据导入：已立项"],
        ["新增计划：市“双十”计划（市级）", "历史数据导入：已推荐上报"],
        ["新增计划：市“双十”计划（市级）"],
    ]
    assert Program.objects.count() == 1  # the preview creates nothing

    result = run(rows)
    assert result.committed
    new_program = Program.objects.get(name="市“双十”计划")
    assert (new_program.level, new_program.category) == ("city", "research")
    first = Application.objects.get(title="聚乙烯改性材料研究")
    assert (first.program, first.status, first.approved_amount) == (known, "approved", Decimal("50"))
    assert first.approved_on == datetime.date(2019, 9, 20)
    assert Application.objects.filter(program=new_program).count() == 2

    again = run(rows)
    assert [r.status for r in again.rows] == [UNCHANGED] * 3
    assert [r.flags for r in again.rows] == [[], [], []]
    assert Program.objects.count() == 2


def test_unknown_lead_enterprise_and_level_are_row_errors(run):
    rows = [["项目甲", code(9), "某计划", "乡级", 2019, None, "草稿", None, None]]
    messages = run(rows).messages()
    assert (
        f"第2行 承担单位信用代码：未找到统一社会信用代码为 {code(9)} 的企业，请先在企业名录中导入或新建该企业"
        in messages
    )
    assert "第2行 计划级别：「乡级」不是可选值，可选：国家级、省级、市级、县级" in messages
    assert Program.objects.count() == 0


def test_an_existing_applications_status_is_not_changed_by_import(run):
    EnterpriseFactory(credit_code=code(1))
    rows = [["项目甲", code(1), "某计划", "县级", 2019, 10, "县局审核", None, None]]
    assert run(rows).committed
    rows[0][5] = 12
    assert [r.status for r in run(rows).rows] == [CHANGED]
    rows[0][6] = "已立项"
    result = run(rows)
    assert result.messages() == [
        "第2行 状态：已有申报的状态只能在系统中按流程办理（当前为县局审核），导入不能改为「已立项」"
    ]
    assert Application.objects.get().status == "county_review"


def test_applications_round_trip_through_the_list_export(run, staff_client, staff, tmp_path):
    EnterpriseFactory(credit_code=code(1))
    run([["项目甲", code(1), "某计划", "县级", 2019, "12.5", "已立项", 10, "2019-05-01"]])
    response = staff_client.get("/programs/applications/?export=xlsx")
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    result = ledger_import(ledger=get_ledger("项目申报"), path=str(path), user=staff, commit=True)
    assert [r.status for r in result.rows] == [UNCHANGED], result.messages()


def test_new_rows_are_new(run):
    EnterpriseFactory(credit_code=code(1))
    assert [r.status for r in run([["项目甲", code(1), "某计划", "县级", 2019, None, "草稿", None, None]]).rows] == [
        NEW
    ]
