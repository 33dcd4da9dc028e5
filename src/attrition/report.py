"""One report as the figures a reader needs: total, change, announced change, sources."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from attrition import categories
from attrition.errors import NotFoundError
from attrition.store.read import LedgerRow, Reader

PUBLISHER = "General Staff of the Armed Forces of Ukraine (via the Ministry of Defence)"
CAVEAT = ("Official Ukrainian claims, not independently verified; personnel counts killed "
          "and wounded.")
CAVEAT_UK = ("Це офіційні дані української сторони, не перевірені незалежно; втрати "
             "особового складу — це вбиті та поранені.")


UK_PLURALS = {"report": ("зведення", "зведення", "зведень"), "day": ("день", "дні", "днів"),
              "month": ("місяць", "місяці", "місяців")}
"""Ukrainian nouns after a number: (1, 21, 31 …; 2–4, 22–24 …; 5–20, 25–30 …)."""


def uk_count(n: int, noun: str) -> str:
    """"31 зведення", "7 зведень", "101 день": the form Ukrainian takes after `n`."""
    from attrition.words import uk_form

    return f"{n:,}".replace(",", "\u00a0") + f" {uk_form(n, UK_PLURALS[noun])}"


STALE_AFTER_HOURS = 36
"""A "latest" report older than this says so: a new one comes every morning."""


def age(day: date, now: datetime | None = None) -> dict[str, Any] | None:
    """How old the report of `day` is, when it is older than `STALE_AFTER_HOURS` (reports
    come out in the Kyiv morning, about 06:00 UTC), with how to refresh; None when fresh."""
    now = now or datetime.now(UTC)
    published = datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
    hours = (now - published).total_seconds() / 3600
    if hours <= STALE_AFTER_HOURS:
        return None
    days = int(hours // 24)
    return {"age_days": days, "as_of": now.date().isoformat(), "refresh": "attrition update",
            "en": f"This is the latest report in the ledger, and it is {days} days old (on "
                  f"{now.date().isoformat()}): newer reports are not loaded. Run `attrition "
                  f"update` to fetch them.",
            "uk": f"Це останнє зведення в базі, і йому {uk_count(days, 'day')} (станом на "
                  f"{now.date().isoformat()}): новіших зведень не завантажено. Щоб їх "
                  f"отримати, виконайте `attrition update`."}


def figure(row: LedgerRow) -> dict[str, Any]:
    cat = categories.BY_ID.get(row.category)
    return {
        "category": row.category,
        "label": cat.en if cat else row.category,
        "total": row.total,
        "change": row.change,
        "announced_change": row.announced_change,
        "qualifier": row.qualifier,
        "sources": list(row.sources),
        "single_witness": row.method == "single",
        "method": row.method,
        "dissent": row.dissent,
        "address": row.address,
    }


def report(reader: Reader, day: date) -> dict[str, Any]:
    """The `show --format json` document for the report of `day`."""
    rows = reader.report(day)
    if not rows:
        first, last = reader.first_date(), reader.latest_date()
        raise NotFoundError(f"no report for {day} (the ledger runs {first} .. {last})")
    return document(rows, day)


def missing(present: Iterable[str], day: date) -> list[str]:
    """The categories counted before `day` that the report of `day` has no figure for (a
    category a report leaves out is said to be missing, never dropped silently)."""
    have = set(present)
    return [c.id for c in categories.on(day) if c.id not in have
            and categories.counted_since(c.id) < day and not c.historical]


def document(rows: list[LedgerRow], day: date) -> dict[str, Any]:
    """The report document from its ledger rows."""
    address = next((r.address for r in rows if r.address), None)
    # the first report (24 February 2022) is the total since the invasion began that day: no
    # change, and no day before it to cover
    first = bool(rows) and all(r.change is None for r in rows) and \
        day <= categories.WAR_START + timedelta(days=1)
    return {
        "date": day.isoformat(),
        "covers": (categories.WAR_START if first else day - timedelta(days=1)).isoformat(),
        "first_report": first,
        "publisher": PUBLISHER,
        "address": address,
        "figures": [figure(r) for r in rows],
        "missing": missing((r.category for r in rows), day) if rows else [],
        "caveat": CAVEAT,
    }
