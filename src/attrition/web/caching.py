"""HTTP caching for every GET: validators from the store's version, so that a bot or a widget
polling for the morning's report gets `304 Not Modified` (no body, no work) until an ingest
changes the data; `HEAD` answered as the GET would be, without the body; `Link` headers on
paged answers.

The ETag is weak (`W/"…"`): it names the store's version and the UTC day, since pages and
`/api/sources` also say how old the newest report is. Last-Modified is the later of the last
ingest and the start of that day. Static files keep the validators StaticFiles gives them.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from attrition.web.state import Holder

CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=3600"
"""Reports come once a morning: five minutes fresh, then revalidated (a 304 is cheap)."""
PAGED = ("/api/v2/statistics",)
UNCACHED = ("/health",)
"""Paths answered afresh every time, without validators (a health check must see now)."""
LIVE = ("/monitor", "/api/monitor", "/claims/", "/api/claims/", "/feeds/flags.atom")
"""Paths that read the register of checked articles, which changes without an ingest: no
validators from the ledger's version; a client revalidates every time."""
"""Paths whose JSON answers carry `paging.next_url`; they get a `Link` header."""


def validators(version: tuple[Any, ...], now: datetime | None = None) -> tuple[str, datetime]:
    """The ETag and Last-Modified of every answer over the data of `version`."""
    now = now or datetime.now(UTC)
    day = now.date().isoformat()
    digest = hashlib.sha256(repr((version, day)).encode()).hexdigest()[:20]
    start = datetime(now.year, now.month, now.day, tzinfo=UTC)
    try:
        ingested = datetime.fromisoformat(str(version[2]))
        if ingested.tzinfo is None:
            ingested = ingested.replace(tzinfo=UTC)
    except (IndexError, ValueError):
        ingested = start
    modified = max(ingested, start).replace(microsecond=0)
    return f'W/"{digest}"', modified


def not_modified(headers: Headers, etag: str, modified: datetime) -> bool:
    """RFC 9110 §13.1: If-None-Match (weak comparison) wins over If-Modified-Since."""
    match = headers.get("if-none-match")
    if match is not None:
        wanted = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in wanted or etag.removeprefix("W/") in wanted
    since = headers.get("if-modified-since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return modified <= when
    return False


def link_header(body: bytes) -> str | None:
    """`Link: <next>; rel="next"` from a paged v2 answer's `paging.next_url`."""
    try:
        doc = json.loads(body)
        nxt = doc["data"]["paging"]["next_url"]
    except (ValueError, KeyError, TypeError):
        return None
    return f'<{nxt}>; rel="next"' if nxt else None


class HttpCaching:
    """ASGI middleware in front of the app (outside CachedGets, so a 304 costs no lookup)."""

    def __init__(self, app: ASGIApp, holder: Holder) -> None:
        self.app = app
        self.holder = holder
        self._memo: tuple[Any, ...] = ()

    def _fields(self) -> tuple[str, datetime, list[tuple[bytes, bytes]]]:
        """The validators of the current data and day, computed once per (version, day):
        this runs on every request."""
        version = self.holder.get().version
        day = int(time.time() // 86400)
        if self._memo[:2] != (version, day):
            etag, modified = validators(version)
            fields = [(b"etag", etag.encode()),
                      (b"last-modified", format_datetime(modified, usegmt=True).encode()),
                      (b"cache-control", CACHE_CONTROL.encode())]
            self._memo = (version, day, etag, modified, fields)
        return self._memo[2], self._memo[3], self._memo[4]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in ("GET", "HEAD")
                or scope["path"].startswith("/static/") or scope["path"] in UNCACHED
                or scope["path"].startswith(LIVE)):
            if scope["type"] == "http" and scope["method"] == "HEAD":
                scope = {**scope, "method": "GET"}
                await self.app(scope, receive, _bodiless(send))
                return
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        etag, modified, fields = self._fields()
        if not_modified(Headers(scope=scope), etag, modified):
            await send({"type": "http.response.start", "status": 304, "headers": fields})
            await send({"type": "http.response.body", "body": b""})
            return
        paged = scope["path"] in PAGED
        held: list[Message] = []

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 200:
                    message["headers"] = [*message.get("headers", ()), *fields]
                else:  # an error may be fixed by the next ingest: never kept
                    MutableHeaders(scope=message)["cache-control"] = "no-store"
                if paged and message["status"] == 200:
                    held.append(message)  # the Link header needs the body
                    return
                await send(message)
                return
            if held:
                if message.get("more_body"):
                    held.append(message)
                    return
                start, *parts = held
                body = b"".join(m.get("body", b"") for m in (*parts, message))
                link = link_header(body)
                if link:
                    MutableHeaders(scope=start)["link"] = link
                await send(start)
                await send({"type": "http.response.body", "body": b"" if head else body})
                return
            if head:
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"} if head else scope, receive, wrapped)


def _bodiless(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return wrapped
