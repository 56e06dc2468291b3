"""The first-run checklist: 管理员 see what a new county has yet to set up, on the home page until it
is done or dismissed and always on its own page; no other role ever sees it."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bureau.accounts.roles import LEADER, REVIEWER, ROLES, STAFF
from bureau.core.models import SiteSettings
from bureau.core.services import site_settings_update
from bureau.registry import registry
from bureau.setup import checklist
from enterprises.models import Industry, Town
from tests.conftest import make_user
from tests.core.factories import AnnualTargetFactory, CountyYearFactory
from tests.factories import load_all_factories

pytestmark = pytest.mark.django_db

HOME = reverse("home")
PAGE = reverse("setup_checklist")
FACTORIES = load_all_factories()


def items(response) -> dict[str, tuple[bool, str]]:
    """The checklist on a page: title -> (done, detail)."""
    html = response.content.decode()
    found = {}
    for m in re.finditer(r'data-setup-check="([^"]+)" data-done="(\d)">(.*?)</li>', html, re.S):
        detail = re.search(r'data-testid="setup-detail">([^<]*)<', m.group(3)).group(1)
        found[m.group(1)] = (m.group(2) == "1", detail)
    return found


def complete_setup():
    """Everything the checklist asks for, as a county that finished setting up would have it."""
    this_year = timezone.localdate().year
    site_settings_update(actor=None, county_name="白杨县")
    Town.objects.create(name="白杨镇")
    Industry.objects.get_or_create(name="新材料")
    for role in ROLES:
        make_user(role)
    for ledger in registry["ledgers"].values():
        if not ledger.model._default_manager.exists():
            FACTORIES[ledger.model._meta.label_lower]()
    CountyYearFactory(year=this_year)
    AnnualTargetFactory(year=this_year, indicator="trainings", target=Decimal(10))
    AnnualTargetFactory(year=this_year + 1, indicator="trainings", target=Decimal(12))


def test_an_admin_on_an_empty_database_sees_every_missing_item_with_a_link(admin_client_):
    response = admin_client_.get(HOME)
    assert 'data-testid="setup-checklist"' in response.content.decode()
    shown = items(response)
    this_year = timezone.localdate().year
    for title in ("县（区）名称", "乡镇/街道", "行业", f"{this_year}年县域基础数据", f"{this_year + 1}年年度目标"):
        assert title in shown
    for ledger in registry["ledgers"].values():
        assert shown[ledger.name] == (False, "尚未导入")
    assert shown["县（区）名称"][0] is False
    assert shown["乡镇/街道"] == (False, "尚无（导入企业名录时由管理员新增，或在系统管理中录入）")
    assert shown["管理员账号"] == (True, "已有 1 个")  # the admin looking at it
    assert shown["科员账号"] == (False, "尚无")
    for c in checklist().checks:
        assert c.url and admin_client_.get(c.url).status_code == 200, c.title  # each link opens for the admin


@pytest.mark.parametrize("role", [STAFF, REVIEWER, LEADER])
def test_no_other_role_ever_sees_the_checklist(role):
    from django.test import Client

    client = Client()
    client.force_login(make_user(role))
    assert 'data-testid="setup-checklist"' not in client.get(HOME).content.decode()
    assert client.get(PAGE).status_code == 403
    assert client.post(reverse("setup_checklist_dismiss")).status_code == 403


def test_a_superuser_outside_the_admin_group_counts_as_an_admin_account(staff_client):
    from tests.factories import UserFactory

    UserFactory(username="root", is_superuser=True, is_staff=True)
    assert next(c for c in checklist().checks if c.title == "管理员账号").detail == "已有 1 个"


def test_a_ledger_item_counts_the_rows_it_holds_per_year(admin_client_):
    from tests.enterprises.factories import CertificationFactory, EnterpriseFactory

    EnterpriseFactory.create_batch(3)
    for year, n in ((2019, 2), (2020, 1)):
        CertificationFactory.create_batch(n, year=year)
    shown = items(admin_client_.get(PAGE))
    assert shown["企业名录"] == (True, f"共 {3 + 3} 条")  # the certifications' enterprises too
    assert shown["企业资质"] == (True, "2020年 1 条、2019年 2 条（共 3 条）")
    assert shown["企业年度统计"] == (False, "尚未导入")


def test_base_data_names_what_is_missing_and_targets_count_per_year(admin_client_):
    this_year = timezone.localdate().year
    CountyYearFactory(year=this_year, population=None)
    AnnualTargetFactory(year=this_year + 1, indicator="trainings", target=Decimal(8))
    shown = items(admin_client_.get(PAGE))
    assert shown[f"{this_year}年县域基础数据"] == (False, "缺少常住人口(万人)")
    assert shown[f"{this_year}年年度目标"] == (False, "尚未设置")
    assert shown[f"{this_year + 1}年年度目标"] == (True, "已设 1 项指标的目标")


def test_the_checklist_leaves_the_home_page_when_every_item_is_done(admin_client_):
    complete_setup()
    assert checklist().complete
    assert 'data-testid="setup-checklist"' not in admin_client_.get(HOME).content.decode()
    page = admin_client_.get(PAGE).content.decode()
    assert f"已完成 {checklist().total} / {checklist().total} 项" in page  # its own page still lists it


def test_a_dismissed_checklist_stays_off_the_home_page_until_shown_again(admin_client_):
    assert 'data-testid="setup-checklist"' in admin_client_.get(HOME).content.decode()
    response = admin_client_.post(reverse("setup_checklist_dismiss"), follow=True)
    assert "首页不再显示首次使用清单" in response.content.decode()
    assert SiteSettings.objects.get().setup_dismissed
    assert 'data-testid="setup-checklist"' not in admin_client_.get(HOME).content.decode()
    assert "在首页重新显示本清单" in admin_client_.get(PAGE).content.decode()
    admin_client_.post(reverse("setup_checklist_dismiss"), {"show": "1"})
    assert 'data-testid="setup-checklist"' in admin_client_.get(HOME).content.decode()


def test_the_home_page_query_count_with_the_checklist_is_flat_in_the_data_size(admin_client_):
    from tests.enterprises.factories import CertificationFactory, EnterpriseFactory, YearlyStatisticFactory

    def home_queries(shown: bool = True) -> int:
        admin_client_.get(HOME)  # warm: the dashboard's figures are cached; the checklist never is
        with CaptureQueriesContext(connection) as ctx:
            page = admin_client_.get(HOME).content.decode()
        assert ('data-testid="setup-checklist"' in page) is shown
        return len(ctx)

    counts = []
    for n in (2, 20):
        EnterpriseFactory.create_batch(n)
        for year in (2018, 2019, 2020):
            CertificationFactory.create_batch(n, year=year)
            YearlyStatisticFactory.create_batch(n, year=year)
        Town.objects.create(name=f"第{n}镇")
        make_user(STAFF)
        counts.append(home_queries())
    assert counts[0] == counts[1], counts
    admin_client_.post(reverse("setup_checklist_dismiss"))
    without = home_queries(shown=False)
    # The checklist's share: one query per ledger, towns, industries, role groups, superusers, this
    # year's base data, the targets of this year and next.
    assert counts[1] - without == len(registry["ledgers"]) + 6, (counts, without)


def test_the_site_settings_page_hides_and_shows_the_checklist_too(admin_client_):
    admin_client_.post(reverse("site_settings"), {"county_name": "白杨县", "setup_dismissed": "on"})
    assert 'data-testid="setup-checklist"' not in admin_client_.get(HOME).content.decode()
    admin_client_.post(reverse("site_settings"), {"county_name": "白杨县"})
    page = admin_client_.get(HOME).content.decode()
    assert 'data-testid="setup-checklist"' in page
    assert "已设为“白杨县”" in page
