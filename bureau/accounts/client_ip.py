"""The client's address: ``X-Forwarded-For`` is believed only when it comes from a trusted proxy.

``TRUSTED_PROXIES`` lists the reverse proxies' addresses or networks (nginx in front of gunicorn).
When the request comes from one of them, the client is the nearest forwarded address that is not
itself a trusted proxy; from anywhere else the header is ignored (anyone can send it).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):  # the right-most entries were added by our own proxies
        if not _trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a malformed header: fall back to the proxy rather than trust junk
    return remote
