"""romansverdan/russian-Losses-in-Ukraine: the minfin-derived CSV.

It has no licence: read it for cross-checking, never ship or export it.
"""

from __future__ import annotations

from attrition import categories
from attrition.categories import MINFIN
from attrition.errors import ParseError
from attrition.model import Batch, Observation
from attrition.sources._common import as_count, csv_header, csv_rows, decode, parse_iso_date


def read(data: bytes | str) -> Batch:
    rows = csv_rows(decode(data))
    first = next(rows, None)
    header = csv_header(first[1]) if first else []
    if "date" not in header:
        raise ParseError("no 'date' column in the CSV header", line=1)
    known = categories.known_fields(MINFIN)
    unknown = [h for h in header if h not in known and h not in ("date", "day")]
    if unknown:
        raise ParseError("unknown category column", line=1, field=unknown[0])
    columns = [(i, h) for i, h in enumerate(header) if h not in ("date", "day")]
    at_date = header.index("date")
    batch = Batch(MINFIN)
    for line, row in rows:
        if not row:
            continue  # a blank line
        if len(row) != len(header):
            raise ParseError(f"wrong number of columns ({len(row)}, the header has "
                             f"{len(header)}; truncated row?)", line=line)
        day = parse_iso_date(row[at_date], record=None, line=line)
        for i, key in columns:
            total = as_count(row[i], record=None, field=key, line=line)
            if total is None:
                continue
            cat = categories.for_field(MINFIN, key, day)
            if cat is None:
                continue  # e.g. cruise missiles is blank/0 before it exists
            batch.observations.append(Observation(MINFIN, day, cat.id, total))
    return batch
