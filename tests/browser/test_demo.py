"""The demo county in Chromium: after seed_demo, the leader logs in and the dashboard is full."""

from io import StringIO

import pytest
from django.core.management import call_command

from bureau.indicators import NAMES
from demo import figures as F
from demo.users import DEMO_PASSWORD
from programs.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_the_leader_opens_a_dashboard_full_of_data_on_desktop_and_phone(page, phone_page, live_server, shot):
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    base = live_server.url

    log_in(page, base, "juzhang")  # 局领导 of the demo
    page.wait_for_selector("#chart-projects[data-ready], #chart-high_tech[data-ready]")
    page.wait_for_timeout(700)  # the charts' entry animation
    shot(page, "demo-dashboard-desktop")
    assert "2020" in page.locator("main h1, main .dash-year, select[name=year]").first.inner_text() or (
        page.locator("select[name=year] option[selected]").first.inner_text().startswith("2020")
    )
    cards = page.locator(".kpi-card")
    assert cards.count() >= len(NAMES)
    assert page.locator(".kpi-missing").count() == 0  # every figure has its inputs
    # 我的待办 of a 局领导: only what concerns them (sign-offs and overdue items), never the clerks' queue.
    items = page.locator(".dash-reminders li").all_inner_texts()
    assert items, "the demo county has overdue work a leader should see"
    assert all("逾期" in item or "签" in item for item in items), items

    # 2019: the seed report's figures on the cards.
    page.goto(f"{base}/?year={F.YEAR}")
    page.wait_for_selector("#chart-needs[data-ready]")
    page.wait_for_timeout(700)
    shot(page, "demo-dashboard-2019")
    for code in ("applications_approved", "needs_collected", "high_tech_enterprises", "tech_smes"):
        value = page.locator(f'.kpi-card[data-indicator="{code}"] .kpi-value').inner_text()
        assert value.replace(",", "").strip() == str(F.FIGURES[code]), code

    # An application's timeline: steps by the clerks and the reviewer, with comments.
    returned = Application.objects.filter(logs__action="return").order_by("-pk").first()
    page.goto(f"{base}{returned.get_absolute_url()}")
    shot(page, "demo-application-timeline")
    body = page.inner_text("main")
    assert "赵股长" in body and "退回修改" in body

    log_in(phone_page, base, "juzhang")
    phone_page.wait_for_selector("#chart-needs[data-ready]")
    phone_page.wait_for_timeout(700)
    shot(phone_page, "demo-dashboard-phone")
    shot(phone_page, "demo-dashboard-phone-top", full_page=False)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert phone_page.locator(".kpi-missing").count() == 0
