"""The client's address, the one way every part of OpenUHC reads it (login lock-out, the public form's limits,
the personal-data access log).

Without configuration it is `REMOTE_ADDR`, the address that connected to the server. Behind a reverse proxy
every visitor connects from the proxy's address, so a limit per address would lock everyone together. Then
set `OPENUHC_TRUSTED_PROXIES` (the proxies' addresses or networks) and `OPENUHC_CLIENT_IP_HEADER` (the header
they set, e.g. `X-Forwarded-For` or `X-Real-IP`). The header is believed only on a request that came from a
trusted proxy; in a list (`X-Forwarded-For: client, proxy1, proxy2`) the client is the right-most address that
is not itself a trusted proxy, because everything left of that may have been written by the client.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder address for a request without one, never bound to


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _address(text: str) -> str | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def _trusted(address: str | None, networks: tuple) -> bool:  # noqa: ANN001
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the person's browser, as far as the configured proxies let us know it."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    header = getattr(settings, "OPENUHC_CLIENT_IP_HEADER", "")
    networks = _networks(tuple(getattr(settings, "OPENUHC_TRUSTED_PROXIES", ())))
    if not header or not networks or not _trusted(remote, networks):
        return remote or UNKNOWN
    meta_key = "HTTP_" + header.upper().replace("-", "_")
    hops = [_address(part) for part in request.META.get(meta_key, "").split(",")]
    for hop in reversed(hops):
        if hop is None:
            break  # a malformed entry: nothing left of it can be trusted
        if not _trusted(hop, networks):
            return hop
    return remote or UNKNOWN
