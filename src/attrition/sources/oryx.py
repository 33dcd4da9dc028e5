"""Readers for the Oryx-derived confirmed-loss files (scarnecchia/oryx_data, CC BY 4.0).

- `daily_count.csv`: cumulative counts per country × equipment type × scrape date;
- `totals_by_type.csv`: the latest counts per type (the source's own printed totals);
- `event_<status>.csv`: one row per confirmed item, with its evidence address.

Pure: bytes in, records out. The headline labels embed a running total ("Losses excluding
Recon Drones and Trucks - 17594, of which: …"), so they are cut at " - " to a stable type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

from attrition.errors import ParseError
from attrition.model import STATUSES, ConfirmedBatch, ConfirmedCount, ConfirmedItem
from attrition.sources._common import (
    FIRST_CONFIRMED,
    as_count,
    csv_header,
    csv_rows,
    decode,
    parse_iso_date,
)

SOURCE = "oryx"
COUNT_FIELDS = ("destroyed", "damaged", "abandoned", "captured")
_HEADLINE = re.compile(r"^(Losses (?:excluding|of) .+?)(?: \[[^\]]*\])?(?: - \d+, of which.*)?$",
                       re.S)
_LEADING_COUNT = re.compile(r"^\d+\s+")


def type_name(label: str) -> str:
    """The stable name of an Oryx equipment type label."""
    text = " ".join(label.split())
    m = _HEADLINE.match(text)
    return m.group(1) if m else text


def model_name(system: str) -> str:
    """'98 T-80BVM' -> 'T-80BVM': the per-item rows prefix the model's count at scrape time."""
    return _LEADING_COUNT.sub("", system.strip(), count=1)


def _rows(data: bytes | str, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    rows = csv_rows(decode(data))
    first = next(rows, None)
    header = csv_header(first[1]) if first else []
    missing = [c for c in required if c not in header]
    if missing:
        raise ParseError(f"not an Oryx data file: missing column(s) {', '.join(missing)}",
                         line=1)
    for line, row in rows:
        if not row:
            continue
        if len(row) != len(header):
            raise ParseError("wrong number of fields (truncated file?)", line=line)
        yield line, dict(zip(header, row, strict=True))


def _count(row: dict[str, str], name: str, line: int) -> int:
    value = as_count(row[name], record=None, field=name, line=line)
    if value is None:
        raise ParseError("empty count", line=line, field=name)
    return value


def _counts(data: bytes | str, *, date_field: str | None, as_of: date | None
            ) -> list[ConfirmedCount]:
    required = ["country", "equipment_type", *COUNT_FIELDS, "type_total"]
    if date_field:
        required.append(date_field)
    out = []
    for line, row in _rows(data, required):
        nums = {k: _count(row, k, line) for k in (*COUNT_FIELDS, "type_total")}
        day = (parse_iso_date(row[date_field], record=None, field=date_field, line=line,
                              first=FIRST_CONFIRMED) if date_field else as_of)
        if day is None:
            raise ParseError("no as-of date given for a totals file", line=line)
        out.append(ConfirmedCount(SOURCE, row["country"].strip(),
                                  type_name(row["equipment_type"]), day,
                                  nums["destroyed"], nums["damaged"], nums["abandoned"],
                                  nums["captured"], nums["type_total"]))
    return out


def read_daily_count(data: bytes | str) -> ConfirmedBatch:
    """`daily_count.csv`: one cumulative count per country, type and scrape date."""
    return ConfirmedBatch(SOURCE, counts=_counts(data, date_field="date_recorded", as_of=None))


def read_totals(data: bytes | str, as_of: date) -> ConfirmedBatch:
    """`totals_by_type.csv`: the latest totals per type, which carry no date of their own
    (`as_of` is the snapshot's scrape date)."""
    return ConfirmedBatch(SOURCE, counts=_counts(data, date_field=None, as_of=as_of))


def read_events(data: bytes | str) -> ConfirmedBatch:
    """`event_<status>.csv`: one row per confirmed item with its evidence address."""
    required = ["country", "origin", "system", "status", "url", "date_recorded"]
    items = []
    seen: set[str] = set()
    for line, row in _rows(data, required):
        status = row["status"].strip().lower()
        if status not in STATUSES:
            raise ParseError(f"unknown status {row['status'][:40]!r}", line=line, field="status")
        day = parse_iso_date(row["date_recorded"], record=None, field="date_recorded",
                             line=line, first=FIRST_CONFIRMED)
        ident = row.get("matID") or f"{row['url']}#{status}"
        if ident in seen:
            raise ParseError(f"item {ident[:60]!r} listed twice", line=line, field="matID")
        seen.add(ident)
        items.append(ConfirmedItem(SOURCE, ident, row["country"].strip(), None,
                                   model_name(row["system"]), status, day,
                                   address=row["url"].strip() or None,
                                   tags=row["origin"].strip() or None))
    return ConfirmedBatch(SOURCE, items=items)
