"""The russianwarship.rip API v2 shapes, so that its clients switch by changing the base URL:
a day record is `{"date", "day", "resource", "stats", "increase"}` keyed by the API's own
field names (`personnel_units`, `tanks`, `armoured_fighting_vehicles`, …); its routes, and
its error shape (`{"message", "data": null}`, 422)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from attrition import categories
from attrition.categories import WAR_START, WARSHIP
from attrition.dates import parse_day
from attrition.store.read import LedgerRow

MESSAGE = "The data were fetched successfully."
_MERGED_INTO = {part: categories.BY_ID[whole].fields[WARSHIP]
                for whole, parts in categories.HISTORICAL_PARTS.items() for part in parts
                if WARSHIP in categories.BY_ID[whole].fields}

# Ukrainian titles of the API's terms, as the bulletin words them.
_TERMS_UK = {c.fields[WARSHIP]: c.uk for c in categories.CATEGORIES if WARSHIP in c.fields}
_TERMS_EN = {c.fields[WARSHIP]: c.en for c in categories.CATEGORIES if WARSHIP in c.fields}
KEYS: tuple[str, ...] = tuple(_TERMS_EN)
"""Every term, and so every key of every day's `stats` and `increase`. A key the report
lacks is 0 with the increase 0 where the category is not counted on that day (not yet, or
no longer), as the original API answers; where it is counted but that report left it out,
it carries the previous report's total with the increase 0 (a line left out has not
un-lost anything, and a 0 would read as a fall)."""
ICONS = "/static/terms/"
"""Our own small SVG icons, one per term (`{key}.svg`)."""
INVALID = "The given data was invalid."
NOT_FOUND = "The requested resource was not found."
STATUS = {
    "en": {"alias": "war", "title": "Full-scale war",
           "description": "Russia's full-scale war against Ukraine, since 24 February 2022. "
                          "The figures are the General Staff of the Armed Forces of "
                          "Ukraine's daily claims, not independently verified."},
    "ua": {"alias": "war", "title": "Повномасштабна війна",
           "description": "Повномасштабна війна Росії проти України з 24 лютого 2022 року. "
                          "Цифри — щоденні дані Генерального штабу Збройних сил України, "
                          "не перевірені незалежно."},
}


def record(rows: Sequence[LedgerRow], carried: Mapping[str, int] | None = None
           ) -> dict[str, Any]:
    """One report as the API's day record. `increase` is the bulletin's announced (+N) where
    a source carries it, else the difference of totals (the API publishes the former).
    `carried`: the totals of keys this report lacks (see KEYS); others are 0."""
    day = rows[0].report_date
    present = {_key(r.category) for r in rows}
    stats: dict[str, int] = {k: 0 if k in present else (carried or {}).get(k, 0)
                             for k in KEYS}
    increase: dict[str, int] = dict.fromkeys(KEYS, 0)
    for r in rows:
        name = _key(r.category)
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


def _key(category: str) -> str | None:
    """The API's key of a ledger category (before 2022-05-01 military auto and fuel tanks
    count under the merged key)."""
    cat = categories.BY_ID.get(category)
    name = cat.fields.get(WARSHIP) if cat else None
    return name if name is not None else _MERGED_INTO.get(category)


def missing(rows: Sequence[LedgerRow]) -> list[tuple[str, str]]:
    """(key, category) of the categories counted on this report's day that it lacks."""
    day = rows[0].report_date
    present = {_key(r.category) for r in rows}
    return [(c.fields[WARSHIP], c.id) for c in categories.CATEGORIES
            if WARSHIP in c.fields and c.fields[WARSHIP] not in present and c.exists_on(day)]


def terms(lang: str, base: str = "") -> dict[str, Any]:
    """Every term's title and icon (an absolute URL when `base` is the server's)."""
    titles = _TERMS_UK if lang == "ua" else _TERMS_EN
    return {name: {"title": title, "icon": f"{base.rstrip('/')}{ICONS}{name}.svg"}
            for name, title in titles.items()}


def war_info(latest: date | None) -> dict[str, Any]:
    """The war's start, the newest report's date and its day of the war."""
    return {"war_start": WAR_START.isoformat(),
            "current_date": latest.isoformat() if latest else None,
            "current_day": (latest - WAR_START).days + 1 if latest else None,
            "status": STATUS["en"]["alias"]}


def page(days: list[date], offset: int, limit: int, base: str, date_from: date,
         date_to: date) -> tuple[list[date], dict[str, Any]]:
    """The slice of `days` for one page, and the `paging` object with `next_url`."""
    chosen = days[offset:offset + limit]
    nxt = None
    if offset + limit < len(days):
        nxt = (f"{base}?date_from={date_from.isoformat()}&date_to={date_to.isoformat()}"
               f"&offset={offset + limit}&limit={limit}")
    return chosen, {"total": len(days), "offset": offset, "limit": limit, "next_url": nxt}


def iso_day(text: str) -> date:
    """A YYYY-MM-DD date (the API takes no other form), within attrition's range."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return parse_day(text)
