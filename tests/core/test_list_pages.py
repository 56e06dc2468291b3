"""List pages a phone can read: cards with the name and key fields, filters as chips, money totals."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.enterprises.factories import EnterpriseFactory, TownFactory
from tests.programs.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _page(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_list_cells_are_marked_for_the_phone_card_title_then_labelled_key_fields(staff_client):
    EnterpriseFactory(name="山东沂源某某新材料科技股份有限公司")
    page = _page(staff_client, reverse("enterprises:enterprise_list"))
    title = re.search(r'<td[^>]*class="[^"]*cell-title[^"]*"[^>]*>(.*?)</td>', page, re.S)
    assert title and "山东沂源某某新材料科技股份有限公司" in title.group(1)
    assert 'data-label="统一社会信用代码"' in page
    assert page.count("cell-key") >= 3


def test_filter_panel_is_closed_on_arrival_even_when_filtered(staff_client):
    town = TownFactory(name="悦庄镇")
    page = _page(staff_client, reverse("enterprises:enterprise_list"), {"town": town.pk})
    details = re.search(r"<details[^>]*filter-card[^>]*>", page).group(0)
    assert " open" not in details


def test_active_filters_show_as_chips_that_remove_themselves(staff_client):
    town = TownFactory(name="悦庄镇")
    page = _page(staff_client, reverse("enterprises:enterprise_list"), {"town": town.pk, "q": "新材料"})
    assert "所属乡镇：悦庄镇" in page or "悦庄镇 <i" in page
    assert "搜索：新材料" in page
    # The chip for the town links to the same list without the town.
    assert 'href="?q=%E6%96%B0%E6%9D%90%E6%96%99"' in page


def test_a_drill_down_from_the_dashboard_opens_with_records_first(staff_client):
    ApplicationFactory(approved=True, title="沂源碳纤维中试线建设")
    url = reverse("programs:application_list")
    page = _page(staff_client, url, {"indicator": "funds_approved", "year": 2019})
    details = re.search(r"<details[^>]*filter-card[^>]*>", page).group(0)
    assert " open" not in details
    assert "沂源碳纤维中试线建设" in page


def test_money_drill_down_shows_amounts_and_the_total_over_the_whole_filtered_set(staff_client):
    for amount in ("100", "60.5", "0.25"):
        ApplicationFactory(approved=True, approved_amount=Decimal(amount))
    for _ in range(25):  # a second page: the total still counts every record
        ApplicationFactory(approved=True, approved_amount=Decimal("1"))
    ApplicationFactory(approved=True, approved_amount=Decimal("999"), year=2018, approved_on=None)  # another year
    page = _page(staff_client, reverse("programs:application_list"), {"indicator": "funds_approved", "year": 2019})
    total = re.search(r"data-list-total.*?</div>", page, re.S).group(0)
    assert "185.75" in total  # 100 + 60.5 + 0.25 + 25 × 1
    # Each row's amount is a labelled key cell, so a phone's card shows it too.
    assert re.search(r'<td[^>]*data-label="获批资金\(万元\)"[^>]*>\s*1\s*</td>', page)


def test_sidebar_links_the_ledger_index(staff_client):
    page = _page(staff_client, reverse("enterprises:enterprise_list"))
    assert f'href="{reverse("ledger_index")}"' in page
