"""Lists, detail pages, forms, export and the enterprise-page sections of the programs app."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bureau.accounts.roles import ROLES, STAFF
from programs.ledgers import ApplicationLedger
from programs.models import Application, ApplicationLog
from tests.core.factories import PolicyFactory
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import UserFactory
from tests.programs.factories import (
    AchievementFactory,
    ApplicationFactory,
    AwardFactory,
    CallFactory,
    DisbursementFactory,
    ProgramFactory,
    RewardFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _handler():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ROLES[STAFF].name))
    return user


LIST_FACTORIES = {
    "programs:program_list": lambda: ProgramFactory(),
    # untitled calls are named after their program: the list and the filter's choices must not fetch it per row
    "programs:call_list": lambda: CallFactory(title=""),
    "programs:application_list": lambda: ApplicationFactory(call=CallFactory(title=""), handler=_handler()),
    "programs:disbursement_list": lambda: DisbursementFactory(),
    "programs:reward_list": lambda: RewardFactory(),
    "programs:award_list": lambda: AwardFactory(),
    "programs:achievement_list": lambda: AchievementFactory(),
}


@pytest.mark.parametrize("url_name", LIST_FACTORIES)
def test_list_query_count_is_the_same_for_5_and_50_rows(staff_client, url_name, django_assert_num_queries):
    url = reverse(url_name)
    make = LIST_FACTORIES[url_name]
    for _ in range(5):
        make()
    _queries(staff_client, url)  # warm-up (content types, session)
    five = _queries(staff_client, url)
    for _ in range(45):
        make()
    with django_assert_num_queries(five):
        response = staff_client.get(url)
    assert response.context["total"] == 50


def _fill(app, start, count, by):
    for i in range(start, start + count):
        DisbursementFactory(
            application=app, amount=Decimal("1"), paid_on=datetime.date(2019, 1, 1) + datetime.timedelta(i)
        )
        ApplicationLog.objects.create(
            application=app, action="submit", source=S.DRAFT, target=S.COUNTY_REVIEW, by=by, comment=f"第{i}次"
        )


def test_detail_query_count_is_the_same_for_5_and_50_payments_and_steps(staff_client, staff, django_assert_num_queries):
    app = ApplicationFactory(approved=True, approved_amount=Decimal("1000"), call=CallFactory(), handler=staff)
    url = app.get_absolute_url()
    _fill(app, 0, 5, staff)
    _queries(staff_client, url)
    five = _queries(staff_client, url)
    _fill(app, 5, 45, staff)
    with django_assert_num_queries(five):
        response = staff_client.get(url)
    assert len(response.context["logs"]) == 50
    assert response.context["funds"].disbursed == Decimal("50")


def test_list_filters_by_year_level_program_and_state(staff_client):
    program = ProgramFactory(level="city")
    wanted = ApplicationFactory(program=program, year=2019, status=S.RECOMMENDED)
    ApplicationFactory(program=program, year=2020, status=S.RECOMMENDED)
    ApplicationFactory(program=program, year=2019, status=S.DRAFT)
    ApplicationFactory(year=2019, status=S.RECOMMENDED)  # a provincial program
    response = staff_client.get(
        reverse("programs:application_list"),
        {"year": 2019, "level": "city", "program": program.pk, "status": "recommended"},
    )
    assert [a.pk for a in response.context["table"].data.data] == [wanted.pk]


def test_export_of_selected_rows_holds_only_those(staff_client):
    chosen = ApplicationFactory.create_batch(2)
    ApplicationFactory()
    url = reverse("programs:application_list") + f"?export=xlsx&pk={chosen[0].pk}&pk={chosen[1].pk}"
    response = staff_client.get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    # A ledger-backed list exports the 项目申报 ledger's own headers, so the file imports back.
    assert list(rows[0]) == ApplicationLedger.export_headers()
    assert sorted(r[0] for r in rows[1:]) == sorted(a.title for a in chosen)
    assert rows[1][4] == "省级"  # after the credit code and the unit's name beside it
    assert rows[1][7] == "草稿"


def test_list_rows_carry_a_pk_checkbox_for_the_batch_actions(staff_client):
    app = ApplicationFactory()
    page = staff_client.get(reverse("programs:application_list")).content.decode()
    assert f'name="pk" value="{app.pk}"' in page


def test_new_application_takes_program_and_year_from_its_call_and_the_user_as_handler(staff_client, staff):
    call = CallFactory(year=2020)
    response = staff_client.post(
        reverse("programs:application_add"),
        {"title": "智能农机远程运维平台研发", "enterprise": EnterpriseFactory().pk, "call": call.pk},
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert (app.program, app.year, app.status, app.handler) == (call.program, 2020, S.DRAFT, staff)


def test_a_call_of_another_program_is_refused(staff_client):
    call = CallFactory()
    response = staff_client.post(
        reverse("programs:application_add"),
        {"title": "项目", "enterprise": EnterpriseFactory().pk, "call": call.pk, "program": ProgramFactory().pk},
    )
    assert response.status_code == 200
    assert "不属于所选科技计划" in response.context["form"].errors["call"][0]


def test_an_institution_may_lead_but_someone_must(staff_client):
    program = ProgramFactory()
    url = reverse("programs:application_add")
    empty = staff_client.post(url, {"title": "无承担单位", "program": program.pk, "year": 2019})
    assert "请选择承担企业" in empty.context["form"].errors["enterprise"][0]
    ok = staff_client.post(
        url, {"title": "县人民医院项目", "institution": "示例县人民医院", "program": program.pk, "year": 2019}
    )
    assert ok.status_code == 302
    assert Application.objects.get().lead_name == "示例县人民医院"


def test_program_catalogue_is_written_by_the_admin_only(staff_client, admin_client_):
    data = {"name": "省自然科学基金", "level": "provincial", "category": "research"}
    assert staff_client.post(reverse("programs:program_add"), data).status_code == 403
    assert admin_client_.post(reverse("programs:program_add"), data).status_code == 302


def test_award_needs_an_enterprise_or_a_person(staff_client):
    url = reverse("programs:award_add")
    data = {"name": "市科学技术进步奖", "level": "city", "grade": "first", "year": 2019}
    assert "请选择获奖企业" in staff_client.post(url, data).context["form"].errors["enterprise"][0]
    assert staff_client.post(url, {**data, "person": "张明"}).status_code == 302


def test_achievement_transformation_needs_date_and_mode_together(staff_client):
    url = reverse("programs:achievement_add")
    data = {"title": "耐火材料配方", "enterprise": EnterpriseFactory().pk, "transformed_on": "2019-05-01"}
    assert "transform_mode" in staff_client.post(url, data).context["form"].errors


def test_reward_is_tied_to_a_policy(staff_client):
    policy = PolicyFactory(title="关于支持高新技术企业发展的若干措施")
    ent = EnterpriseFactory()
    response = staff_client.post(
        reverse("programs:reward_add"),
        {"enterprise": ent.pk, "policy": policy.pk, "kind": "high_tech", "amount": "40", "paid_on": "2019-06-01"},
        follow=True,
    )
    assert "关于支持高新技术企业发展的若干措施" in response.content.decode()


def test_enterprise_page_shows_its_applications_rewards_awards_and_achievements(staff_client):
    ent = EnterpriseFactory()
    ApplicationFactory(enterprise=ent, title="高性能耐火材料关键技术研究", approved=True, approved_amount=Decimal("80"))
    RewardFactory(enterprise=ent, amount=Decimal("40"))
    AwardFactory(enterprise=ent, name="省科学技术进步奖")
    AchievementFactory(enterprise=ent, title="低碳耐火砖配方")
    page = staff_client.get(ent.get_absolute_url()).content.decode()
    for text in ("高性能耐火材料关键技术研究", "已立项", "高企奖励", "省科学技术进步奖", "低碳耐火砖配方"):
        assert text in page
    assert reverse("programs:application_add") + f"?enterprise={ent.pk}" in page


def _fill_enterprise(ent, count):
    for _ in range(count):
        ApplicationFactory(enterprise=ent)
        RewardFactory(enterprise=ent)
        AwardFactory(enterprise=ent)
        AchievementFactory(enterprise=ent)


def test_enterprise_sections_query_count_is_the_same_for_5_and_50_rows(staff_client, django_assert_num_queries):
    ent = EnterpriseFactory()
    url = ent.get_absolute_url()
    _fill_enterprise(ent, 5)
    _queries(staff_client, url)
    five = _queries(staff_client, url)
    _fill_enterprise(ent, 45)
    with django_assert_num_queries(five):
        page = staff_client.get(url).content.decode()
    assert "查看全部项目申报" in page
