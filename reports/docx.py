"""The editable copy: the same document as .docx (python-docx), same headings, paragraphs, tables
and fonts by name, laid out like the PDF (A4, GB/T 9704 margins, 16 pt body, "— 1 —" page numbers).
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .fonts import HEI, SONG
from .sections import Document, Heading, Paragraph, Table

BODY_PT = 16
LINE_PT = 28.95
TABLE_PT = 11


def _fonts(target, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a run's or style's font for Latin and East Asian text alike (Word keeps them apart)."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _line(paragraph_format, *, exact: float = LINE_PT, indent_chars: int = 0) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(exact)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    if indent_chars:
        paragraph_format.first_line_indent = Pt(BODY_PT * indent_chars)
        # Word also honours indents in characters (首行缩进 2 字符), robust to font-size changes.
        ind = paragraph_format.element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))


def _page_number(paragraph) -> None:
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        _fonts(r, SONG, 14)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    normal = doc.styles["Normal"]
    _fonts(normal, SONG, BODY_PT)
    _line(normal.paragraph_format)
    for name, face, bold in (("Heading 1", HEI, False), ("Heading 2", SONG, True), ("Title", SONG, True)):
        style = doc.styles[name]
        _fonts(style, face, 22 if name == "Title" else BODY_PT, bold)
        _line(style.paragraph_format, exact=35 if name == "Title" else LINE_PT)
        style.paragraph_format.keep_with_next = True
    # Odd pages: number on the right; even pages: on the left (GB/T 9704 7.5).
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_number(even)


def _heading(doc, block: Heading) -> None:
    p = doc.add_paragraph(style="Heading 1" if block.level == 1 else "Heading 2")
    _line(p.paragraph_format, indent_chars=2)
    run = p.add_run(block.number + block.text)
    _fonts(run, HEI if block.level == 1 else SONG, BODY_PT, block.level != 1)


def _paragraph(doc, block: Paragraph) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _line(p.paragraph_format, indent_chars=2)
    if block.lead:
        _fonts(p.add_run(block.lead), SONG, BODY_PT, True)
    for r in block.runs:
        _fonts(p.add_run(r.text), SONG, BODY_PT)


def _table(doc, table: Table) -> None:
    label = doc.add_paragraph()
    _line(label.paragraph_format)
    label.paragraph_format.page_break_before = True
    _fonts(label.add_run(table.label), HEI, BODY_PT)
    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(caption.paragraph_format, exact=28)
    caption.paragraph_format.space_after = Pt(12)
    _fonts(caption.add_run(table.caption), SONG, 18, True)

    t = doc.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = Mm(210 - 28 - 26)
    total = sum(table.widths) or len(table.headers)
    widths = [width * (w / total) for w in (table.widths or [1] * len(table.headers))]
    numeric = table.numeric_columns
    for i, header in enumerate(table.headers):
        cell = t.rows[0].cells[i]
        cell.width = int(widths[i])
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _line(p.paragraph_format, exact=15)
        _fonts(p.add_run(header), HEI, TABLE_PT)
    # Repeat the header row on every page, as the PDF does.
    tr_pr = t.rows[0]._tr.get_or_add_trPr()
    tbl_header = OxmlElement("w:tblHeader")
    tbl_header.set(qn("w:val"), "true")
    tr_pr.append(tbl_header)
    for r, row in enumerate(table.rows, 1):
        for i, run in enumerate(row):
            cell = t.rows[r].cells[i]
            cell.width = int(widths[i])
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if i in numeric else WD_ALIGN_PARAGRAPH.LEFT
            _line(p.paragraph_format, exact=15)
            _fonts(p.add_run(run.text), SONG, TABLE_PT)
    if table.note:
        note = doc.add_paragraph()
        _line(note.paragraph_format, exact=16)
        _fonts(note.add_run(table.note), SONG, TABLE_PT)


def render_docx(document: Document) -> bytes:
    doc = new_docx()
    _setup(doc)
    core = doc.core_properties
    core.title = document.title
    core.author = document.issuer
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(14)
    for i, line in enumerate(document.title_lines):
        run = title.add_run(line)
        _fonts(run, SONG, 22, True)
        if i < len(document.title_lines) - 1:
            run.add_break()
    for line in (document.issuer, document.date_line):
        if line:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run(line), SONG, BODY_PT)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(LINE_PT)
    for block in document.blocks:
        if isinstance(block, Heading):
            _heading(doc, block)
        else:
            _paragraph(doc, block)
    for table in document.appendix:
        _table(doc, table)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
