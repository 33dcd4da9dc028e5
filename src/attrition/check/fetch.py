"""Articles from the web: fetched with httpx, main text extracted with trafilatura (when it is
installed; otherwise the HTML's visible text). Offline, one clear error."""

from __future__ import annotations

import html
import re

from attrition.errors import FetchError

MAX_BYTES = 5 * 1024 * 1024


def require_public(url: str) -> None:
    """Refuse a URL whose host is not a public internet address (loopback, private networks,
    link-local cloud metadata ...): the web service fetches what strangers paste."""
    import ipaddress
    import socket

    import httpx

    try:
        parts = httpx.URL(url)
    except httpx.InvalidURL:
        raise FetchError(f"not a valid address: {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.host:
        raise FetchError(f"{url}: only http(s) addresses can be fetched")
    try:
        infos = socket.getaddrinfo(parts.host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        raise FetchError(f"offline or unreachable: {url} (cannot resolve {parts.host})") from None
    for info in infos:
        if not ipaddress.ip_address(info[4][0]).is_global:
            raise FetchError(f"{url}: refused, {parts.host} is not a public address")


def fetch_url(url: str, timeout: float = 20.0, *, public_only: bool = False) -> str:
    """The article at `url`. With `public_only`, every request (redirects too) must go to a
    public address."""
    import httpx

    def check(request: httpx.Request) -> None:
        require_public(str(request.url))

    hooks = {"request": [check]} if public_only else {}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, event_hooks=hooks) as client, \
                client.stream("GET", url, headers={"User-Agent": "attrition fact-checker"}
                              ) as resp:
            if resp.status_code != 200:
                raise FetchError(f"{url}: HTTP {resp.status_code}")
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise FetchError(f"{url}: page too large (over {MAX_BYTES:,} bytes)")
            text = body.decode(resp.encoding or "utf-8", "replace")
    except httpx.TransportError as exc:
        raise FetchError(f"offline or unreachable: {url} ({exc.__class__.__name__})") from None
    return main_text(text)


def main_text(page: str) -> str:
    """The article's text from its HTML."""
    try:
        import trafilatura
    except ModuleNotFoundError:
        trafilatura = None
    if trafilatura is not None:
        text = trafilatura.extract(page, include_comments=False, include_tables=False)
        if text:
            return str(text)
    page = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1\s*>", " ", page[:MAX_BYTES])
    page = re.sub(r"(?i)<br\s*/?>|</p\s*>|</h\d\s*>|</li\s*>", "\n", page)
    return html.unescape(re.sub(r"<[^>]{0,2000}>", " ", page))
