"""Reading a built .docx back (python-docx) as Word would resolve it: the font a paragraph's text
is set in comes from its run, else its paragraph style and the styles it is based on."""

from docx.oxml.ns import qn


def _style_east_asian(style) -> str | None:
    while style is not None:
        rpr = style.element.rPr
        if rpr is not None and rpr.rFonts is not None and rpr.rFonts.get(qn("w:eastAsia")):
            return rpr.rFonts.get(qn("w:eastAsia"))
        style = style.base_style
    return None


def east_asian_font(paragraph, run_index: int = -1) -> str | None:
    run = paragraph.runs[run_index]
    rpr = run._r.rPr
    if rpr is not None and rpr.rFonts is not None and rpr.rFonts.get(qn("w:eastAsia")):
        return rpr.rFonts.get(qn("w:eastAsia"))
    return _style_east_asian(paragraph.style)


def style_bold(style) -> bool:
    while style is not None:
        if style.font.bold is not None:
            return style.font.bold
        style = style.base_style
    return False
