"""The ledger as it was at a moment: the same vote (attrition.resolve) over the figures that
had been published by then.

When a figure counts (its *effective* time):

- a source's first figure for a cell (revision 1) counts from the morning of its report's
  date, 09:00 Kyiv time (`attrition.dates.morning`), or from when the store first saw it if
  that was earlier; unless the source records when the report appeared (a bulletin page's
  time, `published_at`): then from that time. So the bundled history, loaded today, answers
  for 2024 as it stood in 2024;
- a revision (a value that differs from the source's earlier one) counts from when it was
  first seen (`seen_at`), never before its report's morning.

The ledger at T re-resolves only the reports that have a figure not yet effective at T (and
the days either side, whose evidence looks at them), and the newest report at T (whose next
day did not exist yet); every other cell is the stored ledger's. Revisions are rare, so a
moment costs a few small queries and one scan of the ledger's totals for the changes.
`resolve_all` re-resolves everything the same way: the definition that `at` must equal.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from attrition import categories, resolve
from attrition.dates import kyiv_date, morning, stored_time
from attrition.model import ConfirmedCount, ConfirmedItem, Observation
from attrition.store.read import LedgerRow, ObservationRow, Reader, SeriesRow

_DAY = timedelta(days=1)


def effective(row: ObservationRow) -> datetime:
    """When a stored figure counts as published (see the module's docstring)."""
    first = morning(row.report_date)
    seen = stored_time(row.seen_at)
    if row.revision <= 1:
        published = stored_time(row.published_at)
        if published is not None:
            return published
        return first if seen is None else min(first, seen)
    return first if seen is None else max(first, seen)


@dataclass(frozen=True)
class Moment:
    """What differs at `at` from the stored ledger."""

    at: datetime
    latest: date | None
    """The newest report at `at` (None: none yet)."""
    cells: Mapping[tuple[date, str], LedgerRow | None] = field(default_factory=dict)
    """Cells (up to `latest`) whose row at `at` differs from the stored one; None: the cell
    did not exist yet."""
    pending: tuple[ObservationRow, ...] = ()
    """Stored figures of reports up to `latest` not yet effective at `at`: the revisions to
    come, earliest first."""
    key: tuple[Any, ...] = ()
    """Equal keys, equal ledgers (for caching views of a moment)."""

    @property
    def current(self) -> bool:
        """Whether the ledger at `at` is the stored ledger itself."""
        return not self.cells and not self.pending and self.key[:1] == ("current",)


def at(reader: Reader, moment: datetime,
       known: Mapping[tuple[Any, ...], Moment] | None = None) -> Moment:
    """The ledger at `moment`, as the cells that differ from the stored ledger. `known`:
    moments already computed, by key; one with this moment's key is the same ledger, and
    is returned (with this `at`) without resolving anything again."""
    day = kyiv_date(moment)
    lo, hi = day - _DAY, day + _DAY
    candidates = reader.timed_observations(since=lo, until=hi)
    times = {r: effective(r) for r in candidates}
    late = [r for r in candidates if times[r] > moment]
    seen_dates = {r.report_date for r in candidates if times[r] <= moment}
    stored = reader.report_dates(lo, hi)
    stored_latest = reader.latest_date()
    # a report exists at `moment` once one of its figures is effective; a vote known only
    # from the ledger (the minfin-derived CSV, not stored) counts from the morning
    keys = {(r.source, r.report_date, r.category) for r in candidates}
    carried = {c.report_date for c in reader.cells([d for d in stored if d >= lo])
               if any((s, c.report_date, c.category) not in keys and s != resolve.PRESS
                      for s in (*c.sources, *c.dissent))}
    existing = [d for d in stored if d < lo or d in seen_dates
                or (d in carried and morning(d) <= moment)]
    latest = max(existing, default=None)
    if latest is None:
        return Moment(moment, None, key=("empty",))
    pending = tuple(sorted((r for r in late if r.report_date <= latest),
                           key=lambda r: (times[r], r.report_date, r.category, r.source)))
    touched = {r.report_date for r in pending}
    if stored_latest is not None and stored_latest > latest:
        touched.add(latest)  # resolved then without the next day's evidence
    key = (reader.version(), latest,
           tuple((r.source, r.report_date, r.category, r.revision) for r in pending))
    if not touched:
        return Moment(moment, latest, key=("current", *key))
    if known is not None and key in known:
        return replace(known[key], at=moment)
    days = {d + k * _DAY for d in touched for k in (-1, 0, 1)}
    days = {d for d in days if d <= latest}
    cells = _resolve(reader, moment, days, latest)
    return Moment(moment, latest, _with_changes(reader, cells, latest), pending, key)


def _resolve(reader: Reader, moment: datetime, days: set[date], latest: date
             ) -> dict[tuple[date, str], LedgerRow | None]:
    """Re-resolve `days` from the figures effective at `moment`, as the store resolves the
    days an ingest touches (`Store._resolve`): context from the stored ledger around."""
    around = {d + k * _DAY for d in days for k in (-1, 1)} - days
    around = {d for d in around if d <= latest}
    rows = reader.timed_observations(days=days)
    ledger_rows = reader.cells(days | around)
    cells = _resolve_rows(rows, ledger_rows, moment, days)
    out: dict[tuple[date, str], LedgerRow | None] = {
        (r.report_date, r.category): None for r in ledger_rows if r.report_date in days}
    out.update(cells)
    return out


def _resolve_rows(rows: Iterable[ObservationRow], ledger_rows: Iterable[LedgerRow],
                  moment: datetime, days: Collection[date]
                  ) -> dict[tuple[date, str], LedgerRow]:
    """The cells of `days` at `moment`: the latest effective revision of each witness, the
    votes known only from the stored ledger (from their report's morning), the stored totals
    of the other days as context."""
    latest: dict[tuple[str, date, str], ObservationRow] = {}
    first: dict[tuple[str, date, str], int | None] = {}
    stored_keys: set[tuple[str, date, str]] = set()
    for r in rows:  # in revision order
        k = (r.source, r.report_date, r.category)
        stored_keys.add(k)
        if effective(r) > moment:
            continue
        first.setdefault(k, r.total)
        latest[k] = r
    obs = [Observation(r.source, r.report_date, r.category, r.total, r.announced_change,
                       r.qualifier, r.address) for r in latest.values()]
    revised = {k for k, r in latest.items() if first[k] != r.total}
    carried: dict[tuple[date, str], dict[str, int]] = {}
    context: dict[tuple[date, str], int] = {}
    for c in ledger_rows:
        if c.report_date not in days:
            context[(c.report_date, c.category)] = c.total
            continue
        if morning(c.report_date) > moment:
            continue
        votes = {s: c.total for s in c.sources}
        votes.update(c.dissent)
        kept = {s: v for s, v in votes.items()
                if (s, c.report_date, c.category) not in stored_keys and s != resolve.PRESS}
        if kept:
            carried[(c.report_date, c.category)] = kept
    return {(c.report_date, c.category): LedgerRow(
        c.report_date, c.category, c.total, None, c.announced_change, c.qualifier,
        tuple(c.sources), dict(c.dissent), c.method, c.address)
        for c in resolve.resolve(obs, carried, revised=revised, context=context)}


CHANGE_MARGIN = 60
"""Days of stored ledger read either side of the re-resolved days to recompute the changes
they move (the next report of a category; a category missing for longer than this around a
revision is recomputed from its whole series)."""


def _with_changes(reader: Reader, cells: Mapping[tuple[date, str], LedgerRow | None],
                  latest: date) -> dict[tuple[date, str], LedgerRow | None]:
    """The re-resolved cells with their changes, and every stored cell whose change they
    move (the next report of a category), computed as `resolve.changes` computes them over
    the whole ledger, from the stored rows around them."""
    days = {d for d, _ in cells}
    # only the categories whose totals moved (a cell's total, or a cell there or not),
    # those counted against them (a merged category's first change) and what those are
    # counted against: every other change is the stored one (the stored totals' difference)
    stored = {(r.report_date, r.category): r for r in reader.cells(days)}
    cats = {k[1] for k, row in cells.items()
            if (row is None) != (k not in stored)
            or (row is not None and k in stored and row.total != stored[k].total)}
    cats |= {c for c, preds in resolve.PREDECESSORS.items() if cats.intersection(preds)}
    cats |= {p for c in list(cats) for p in resolve.PREDECESSORS.get(c, ())}
    out: dict[tuple[date, str], LedgerRow | None] = {}
    for k, row in cells.items():
        if k[1] not in cats:
            out[k] = None if row is None else row._replace(change=stored[k].change)
    cells = {k: row for k, row in cells.items() if k[1] in cats}
    if not cells:
        return out
    days = {d for d, _ in cells}
    lo, hi = min(days) - CHANGE_MARGIN * _DAY, min(max(days) + CHANGE_MARGIN * _DAY, latest)
    window = [r for r in reader.cells({lo + k * _DAY for k in range((hi - lo).days + 1)})
              if r.category in cats]
    starts = reader.first_dates()
    totals = {(r.report_date, r.category): r.total for r in window}
    for k, row in cells.items():
        if row is None:
            totals.pop(k, None)
        else:
            totals[k] = row.total
    fresh = resolve.changes(totals)
    # a category's first row in the window has its previous report outside it (unless the
    # category starts inside): its computed change is not to be trusted, nor needed
    firsts: dict[str, date] = {}
    for d, cat in totals:
        if cat not in firsts or d < firsts[cat]:
            firsts[cat] = d
    blind = {(d, cat) for cat, d in firsts.items() if starts.get(cat, d) < d}
    for k, row in cells.items():
        if row is None:
            out[k] = None
        elif k in blind:  # a revision CHANGE_MARGIN days from any other report of it
            out[k] = row._replace(change=_change_from_series(reader, k, row.total, cells))
        else:
            out[k] = row._replace(change=fresh[k])
    for r in window:
        k = (r.report_date, r.category)
        if k not in cells and k not in blind and fresh[k] != r.change:
            out[k] = r._replace(change=fresh[k])
    return out


def _change_from_series(reader: Reader, key: tuple[date, str], total: int,
                        cells: Mapping[tuple[date, str], LedgerRow | None]) -> int | None:
    day, cat = key
    totals = {(r.report_date, cat): r.total for r in reader.series(cat, None, day)}
    for k, row in cells.items():
        if k[1] == cat and k[0] <= day:
            if row is None:
                totals.pop(k, None)
            else:
                totals[k] = row.total
    totals[key] = total
    for pred in resolve.PREDECESSORS.get(cat, ()):
        totals.update({(r.report_date, pred): r.total for r in reader.series(pred, None, day)})
    return resolve.changes(totals)[key]


def resolve_all(reader: Reader, moment: datetime) -> dict[tuple[date, str], LedgerRow]:
    """Every cell at `moment`, re-resolving every report from its effective figures and
    the votes known only from the ledger: slow (~1 s), the definition `at` is tested
    against."""
    rows = reader.timed_observations()
    ledger_rows = list(reader.ledger())
    dates = {r.report_date for r in rows if effective(r) <= moment} | {
        r.report_date for r in ledger_rows if morning(r.report_date) <= moment}
    if not dates:
        return {}
    latest = max(dates)
    rows = [r for r in rows if r.report_date <= latest]
    cells = _resolve_rows(rows, [r for r in ledger_rows if r.report_date <= latest], moment,
                          {r.report_date for r in ledger_rows if r.report_date <= latest})
    fresh = resolve.changes({k: c.total for k, c in cells.items()})
    return {k: c._replace(change=fresh[k]) for k, c in cells.items()}


class LedgerAt:
    """The store's ledger as it was at a moment, answering as a `Reader` does (what
    `attrition.service.Ledger` asks, `report` and `series` too), so that `show`, `series`
    and the checker read it unchanged."""

    def __init__(self, reader: Reader, moment: Moment) -> None:
        self.reader = reader
        self.moment = moment
        self.url = reader.url
        self._by_day: dict[date, dict[str, LedgerRow | None]] = {}
        for (d, cat), row in moment.cells.items():
            self._by_day.setdefault(d, {})[cat] = row

    def _apply(self, rows: Iterable[LedgerRow], days: Collection[date] | None = None
               ) -> list[LedgerRow]:
        """Stored rows up to the moment's newest report, with its cells in place (those of
        `days`, when given, that the stored rows lack added)."""
        latest = self.moment.latest
        if latest is None:
            return []
        out: list[LedgerRow] = []
        seen: set[tuple[date, str]] = set()
        for r in rows:
            if r.report_date > latest:
                continue
            seen.add((r.report_date, r.category))
            changed = self._by_day.get(r.report_date)
            if changed is not None and r.category in changed:
                got = changed[r.category]
                if got is not None:
                    out.append(got)
            else:
                out.append(r)
        for d in days or ():
            for cat, got in self._by_day.get(d, {}).items():
                if got is not None and (d, cat) not in seen:
                    out.append(got)
        return out

    def version(self) -> tuple[int, int, str]:
        return self.reader.version()

    def latest_date(self) -> date | None:
        return self.moment.latest

    def first_date(self) -> date | None:
        first = self.reader.first_date()
        latest = self.moment.latest
        return None if first is None or latest is None or first > latest else first

    def report(self, day: date) -> list[LedgerRow]:
        out = self._apply(self.reader.report(day), [day])
        out.sort(key=lambda r: categories.ORDER.get(r.category, 99))
        return out

    def series(self, category: str, start: date | None = None, end: date | None = None
               ) -> list[LedgerRow]:
        rows = self._apply(self.reader.series(category, start, end), [
            d for d, cats in self._by_day.items() if category in cats
            and (start is None or d >= start) and (end is None or d <= end)])
        rows = [r for r in rows if r.category == category]
        rows.sort(key=lambda r: r.report_date)
        return rows

    def disputed_cells(self) -> set[tuple[str, date]]:
        """As `Reader.disputed_cells`: the stored ones up to the moment's newest report,
        those of the cells the moment holds taken from its own rows."""
        latest = self.moment.latest
        if latest is None:
            return set()
        out = {(c, d) for c, d in self.reader.disputed_cells()
               if d <= latest and c not in self._by_day.get(d, {})}
        return out | {(c, d) for d, cats in self._by_day.items() for c, row in cats.items()
                      if row is not None and row.disputed and d <= latest}

    def ledger(self) -> Iterator[LedgerRow]:
        rows = self._apply(self.reader.ledger(), list(self._by_day))
        rows.sort(key=lambda r: (r.report_date, r.category))
        yield from rows

    def by_category(self) -> dict[str, list[SeriesRow]]:
        latest = self.moment.latest
        if latest is None:
            return {}
        out: dict[str, list[SeriesRow]] = {}
        for cat, rows in self.reader.by_category().items():
            kept: list[SeriesRow] = []
            for r in rows:
                if r.report_date > latest:
                    continue
                changed = self._by_day.get(r.report_date)
                if changed is not None and cat in changed:
                    got = changed[cat]
                    if got is not None:
                        kept.append(SeriesRow(got.report_date, cat, got.total, got.change,
                                              got.announced_change))
                else:
                    kept.append(r)
            if kept:
                out[cat] = kept
        present = {(r.report_date, cat) for cat, rows in out.items() for r in rows}
        for (d, cat), got in self.moment.cells.items():
            if got is not None and (d, cat) not in present:
                out.setdefault(cat, []).append(SeriesRow(d, cat, got.total, got.change,
                                                         got.announced_change))
        for rows in out.values():
            rows.sort(key=lambda r: r.report_date)
        return out

    def corrections(self) -> list[tuple[str, date, str, int]]:
        latest = self.moment.latest
        return [c for c in self.reader.corrections() if latest is not None and c[1] <= latest]

    def confirmed_counts(self, source: str | None = None) -> list[ConfirmedCount]:
        """The confirmed counts scraped by the moment's day."""
        day = kyiv_date(self.moment.at)
        return [c for c in self.reader.confirmed_counts(source) if c.day <= day]

    def confirmed_items(self, source: str | None = None) -> list[ConfirmedItem]:
        return self.reader.confirmed_items(source)

    def daybook(self, day: date) -> tuple[dict[str, str], str | None, str | None, str | None]:
        return {}, None, None, None  # computed for the stored ledger, not this one

    def sources(self) -> list[dict[str, Any]]:
        return self.reader.sources()

    def witness_counts(self) -> dict[str, int]:
        return self.reader.witness_counts()

    def confirmed_inputs(self) -> dict[str, str]:
        return self.reader.confirmed_inputs()

    def revisions(self, day: date, category: str) -> list[ObservationRow]:
        """The figures of a cell published after the moment (earliest first)."""
        return [r for r in self.moment.pending
                if r.report_date == day and r.category == category]


class Timeline:
    """The store's figures and ledger held in memory, answering what `at` asks as the
    `Reader` answers it: `Timeline.at(moment)` is `at(reader, moment)` without a query (the
    watcher judges every article on the ledger of its publication time; a backfill of old
    articles asks as many moments as articles). Built once per version of the store (~1 s);
    a moment after every stored figure counts (`horizon`: a live feed's articles) is the
    stored ledger, known without resolving anything."""

    def __init__(self, reader: Reader) -> None:
        self.url = reader.url
        self._version = reader.version()
        # since/until: every source the store names (the filter the Reader's day queries use)
        # one copy of each repeated string (a day's address, an ingest's time): ~40% less
        same: dict[Any, Any] = {}
        one = same.setdefault
        rows = [r._replace(source=one(r.source, r.source), category=one(r.category, r.category),
                           address=one(r.address, r.address), seen_at=one(r.seen_at, r.seen_at),
                           input=one(r.input, r.input), qualifier=one(r.qualifier, r.qualifier))
                for r in reader.timed_observations(since=date.min, until=date.max)]
        self._obs: dict[date, list[ObservationRow]] = {}
        special: list[ObservationRow] = []
        for r in rows:  # revision order, kept within each list
            self._obs.setdefault(r.report_date, []).append(r)
            if r.revision > 1 or r.published_at is not None:
                special.append(r)
        self._special = special
        self._cells: dict[date, list[LedgerRow]] = {}
        self._series: dict[str, list[LedgerRow]] = {}
        for c in reader.ledger():  # by date, then category
            c = c._replace(category=one(c.category, c.category), sources=one(c.sources, c.sources),
                           method=one(c.method, c.method), address=one(c.address, c.address))
            self._cells.setdefault(c.report_date, []).append(c)
            self._series.setdefault(c.category, []).append(c)
        self._dates = sorted(self._cells)
        self._first_dates = {cat: rs[0].report_date for cat, rs in self._series.items()}
        latest = self.latest_date()
        self.horizon = max((effective(r) for r in rows),
                           default=morning(latest) if latest else datetime.min)
        if latest is not None:
            self.horizon = max(self.horizon, morning(latest))

    # -- what `at` reads, as the Reader answers it ----------------------------------------

    def version(self) -> tuple[int, int, str]:
        return self._version

    def latest_date(self) -> date | None:
        return self._dates[-1] if self._dates else None

    def timed_observations(self, *, days: Collection[date] | None = None,
                           since: date | None = None, until: date | None = None
                           ) -> list[ObservationRow]:
        if days is not None:
            rows = [r for d in sorted(set(days)) for r in self._obs.get(d, ())]
        elif since is not None and until is not None:
            rows = [r for d in self._between(since, until) for r in self._obs.get(d, ())]
            rows += [r for r in self._special if r.report_date < since]
        else:
            rows = [r for d in sorted(self._obs) for r in self._obs[d]]
        rows.sort(key=lambda r: r.revision)
        return rows

    def _between(self, start: date, end: date) -> list[date]:
        return [start + k * _DAY for k in range((end - start).days + 1)] \
            if end >= start else []

    def report_dates(self, start: date, end: date) -> list[date]:
        from bisect import bisect_left, bisect_right

        lo, hi = bisect_left(self._dates, start), bisect_right(self._dates, end)
        return self._dates[max(lo - 1, 0):hi] if lo else self._dates[lo:hi]

    def cells(self, days: Collection[date]) -> list[LedgerRow]:
        return [c for d in sorted(set(days)) for c in self._cells.get(d, ())]

    def first_dates(self) -> dict[str, date]:
        return dict(self._first_dates)

    def series(self, category: str, start: date | None = None, end: date | None = None
               ) -> list[LedgerRow]:
        return [r for r in self._series.get(category, ())
                if (start is None or r.report_date >= start)
                and (end is None or r.report_date <= end)]

    # -- the moment -----------------------------------------------------------------------

    def at(self, moment: datetime, known: Mapping[tuple[Any, ...], Moment] | None = None
           ) -> Moment:
        """`at(reader, moment)`, from memory."""
        latest = self.latest_date()
        if latest is not None and moment >= self.horizon:  # every figure counts by then
            return Moment(moment, latest, key=("current", self._version, latest, ()))
        return at(self, moment, known)  # type: ignore[arg-type]  # reads as a Reader
