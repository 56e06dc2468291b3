"""The ledgers of what staff typed one by one (issue 15): 资金拨付, 企业需求, 奖励兑现 — the same engine:
template, preview with the services' rules, rights, and the list export importing back unchanged."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.validation import ERROR, NEW, UNCHANGED
from bureau.ledgers.write import ledger_import
from enterprises.models import Need
from programs.models import Disbursement, Reward
from tests.core.factories import PolicyFactory
from tests.enterprises.factories import EnterpriseFactory
from tests.ledgers.xlsx import code, write_xlsx
from tests.programs.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

DISBURSEMENT = ["项目名称*", "承担单位信用代码*", "项目年度*", "拨付金额(万元)*", "拨付日期*", "备注"]
NEED = [
    "统一社会信用代码*",
    "需求名称*",
    "需求类型*",
    "需求描述",
    "征集日期*",
    "状态*",
    "对接结果",
    "解决日期",
    "对接负责人",
]
REWARD = ["统一社会信用代码*", "兑现类型*", "兑现金额(万元)*", "兑现日期*", "依据政策", "备注"]


@pytest.fixture
def run(tmp_path, staff):
    counter = iter(range(100))

    def do(ledger, headers, rows, *, commit=True, user=staff):
        path = write_xlsx(tmp_path / f"n{next(counter)}.xlsx", headers, rows)
        return ledger_import(ledger=get_ledger(ledger), path=str(path), user=user, commit=commit)

    return do


@pytest.fixture
def project():
    enterprise = EnterpriseFactory(credit_code=code(1))
    return ApplicationFactory(
        title="智能装配生产线研发",
        enterprise=enterprise,
        year=2020,
        status="approved",
        approved_amount=Decimal("40"),
        approved_on=datetime.date(2020, 10, 12),
    )


@pytest.mark.parametrize(("name", "headers"), [("资金拨付", DISBURSEMENT), ("企业需求", NEED), ("奖励兑现", REWARD)])
def test_the_template_has_the_chinese_headers_with_required_ones_marked(staff_client, name, headers):
    ledger = get_ledger(name)
    wb = load_workbook(io.BytesIO(staff_client.get(reverse("ledger_template", args=[ledger.slug])).content))
    assert headers in [[c.value for c in row] for row in wb[name].iter_rows(max_row=5)]


def test_disbursements_find_their_project_and_keep_within_its_approved_amount(run, project):
    rows = [
        ["智能装配生产线研发", code(1), 2020, "25万元", "2020-12-01", "首期"],
        ["智能装配生产线研发", code(1), 2020, 20, "2021-03-01", "二期"],
        ["不存在的项目", code(1), 2020, 5, "2021-03-01", None],
    ]
    result = run("资金拨付", DISBURSEMENT, rows)
    assert [r.status for r in result.rows] == [NEW, ERROR, ERROR]
    assert result.messages() == [
        "第3行 拨付金额(万元)：拨付后累计45万元，超过获批资金40万元（已拨付25万元，最多还可拨付15万元）。",
        f"第4行 项目名称：未找到2020年{project.enterprise}的项目「不存在的项目」，请先在项目申报中导入或新建该项目",
    ]
    assert not Disbursement.objects.exists()
    rows[1][3] = 15
    assert run("资金拨付", DISBURSEMENT, rows[:2]).committed
    assert sorted(Disbursement.objects.values_list("amount", flat=True)) == [Decimal("15"), Decimal("25")]
    # Imported again: the two payments are the ones already recorded, nothing over the limit.
    assert [r.status for r in run("资金拨付", DISBURSEMENT, rows[:2]).rows] == [UNCHANGED, UNCHANGED]


def test_no_payment_on_a_project_that_is_not_approved(run, project):
    project.status = "draft"
    project.save()
    result = run("资金拨付", DISBURSEMENT, [["智能装配生产线研发", code(1), 2020, 5, "2020-12-01", None]])
    assert result.messages() == [
        "第2行 项目名称：项目「智能装配生产线研发」当前状态为「草稿」，只有已立项、实施中或已验收的项目才能拨付资金。"
    ]


def test_needs_and_rewards_import_and_their_list_exports_import_back_unchanged(run, staff_client, tmp_path, project):
    policy = PolicyFactory(title="关于加快推进科技创新的若干政策意见")
    needs = [
        [code(1), "耐候性检测", "技术需求", None, "2020-03-15", "已解决", "签订技术服务合同", "2020-08-30"],
        [code(1), "引进高分子材料博士", "人才需求", "急需", "2020-04-01", "待对接", None, None],
    ]
    rewards = [[code(1), "研发补贴", "12.5", "2020-12-20", policy.title, None]]
    assert run("企业需求", NEED, needs).committed
    assert run("奖励兑现", REWARD, rewards).committed
    assert Need.objects.get(title="耐候性检测").state == "resolved"
    assert Reward.objects.get().policy == policy
    for name, url in (("企业需求", "enterprises:need_list"), ("奖励兑现", "programs:reward_list")):
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(b"".join(staff_client.get(reverse(url) + "?export=xlsx").streaming_content))
        again = ledger_import(ledger=get_ledger(name), path=str(path), user=None, commit=True)
        assert again.rows and all(r.status == UNCHANGED for r in again.rows), again.messages()


def test_only_those_who_may_add_the_record_import_its_ledger(leader, staff):
    for name in ("资金拨付", "企业需求", "奖励兑现"):
        assert get_ledger(name).user_can_import(staff)
        assert not get_ledger(name).user_can_import(leader)
