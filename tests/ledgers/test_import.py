"""Importing ledgers: row-level errors in Chinese, natural keys, all-or-nothing, no query per row."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from bureau.core.models import AnnualTarget, CountyYear
from bureau.indicators import NAMES
from bureau.ledgers.columns import LEDGER_NAMES, get_ledger
from bureau.ledgers.validation import CHANGED, ERROR, NEW, UNCHANGED
from bureau.ledgers.write import ledger_import
from bureau.registry import registry
from enterprises.models import Certification, Enterprise, YearlyStatistic
from tests.enterprises.factories import (
    EnterpriseFactory,
    IndustryFactory,
    TownFactory,
    YearlyStatisticFactory,
    high_tech_type,
)
from tests.ledgers.xlsx import code as credit_code
from tests.ledgers.xlsx import write_xlsx

pytestmark = pytest.mark.django_db

ENTERPRISE_HEADERS = ["企业名称*", "统一社会信用代码*", "所属乡镇", "行业", "企业规模", "联系人", "联系电话"]
STAT_HEADERS = [
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
CERT_HEADERS = ["统一社会信用代码*", "资质类型*", "年度*", "状态*", "证书编号", "认定日期", "有效期至"]


@pytest.fixture
def run(tmp_path, staff):
    counter = iter(range(1000))

    def do(ledger: str, headers, rows, *, commit=True):
        path = write_xlsx(tmp_path / f"f{next(counter)}.xlsx", headers, rows)
        return ledger_import(ledger=get_ledger(ledger), path=str(path), user=staff, commit=commit)

    return do


def test_every_ledger_of_the_domain_brief_is_declared_with_its_headers():
    declared = {lg.name: lg.headers() for lg in registry["ledgers"].values()}
    assert declared["企业名录"] == [h.rstrip("*") for h in ENTERPRISE_HEADERS]
    assert declared["企业年度统计"] == [h.rstrip("*") for h in STAT_HEADERS]
    assert declared["企业资质"] == [h.rstrip("*") for h in CERT_HEADERS]
    assert declared["县域基础数据"] == ["年度", "地区生产总值(亿元)", "常住人口(万人)", "规上工业总产值(万元)"]
    assert declared["年度目标"] == ["年度", "指标", "目标值"]
    # Every ledger of DOMAIN.md, and those of what staff typed one by one (issue 15), and the 专家库 (issue 19).
    assert set(declared) == {*LEDGER_NAMES, "资金拨付", "企业需求", "奖励兑现", "专家库"}


def test_ledgers_are_found_by_chinese_name_or_slug():
    assert get_ledger("企业名录") is get_ledger("enterprises")
    assert get_ledger("不存在") is None


def test_enterprise_directory_imports_then_reimport_changes_nothing(run, staff):
    TownFactory(name="南麻街道")
    IndustryFactory(name="新材料")
    rows = [
        ["示例县鲁中新材料科技有限公司", credit_code(1), "南麻街道", "新材料", "规上", "张伟", "0533-3212345"],
        ["示例县沂源药业有限公司", credit_code(2).lower(), None, None, "规下", None, 5333212346],
    ]
    first = run("企业名录", ENTERPRISE_HEADERS, rows)
    assert first.committed, first.messages()
    assert [r.status for r in first.rows] == [NEW, NEW]
    lu = Enterprise.objects.get(credit_code=credit_code(1))
    assert (lu.town.name, lu.industry.name, lu.scale, lu.phone) == ("南麻街道", "新材料", "above", "0533-3212345")
    assert lu.name_initials  # what the picker searches, as the service derives it
    yiyuan = Enterprise.objects.get(credit_code=credit_code(2))  # the code was upper-cased
    assert yiyuan.phone == "5333212346"
    assert lu.history.get().history_user == staff

    again = run("企业名录", ENTERPRISE_HEADERS, rows)
    assert again.committed
    assert [r.status for r in again.rows] == [UNCHANGED, UNCHANGED]
    assert Enterprise.objects.count() == 2
    assert lu.history.count() == 1


def test_a_changed_row_shows_old_and_new_and_updates_only_that_record(run):
    EnterpriseFactory(credit_code=credit_code(1), name="旧名称有限公司", contact="李强", scale="below")
    other = EnterpriseFactory(credit_code=credit_code(2))
    result = run(
        "企业名录", ["企业名称*", "统一社会信用代码*", "企业规模"], [["新名称有限公司", credit_code(1), "规上"]]
    )
    assert result.committed
    (row,) = result.rows
    assert row.status == CHANGED
    assert ("企业名称", "旧名称有限公司", "新名称有限公司") in row.changes
    assert ("企业规模", "规下", "规上") in row.changes
    updated = Enterprise.objects.get(credit_code=credit_code(1))
    assert (updated.name, updated.scale, updated.contact) == (
        "新名称有限公司",
        "above",
        "李强",
    )  # 联系人 not in the file
    assert updated.history.count() == 2
    assert Enterprise.objects.get(pk=other.pk).name == other.name


def test_row_errors_name_the_row_the_column_and_the_problem(run):
    good = credit_code(1)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [
        ["甲公司", wrong_check, None, None, "规上", None, None],  # row 2
        [None, credit_code(3), None, None, "中型", None, None],  # row 3
        ["丙公司", "9137032", "不存在镇", None, None, None, None],  # row 4
    ]
    result = run("企业名录", ENTERPRISE_HEADERS, rows)
    messages = result.messages()
    assert f"第2行 统一社会信用代码：校验位应为 {good[17]}，当前为 {wrong_check[17]}，请核对。" in messages
    assert "第3行 企业名称：必填，不能为空" in messages
    assert "第3行 企业规模：「中型」不是可选值，可选：规上、规下" in messages
    assert "第4行 统一社会信用代码：应为18位，当前为7位。" in messages
    assert any(m.startswith("第4行 所属乡镇：「不存在镇」不在乡镇/街道列表中") for m in messages)
    assert not result.committed
    assert Enterprise.objects.count() == 0


def test_one_bad_row_means_nothing_is_written(run):
    rows = [["甲公司", credit_code(1)], ["乙公司", credit_code(2)], ["丙公司", "not-a-code"]]
    result = run("企业名录", ["企业名称*", "统一社会信用代码*"], rows)
    assert [r.status for r in result.rows] == [NEW, NEW, ERROR]
    assert not result.committed
    assert Enterprise.objects.count() == 0


def test_a_key_twice_in_the_file_is_an_error_on_the_second_row(run):
    rows = [["甲公司", credit_code(1)], ["乙公司", credit_code(2)], ["甲公司（重复）", credit_code(1)]]
    result = run("企业名录", ["企业名称*", "统一社会信用代码*"], rows)
    assert result.messages() == ["第4行 统一社会信用代码：与第2行重复（统一社会信用代码相同），同一条记录只能出现一次"]


def test_statistics_need_the_enterprise_to_exist(run):
    EnterpriseFactory(credit_code=credit_code(1))
    rows = [[credit_code(1), 2019, 100], [credit_code(2), 2019, 200]]
    result = run("企业年度统计", STAT_HEADERS[:3], rows)
    assert result.messages() == [
        f"第3行 统一社会信用代码：未找到统一社会信用代码为 {credit_code(2)} 的企业，请先在企业名录中导入或新建该企业"
    ]
    assert YearlyStatistic.objects.count() == 0


def test_statistics_amounts_are_exact_and_matched_by_code_and_year(run):
    ent = EnterpriseFactory(credit_code=credit_code(1))
    rows = [
        [credit_code(1), "2019年", "1,234.5", "12.5万元", 356.8, None, "12件", 8, 2, 5],
        [credit_code(1), 2020, 1500, None, None, None, None, None, None, None],
    ]
    result = run("企业年度统计", STAT_HEADERS, rows)
    assert result.committed, result.messages()
    s2019 = YearlyStatistic.objects.get(enterprise=ent, year=2019)
    assert s2019.rd_expenditure == Decimal("1234.5")
    assert s2019.revenue == Decimal("12.5")
    assert s2019.industrial_output == Decimal("356.8")
    assert (s2019.patents_applied, s2019.patents_granted, s2019.valid_invention_patents) == (12, 8, 5)
    rows[1][2] = "1,600"
    again = run("企业年度统计", STAT_HEADERS, rows)
    assert [r.status for r in again.rows] == [UNCHANGED, CHANGED]
    assert again.rows[1].changes == [("研发经费支出(万元)", "1500", "1600")]
    assert YearlyStatistic.objects.get(enterprise=ent, year=2020).rd_expenditure == Decimal("1600")


def test_statistics_type_errors_and_the_models_own_rules_are_row_errors(run):
    EnterpriseFactory(credit_code=credit_code(1))
    EnterpriseFactory(credit_code=credit_code(2))
    rows = [
        [credit_code(1), 2019, "约100", None, None, None, "十二", None, None, None],
        [credit_code(2), 2019, -5, None, None, None, None, 3, 5, None],
    ]
    messages = run("企业年度统计", STAT_HEADERS, rows).messages()
    assert "第2行 研发经费支出(万元)：应为数字，当前为「约100」（单位只能写万元或万）" in messages
    assert "第2行 专利申请量：应为整数，当前为「十二」" in messages
    assert any(m.startswith("第3行 研发经费支出(万元)：") and "0" in m for m in messages)  # min 0
    assert "第3行 发明专利授权量：发明专利授权量不能大于专利授权量。" in messages


def test_certification_dates_in_chinese_forms_and_expiry_from_the_type(run):
    for i in range(1, 5):
        EnterpriseFactory(credit_code=credit_code(i))
    high_tech_type()
    day = datetime.datetime(2019, 5, 1)  # noqa: DTZ001 - Excel date cells are naive
    rows = [
        [credit_code(1), "国家高新技术企业", 2019, "已认定", "GR1", "2019年5月1日", None],
        [credit_code(2), "国家高新技术企业", 2019, "已认定", "GR2", "2019/5/1", None],
        [credit_code(3), "国家高新技术企业", 2019, "已认定", "GR3", "2019.5.1", None],
        [credit_code(4), "国家高新技术企业", 2019, "已认定", "GR4", day, "2022年4月30日"],
    ]
    result = run("企业资质", CERT_HEADERS, rows)
    assert result.committed, result.messages()
    certs = Certification.objects.order_by("certificate_no")
    assert {c.certified_on for c in certs} == {datetime.date(2019, 5, 1)}
    assert {c.expires_on for c in certs} == {datetime.date(2022, 4, 30)}  # 3 years less a day
    assert certs[0].issued_on == datetime.date(2019, 5, 1)
    again = run("企业资质", CERT_HEADERS, rows)
    assert {r.status for r in again.rows} == {UNCHANGED}


def test_certification_garbage_date_and_unknown_type(run):
    EnterpriseFactory(credit_code=credit_code(1))
    high_tech_type()
    rows = [[credit_code(1), "省级瞪羚企业", 2019, "已认定", None, "去年五月", None]]
    messages = run("企业资质", CERT_HEADERS, rows).messages()
    assert "第2行 资质类型：「省级瞪羚企业」不在资质类型列表中，只有管理员可以新增" in messages
    assert (
        "第2行 认定日期：不是可识别的日期：「去年五月」（可写 2019-05-01、2019年5月1日、2019/5/1 或 2019.5.1）"
        in messages
    )


def test_county_base_data_with_units(run):
    result = run("县域基础数据", ["年度*", "地区生产总值(亿元)", "常住人口(万人)"], [[2019, "152.36亿元", "52.8万人"]])
    assert result.committed, result.messages()
    county = CountyYear.objects.get(year=2019)
    assert (county.gdp, county.population) == (Decimal("152.36"), Decimal("52.8"))


def test_annual_targets_by_chinese_indicator_name_and_a_change_needs_new_signoff(run, reviewer):
    name = NAMES["high_tech_new"][0]
    result = run("年度目标", ["年度*", "指标*", "目标值*"], [[2020, name, 10], [2020, "不存在的指标", 3]])
    assert "第3行 指标：「不存在的指标」不是可选值" in result.messages()[0]
    result = run("年度目标", ["年度*", "指标*", "目标值*"], [[2020, name, 10]])
    assert result.committed
    target = AnnualTarget.objects.get(year=2020, indicator="high_tech_new")
    AnnualTarget.objects.filter(pk=target.pk).update(
        signed_off_by=reviewer, signed_off_at=datetime.datetime(2020, 1, 5, tzinfo=datetime.UTC)
    )
    same = run("年度目标", ["年度*", "指标*", "目标值*"], [[2020, name, 10]])
    assert same.rows[0].status == UNCHANGED
    assert AnnualTarget.objects.get(pk=target.pk).signed_off_by == reviewer
    changed = run("年度目标", ["年度*", "指标*", "目标值*"], [[2020, name, 12]])
    assert changed.rows[0].status == CHANGED
    target.refresh_from_db()
    assert (target.target, target.signed_off_by) == (Decimal("12"), None)


def test_a_title_row_above_the_headers_is_skipped(tmp_path, staff):
    wb = Workbook()
    ws = wb.active
    ws.append(["示例县2019年企业名录"])
    ws.append(["企业名称*", "统一社会信用代码*"])
    ws.append(["甲公司", credit_code(1)])
    wb.save(tmp_path / "t.xlsx")
    result = ledger_import(ledger=get_ledger("企业名录"), path=str(tmp_path / "t.xlsx"), user=staff, commit=True)
    assert result.committed
    assert any("表头在第2行" in n for n in result.notices)
    assert Enterprise.objects.get().name == "甲公司"


def test_dry_run_writes_nothing(run):
    result = run("企业名录", ["企业名称*", "统一社会信用代码*"], [["甲公司", credit_code(1)]], commit=False)
    assert result.ok and not result.committed
    assert Enterprise.objects.count() == 0


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_validation_query_count_does_not_grow_with_rows(run):
    enterprises = EnterpriseFactory.create_batch(50)
    YearlyStatisticFactory(enterprise=enterprises[0], year=2019)

    def rows(n):
        return [[e.credit_code, 2019, 100 + i, None, None, None, 3, 2, 1, 1] for i, e in enumerate(enterprises[:n])]

    few = _queries(lambda: run("企业年度统计", STAT_HEADERS, rows(5), commit=False))
    many = _queries(lambda: run("企业年度统计", STAT_HEADERS, rows(50), commit=False))
    assert many == few


def test_writing_takes_a_few_batched_queries_not_one_per_row(run):
    enterprises = EnterpriseFactory.create_batch(50)
    rows = [[e.credit_code, 2019, 100 + i] for i, e in enumerate(enterprises)]
    validate_only = _queries(lambda: run("企业年度统计", STAT_HEADERS[:3], rows, commit=False))
    written = _queries(lambda: run("企业年度统计", STAT_HEADERS[:3], rows, commit=True))
    assert YearlyStatistic.objects.count() == 50
    assert written - validate_only < 10  # inserts and history rows in batches
