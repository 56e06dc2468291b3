"""使用帮助: the guide's index and pages (any signed-in user)."""

from django.shortcuts import render
from django.utils.safestring import mark_safe

from bureau.help.render import render_page
from bureau.help.topics import PAGES


def _toc():
    groups: dict[str, list[tuple[str, str]]] = {}
    for slug, title, group in PAGES:
        groups.setdefault(group, []).append((slug, title))
    return list(groups.items())


def help_index(request):
    return help_page(request, slug="start")


def help_page(request, slug: str):
    page = render_page(slug)  # our own Markdown files, raw HTML switched off: safe to show as is
    return render(request, "help/page.html", {"page": page, "body": mark_safe(page["html"]), "toc": _toc()})
