"""Cover and enterprise PDFs: our templates through the report's WeasyPrint setup (reports.pdf),
whose URL fetcher serves nothing but the cut fonts and ``static/reports/``; the fonts are cut once
for the text of every cover of a dossier."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from reports import fonts
from reports.pdf import render_pdf


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, {**context, "font_faces": context.get("font_faces", [])})


def cut_faces(html_pages: list[str]) -> list:
    """The report faces cut to the characters of all ``html_pages`` ([] without HarfBuzz-subset)."""
    return fonts.cut_fonts("".join(strip_tags(h) for h in html_pages))


def pdf_pages(template: str, contexts: list[dict], *, progress=None) -> list[bytes]:
    """One PDF per context, all sharing one cut of the fonts; ``progress(done, total)`` after each."""
    drafts = [render_html(template, c) for c in contexts]
    faces = cut_faces(drafts)
    pages = []
    for context in contexts:
        pages.append(render_pdf(render_html(template, {**context, "font_faces": faces})))
        if progress:
            progress(len(pages), len(contexts))
    return pages


def pdf_page(template: str, context: dict) -> bytes:
    return pdf_pages(template, [context])[0]
