"""romansverdan/russian-Losses-in-Ukraine: the minfin-derived CSV.

It has no licence: read it for cross-checking, never ship or export it.
"""

from __future__ import annotations

import csv
import io

from attrition import categories
from attrition.categories import MINFIN
from attrition.errors import ParseError
from attrition.model import Batch, Observation
from attrition.sources._common import as_count, decode, parse_iso_date


def read(data: bytes | str) -> Batch:
    text = decode(data)
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if "date" not in header:
        raise ParseError("no 'date' column in the CSV header", line=1)
    known = categories.known_fields(MINFIN)
    unknown = [h for h in header if h not in known and h not in ("date", "day")]
    if unknown:
        raise ParseError("unknown category column", line=1, field=unknown[0])
    batch = Batch(MINFIN)
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise ParseError("wrong number of columns (truncated row?)", line=line)
        try:
            day = parse_iso_date(row["date"], record=None)
        except ParseError as exc:
            raise ParseError(exc.message, line=line, field="date") from None
        for key, value in row.items():
            if key in ("date", "day"):
                continue
            try:
                total = as_count(value, record=None, field=key)
            except ParseError as exc:
                raise ParseError(exc.message, line=line, field=key) from None
            if total is None:
                continue
            cat = categories.for_field(MINFIN, key, day)
            if cat is None:
                continue  # e.g. cruise missiles is blank/0 before it exists
            batch.observations.append(Observation(MINFIN, day, cat.id, total))
    return batch
