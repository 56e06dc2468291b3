"""A demo-like application: walked through the workflow by its people, funded, with its documents."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from bureau.documents.services import documents_upload
from programs.services import application_transition
from tests.programs.factories import ApplicationFactory, DisbursementFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def walked_application(staff, reviewer):
    """Submitted by the 科员, recommended by the 股室负责人, approved with its 文号, two payments,
    and a 申报书, a 立项通知 and a photo among its documents."""
    app = ApplicationFactory(
        title="高性能聚乙烯改性材料关键技术研究",
        approval_number="淄科发〔2019〕12号",
        contract_number="2019ZDYF012",
    )
    application_transition(application_id=app.pk, actor=staff, action="submit")
    application_transition(application_id=app.pk, actor=reviewer, action="recommend", comment="同意推荐")
    application_transition(
        application_id=app.pk,
        actor=staff,
        action="approve",
        data={"approved_amount": Decimal("100"), "approved_on": datetime.date(2019, 9, 20)},
    )
    DisbursementFactory(application=app, amount=Decimal("60"), paid_on=datetime.date(2019, 11, 5), note="首笔")
    DisbursementFactory(application=app, amount=Decimal("40"), paid_on=datetime.date(2020, 12, 1), note="尾款")
    documents_upload(actor=staff, record=app, kind="proposal", files=[SimpleUploadedFile("申报书.pdf", PDF)])
    documents_upload(
        actor=staff,
        record=app,
        kind="approval_notice",
        files=[SimpleUploadedFile("立项通知.pdf", PDF + b"%notice")],
        date=datetime.date(2019, 9, 20),
    )
    documents_upload(actor=staff, record=app, kind="other", files=[SimpleUploadedFile("现场照片.jpg", jpeg())])
    app.refresh_from_db()
    return app


def read_zip(data: bytes) -> tuple[zipfile.ZipFile, list[list]]:
    """The archive and its index rows (without the header)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet = load_workbook(io.BytesIO(archive.read("索引.xlsx"))).active
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    return archive, rows


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
