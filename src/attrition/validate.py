"""Consistency checks over the stored sources and the resolved ledger.

Pure functions over rows read from the store; `attrition validate` prints what they find.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from attrition import categories
from attrition.model import ConfirmedCount
from attrition.store.read import LedgerRow, ObservationRow

KINDS = ("disagreement", "disputed", "history_rewritten", "negative_change",
         "announced_mismatch", "stale_row", "missing_days", "category_gap",
         "implausible_change", "confirmed_glitch")


@dataclass(frozen=True)
class Finding:
    kind: str
    report_date: date
    category: str | None
    source: str | None
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["report_date"] = self.report_date.isoformat()
        return d


def validate(ledger: Sequence[LedgerRow], observations: Sequence[ObservationRow],
             corrections: Iterable[tuple[str, date, str, int]] = (),
             confirmed: Iterable[ConfirmedCount] = (),
             history: Iterable[ObservationRow] = ()) -> list[Finding]:
    """`history`: every revision of every observation (Reader.observations(latest_only=
    False)), for the changes sources made to figures they had given."""
    corrected = {(d, c) for _, d, c, _ in corrections}
    findings: list[Finding] = []
    findings += rewritten_history(history)
    findings += disagreements(ledger)
    findings += negative_changes(ledger, corrected)
    findings += announced_mismatches(ledger, observations)
    findings += stale_rows(observations)
    findings += stale_repeats(ledger)
    findings += missing_days(observations)
    findings += category_gaps(observations)
    findings += implausible_changes(ledger)
    findings += confirmed_glitches(confirmed)
    findings.sort(key=lambda f: (f.report_date, KINDS.index(f.kind), f.category or "",
                                 f.source or ""))
    return findings


def rewritten_history(history: Iterable[ObservationRow]) -> list[Finding]:
    """A source that changed a figure it had given for a past report: a mirror rewriting its
    history (or correcting a typo). Each change is listed with when it was seen, so that no
    revision goes unnoticed, whatever the vote then made of it."""
    by_cell: dict[tuple[str, date, str], list[ObservationRow]] = {}
    for o in history:
        by_cell.setdefault((o.source, o.report_date, o.category), []).append(o)
    out = []
    for (src, day, cat), revs in by_cell.items():
        revs.sort(key=lambda o: o.revision)
        for old, new in itertools.pairwise(revs):
            if old.total == new.total:
                continue
            out.append(Finding(
                "history_rewritten", day, cat, src,
                f"{src} changed {cat} of {day} from {_num(old.total)} to {_num(new.total)} "
                f"(revision {new.revision}, seen {new.seen_at}, from {new.input or '?'})",
                {"from": old.total, "to": new.total, "revision": new.revision,
                 "seen_at": new.seen_at, "input": new.input}))
    return out


def _num(value: int | None) -> str:
    return "nothing" if value is None else f"{value:,}"


def confirmed_glitches(counts: Iterable[ConfirmedCount]) -> list[Finding]:
    """Scrape glitches in the confirmed-loss counts (kept out of every series and ratio)."""
    from attrition.analysis.confirmed import glitches

    return [Finding("confirmed_glitch", g.day, g.type, g.source, f"{g.country}: {g.message}",
                    {"field": g.field, "value": g.value, "before": g.before,
                     "after": g.after}) for g in glitches(counts)]


def disagreements(ledger: Iterable[LedgerRow]) -> list[Finding]:
    out = []
    for row in ledger:
        for src, value in row.dissent.items():
            out.append(Finding(
                "disagreement", row.report_date, row.category, src,
                f"{src} has {value:,}; the ledger keeps {row.total:,} "
                f"({', '.join(row.sources)}; {row.method})",
                {"value": value, "resolved": row.total, "agree": list(row.sources),
                 "method": row.method}))
        if row.method == "disputed":
            out.append(Finding(
                "disputed", row.report_date, row.category, None,
                f"disputed: {', '.join(row.sources)} {row.total:,} against "
                + ", ".join(f"{s} {v:,}" for s, v in row.dissent.items())
                + "; nothing in the data settles it",
                {"resolved": row.total, "dissent": row.dissent}))
    return out


def negative_changes(ledger: Iterable[LedgerRow],
                     corrected: set[tuple[date, str]]) -> list[Finding]:
    out = []
    for row in ledger:
        if row.change is not None and row.change < 0:
            known = (row.report_date, row.category) in corrected
            out.append(Finding(
                "negative_change", row.report_date, row.category, None,
                f"total fell by {-row.change:,}" + (
                    " (a correction listed in the PetroIvaniuk corrections file)" if known
                    else " (reclassification or correction)"),
                {"change": row.change, "total": row.total, "listed_correction": known}))
    return out


def announced_mismatches(ledger: Iterable[LedgerRow],
                         observations: Iterable[ObservationRow]) -> list[Finding]:
    by_cell = {(r.report_date, r.category): r for r in ledger}
    out = []
    for obs in observations:
        if obs.announced_change is None:
            continue
        row = by_cell.get((obs.report_date, obs.category))
        if row is None or row.change is None or row.change == obs.announced_change:
            continue
        out.append(Finding(
            "announced_mismatch", obs.report_date, obs.category, obs.source,
            f"announced (+{obs.announced_change}) but the totals differ by {row.change:+,}",
            {"announced": obs.announced_change, "difference": row.change,
             "address": obs.address}))
    return out


def _by_source(observations: Iterable[ObservationRow]
               ) -> dict[str, dict[date, dict[str, int | None]]]:
    out: dict[str, dict[date, dict[str, int | None]]] = {}
    for o in observations:
        out.setdefault(o.source, {}).setdefault(o.report_date, {})[o.category] = o.total
    return out


_DAILY_SOURCES = ("petroivaniuk", "orc-losses", "minfin", "russianwarship")


def _consecutive(observations: Iterable[ObservationRow]
                 ) -> Iterator[tuple[str, dict[date, dict[str, int | None]], date, date]]:
    """Each daily source's rows by day, with each pair of its consecutive report dates."""
    for src, days in _by_source(observations).items():
        if src in _DAILY_SOURCES:
            for prev, cur in itertools.pairwise(sorted(days)):
                yield src, days, prev, cur


def stale_rows(observations: Iterable[ObservationRow]) -> list[Finding]:
    """A day whose every figure equals the previous day's, personnel included: a copy."""
    out = []
    for src, days, prev, cur in _consecutive(observations):
        a, b = days[prev], days[cur]
        if (cur - prev).days == 1 and len(b) >= 5 and a == b:
            out.append(Finding(
                "stale_row", cur, None, src,
                f"{src}'s row for {cur} is a copy of {prev}; the next day's change in "
                f"{src} is a two-day sum", {"copy_of": prev.isoformat()}))
    return out


def stale_repeats(ledger: Sequence[LedgerRow]) -> list[Finding]:
    """A category whose resolved total repeats the previous report's where a zero is not
    credible (`series.stale_repeats`): the voting sources copied the day before, and the
    next report's change holds two days of losses (records skip both)."""
    from attrition.analysis.series import STALE_LOOKBACK
    from attrition.analysis.series import stale_repeats as found

    by_cat: dict[str, list[LedgerRow]] = {}
    for row in ledger:
        by_cat.setdefault(row.category, []).append(row)
    out = []
    for cat, rows in by_cat.items():
        rows.sort(key=lambda r: r.report_date)
        for i in found([r.change for r in rows]):
            row, nxt = rows[i], rows[i + 1] if i + 1 < len(rows) else None
            recent = sorted(r.change for r in rows[max(0, i - STALE_LOOKBACK): i]
                            if r.change is not None)
            median = statistics.median(recent)
            others = "".join(f"; {src} had {v:,}" for src, v in sorted(row.dissent.items()))
            then = (f"; the next report's change ({nxt.change:+,} on {nxt.report_date}) is a "
                    f"two-day figure" if nxt is not None and nxt.change is not None else "")
            out.append(Finding(
                "stale_row", row.report_date, cat, ", ".join(row.sources),
                f"{cat}: the total {row.total:,} repeats the previous report's (the last "
                f"{len(recent)} changes had a median of {median:,g} and no zero): a stale "
                f"repeat by {', '.join(row.sources)}{others}{then}",
                {"total": row.total, "median": median, "dissent": row.dissent,
                 "two_day": nxt.report_date.isoformat() if nxt is not None else None,
                 "two_day_change": nxt.change if nxt is not None else None}))
    return out


def missing_days(observations: Iterable[ObservationRow]) -> list[Finding]:
    out = []
    for src, _, prev, cur in _consecutive(observations):
        gap = (cur - prev).days - 1
        if gap > 0:
            first = prev + timedelta(days=1)
            last = cur - timedelta(days=1)
            out.append(Finding(
                "missing_days", first, None, src,
                f"{src} has no report for {gap} day{'s' if gap > 1 else ''} "
                f"({first} .. {last})",
                {"from": first.isoformat(), "to": last.isoformat(), "days": gap}))
    return out


def category_gaps(observations: Iterable[ObservationRow]) -> list[Finding]:
    """A category a source reports, then drops, then reports again; or one that appears
    later than the registry says it exists."""
    out = []
    for src, days in _by_source(observations).items():
        if src not in _DAILY_SOURCES:
            continue
        ordered = sorted(days)
        seen: dict[str, date] = {}
        for i, day in enumerate(ordered):
            for cat in days[day]:
                if cat not in seen:
                    seen[cat] = day
                    reg = categories.BY_ID[cat]
                    if day > reg.since and i > 0 and day - reg.since > timedelta(days=3):
                        out.append(Finding(
                            "category_gap", day, cat, src,
                            f"{src} first reports {cat} on {day}; the category exists from "
                            f"{reg.since}", {"first": day.isoformat(),
                                             "since": reg.since.isoformat()}))
            if i == 0:
                continue
            prev = days[ordered[i - 1]]
            for cat in prev:
                if cat not in days[day] and categories.BY_ID[cat].exists_on(day):
                    out.append(Finding(
                        "category_gap", day, cat, src,
                        f"{src} drops {cat} on {day} (reported on {ordered[i - 1]})", {}))
    return out


def implausible_changes(ledger: Sequence[LedgerRow], window: int = 30,
                        factor: float = 8.0) -> list[Finding]:
    """A change far above the category's recent scale: more than `factor` times the largest
    of (the median absolute change over the last `window` reports, 5)."""
    series: dict[str, list[LedgerRow]] = {}
    for row in ledger:
        series.setdefault(row.category, []).append(row)
    out = []
    for cat, rows in series.items():
        rows.sort(key=lambda r: r.report_date)
        recent: list[int] = []
        for row in rows:
            if row.change is not None:
                if len(recent) >= 7:
                    scale = max(statistics.median(recent[-window:]), 5.0)
                    if abs(row.change) > factor * scale:
                        out.append(Finding(
                            "implausible_change", row.report_date, cat, None,
                            f"change {row.change:+,} is {abs(row.change) / scale:.0f}× the "
                            f"recent median ({scale:g})",
                            {"change": row.change, "median": scale}))
                recent.append(abs(row.change))
    return out
