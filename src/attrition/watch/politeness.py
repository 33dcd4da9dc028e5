"""How long to wait before asking a server again: a feed's own interval from the list of
feeds (`every=30m`), and a server's Retry-After on 429 (too many requests) or 503
(unavailable), as seconds or as an HTTP date. The watcher's HTTP client raises Throttled on
such an answer (`on_response`, an httpx response hook), so every fetch it makes honours it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from attrition.errors import Throttled

if TYPE_CHECKING:
    import httpx

THROTTLING = (429, 503)
MAX_RETRY_AFTER = 7 * 24 * 3600
"""A longer wait asked for is read as this (a week): a typo in a header cannot park a feed
for years."""

_EVERY = re.compile(r"(?i)^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?$")
_UNITS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def seconds(text: str) -> int:
    """A duration as a feed list writes it: `900`, `90s`, `30m`, `2h`, `1d`. ValueError for
    anything else."""
    m = _EVERY.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a duration (e.g. 900, 90s, 30m, 2h)")
    unit = m.group(2).lower() if m.group(2) else None
    return round(float(m.group(1)) * _UNITS[unit])


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date), at most a
    week; None when there is none or it cannot be read."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), MAX_RETRY_AFTER))
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    wait = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(0.0, wait), float(MAX_RETRY_AFTER))


def on_response(response: httpx.Response) -> None:
    """httpx response hook: a 429 or 503 with a Retry-After raises Throttled (the fetch
    stops there: the body is not read)."""
    if response.status_code not in THROTTLING:
        return
    wait = retry_after(response.headers.get("retry-after"))
    if wait is None:
        return  # no time given: the fetch fails as any error does, and backs off
    raise Throttled(f"{response.request.url}: HTTP {response.status_code}, asked to wait "
                    f"{wait:.0f} s (Retry-After)", wait)
