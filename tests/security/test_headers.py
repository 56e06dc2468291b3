"""Issue 22, finding 7: CSP without inline script, Permissions-Policy, no-store, request body limits."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bureau.middleware import body_limit

TEMPLATES = Path(settings.BASE_DIR) / "templates"


class Unreadable:
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_no_template_has_inline_script_or_an_inline_event_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text.replace('type="application/json"', "src=")):
            offenders.append(f"{path.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.name}: on…= handler")
    assert offenders == []


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_script_and_a_permissions_policy(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_signed_in_pages_and_downloads_are_not_stored(staff_client):
    page = staff_client.get(reverse("home"))
    assert "no-store" in page["Cache-Control"]
    download = staff_client.get("/programs/applications/?export=xlsx")
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]


@pytest.mark.django_db
def test_an_anonymous_300_mb_post_is_refused_without_being_read():
    client = Client()
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        b"",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "过大" in response.content.decode()


def test_only_the_ledger_import_takes_an_upload():
    assert body_limit("/ledgers/enterprises/import/") > settings.LEDGER_MAX_BYTES
    assert body_limit("/enterprises/enterprises/add/") == settings.REQUEST_BODY_MAX_BYTES <= 1024 * 1024
    assert body_limit("/ledgers/enterprises/import/x") == settings.REQUEST_BODY_MAX_BYTES
