"""Request limits and response headers of issue 22 (headers and limits)."""

import re
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control


@lru_cache(maxsize=1)
def _limits(rules: tuple[tuple[str, int], ...]):
    return [(re.compile(pattern), limit) for pattern, limit in rules]


def body_limit(path: str) -> int:
    """The largest request body accepted at ``path`` (REQUEST_BODY_LIMITS, else REQUEST_BODY_MAX_BYTES)."""
    for pattern, limit in _limits(tuple(tuple(rule) for rule in settings.REQUEST_BODY_LIMITS)):
        if pattern.match(path):
            return limit
    return settings.REQUEST_BODY_MAX_BYTES


class RequestBodyLimitMiddleware:
    """Refuse a body larger than its URL allows from Content-Length alone, before anything reads it.

    Only the ledger import expects an upload; every other URL takes small forms. A body without a
    Content-Length is not read by Django at all (WSGI), so the header is the whole story.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("请求无效。", status=400, content_type="text/plain; charset=utf-8")
        if length > body_limit(request.path_info):
            response = HttpResponse("提交的内容过大，已拒绝。", status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            return response
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; ``Cache-Control: no-store`` on what a signed-in user gets
    (record pages, downloads), so no shared or back-button cache keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class RestrictedRoleMiddleware:
    """A confined role (专家, see roles.py ``pages``) opens only its own pages: any other URL answers
    403 whatever the view checks, so a page added later cannot leak to it by forgetting a check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.core.exceptions import PermissionDenied

        from bureau.accounts.roles import restricted_pages

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        pages = restricted_pages(user)
        if pages is None:
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        namespace = name.rpartition(":")[0]
        if name in pages or (namespace and f"{namespace}:*" in pages):
            return None
        raise PermissionDenied
