"""The user guide's screenshots, taken on the demo county and saved where the guide shows them
(static/help/img/, committed); and the header's "?" opening the section about the page.

Run after a UI change: `pytest tests/browser/test_help_screenshots.py -m browser -p no:xdist`."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from demo.users import DEMO_PASSWORD
from enterprises.models import Enterprise
from programs.models import Application
from reports.models import AnnualReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GUIDE_IMAGES = Path(settings.BASE_DIR) / "static" / "help" / "img"


def guide_shot(page, name: str) -> None:
    """The visible screen (not the whole page), as a person sees it, into the guide's folder."""
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(GUIDE_IMAGES / f"{name}.png"))


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_guide_screenshots_of_a_clerks_day_and_the_question_mark(browser, phone_page, live_server, shot):
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 760})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, "keyuan")

    page.wait_for_selector("[data-ready]")
    page.wait_for_timeout(700)  # the charts' entry animation
    guide_shot(page, "home")

    enterprise = Enterprise.objects.exclude(name_initials="").order_by("pk").first()
    box = page.locator("input[data-global-search]")
    box.click()
    box.type(enterprise.name_initials[:5], delay=60)
    page.locator("#search-suggest a[data-search-hit]", has_text=enterprise.name).first.wait_for()
    guide_shot(page, "search")

    page.goto(f"{base}/enterprises/enterprises/")
    guide_shot(page, "enterprise-list")

    # The form as a clerk meets it: a pasted code with a blank, already held by another enterprise.
    page.goto(f"{base}/enterprises/enterprises/add/")
    page.fill("input[name=name]", "沂源示例新材料有限公司")
    page.fill("input[name=credit_code]", f" {enterprise.credit_code.lower()}")
    page.locator("main form button[type=submit]").first.click()
    error = page.locator(".invalid-feedback, .alert-danger, .errorlist", has_text=enterprise.name).first
    error.wait_for()
    error.scroll_into_view_if_needed()
    guide_shot(page, "enterprise-form")

    application = Application.objects.filter(status=Application.Status.DRAFT, handler__username="keyuan").first()
    application = application or Application.objects.filter(status=Application.Status.COUNTY_REVIEW).first()
    page.goto(f"{base}{application.get_absolute_url()}")
    guide_shot(page, "application-detail")

    page.goto(f"{base}/ledgers/")
    guide_shot(page, "ledger-index")

    report = AnnualReport.objects.order_by("-year").first()
    page.goto(f"{base}{report.get_absolute_url()}")
    guide_shot(page, "report-detail")

    # The "?" of the enterprise list opens the guide at the section about that list.
    page.goto(f"{base}/enterprises/enterprises/")
    page.click("[data-help-link]")
    page.wait_for_url(f"{base}/help/task-enterprise/#enterprise")
    assert page.locator("h2#enterprise").is_visible()
    assert page.locator("article.help-page img").first.evaluate("img => img.naturalWidth") > 0
    shot(page, "help-enterprise-section", full_page=False)
    context.close()

    log_in(phone_page, base, "keyuan")
    phone_page.goto(f"{base}/enterprises/enterprises/")
    guide_shot(phone_page, "phone-list")
