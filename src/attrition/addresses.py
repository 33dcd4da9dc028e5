"""Addresses of sources (a bulletin's page, a mirror's `sourceUri` or `resource`): only
absolute http(s) URLs are addresses. Mirrors are fetched from the network by `update`, so an
address is untrusted text: a `javascript:` one must never become a link.

    web_address(text) -> the address, or None   (renderers: a link only when not None)
    check_address(text, ...) -> the address      (readers: refuse anything else, naming it)
"""

from __future__ import annotations

import re

from attrition.errors import ParseError

_WEB = re.compile(r"https?://[^\s\"'<>\\^`{|}\x00-\x1f\x7f]+", re.IGNORECASE)
MAX_LENGTH = 2000


def web_address(text: object) -> str | None:
    """`text` if it is an absolute http(s) URL with a host, of reasonable length and without
    spaces, quotes or control characters; else None."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH or not _WEB.fullmatch(text):
        return None
    rest = text.split("://", 1)[1]
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return text if host and not host.startswith(("@", ":")) else None


def check_address(text: str, *, record: str | None = None, field: str | None = None,
                  file: str | None = None) -> str:
    """`text` if it is a web address (see `web_address`), else a ParseError naming where."""
    if web_address(text) is None:
        shown = text if len(text) <= 80 else text[:80] + "…"
        raise ParseError(f"not an http(s) address: {shown!r}", file=file, record=record,
                         field=field)
    return text
