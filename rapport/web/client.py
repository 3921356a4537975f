"""Who is the client: the peer address, or the forwarded one when a trusted proxy says so."""

from __future__ import annotations

import ipaddress

from starlette.requests import Request

from rapport.core.config import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _trusted(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: Request, settings: Settings) -> str:
    """The client's address for throttling and logs.

    X-Forwarded-For is read only when the peer is a configured trusted proxy
    (RAPPORT_TRUSTED_PROXIES); then the chain is walked from the nearest hop back and the
    first address that is not a trusted proxy is the client. Anything a client writes to
    the left of that is ignored, so a client cannot choose its own address.
    """
    peer = request.client.host if request.client else "unknown"
    networks = settings.trusted_proxy_networks()
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer
