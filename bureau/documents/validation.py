"""What an uploaded file is, judged by its bytes and not its name (issue 18).

Accepted: PDF, OFD, DOC/DOCX, XLS/XLSX, JPG/PNG and ZIP. The name's extension must agree with the
content (an executable renamed ``.pdf`` is refused); macro-enabled Office files are refused by name
(``.docm``, ``.xlsm``…) and by content (a DOCX/XLSX carrying ``vbaProject.bin``); a name with a path,
control characters or a reserved device name is refused; an empty or oversize file is refused.
Every refusal is a ``ValidationError`` in Chinese that names the file and the reason.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

CHUNK = 64 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

# extension -> (format, MIME type served)
ACCEPTED = {
    "pdf": ("pdf", "application/pdf"),
    "ofd": ("ofd", "application/ofd"),
    "doc": ("doc", "application/msword"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xls": ("xls", "application/vnd.ms-excel"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": ("jpg", "image/jpeg"),
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "zip": ("zip", "application/zip"),
}
MACRO_EXTENSIONS = {"docm", "dotm", "xlsm", "xltm", "xlsb", "xlam", "pptm", "potm", "ppam", "ppsm"}
EXECUTABLE_KINDS = {"exe", "elf", "wasm", "crx", "deb", "rpm", "swf"}
# Windows device names: a file called CON.pdf cannot be saved on the clerk's PC.
RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
ACCEPTED_TEXT = "PDF、OFD、DOC/DOCX、XLS/XLSX、JPG/PNG、ZIP"


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the sanitized original name, shown and used on download
    file_type: str  # pdf, ofd, doc, docx, xls, xlsx, jpg, png, zip
    content_type: str
    size: int
    sha256: str


def refuse(name: str, reason: str) -> ValidationError:
    return ValidationError(f"「{name}」未上传：{reason}。", code="document_refused")


def display_name(raw: str) -> str:
    """The name as shown in a refusal: printable characters only, at most 80."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else "?" for ch in str(raw or ""))
    return text[:80] or "（无文件名）"


def clean_name(raw: str) -> str:
    """The original name, trimmed, or a refusal: no directories, control characters or device names."""
    shown = display_name(raw)
    name = unicodedata.normalize("NFC", str(raw or "")).strip()
    if not name:
        raise refuse(shown, "文件名为空")
    if "/" in name or "\\" in name or name.startswith(".."):
        raise refuse(shown, "文件名不能包含路径（如 ../ 或 /）")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        raise refuse(shown, "文件名含有控制字符")
    stem = name.split(".", 1)[0].strip()
    if RESERVED.match(stem):
        raise refuse(shown, f"文件名“{stem}”是系统保留名")
    name = name.strip(". ")
    if "." not in name or not name.rsplit(".", 1)[0]:
        raise refuse(shown, f"文件名没有扩展名，只接受 {ACCEPTED_TEXT}")
    if len(name) > 200:
        base, ext = name.rsplit(".", 1)
        name = f"{base[: 199 - len(ext)]}.{ext}"
    return name


def file_size(size: int) -> str:
    """50 MB, 300 KB: the limit as a clerk reads it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} 字节"


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_BYTES


def check_upload(upload) -> CheckedFile:
    """Judge one uploaded file (a Django ``UploadedFile``); its bytes are read in chunks, never whole."""
    raw_name = getattr(upload, "name", "") or ""
    name = clean_name(raw_name)
    limit = max_bytes()
    if getattr(upload, "oversize", False) or (upload.size or 0) > limit:
        raise refuse(name, f"文件超过大小上限 {file_size(limit)}")
    if not upload.size:
        raise refuse(name, "文件是空的（0 字节）")
    extension = name.rsplit(".", 1)[1].lower()
    if extension in MACRO_EXTENSIONS:
        raise refuse(name, "含宏的 Office 文件（如 .docm、.xlsm）不允许上传，请另存为不含宏的格式")
    if extension not in ACCEPTED:
        raise refuse(name, f"不接受 .{extension} 文件，只接受 {ACCEPTED_TEXT}")
    file_type, content_type = ACCEPTED[extension]

    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = content_kind(head)
    if detected in EXECUTABLE_KINDS:
        raise refuse(name, "文件内容是可执行程序，不是所标的文件类型")
    expected = {
        "pdf": "pdf",
        "jpg": "jpg",
        "png": "png",
        "doc": "ole",
        "xls": "ole",
        "docx": "zip",
        "xlsx": "zip",
        "ofd": "zip",
        "zip": "zip",
    }[file_type]
    if detected != expected:
        found = {"ole": "旧版 Office 文档", "zip": "ZIP 压缩包", None: "无法识别的内容"}.get(detected, detected)
        raise refuse(name, f"文件内容（{found}）与扩展名 .{extension} 不符")
    if expected == "zip":
        check_zip(upload, name, file_type)

    digest = hashlib.sha256()
    upload.seek(0)
    size = 0
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    if size > limit:  # the handler's count is the rule; this guards a caller that bypassed it
        raise refuse(name, f"文件超过大小上限 {file_size(limit)}")
    return CheckedFile(name=name, file_type=file_type, content_type=content_type, size=size, sha256=digest.hexdigest())


def content_kind(head: bytes) -> str | None:
    """pdf, jpg, png, ole, zip, an executable's kind, another type's extension, or None."""
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.extension in ("docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "zip"):
        return "zip"
    return kind.extension


def check_zip(upload, name: str, file_type: str) -> None:
    """OOXML and OFD are ZIP packages: read the directory only (nothing is inflated)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(name, "压缩包已损坏，无法读取") from None
    finally:
        upload.seek(0)
    lowered = [n.lower() for n in names]
    if any(n.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") for n in lowered):
        raise refuse(name, "文档中含有宏（vbaProject.bin），不允许上传，请另存为不含宏的格式")
    if file_type == "docx" and "word/document.xml" not in lowered:
        raise refuse(name, "文件内容不是 Word 文档（.docx）")
    if file_type == "xlsx" and "xl/workbook.xml" not in lowered:
        raise refuse(name, "文件内容不是 Excel 工作簿（.xlsx）")
    if file_type == "ofd" and "ofd.xml" not in lowered:
        raise refuse(name, "文件内容不是 OFD 版式文件")
