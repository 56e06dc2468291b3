"""The PDF: the report's HTML through WeasyPrint, with a url_fetcher that only serves our assets.

Nothing in a report may make WeasyPrint read a file or open a connection: staff text and record
names are escaped by the templates, and should markup ever get through, the fetcher refuses every
URL but the app's own ``static/reports/`` files (``file://``, ``http(s)://``, ``data:`` …).
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from . import fonts

logger = logging.getLogger(__name__)

# The documents' base URL: relative links (static/reports/…) resolve under it. ".invalid" can
# never resolve, and the fetcher never opens it anyway.
ASSET_ORIGIN = "https://report-assets.invalid/"
ASSET_PREFIX = ASSET_ORIGIN + "static/"
FONT_PREFIX = ASSET_ORIGIN + "fonts/"  # the fonts cut for a document (reports.fonts.cut_fonts)
ALLOWED_STATIC_DIR = "reports/"
# WeasyPrint options: fonts subset when written (HarfBuzz), hinting dropped (screen/print fine).
PDF_OPTIONS = {"hinting": False, "full_fonts": False, "optimize_images": True}


class RefusedResource(ValueError):
    pass


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves ``static/reports/*`` from the app's static files and refuses everything else."""

        def __init__(self):
            super().__init__(allowed_protocols=("https",), allow_redirects=False, timeout=1)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            path = static_path(url)
            if path is None:
                self.refused.append(url)
                logger.warning("report PDF: refused resource %s", url[:200])
                raise RefusedResource(f"报告不允许加载该资源：{url[:200]}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    return StaticOnlyFetcher


def static_path(url: str) -> Path | None:
    """The file behind an allowed asset URL, or None for anything the report may not load."""
    if url.startswith(FONT_PREFIX):
        return fonts.cached_font_path(url[len(FONT_PREFIX) :])
    if not url.startswith(ASSET_PREFIX):
        return None
    relative = posixpath.normpath(unquote(url[len(ASSET_PREFIX) :].split("?", 1)[0].split("#", 1)[0]))
    if relative.startswith(("/", "..")) or not relative.startswith(ALLOWED_STATIC_DIR) or "\\" in relative:
        return None
    try:
        found = finders.find(relative)
    except Exception:  # noqa: BLE001 - a suspicious path is simply not served
        return None
    return Path(found) if found else None


def url_fetcher():
    return _fetcher_class()()


def render_report_html(document, *, cut_fonts: bool = True) -> str:
    """The report as one HTML page for WeasyPrint, with @font-face rules for fonts cut to its text
    (``cut_fonts=False``: the system collections, as the benchmark compares)."""
    faces = fonts.cut_fonts(document.text()) if cut_fonts else []
    has_kai = fonts.role_families()["heading2"] == fonts.KAI
    return render_to_string("reports/pdf/report.html", {"doc": document, "font_faces": faces, "has_kai": has_kai})


def layout(html: str, *, fetcher=None):
    """WeasyPrint's laid-out document (pages); FontsMissing when the CJK faces are not installed."""
    from weasyprint import HTML

    fonts.faces()  # a missing CJK face is an error, never tofu boxes
    return HTML(string=html, base_url=ASSET_ORIGIN, url_fetcher=fetcher or url_fetcher()).render()


def render_pdf(html: str, *, fetcher=None, fonts_used: list[str] | None = None, **options) -> bytes:
    """PDF bytes of ``html``: layout, then the fonts subset (HarfBuzz) and the file written.
    ``fonts_used`` (a list) receives the font families embedded in it (FandolFang, Noto Sans CJK SC…)."""
    document = layout(html, fetcher=fetcher)
    data = document.write_pdf(**{**PDF_OPTIONS, **options})
    if fonts_used is not None:
        fonts_used.extend(fonts.embedded_families(font.family for font in document.fonts.values()))
    return data
