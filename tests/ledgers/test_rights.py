"""Managed lists and workflow states from the ledgers, by right (issue 15).

A name a managed list lacks is 新增 for those who may add to the list (管理员, the command without
--user) and a row error naming who can for anyone else; near twins are flagged; an application past
草稿 is history that only 股室负责人/管理员 (or the command) load, each logged "历史数据导入"."""

import pytest

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.validation import ERROR, NEW
from bureau.ledgers.write import ledger_import
from enterprises.models import Enterprise, Industry, Town
from programs.models import Application, ApplicationLog, Program
from talent.models import Person, TalentSelection
from tests.enterprises.factories import EnterpriseFactory
from tests.ledgers.test_programs import HEADERS as APPLICATION_HEADERS
from tests.ledgers.xlsx import code, write_xlsx

pytestmark = pytest.mark.django_db

ENTERPRISE_HEADERS = ["企业名称*", "统一社会信用代码*", "所属乡镇", "行业", "企业规模", "联系人", "联系电话"]
TALENT_HEADERS = ["姓名*", "人才工程*", "年度*", "状态*", "引进方式", "工作单位信用代码"]
SYSTEM = None


@pytest.fixture
def run(tmp_path):
    counter = iter(range(100))

    def do(ledger, headers, rows, *, user, commit=True):
        path = write_xlsx(tmp_path / f"r{next(counter)}.xlsx", headers, rows)
        return ledger_import(ledger=get_ledger(ledger), path=str(path), user=user, commit=commit)

    return do


def firm(n, town="白杨镇", industry="新材料"):
    return [f"白杨县第{n}号科技有限公司", code(n), town, industry, "规上", None, None]


def test_industries_start_with_the_standard_set():
    names = set(Industry.objects.values_list("name", flat=True))
    assert {"新一代信息技术", "高端装备", "新材料", "生物医药", "新能源", "节能环保", "新能源汽车", "数字创意"} <= names
    assert {"食品加工", "纺织服装", "化工"} <= names


def test_a_staff_import_naming_a_new_town_writes_nothing_and_says_who_can_add_it(run, staff):
    result = run("企业名录", ENTERPRISE_HEADERS, [firm(1), firm(2, industry="陶瓷")], user=staff)
    assert not result.committed
    assert result.messages() == [
        "第2行 所属乡镇：「白杨镇」不在乡镇/街道列表中，只有管理员可以新增",
        "第3行 所属乡镇：「白杨镇」不在乡镇/街道列表中，只有管理员可以新增",
        "第3行 行业：「陶瓷」不在行业列表中，只有管理员可以新增",
    ]
    assert not Enterprise.objects.exists() and not Town.objects.exists()


@pytest.mark.parametrize("who", ["admin", "system"])
def test_an_admin_or_the_command_adds_the_towns_and_industries_a_ledger_names(run, admin_user, who):
    user = admin_user if who == "admin" else SYSTEM
    rows = [firm(1), firm(2, town="青石镇", industry="陶瓷"), firm(3)]
    preview = run("企业名录", ENTERPRISE_HEADERS, rows, user=user, commit=False)
    assert preview.ok, preview.messages()
    assert [r.flags for r in preview.rows] == [
        ["新增乡镇/街道：白杨镇"],
        ["新增乡镇/街道：青石镇", "新增行业：陶瓷"],
        ["新增乡镇/街道：白杨镇"],
    ]
    assert "将新增乡镇/街道：白杨镇、青石镇" in preview.notices
    assert not Town.objects.exists()  # the preview creates nothing
    assert run("企业名录", ENTERPRISE_HEADERS, rows, user=user).committed
    assert sorted(Town.objects.values_list("name", flat=True)) == ["白杨镇", "青石镇"]
    assert Enterprise.objects.get(credit_code=code(2)).industry.name == "陶瓷"
    assert Enterprise.objects.filter(town__name="白杨镇").count() == 2  # one new town, not one per row


def test_a_name_one_character_from_a_listed_one_is_flagged_for_an_admin_and_refused_to_staff(run, admin_user, staff):
    Town.objects.create(name="白杨镇")
    refused = run("企业名录", ENTERPRISE_HEADERS, [firm(1, town="白扬镇")], user=staff)
    assert refused.messages() == [
        "第2行 所属乡镇：「白扬镇」不在乡镇/街道列表中（与已有“白杨镇”相近），只有管理员可以新增"
    ]
    preview = run("企业名录", ENTERPRISE_HEADERS, [firm(1, town="白扬镇")], user=admin_user, commit=False)
    assert preview.rows[0].status == NEW
    assert preview.rows[0].flags == ["新增乡镇/街道：白扬镇", "「白扬镇」与已有“白杨镇”相近，请核对"]
    assert "将新增乡镇/街道：白扬镇（与已有“白杨镇”相近，请核对）" in preview.notices


@pytest.mark.parametrize("typed", ["白杨 镇", "白杨\u3000镇", "ＡＢ镇"])
def test_a_name_differing_only_by_blanks_or_width_is_the_listed_one(run, staff, typed):
    listed = "AB镇" if typed.startswith("Ａ") else "白杨镇"
    town = Town.objects.create(name=listed)
    result = run("企业名录", ENTERPRISE_HEADERS, [firm(1, town=typed)], user=staff)
    assert result.committed, result.messages()
    assert result.rows[0].flags[0].endswith(f"与已有“{listed}”相近，按“{listed}”登记")
    assert Enterprise.objects.get().town == town
    assert Town.objects.count() == 1


def application_row(status, program="省重点研发计划(科技创新类)", level="省级"):
    approved = status == "已立项"
    return [
        "高强度改性聚丙烯材料研发",
        code(1),
        program,
        level,
        2019,
        200,
        status,
        80 if approved else None,
        "2019-09-20" if approved else None,
    ]


@pytest.fixture
def program():
    return Program.objects.create(name="省重点研发计划(科技创新类)", level="provincial")


def test_a_staff_import_of_an_approved_application_writes_nothing_and_says_who_loads_history(run, staff, program):
    EnterpriseFactory(credit_code=code(1))
    result = run("项目申报", APPLICATION_HEADERS, [application_row("已立项")], user=staff)
    assert result.rows[0].status == ERROR
    assert result.messages() == [
        "第2行 状态：不能直接登记状态为「已立项」的项目申报（您只能登记草稿、县局审核的申报）；历史数据请由股室负责人、管理员导入。"
    ]
    assert not Application.objects.exists()
    # A 草稿 is what a 科员 creates on the page too.
    assert run("项目申报", APPLICATION_HEADERS, [application_row("草稿")], user=staff).committed


@pytest.mark.parametrize("who", ["reviewer", "admin", "system"])
def test_history_is_loaded_by_a_reviewer_an_admin_or_the_command_with_its_log_entry(
    run, reviewer, admin_user, who, program
):
    user = {"reviewer": reviewer, "admin": admin_user, "system": SYSTEM}[who]
    EnterpriseFactory(credit_code=code(1))
    preview = run("项目申报", APPLICATION_HEADERS, [application_row("已立项")], user=user, commit=False)
    assert preview.rows[0].flags == ["历史数据导入：已立项"]
    assert run("项目申报", APPLICATION_HEADERS, [application_row("已立项")], user=user).committed
    application = Application.objects.get()
    assert application.status == "approved"
    log = ApplicationLog.objects.get(application=application)
    assert (log.action, log.source, log.target, log.by) == ("历史数据导入", "draft", "approved", user)
    # Imported again: unchanged, no second log entry and no flag.
    again = run("项目申报", APPLICATION_HEADERS, [application_row("已立项")], user=user)
    assert again.rows[0].flags == [] and ApplicationLog.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "reviewer"])
def test_only_an_admin_extends_the_program_catalogue_from_the_ledgers(run, staff, reviewer, admin_user, who):
    user = staff if who == "staff" else reviewer
    EnterpriseFactory(credit_code=code(1))
    rows = [application_row("草稿", program="市“双十”计划", level="市级")]
    result = run("项目申报", APPLICATION_HEADERS, rows, user=user)
    assert result.messages() == ["第2行 计划名称：「市“双十”计划」不在计划目录中，只有管理员可以新增计划"]
    talent = run(
        "人才", TALENT_HEADERS, [["李明", "泰山产业领军人才（创新类）", 2020, "已入选", "全职", None]], user=user
    )
    assert talent.messages() == ["第2行 人才工程：「泰山产业领军人才」不在计划目录中，只有管理员可以新增计划"]
    assert not Program.objects.exists() and not Person.objects.exists()
    assert run("项目申报", APPLICATION_HEADERS, rows, user=admin_user).committed
    assert run(
        "人才", TALENT_HEADERS, [["李明", "泰山产业领军人才（创新类）", 2020, "已入选", "全职", None]], user=admin_user
    ).committed
    assert set(Program.objects.values_list("name", "category")) == {
        ("市“双十”计划", "research"),
        ("泰山产业领军人才", "talent"),
    }
    assert TalentSelection.objects.get().person.name == "李明"


def test_a_program_name_one_character_from_the_catalogues_is_flagged_or_refused(run, staff, admin_user):
    EnterpriseFactory(credit_code=code(1))
    Program.objects.create(name="市科技创新发展计划", level="city")
    rows = [application_row("草稿", program="市科技创新发展计画", level="市级")]
    assert run("项目申报", APPLICATION_HEADERS, rows, user=staff).messages() == [
        "第2行 计划名称：「市科技创新发展计画」不在计划目录中（与已有“市科技创新发展计划”相近），只有管理员可以新增计划"
    ]
    preview = run("项目申报", APPLICATION_HEADERS, rows, user=admin_user, commit=False)
    assert preview.rows[0].flags == ["新增计划：市科技创新发展计画（市级），与已有“市科技创新发展计划”相近，请核对"]


PLATFORM_HEADERS = ["平台名称*", "平台类型*", "级别*", "依托单位信用代码", "状态*", "年度*", "评估结果"]


def test_an_evaluation_before_the_platforms_year_is_a_row_error_not_a_failed_write(run, staff):
    platform = ["白杨县恒远新材料院士工作站", "院士工作站", "省级", None, "已认定", 2020, None]
    assert run("创新平台", PLATFORM_HEADERS, [platform], user=staff).committed
    earlier = [*platform[:5], 2019, "优秀"]
    result = run("创新平台", PLATFORM_HEADERS, [earlier], user=staff)
    assert result.messages() == ["第2行 评估结果：评估年度不能早于平台认定/备案的年度（2020年）。"]


def test_the_command_prints_the_near_names_it_would_otherwise_add_silently(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    Town.objects.create(name="白杨镇")
    path = write_xlsx(tmp_path / "企业名录.xlsx", ENTERPRISE_HEADERS, [firm(1, town="白扬镇")])
    out = StringIO()
    call_command("import_ledger", "企业名录", str(path), "--dry-run", stdout=out)
    assert "提示：第2行：「白扬镇」与已有“白杨镇”相近，请核对" in out.getvalue().splitlines()
