"""The DOCX is a first-class copy of the PDF: read back with python-docx, the styles carry the fonts
by role (body 仿宋 三号, 一、 黑体, （一） 楷体, title 小标宋/bold Song), the headings are Word heading
styles, the footer numbers pages "— N —" with a PAGE field, the tables repeat their header row, and
the page is A4 with the margins of GB/T 9704. Converted with LibreOffice (when installed), it lays
out as a document with those page numbers."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn

from reports import fonts
from reports.docx import KAI_BOLD, render_docx
from reports.report_selectors import report_snapshot
from reports.sections import build_document
from tests.reports.docx_reading import east_asian_font, style_bold
from tests.reports.factories import YEAR, AnnualReportFactory, add, complete_inputs, fake_indicators  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_indicators")]


@pytest.fixture
def built():
    complete_inputs()
    add("applications_recommended", 19, location="省重点研发计划(科技创新类)")
    add("applications_approved", 8, location="省重点研发计划(科技创新类)")
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    data = render_docx(doc)
    return doc, data, read_docx(io.BytesIO(data))


def paragraph(word, starts: str):
    return next(p for p in word.paragraphs if p.text.startswith(starts))


def test_headings_are_word_heading_styles_with_the_fonts_of_their_role(built):
    doc, _, word = built
    h1 = paragraph(word, "一、")
    h2 = paragraph(word, "（一）")
    assert h1.style.name == "Heading 1" and h2.style.name == "Heading 2"
    assert east_asian_font(h1) == fonts.DOCX_NAMES[fonts.HEI] and not style_bold(h1.style)
    assert east_asian_font(h2) == fonts.DOCX_NAMES[fonts.KAI] and style_bold(h2.style) is KAI_BOLD
    title = word.paragraphs[0]
    assert (
        title.style.name == "Title"
        and east_asian_font(title) == fonts.DOCX_NAMES[fonts.TITLE]
        and style_bold(title.style)
    )
    assert title.style.font.size.pt == 22


def test_body_text_is_fangsong_sanhao_indented_two_characters_from_its_style(built):
    _, _, word = built
    body = paragraph(word, "组织申报") if any(p.text.startswith("组织申报") for p in word.paragraphs) else None
    body = body or next(p for p in word.paragraphs if "组织申报" in p.text)
    assert body.style.name == "Body Text"
    assert east_asian_font(body) == fonts.DOCX_NAMES[fonts.FANG]
    assert body.style.font.size.pt == 16
    ind = body.style.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert round(body.style.paragraph_format.line_spacing.pt, 2) == 28.95
    # Direct formatting stays off the runs (only the bold lead): editing keeps the style's look.
    assert all(r._r.rPr is None or r._r.rPr.rFonts is None for r in body.runs)


def test_no_theme_font_overrides_the_named_families(built):
    """A theme attribute (asciiTheme, eastAsiaTheme …) would win over the family named by role."""
    _, _, word = built
    used = {p.style.name for p in word.paragraphs} | {"Normal"}
    rfonts = [word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).rFonts]
    rfonts += [word.styles[name].element.rPr.rFonts for name in used if word.styles[name].element.rPr is not None]
    for element in rfonts:
        if element is not None:
            assert not any(attr.endswith(("Theme", "theme")) for attr in element.attrib), element.attrib


def test_footer_numbers_pages_with_a_page_field_odd_right_even_left(built):
    _, _, word = built
    section = word.sections[0]
    assert word.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):  # RIGHT, LEFT
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert int(p.alignment) == align


def test_page_is_a4_with_the_margins_of_gbt_9704(built):
    _, _, word = built
    s = word.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines a page


def test_tables_repeat_their_header_row_keep_rows_whole_and_the_pdfs_column_proportions(built):
    doc, _, word = built
    for table, source in zip(word.tables, doc.appendix, strict=True):
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows[1:])
        assert [c.text for c in table.rows[0].cells] == source.headers
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        total = sum(source.widths)
        for width, share in zip(grid, source.widths, strict=True):
            assert abs(width / sum(grid) - share / total) < 0.01
        assert table.rows[1].cells[0].paragraphs[0].style.name == "表格文字"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_the_docx_out_as_an_official_document(built, tmp_path):
    doc, data, _ = built
    source = tmp_path / "report.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)
    squeezed = re.sub(r"\s+", "", text)  # LibreOffice spaces digits apart from CJK (2019 年) in its PDF text
    assert doc.title_lines[0] in squeezed
    assert "一、" in squeezed and "附表1" in squeezed
