"""The operations attrition offers, once, for both front ends: the CLI and the web service
call these and only format what they return, so the same question gets the same document.

    brief(ledger, day | week | month, lang)  from the daybook, the cache, or computed
    sources(ledger)                          what is loaded, licences, the data's age
    ingest_files(db, paths) / ingest_upload(db, name, body)   then the daybook's refresh
    update(db, client)                       newer reports and confirmed counts
    check_inputs(inputs) / check(ledger, texts, day)
    compare(ledger, ...)

A `Ledger` is what these read: the store's `Reader` (the CLI) or the web service's copy of
the ledger in memory; both answer the same methods. Heavy modules are imported where used,
so a command that needs none of them starts fast.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from attrition.errors import (
    CheckError,
    DateError,
    InvalidValueError,
    NotFoundError,
    SourceError,
)

if TYPE_CHECKING:
    import httpx

    from attrition.categories import Aggregate
    from attrition.model import Batch, ConfirmedBatch, ConfirmedCount, ConfirmedItem
    from attrition.store.read import LedgerRow, SeriesRow


class Ledger(Protocol):
    """What the operations read (`attrition.store.read.Reader` is one)."""

    url: str

    def version(self) -> tuple[int, int, str]: ...
    def latest_date(self) -> date | None: ...
    def first_date(self) -> date | None: ...
    def report(self, day: date) -> list[LedgerRow]: ...
    def by_category(self) -> dict[str, list[SeriesRow]]: ...
    def corrections(self) -> list[tuple[str, date, str, int]]: ...
    def confirmed_counts(self, source: str | None = None) -> list[ConfirmedCount]: ...
    def confirmed_items(self, source: str | None = None) -> list[ConfirmedItem]: ...
    def daybook(self, day: date
                ) -> tuple[dict[str, str], str | None, str | None, str | None]: ...
    def sources(self) -> list[dict[str, Any]]: ...
    def witness_counts(self) -> dict[str, int]: ...
    def confirmed_inputs(self) -> dict[str, str]: ...


STALE_HOURS = 36
"""A report older than this (a day and a half after its morning) is flagged stale."""


def now() -> datetime:
    return datetime.now(UTC)


# -- briefs ---------------------------------------------------------------------------------


def brief(ledger: Ledger, day: date | None = None, *, week: str | None = None,
          month: str | None = None, lang: str = "en",
          aggs: Mapping[str, Aggregate] | None = None) -> dict[str, Any]:
    """The brief of a report (`day`), an ISO week or a month: read from the daybook when it
    can serve it, else from the on-disk cache, else computed from the ledger (and cached).
    `aggs`: the aggregates, when the caller has them (else the user's config is read)."""
    if lang not in ("en", "uk"):
        raise InvalidValueError(f"unknown language {lang!r}; one of: en, uk")
    if sum(x is not None for x in (day, week, month)) != 1:
        raise InvalidValueError("give one of a report date, a week or a month")
    if day is not None:
        doc = _brief_from_daybook(ledger, day, lang, aggs)
        if doc is not None:
            return doc
        what = day.isoformat()
    else:
        what = f"week={week}" if week else f"month={month}"
    from attrition import cache

    name = cache.key("brief", ledger.url, ledger.version(), what, lang)
    got = cache.get(name)
    if got is None:
        got = _compute_brief(ledger, day, week, month, lang, aggs)
        cache.put(name, got)
    return got


def aggregates() -> dict[str, Aggregate]:
    """The built-in aggregates with the user's config's."""
    from attrition import categories

    return categories.aggregates(categories.load_config())


def _brief_from_daybook(ledger: Ledger, day: date, lang: str,
                        aggs: Mapping[str, Aggregate] | None = None) -> dict[str, Any] | None:
    """The daily brief from the store's daybook (three rows instead of the whole ledger's
    analysis), or None where the daybook cannot serve it: stale, another crosswalk, or the
    user's config redefining an aggregate the brief cites."""
    from attrition import brief as briefs
    from attrition import categories, daybook

    aggs = aggs if aggs is not None else aggregates()
    builtin = {a.id: a for a in categories.BUILTIN_AGGREGATES}
    if any(aggs.get(n) != builtin[n] for n in briefs.BRIEF_AGGREGATES):
        return None
    book = daybook.lookup(ledger, day)  # type: ignore[arg-type]  # a Ledger reads as a Reader
    if book is None or book.confirmed is None:
        return None
    report = ledger.report(day)
    if not report:
        raise NotFoundError(f"no report for {day}")
    return briefs.compose(report, book.standings, lang=lang, aggregates=aggs,
                          confirmed=book, breaks=book.breaks, corrections=book.corrections)


def _compute_brief(ledger: Ledger, day: date | None, week: str | None, month: str | None,
                   lang: str, aggs: Mapping[str, Aggregate] | None = None) -> dict[str, Any]:
    from attrition import brief as briefs

    rows, corrections = ledger.by_category(), ledger.corrections()
    aggs = aggs if aggs is not None else aggregates()
    if day is None:
        return briefs.period(rows, corrections, week=week, month=month, lang=lang,
                             aggregates=aggs)
    from attrition import crosswalk
    from attrition.compare import ConfirmedContext

    report = ledger.report(day)
    if not report:
        raise NotFoundError(f"no report for {day}")
    context = ConfirmedContext(rows, ledger.confirmed_counts("oryx"), crosswalk.load())
    return briefs.daily(rows, corrections, report, lang=lang, aggregates=aggs,
                        confirmed=context)


# -- sources --------------------------------------------------------------------------------


def data_age(latest: date | None, at: datetime | None = None) -> dict[str, Any]:
    """How old the newest report is. A report of D is published on the morning of D (Kyiv);
    its age counts from 06:00 UTC that day."""
    at = at or now()
    if latest is None:
        return {"latest": None, "age_days": None, "age_hours": None, "stale": True,
                "stale_after_hours": STALE_HOURS}
    published = datetime(latest.year, latest.month, latest.day, 6, tzinfo=UTC)
    hours = max(0.0, (at - published).total_seconds() / 3600)
    return {"latest": latest.isoformat(), "age_days": (at.date() - latest).days,
            "age_hours": round(hours, 1), "stale": hours > STALE_HOURS,
            "stale_after_hours": STALE_HOURS}


def sources(ledger: Ledger, at: datetime | None = None) -> dict[str, Any]:
    """The `sources` document: every source with its date range, size, licence and how
    many ledger cells it agrees with (witnesses whose values are not stored, such as the
    minfin-derived CSV, too), the confirmed-loss inputs, and the data's age."""
    rows = [dict(r) for r in ledger.sources()]
    witnesses = ledger.witness_counts()
    for r in rows:
        r["cells_agreeing"] = witnesses.get(r["source"], 0)
    for name, n in sorted(witnesses.items()):
        if not any(r["source"] == name for r in rows):
            rows.append({"source": name, "title": "vote only (values not stored)",
                         "url": None, "licence": None, "attribution": None, "first": None,
                         "last": None, "reports": None, "observations": None,
                         "retrieved_at": None, "cells_agreeing": n})
    first, latest = ledger.first_date(), ledger.latest_date()
    return {"first_report": first.isoformat() if first else None,
            "latest_report": latest.isoformat() if latest else None,
            "data_age": data_age(latest, at),
            "sources": rows,
            "confirmed": [{"source": s, "retrieved_at": t}
                          for s, t in sorted(ledger.confirmed_inputs().items())]}


# -- ingest and update ----------------------------------------------------------------------


@dataclass
class Ingested:
    """What an ingest or an update changed (None: no such input in it)."""

    files: int = 0
    figures: int | None = None
    new: int | None = None
    revised: int | None = None
    unchanged: int | None = None
    cells: int | None = None
    confirmed_files: int = 0
    counts_new: int | None = None
    counts_revised: int | None = None
    items_new: int | None = None
    items_changed: int | None = None
    failures: list[str] = field(default_factory=list)
    daybook_rows: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def store_batches(db: str | None, batches: Sequence[Batch | ConfirmedBatch], input: str,
                  *, on_refresh: Callable[[], None] | None = None,
                  result: Ingested | None = None) -> Ingested:
    """Write batches to the store in one go and recompute the daybook the briefs read
    (about a second), so the next brief reads three rows instead of the whole ledger."""
    from attrition import daybook
    from attrition.bootstrap import ensure_loaded
    from attrition.model import Batch
    from attrition.store.db import Store

    out = result or Ingested()
    official = [b for b in batches if isinstance(b, Batch)]
    confirmed = [b for b in batches if not isinstance(b, Batch)]
    ensure_loaded(db)
    with Store(db) as store:
        if official:
            r = store.ingest(official, input=input)
            out.files, out.figures, out.new = len(official), r.observations, r.new
            out.revised, out.unchanged, out.cells = r.revised, r.unchanged, r.cells
        if confirmed:
            c = store.ingest_confirmed(confirmed, input=input)
            out.confirmed_files = len(confirmed)
            out.counts_new, out.counts_revised = c.counts_new, c.counts_revised
            out.items_new, out.items_changed = c.items_new, c.items_changed
        if official or confirmed:
            if on_refresh is not None:
                on_refresh()
            out.daybook_rows = daybook.refresh(store)
    return out


def ingest_files(db: str | None, paths: Sequence[Path], fmt: str | None = None,
                 report_date: date | None = None, *,
                 on_file: Callable[[int, int], None] | None = None,
                 on_refresh: Callable[[], None] | None = None) -> Ingested:
    """Read every file (folders searched) and ingest them: all or nothing."""
    from attrition import ingest as ing

    files = ing.expand(paths)
    batches = []
    for i, f in enumerate(files):
        batches.append(ing.read_path(f, fmt, report_date))
        if on_file is not None:
            on_file(i + 1, len(files))
    return store_batches(db, batches, ", ".join(str(p) for p in paths),
                         on_refresh=on_refresh)


MAX_NAME = 128


def upload_name(name: str) -> str:
    """A file name given with an upload, checked: it only names the upload (its suffix
    chooses the reader, a bulletin's name may carry its date) and never reaches a path."""
    import re

    if not re.fullmatch(rf"\w[\w. -]{{0,{MAX_NAME - 1}}}", name) or ".." in name:
        raise SourceError(f"name: {name[:40]!r}{'…' if len(name) > 40 else ''} is not a "
                          f"plain file name (letters, digits, '.', '_', '-', ' '; at most "
                          f"{MAX_NAME} characters; no '..')")
    return name


def ingest_upload(db: str | None, name: str, body: bytes, fmt: str | None = None
                  ) -> Ingested:
    """Ingest one uploaded file, named `name` (see `upload_name`)."""
    import tempfile

    from attrition import ingest as ing

    safe = upload_name(name)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe
        path.write_bytes(body)
        try:
            batch = ing.read_path(path, fmt)
        except SourceError as exc:  # name the upload, not the temporary folder
            raise type(exc)(str(exc).replace(str(path), safe)) from None
    batch.address = f"upload:{safe}"
    return store_batches(db, [batch], f"api upload {safe}")


def update(db: str | None, client: httpx.Client, *, confirmed: bool = True,
           warspotting: bool = False, on_page: Callable[[int], None] | None = None
           ) -> Ingested:
    """Fetch newer reports from the sources (and Oryx's newest confirmed counts, and
    WarSpotting's new records if asked) and ingest what came. Sources that fail are listed
    in `failures`; nothing is written when nothing came."""
    from attrition import update as upd
    from attrition.bootstrap import ensure_loaded
    from attrition.store.read import Reader

    ensure_loaded(db)
    with Reader(db) as reader:
        latest = reader.latest_date()
        ws_ids = [int(i.id) for i in reader.confirmed_items("warspotting") if i.id.isdigit()]
    fetched = upd.fetch(client, latest)
    wanted = (*(("oryx",) if confirmed else ()), *(("warspotting",) if warspotting else ()))
    if wanted:
        extra = upd.fetch_confirmed(client, max(ws_ids, default=0), sources=wanted,
                                    on_page=on_page)
        fetched.confirmed, fetched.failures = extra.confirmed, fetched.failures + extra.failures
    out = Ingested(failures=list(fetched.failures))
    if not fetched.batches and not fetched.confirmed:
        return out
    return store_batches(db, [*fetched.batches, *fetched.confirmed], "update", result=out)


# -- check ----------------------------------------------------------------------------------

MAX_ARTICLE = 20 * 1024 * 1024


def check_inputs(inputs: Sequence[str], read_stdin: Callable[[], str] | None = None
                 ) -> list[tuple[str, str]]:
    """(name, text) of every article given: files, folders (their .txt, .md and .html
    files), '-' for stdin, or http(s) URLs."""
    from attrition.check.fetch import fetch_url, main_text
    from attrition.errors import AttritionError
    from attrition.sources._common import decode

    out: list[tuple[str, str]] = []
    for item in inputs:
        if item == "-":
            text = read_stdin() if read_stdin else ""
            if not text.strip():
                raise SourceError("stdin: the article is empty")
            out.append(("stdin", text))
        elif item.startswith(("http://", "https://")):
            out.append((item, fetch_url(item)))
        else:
            p = Path(item)
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (
                ".txt", ".md", ".html", ".htm")) if p.is_dir() else [p]
            for f in files:
                if not f.exists():
                    raise SourceError(f"{f}: no such file")
                if f.stat().st_size > MAX_ARTICLE:
                    raise SourceError(f"{f}: too large to be an article "
                                      f"({f.stat().st_size:,} bytes)")
                data = f.read_bytes()
                if not data.strip():
                    raise SourceError(f"{f}: the file is empty")
                try:
                    text = decode(data)
                except AttritionError as exc:
                    raise SourceError(f"{f}: {exc}") from None
                if f.suffix in (".html", ".htm"):
                    text = main_text(text)
                out.append((str(f), text))
    return out


class Checker:
    """The fact-checker over one ledger (its views are built once, then every article is
    checked against them)."""

    def __init__(self, ledger: Ledger) -> None:
        from attrition import crosswalk
        from attrition.check import ConfirmedView, LedgerView

        by_cat = ledger.by_category()
        self.ledger = LedgerView(by_cat, ledger.corrections())
        self.confirmed = ConfirmedView(by_cat, ledger.confirmed_counts("oryx"),
                                       crosswalk.load())

    def check(self, text: str, day: date | None = None, source: str = "text"
              ) -> dict[str, Any]:
        from attrition.check import check_text

        if not text.strip():
            raise CheckError(f"{source}: the article is empty")
        return check_text(text, self.ledger, day, source=source, confirmed=self.confirmed)


# -- compare --------------------------------------------------------------------------------


def parse_statuses(text: str | None) -> tuple[str, ...] | None:
    """`destroyed,captured` -> the statuses; None for all of them."""
    from attrition.model import STATUSES

    if not text:
        return None
    statuses = tuple(s.strip().lower() for s in text.split(",") if s.strip())
    bad = [s for s in statuses if s not in STATUSES]
    if bad:
        raise InvalidValueError(f"unknown status {', '.join(bad)}; one of: {', '.join(STATUSES)}")
    return statuses or None


def confirmed_series(ledger: Ledger, source: str = "oryx", crosswalk_file: str | None = None,
                     statuses: tuple[str, ...] | None = None) -> tuple[Any, Any]:
    """The confirmed losses of `source` as series along the crosswalk, and the crosswalk."""
    from attrition import crosswalk
    from attrition.analysis.confirmed import Confirmed, item_counts
    from attrition.model import STATUSES

    if source not in ("oryx", "warspotting"):
        raise InvalidValueError(f"unknown confirmed-loss source {source!r}; one of: oryx, "
                            f"warspotting")
    cw = crosswalk.load(crosswalk_file)
    counts = ledger.confirmed_counts(source)
    if source == "warspotting":
        counts = item_counts(ledger.confirmed_items(source), cw)
    return Confirmed(source, counts, cw, statuses=statuses or STATUSES), cw


def compare(ledger: Ledger, start: date | None = None, end: date | None = None,
            names: Sequence[str] | None = None, statuses: tuple[str, ...] | None = None,
            source: str = "oryx", crosswalk_file: str | None = None) -> dict[str, Any]:
    """Claimed (General Staff) against visually confirmed losses per crosswalk line."""
    from attrition import compare as cmp

    if start is not None and end is not None and start > end:
        raise DateError(f"the period starts ({start}) after it ends ({end})")
    conf, cw = confirmed_series(ledger, source, crosswalk_file, statuses)
    return cmp.compare(ledger.by_category(), conf, cw, start=start, end=end,
                       names=list(names) if names else None)


# -- watch (issue 15) -----------------------------------------------------------------------


def watch_feeds(items: Sequence[str]) -> list[Any]:
    """The feeds named on the command line: http(s) addresses, or files listing feeds (one a
    line: ADDRESS OUTLET)."""
    from attrition.watch.inputs import Feed, read_feed_list

    out: list[Feed] = []
    for item in items:
        if item.startswith(("http://", "https://")):
            out.append(Feed(item))
        else:
            p = Path(item)
            if not p.is_file():
                raise SourceError(f"{item}: neither an http(s) feed address nor a file "
                                  f"listing feeds")
            out.extend(read_feed_list(p))
    first: dict[str, Feed] = {}
    for f in out:
        first.setdefault(f.address, f)  # a feed named twice is polled once
    return list(first.values())


def watch(db: str | None, items: Sequence[str] = (), *, once: bool = True,
          folder: Path | None = None, lines: Any = None, options: Any = None,
          stop: Callable[[], bool] = lambda: False, on_article: Callable[[Any], None] | None = None,
          on_pass: Callable[[Any, float], None] | None = None,
          on_stored: Callable[..., None] | None = None,
          on_input_error: Callable[[str], None] | None = None) -> Any:
    """Watch feeds (and a folder of articles, and JSON lines pushed on `lines`): with `once`,
    one pass, returning its `PassResult`; else passes until `stop()`, returning how many
    (`lines` are then read as they come, each article checked when it arrives; a watcher of
    `lines` alone stops when they end and all is checked). Claims are stored in the
    database's register; `on_stored` (attrition.store.register's OnStored) runs in the
    transaction that stores them."""
    from attrition.bootstrap import ensure_loaded
    from attrition.store.db import Store
    from attrition.watch.inputs import folder_entries, json_lines
    from attrition.watch.pipeline import Options, Watcher

    feeds = watch_feeds(items)
    extra: list[Any] = []
    if folder is not None:
        extra.extend(folder_entries(folder))
    if lines is not None and once:
        extra.extend(json_lines(lines))
    if not feeds and not extra and lines is None:
        raise InvalidValueError("nothing to watch: give feeds, a file listing them, "
                                "--from-folder or --stdin")
    ensure_loaded(db)
    with Store(db) as store, Watcher(store, feeds, options or Options(),
                                     on_stored=on_stored) as watcher:
        if once:
            return watcher.run_once(extra, stop=stop, on_article=on_article)
        until = stop
        if lines is not None:
            listening = watcher.listen(json_lines(lines), on_input_error)
            if not feeds:
                def until() -> bool:
                    return stop() or (not listening.is_alive() and not watcher.has_work())
        return watcher.run(until, extra, on_pass=on_pass, on_article=on_article)


def rejudge(db: str | None) -> list[dict[str, Any]]:
    """Judge again the register's claims judged against an older ledger; the changes."""
    from attrition.bootstrap import ensure_loaded
    from attrition.store.db import Store
    from attrition.watch.pipeline import Watcher

    ensure_loaded(db)
    with Store(db) as store, Watcher(store) as watcher:
        return watcher.rejudge()
