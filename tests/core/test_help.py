"""使用帮助: the guide's pages render, and every page's "?" opens a section that exists."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from bureau.accounts.roles import ADMIN
from bureau.help.render import _markdown, render_page
from bureau.help.topics import PAGES, RECORD_TOPICS, URL_TOPICS
from bureau.records.urls import record_url
from bureau.registry import registry
from tests.conftest import make_user
from tests.factories import load_all_factories

FACTORIES = load_all_factories()
RECORDS = sorted(registry["records"].items())
HELP_LINK = re.compile(r'href="([^"]+)"\s+data-help-link[\s>]')
IMAGE = re.compile(r"!\[[^\]]*\]\(img/([^)]+)\)")
MAIN_PAGES = [
    ("home", {}),
    ("search", {}),
    ("ledger_index", {}),
    ("notifications:inbox", {}),
    ("notifications:settings", {}),
    ("accounts:password_change", {}),
    ("site_settings", {}),
    ("setup_checklist", {}),
    ("help_index", {}),
]


def _help_target(client, url) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    links = HELP_LINK.findall(response.content.decode())
    assert len(links) == 1, f"{url}: {len(links)} '?' links"
    path, _, anchor = links[0].partition("#")
    return path, anchor


def _assert_section_exists(client, path, anchor, where):
    page = client.get(path)
    assert page.status_code == 200, f"{where}: {path}"
    assert anchor, f"{where}: the '?' names no section"
    assert f'id="{anchor}"' in page.content.decode(), f"{where}: no section #{anchor} on {path}"


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user(ADMIN))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "record"), RECORDS, ids=[label for label, _ in RECORDS])
def test_every_record_page_has_a_question_mark_that_opens_its_section(admin_client, label, record):
    obj = FACTORIES[label]()
    for action in ("list", "add", "detail", "edit"):
        url = record_url(record.model if action in ("list", "add") else obj, action)
        path, anchor = _help_target(admin_client, url)
        _assert_section_exists(admin_client, path, anchor, f"{label} {action}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), MAIN_PAGES, ids=[n for n, _ in MAIN_PAGES])
def test_every_main_page_has_a_question_mark_that_opens_its_section(admin_client, name, kwargs):
    path, anchor = _help_target(admin_client, reverse(name, kwargs=kwargs))
    _assert_section_exists(admin_client, path, anchor, name)


@pytest.mark.django_db
def test_the_enterprise_pages_open_the_task_page_and_other_records_their_reference_section(admin_client):
    path, anchor = _help_target(admin_client, reverse("enterprises:enterprise_list"))
    assert (path, anchor) == (reverse("help_page", kwargs={"slug": "task-enterprise"}), "enterprise")
    path, anchor = _help_target(admin_client, reverse("talent:secondment_list"))
    assert (path, anchor) == (reverse("help_page", kwargs={"slug": "records"}), "secondment")


def test_every_section_the_mapping_names_exists():
    for topic in [*URL_TOPICS.values(), *RECORD_TOPICS.values()]:
        slug, _, anchor = topic.partition("#")
        assert anchor in render_page(slug)["anchors"], topic


def test_there_is_a_page_per_role_and_per_task():
    titles = {title for _, title, _ in PAGES}
    assert {"科员", "股室负责人", "局领导", "管理员", "审计员"} <= titles
    assert {"录入一家企业", "项目申报从录入到审核", "导入Excel台账", "生成年度工作报告"} <= titles


def test_every_screenshot_a_page_shows_is_committed_in_the_static_folder():
    folder = Path(settings.BASE_DIR) / "static" / "help" / "img"
    for slug, _, _ in PAGES:
        text = (Path(settings.BASE_DIR) / "bureau" / "help" / "pages" / f"{slug}.md").read_text(encoding="utf-8")
        for name in IMAGE.findall(text):
            assert (folder / name).is_file(), f"{slug}: img/{name} missing (run the browser test test_help_screenshots)"


def test_raw_html_in_a_page_is_shown_as_text_not_run():
    html = _markdown().render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">')
    assert "<script>" not in html and "<img" not in html


@pytest.mark.django_db
def test_the_sidebar_links_the_guide_and_anonymous_readers_are_sent_to_login(client, staff_client):
    page = staff_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("help_index")}"' in page
    response = client.get(reverse("help_page", kwargs={"slug": "role-staff"}))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_an_unknown_help_page_is_not_found(staff_client):
    assert staff_client.get(reverse("help_page", kwargs={"slug": "nope"})).status_code == 404


# Fields whose meaning a newcomer cannot tell from the label: each form explains them under the field.
FIELDS_NEEDING_HELP = {
    "enterprises.enterprise": ("credit_code", "scale"),
    "enterprises.yearlystatistic": ("rd_expenditure", "revenue", "industrial_output", "high_tech_output"),
    "enterprises.certification": ("state", "issued_on", "expires_on", "first_time"),
    "core.countyyear": ("gdp", "population", "industrial_output_above_scale"),
    "core.annualtarget": ("target",),
    "core.activity": ("participants",),
    "programs.application": ("institution", "handler", "acceptance_due_on"),
    "programs.disbursement": ("amount",),
    "programs.program": ("category", "active"),
    "programs.achievement": ("registration_number", "transformed_on"),
    "talent.talentselection": ("mode", "subcategory"),
    "talent.commissioner": ("service_area", "end_year"),
    "talent.institution": ("order",),
}


@pytest.mark.parametrize(("label", "fields"), sorted(FIELDS_NEEDING_HELP.items()))
def test_fields_whose_meaning_is_not_obvious_have_help_under_them(label, fields):
    form = registry["records"][label].form()
    missing = [name for name in fields if not form.fields[name].help_text]
    assert not missing, f"{label}: no help_text for {missing}"


@pytest.mark.django_db
def test_the_form_page_shows_a_fields_help(staff_client):
    page = staff_client.get(reverse("enterprises:enterprise_add")).content.decode()
    assert "规上：年主营业务收入2000万元及以上的工业企业" in page


def test_a_page_states_the_settings_it_names_as_this_portal_has_them(settings):
    from bureau.help.render import PAGES_DIR, SETTINGS

    settings.DOSSIER_RETENTION_DAYS = 30
    settings.PROGRAM_PUBLICITY_WORKING_DAYS = 7
    html = render_page("task-application")["html"]
    assert "生成的 ZIP 保留 30 天" in html and "（7 个工作日）" in html
    # Every {{ NAME }} in the guide is a setting it may state: none is printed as a raw token.
    named = {name for page in PAGES_DIR.glob("*.md") for name in re.findall(r"\{\{ ([A-Z_]+) \}\}", page.read_text())}
    assert named and named <= set(SETTINGS)
    assert all("{{" not in render_page(slug)["html"] for slug, _, _ in PAGES)
