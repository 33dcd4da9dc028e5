"""Articles from the web: fetched with httpx, main text extracted with trafilatura (when it is
installed; otherwise the HTML's visible text). Offline, one clear error.

The web service fetches what strangers paste, so it fetches with `public_only`: every
request (redirects too) goes to an address resolved once, checked to be a globally routable
unicast address, and then connected to as checked (the host name is kept for the Host header
and TLS), so a name that resolves to a public address for the check and to 127.0.0.1 for the
connection (DNS rebinding) reaches nothing private.
"""

from __future__ import annotations

import functools
import html
import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from attrition.errors import FetchError, SourceError

if TYPE_CHECKING:
    import httpx

MAX_BYTES = 5 * 1024 * 1024
DEADLINE = 30.0
"""Seconds a whole fetch may take, however slowly the server trickles its bytes."""

Resolver = Callable[[str, int], list[str]]
"""host, port -> the addresses the host resolves to."""

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_6TO4 = ipaddress.ip_network("2002::/16")
_NOT_GLOBAL = tuple(ipaddress.ip_network(n) for n in (
    "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215): translates to a site's own addresses
    "::/96",  # IPv4-compatible (deprecated; some stacks still send it over IPv4)
    "192.0.0.0/24",  # IETF protocol assignments: none globally reachable but two anycasts
))
_SIIT = ipaddress.ip_network("::ffff:0:0:0/96")
"""IPv4-translated addresses (RFC 2765): a translator sends them to the IPv4 address inside."""

IP = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IP | str) -> bool:
    """Whether an address is globally routable unicast: `is_global`, not multicast, not in
    `_NOT_GLOBAL` (which Python's `is_global` passes), and, for the IPv6 forms that carry an
    IPv4 address (IPv4-mapped, IPv4-translated, NAT64 64:ff9b::/96, 6to4 2002::/16), only
    when that IPv4 address is public too."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if ip.is_multicast or any(ip in n for n in _NOT_GLOBAL if n.version == ip.version):
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        if ip in _SIIT:
            return is_public(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip in _NAT64:
            return is_public(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip in _6TO4 and not is_public(ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF)):
            return False
    return bool(ip.is_global)


def system_resolver(host: str, port: int) -> list[str]:
    import socket

    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def pin(host: str, port: int, resolve: Resolver = system_resolver) -> str:
    """The address to connect to for `host`: resolved once, every address it resolves to
    public (a name with one private address among public ones is refused: the choice among
    them is the resolver's, not ours)."""
    try:
        literal: IP | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        found = [str(literal)]
    else:
        try:
            found = resolve(host, port)
        except OSError:
            raise FetchError(f"offline or unreachable: cannot resolve {host}") from None
        if not found:
            raise FetchError(f"offline or unreachable: cannot resolve {host}")
    for a in found:
        try:
            ok = is_public(a.split("%", 1)[0])
        except ValueError:
            ok = False
        if not ok:
            raise SourceError(f"refused: {host} is not a public address ({a})")
    return found[0]


def pinned_transport(resolve: Resolver = system_resolver, **kwargs: object
                     ) -> httpx.BaseTransport:
    """An httpx transport that sends each request to the public address its host resolved
    to at that moment (see `pin`), with the Host header and TLS name of the URL."""
    import httpx

    class Pinned(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            url = request.url
            if url.scheme not in ("http", "https") or not url.host:
                raise SourceError(f"{url}: only http(s) addresses can be fetched")
            port = url.port or (443 if url.scheme == "https" else 80)
            address = pin(url.host, port, resolve)
            # the Host header was set from the URL when the request was built; TLS checks the
            # certificate against the name, not the address
            request.url = url.copy_with(host=address)
            request.extensions = {**request.extensions, "sni_hostname": url.host}
            return super().handle_request(request)

    return Pinned(**kwargs)  # type: ignore[arg-type]


def require_public(url: str, resolve: Resolver = system_resolver) -> None:
    """Refuse a URL whose host is not a public internet address (loopback, private networks,
    link-local cloud metadata, multicast ...)."""
    import httpx

    try:
        parts = httpx.URL(url)
    except httpx.InvalidURL:
        raise SourceError(f"not a valid address: {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.host:
        raise SourceError(f"{url}: only http(s) addresses can be fetched")
    pin(parts.host, parts.port or (443 if parts.scheme == "https" else 80), resolve)


def _decode(body: bytes, charset: str | None) -> str:
    """The page's text in its declared charset; an unknown or wrong one reads as UTF-8
    (figures are ASCII digits in any case)."""
    try:
        return body.decode(charset or "utf-8", "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


@functools.cache
def user_agent() -> str:
    """`attrition/VERSION (...)`: names the tool and its version to the sites it reads."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("attrition")
    except PackageNotFoundError:
        v = "dev"
    return f"attrition/{v} (news fact-checker; python-httpx)"


@dataclass
class Fetched:
    """A response read within the limits: 200 with its body, or 304 (not modified, no body)."""

    url: str
    """The address asked for (not the redirect's target: the feed's or article's name)."""
    status: int
    body: bytes = b""
    charset: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    def text(self) -> str:
        return _decode(self.body, self.charset)


def client(timeout: float = 20.0, *, public_only: bool = False,
           resolve: Resolver = system_resolver) -> httpx.Client:
    """An httpx client for `fetch`, to reuse over many fetches (kept-alive connections).
    With `public_only`, every request (redirects too) goes only to a public address."""
    import httpx

    transport = pinned_transport(resolve) if public_only else None
    return httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=10,
                        transport=transport, headers={"User-Agent": user_agent()})


def fetch(url: str, http: httpx.Client, *, deadline: float = DEADLINE,
          max_bytes: int = MAX_BYTES, etag: str | None = None,
          last_modified: str | None = None, what: str = "page") -> Fetched:
    """GET `url` with `http` (see `client`), conditionally when `etag` or `last_modified`
    (from the previous answer) are given: 304 comes back as status 304 without a body. A
    body over `max_bytes`, a fetch over `deadline` seconds, any status but 200 and 304, a
    redirect loop: a FetchError naming the address."""
    import httpx

    if not url.startswith(("http://", "https://")):
        raise SourceError(f"{url}: only http(s) addresses can be fetched")
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    try:
        with http.stream("GET", url, headers=headers) as resp:
            if resp.status_code == 304:
                return Fetched(url, 304, etag=resp.headers.get("etag", etag),
                               last_modified=resp.headers.get("last-modified", last_modified))
            if resp.status_code != 200:
                raise FetchError(f"{url}: HTTP {resp.status_code}")
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: {what} too large ({int(declared):,} bytes; the "
                                 f"limit is {max_bytes:,})")
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(f"{url}: {what} too large (over {max_bytes:,} bytes)")
                if time.monotonic() - started > deadline:
                    raise FetchError(f"{url}: too slow (over {deadline:g} s)")
            return Fetched(url, 200, bytes(body), resp.charset_encoding,
                           resp.headers.get("content-type"), resp.headers.get("etag"),
                           resp.headers.get("last-modified"))
    except httpx.InvalidURL:
        raise SourceError(f"not a valid address: {url!r}") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: too many redirects (a redirect loop?)") from None
    except httpx.DecodingError:
        raise FetchError(f"{url}: the {what}'s compressed body is damaged") from None
    except httpx.TimeoutException:
        raise FetchError(f"{url}: too slow (no answer within the time limit)") from None
    except httpx.HTTPError as exc:  # transport errors, bad responses
        raise FetchError(f"offline or unreachable: {url} ({exc.__class__.__name__})") from None


def fetch_url(url: str, timeout: float = 20.0, *, public_only: bool = False,
              resolve: Resolver = system_resolver, deadline: float = DEADLINE) -> str:
    """The article at `url`. With `public_only`, every request (redirects too) goes only to
    a public address, the one that was checked."""
    if not url.startswith(("http://", "https://")):
        raise SourceError(f"{url}: only http(s) addresses can be fetched")
    with client(timeout, public_only=public_only, resolve=resolve) as http:
        got = fetch(url, http, deadline=deadline)
    return main_text(got.text())


def main_text(page: str, *, fast: bool = False) -> str:
    """The article's text from its HTML. `fast`: trafilatura without its fallback
    extractors (readability, jusText), ~10x faster on short pages, which otherwise run them
    all (the watcher's choice; a single check can afford the fallbacks)."""
    import trafilatura  # a dependency since `watch`; imported here, as it costs ~0.3 s

    text = trafilatura.extract(page, include_comments=False, include_tables=False,
                               fast=fast)
    if text:
        return str(text)
    page = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1\s*>", " ", page[:MAX_BYTES])
    page = re.sub(r"(?i)<br\s*/?>|</p\s*>|</h\d\s*>|</li\s*>", "\n", page)
    return html.unescape(re.sub(r"<[^>]{0,2000}>", " ", page))
