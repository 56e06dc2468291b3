"""Attachments (issue 18): content checks, storage, rights, versions, the panel.

Marked ``s3``: .ci/run runs this module a second time against a real S3 gateway (SeaweedFS)."""

from __future__ import annotations

import urllib.parse

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bureau.accounts.roles import AUDITOR
from bureau.documents.models import Document, DocumentVersion
from bureau.documents.selectors import documents_for, documents_for_objects
from bureau.documents.services import document_delete, document_replace, document_restore, documents_upload
from tests.conftest import _client_for, make_user
from tests.documents import files
from tests.documents.conftest import stored_files
from tests.enterprises.factories import EnterpriseFactory
from tests.programs.factories import ApplicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.s3]


def _upload(actor, record, *uploads, kind="approval_notice", **kwargs):
    return documents_upload(actor=actor, record=record, kind=kind, files=list(uploads), **kwargs)


REFUSED = [
    pytest.param("立项通知.pdf", files.EXE, "「立项通知.pdf」未上传：文件内容是可执行程序", id="exe-renamed-pdf"),
    pytest.param("合同.pdf", files.ELF, "「合同.pdf」未上传：文件内容是可执行程序", id="elf-renamed-pdf"),
    pytest.param("拨付明细.xlsm", files.xlsx(), "「拨付明细.xlsm」未上传：含宏的 Office 文件", id="xlsm"),
    pytest.param(
        "任务书.docx", files.docx(macro=True), "「任务书.docx」未上传：文档中含有宏（vbaProject.bin）", id="docx-macro"
    ),
    pytest.param("空白.pdf", b"", "「空白.pdf」未上传：文件是空的（0 字节）", id="zero-bytes"),
    pytest.param("../../etc/passwd.pdf", files.pdf(), "「../../etc/passwd.pdf」未上传：文件名不能包含路径", id="path"),
    pytest.param("CON.pdf", files.pdf(), "「CON.pdf」未上传：文件名“CON”是系统保留名", id="reserved"),
    pytest.param("a\x07b.pdf", files.pdf(), "「a?b.pdf」未上传：文件名含有控制字符", id="control-char"),
    pytest.param("setup.exe", files.EXE, "「setup.exe」未上传：不接受 .exe 文件", id="exe"),
    pytest.param("报告.docx", files.pdf(), "「报告.docx」未上传：文件内容（pdf）与扩展名 .docx 不符", id="pdf-as-docx"),
    pytest.param("报告.xlsx", files.docx(), "「报告.xlsx」未上传：文件内容不是 Excel 工作簿", id="docx-as-xlsx"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_each_refused_file_gets_its_message_and_nothing_is_stored(staff, name, content, message):
    app = ApplicationFactory()
    with pytest.raises(ValidationError) as refused:
        _upload(staff, app, files.raw_named(name, content))
    assert refused.value.messages[0].startswith(message), refused.value.messages
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert stored_files() == []


def test_oversize_file_is_cut_off_while_it_streams_in_and_refused(staff_client, settings):
    settings.DOCUMENT_MAX_BYTES = 4096
    app = ApplicationFactory()
    response = staff_client.post(
        _upload_url(app),
        {"kind": "approval_notice", "files": [files.upload("大文件.pdf", files.pdf() + b"0" * 10_000)]},
        follow=True,
    )
    assert "「大文件.pdf」未上传：文件超过大小上限 4 KB" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == []


def test_upload_handler_drops_the_bytes_past_the_limit(settings):
    from bureau.documents.upload import OversizeUpload, SizeLimitUploadHandler

    settings.DOCUMENT_MAX_BYTES = 10
    handler = SizeLimitUploadHandler()
    handler.new_file("files", "big.pdf", "application/pdf", 100)
    assert handler.receive_data_chunk(b"x" * 8, 0) == b"x" * 8
    assert handler.receive_data_chunk(b"x" * 8, 8) is None  # not passed on to the buffering handlers
    result = handler.file_complete(16)
    assert isinstance(result, OversizeUpload) and result.size == 16 and result.read() == b""


def test_a_refused_file_refuses_the_whole_batch_naming_each(staff):
    app = ApplicationFactory()
    with pytest.raises(ValidationError) as refused:
        _upload(
            staff,
            app,
            files.upload("好.pdf", files.pdf()),
            files.upload("坏.pdf", files.EXE),
            files.upload("空.png", b""),
        )
    assert [m.split("：")[0] for m in refused.value.messages] == ["「坏.pdf」未上传", "「空.png」未上传"]
    assert not Document.objects.exists()


def test_accepted_types_are_stored_with_their_checked_type(staff):
    app = ApplicationFactory()
    uploads = [
        files.upload("立项通知.pdf", files.pdf()),
        files.upload("现场.jpg", files.jpg()),
        files.upload("图.png", files.png()),
        files.upload("任务书.docx", files.docx()),
        files.upload("预算.xlsx", files.xlsx()),
    ]
    documents = _upload(staff, app, *uploads, kind="other")
    assert [d.current.file_type for d in documents] == ["pdf", "jpg", "png", "docx", "xlsx"]
    assert documents[1].current.content_type == "image/jpeg"
    assert [d.title for d in documents] == ["立项通知", "现场", "图", "任务书", "预算"]


def test_same_content_uploaded_twice_is_stored_once(staff):
    app, other = ApplicationFactory(), ApplicationFactory()
    first = _upload(staff, app, files.upload("立项通知.pdf", files.pdf("同一份")))[0]
    second = _upload(staff, other, files.upload("副本.pdf", files.pdf("同一份")))[0]
    assert first.current.sha256 == second.current.sha256
    assert stored_files() == [first.current.storage_name]
    with second.current.open() as f:
        assert f.read() == files.pdf("同一份")


def test_replace_keeps_the_old_version_listed_and_downloadable(staff, staff_client):
    app = ApplicationFactory()
    document = _upload(staff, app, files.upload("立项通知.pdf", files.pdf("第一版")))[0]
    old = document.current
    new = document_replace(actor=staff, document=document, file=files.upload("立项通知(盖章).pdf", files.pdf("第二版")))
    document.refresh_from_db()
    assert (document.current, new.number) == (new, 2)
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    assert b"".join(staff_client.get(reverse("documents:file", args=[old.token])).streaming_content) == files.pdf(
        "第一版"
    )
    page = staff_client.get(app.get_absolute_url()).content.decode()
    assert "历史版本（1）" in page and reverse("documents:file", args=[old.token]) in page


def test_leader_cannot_upload_replace_or_delete_through_the_service(staff, leader):
    app = ApplicationFactory()
    document = _upload(staff, app, files.upload("立项通知.pdf", files.pdf()))[0]
    with pytest.raises(PermissionDenied, match="只有.*可以为项目申报上传附件"):
        _upload(leader, app, files.upload("x.pdf", files.pdf("x")))
    with pytest.raises(PermissionDenied):
        document_replace(actor=leader, document=document, file=files.upload("y.pdf", files.pdf("y")))
    with pytest.raises(PermissionDenied):
        document_delete(actor=leader, document=document)
    assert Document.objects.get().deleted_at is None
    assert DocumentVersion.objects.count() == 1


def test_leader_sees_and_downloads_but_gets_no_upload_or_delete_control(staff, leader_client):
    app = ApplicationFactory()
    document = _upload(staff, app, files.upload("立项通知.pdf", files.pdf()))[0]
    page = leader_client.get(app.get_absolute_url()).content.decode()
    assert "立项通知.pdf" in page
    assert reverse("documents:file", args=[document.current.token]) in page
    assert "data-documents-upload" not in page and reverse("documents:delete", args=[document.token]) not in page
    assert leader_client.get(reverse("documents:file", args=[document.current.token])).status_code == 200
    response = leader_client.post(_upload_url(app), {"kind": "other", "files": [files.upload("x.pdf", files.pdf("x"))]})
    assert response.status_code == 403
    assert leader_client.post(reverse("documents:delete", args=[document.token])).status_code == 403
    assert Document.objects.count() == 1


def test_file_urls_carry_a_random_token_and_refuse_anonymous_and_unauthorised_users(staff, client):
    app = ApplicationFactory()
    version = _upload(staff, app, files.upload("立项通知.pdf", files.pdf()))[0].current
    url = reverse("documents:file", args=[version.token])
    assert str(app.pk) not in url.replace(str(version.token), "")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    auditor = _client_for(make_user(AUDITOR))  # may read the audit log only
    assert auditor.get(url).status_code == 403
    assert auditor.get(reverse("documents:preview", args=[version.token])).status_code == 403
    assert client.get(reverse("documents:file", args=["00000000-0000-0000-0000-000000000000"])).status_code == 302


def test_unknown_token_is_not_found(staff_client):
    assert staff_client.get(reverse("documents:file", args=["9b2f3a52-1f1e-4a40-9a55-3d2f8c1b1e11"])).status_code == 404


def test_download_keeps_the_chinese_name_rfc5987_and_preview_is_inline_for_pdf_only(staff, staff_client):
    app = ApplicationFactory()
    pdf_doc, docx_doc = _upload(
        staff,
        app,
        files.upload("立项通知 2020.pdf", files.pdf()),
        files.upload("任务书.docx", files.docx()),
        kind="other",
    )
    download = staff_client.get(reverse("documents:file", args=[pdf_doc.current.token]))
    quoted = urllib.parse.quote("立项通知 2020.pdf")
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quoted}"
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    inline = staff_client.get(reverse("documents:file", args=[pdf_doc.current.token]) + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline;")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    word = staff_client.get(reverse("documents:file", args=[docx_doc.current.token]) + "?inline=1")
    assert word["Content-Disposition"].startswith("attachment;")  # only PDF and images open in the page
    preview = staff_client.get(reverse("documents:preview", args=[pdf_doc.current.token])).content.decode()
    assert f"{reverse('documents:file', args=[pdf_doc.current.token])}?inline=1" in preview


def test_x_accel_redirect_hands_a_file_on_disk_to_nginx_and_an_s3_file_is_streamed(staff, staff_client, settings):
    settings.DOCUMENTS_X_ACCEL_REDIRECT = "/protected-documents/"
    version = _upload(staff, ApplicationFactory(), files.upload("立项通知.pdf", files.pdf()))[0].current
    response = staff_client.get(reverse("documents:file", args=[version.token]))
    if settings.DOCUMENTS_S3_ENDPOINT:
        # nginx cannot read the object store: the setting is ignored and the app streams the bytes.
        assert "X-Accel-Redirect" not in response
        assert b"".join(response.streaming_content) == files.pdf()
    else:
        assert response["X-Accel-Redirect"] == f"/protected-documents/{version.storage_name}"
        assert response.content == b""


def test_deleted_document_leaves_the_list_and_a_reviewer_restores_it(staff, reviewer, reviewer_client):
    app = ApplicationFactory()
    document = _upload(staff, app, files.upload("立项通知.pdf", files.pdf()))[0]
    document_delete(actor=staff, document=document)
    assert documents_for(app) == []
    page = reviewer_client.get(app.get_absolute_url()).content.decode()
    assert "已删除的附件（1）" in page
    with pytest.raises(PermissionDenied, match="只有股室负责人、管理员可以恢复"):
        document_restore(actor=staff, document=document)
    reviewer_client.post(reverse("documents:restore", args=[document.token]))
    assert documents_for(app) == [document]


def test_client_upload_of_several_files_lists_them_on_the_record_page(staff_client):
    app = ApplicationFactory()
    response = staff_client.post(
        _upload_url(app),
        {
            "kind": "approval_notice",
            "date": "2020-05-18",
            "files": [files.upload("立项通知.pdf", files.pdf()), files.upload("现场照片.jpg", files.jpg())],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已上传 2 个附件：立项通知.pdf、现场照片.jpg" in page
    assert [(d.kind_label, d.title, str(d.date)) for d in documents_for(app)] == [
        ("立项通知", "立项通知", "2020-05-18"),
        ("立项通知", "现场照片", "2020-05-18"),
    ]


def test_a_path_in_the_uploaded_name_never_reaches_the_storage_or_the_list(staff_client):
    app = ApplicationFactory()
    staff_client.post(_upload_url(app), {"kind": "other", "files": [files.upload("../../evil.pdf", files.pdf())]})
    assert all("/" not in v.original_name and ".." not in v.original_name for v in DocumentVersion.objects.all())


def test_documents_for_lists_current_versions_in_declared_kind_order(staff):
    app = ApplicationFactory()
    ent = EnterpriseFactory()
    _upload(staff, app, files.upload("验收.pdf", files.pdf("验收")), kind="acceptance_report")
    _upload(staff, app, files.upload("申报书.pdf", files.pdf("申报")), kind="proposal")
    gone = _upload(staff, app, files.upload("作废.pdf", files.pdf("作废")), kind="other")[0]
    document_delete(actor=staff, document=gone)
    _upload(staff, ent, files.upload("营业执照.jpg", files.jpg()), kind="business_license")
    assert [(d.kind_label, d.title) for d in documents_for(app)] == [("申报书", "申报书"), ("验收报告", "验收")]
    by_record = documents_for_objects([app, ent])
    assert [d.title for d in by_record[ent]] == ["营业执照"]
    with by_record[app][0].current.open() as f:
        assert f.read() == files.pdf("申报")


def test_upload_needs_a_declared_kind(staff):
    with pytest.raises(ValidationError, match="请选择附件类别"):
        _upload(staff, ApplicationFactory(), files.upload("a.pdf", files.pdf()), kind="certificate")


def test_documents_panel_query_count_is_the_same_for_3_and_15_documents(staff, staff_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = ApplicationFactory()
    url = app.get_absolute_url()

    def add(n, start):
        for i in range(start, start + n):
            d = _upload(staff, app, files.upload(f"文件{i}.pdf", files.pdf(str(i))), kind="other")[0]
            document_replace(actor=staff, document=d, file=files.upload(f"文件{i}v2.pdf", files.pdf(f"{i}v2")))
            if i % 3 == 0:
                document_delete(actor=staff, document=d)

    add(3, 0)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as three:
        staff_client.get(url)
    add(12, 3)
    with django_assert_num_queries(len(three)):
        page = staff_client.get(url).content.decode()
    assert "文件14v2.pdf" in page


def _upload_url(record) -> str:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(record)
    return reverse("documents:upload", kwargs={"content_type_id": ct.pk, "object_id": record.pk})


def test_the_documents_storage_is_s3_exactly_when_an_endpoint_is_set(settings):
    from bureau.documents.storage import documents_storage, is_filesystem

    storage = documents_storage()
    if settings.DOCUMENTS_S3_ENDPOINT:
        assert type(storage).__name__ == "S3Storage" and storage.endpoint_url == settings.DOCUMENTS_S3_ENDPOINT
    else:
        assert is_filesystem(storage) and not str(storage.location).startswith(str(settings.MEDIA_ROOT))


def test_storage_check_command_writes_reads_and_removes_a_probe():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("documents_storage_check", "--create-bucket", stdout=out)
    assert "附件存储正常" in out.getvalue()
    assert stored_files() == []


def test_upload_without_a_kind_says_which_field_is_missing(staff_client):
    app = ApplicationFactory()
    response = staff_client.post(
        _upload_url(app), {"kind": "", "files": [files.upload("a.pdf", files.pdf())]}, follow=True
    )
    assert "类别：这个字段是必填项。" in response.content.decode()
    assert not Document.objects.exists()


def test_roles_give_attachment_writes_to_staff_and_reviewers_and_only_viewing_to_leaders():
    from bureau.accounts.roles import ROLES

    staff, reviewer, leader = (ROLES[r] for r in ("staff", "reviewer", "leader"))
    for action in ("add", "change", "delete"):
        assert staff.grants(f"documents.{action}_document") and reviewer.grants(f"documents.{action}_document")
        assert not leader.grants(f"documents.{action}_document")
    assert leader.grants("documents.view_document")


def test_uploads_replacements_and_every_read_of_a_file_are_in_the_audit_log(staff, leader, leader_client):
    from bureau.audit.models import AuditEvent, AuditKind

    app = ApplicationFactory()
    document = _upload(staff, app, files.upload("立项通知.pdf", files.pdf()))[0]
    document_replace(actor=staff, document=document, file=files.upload("立项通知(盖章).pdf", files.pdf("2")))
    token = document.versions.get(number=2).token
    leader_client.get(reverse("documents:file", args=[token]) + "?inline=1")
    leader_client.get(reverse("documents:file", args=[token]))
    leader_client.get(reverse("documents:preview", args=[token]))  # the page around the viewer: not a read
    events = list(
        AuditEvent.objects.filter(object_type=Document._meta.verbose_name, object_id=str(document.pk)).order_by("pk")
    )
    assert [(e.kind, e.actor_id) for e in events] == [
        (AuditKind.UPLOAD, staff.pk),
        (AuditKind.UPLOAD, staff.pk),
        (AuditKind.DOWNLOAD, leader.pk),
        (AuditKind.DOWNLOAD, leader.pk),
    ]
    details = [e.detail for e in events]
    assert details[0].startswith(f"项目申报「{app}」：上传附件「立项通知」（立项通知，立项通知.pdf，")
    assert "替换附件「立项通知」为第2版（立项通知(盖章).pdf，" in details[1]
    assert details[2].endswith("在线查看附件「立项通知」第2版（立项通知(盖章).pdf）")
    assert details[3].endswith("下载附件「立项通知」第2版（立项通知(盖章).pdf）")
    assert events[2].path.startswith(reverse("documents:file", args=[token]))


def test_a_refused_upload_or_download_leaves_no_audit_event_of_a_file(staff, client):
    from bureau.audit.models import AuditEvent, AuditKind

    app = ApplicationFactory()
    with pytest.raises(ValidationError):
        _upload(staff, app, files.upload("setup.exe", files.EXE))
    document = _upload(staff, app, files.upload("立项通知.pdf", files.pdf()))[0]
    _client_for(make_user(AUDITOR)).get(reverse("documents:file", args=[document.current.token]))
    assert not AuditEvent.objects.filter(kind=AuditKind.DOWNLOAD).exists()
    assert AuditEvent.objects.filter(kind=AuditKind.UPLOAD).count() == 1
