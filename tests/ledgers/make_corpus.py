"""Generate the bad-file corpus in tests/ledgers/files/ (the generated files are committed too).

    .venv/bin/python tests/ledgers/make_corpus.py

Each file is one way a real upload goes wrong; tests/ledgers/test_corpus.py asserts the message
each one gets and that nothing in the database changes. All files target 企业名录 (its headers
are typed here from DOMAIN.md on purpose: the corpus must not follow the code if the code drifts).
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent / "files"
HEADERS = ["企业名称*", "统一社会信用代码*", "所属乡镇", "行业", "企业规模", "联系人", "联系电话"]
# Valid GB 32100-2015 codes of fictional enterprises.
CODES = ["91370323MA3C8N2K4B", "91370323MA3D00001Q", "91370323MA3D00002U"]


def good_rows(n: int = 2) -> list[list]:
    names = ["示例县鲁中新材料科技有限公司", "示例县沂源药业有限公司", "示例县悦庄机械制造有限公司"]
    return [
        [
            names[i % 3] + (str(i) if i >= 3 else ""),
            CODES[i] if i < 3 else _code(i),
            None,
            None,
            "规上",
            "张伟",
            "0533-3212345",
        ]
        for i in range(n)
    ]


def _code(i: int) -> str:
    from enterprises.validators import make_credit_code

    return make_credit_code(f"91370323MA3E{i:05d}")


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def good_workbook(rows=None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(HEADERS)
    for row in rows if rows is not None else good_rows():
        ws.append(row)
    return wb


def rewrite_member(data: bytes, member: str, edit) -> bytes:
    """Copy an .xlsx, passing one member's XML through ``edit``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                body = edit(body)
            dst.writestr(info, body)
    return out.getvalue()


def not_xlsx() -> bytes:
    text = ",".join(HEADERS) + "\n示例县鲁中新材料科技有限公司,91370323MA3C8N2K4B,,,规上,张伟,0533-3212345\n"
    return text.encode("gbk")


def corrupt_zip() -> bytes:
    data = _save(good_workbook())
    return data[: len(data) // 2]  # a download cut off half-way


def crc_mismatch() -> bytes:
    """A complete zip whose sheet's bytes were damaged after it was written (bit rot)."""
    data = bytearray(_save(good_workbook()))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    # Local header: 30 bytes + name + extra; flip a byte in the middle of the compressed data.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)


def password_protected() -> bytes:
    """Excel's "encrypt with password": an OLE container with EncryptionInfo/EncryptedPackage."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_save(good_workbook()))).encrypt("mima123", out)
    return out.getvalue()


def legacy_xls() -> bytes:
    """An OLE compound file without encryption streams: what Excel 97-2003 saves."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = (0x3E).to_bytes(2, "little")  # minor version
    header[0x1A:0x1C] = (3).to_bytes(2, "little")  # major version 3
    header[0x1C:0x1E] = b"\xfe\xff"  # little-endian
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    body = "Workbook".encode("utf-16-le") + bytes(512 * 8)
    return bytes(header) + body


def word_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><document>关于申报的通知</document>')
    return out.getvalue()


def with_vba_project() -> bytes:
    """A good workbook that also carries a VBA project, as an .xlsm renamed to .xlsx does."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_save(good_workbook()))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return out.getvalue()


def macro_enabled() -> bytes:
    """A workbook saved as macro-enabled (.xlsm): the workbook part's content type says so."""
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    return rewrite_member(_save(good_workbook()), "[Content_Types].xml", lambda xml: xml.replace(main, macro))


def wrong_headers() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["单位名称", "信用代码", "所属乡镇", "企业规模"])  # the clerk's own names for the columns
    ws.append(["示例县鲁中新材料科技有限公司", CODES[0], "南麻街道", "规上"])
    return _save(wb)


def duplicate_headers() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["企业名称*", "统一社会信用代码*", "企业规模", "企业规模"])
    ws.append(["示例县鲁中新材料科技有限公司", CODES[0], "规上", "规下"])
    return _save(wb)


def empty_sheet() -> bytes:
    return _save(Workbook())


def header_only() -> bytes:
    return _save(good_workbook(rows=[]))


def merged_header() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["企业名称*", "统一社会信用代码*", None, "企业规模", "联系人", "联系电话"])
    ws.append(["", "", "", "", "", ""])
    ws.merge_cells("B1:C1")  # the code's header stretched over two columns
    ws.delete_rows(2)
    ws.append(["示例县鲁中新材料科技有限公司", CODES[0], None, "规上", "张伟", "0533-3212345"])
    return _save(wb)


def merged_data() -> bytes:
    wb = good_workbook(rows=[*good_rows(3)])
    ws = wb.active
    ws["E2"] = "规上"
    ws.merge_cells("E2:E4")  # "规上" written once for three enterprises
    return _save(wb)


def formula_without_cached_value() -> bytes:
    """Written by a program (not Excel): the formula was never calculated, so no value is stored."""
    wb = good_workbook()
    ws = wb.active
    ws["G2"] = '="0533-"&"3212345"'
    return _save(wb)


def formula_with_cached_value() -> bytes:
    """As Excel saves it: the formula and, beside it, its last calculated value."""
    wb = good_workbook()
    ws = wb.active
    ws["G2"] = "PLACEHOLDER"
    data = _save(wb)

    def edit(xml: bytes) -> bytes:
        # Replace the placeholder's shared/inline string cell by a formula cell with a cached value.
        text = xml.decode()
        text = re.sub(
            r'<c r="G2"[^>]*?(?:/>|>.*?</c>)',
            '<c r="G2" t="str"><f>"0533-"&amp;"3212345"</f><v>0533-3212345</v></c>',
            text,
            count=1,
            flags=re.S,
        )
        assert "<f>" in text
        return text.encode()

    return rewrite_member(data, "xl/worksheets/sheet1.xml", edit)


def too_many_rows() -> bytes:
    """60 data rows: over the limit the tests configure (LEDGER_MAX_ROWS = 50)."""
    return _save(good_workbook(rows=good_rows(60)))


def zip_bomb() -> bytes:
    """A workbook whose sheet inflates to 300 MB of zeros (about 300 KB on disk)."""
    base = _save(good_workbook())
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                member.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(member, "w", force_zip64=True) as fh:
                    chunk = b"\0" * (1024 * 1024)
                    for _ in range(300):
                        fh.write(chunk)
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def xml_entities() -> bytes:
    """ "Billion laughs": entity declarations in the sheet XML; defusedxml refuses to parse them."""
    data = _save(good_workbook())

    def edit(xml: bytes) -> bytes:
        dtd = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<!DOCTYPE worksheet [<!ENTITY a "hahahahahahahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        )
        text = re.sub(r"^<\?xml[^>]*\?>\s*", "", xml.decode())
        text = re.sub(r'(<c r="F2" t="inlineStr"><is><t>)[^<]*(</t>)', r"\1&c;\2", text, count=1)
        assert "&c;" in text
        return (dtd + text).encode()

    return rewrite_member(data, "xl/worksheets/sheet1.xml", edit)


CORPUS = {
    "not_xlsx.xlsx": not_xlsx,
    "corrupt_zip.xlsx": corrupt_zip,
    "crc_mismatch.xlsx": crc_mismatch,
    "password_protected.xlsx": password_protected,
    "legacy_excel97.xls": legacy_xls,
    "word_document.xlsx": word_document,
    "wrong_headers.xlsx": wrong_headers,
    "duplicate_headers.xlsx": duplicate_headers,
    "empty_sheet.xlsx": empty_sheet,
    "header_only.xlsx": header_only,
    "merged_header.xlsx": merged_header,
    "merged_data.xlsx": merged_data,
    "formula_without_cached_value.xlsx": formula_without_cached_value,
    "formula_with_cached_value.xlsx": formula_with_cached_value,
    "too_many_rows.xlsx": too_many_rows,
    "zip_bomb.xlsx": zip_bomb,
    "xml_entities.xlsx": xml_entities,
    "with_vba_project.xlsx": with_vba_project,
    "macro_enabled.xlsm": macro_enabled,
}


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings.test")
    import django

    django.setup()
    if HERE.exists():
        shutil.rmtree(HERE)
    HERE.mkdir(parents=True)
    for name, build in CORPUS.items():
        (HERE / name).write_bytes(build())
        print(f"{name}: {(HERE / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
