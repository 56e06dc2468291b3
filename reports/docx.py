"""The editable copy: the same document as .docx (python-docx), a first-class copy of the PDF.

Laid out like the PDF (GB/T 9704): A4, margins 37/35/28/26 mm, body 仿宋 三号 (16 pt) on a 28.95 pt
line pitch (22 lines a page), "— 1 —" page numbers (a PAGE field, 四号 宋体, odd pages right, even
pages left). The look lives in the document's *styles*, not on each run, so staff who revise the
file in WPS or Word keep it as they type: 正文 is the style "Body Text" (仿宋, first line indented two
characters), 一、 is "Heading 1" (黑体), （一） is "Heading 2" (楷体), the title is "Title" (小标宋, or
a bold Song), so the navigation pane shows the outline. The families by role come from
``reports.fonts`` (FANG, HEI, KAI, TITLE), written under the names a bureau's Windows PC knows them by
(``DOCX_NAMES``: 仿宋, 楷体, 黑体, 宋体). The appendix tables repeat
their header row on every page and do not split a row across pages.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .fonts import DOCX_NAMES, FANG, HEI, KAI, SONG, TITLE
from .sections import Document, Heading, Paragraph, Table

# Where no KaiTi is installed the （一） role falls back on the Song face, which the PDF then sets
# bold to tell it from the body: so does the DOCX.
KAI_BOLD = KAI in (SONG, FANG)

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
LINE_PT = 28.95  # 225 mm / 22 lines
TABLE_PT = 10.5  # 五号
TABLE_LINE_PT = 15
TABLE_CELL_PADDING_PT = 3
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}

# Style names (Word's built-in ones where a role has one, so Word and WPS know what they are).
BODY = "Body Text"
HEADING = {1: "Heading 1", 2: "Heading 2"}
TITLE_STYLE = "Title"
TABLE_TEXT = "表格文字"
TABLE_HEADER = "表格标题行"
TABLE_CAPTION = "表题"
NOTE = "表注"


def _set_fonts(rpr_owner, family: str) -> None:
    """One family for Latin and East Asian text alike (Word keeps four slots), theme fonts removed:
    a theme attribute would win over the name."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), DOCX_NAMES.get(family, family))


def _font(target, family: str, size: float | None = None, bold: bool | None = None) -> None:
    """Family, size and weight of a style or a run; text black (the heading styles' blue goes)."""
    font = target.font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
        font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(target.element, family)


def _lines(fmt, *, exact: float = LINE_PT, indent_chars: int = 0, size: float = BODY_PT) -> None:
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(exact)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    ind = fmt.element.get_or_add_pPr().get_or_add_ind()
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
        # Word and WPS also honour indents in characters (首行缩进 2 字符), robust to a size change.
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
    else:
        fmt.first_line_indent = Pt(0)


# w:pPr children in the schema's order (from autoSpaceDE on): a switch goes before its successors,
# or LibreOffice ignores it.
_PPR_ORDER = (
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _ppr_flag(style, tag: str, value: str = "0") -> None:
    """A paragraph property that is only a w:val switch (w:snapToGrid, w:autoSpaceDE …)."""
    ppr = style.element.get_or_add_pPr()
    for el in ppr.findall(qn(tag)):
        ppr.remove(el)
    el = OxmlElement(tag)
    el.set(qn("w:val"), value)
    later = {qn(t) for t in _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]}
    successor = next((child for child in ppr if child.tag in later), None)
    if successor is None:
        ppr.append(el)
    else:
        successor.addprevious(el)


def _clean_paragraph_style(style) -> None:
    """Drop the template's borders and shading (its Title has a rule under it)."""
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:shd"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)


def _style(doc, name: str, *, base: str = "Normal"):
    styles = doc.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        return style


def _styles(doc) -> None:
    # Defaults of the document: 仿宋 三号, no theme fonts.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), DOCX_NAMES[FANG])
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")

    normal = doc.styles["Normal"]
    _font(normal, FANG, BODY_PT)
    _lines(normal.paragraph_format)
    normal.paragraph_format.widow_control = False  # GB/T 9704 pages are filled line by line
    # No extra space between Chinese and Latin letters or digits (the PDF has none: 2020年, not 2020 年).
    _ppr_flag(normal, "w:autoSpaceDE")
    _ppr_flag(normal, "w:autoSpaceDN")

    body = _style(doc, BODY)
    _font(body, FANG, BODY_PT, False)
    _lines(body.paragraph_format, indent_chars=2)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for level, family, bold in ((1, HEI, False), (2, KAI, KAI_BOLD)):
        style = doc.styles[HEADING[level]]
        _clean_paragraph_style(style)
        _font(style, family, BODY_PT, bold)
        _lines(style.paragraph_format, indent_chars=2)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    title = doc.styles[TITLE_STYLE]
    _clean_paragraph_style(title)
    _font(title, TITLE, TITLE_PT, True)
    _lines(title.paragraph_format, exact=35)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(14)
    title.paragraph_format.keep_with_next = True
    # The Title style of the template is spaced out (w:spacing in its run properties): undo that.
    for el in title.element.get_or_add_rPr().findall(qn("w:spacing")):
        el.getparent().remove(el)

    caption = _style(doc, TABLE_CAPTION)
    _font(caption, TITLE, 18, True)
    _lines(caption.paragraph_format, exact=28)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_after = Pt(10)
    caption.paragraph_format.keep_with_next = True

    for name, family, align in (
        (TABLE_TEXT, FANG, WD_ALIGN_PARAGRAPH.LEFT),
        (TABLE_HEADER, HEI, WD_ALIGN_PARAGRAPH.CENTER),
        (NOTE, FANG, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        style = _style(doc, name)
        _font(style, family, TABLE_PT, False)
        _lines(style.paragraph_format, exact=TABLE_LINE_PT, size=TABLE_PT)
        style.paragraph_format.alignment = align
        _ppr_flag(style, "w:snapToGrid")  # small print keeps its own pitch, not the body's grid


def _page_number(paragraph) -> None:
    """ "— N —": N is a PAGE field, so Word and WPS number the pages as staff edit."""
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
        _font(r, SONG, PAGE_NUMBER_PT)  # GB/T 9704 7.5: 4号 宋体 Arabic numerals


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28)
    # 22 lines a page on the body's line pitch.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
    # Odd pages: number on the right; even pages: on the left (GB/T 9704 7.5).
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
    _page_number(even)


def _heading(doc, block: Heading) -> None:
    doc.add_paragraph(block.number + block.text, style=HEADING[block.level])


def _paragraph(doc, block: Paragraph) -> None:
    p = doc.add_paragraph(style=BODY)
    if block.lead:
        p.add_run(block.lead).bold = True
    text = "".join(r.text for r in block.runs)
    if text:
        p.add_run(text)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _table(doc, table: Table) -> None:
    label = doc.add_paragraph()
    label.paragraph_format.page_break_before = True
    _font(label.add_run(table.label), HEI, BODY_PT)
    doc.add_paragraph(table.caption, style=TABLE_CAPTION)

    t = doc.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False  # fixed layout: the columns keep the PDF's proportions
    width = Mm(210 - MARGINS_MM["left"] - MARGINS_MM["right"])
    total = sum(table.widths) or len(table.headers)
    widths = [width * (w / total) for w in (table.widths or [1] * len(table.headers))]
    for col, w in zip(t.columns, widths, strict=True):
        col.width = int(w)  # w:gridCol, which LibreOffice and WPS read
    # Cell padding as the PDF's (3 pt each side), not Word's 5.4 pt: a unit (万元) fits its column.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(TABLE_CELL_PADDING_PT * 20))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    t._tbl.tblPr.append(margins)
    numeric = table.numeric_columns
    for i, header in enumerate(table.headers):
        cell = t.rows[0].cells[i]
        cell.width = int(widths[i])
        cell.paragraphs[0].style = doc.styles[TABLE_HEADER]
        cell.paragraphs[0].add_run(header)
    _repeat_header(t.rows[0])  # the header row on every page, as the PDF repeats it
    for r, row in enumerate(table.rows, 1):
        _cant_split(t.rows[r])
        for i, run in enumerate(row):
            cell = t.rows[r].cells[i]
            cell.width = int(widths[i])
            p = cell.paragraphs[0]
            p.style = doc.styles[TABLE_TEXT]
            if i in numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.add_run(run.text)
    if table.note:
        doc.add_paragraph(table.note, style=NOTE)


def render_docx(document: Document) -> bytes:
    doc = new_docx()
    _styles(doc)
    _page(doc)
    core = doc.core_properties
    core.title = document.title
    core.author = document.issuer
    title = doc.add_paragraph(style=TITLE_STYLE)
    for i, line in enumerate(document.title_lines):
        run = title.add_run(line)
        if i < len(document.title_lines) - 1:
            run.add_break()
    lines = [line for line in (document.issuer, document.date_line) if line]
    for i, line in enumerate(lines):
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if i == len(lines) - 1:
            p.paragraph_format.space_after = Pt(LINE_PT)
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
