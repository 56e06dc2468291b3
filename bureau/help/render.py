"""The guide's Markdown pages as HTML (markdown-it-py, CommonMark + tables, raw HTML off)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from django.http import Http404
from django.templatetags.static import static
from markdown_it import MarkdownIt

from bureau.help.topics import PAGES

PAGES_DIR = Path(__file__).resolve().parent / "pages"
SCREENSHOTS = "help/img/"  # static folder the browser tests write the guide's screenshots into

_HEADING = re.compile(r"<(h[1-4])>(.*?)\s*\{#([a-z0-9-]+)\}</h[1-4]>")
# Settings a page may state (``{{ NAME }}`` in its Markdown): the guide says what this portal is set to.
SETTINGS = ("DOSSIER_RETENTION_DAYS", "PROGRAM_PUBLICITY_WORKING_DAYS")
_SETTING = re.compile(r"\{\{ ([A-Z_]+) \}\}")
_IMAGE = re.compile(r'src="img/([A-Za-z0-9_.-]+\.png)"')


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render_page(slug: str) -> dict:
    """``{"slug", "title", "html", "anchors"}`` of a page, the settings it names filled in (read per
    request: an administrator's change shows at once); 404 for an unknown slug."""
    from django.conf import settings

    page = _render_page(slug)
    html = _SETTING.sub(
        lambda m: str(getattr(settings, m.group(1))) if m.group(1) in SETTINGS else m.group(0), page["html"]
    )
    return {**page, "html": html}


@functools.cache
def _render_page(slug: str) -> dict:
    titles = {s: t for s, t, _ in PAGES}
    if slug not in titles:
        raise Http404
    text = (PAGES_DIR / f"{slug}.md").read_text(encoding="utf-8")
    html = _markdown().render(text)
    anchors = [m.group(3) for m in _HEADING.finditer(html)]
    html = _HEADING.sub(
        lambda m: (
            f'<{m.group(1)} id="{m.group(3)}">{m.group(2)} '
            f'<a class="help-anchor" href="#{m.group(3)}" aria-label="本节链接">#</a></{m.group(1)}>'
        ),
        html,
    )
    html = _IMAGE.sub(lambda m: f'src="{static(SCREENSHOTS + m.group(1))}" loading="lazy"', html)
    html = html.replace("<table>", '<table class="table table-sm table-bordered">')
    return {"slug": slug, "title": titles[slug], "html": html, "anchors": anchors}


def help_url(topic: str) -> str:
    from django.urls import reverse

    slug, _, anchor = topic.partition("#")
    return reverse("help_page", kwargs={"slug": slug}) + (f"#{anchor}" if anchor else "")
