"""Connections only to vetted addresses: the fetcher's defence against SSRF and DNS rebinding."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable

import httpcore
import httpx

__all__ = ["AddressRefused", "IPAddress", "IPNetwork", "PinnedTransport", "refusal"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Not covered by ipaddress's flags, yet they reach internal services.
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_METADATA = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254"))
_REFUSED_KINDS = (
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_unspecified", "unspecified"),
    ("is_reserved", "reserved"),
    ("is_private", "private"),
)


class AddressRefused(Exception):  # noqa: N818 - becomes FetchError E202 in Fetcher
    def __init__(self, host: str, address: IPAddress, kind: str) -> None:
        shown = f"{host} resolves to {address}" if host != str(address) else str(address)
        super().__init__(f"{shown} ({kind})")


def refusal(address: IPAddress, allowed: tuple[IPNetwork, ...]) -> str | None:
    """Why ``address`` may not be connected to, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    if any(address in network for network in allowed):
        return None
    if address in _METADATA:
        return "a cloud metadata address"
    for flag, kind in _REFUSED_KINDS:
        if getattr(address, flag):
            return f"a {kind} address"
    if address in _CGNAT:
        return "a shared (CGNAT) address"
    return None


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    addresses: list[IPAddress] = []
    for family, _, _, _, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise httpcore.ConnectError(f"cannot resolve {host}: no IP address")
    return addresses


class _VettingBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, connecting only to addresses that pass the vetting."""

    def __init__(self, allowed: tuple[IPNetwork, ...]) -> None:
        self._allowed = allowed
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port)
        vetted = [a for a in addresses if refusal(a, self._allowed) is None]
        if not vetted:
            first = addresses[0]
            raise AddressRefused(host, first, refusal(first, self._allowed) or "")
        error: Exception | None = None
        for address in vetted:
            try:
                # Connect to the vetted literal, never to the name: a second lookup
                # could answer differently (DNS rebinding).
                return self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the fetcher does not use unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport, with a connection pool over :class:`_VettingBackend`.

    httpx 0.28 has no public hook for a network backend; replacing the pool it has just
    built keeps httpx's exception mapping and response streaming intact.
    """

    def __init__(self, allowed: tuple[IPNetwork, ...]) -> None:
        super().__init__(trust_env=False)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("this httpx version has no HTTPTransport._pool to replace")
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_VettingBackend(allowed),
        )
