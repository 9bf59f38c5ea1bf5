"""The client's address and scheme behind reverse proxies named in ACCORD_TRUSTED_PROXIES.

Anyone can send ``X-Forwarded-For``; only a proxy that overwrites or appends to it tells
the truth. So the forwarding headers (``Forwarded``, ``X-Forwarded-For``,
``X-Forwarded-Proto``, ``X-Real-IP``) count only when the connection itself comes from
a trusted proxy, and then the client is the nearest address in the chain that is not a
trusted proxy: a client cannot push its way past the proxies by writing addresses of
its own to the left. With no proxies named (the default) the headers count for nothing,
so the per-address login limit sees the real peer. uvicorn's own handling, which trusts
127.0.0.1 by default, is turned off in ``accord serve``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from accord.config import IPNetwork

# An address or an obfuscated identifier (RFC 7239 §6.3) longer than this is no address.
MAX_ADDRESS = 100


def _host(value: str) -> str:
    """The address of a forwarded node: quotes, IPv6 brackets and a port removed."""
    value = value.strip().strip('"')
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:  # IPv4 with a port; bare IPv6 has several colons
        return value.split(":", 1)[0]
    return value


def _forwarded(values: list[str]) -> list[dict[str, str]]:
    """RFC 7239 elements, each a dict of its lower-cased parameters, in order."""
    elements = []
    for value in values:
        for element in value.split(","):
            pairs = {}
            for pair in element.split(";"):
                key, _, item = pair.partition("=")
                if item:
                    pairs[key.strip().lower()] = item.strip().strip('"')
            elements.append(pairs)
    return elements


class TrustedProxyMiddleware:
    def __init__(self, app: ASGIApp, trusted: Iterable[IPNetwork]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    def _trusts(self, host: str | None) -> bool:
        if not host:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if scope["type"] in ("http", "websocket") and peer and self._trusts(peer[0]):
            scope = dict(scope)
            client, proto = self._resolve(scope["headers"])
            if client:
                scope["client"] = (client[:MAX_ADDRESS], 0)
            if proto in ("http", "https"):
                secure = proto == "https"
                if scope["type"] == "websocket":
                    scope["scheme"] = "wss" if secure else "ws"
                else:
                    scope["scheme"] = proto
        await self.app(scope, receive, send)

    def _resolve(self, raw: list[tuple[bytes, bytes]]) -> tuple[str | None, str | None]:
        """The client and the scheme the proxies reported, preferring ``Forwarded``."""
        headers: dict[str, list[str]] = {}
        for name, value in raw:
            headers.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        if "forwarded" in headers:
            elements = _forwarded(headers["forwarded"])
            chain = [(_host(e.get("for", "")), e.get("proto", "").lower()) for e in elements]
        elif "x-forwarded-for" in headers:
            hosts = [_host(h) for h in ",".join(headers["x-forwarded-for"]).split(",")]
            protos = ",".join(headers.get("x-forwarded-proto", [])).split(",")
            # Each proxy appends its own entry, so the lists line up from the right.
            protos = [p.strip().lower() for p in protos if p.strip()]
            padded = [""] * (len(hosts) - len(protos)) + protos[-len(hosts) :]
            chain = list(zip(hosts, padded, strict=True))
        elif "x-real-ip" in headers:
            last = headers.get("x-forwarded-proto", [""])[-1].strip().lower()
            chain = [(_host(headers["x-real-ip"][-1]), last)]
        else:
            return None, None
        # From the nearest hop outwards: the first address that is no trusted proxy is
        # the client; if every one is a proxy, the farthest is the best we know.
        for host, proto in reversed(chain):
            if host and not self._trusts(host):
                return host, proto or None
        host, proto = chain[0]
        return host or None, proto or None
