"""一企一档 on paper: the print stylesheet keeps the file and drops the portal around it; the PDF
button hands out the same file as a PDF."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bureau.documents.services import documents_upload
from tests.conftest import make_user
from tests.enterprises.factories import CertificationFactory, EnterpriseFactory, YearlyStatisticFactory
from tests.programs.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_enterprise_page_prints_without_portal_and_downloads_as_pdf(page, live_server, login, shot):
    enterprise = EnterpriseFactory(name="鲁中新材料科技有限公司")
    for year in (2018, 2019):
        YearlyStatisticFactory(enterprise=enterprise, year=year)
    CertificationFactory(enterprise=enterprise, certificate_no="GR201937000123")
    application = ApplicationFactory(enterprise=enterprise, title="高性能聚乙烯改性材料关键技术研究")
    uploader = make_user("staff", username="uploader")
    documents_upload(
        actor=uploader,
        record=application,
        kind="approval_notice",
        files=[SimpleUploadedFile("立项通知.pdf", PDF)],
        date=datetime.date(2019, 9, 20),
    )
    login(page, "staff")
    page.goto(f"{live_server.url}{enterprise.get_absolute_url()}")
    page.wait_for_selector("#all-documents")
    assert page.locator("#all-documents").get_by_text("立项通知.pdf").is_visible()
    shot(page, "dossier-enterprise-screen")

    page.emulate_media(media="print")
    for hidden in (".portal-topbar", "#sidebar", ".breadcrumb", ".nav-tabs", ".profile-jump"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert not page.locator("a[href$='/pdf/']").is_visible()
    assert page.locator("#tab-info").is_visible()  # 基本信息 printed after the file
    assert page.locator("#all-documents").get_by_text("立项通知.pdf").is_visible()
    shot(page, "dossier-enterprise-print")

    page.emulate_media(media="screen")
    with page.expect_download() as info:
        page.locator("a[href$='/pdf/']").click()
    download = info.value
    assert download.suggested_filename == "一企一档_鲁中新材料科技有限公司.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_list_dossier_shows_its_progress_page_and_downloads(
    page, live_server, login, shot, django_capture_on_commit_callbacks
):
    for title in ("高性能聚乙烯改性材料关键技术研究", "中药材标准化种植技术示范"):
        ApplicationFactory(title=title, year=2019)
    ApplicationFactory(title="不在筛选内的项目", year=2020)
    login(page, "staff")
    page.goto(f"{live_server.url}/programs/applications/?year=2019")
    page.get_by_role("button", name="导出档案").click()
    page.wait_for_url("**/dossiers/builds/*/")
    page.get_by_role("link", name="下载档案").wait_for()  # eager Celery in tests: built at once
    assert "共 2 个项目申报" in page.content()
    shot(page, "dossier-list-build")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载档案").click()
    assert info.value.suggested_filename.startswith("项目申报档案")
    # Past DOSSIER_RETENTION_DAYS the ZIP is removed: the page says so and offers no download.
    import datetime

    from django.utils import timezone

    from dossiers.services import dossier_builds_purge

    with django_capture_on_commit_callbacks(execute=True):
        assert dossier_builds_purge(now=timezone.now() + datetime.timedelta(days=30)) == 1
    page.reload()
    page.get_by_text("已清理").first.wait_for()
    assert "如需要请重新导出" in page.content()
    assert page.get_by_role("link", name="下载档案").count() == 0
    shot(page, "dossier-list-expired")
