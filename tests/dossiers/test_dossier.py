"""档案导出: the ZIP of one application, of an enterprise and of a filtered list (in the background)."""

import hashlib
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from bureau.documents.services import documents_upload
from dossiers.models import DossierBuild
from dossiers.services import dossier_application_zip, dossier_build_run, dossier_build_start
from dossiers.zipfiles import INDEX_HEADERS, UTF8_FLAG, safe_name
from tests.dossiers.conftest import PDF, content, read_zip
from tests.enterprises.factories import CertificationFactory
from tests.factories import UserFactory
from tests.programs.factories import ApplicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.s3]  # .ci/run runs them again on a real S3 gateway


def pdf_text(data: bytes, tmp_path) -> str:
    import subprocess

    path = tmp_path / "cover.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_application_dossier_holds_cover_files_by_kind_and_an_index_matching_them(staff_client, walked_application):
    response = staff_client.get(reverse("dossiers:application_zip", args=[walked_application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    archive, rows = read_zip(content(response))
    assert sorted(archive.namelist()) == sorted(
        ["封面.pdf", "申报书/申报书.pdf", "立项通知/立项通知.pdf", "其他/现场照片.jpg", "索引.xlsx"]
    )
    # Every file but the index is a row, with its real size and SHA-256; nothing else is.
    assert sorted(r[1] for r in rows) == sorted(n for n in archive.namelist() if n != "索引.xlsx")
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    for _number, path, _kind, _title, _date, size, sha256, record in rows:
        data = archive.read(path)
        assert (size, sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert record == f"项目申报：{walked_application}"
    kinds = {r[1]: (r[2], r[3]) for r in rows}
    assert kinds["立项通知/立项通知.pdf"] == ("立项通知", "立项通知")
    assert kinds["封面.pdf"][0] == "封面"
    assert archive.read("申报书/申报书.pdf") == PDF


def test_names_in_the_zip_are_utf8_flagged(staff, walked_application):
    out, name = dossier_application_zip(actor=staff, application_id=walked_application.pk)
    assert name == "档案_2019_高性能聚乙烯改性材料关键技术研究.zip"
    infos = zipfile.ZipFile(out).infolist()
    assert all(info.flag_bits & UTF8_FLAG for info in infos)


def test_cover_shows_fields_numbers_timeline_with_who_and_disbursements(staff, walked_application, tmp_path):
    out, _ = dossier_application_zip(actor=staff, application_id=walked_application.pk)
    text = pdf_text(zipfile.ZipFile(out).read("封面.pdf"), tmp_path)
    for expected in (
        "高性能聚乙烯改性材料关键技术研究",
        "淄科发〔2019〕12号",
        "2019ZDYF012",
        "提交审核",
        "推荐上报",
        "同意推荐",
        "登记立项",
        "首笔",
        "尾款",
        "立项通知.pdf",
    ):
        assert expected in text, expected
    assert staff.first_name and staff.first_name in text  # who moved it


def test_index_sheet_has_the_fixed_headers(staff, walked_application):
    from io import BytesIO

    from openpyxl import load_workbook

    out, _ = dossier_application_zip(actor=staff, application_id=walked_application.pk)
    sheet = load_workbook(BytesIO(zipfile.ZipFile(out).read("索引.xlsx"))).active
    assert [c.value for c in sheet[1]] == list(INDEX_HEADERS)


def test_enterprise_dossier_holds_its_pdf_and_the_documents_of_its_records(staff, staff_client, walked_application):
    enterprise = walked_application.enterprise
    certification = CertificationFactory(enterprise=enterprise, certificate_no="GR201937000123")
    documents_upload(
        actor=staff, record=certification, kind="certificate", files=[SimpleUploaded("高企证书.pdf", PDF + b"%c")]
    )
    documents_upload(
        actor=staff, record=enterprise, kind="business_license", files=[SimpleUploaded("营业执照.pdf", PDF + b"%l")]
    )
    response = staff_client.get(reverse("dossiers:enterprise_zip", args=[enterprise.pk]))
    assert response.status_code == 200
    archive, rows = read_zip(content(response))
    folder = f"项目申报/{safe_name('2019_' + walked_application.title, limit=60)}/"
    names = set(archive.namelist())
    assert {
        "封面.pdf",
        "企业材料/营业执照/营业执照.pdf",
        f"{folder}封面.pdf",
        f"{folder}立项通知/立项通知.pdf",
        f"企业资质/{safe_name(str(certification), limit=60)}/证书/高企证书.pdf",
        "索引.xlsx",
    } <= names
    assert sorted(r[1] for r in rows) == sorted(names - {"索引.xlsx"})


def SimpleUploaded(name, data):  # noqa: N802 - reads like the Django class it wraps
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_user_who_may_not_view_applications_is_refused(client, walked_application):
    nobody = UserFactory()
    client.force_login(nobody)
    assert client.get(reverse("dossiers:application_zip", args=[walked_application.pk])).status_code == 403
    assert client.get(reverse("dossiers:enterprise_zip", args=[walked_application.enterprise_id])).status_code == 403
    assert client.get(reverse("dossiers:enterprise_pdf", args=[walked_application.enterprise_id])).status_code == 403
    assert client.post(reverse("dossiers:applications_build"), {"query": ""}).status_code == 403
    assert not DossierBuild.objects.exists()


def test_leader_may_export_what_they_may_view(leader_client, walked_application):
    response = leader_client.get(reverse("dossiers:application_zip", args=[walked_application.pk]))
    assert response.status_code == 200


def test_list_dossier_is_built_by_the_task_with_progress(
    staff, staff_client, walked_application, django_capture_on_commit_callbacks
):
    other = ApplicationFactory(year=2019, program=walked_application.program)
    ApplicationFactory(year=2020)  # filtered out
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery: the task runs on commit
        response = staff_client.post(
            reverse("dossiers:applications_build"), {"query": f"year=2019&program={walked_application.program_id}"}
        )
    build = DossierBuild.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:build_detail", args=[build.pk])
    assert sorted(build.application_ids) == sorted([walked_application.pk, other.pk])
    build.refresh_from_db()
    assert (build.state, build.progress) == (DossierBuild.State.SUCCEEDED, 100)
    page = staff_client.get(reverse("dossiers:build_detail", args=[build.pk]))
    assert "下载档案" in page.content.decode()
    archive, rows = read_zip(content(staff_client.get(reverse("dossiers:build_download", args=[build.pk]))))
    folders = {n.split("/")[0] for n in archive.namelist() if "/" in n}
    assert folders == {safe_name(f"{a.year}_{a.title}", limit=60) for a in (walked_application, other)}
    assert sorted(r[1] for r in rows) == sorted(n for n in archive.namelist() if n != "索引.xlsx")


def test_progress_is_reported_while_the_list_dossier_runs(
    staff, walked_application, django_capture_on_commit_callbacks
):
    seen = []
    from dossiers import services

    original = services._progress

    def spy(build_id, percent, message):
        seen.append((percent, message))
        original(build_id, percent, message)

    with django_capture_on_commit_callbacks(execute=False):
        build = dossier_build_start(actor=staff, application_ids=[walked_application.pk], title="测试档案")
    services._progress = spy
    try:
        dossier_build_run(build_id=build.pk)
    finally:
        services._progress = original
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    assert any("封面" in m for _, m in seen) and any("打包" in m for _, m in seen)


def test_task_refuses_a_requester_who_lost_the_right(staff, walked_application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        build = dossier_build_start(actor=staff, application_ids=[walked_application.pk], title="测试档案")
    staff.groups.set([Group.objects.get_or_create(name="无权限")[0]])
    staff = type(staff).objects.get(pk=staff.pk)  # drop the cached permissions
    build = dossier_build_run(build_id=build.pk)
    assert build.state == DossierBuild.State.FAILED
    assert "可以" in build.message  # names who may
    assert not build.file


def test_someone_elses_build_is_not_found(
    reviewer_client, staff, walked_application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        build = dossier_build_start(actor=staff, application_ids=[walked_application.pk], title="测试档案")
    assert reviewer_client.get(reverse("dossiers:build_download", args=[build.pk])).status_code == 404


def test_dossier_builder_query_count_does_not_grow_with_applications(staff, django_assert_num_queries):
    from dossiers.builder import applications_dossier

    few = [a.pk for a in ApplicationFactory.create_batch(1)]
    many = [a.pk for a in ApplicationFactory.create_batch(6)]
    for app in ApplicationFactory._meta.model.objects.all():
        documents_upload(actor=staff, record=app, kind="proposal", files=[SimpleUploaded("申报书.pdf", PDF)])
    applications_dossier(few, actor=staff)  # warm the content-type and site-settings caches
    for ids in (few, many):
        with django_assert_num_queries(4):  # applications, their logs, disbursements, documents
            entries = applications_dossier(ids, actor=staff)
        assert len(entries) == 2 * len(ids)


def test_enterprise_page_lists_the_documents_of_all_its_records(staff, staff_client, walked_application):
    enterprise = walked_application.enterprise
    certification = CertificationFactory(enterprise=enterprise)
    documents_upload(
        actor=staff, record=certification, kind="certificate", files=[SimpleUploaded("高企证书.pdf", PDF + b"%c")]
    )
    page = staff_client.get(enterprise.get_absolute_url()).content.decode()
    section = page.split('id="all-documents"', 1)[1]
    for name in ("申报书.pdf", "立项通知.pdf", "现场照片.jpg", "高企证书.pdf"):
        assert name in section
    assert walked_application.get_absolute_url() in section and certification.get_absolute_url() in section


def test_enterprise_pdf_lists_its_sections_and_documents(staff_client, walked_application, tmp_path):
    response = staff_client.get(reverse("dossiers:enterprise_pdf", args=[walked_application.enterprise_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    for expected in (
        walked_application.enterprise.name,
        "企业资质",
        "年度统计",
        "项目申报",
        "档案材料",
        "立项通知.pdf",
    ):
        assert expected in text, expected


def test_stale_build_ends_in_failure(staff, walked_application, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from dossiers.services import dossier_build_expire

    with django_capture_on_commit_callbacks(execute=False):
        build = dossier_build_start(actor=staff, application_ids=[walked_application.pk], title="测试档案")
    DossierBuild.objects.filter(pk=build.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    build = dossier_build_expire(build=DossierBuild.objects.get(pk=build.pk))
    assert build.state == DossierBuild.State.FAILED
    assert "重新导出" in build.message


def test_every_dossier_export_is_in_the_audit_log(staff, staff_client, walked_application):
    from bureau.audit.models import AuditEvent, AuditKind

    enterprise = walked_application.enterprise
    staff_client.get(reverse("dossiers:application_zip", args=[walked_application.pk]))
    staff_client.get(reverse("dossiers:enterprise_zip", args=[enterprise.pk]))
    staff_client.get(reverse("dossiers:enterprise_pdf", args=[enterprise.pk]))
    build = dossier_build_start(actor=staff, application_ids=[walked_application.pk], title="2019年档案")
    dossier_build_run(build_id=build.pk)
    staff_client.get(reverse("dossiers:build_download", args=[build.pk]))
    events = AuditEvent.objects.filter(kind=AuditKind.EXPORT).order_by("pk")
    assert [(e.actor_id, e.detail) for e in events] == [
        (staff.pk, f"导出项目申报档案（含附件）「{walked_application}」"),
        (staff.pk, f"导出企业档案（含附件）「{enterprise}」"),
        (staff.pk, f"导出一企一档 PDF「{enterprise}」"),
        (staff.pk, "下载档案导出「2019年档案」（1个项目申报，含附件）"),
    ]
    # A refused export leaves none (a user without a role; someone else's build).
    from django.test import Client

    refused = Client()
    refused.force_login(UserFactory())
    refused.get(reverse("dossiers:application_zip", args=[walked_application.pk]))
    refused.get(reverse("dossiers:build_download", args=[build.pk]))
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT).count() == 4


def test_list_dossier_zips_past_their_retention_are_removed_and_the_build_says_so(
    staff, staff_client, walked_application, django_capture_on_commit_callbacks, settings
):
    import datetime

    from django.utils import timezone

    from dossiers.services import dossier_builds_purge

    settings.DOSSIER_RETENTION_DAYS = 7
    builds = []
    for title in ("旧档案", "新档案"):
        build = dossier_build_start(actor=staff, application_ids=[walked_application.pk], title=title)
        builds.append(dossier_build_run(build_id=build.pk))
    old, new = builds
    storage = DossierBuild.file.field.storage
    assert storage.exists(old.file.name) and storage.exists(new.file.name)
    now = timezone.now()
    DossierBuild.objects.filter(pk=old.pk).update(finished_at=now - datetime.timedelta(days=8))
    DossierBuild.objects.filter(pk=new.pk).update(finished_at=now - datetime.timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert dossier_builds_purge(now=now) == 1
    assert not storage.exists(old.file.name) and storage.exists(new.file.name)
    old.refresh_from_db()
    assert (old.state, old.file.name) == (DossierBuild.State.EXPIRED, "")
    page = staff_client.get(reverse("dossiers:build_detail", args=[old.pk])).content.decode()
    assert "已清理" in page and "按保留期限（7天）清理，如需要请重新导出" in page and "下载档案" not in page
    assert staff_client.get(reverse("dossiers:build_download", args=[old.pk])).status_code == 404
    assert dossier_builds_purge(now=now) == 0  # nothing twice
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "dossiers.purge_builds")
    assert entry["schedule"]
