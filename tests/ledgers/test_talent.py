"""人才 and 创新平台: people and programs found or created, evaluations written with the platform."""

import datetime

import pytest

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.validation import CHANGED, NEW, UNCHANGED
from bureau.ledgers.write import ledger_import
from programs.models import Program
from talent.models import Person, Platform, PlatformEvaluation, PlatformType, TalentSelection
from tests.enterprises.factories import EnterpriseFactory
from tests.ledgers.xlsx import code, write_xlsx

pytestmark = pytest.mark.django_db

TALENT = ["姓名*", "人才工程*", "年度*", "状态*", "引进方式", "工作单位信用代码"]
PLATFORM = ["平台名称*", "平台类型*", "级别*", "依托单位信用代码", "状态*", "年度*", "评估结果"]


@pytest.fixture
def run(tmp_path, admin_user):
    """Imports as 管理员 (who may extend the catalogue and the lists) unless told the user."""
    counter = iter(range(100))

    def do(ledger, headers, rows, commit=True, user=admin_user):
        path = write_xlsx(tmp_path / f"t{next(counter)}.xlsx", headers, rows)
        return ledger_import(ledger=get_ledger(ledger), path=str(path), user=user, commit=commit)

    return do


def test_talent_rows_create_people_and_talent_programs_with_their_category(run):
    ent = EnterpriseFactory(credit_code=code(1))
    known = Program.objects.create(name="淄博英才", level="city", category="talent")
    rows = [
        ["李明", "泰山产业领军人才（创新类）", 2019, "已入选", "全职", code(1)],
        ["王芳", "泰山产业领军人才 创业类", 2019, "已申报", "柔性", None],
        ["李明", "淄博英才", 2019, "已入选", None, code(1)],
    ]
    preview = run("人才", TALENT, rows, commit=False)
    assert preview.ok, preview.messages()
    assert "新增计划：泰山产业领军人才（省级）" in preview.rows[0].flags
    assert preview.rows[2].flags == []
    result = run("人才", TALENT, rows)
    assert result.committed
    taishan = Program.objects.get(name="泰山产业领军人才")
    assert (taishan.category, taishan.level) == ("talent", "provincial")
    li = Person.objects.get(name="李明")
    assert li.employer_enterprise == ent
    assert {(s.program, s.subcategory) for s in TalentSelection.objects.filter(person=li)} == {
        (taishan, "创新类"),
        (known, ""),
    }
    assert TalentSelection.objects.get(person__name="王芳").subcategory == "创业类"
    again = run("人才", TALENT, rows)
    assert [r.status for r in again.rows] == [UNCHANGED] * 3
    assert Person.objects.count() == 2


def test_namesakes_need_the_employer_code(run):
    Person.objects.create(name="张伟", employer_enterprise=EnterpriseFactory(credit_code=code(1)))
    Person.objects.create(name="张伟", employer_enterprise=EnterpriseFactory(credit_code=code(2)))
    messages = run("人才", TALENT, [["张伟", "淄博英才", 2019, "已申报", None, None]]).messages()
    assert messages == ["第2行 姓名：系统中有2位名为「张伟」的人员，请填写工作单位信用代码加以区分"]
    ok = run("人才", TALENT, [["张伟", "淄博英才", 2019, "已申报", None, code(2)]])
    assert ok.committed
    assert TalentSelection.objects.get().person.employer_enterprise.credit_code == code(2)


def test_platforms_with_their_years_evaluation(run):
    EnterpriseFactory(credit_code=code(1))
    PlatformType.objects.get_or_create(name="院士工作站")
    rows = [
        ["鲁中新材料院士工作站", "院士工作站", "省级", code(1), "已认定", 2019, "优秀"],
        ["沂源药业院士工作站", "院士工作站", "市级", None, "规划", 2019, "良好"],
    ]
    messages = run("创新平台", PLATFORM, rows).messages()
    assert messages == ["第3行 评估结果：只有已认定或已备案的平台才能评估，当前状态为规划"]
    rows[1][6] = None
    result = run("创新平台", PLATFORM, rows)
    assert result.committed, result.messages()
    platform = Platform.objects.get(name="鲁中新材料院士工作站")
    assert platform.certified_on == datetime.date(2019, 12, 31)
    assert PlatformEvaluation.objects.get(platform=platform, year=2019).result == "excellent"
    rows[0][6] = "良好"
    again = run("创新平台", PLATFORM, rows)
    assert [r.status for r in again.rows] == [CHANGED, UNCHANGED]
    assert again.rows[0].changes == [("2019年评估结果", "优秀", "良好")]
    assert PlatformEvaluation.objects.get(platform=platform).result == "good"


def test_new_platform_row_is_new(run):
    PlatformType.objects.get_or_create(name="众创空间")
    result = run("创新平台", PLATFORM, [["示例县众创空间", "众创空间", "县级", None, "已备案", 2020, None]])
    assert [r.status for r in result.rows] == [NEW]


@pytest.mark.parametrize(("ledger", "model"), [("人才", TalentSelection), ("创新平台", Platform)])
def test_talent_and_platform_lists_round_trip(run, staff_client, staff, tmp_path, ledger, model):
    from bureau.records.urls import record_url

    EnterpriseFactory(credit_code=code(1))
    PlatformType.objects.get_or_create(name="院士工作站")
    run("人才", TALENT, [["李明", "泰山产业领军人才（创新类）", 2019, "已入选", "全职", code(1)]])
    run("创新平台", PLATFORM, [["鲁中院士工作站", "院士工作站", "省级", code(1), "已认定", 2019, "优秀"]])
    response = staff_client.get(record_url(model, "list") + "?export=xlsx")
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    result = ledger_import(ledger=get_ledger(ledger), path=str(path), user=staff, commit=True)
    assert [r.status for r in result.rows] == [UNCHANGED], result.messages()


def test_a_revoked_platform_gets_no_evaluation_by_import_as_by_the_page(run):
    # The import checks talent.services.platform_evaluable, the rule platform_evaluation_create applies.
    PlatformType.objects.get_or_create(name="院士工作站")
    rows = [["沂源药业院士工作站", "院士工作站", "市级", None, "已撤销", 2019, "良好"]]
    messages = run("创新平台", PLATFORM, rows).messages()
    assert messages == ["第2行 评估结果：只有已认定或已备案的平台才能评估，当前状态为已撤销"]
    assert not PlatformEvaluation.objects.exists()
