"""A check as of a moment beside the check now: where a claim's verdict on what had been
published then differs from its verdict on the ledger now, the claim says so ("supported by
the report of 14 November 2024 as published; revised on 3 December 2024 to 21 (contradicted
now)"), naming the revision that changed it when one did."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from attrition.dates import kyiv
from attrition.store.read import ObservationRow


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def annotate(then: dict[str, Any], now: dict[str, Any], pending: Sequence[ObservationRow],
             effective: Callable[[ObservationRow], datetime], at: datetime) -> int:
    """Add `revised` to every claim of `then` (the check as of `at`) whose verdict differs in
    `now` (the same text checked against the ledger now); `pending`: the figures published
    after `at`. Returns how many claims differ."""
    now_claims = {tuple(c["span"]): c for c in now["claims"]}
    differ = 0
    for c in then["claims"]:
        n = now_claims.get(tuple(c["span"]))
        if n is None or n["verdict"] == c["verdict"]:
            continue
        differ += 1
        period = c.get("period") or {}
        end = date.fromisoformat(period["to"]) if period.get("to") else None
        start = date.fromisoformat(period["from"]) if period.get("from") else end
        cats = set(c.get("components") or ()) | {c.get("category")} - {None}
        revs = [r for r in pending if end is not None and start is not None
                and start <= r.report_date <= end and r.category in cats]
        when = min((effective(r) for r in revs), default=None)
        value_now = n["actual"] if n["actual"] is not None else n["value"]
        if when is not None and end is not None:
            text = (f"{c['verdict']} by the report of {_day(end)} as published; revised on "
                    f"{_day(when.astimezone(kyiv()).date())} to {value_now:,} ({n['verdict']} now)"
                    if isinstance(value_now, int) else
                    f"{c['verdict']} by the report of {_day(end)} as published; revised on "
                    f"{_day(when.astimezone(kyiv()).date())} ({n['verdict']} now)")
        else:
            text = (f"{c['verdict']} on what had been published by {at:%Y-%m-%d %H:%M %Z}; "
                    f"{n['verdict']} on the ledger now")
        c["revised"] = {
            "verdict_now": n["verdict"], "actual_now": n["actual"],
            "revised_at": when.isoformat() if when else None,
            "sources": sorted({r.source for r in revs}),
            "text": text,
        }
    return differ
