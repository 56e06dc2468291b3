import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bureau.documents.selectors import documents_for
from bureau.documents.services import documents_upload
from tests.programs.factories import ApplicationFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db
def test_uploaded_pdf_is_listed_and_opens(staff):
    app = ApplicationFactory()
    documents_upload(actor=staff, record=app, kind="approval_notice", files=[SimpleUploadedFile("立项通知.pdf", PDF)])
    (doc,) = documents_for(app)
    assert doc.kind_label == "立项通知"
    with doc.current.open() as f:
        assert f.read() == PDF
