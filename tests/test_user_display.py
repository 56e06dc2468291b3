"""A person is shown by name, never by login name: on pages, in exports and in the history."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bureau.accounts.display import NO_NAME, user_display
from bureau.records.urls import record_url
from enterprises.models import Need
from tests.enterprises.factories import NeedFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_a_user_is_shown_by_surname_then_given_name_and_never_by_login_name():
    assert user_display(UserFactory.build(username="zhangsan", first_name="张三")) == "张三"
    assert user_display(UserFactory.build(username="ls", last_name="李", first_name="四")) == "李四"
    assert user_display(UserFactory.build(username="nameless", first_name="", last_name="")) == NO_NAME


def _handled_need(staff):
    handler = UserFactory(username="handler_login", first_name="孙对接")
    need = NeedFactory(handler=handler)
    need.title = need.title + "（已分派）"
    need.save()  # a second history step
    return need


def test_the_need_page_and_its_history_name_the_handler(staff, staff_client):
    need = _handled_need(staff)
    page = staff_client.get(need.get_absolute_url()).content.decode()
    assert "孙对接" in page
    assert "handler_login" not in page
    assert staff.username not in page  # nor the login name of the one reading it


def test_the_need_list_and_its_export_name_the_handler(staff, staff_client):
    _handled_need(staff)
    page = staff_client.get(record_url(Need, "list")).content.decode()
    assert "孙对接" in page and "handler_login" not in page
    export = staff_client.get(record_url(Need, "list") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "孙对接" in cells
    assert not any("handler_login" in c for c in cells)


def test_templates_and_code_show_users_only_through_user_display():
    """One way to show a user: no template or module builds a user's name itself."""
    offenders = []
    apps = ("bureau", "enterprises", "programs", "talent", "reports", "demo")
    for path in [*(ROOT / "templates").rglob("*.html"), *(p for app in apps for p in (ROOT / app).rglob("*.py"))]:
        if path == ROOT / "bureau" / "accounts" / "display.py":
            continue
        if path == ROOT / "bureau" / "audit" / "services.py":
            continue  # the audit log records the login name used (evidence), shown to the auditor only
        text = path.read_text(encoding="utf-8")
        if re.search(r"get_full_name|\.get_username\(\)|\|default:[\w.]*\.username|{{\s*[\w.]*\.username\s*}}", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
