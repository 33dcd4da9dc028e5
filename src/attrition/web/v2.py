"""The russianwarship.rip API v2 shapes, so that its clients switch by changing the base URL:
a day record is `{"date", "day", "resource", "stats", "increase"}` keyed by the API's own
field names (`personnel_units`, `tanks`, `armoured_fighting_vehicles`, …)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from attrition import categories
from attrition.categories import WAR_START, WARSHIP
from attrition.store.read import LedgerRow

MESSAGE = "The data were fetched successfully."
_MERGED_INTO = {part: categories.BY_ID[whole].fields[WARSHIP]
                for whole, parts in categories.HISTORICAL_PARTS.items() for part in parts
                if WARSHIP in categories.BY_ID[whole].fields}

# Ukrainian titles of the API's terms, as the bulletin words them.
_TERMS_UK = {c.fields[WARSHIP]: c.uk for c in categories.CATEGORIES if WARSHIP in c.fields}
_TERMS_EN = {c.fields[WARSHIP]: c.en for c in categories.CATEGORIES if WARSHIP in c.fields}


def record(rows: Sequence[LedgerRow]) -> dict[str, Any]:
    """One report as the API's day record. `increase` is the bulletin's announced (+N) where
    a source carries it, else the difference of totals (the API publishes the former)."""
    day = rows[0].report_date
    stats: dict[str, int] = {}
    increase: dict[str, int] = {}
    for r in rows:
        cat = categories.BY_ID.get(r.category)
        name = cat.fields.get(WARSHIP) if cat else None
        if name is None:  # before 2022-05-01: military auto + fuel tanks, as the merged key
            name = _MERGED_INTO.get(r.category)
        if name is None:
            continue
        stats[name] = stats.get(name, 0) + r.total
        inc = r.announced_change if r.announced_change is not None else r.change
        increase[name] = increase.get(name, 0) + (inc or 0)
    return {
        "date": day.isoformat(),
        "day": (day - WAR_START).days + 1,
        "resource": next((r.address for r in rows if r.address), None),
        "stats": stats,
        "increase": increase,
    }


def terms(lang: str) -> dict[str, Any]:
    titles = _TERMS_UK if lang == "ua" else _TERMS_EN
    return {name: {"title": title, "icon": None} for name, title in titles.items()}


def page(days: list[date], offset: int, limit: int, base: str, date_from: date,
         date_to: date) -> tuple[list[date], dict[str, Any]]:
    """The slice of `days` for one page, and the `paging` object with `next_url`."""
    chosen = days[offset:offset + limit]
    nxt = None
    if offset + limit < len(days):
        nxt = (f"{base}?date_from={date_from.isoformat()}&date_to={date_to.isoformat()}"
               f"&offset={offset + limit}&limit={limit}")
    return chosen, {"total": len(days), "offset": offset, "limit": limit, "next_url": nxt}
