"""Articles from the web: fetched with httpx, main text extracted with trafilatura (when it is
installed; otherwise the HTML's visible text). Offline, one clear error."""

from __future__ import annotations

import html
import re

from attrition.errors import FetchError

MAX_BYTES = 5 * 1024 * 1024


def fetch_url(url: str, timeout: float = 20.0) -> str:
    import httpx

    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as client:
            resp = client.get(url, headers={"User-Agent": "attrition fact-checker"})
    except httpx.TransportError as exc:
        raise FetchError(f"offline or unreachable: {url} ({exc.__class__.__name__})") from None
    if resp.status_code != 200:
        raise FetchError(f"{url}: HTTP {resp.status_code}")
    if len(resp.content) > MAX_BYTES:
        raise FetchError(f"{url}: page too large ({len(resp.content):,} bytes)")
    return main_text(resp.text)


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
