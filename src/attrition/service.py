"""The operations attrition offers, once, for both front ends: the CLI and the web service
call these and only format what they return, so the same question gets the same document.

    brief(ledger, day | week | month, lang)  from the daybook, the cache, or computed
    sources(ledger)                          what is loaded, licences, the data's age
    ingest_files(db, paths) / ingest_upload(db, name, body)   then the daybook's refresh
    update(db, client)                       newer reports and confirmed counts
    check_inputs(inputs) / Checker(ledger).check(text, day, as_of=...)
    compare(ledger, ...)
    ledger_at(reader, time) / report_at(...) / history(reader, day)   the ledger as of a moment
    health(url)                              /health's readiness document

A `Ledger` is what these read: the store's `Reader` (the CLI) or the web service's copy of
the ledger in memory; both answer the same methods. Heavy modules are imported where used,
so a command that needs none of them starts fast.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
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
    from attrition.store.asof import LedgerAt
    from attrition.store.read import LedgerRow, Reader, SeriesRow


class Ledger(Protocol):
    """What the operations read (`attrition.store.read.Reader` is one)."""

    url: str

    def version(self) -> tuple[int, int, str]: ...
    def latest_date(self) -> date | None: ...
    def first_date(self) -> date | None: ...
    def report(self, day: date) -> list[LedgerRow]: ...
    def by_category(self) -> dict[str, list[SeriesRow]]: ...
    def corrections(self) -> list[tuple[str, date, str, int]]: ...
    def disputed_cells(self) -> set[tuple[str, date]]: ...
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
        raise no_report(ledger, day)
    previous = ledger.report(day - timedelta(days=1))
    return briefs.compose(report, book.standings, lang=lang, aggregates=aggs, previous=previous,
                          confirmed=book, breaks=book.breaks, corrections=book.corrections,
                          disputed=disputed_changes(ledger, book.standings, aggs))


def disputed_changes(ledger: Ledger, standing: Mapping[str, Any],
                     aggs: Mapping[str, Aggregate] | None = None) -> dict[str, set[date]]:
    """Of the reports a brief's records would name (each record's last higher, tied and
    skipped report), those whose change rests on a disputed total (a tie of the sources
    that nothing settles: `resolve`), that day's or the day before's, of any of the series'
    parts. Only standings that are a record (rank 1 in 30 days or more) are looked at."""
    asked = {name: {d for d in (st.highest_since, st.tied_with, st.skipped) if d}
             for name, st in standing.items() if 1 in st.ranks[1:]}
    return {name: got for name, got in _disputed_on(ledger, asked, aggs).items() if got}


def disputed_totals(ledger: CellLedger, name: str, start: date | None = None,
                    end: date | None = None, aggs: Mapping[str, Aggregate] | None = None
                    ) -> set[date]:
    """The report dates, `start` - 1 day .. `end`, on which a total of one of the series'
    parts is disputed (what `charts.draw` marks; the day after's change rests on it too)."""
    from attrition import categories

    lo = start - timedelta(days=1) if start else None
    return {r.report_date for c in categories.parts(name, aggs)
            for r in ledger.series(c, lo, end) if r.disputed}


def _disputed_on(ledger: Ledger, asked: Mapping[str, set[date]],
                 aggs: Mapping[str, Aggregate] | None = None) -> dict[str, set[date]]:
    """Of each series' `asked` report dates, those whose change rests on a disputed total of
    one of its parts (`categories.parts`), that day's or the day before's: two reports
    read per day asked."""
    from attrition import categories

    days = {d for ds in asked.values() for d in ds}
    cells = _disputed_cells(ledger, days | {d - timedelta(days=1) for d in days})
    out: dict[str, set[date]] = {}
    for name, ds in asked.items():
        parts = categories.parts(name, aggs)
        out[name] = {d for d in ds if any(
            (c, d) in cells or (c, d - timedelta(days=1)) in cells for c in parts)}
    return out


def _disputed_cells(ledger: Ledger, days: Iterable[date]) -> set[tuple[str, date]]:
    """(category, report date) of every disputed total in the reports of `days`."""
    return {(r.category, r.report_date) for d in days for r in ledger.report(d) if r.disputed}


def _compute_brief(ledger: Ledger, day: date | None, week: str | None, month: str | None,
                   lang: str, aggs: Mapping[str, Aggregate] | None = None) -> dict[str, Any]:
    from attrition import brief as briefs

    rows, corrections = ledger.by_category(), ledger.corrections()
    aggs = aggs if aggs is not None else aggregates()
    if day is None:
        return briefs.period(rows, corrections, week=week, month=month, lang=lang,
                             aggregates=aggs,
                             disputed=lambda days: _disputed_cells(ledger, days))
    from attrition import crosswalk
    from attrition.compare import ConfirmedContext

    report = ledger.report(day)
    if not report:
        raise no_report(ledger, day)
    context = ConfirmedContext(rows, ledger.confirmed_counts("oryx"), crosswalk.load())
    return briefs.daily(rows, corrections, report, lang=lang, aggregates=aggs,
                        confirmed=context, previous=ledger.report(day - timedelta(days=1)),
                        disputed=lambda st: disputed_changes(ledger, st, aggs),
                        doubt=ledger.disputed_cells())


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
    from attrition.bulk import gc_paused
    from attrition.model import Batch
    from attrition.store.db import Store

    out = result or Ingested()
    official = [b for b in batches if isinstance(b, Batch)]
    confirmed = [b for b in batches if not isinstance(b, Batch)]
    ensure_loaded(db)
    with Store(db) as store, gc_paused():
        changes = None  # what the writes changed: the daybook recomputes only that
        if official:
            r = store.ingest(official, input=input)
            out.files, out.figures, out.new = len(official), r.observations, r.new
            out.revised, out.unchanged, out.cells = r.revised, r.unchanged, r.cells
            changes = r.changes
        if confirmed:
            c = store.ingest_confirmed(confirmed, input=input)
            out.confirmed_files = len(confirmed)
            out.counts_new, out.counts_revised = c.counts_new, c.counts_revised
            out.items_new, out.items_changed = c.items_new, c.items_changed
            changes = c.changes if not official else \
                changes.then(c.changes) if changes is not None else None
        if official or confirmed:
            if on_refresh is not None:
                on_refresh()
            out.daybook_rows = daybook.refresh(store, changes)
    return out


def ingest_files(db: str | None, paths: Sequence[Path], fmt: str | None = None,
                 report_date: date | None = None, *,
                 on_file: Callable[[int, int], None] | None = None,
                 on_refresh: Callable[[], None] | None = None) -> Ingested:
    """Read every file (folders searched) and ingest them: all or nothing."""
    from attrition import ingest as ing
    from attrition.bulk import gc_paused

    files = ing.expand(paths)
    batches = []
    with gc_paused():
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
    if fetched.batches or fetched.confirmed:
        out = store_batches(db, [*fetched.batches, *fetched.confirmed], "update", result=out)
    from attrition.store.db import Store

    with Store(db) as store:
        store.record_update(new=out.new or 0, revised=out.revised or 0,
                            failures=out.failures)
    return out


# -- check ----------------------------------------------------------------------------------

MAX_ARTICLE = 20 * 1024 * 1024
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def check_inputs(inputs: Sequence[str], read_stdin: Callable[[], str] | None = None
                 ) -> list[tuple[str, str]]:
    """(name, text) of every article given: files, folders (their .txt, .md and .html
    files), '-' for stdin, or http(s) URLs."""
    from attrition.errors import AttritionError
    from attrition.sources._common import decode, read_regular

    out: list[tuple[str, str]] = []
    for item in inputs:
        if item == "-":
            text = read_stdin() if read_stdin else ""
            if not text.strip():
                raise SourceError("stdin: the article is empty")
            out.append(("stdin", text))
        elif item.startswith(("http://", "https://")):
            from attrition.check.fetch import fetch_url  # (html, urllib: ~4 ms, for URLs only)

            out.append((item, fetch_url(item)))
        elif _SCHEME.match(item) and not Path(item).exists():  # ftp://, file://: not a path
            raise SourceError(f"{item}: only http(s) addresses can be fetched")
        else:
            p = Path(item)
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (
                ".txt", ".md", ".html", ".htm")) if p.is_dir() else [p]
            for f in files:
                if not f.exists() and not f.is_symlink():
                    raise SourceError(f"{f}: no such file")
                if f.stat().st_size > MAX_ARTICLE:
                    raise SourceError(f"{f}: too large to be an article "
                                      f"({f.stat().st_size:,} bytes)")
                data = read_regular(f, MAX_ARTICLE)  # a FIFO or /dev/zero: refused
                if not data.strip():
                    raise SourceError(f"{f}: the file is empty")
                try:
                    text = decode(data)
                except AttritionError as exc:
                    raise SourceError(f"{f}: {exc}") from None
                if f.suffix in (".html", ".htm"):
                    from attrition.check.fetch import main_text

                    text = main_text(text)
                out.append((str(f), text))
    return out


class Checker:
    """The fact-checker over one ledger (its views are built once, then every article is
    checked against them)."""

    def __init__(self, ledger: Ledger) -> None:
        from attrition import crosswalk
        from attrition.check import ConfirmedView, LedgerView
        from attrition.check.confirmed import ClaimedOf

        self.url = ledger.url
        columns = getattr(ledger, "columns", None)  # (check.ledger_cache: no row objects)
        self.ledger = (LedgerView.of_columns(columns(), ledger.corrections())
                       if columns is not None
                       else LedgerView(ledger.by_category(), ledger.corrections()))
        self.ledger.disputed_of = ledger.disputed_cells  # (records skip those changes)
        keeper = getattr(ledger, "keeper", None)  # (ledger_cache: series kept on disk too)
        if keeper is not None:
            self.ledger.keep = keeper()
        self.confirmed = ConfirmedView({}, ledger.confirmed_counts("oryx"), crosswalk.load())
        self.confirmed.claimed = ClaimedOf(self.ledger)
        self._version = ledger.version()
        self._moments_of: tuple[Any, Any] | None = None
        self._lock = threading.Lock()  # the web service checks in threads

    def check(self, text: str, day: date | None = None, source: str = "text",
              as_of: datetime | str | None = None) -> dict[str, Any]:
        """The check document of `text`. With `as_of` (e.g. the article's publication
        time), judged on what had been published by then (see attrition.store.asof); a
        claim whose verdict now differs says so (`revised`). An article without a date of
        its own is then dated by `as_of` (its Kyiv day)."""
        from attrition.check import check_text

        if not text.strip():
            raise CheckError(f"{source}: the article is empty")
        if as_of is None:
            return check_text(text, self.ledger, day, source=source, confirmed=self.confirmed)
        from attrition.check import article as articles
        from attrition.check.revised import annotate
        from attrition.dates import kyiv_date
        from attrition.store.asof import effective

        at = moment(as_of)
        if day is None and articles.find_date(articles.read(text))[0] is None:
            day = kyiv_date(at)
        now = check_text(text, self.ledger, day, source=source, confirmed=self.confirmed)
        views = self._views_at(at)
        if views is None:  # the ledger then is the ledger now
            now["article"]["as_of"] = _kyiv_iso(at)
            now["article"]["latest_report"] = self.ledger.last.isoformat()
            now["article"]["revised_claims"] = 0
            return now
        view, confirmed, then_moment = views
        if then_moment.latest is None:
            raise CheckError(f"{source}: no report had been published by {_kyiv_iso(at)} "
                             "(the first is of 2022-02-24): nothing to judge it on")
        doc = check_text(text, view, day, source=source, confirmed=confirmed)
        doc["article"]["as_of"] = _kyiv_iso(at)
        doc["article"]["latest_report"] = then_moment.latest.isoformat()
        doc["article"]["revised_claims"] = annotate(doc, now, then_moment.pending, effective,
                                                    at)
        return doc

    def _views_at(self, at: datetime) -> tuple[Any, Any, Any] | None:
        """The checker's views of the ledger at `at`, or None when it is the ledger now
        (`attrition.check.ledger_at.Moments`: from memory, derived from the view now)."""
        from attrition.check.ledger_at import Moments
        from attrition.store.read import Reader

        with Reader(self.url) as reader:
            version = reader.version()
        with self._lock:
            if self._moments_of is None or self._moments_of[0] != version:
                # derived from the view now while the store is the one it was made of
                self._moments_of = (version, _moments(
                    self.url, self.ledger if version == self._version else None))
            moments: Moments = self._moments_of[1]
        got = moments.at(at)
        if got is None:
            return None
        view, confirmed, then = got
        return view, confirmed, then


def _moments(url: str, now: Any) -> Any:
    """`Moments` over the store at `url` for the checker's view `now`."""
    from attrition import crosswalk
    from attrition.check.ledger_at import Moments
    from attrition.store.asof import Timeline
    from attrition.store.read import Reader

    def timeline() -> Timeline:
        with Reader(url) as reader:
            return Timeline(reader)

    with Reader(url) as reader:
        counts = reader.confirmed_counts("oryx")
        if now is None:
            from attrition.check import LedgerView

            now = LedgerView(reader.by_category(), reader.corrections())
    return Moments(now, counts, crosswalk.load(), timeline)


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
            source: str = "oryx", crosswalk_file: str | None = None, lang: str = "en"
            ) -> dict[str, Any]:
    """Claimed (General Staff) against visually confirmed losses per crosswalk line
    (`lang="uk"`: its words for a Ukrainian page)."""
    from attrition import compare as cmp

    if start is not None and end is not None and start > end:
        raise DateError(f"the period starts ({start}) after it ends ({end})")
    first, last = ledger.first_date(), ledger.latest_date()
    if first is not None and last is not None and (
            (end is not None and end < first) or (start is not None and start > last)):
        raise NotFoundError(f"no report from {start or first} to {end or last} (the ledger "
                            f"runs {first} .. {last})")
    conf, cw = confirmed_series(ledger, source, crosswalk_file, statuses)
    return cmp.compare(ledger.by_category(), conf, cw, start=start, end=end,
                       names=list(names) if names else None, lang=lang)


# -- the ledger as of a moment (issue 15) ---------------------------------------------------


def moment(when: str | datetime) -> datetime:
    """A moment as the CLI and the API take it (see `attrition.dates.parse_moment`); a
    datetime without a zone is Kyiv time, as a string without one is."""
    from attrition.dates import kyiv, not_future, parse_moment

    if isinstance(when, str):
        return not_future(parse_moment(when), when)
    return when.replace(tzinfo=kyiv()) if when.tzinfo is None else when


def ledger_at(reader: Reader, when: str | datetime) -> LedgerAt:
    """The store's ledger as it was at `when`: answers as the `Reader` does."""
    from attrition.store import asof

    at = moment(when)
    return asof.LedgerAt(reader, asof.at(reader, at))


def day_at(ledger: LedgerAt, text: str) -> date:
    """A report date as a user gives it (`latest`: the newest report at the moment)."""
    from attrition.dates import parse_day

    if ledger.latest_date() is None:
        raise NotFoundError(f"no report had been published by {_kyiv_iso(ledger.moment.at)} "
                            "(the first is of 2022-02-24)")
    return parse_day(text, ledger.latest_date)


def _kyiv_iso(at: datetime | None) -> str | None:
    from attrition.dates import kyiv

    return None if at is None else at.astimezone(kyiv()).isoformat()


def report_at(ledger: LedgerAt, day: date) -> dict[str, Any]:
    """The report document (`show --format json`) as the ledger had it at a moment: every
    figure says since when it stood (`since`: the latest time one of the witnesses it
    counts gave it) and the figures published after the moment (`revised_after`)."""
    from attrition import report as reports
    from attrition.dates import morning
    from attrition.store import asof

    at = ledger.moment.at
    if not ledger.report(day):
        first, latest = ledger.first_date(), ledger.latest_date()
        raise NotFoundError(f"no report for {day} as of {_kyiv_iso(at)}" + (
            f" (the ledger then ran {first} .. {latest})" if latest else
            " (the ledger then held no report)"))
    doc = reports.report(ledger, day)  # type: ignore[arg-type]  # a LedgerAt reads as a Reader
    rows = ledger.reader.timed_observations(days=[day])
    current: dict[tuple[str, str], Any] = {}
    for r in rows:  # revision order: the last effective one is the witness's word then
        if asof.effective(r) <= at:
            current[(r.source, r.category)] = r
    for f in doc["figures"]:
        times = [asof.effective(current[(s, f["category"])]) for s in f["sources"]
                 if (s, f["category"]) in current]
        f["since"] = _kyiv_iso(max(times) if times else morning(day))
        f["revised_after"] = [
            {"source": r.source, "total": r.total, "revision": r.revision,
             "effective_at": _kyiv_iso(asof.effective(r)), "seen_at": r.seen_at}
            for r in ledger.revisions(day, f["category"])]
    doc["as_of"] = {"time": _kyiv_iso(at), "latest_report": ledger.moment.latest.isoformat()
                    if ledger.moment.latest else None,
                    "published": _kyiv_iso(min((asof.effective(r) for r in rows
                                                if r.revision == 1), default=morning(day)))}
    return doc


def history(reader: Reader, day: date, category: str | None = None) -> dict[str, Any]:
    """Every revision of a report's figures, by source, with its value and times (when it
    counts from, `effective_at`, and when the store first saw it, `seen_at`), and the cell the
    ledger holds now. Votes known only from the ledger (a witness whose rows are not stored)
    are listed as such."""
    from attrition import categories
    from attrition.dates import morning
    from attrition.resolve import PRIORITY
    from attrition.store import asof

    if category is not None and category not in categories.BY_ID:
        raise categories.unknown(category)
    rows = [r for r in reader.timed_observations(days=[day])
            if category is None or r.category == category]
    cells = [c for c in reader.report(day) if category is None or c.category == category]
    if not rows and not cells:
        first, last = reader.first_date(), reader.latest_date()
        raise NotFoundError(f"no report for {day}" + (f" in {category}" if category else "")
                            + f" (the ledger runs {first} .. {last})")
    rank = {s: i for i, s in enumerate(PRIORITY)}
    order = categories.ORDER
    out: list[dict[str, Any]] = [
           {"category": r.category, "source": r.source, "revision": r.revision,
            "total": r.total, "announced_change": r.announced_change,
            "effective_at": _kyiv_iso(asof.effective(r)), "seen_at": r.seen_at,
            "published_at": r.published_at, "input": r.input} for r in rows]
    stored = {(r.source, r.category) for r in rows}
    for c in cells:
        for s, v in {**{s: c.total for s in c.sources}, **c.dissent}.items():
            if (s, c.category) not in stored:
                out.append({"category": c.category, "source": s, "revision": None,
                            "total": v, "announced_change": None,
                            "effective_at": _kyiv_iso(morning(day)), "seen_at": None,
                            "published_at": None,
                            "input": "a vote known from the ledger only (its rows are not "
                                     "stored)"})
    out.sort(key=lambda x: (order.get(x["category"], 99), rank.get(x["source"], 99),
                            x["revision"] or 0))
    return {"date": day.isoformat(), "category": category,
            "revisions": out,
            "ledger": [{"category": c.category, "total": c.total, "change": c.change,
                        "sources": list(c.sources), "dissent": c.dissent, "method": c.method}
                       for c in cells],
            "note": "A report counts from 09:00 Kyiv time on its date unless its source "
                    "records when it appeared; a revision from when it was first seen."}


HEALTH_MAX_AGE_DAYS = 3.0
"""/health answers 503 when the newest report is older than this (a report comes every
morning; `ATTRITION_HEALTH_MAX_AGE_DAYS` changes it)."""


def health(url: str | None, max_age_days: float | None = None,
           at: datetime | None = None) -> tuple[int, dict[str, Any]]:
    """(status, document) of the service's readiness for a load balancer or an uptime
    monitor: 200 when the store can be read and its newest report is at most `max_age_days`
    old (counted from its Kyiv morning), 503 with the reasons otherwise. Reads the store
    afresh every time (never a cached answer)."""
    from attrition.dates import morning
    from attrition.errors import AttritionError
    from attrition.store.read import Reader

    at = at or now()
    limit = HEALTH_MAX_AGE_DAYS if max_age_days is None else max_age_days
    doc: dict[str, Any] = {"checked_at": at.astimezone(UTC).replace(microsecond=0)
                           .isoformat(), "max_age_days": limit}
    reasons: list[str] = []
    try:
        with Reader(url) as reader:
            version = reader.version()
            latest = reader.latest_date()
            last_run, last_ok, failed = reader.updates()
            poll = reader.last_poll()
    except AttritionError as exc:
        doc.update({"ready": False, "store": {"reachable": False, "error": str(exc)},
                    "reasons": [f"the store cannot be read: {exc}"]})
        return 503, doc
    doc["store"] = {"reachable": True, "ingests": version[0], "last_ingest": version[2] or None}
    if latest is None:
        reasons.append("the store holds no report")
        doc["newest_report"] = None
    else:
        age = (at - morning(latest)).total_seconds() / 86400
        doc["newest_report"] = {"date": latest.isoformat(),
                                "published": morning(latest).isoformat(),
                                "age_days": round(max(age, 0.0), 2)}
        if age > limit:
            reasons.append(f"the newest report ({latest}) is {age:.1f} days old, more than "
                           f"{limit:g}")
    doc["last_update"] = {"at": last_run, "succeeded_at": last_ok,
                          "failures": failed} if last_run else None
    doc["last_poll"] = poll
    doc["ready"] = not reasons
    doc["reasons"] = reasons
    return (200 if not reasons else 503), doc
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


def rejudge(db: str | None, on_changed: Callable[..., None] | None = None
            ) -> list[dict[str, Any]]:
    """Judge again the register's claims judged against an older ledger; the changes.
    `on_changed` (register's OnStored) runs in the transaction that records them."""
    from attrition.bootstrap import ensure_loaded
    from attrition.store.db import Store
    from attrition.watch.pipeline import Watcher

    ensure_loaded(db)
    with Store(db) as store, Watcher(store, on_stored=on_changed) as watcher:
        return watcher.rejudge()
# -- series and records ----------------------------------------------------------------------
# One document each, for `attrition series/records --format json|csv` and /api/series,
# /api/records: every row says which report it is (`date`), which day's losses it holds
# (`covers`), and the sources that agree on it; the document says whose claims these are.


class CellLedger(Ledger, Protocol):
    """A `Ledger` that also gives a category's resolved cells with their sources (`Reader`
    does; so does the web service's ledger in memory)."""

    def series(self, category: str, start: date | None = None, end: date | None = None
               ) -> list[LedgerRow]: ...


@cache
def covers(day: date) -> str:
    """The day whose losses the report of `day` gives: the day before, except the first
    report (24 February 2022), which gives the total since the invasion began that day
    (as the report document says). Kept per day: a series asks for every report's."""
    from datetime import timedelta

    from attrition.categories import WAR_START

    return (WAR_START if day <= WAR_START else day - timedelta(days=1)).isoformat()


@cache
def _iso(day: date) -> str:
    return day.isoformat()


def _provenance() -> dict[str, str]:
    from attrition.report import CAVEAT, PUBLISHER

    return {"publisher": PUBLISHER, "caveat": CAVEAT}


def _built(ledger: CellLedger, name: str, basis: str, aggs: Mapping[str, Aggregate] | None,
           cache: dict[tuple[str, str], Any] | None, since: date | None = None) -> Any:
    """The analysis series of a category or an aggregate. A plain category is built from its
    own rows (one query on a store), anything else from the whole ledger. `since` (without
    a shared `cache`): only its points from that date on are wanted, so a plain category
    reads the reports from a little before it, enough for each point to be what the whole
    history makes it (`excluded` looks back `STALE_LOOKBACK` reports)."""
    from datetime import timedelta

    from attrition import categories
    from attrition.analysis import series as ser

    aggs = aggs if aggs is not None else aggregates()
    if basis not in (ser.DIFFERENCE, ser.ANNOUNCED):
        raise InvalidValueError(f"basis: {basis!r} is not one of {ser.DIFFERENCE}, "
                                f"{ser.ANNOUNCED}")
    if name in categories.BY_ID and not categories.CONTINUES.get(name):
        own = None
        if since is not None and cache is None:
            own = ledger.series(name, since - timedelta(days=3 * ser.STALE_LOOKBACK))
            if sum(r.report_date < since for r in own) < ser.STALE_LOOKBACK + 2:
                own = None  # too few reports before it (its start, or a gap): all of them
        rows: Mapping[str, Sequence[Any]] = {name: own if own is not None
                                             else ledger.series(name)}
    else:
        rows = ledger.by_category()
    return ser.build(name, rows, ledger.corrections(), basis=basis, aggregates=aggs,
                     cache=cache)


def _cells(ledger: CellLedger, points: Sequence[Any], start: date | None, end: date | None
           ) -> dict[str, dict[date, LedgerRow]]:
    """The ledger cells of every category the points sum, by date."""
    wanted = sorted({c for p in points for c in p.components})
    return {c: {r.report_date: r for r in ledger.series(c, start, end)} for c in wanted}


def _agreeing(cells: Sequence[LedgerRow]) -> list[str]:
    """The sources agreeing on a cell, in the ledger's order (as the report lists them);
    of several cells (a sum), every source agreeing on any of them, sorted."""
    if len(cells) == 1:
        return list(cells[0].sources)
    return sorted({src for r in cells for src in r.sources})


def series(ledger: CellLedger, name: str, start: date | None = None, end: date | None = None,
           *, basis: str = "difference", aggs: Mapping[str, Aggregate] | None = None,
           cache: dict[tuple[str, str], Any] | None = None) -> dict[str, Any]:
    """The series document of a category or an aggregate, report dates `start`..`end`
    inclusive: each row's total and change (`basis`: differences of totals, or the (+N) the
    bulletin announced), why records skip it (`excluded`), the categories it sums
    (`components`) and the sources that agree on them."""
    if start is not None and end is not None and start > end:
        raise DateError(f"the period starts ({start}) after it ends ({end})")
    from datetime import timedelta

    s = _built(ledger, name, basis, aggs, cache, since=start)
    points = s.between(start, end)
    # from the report before: a change from a disputed total is disputed too
    cells = _cells(ledger, points, start - timedelta(days=1) if start else None, end)
    before = {c: cs[start - timedelta(days=1)] for c, cs in cells.items()
              if start and start - timedelta(days=1) in cs}  # each part's cell before
    rows = []
    for p in points:
        got = [cells[c][p.day] for c in p.components if p.day in cells[c]]
        announced = [r.announced_change for r in got]
        prior = [before[c] for c in p.components if c in before]
        before.update({r.category: r for r in got})
        rows.append({
            "date": _iso(p.day), "covers": covers(p.day),
            "total": p.total, "change": p.change,
            "announced_change": sum(a for a in announced if a is not None)
            if got and None not in announced and len(got) == len(p.components) else None,
            "basis": p.basis, "excluded": p.excluded,
            "components": list(p.components),
            "sources": _agreeing(got),
            # the sources disagree, with no majority, on this total or the one before
            "disputed": any(r.disputed for r in (*got, *prior)),
        })
    return {"name": s.name, "label": s.label, "definition": s.definition,
            "aggregate": s.is_aggregate, "basis": basis,
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
            "rows": rows, **_provenance()}


def records(ledger: CellLedger, name: str, day: date, window: int = 30, top: int = 10, *,
            aggs: Mapping[str, Aggregate] | None = None,
            cache: dict[tuple[str, str], Any] | None = None) -> dict[str, Any]:
    """The records document of a day's change (`analysis.records.describe`): its ranks, the
    last higher report, the top `top` days of the `window` days to `day` (`rows`), with the
    day's sources and whose claims these are."""
    from attrition.analysis import records as rec

    if not 1 <= window <= 5000 or not 1 <= top <= 1000:
        raise InvalidValueError("window must be 1..5000 days and top 1..1000")
    first, last = ledger.first_date(), ledger.latest_date()
    if first is not None and last is not None and not first <= day <= last:
        raise NotFoundError(f"no report for {day} (the ledger runs {first} .. {last})")
    from attrition import categories

    s = _built(ledger, name, "difference", aggs, cache)
    # a change resting on a disputed total is never a record, so no rank counts it either
    dis = rec.resting_on(ledger.disputed_cells(), categories.parts(name, aggs))
    doc = rec.describe(s, day, window, top, dis)
    point = s.at(day)
    got = [] if point is None else [
        c[day] for c in _cells(ledger, [point], day, day).values() if day in c]
    rows = doc.pop("top")
    doc["label"] = s.label
    doc["covers"] = covers(day)
    doc["components"] = list(point.components) if point else []
    doc["sources"] = _agreeing(got)
    # a figure that rests on a disputed total says so; the ranks, the last higher report
    # and the top days leave such figures out (`excluded_days` lists them), so the flags of
    # those are false, kept for the documents' readers
    doc["disputed"] = day in dis
    doc["last_higher_disputed"] = bool(doc["last_higher"]) and date.fromisoformat(
        doc["last_higher"]) in dis
    doc["rows"] = [{"date": r["date"], "covers": covers(date.fromisoformat(r["date"])),
                    "change": r["change"], "disputed": date.fromisoformat(r["date"]) in dis}
                   for r in rows]
    return {**doc, **_provenance()}


def no_report(ledger: Ledger, day: date) -> NotFoundError:
    """"no report for D (the ledger runs A .. B)": what `show`, `records` and the API say of
    a date without a report, so that a brief says it too."""
    return NotFoundError(f"no report for {day} (the ledger runs {ledger.first_date()} .. "
                         f"{ledger.latest_date()})")
