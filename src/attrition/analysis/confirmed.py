"""Confirmed-loss series: scrape glitches, and the confirmed count of a crosswalk line on a
date. Pure functions over `ConfirmedCount` / `ConfirmedItem` records.

Oryx's `daily_count.csv` writes a type's row when the scraper saw its count change, so a
type's count on day D is its last row on or before D (the final rows equal the source's own
`totals_by_type.csv`, which the tests check). A type with no row at all before D is *not
covered* on D (the snapshot's per-type rows mostly start 2024-09-30 or 2025-03-21): nothing
is extrapolated.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from attrition.crosswalk import Crosswalk, Row
from attrition.model import STATUSES, ConfirmedCount, ConfirmedItem

FIELDS = (*STATUSES, "total")
MIN_JUMP = 10
"""A glitch must move a count by at least this much (and 5% of it): small dips are Oryx
removing or reclassifying entries, which is real."""


@dataclass(frozen=True)
class Glitch:
    source: str
    country: str
    type: str
    day: date
    field: str
    value: int
    before: int
    after: int | None

    @property
    def message(self) -> str:
        return self.message_in("en")

    def message_in(self, lang: str) -> str:
        if lang == "uk":
            after = (f" і {self.after:,} під час наступного збирання".replace(",", "\u00a0")
                     if self.after is not None else ", і жодне пізніше збирання цього не "
                     "підтвердило")
            return (f"{_UK_TYPES.get(self.type, self.type)}, "
                    f"{_UK_FIELDS.get(self.field, self.field)}: "
                    f"{self.before:,} → {self.value:,}".replace(",", "\u00a0")
                    + f"{after}: збій збирання даних, його не враховано в жодному ряді, "
                    f"графіку чи співвідношенні")
        after = f" and {self.after:,} on the next scrape" if self.after is not None else \
            " with no later scrape to confirm it"
        return (f"{self.type} {self.field} {self.before:,} → {self.value:,}{after}: a scrape "
                f"glitch, left out of every series, chart and ratio")

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"source": self.source, "country": self.country, "type": self.type,
                "day": self.day.isoformat(), "field": self.field, "value": self.value,
                "before": self.before, "after": self.after,
                "message": self.message_in(lang)}


_UK_FIELDS = {"destroyed": "знищено", "abandoned": "покинуто", "captured": "захоплено",
              "damaged": "пошкоджено", "total": "усього"}
_UK_TYPES = {"All Types": "Усі типи"}
"""A glitch's words on a `?lang=uk` page (the fields Oryx counts; the headline it glitches
on); another type keeps Oryx's own heading."""


def _big(a: int, b: int, base: int) -> bool:
    return abs(a - b) >= max(MIN_JUMP, 0.05 * base)


def glitches(counts: Iterable[ConfirmedCount]) -> list[Glitch]:
    """Counts that leave a type's series and come straight back (959 → 100 → 1041), or a last
    count that falls by more than half. Cumulative counts do not do that."""
    by: dict[tuple[str, str, str], list[ConfirmedCount]] = defaultdict(list)
    for c in counts:
        by[(c.source, c.country, c.type)].append(c)
    out = []
    for (src, country, typ), rows in by.items():
        rows.sort(key=lambda c: c.day)
        for i in range(1, len(rows)):
            for f in FIELDS:
                prev, cur = getattr(rows[i - 1], f), getattr(rows[i], f)
                if i + 1 < len(rows):
                    nxt = getattr(rows[i + 1], f)
                    d1, d2 = cur - prev, nxt - cur
                    if (d1 * d2 < 0 and _big(cur, prev, prev) and _big(nxt, cur, prev)
                            and abs(nxt - prev) <= 0.5 * min(abs(d1), abs(d2))):
                        out.append(Glitch(src, country, typ, rows[i].day, f, cur, prev, nxt))
                elif prev >= 2 * MIN_JUMP and cur < prev / 2:
                    out.append(Glitch(src, country, typ, rows[i].day, f, cur, prev, None))
    out.sort(key=lambda g: (g.day, g.type, g.field))
    return out


@dataclass(frozen=True)
class Value:
    """A crosswalk line's confirmed count on a date, and how it was obtained."""

    value: int
    as_of: date
    """The last scrape on or before the date asked."""
    components: dict[str, tuple[int, date]]
    """type -> (count, date of that type's last row)."""
    derived: bool = False


@dataclass
class Confirmed:
    """One source's confirmed counts for one country, glitches removed, ready for lookups."""

    source: str
    counts: Sequence[ConfirmedCount]
    crosswalk: Crosswalk
    country: str = "Russia"
    statuses: tuple[str, ...] = STATUSES
    flagged: list[Glitch] = field(default_factory=list)

    def __post_init__(self) -> None:
        mine = [c for c in self.counts if c.source == self.source
                and c.country == self.country]
        self.flagged = glitches(mine)
        bad = {(g.type, g.day) for g in self.flagged}
        self._series: dict[str, tuple[list[date], list[int]]] = {}
        rows = sorted((c for c in mine if (c.type, c.day) not in bad), key=lambda c: c.day)
        for c in rows:
            days, values = self._series.setdefault(
                self.crosswalk.canonical(self.source, c.type), ([], []))
            if days and days[-1] == c.day:
                values[-1] = c.by_status(self.statuses)
            else:
                days.append(c.day)
                values.append(c.by_status(self.statuses))
        self.scrapes = sorted({c.day for c in mine})
        self.types = {c.type for c in mine}

    @property
    def first(self) -> date | None:
        return self.scrapes[0] if self.scrapes else None

    @property
    def last(self) -> date | None:
        return self.scrapes[-1] if self.scrapes else None

    def type_at(self, type_: str, day: date) -> tuple[int, date] | None:
        s = self._series.get(self.crosswalk.canonical(self.source, type_))
        if not s:
            return None
        i = bisect_right(s[0], day)
        return (s[1][i - 1], s[0][i - 1]) if i else None

    def type_start(self, type_: str) -> date | None:
        s = self._series.get(self.crosswalk.canonical(self.source, type_))
        return s[0][0] if s else None

    def _canon(self, types: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(self.crosswalk.canonical(self.source, t) for t in types))

    def at(self, row: Row, day: date) -> Value | None:
        """The line's confirmed count on `day`, or None where a type it needs has no row on
        or before `day`."""
        i = bisect_right(self.scrapes, day)
        if not i:
            return None
        as_of = self.scrapes[i - 1]
        types = self._canon(row.types.get(self.source, ()))
        if not types:
            return None
        found = {t: self.type_at(t, day) for t in types}
        if all(v is not None for v in found.values()):
            comps = {t: v for t, v in found.items() if v is not None}
            return Value(sum(v[0] for v in comps.values()), as_of, comps)
        if row.derive_from and self.source == "oryx" and len(types) == 1:
            parts = {t: self.type_at(t, day) for t in [row.derive_from, *row.derive_minus]}
            comps = {t: v for t, v in parts.items() if v is not None}
            # Only from a headline at least as fresh as its parts: a stale headline minus
            # fresher parts undercounts (seen on 5 of 32 scrapes where both exist).
            if len(comps) == len(parts) and all(
                    v[1] <= comps[row.derive_from][1] for v in comps.values()):
                head = comps[row.derive_from][0]
                return Value(head - sum(v[0] for t, v in comps.items()
                                        if t != row.derive_from), as_of, comps, derived=True)
        return None

    def coverage(self, row: Row) -> date | None:
        """The first date on which the line has a confirmed count."""
        types = self._canon(row.types.get(self.source, ()))
        starts = [self.type_start(t) for t in types]
        direct = max(starts) if starts and all(s is not None for s in starts) else None  # type: ignore[type-var]
        if row.derive_from and self.source == "oryx":
            parts = [self.type_start(t) for t in [row.derive_from, *row.derive_minus]]
            if all(p is not None for p in parts):
                d = max(p for p in parts if p is not None)
                direct = d if direct is None else min(direct, d)
        return direct

    def series(self, row: Row) -> list[tuple[date, int]]:
        """The line's count on every scrape date it is covered (for charts)."""
        out = []
        for d in self.scrapes:
            v = self.at(row, d)
            if v is not None:
                out.append((d, v.value))
        return out


def item_counts(items: Iterable[ConfirmedItem], crosswalk: Crosswalk,
                statuses: tuple[str, ...] = STATUSES, country: str = "Russia"
                ) -> list[ConfirmedCount]:
    """Per-item records (WarSpotting) as cumulative counts per type and loss date, so that
    they compare on the same footing as Oryx's counts."""
    per: dict[tuple[str, date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    source = "warspotting"
    for it in items:
        if it.country != country or it.day is None or it.type is None:
            continue
        source = it.source
        per[(it.type, it.day)][it.status] += 1
    out = []
    if per:
        # A list of items is the whole record: a mapped type with no item counts zero.
        first = min(day for _, day in per)
        seen = {typ for typ, _ in per}
        out += [ConfirmedCount(source, country, typ, first, 0, 0, 0, 0, 0)
                for typ in sorted(crosswalk.mapped(source) - seen)]
    running: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for (typ, day) in sorted(per, key=lambda k: (k[1], k[0])):
        acc = running[typ]
        for s, n in per[(typ, day)].items():
            acc[s] += n
        out.append(ConfirmedCount(source, country, typ, day, acc["destroyed"], acc["damaged"],
                                  acc["abandoned"], acc["captured"], sum(acc.values())))
    return out
