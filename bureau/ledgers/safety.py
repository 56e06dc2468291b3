"""Whole-file checks before any row is read: size, signature (xlsx / old xls / password-protected
OLE / xlsb), the zip directory (inflated size checked before anything is inflated: zip bombs),
integrity, and the sheet's raw XML for merged cells, formulas and DTDs. openpyxl parses with
defusedxml (installed)."""

from __future__ import annotations

import logging
import os
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings

from bureau.ledgers.columns import Ledger, normalise_header

logger = logging.getLogger(__name__)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04",)


def max_bytes() -> int:
    return settings.LEDGER_MAX_BYTES


def max_rows() -> int:
    return settings.LEDGER_MAX_ROWS


def max_uncompressed() -> int:
    # A sheet's XML is ~10-20x its zipped size; 100x the byte limit is generous for real files
    # and still refuses a bomb before a single byte of it is inflated.
    return getattr(settings, "LEDGER_MAX_UNCOMPRESSED", max_bytes() * 20)


def async_rows() -> int:
    """Files with more data rows than this are validated and written by a Celery task."""
    return getattr(settings, "LEDGER_ASYNC_ROWS", 2000)


def human_size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{-(-n // 1024)} KB"
    return f"{n / 1024 / 1024:.1f} MB"


class FileRejected(Exception):
    """The file as a whole cannot be imported; ``messages`` are Chinese, nothing was changed."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


# 1. the file ---------------------------------------------------------------------------------


@dataclass
class SheetInfo:
    title: str
    member: str  # the sheet's path inside the zip
    rows: int  # <row> elements in the sheet XML (an upper bound of the data rows + 1)
    formulas: int
    merges: list[str]
    dtd: bool = False


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


def check_container(path: str) -> None:
    """Refuse what is not a sane .xlsx before openpyxl sees it: size, signature, zip bombs."""
    size = os.path.getsize(path)
    if size == 0:
        raise FileRejected("文件是空的（0字节），请选择填写好的 .xlsx 文件。")
    if size > max_bytes():
        raise FileRejected(
            "文件大小 %(size)s 超过上限 %(max)s，请拆分成几个文件分别导入。"
            % {"size": human_size(size), "max": human_size(max_bytes())}
        )
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head == OLE_SIGNATURE:
            fh.seek(0)
            body = fh.read()
            if "EncryptedPackage".encode("utf-16-le") in body or "EncryptionInfo".encode("utf-16-le") in body:
                raise FileRejected(
                    "文件设置了打开密码（已加密），无法读取。请在Excel中取消密码（文件→信息→保护工作簿）后另存再导入。"
                )
            raise FileRejected(
                "这是旧版 Excel 97-2003（.xls）文件，请在Excel或WPS中“另存为”Excel工作簿（.xlsx）后再导入。"
            )
    if not head.startswith(ZIP_SIGNATURES):
        raise FileRejected(
            "文件不是 Excel 工作簿（.xlsx）。CSV、网页或文本文件请在Excel中打开后“另存为”Excel工作簿（.xlsx）再导入。"
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if len(infos) > 10_000:
                raise FileRejected("文件内部条目过多（%(n)d 个），不像正常的Excel文件，已拒绝。" % {"n": len(infos)})
            # The zip directory states each member's inflated size: check it before inflating anything.
            total = sum(i.file_size for i in infos)
            if total > max_uncompressed():
                raise FileRejected(
                    "文件解压后大小 %(size)s 超过上限 %(max)s（可能是“压缩炸弹”），已拒绝，未读取内容。"
                    % {"size": human_size(total), "max": human_size(max_uncompressed())}
                )
            if "xl/workbook.bin" in names:
                raise FileRejected("这是二进制工作簿（.xlsb），请另存为Excel工作簿（.xlsx）后再导入。")
            _refuse_macros(zf, names)
            if "xl/workbook.xml" not in names:
                raise FileRejected("文件不是 Excel 工作簿（缺少工作簿内容，可能是 Word 或其他压缩文件）。")
            bad = zf.testzip()
            if bad is not None:
                raise FileRejected("文件已损坏（%(member)s 校验失败），请重新保存后再导入。" % {"member": bad})
    except FileRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as exc:
        logger.info("ledger file rejected as corrupt: %s", exc)
        raise FileRejected("文件已损坏，无法作为 .xlsx 打开（可能下载不完整），请重新保存后再导入。") from None


MACRO_PARTS = ("xl/vbaProject.bin", "xl/vbaProjectSignature.bin")


def _refuse_macros(zf: zipfile.ZipFile, names: set[str]) -> None:
    """A workbook carrying VBA (``xl/vbaProject.bin``) or saved as macro-enabled (.xlsm) is not
    imported: the server never keeps code it cannot vet. (Its inflated size is bounded already.)"""
    lowered = {n.lower() for n in names}
    if any(part.lower() in lowered for part in MACRO_PARTS):
        raise FileRejected(
            "文件含有宏（VBA代码），为安全起见不予导入。请在Excel中“另存为”Excel工作簿（.xlsx，不含宏）后再导入。"
        )
    types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if b"macroEnabled" in types:
        raise FileRejected(
            "这是启用宏的工作簿（.xlsm），为安全起见不予导入。请在Excel中“另存为”Excel工作簿（.xlsx）后再导入。"
        )


def open_workbook(path: str, *, data_only: bool = True):
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure means an unreadable workbook
        cause = exc
        while cause is not None:  # openpyxl wraps the parser's exception in a ValueError
            if isinstance(cause, DefusedXmlException):
                raise FileRejected("文件含有不安全的XML内容（实体声明等），已拒绝。") from None
            cause = cause.__cause__ or cause.__context__
        logger.info("ledger workbook unreadable: %r", exc)
        raise FileRejected("文件结构不完整或已损坏，无法读取工作簿，请在Excel中重新保存后再导入。") from None


def _worksheets(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, zip member) of the workbook's worksheets in order, read with defusedxml."""
    import posixpath

    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    ns_pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): r.get("Target", "")
        for r in rels.iter(f"{ns_pkg}Relationship")
        if r.get("Type", "").endswith("/worksheet")
    }
    sheets = []
    for sheet in workbook.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"))
        if target is None:
            continue  # a chart sheet or a dialog sheet
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        sheets.append((sheet.get("name", ""), member))
    return sheets


def inspect_file(path: str, ledger: type[Ledger]) -> SheetInfo:
    """Every check that does not need the rows (no openpyxl yet); raises FileRejected."""
    from defusedxml import DefusedXmlException

    check_container(path)
    try:
        with zipfile.ZipFile(path) as zf:
            sheets = _worksheets(zf)
            if not sheets:
                raise FileRejected("工作簿中没有工作表。")
            # The sheet named like the ledger (as the template has it), else the first worksheet.
            wanted = normalise_header(ledger.name)
            title, member = next(((t, m) for t, m in sheets if normalise_header(t) == wanted), sheets[0])
            raw = zf.read(member)  # bounded by the uncompressed-size check
    except FileRejected:
        raise
    except DefusedXmlException:
        raise FileRejected("文件含有不安全的XML内容（实体声明等），已拒绝。") from None
    except Exception as exc:  # noqa: BLE001 - a workbook whose parts cannot be read is damaged
        logger.info("ledger workbook parts unreadable: %r", exc)
        raise FileRejected("文件结构不完整或已损坏，无法读取工作簿，请在Excel中重新保存后再导入。") from None
    info = SheetInfo(
        title=title,
        member=member,
        rows=len(_ROW_TAG.findall(raw)),
        formulas=len(_FORMULA_TAG.findall(raw)),
        merges=[m.decode() for m in _MERGE.findall(raw)],
        dtd=bool(_DTD.search(raw, 0, 4096)),
    )
    if info.rows == 0:
        raise FileRejected("工作表「%(sheet)s」是空的，没有表头也没有数据。" % {"sheet": info.title})
    if info.rows - 1 > max_rows():
        raise FileRejected(
            "工作表「%(sheet)s」约有 %(n)d 行，超过每次导入 %(max)d 行的上限，请拆分后分别导入。"
            % {"sheet": info.title, "n": info.rows - 1, "max": max_rows()}
        )
    return info


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
