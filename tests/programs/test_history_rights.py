"""Issue 15, service side: which states an actor may create an application in, and who may extend
the managed lists. A 科员 creates only in the states the workflow's buttons would take them to;
股室负责人, 管理员 and the system load history in any state, logged as 历史数据导入."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from bureau.accounts.roles import ADMIN, LEADER, REVIEWER, STAFF
from enterprises.models import CertificationType, Industry, Town
from enterprises.services import certification_type_create, industry_create, town_create
from programs.models import Application, ApplicationLog, Program
from programs.services import application_create, application_states_allowed, program_create
from programs.workflow import HISTORY_ACTION, TRANSITIONS, states_reachable
from talent.models import Institution, PlatformType
from talent.services import institution_create, platform_type_create
from tests.conftest import make_user
from tests.enterprises.factories import EnterpriseFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db
S = Application.Status
LATER = [s for s in S.values if s not in (S.DRAFT, S.COUNTY_REVIEW)]
HISTORY = {
    "approved_on": datetime.date(2019, 9, 20),
    "approved_amount": Decimal("100"),
    "recommended_on": datetime.date(2019, 4, 10),
}


def create(actor, status, **extra):
    return application_create(
        actor=actor,
        title="高效节能电机关键技术研发",
        enterprise=EnterpriseFactory(),
        program=ProgramFactory(),
        year=2019,
        status=status,
        **extra,
    )


def test_a_clerk_reaches_only_draft_and_county_review_through_the_workflow():
    # Derived from the table: 提交审核 is the 科员's, 推荐上报/退回修改 the 股室负责人's.
    assert states_reachable({STAFF}) == {S.DRAFT, S.COUNTY_REVIEW}
    assert TRANSITIONS["submit"].target == S.COUNTY_REVIEW


@pytest.mark.parametrize("status", [S.DRAFT, S.COUNTY_REVIEW])
def test_a_clerk_may_create_an_application_in_a_state_the_workflow_takes_them_to(status):
    clerk = make_user(STAFF)
    app = create(clerk, status)
    assert app.status == status
    assert app.handler == clerk


@pytest.mark.parametrize("status", LATER)
def test_a_clerk_may_not_create_an_application_in_a_later_state_and_nothing_is_written(status):
    clerk = make_user(STAFF)
    with pytest.raises(PermissionDenied) as exc:
        create(clerk, status, **HISTORY)
    message = str(exc.value)
    assert S(status).label in message
    assert "股室负责人" in message and "管理员" in message  # who may load history
    assert not Application.objects.exists()
    assert not ApplicationLog.objects.exists()


@pytest.mark.parametrize("role", [REVIEWER, ADMIN, None], ids=["reviewer", "admin", "system"])
@pytest.mark.parametrize("status", LATER)
def test_history_in_a_later_state_is_logged_as_history_import_by_its_actor(role, status):
    actor = make_user(role) if role else None
    app = create(actor, status, **HISTORY)
    assert app.status == status
    log = app.logs.get()
    assert (log.action, log.comment, log.source, log.target, log.by) == (
        HISTORY_ACTION,
        "历史数据导入",
        S.DRAFT,
        status,
        actor,
    )


def test_a_new_draft_writes_no_log():
    app = create(make_user(STAFF), S.DRAFT)
    assert not app.logs.exists()


def test_a_leader_may_create_in_no_state():
    leader = make_user(LEADER)
    with pytest.raises(PermissionDenied):
        create(leader, S.DRAFT)
    assert application_states_allowed(leader) == {S.DRAFT}  # the rights check refuses even that


def test_the_timeline_names_the_system_for_history_loaded_without_a_user(client):
    admin = make_user(ADMIN)
    app = create(None, S.APPROVED, **HISTORY)
    client.force_login(admin)
    page = client.get(app.get_absolute_url()).content.decode()
    assert f'data-action="{HISTORY_ACTION}"' in page
    assert "<strong>历史数据导入</strong>" in page
    assert "系统</div>" in page


MANAGED = [
    (town_create, Town, {"name": " 白杨镇 "}),
    (industry_create, Industry, {"name": "果品加工"}),
    (certification_type_create, CertificationType, {"name": "省级专精特新企业", "code": "specialized"}),
    (platform_type_create, PlatformType, {"name": "县级科技特派员工作站", "code": "county_station"}),
    (program_create, Program, {"name": "泰山产业领军人才工程", "level": "provincial"}),
]


@pytest.mark.parametrize(("service", "model", "data"), MANAGED, ids=[m.__name__ for _, m, _ in MANAGED])
@pytest.mark.parametrize("role", [STAFF, REVIEWER, LEADER])
def test_only_the_admin_extends_a_managed_list(service, model, data, role):
    before = model.objects.count()
    with pytest.raises(PermissionDenied, match="只有管理员可以新增"):
        service(actor=make_user(role), **data)
    assert model.objects.count() == before


@pytest.mark.parametrize(("service", "model", "data"), MANAGED, ids=[m.__name__ for _, m, _ in MANAGED])
@pytest.mark.parametrize("role", [ADMIN, None], ids=["admin", "system"])
def test_the_admin_and_the_system_extend_a_managed_list(service, model, data, role):
    obj = service(actor=make_user(role) if role else None, **data)
    assert model.objects.filter(pk=obj.pk, name=data["name"].strip()).exists()


def test_staff_add_an_institution_while_entering_an_agreement_but_a_leader_may_not():
    assert institution_create(actor=make_user(STAFF), name="山东理工大学").pk
    with pytest.raises(PermissionDenied):
        institution_create(actor=make_user(LEADER), name="山东农业大学")
    assert list(Institution.objects.values_list("name", flat=True)) == ["山东理工大学"]
