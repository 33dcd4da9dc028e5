"""Confirmed losses in the checker: the confirmed count beside every cumulative claim, and a
verdict for claims that cite Oryx ("Oryx has documented 2,011 tanks") instead of calling
them unverifiable."""

from __future__ import annotations

import re
from datetime import date, timedelta

from attrition.check.article import MONTH_RE, MONTHS
from attrition.check.claims import Claim
from attrition.check.ledger import LedgerView, PerCategory
from attrition.check.verify import (
    CONTRADICTED,
    ROUNDED,
    SUPPORTED,
    UNVERIFIABLE,
    Result,
    rounded_ok,
)
from attrition.compare import Claimed, ConfirmedContext
from attrition.errors import ConfigError
from attrition.model import STATUSES

LOOKBACK = timedelta(days=60)
"""An article may cite a confirmed count some weeks old: any scrape in this window counts."""
_STATUS_NEAR = re.compile(r"\b(destroyed|damaged|abandoned|captured)\b", re.I)


_BY_DAY = re.compile(rf"^[^.;\d]*?\b(?:by|as of|as at|станом на|по состоянию на|на)\s+"
                     rf"(?P<d>\d{{1,2}}) (?P<m>{MONTH_RE})(?:,? (?P<y>\d{{4}}))?", re.I)
"""The day a confirmed count is dated, after the number ("2,011 tanks lost by 19 July 2025")."""


def _stated_day(m: re.Match[str], day: date) -> date | None:
    try:
        mon, dom = MONTHS[m["m"].lower()], int(m["d"])
        return date(int(m["y"]) if m["y"] else (day.year if (mon, dom) <= (day.month, day.day)
                                                 else day.year - 1), mon, dom)
    except (KeyError, ValueError):
        return None


class ClaimedOf(Claimed):
    """`Claimed` over the checker's view of the ledger, a category indexed when first asked
    about (`Claimed` indexes every category at once)."""

    def __init__(self, view: LedgerView) -> None:  # not Claimed's
        cats = list(view.rows)
        both = PerCategory(cats, view.totals_in_order)
        self._days = PerCategory(  # type: ignore[assignment]  # read with [] and .get
            cats, lambda c: both[c][0])
        self._totals = PerCategory(  # type: ignore[assignment]
            cats, lambda c: both[c][1])


class ConfirmedView(ConfirmedContext):
    """Confirmed counts (Oryx) and the ledger's totals, for the checker."""

    def verify(self, c: Claim, day: date, category: str | None) -> Result | None:
        """A verdict on a number the text attributes to Oryx; None if it is not a count of a
        line the crosswalk maps."""
        if c.value is None or category is None:
            return None
        if category == "vehicles":  # "trucks", "vehicles": the vehicles line
            category = "vehicles_fuel_tanks"
        try:
            row = self.crosswalk.row(category)
        except ConfigError:
            return None
        # a status word belongs to this number only if no other number comes first
        after = re.split(r"\d", c.sentence.text[c.end - c.sentence.start:][:60], maxsplit=1)[0]
        m = _STATUS_NEAR.search(after)
        statuses = (m.group(1).lower(),) if m else STATUSES
        conf = self.series(statuses)
        by = _BY_DAY.search(c.sentence.text[c.end - c.sentence.start:][:80])
        if by is not None:  # "… lost by 19 July 2025": the count of that day
            stated = _stated_day(by, day)
            if stated is not None and stated <= day:
                day = stated
        at_day = conf.at(row, day)
        what = f"Oryx's count of {row.name}" + (f" ({statuses[0]})" if m else "")
        if at_day is None:
            first = conf.coverage(row)
            return Result(UNVERIFIABLE, None, why=(
                f"cites Oryx; the bundled confirmed data has no count of {row.name} on "
                f"{day}" + (f" (its series starts {first})" if first else "")))
        window = [(d, v) for d, v in conf.series(row) if day - LOOKBACK <= d <= day]
        evidence = [{"source": self.source, "line": row.name, "statuses": list(statuses),
                     "date": d.isoformat(), "value": v} for d, v in window[-3:]]
        precision = c.number.precision if c.number is not None else 1
        for d, v in reversed(window):
            if v == c.value:
                return Result(SUPPORTED, None, v, row.name,
                              why=f"{what} on {d}: {v:,}", evidence=evidence)
        for d, v in reversed(window):
            if rounded_ok(c.value, v, c.qualifier, precision):
                return Result(ROUNDED, None, v, row.name,
                              why=f"{what} on {d}: {v:,}", evidence=evidence)
        return Result(CONTRADICTED, None, at_day.value, row.name,
                      why=f"{what} on {at_day.as_of}: {at_day.value:,}", evidence=evidence)
