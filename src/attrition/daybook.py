"""The daybook: the analysis a daily brief needs, computed once per ingest and kept in the store.

A brief stands each figure of a report against the whole war (ranks over 7 days to the war,
the last larger day) and sets one line beside its confirmed count. Worked out from the ledger
that is ~0.3 s of analysis in every `attrition brief`; the daybook holds, for every report
date, every category's and built-in aggregate's standing (`records.standings`), for every
confirmed-loss scrape date each category's confirmed line, and every series' level breaks
(`anomalies.breaks`). A brief then reads three rows.

It is derived data with a guard, not a cache that may lie: its metadata names the ingest and
the rules (`VERSION`) and crosswalk it was computed for; `lookup` refuses it when any differs,
and the brief is computed from the ledger instead. Ingest commands call `refresh`; the bundled
snapshot ships a daybook built by `scripts/build_snapshot.py` (tests check that it equals one
computed from the bundled ledger, day by day).
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrition import categories, settings
from attrition.analysis.records import WINDOWS, Standing

if TYPE_CHECKING:
    from attrition.analysis.anomalies import Break
    from attrition.analysis.series import Point, Row, Series
    from attrition.crosswalk import Crosswalk
    from attrition.model import ConfirmedCount
    from attrition.store.db import Changes, Store
    from attrition.store.read import Reader

try:  # as in cache.py: hashlib's import starts OpenSSL
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

VERSION = "6"
"""Bump when what a standing or a confirmed line means changes (windows, what counts, the
line's fields): a daybook of another version is ignored until the next ingest rewrites it."""
SERIES: tuple[str, ...] = (*categories.IDS, *(a.id for a in categories.BUILTIN_AGGREGATES))
_BASES = ("difference", "announced")
_EXCLUDED = (None, "creation", "correction", "two_day", "stale", "disputed")
"""A point's exclusion (the series') or a skipped report's reason (also "disputed": records
set aside a change resting on a disputed total, `records.set_aside`)."""
Cells = Collection[tuple[str, date]]
"""(category, report date) of the disputed totals (`Reader.disputed_cells`)."""
_COMPACT = json.JSONEncoder(separators=(",", ":"))  # one encoder: dumps() makes one per call
_BUNDLED_CROSSWALK = Path(__file__).resolve().parent / "data" / "crosswalk.toml"
_BUNDLED_CROSSWALK_NAME = str(_BUNDLED_CROSSWALK)


_stamps: dict[tuple[str, int, int], str] = {}


def crosswalk_stamp() -> str:
    """Which crosswalk the confirmed lines follow: a digest of the file's bytes (the user's,
    through ATTRITION_CROSSWALK, or the bundled one). Every brief asks (the web service
    hundreds of times a second): a file not changed since is not read again."""
    path = settings.current().crosswalk or _BUNDLED_CROSSWALK_NAME
    try:
        st = os.stat(path)  # a str, not a Path: this is a tenth of a daybook brief's lookup
        seen = (path, st.st_mtime_ns, st.st_size)
        got = _stamps.get(seen)
        if got is None:
            got = _stamps[seen] = blake2b(Path(path).read_bytes(), digest_size=12).hexdigest()
        return got
    except OSError:
        return "unreadable"


def encode(day: Mapping[str, Standing]) -> str:
    """One report date's standings as compact JSON: name -> [change, total, basis, excluded,
    ranks..., highest since, its value, tied with, skipped, its value, why, mean of the
    reports before, 1 if the change rests on a disputed total]."""
    return _COMPACT.encode({
        name: [s.change, s.total, _BASES.index(s.basis), _EXCLUDED.index(s.excluded),
               *s.ranks, s.highest_since.isoformat() if s.highest_since else None,
               s.highest_since_value, s.tied_with.isoformat() if s.tied_with else None,
               s.skipped.isoformat() if s.skipped else None, s.skipped_value,
               _EXCLUDED.index(s.skipped_reason),
               s.recent_mean, int(s.disputed)]
        for name, s in sorted(day.items())})


_standing = partial(tuple.__new__, Standing)
"""Standing((...)) without NamedTuple's Python-level __new__ (as series._point): a brief
from the daybook decodes 23 of them."""


def decode(text: str) -> dict[str, Standing]:
    n = len(WINDOWS)
    iso = date.fromisoformat
    doc: dict[str, list[Any]] = json.loads(text)
    return {name: _standing((v[0], v[1], _BASES[v[2]], _EXCLUDED[v[3]], tuple(v[4:4 + n]),
                             iso(v[4 + n]) if v[4 + n] else None, v[5 + n],
                             iso(v[6 + n]) if v[6 + n] else None,
                             iso(v[7 + n]) if v[7 + n] else None, v[8 + n],
                             _EXCLUDED[v[9 + n]], v[10 + n], bool(v[11 + n])))
            for name, v in doc.items()}


def build(rows: Mapping[str, Sequence[Row]],
          corrections: Sequence[tuple[str, date, str, int]],
          counts: Sequence[ConfirmedCount], crosswalk: Crosswalk | None, *,
          disputed: Cells) -> list[tuple[str, str, str]]:
    """The daybook's rows (kind, day, body) for a ledger, its disputed cells and its
    confirmed counts. Without a crosswalk, no confirmed lines."""
    from attrition.analysis import anomalies, records

    per_day: dict[date, dict[str, Standing]] = {}
    level_breaks = {}
    for name, s in _each_series(rows, corrections):
        for day, st in records.standings(s, _resting(name, disputed)):
            per_day.setdefault(day, {})[name] = st
        level_breaks[name] = anomalies.breaks(s)
    out = [("series", d.isoformat(), encode(v)) for d, v in sorted(per_day.items())]
    return out + _breaks_and_lines(level_breaks, rows, counts, crosswalk)


def _each_series(rows: Mapping[str, Sequence[Row]],
                 corrections: Sequence[tuple[str, date, str, int]]
                 ) -> Iterator[tuple[str, Series]]:
    """Every series the daybook keeps, built from the ledger (the aggregates' parts once)."""
    from attrition.analysis import series

    aggs = {a.id: a for a in categories.BUILTIN_AGGREGATES}
    cache: dict[tuple[str, str], list[series.Point]] = {}
    for name in SERIES:
        yield name, series.build(name, rows, corrections, aggregates=aggs, cache=cache)


def _resting(name: str, disputed: Cells) -> set[date]:
    """The report dates whose change of series `name` rests on a disputed total."""
    from attrition.analysis import records

    aggs = {a.id: a for a in categories.BUILTIN_AGGREGATES}
    return records.resting_on(disputed, categories.parts(name, aggs))


MAX_NEW_DAYS = 7
"""`extend` computes each new day's standing on its own (linear in the history); past this
many new days a whole build is cheaper."""


def extend(rows: Mapping[str, Sequence[Row]],
           corrections: Sequence[tuple[str, date, str, int]],
           counts: Sequence[ConfirmedCount], crosswalk: Crosswalk | None,
           stored: Sequence[tuple[str, str, str]], *, disputed: Cells
           ) -> list[tuple[str, str, str]] | None:
    """The rows `build` gives, reusing a stored daybook's standings: when the ledger only
    gained reports after the stored daybook's last date. A day's standing depends only on
    the series up to that day (`records.standings`), so where every series' points up to the
    stored last date are the ones the stored standings were computed from (each stored row
    holds its point's change, total, basis and exclusion), those rows stand as they are; the
    new days get their standings, and the level breaks and confirmed lines are computed
    again. None when that does not hold (a revised or inserted day, another set of
    series): the caller builds the daybook whole."""
    from attrition.analysis import anomalies, records, series

    old = {d: b for kind, d, b in stored if kind == "series"}
    if not old:
        return None
    try:
        decoded: dict[str, dict[str, list[Any]]] = {d: json.loads(b) for d, b in old.items()}
        last = date.fromisoformat(max(old))
    except ValueError:
        return None
    aggs = {a.id: a for a in categories.BUILTIN_AGGREGATES}
    cache: dict[tuple[str, str], list[series.Point]] = {}
    fresh: dict[date, dict[str, Standing]] = {}
    level_breaks = {}
    for name in SERIES:
        s = series.build(name, rows, corrections, aggregates=aggs, cache=cache)
        doubt = _resting(name, disputed)
        kept = 0
        for p in s.points:
            if p.day > last:
                if len(fresh) >= MAX_NEW_DAYS and p.day not in fresh:
                    return None
                st = records.standing(s, p.day, doubt)
                if st is None:
                    return None
                fresh.setdefault(p.day, {})[name] = st
                continue
            v = decoded.get(p.day.isoformat(), {}).get(name)
            if not _made_from(v, p, p.day in doubt):
                return None  # this point is not the one the stored standing was made from
            kept += 1
        if kept != sum(name in v for v in decoded.values()):
            return None  # a stored day this series no longer has
        level_breaks[name] = anomalies.breaks(s)
    if not fresh:
        return None
    out = [("series", d, old[d]) for d in sorted(old)]
    out += [("series", d.isoformat(), encode(v)) for d, v in sorted(fresh.items())]
    return out + _breaks_and_lines(level_breaks, rows, counts, crosswalk)


def since(rows: Mapping[str, Sequence[Row]],
          corrections: Sequence[tuple[str, date, str, int]],
          counts: Sequence[ConfirmedCount], crosswalk: Crosswalk | None,
          start: date | None, lines_from: date | None,
          known_breaks: Mapping[str, Sequence[Break]] | None = None, *,
          disputed: Cells) -> list[tuple[str, str, str]]:
    """The rows of `build` that a change to the ledger from report date `start` on can
    change, with the confirmed lines of the scrapes from `lines_from` on (None: every
    scrape's, as when the counts changed). A day's standing depends only on the series up
    to that day (`records.standings`), and a series' point only on the rows and
    corrections up to its day (`series.build`), so the standings before `start` stand; so
    do the lines of the scrapes before it (a line sets the count beside the ledger's total
    on or before the scrape). The level breaks row is made again, each series' scan
    resumed before `start` from `known_breaks` (the stored row's) where given. With
    `start` None (the ledger did not change), the confirmed lines only."""
    from bisect import bisect_left

    from attrition.analysis import anomalies, records

    if start is None:
        return _lines(rows, counts, crosswalk, lines_from)
    per_day: dict[date, dict[str, Standing]] = {}
    level_breaks = {}
    for name, s in _each_series(rows, corrections):
        tail = s.points[bisect_left(s.days, start):]
        doubt = _resting(name, disputed)
        if len(tail) <= MAX_NEW_DAYS:  # a day's standing alone is linear in the history
            for p in tail:
                st = records.standing(s, p.day, doubt)
                if st is not None:
                    per_day.setdefault(p.day, {})[name] = st
        elif tail:
            for day, st in records.standings(s, doubt):
                if day >= start:
                    per_day.setdefault(day, {})[name] = st
        level_breaks[name] = anomalies.breaks(
            s, known=None if known_breaks is None else known_breaks.get(name, ()),
            changed_from=start)
    out = [("series", d.isoformat(), encode(v)) for d, v in sorted(per_day.items())]
    return out + _breaks_and_lines(level_breaks, rows, counts, crosswalk, lines_from)


def _made_from(stored: Any, p: Point, disputed: bool) -> bool:
    """Whether a stored standing (see `encode`) was computed for this point, resting (or
    not) on a disputed total as it does now."""
    return (isinstance(stored, list) and len(stored) > 3 and stored[0] == p.change
            and bool(stored[-1]) == (disputed and p.change is not None)
            and stored[1] == p.total and isinstance(stored[2], int)
            and isinstance(stored[3], int) and 0 <= stored[2] < len(_BASES)
            and 0 <= stored[3] < len(_EXCLUDED) and _BASES[stored[2]] == p.basis
            and _EXCLUDED[stored[3]] == p.excluded)


def _breaks_and_lines(level_breaks: Mapping[str, Sequence[Break]],
                      rows: Mapping[str, Sequence[Row]], counts: Sequence[ConfirmedCount],
                      crosswalk: Crosswalk | None, lines_from: date | None = None
                      ) -> list[tuple[str, str, str]]:
    found_breaks = _COMPACT.encode({
        name: [[b.day.isoformat(), b.before, b.after] for b in found]
        for name, found in sorted(level_breaks.items()) if found})
    return [("breaks", "all", found_breaks), *_lines(rows, counts, crosswalk, lines_from)]


def _lines(rows: Mapping[str, Sequence[Row]], counts: Sequence[ConfirmedCount],
           crosswalk: Crosswalk | None, lines_from: date | None = None
           ) -> list[tuple[str, str, str]]:
    """The confirmed lines' rows, of the scrapes from `lines_from` on (None: all)."""
    out: list[tuple[str, str, str]] = []
    if lines_from is not None and all(c.day < lines_from for c in counts):
        return out  # no scrape from then on (a new report after Oryx's last): no context
    if crosswalk is not None and counts:
        from attrition.compare import ConfirmedContext

        ctx = ConfirmedContext(rows, counts, crosswalk)
        # A line's count changes only on scrape dates (each type's count on D is its last
        # row on or before D), so the lines of the last scrape on or before D are D's.
        for scrape in ctx.series().scrapes:
            if lines_from is not None and scrape < lines_from:
                continue
            lines = {c: b for c in categories.IDS if (b := ctx.beside(c, scrape)) is not None}
            out.append(("confirmed", scrape.isoformat(),
                        json.dumps(lines, ensure_ascii=False,
                                   separators=(",", ":"))))
    return out


def refresh(store: Store, changes: Changes | None = None) -> int:
    """Recompute the store's daybook after an ingest; returns its rows. A crosswalk that
    cannot be read leaves the confirmed lines out (a brief then computes them, and reports
    the crosswalk's error).

    `changes`, what the ingest just made did (`Store.ingest`): where the daybook was the
    one of the ingest before it (same rules, same crosswalk) and no other writer came
    between, only the days it changed are computed again (`since`): a new report costs
    its own day, not the history's ~1,600. Else, when the daybook was built from exactly
    these inputs (its metadata holds their digest), by the same rules and for the same
    crosswalk, it is kept and only marked as this ingest's: an ingest that changes no
    figure (the same files again, the mirrors the bundled snapshot came from) costs no
    rebuild."""
    from attrition import crosswalk
    from attrition.errors import ConfigError
    from attrition.store.read import Reader

    with Reader(store.url) as reader:
        ingest = reader.version()[1]
    stamp = crosswalk_stamp()
    try:
        cw: Crosswalk | None = crosswalk.load()
    except ConfigError:
        cw, stamp = None, "unreadable"
    kept = store.daybook_meta()
    if (changes is not None and kept.get("version") == VERSION
            and kept.get("crosswalk") == stamp and "inputs" in kept
            and kept.get("ingest") == str(changes.before) and changes.last == ingest
            and changes.last - changes.before == changes.ingests):
        # the daybook was current just before this ingest, and this ingest alone came
        # after it: its own changes are all there is to add
        n = _patch(store, changes, cw, {**kept, "ingest": str(ingest)})
        if n:
            return n
    meta = {"version": VERSION, "ingest": str(ingest), "crosswalk": stamp,
            "inputs": store.daybook_inputs()}
    if all(kept.get(k) == meta[k] for k in ("version", "crosswalk", "inputs")):
        n = store.put_daybook_meta(meta)
        if n:
            return n
    with Reader(store.url) as reader:
        rows, corrections = reader.by_category(), reader.corrections()
        counts = reader.confirmed_counts("oryx")
        disputed = reader.disputed_cells()
    book = None
    if kept.get("version") == VERSION and kept.get("crosswalk") == stamp:
        # a new report after the last one: the stored standings stand, the new day's are
        # added (the stored daybook must be a whole one, written with its inputs' digest)
        book = extend(rows, corrections, counts, cw, store.daybook_rows(),
                      disputed=disputed) if kept.get("inputs") else None
    if book is None:
        book = build(rows, corrections, counts, cw, disputed=disputed)
    store.put_daybook(book, meta)
    return len(book)


def _patch(store: Store, changes: Changes, cw: Crosswalk | None, meta: dict[str, str]) -> int:
    """Bring a daybook that was current before an ingest up to date with the ingest's
    `changes`; returns its rows (0: it had none, and nothing was written)."""
    from attrition.store.read import Reader

    start = changes.ledger_from
    if start is None and not changes.confirmed:
        return store.put_daybook_meta(meta)  # no input of the daybook changed
    with Reader(store.url) as reader:
        rows, corrections = reader.by_category(), reader.corrections()
        counts = reader.confirmed_counts("oryx")
        disputed = reader.disputed_cells()
        breaks = reader.daybook(start)[3] if start is not None else None
    lines_from = None if changes.confirmed else start
    # Its inputs changed, and their digest is not computed again here (it reads the whole
    # ledger): "" says so, and no later ingest can find it equal (the next one patches it).
    meta["inputs"] = ""
    try:
        known = None if breaks is None else _parsed_breaks(breaks)
    except (ValueError, LookupError, TypeError):  # a damaged row: scan the whole series
        known = None
    rows_out = since(rows, corrections, counts, cw, start, lines_from, known,
                     disputed=disputed)
    return store.patch_daybook(None if start is None else start.isoformat(),
                               "" if lines_from is None else lines_from.isoformat(),
                               rows_out, meta)


class Day:
    """The daybook's reading for one report date: standings by series name, the confirmed
    lines by category (None when they must be computed: another crosswalk), and every
    series' level breaks."""

    def __init__(self, standings: dict[str, Standing],
                 confirmed: dict[str, dict[str, Any]] | None,
                 breaks: dict[str, list[Break]] | None = None,
                 corrections: list[tuple[str, date, str, int]] | None = None) -> None:
        self.standings = standings
        self.confirmed = confirmed
        self.breaks = breaks or {}
        self.corrections = corrections or []
        """The sources' corrections listed for the day (the brief says how much of a change
        corrects earlier reports)."""

    def beside(self, category: str, day: date) -> dict[str, Any] | None:
        """As `compare.ConfirmedContext.beside` for the daybook's date."""
        return None if self.confirmed is None else self.confirmed.get(category)


def lookup(reader: Reader, day: date) -> Day | None:
    """The daybook's `Day` for a report date, or None where it cannot be trusted: none
    stored, computed for an earlier ingest or other rules, or no such report."""
    meta, standings, confirmed, breaks = reader.daybook(day)
    if (not meta or standings is None or breaks is None or meta.get("version") != VERSION
            or meta.get("ingest") != str(reader.version()[1])):
        return None
    try:
        lines = None
        if meta.get("crosswalk") == crosswalk_stamp():
            lines = json.loads(confirmed) if confirmed else {}
        fixed = [c for c in reader.corrections() if c[1] == day]  # ~100 rows in all
        return Day(decode(standings), lines, _breaks(breaks), fixed)
    except (ValueError, LookupError, TypeError):  # a damaged row: the ledger still answers
        return None


def _breaks(text: str) -> dict[str, list[Break]]:
    return {name: list(found) for name, found in _parsed_breaks(text).items()}


@lru_cache(maxsize=4)
def _parsed_breaks(text: str) -> dict[str, tuple[Break, ...]]:
    """The level breaks row, parsed once per text: it is the same row for every brief of a
    daybook (the web service was parsing it on every uncached brief)."""
    from attrition.analysis.anomalies import Break

    doc: dict[str, list[list[Any]]] = json.loads(text)
    return {name: tuple(Break(date.fromisoformat(d), float(b), float(a)) for d, b, a in found)
            for name, found in doc.items()}


# -- the bundled daybook ------------------------------------------------------------------

BUNDLED = "data/daybook.tsv.gz"


def dumps(rows: Sequence[tuple[str, str, str]], stamp: str) -> bytes:
    """The bundled form: a header line, then kind TAB day TAB body per line, gzipped without
    a timestamp (same rows, same bytes)."""
    import gzip

    text = f"attrition-daybook\t{VERSION}\t{stamp}\n" + "".join(
        f"{k}\t{d}\t{b}\n" for k, d, b in rows)
    return gzip.compress(text.encode("utf-8"), mtime=0)


def loads(data: bytes) -> tuple[str, str, list[tuple[str, str, str]]]:
    """(version, crosswalk stamp, rows) of a bundled daybook."""
    import gzip

    from attrition.snapshot import SnapshotError  # a first run has it imported already

    lines = gzip.decompress(data).decode("utf-8").splitlines()
    head = lines[0].split("\t") if lines else []
    if len(head) != 3 or head[0] != "attrition-daybook":
        raise SnapshotError("the bundled daybook has no header")
    rows = []
    for n, line in enumerate(lines[1:], 2):
        parts = line.split("\t", 2)
        if len(parts) != 3:
            raise SnapshotError(f"the bundled daybook, line {n}: expected kind, day, body")
        rows.append((parts[0], parts[1], parts[2]))
    return head[1], head[2], rows


def bundled() -> tuple[str, str, list[tuple[str, str, str]]] | None:
    """The bundled daybook, or None if the package has none."""
    path = Path(__file__).resolve().parent / BUNDLED
    try:
        return loads(path.read_bytes())
    except FileNotFoundError:
        return None
