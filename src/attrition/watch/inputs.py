"""Where articles come from: feeds (RSS 2.0 and Atom through feedparser, JSON Feed through
json), a file listing feeds with an outlet name each, a folder of articles, and JSON lines on
stdin (a newsroom's CMS pushing copy before publication). Each yields register entries.

A feed entry's fingerprint (`entry_hash`) is its address, its date of update (or of
publication) and its title: a feed that lists an item again with a new date or title has
updated it, and the page is read again (a text already checked at the address is then a
duplicate, not a new version).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from attrition.errors import ParseError, SourceError
from attrition.store.register import Entry

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MAX_ARTICLE = 20 * 1024 * 1024


@dataclass(frozen=True)
class Feed:
    address: str
    outlet: str | None = None
    interval: int | None = None
    """Seconds between two polls of this feed (None: the watcher's --interval)."""


def content_hash(text: str) -> str:
    """The text's fingerprint: SHA-256 of its words (spacing and line breaks do not count,
    so a page re-rendered with other white space is the same text)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def entry_hash(address: str, stamp: str | None, title: str | None) -> str:
    return hashlib.sha256(f"{address}\n{stamp or ''}\n{title or ''}".encode()).hexdigest()


# -- the list of feeds ----------------------------------------------------------------------


MIN_INTERVAL = 10
"""The shortest interval a feed may ask for (seconds), as `--interval`."""


def read_feed_list(path: Path) -> list[Feed]:
    """A file of feeds, one a line: the address, then the outlet's name (optional), then
    (optional) `every=DURATION`, the feed's own interval between polls (`every=30m`,
    `every=2h`, `every=600`), e.g. `https://example.org/rss.xml  Example News  every=30m`.
    Blank lines and `#` comments are skipped."""
    from attrition.sources._common import decode
    from attrition.watch.politeness import seconds

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the list of feeds ({exc.strerror})") from None
    try:
        text = decode(data)
    except ParseError as exc:
        raise ParseError(exc.message, file=str(path)) from None
    out: list[Feed] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        address, _, rest = line.partition(" ")
        if not address.startswith(("http://", "https://")):
            raise ParseError(f"{address[:60]!r} is not an http(s) address", file=str(path),
                             line=n, field="address")
        interval = None
        words = rest.split()
        if words and words[-1].lower().startswith("every="):
            try:
                interval = seconds(words.pop().partition("=")[2])
            except ValueError as exc:
                raise ParseError(str(exc), file=str(path), line=n, field="every") from None
            if interval < MIN_INTERVAL:
                raise ParseError(f"{interval} s is too often (at least {MIN_INTERVAL} s)",
                                 file=str(path), line=n, field="every")
        out.append(Feed(address, " ".join(words) or None, interval))
    if not out:
        raise SourceError(f"{path}: lists no feed (one a line: ADDRESS OUTLET [every=30m])")
    return out


# -- feeds ----------------------------------------------------------------------------------


def _iso(parsed: Any) -> str | None:
    """feedparser's parsed date (a UTC struct_time) as ISO 8601."""
    if not parsed:
        return None
    try:
        y, mo, d, h, mi, sec = (int(x) for x in parsed[:6])
        return datetime(y, mo, d, h, mi, sec, tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None


def parse_feed(body: bytes, feed: Feed, content_type: str | None = None
               ) -> tuple[list[Entry], str | None]:
    """The feed's entries, and a warning when the feed was malformed but entries could be
    read anyway. A body that is no feed, or a malformed one with no entry: ParseError."""
    head = body[:200].lstrip()
    if head.startswith(b"{") or (content_type or "").split(";")[0].strip() in (
            "application/feed+json", "application/json"):
        return _json_feed(body, feed), None
    import feedparser

    parsed = feedparser.parse(body, response_headers={
        "content-type": content_type or "application/xml", "content-location": feed.address})
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        line = getattr(exc, "getLineNumber", lambda: None)()
        problem = (f"malformed XML{f' (line {line})' if line else ''}: "
                   f"{str(getattr(exc, 'getMessage', lambda: exc)())[:120]}")
    if not parsed.get("version") and not parsed.entries:
        raise ParseError(problem or "not an RSS, Atom or JSON feed", file=feed.address)
    out = []
    for e in parsed.entries:
        link = e.get("link") or (e.get("id") if str(e.get("id", "")).startswith(
            ("http://", "https://")) else None)
        if not link:
            continue
        # dict.get: FeedParserDict.get maps a missing `updated` to `published`, with a warning
        published = _iso(dict.get(e, "published_parsed")) or _iso(
            dict.get(e, "updated_parsed"))
        stamp = _iso(dict.get(e, "updated_parsed")) or published
        title = e.get("title")
        out.append(Entry(address=str(link), entry_hash=entry_hash(str(link), stamp, title),
                         outlet=feed.outlet or parsed.feed.get("title"), title=title,
                         published=published, feed=feed.address))
    if problem and not out:
        raise ParseError(problem, file=feed.address)
    if problem:
        problem += f"; {len(out)} entries read anyway"
    return out, problem


def _json_feed(body: bytes, feed: Feed) -> list[Entry]:
    """A JSON Feed (jsonfeed.org, version 1 or 1.1)."""
    from attrition.sources._common import decode

    try:
        doc = json.loads(decode(body))
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg}", file=feed.address,
                         line=exc.lineno) from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(
            "https://jsonfeed.org/version/"):
        raise ParseError("not a JSON Feed (no jsonfeed.org version)", file=feed.address,
                         field="version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise ParseError("no list of items", file=feed.address, field="items")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ParseError("an item is not an object", file=feed.address,
                             record=f"items[{i}]")
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link.startswith(("http://", "https://")):
            continue
        published = _norm_date(item.get("date_published"))
        stamp = _norm_date(item.get("date_modified")) or published
        title = item.get("title") if isinstance(item.get("title"), str) else None
        out.append(Entry(address=link, entry_hash=entry_hash(link, stamp, title),
                         outlet=feed.outlet or doc.get("title"), title=title,
                         published=published, feed=feed.address))
    return out


def _norm_date(value: Any) -> str | None:
    """A time in UTC (ISO); a bare ISO date stays a date (it names the day, not a time:
    every report of that day counts for it, as `--as-of` reads a date)."""
    if not isinstance(value, str) or not value:
        return None
    if len(value) == 10:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    try:
        got = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if got.tzinfo is None:
        got = got.replace(tzinfo=UTC)
    return got.astimezone(UTC).isoformat()


# -- a folder, JSON lines -------------------------------------------------------------------


def folder_entries(folder: Path, outlet: str | None = None) -> list[Entry | ParseError]:
    """Every article file in `folder` (.txt, .md, .html), its address the file's URI. A file
    that cannot be read as text (binary, too large, a FIFO or a broken link) is a ParseError
    naming it, as a bad pushed line is: the other articles are checked (one such file
    dropped in the folder stopped the whole watcher)."""
    from attrition.check.article import header
    from attrition.check.fetch import main_text
    from attrition.errors import AttritionError
    from attrition.sources._common import decode, read_regular

    if not folder.is_dir():
        raise SourceError(f"{folder}: not a folder")
    out: list[Entry | ParseError] = []
    for f in sorted(p for p in folder.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES
                    and not p.is_dir()):
        try:
            text = decode(read_regular(f, MAX_ARTICLE))  # capped: st_size is not trusted
        except ParseError as exc:
            out.append(exc.at(str(f)))
            continue
        except AttritionError as exc:  # read_regular's errors name the file already
            out.append(ParseError(str(exc)))
            continue
        if f.suffix.lower() in (".html", ".htm"):
            text = main_text(text)
        if not text.strip():
            continue
        h = content_hash(text)
        meta, _ = header(text)  # the file's own header names its outlet and time
        out.append(Entry(address=f.resolve().as_uri(), entry_hash=h,
                         outlet=outlet or meta.get("outlet"), title=_title(text),
                         published=_norm_date(meta.get("published")), text=text,
                         content_hash=h))
    return out


def _title(text: str) -> str | None:
    m = re.search(r"(?im)^title:\s*(.+)$", text[:2000])
    if m:
        return m.group(1).strip()
    first = text.strip().splitlines()
    return first[0][:200] if first else None


LINE_FIELDS = ("address", "title", "published", "text", "outlet")


def json_lines(lines: Iterable[str], name: str = "stdin"
               ) -> Iterator[Entry | ParseError]:
    """Articles pushed as JSON lines, one object a line: `text` and `address` required,
    `title`, `published` (ISO date or time) and `outlet` optional. A bad line yields a
    ParseError naming it (the others are read)."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ParseError(f"not valid JSON: {exc.msg} (column {exc.colno})", file=name,
                             line=n)
            continue
        if not isinstance(doc, dict):
            yield ParseError("not a JSON object", file=name, line=n)
            continue
        bad = next((k for k in ("address", "text") if not isinstance(doc.get(k), str)
                    or not doc[k].strip()), None)
        if bad:
            yield ParseError(f"'{bad}' is missing or not a string", file=name, line=n,
                             field=bad)
            continue
        wrong = next((k for k in ("title", "published", "outlet")
                      if doc.get(k) is not None and not isinstance(doc[k], str)), None)
        if wrong:
            yield ParseError(f"'{wrong}' is not a string", file=name, line=n, field=wrong)
            continue
        published = doc.get("published")
        if published and _norm_date(published) is None:
            yield ParseError(f"'published' is not an ISO date: {published[:40]!r}", file=name,
                             line=n, field="published")
            continue
        text = str(doc["text"])
        if len(text) > MAX_ARTICLE:
            yield ParseError("the text is too long to be an article", file=name, line=n,
                             field="text")
            continue
        h = content_hash(text)
        yield Entry(address=str(doc["address"]), entry_hash=h, outlet=doc.get("outlet"),
                    title=doc.get("title"), published=_norm_date(published), text=text,
                    content_hash=h)
