"""The Content-Security-Policy breaks nothing: no violation and no script error on the scripted pages."""

import pytest

from tests.enterprises.factories import EnterpriseFactory, YearlyStatisticFactory
from tests.programs.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_scripted_pages_run_under_the_csp_without_a_violation(page, live_server, login):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    enterprise = EnterpriseFactory()
    for year in (2017, 2018, 2019):
        YearlyStatisticFactory(enterprise=enterprise, year=year, rd_expenditure=100 + year - 2017)
    ApplicationFactory()
    login(page, "reviewer")
    page.goto(f"{live_server.url}{enterprise.get_absolute_url()}")
    page.wait_for_selector("#rd-chart svg")  # the chart script now in static/js/rd-chart.js
    page.goto(f"{live_server.url}/programs/applications/")
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.click("[data-export-selected]")  # nothing ticked: asks to tick first (portal.js)
    assert dialogs == ["请先勾选要导出的项目。"]
    page.goto(f"{live_server.url}/")
    assert problems == []
