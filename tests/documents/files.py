"""Small real files of each accepted type, and the refused ones, made in memory."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run in DOS mode"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def pdf(text: str = "立项通知") -> bytes:
    """A PDF with ``text`` on it, unique per text (so dedup tests control what is equal)."""
    return PDF + f"% {text}\n".encode()


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpg(color=(30, 120, 200), size=(320, 200)) -> bytes:
    from PIL import Image, ImageDraw

    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle((20, 20, size[0] - 20, size[1] - 20), outline=(255, 255, 255), width=6)
    image.save(out, "JPEG")
    return out.getvalue()


def docx(*, macro: bool = False) -> bytes:
    from docx import Document

    out = io.BytesIO()
    document = Document()
    document.add_paragraph("任务书")
    document.save(out)
    if not macro:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    return result.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def raw_named(name: str, content: bytes) -> SimpleUploadedFile:
    """An upload whose name keeps what a client sent (UploadedFile would strip the directory)."""
    f = SimpleUploadedFile("x.pdf", content)
    f._name = name
    return f
