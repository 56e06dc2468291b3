"""The header search: the full page /search/?q= and the as-you-type suggestions under the box."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from bureau.search import MIN_QUERY_LENGTH, normalise_query, search_all

PAGE_LIMIT = 20
SUGGEST_LIMIT = 3


@require_GET
def search_view(request):
    query = request.GET.get("q", "").strip()
    groups = search_all(user=request.user, query=query, limit=PAGE_LIMIT)
    return render(
        request,
        "core/search.html",
        {
            "query": query,
            "search_query": query,  # the header box keeps it
            "groups": groups,
            "too_short": 0 < len(normalise_query(query)) < MIN_QUERY_LENGTH,
            "min_length": MIN_QUERY_LENGTH,
        },
    )


@require_GET
def search_suggest_view(request):
    """The htmx fragment under the header box: a few hits per type and a link to the full page."""
    query = request.GET.get("q", "").strip()
    groups = search_all(user=request.user, query=query, limit=SUGGEST_LIMIT)
    return render(request, "core/search_suggest.html", {"query": query, "groups": groups})
