"""Claimed against confirmed: the ministry's cumulative figures beside visually confirmed
losses, per crosswalk line, aligned on dates (the report of D beside the scrape of D).

Nothing is extrapolated: where the confirmed series ends or does not yet cover a line, the
output says so, and the ratio is computed on the last date both sides have.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from operator import attrgetter
from typing import Any

from attrition import categories, words
from attrition.analysis.confirmed import Confirmed, Value
from attrition.analysis.series import Row as LedgerRow
from attrition.crosswalk import Crosswalk, Row
from attrition.errors import ConfigError, NotFoundError
from attrition.model import STATUSES, ConfirmedCount
from attrition.report import CAVEAT, CAVEAT_UK

CONFIRMED_CAVEAT = ("Confirmed counts are a floor, not a ceiling: each loss needs a photo or "
                    "video, and Oryx dates a loss by when its scraper first saw it.")
CONFIRMED_CAVEAT_UK = ("Підтверджені втрати — нижня межа, а не верхня: кожна потребує фото чи "
                       "відео, а Oryx датує втрату днем, коли її вперше побачив його збирач "
                       "даних.")
LAG = ("days from the report in which the ministry's cumulative figure first reached the "
       "confirmed count, to the confirmed count's date")

Note = tuple[str, str]
"""A line's note in English and Ukrainian (the JSON and the API give the English; a
`?lang=uk` page the Ukrainian)."""


_report_date = attrgetter("report_date")
_SOURCE_TITLES = {"oryx": "Oryx", "warspotting": "WarSpotting"}


class Claimed:
    """The ledger's cumulative totals by category, for lookups on any date."""

    def __init__(self, rows: Mapping[str, Sequence[LedgerRow]]) -> None:
        self._days: dict[str, list[date]] = {}
        self._totals: dict[str, list[int]] = {}
        for cat, rs in rows.items():
            ordered = sorted(rs, key=_report_date)
            self._days[cat] = [r.report_date for r in ordered]
            self._totals[cat] = [r.total for r in ordered]

    def at(self, cats: Sequence[str], day: date) -> tuple[int, date] | None:
        """The sum of the categories' totals in the last report on or before `day`; a
        category that did not exist yet counts 0. None before any report."""
        total, as_of = 0, None
        for c in cats:
            days = self._days.get(c, [])
            i = bisect_right(days, day)
            if i:
                total += self._totals[c][i - 1]
                as_of = days[i - 1] if as_of is None else max(as_of, days[i - 1])
        return None if as_of is None else (total, as_of)

    def reached(self, cats: Sequence[str], value: int) -> date | None:
        """The first report whose summed total reached `value`."""
        days = sorted({d for c in cats for d in self._days.get(c, [])})
        lo, hi = 0, len(days)
        while lo < hi:  # the sums never fall far; a binary search finds the first crossing
            mid = (lo + hi) // 2
            got = self.at(cats, days[mid])
            if got is not None and got[0] >= value:
                hi = mid
            else:
                lo = mid + 1
        return days[lo] if lo < len(days) else None


@dataclass(frozen=True)
class Line:
    category: str
    ledger: tuple[str, ...]
    claimed: int | None
    claimed_as_of: date | None
    basis: str
    confirmed: int | None = None
    """None where the confirmed data does not cover the line (`note` says why)."""
    confirmed_as_of: date | None = None
    ratio: float | None = None
    ratio_on: date | None = None
    lag_days: int | None = None
    derived: bool = False
    components: dict[str, tuple[int, date]] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    basis_uk: str | None = None

    @property
    def note(self) -> str | None:
        return self.note_in("en")

    def note_in(self, lang: str) -> str | None:
        return "; ".join(n[lang == "uk"] for n in self.notes) or None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "category": self.category, "ledger": list(self.ledger), "claimed": self.claimed,
            "confirmed": self.confirmed, "ratio": self.ratio,
            "claimed_as_of": iso(self.claimed_as_of),
            "confirmed_as_of": iso(self.confirmed_as_of), "ratio_on": iso(self.ratio_on),
            "lag_days": self.lag_days,
            "basis": self.basis_uk or self.basis if lang == "uk" else self.basis,
            "derived": self.derived,
            "components": {t: {"count": n, "last_change": iso(d)}
                           for t, (n, d) in self.components.items()},
            "note": self.note_in(lang),
        }


def _minus(a: tuple[int, date] | None, b: tuple[int, date] | None) -> int | None:
    if a is None:
        return None
    return a[0] - (b[0] if b else 0)


def line(row: Row, claimed: Claimed, conf: Confirmed, start: date | None, end: date
         ) -> Line:
    before = start - timedelta(days=1) if start else None
    c_end = claimed.at(row.ledger, end)
    c_start = claimed.at(row.ledger, before) if before else None
    claimed_n = _minus(c_end, c_start)
    v_end = conf.at(row, end)
    notes: list[Note] = []
    # what every line states, covered or not
    base = partial(Line, row.name, row.ledger, claimed_n, c_end[1] if c_end else None,
                   row.basis, basis_uk=words.BASIS_UK.get(row.basis))
    src = _SOURCE_TITLES.get(conf.source, conf.source)
    if not row.types.get(conf.source):
        return base(notes=((f"the crosswalk maps no {conf.source} type to this line",
                            f"таблиця відповідностей не зіставляє з цим рядком жодного типу "
                            f"{src}"),))
    if v_end is None:
        first = conf.coverage(row)
        why = ((f"{conf.source}'s series for this line starts {first.isoformat()}",
                f"ряд {src} для цього рядка починається {first.isoformat()}") if first
               else (f"{conf.source} has no count for this line",
                     f"{src} не має даних для цього рядка"))
        return base(notes=((f"no confirmed count on {end}: " + why[0],
                            f"немає підтвердженої кількості на {end}: " + why[1]),))
    v_start: Value | None = conf.at(row, before) if before else None
    if before and v_start is None and conf.first is not None and before >= conf.first:
        first = conf.coverage(row)
        return base(confirmed_as_of=v_end.as_of, derived=v_end.derived,
                    components=v_end.components,
                    notes=((f"no confirmed count at the start of the period ({before}); this "
                            f"line's series starts {first.isoformat() if first else 'later'}",
                            f"немає підтвердженої кількості на початок періоду ({before}); "
                            f"ряд цього рядка починається "
                            f"{first.isoformat() if first else 'пізніше'}"),))
    confirmed_n = v_end.value - (v_start.value if v_start else 0)
    # The ratio compares both sides on the same date: the last scrape on or before `end`.
    on = v_end.as_of
    c_on = claimed.at(row.ledger, on)
    claimed_on = _minus(c_on, c_start)
    ratio = (round(claimed_on / confirmed_n, 2)
             if claimed_on is not None and confirmed_n > 0 else None)
    if conf.last is not None and end > conf.last:
        notes.append((f"the confirmed series ends {conf.last.isoformat()}: the ratio "
                      f"compares both sides on that date, nothing is extrapolated",
                      f"ряд підтверджених втрат закінчується {conf.last.isoformat()}: обидві "
                      f"сторони порівнюються на цю дату, без екстраполяції"))
    if v_end.derived:
        notes.append(("derived from Oryx's armoured-combat-vehicle headline minus AFVs, IFVs, "
                      "APCs and MRAPs (the snapshot has no tank rows of its own before "
                      "2025-03-21)",
                      "обчислено із загальної кількості бойової броньованої техніки за Oryx "
                      "без інших броньованих машин, БМП, БТР і машин з протимінним захистом (до "
                      "2025-03-21 знімок не має окремих рядків "
                      "про танки)"))
    reached = claimed.reached(row.ledger, v_end.value) if start is None else None
    lag = (v_end.as_of - reached).days if reached is not None and reached <= on else None
    if claimed_n is None:
        notes.append((f"the ministry reported no such category by {end}",
                      f"міністерство не подавало такої категорії до {end}"))
    return base(confirmed=confirmed_n, confirmed_as_of=v_end.as_of, ratio=ratio, ratio_on=on,
                lag_days=lag, derived=v_end.derived, components=v_end.components,
                notes=tuple(notes))


def chart_panel(row: Row, claimed: Claimed, conf: Confirmed,
                rows: Mapping[str, Sequence[LedgerRow]],
                start: date | None, end: date | None) -> dict[str, Any]:
    """Both cumulative series of a crosswalk line for `charts.draw_compare`, the claimed one
    on the report dates from the first confirmed count on (empty where nothing is
    confirmed)."""
    confirmed = [(d, n) for d, n in conf.series(row)
                 if (start is None or d >= start) and (end is None or d <= end)]
    days = sorted({r.report_date for c in row.ledger for r in rows.get(c, [])
                   if (not confirmed or r.report_date >= confirmed[0][0])
                   and (end is None or r.report_date <= end)})
    return {"name": row.name, "confirmed": confirmed,
            "claimed": [(d, v[0]) for d in days
                        if (v := claimed.at(row.ledger, d)) is not None]}


def compare(rows: Mapping[str, Sequence[LedgerRow]], conf: Confirmed, crosswalk: Crosswalk,
            *, start: date | None = None, end: date | None = None,
            names: Sequence[str] | None = None, lang: str = "en") -> dict[str, Any]:
    """Every crosswalk line (or those named) over [start, end]; `end` defaults to the newest
    report. `lang="uk"`: the words people read (basis, notes, glitches, caveat) in Ukrainian,
    for a `?lang=uk` page; the JSON and the API are English."""
    latest = max((r.report_date for rs in rows.values() for r in rs), default=None)
    if latest is None:
        raise NotFoundError("the ledger is empty")
    end = end or latest
    claimed = Claimed(rows)
    chosen = [crosswalk.row(n) for n in names] if names else list(crosswalk.rows)
    lines = [line(r, claimed, conf, start, end) for r in chosen]
    lines.sort(key=lambda ln: categories.ORDER.get(ln.ledger[0], 99))
    return {
        "from": start.isoformat() if start else "2022-02-24", "to": end.isoformat(),
        "source": conf.source, "statuses": list(conf.statuses),
        "confirmed_first": conf.first.isoformat() if conf.first else None,
        "confirmed_last": conf.last.isoformat() if conf.last else None,
        "rows": [ln.to_dict(lang) for ln in lines],
        "glitches": [g.to_dict(lang) for g in conf.flagged],
        "crosswalk": crosswalk.address,
        "lag": LAG,
        "caveat": f"{CAVEAT_UK} {CONFIRMED_CAVEAT_UK}" if lang == "uk"
        else f"{CAVEAT} {CONFIRMED_CAVEAT}",
        "all_statuses": list(STATUSES),
    }


def confirmed_line(rows: Mapping[str, Sequence[LedgerRow]], conf: Confirmed,
                   crosswalk: Crosswalk, category: str, day: date) -> Line | None:
    """One category's cumulative comparison on a date, or None where it is not covered (for
    the brief and the checker)."""
    try:
        row = crosswalk.row(category)
    except ConfigError:
        return None
    ln = line(row, Claimed(rows), conf, None, day)
    return ln if ln.confirmed is not None else None


class ConfirmedContext:
    """Confirmed counts and the ledger's totals, for the brief's and the checker's one-line
    comparisons."""

    def __init__(self, rows: Mapping[str, Sequence[LedgerRow]],
                 counts: Sequence[ConfirmedCount], crosswalk: Crosswalk,
                 source: str = "oryx") -> None:
        self.claimed = Claimed(rows)
        self.counts = counts
        self.crosswalk = crosswalk
        self.source = source
        self._by_status: dict[tuple[str, ...], Confirmed] = {}

    def series(self, statuses: tuple[str, ...] = STATUSES) -> Confirmed:
        if statuses not in self._by_status:
            self._by_status[statuses] = Confirmed(self.source, self.counts, self.crosswalk,
                                                  statuses=statuses)
        return self._by_status[statuses]

    def beside(self, category: str, day: date) -> dict[str, Any] | None:
        """The confirmed count for a category's crosswalk line on `day`, and the ministry's
        count on the same date; None where the confirmed data does not cover it."""
        try:
            row = self.crosswalk.row(category)
        except ConfigError:
            return None
        v = self.series().at(row, day)
        if v is None:
            return None
        claimed = self.claimed.at(row.ledger, v.as_of)
        return {"source": self.source, "line": row.name, "ledger": list(row.ledger),
                "confirmed": v.value, "as_of": v.as_of.isoformat(), "derived": v.derived,
                "claimed_on_that_date": claimed[0] if claimed else None,
                "basis": row.basis, "note": CONFIRMED_CAVEAT}
