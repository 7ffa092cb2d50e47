"""Web addresses: which inputs are URLs, one canonical spelling per article, and which hosts are off limits.

Pure functions: nothing here touches the network. `fetch.py` resolves names and asks `address_problem`
about every address it is about to connect to, on every redirect hop.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from newsweave.errors import InputError

SCHEMES = ("http", "https")

# Cloud instance-metadata services hand out credentials to whoever asks from inside the machine: never
# fetched, even with allow_private (no news page lives there).
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.goog", "instance-data.ec2.internal", "metadata.azure.internal"})
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_url(text: str) -> bool:
    """Whether a command-line input names a web address (`https://...`) rather than a file."""
    return bool(_SCHEME.match(text.strip()))


def canonical_url(url: str) -> str:
    """One spelling per page, so one article fetched twice is one article.

    Lower-case scheme and host, default port dropped, tracking parameters (`utm_*`, `fbclid`, ...)
    removed, the other parameters sorted, the fragment dropped (it never names another document).
    """
    import courlan  # here: only a web address needs it, and a process reading files spares its import (0.06 s)

    given = url.strip()
    check_scheme(given)
    try:
        normal = courlan.normalize_url(given)
    except (ValueError, AttributeError) as exc:  # courlan raises on unparsable ports and hosts
        raise InputError(given, f"not a valid web address: {exc}") from None
    parts = urlsplit(normal)
    if not parts.hostname:
        raise InputError(given, "not a valid web address: no host name")
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def check_scheme(url: str) -> None:
    """Raise InputError unless `url` is an absolute http or https address with a host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise InputError(url, f"not a valid web address: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        what = f"a {scheme}: address" if scheme else "a relative address"
        raise InputError(url, f"refused: only http and https addresses are fetched, and this is {what}")
    if not host:
        raise InputError(url, "not a valid web address: no host name")


def host_problem(host: str) -> str | None:
    """Why a host *name* is refused before it is even resolved (the cloud metadata names), or None."""
    name = host.strip().rstrip(".").lower()
    if name in METADATA_HOSTS:
        return f"refused: {name} is a cloud metadata service; newsweave never fetches from it"
    return None


def address_problem(
    address: str | Address, *, allow_private: bool = False, allow_networks: tuple[str, ...] = (), host: str | None = None
) -> str | None:
    """Why newsweave must not connect to `address` (a whole sentence for the user), or None when it may.

    Refused by default: loopback, private, link-local, multicast, reserved, unspecified and other
    non-public addresses, IPv6 addresses that wrap one of those, and cloud metadata addresses.
    `allow_private` (or an address inside one of `allow_networks`) permits all but the metadata ones.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    what = f"{host} resolves to {ip}," if host and host != str(ip) else f"{ip} is"
    if _is_metadata(ip):
        return f"refused: {what} a cloud metadata address; newsweave never fetches from it"
    if allow_private or any(ip in ipaddress.ip_network(n, strict=False) for n in allow_networks):
        return None
    kind = address_kind(ip)
    return f"refused: {what} {kind}" if kind else None


def address_kind(ip: Address) -> str | None:
    """What kind of non-public address `ip` is ("a loopback address"), or None for a public one."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        kind = address_kind(inner)
        return f"an IPv6 address wrapping {inner}, {kind}" if kind else None
    if ip.is_unspecified:
        return "an unspecified address (it reaches this machine)"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "a non-public address"
    return None


def _is_metadata(ip: Address) -> bool:
    inner = _embedded_ipv4(ip)
    return ip in METADATA_ADDRESSES or (inner is not None and inner in METADATA_ADDRESSES)


def _embedded_ipv4(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64, Teredo client), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.teredo is not None:
        return ip.teredo[1]
    return None
