"""Helpers the readers share: decoding, JSON loading and field checks that name the place."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from attrition.errors import ParseError

MAX_PLAUSIBLE = 10_000_000
"""No cumulative figure comes near this; larger means a garbled number."""


def decode(data: bytes | str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else UTF-16 with a BOM; binary is refused."""
    if isinstance(data, str):
        text = data
    else:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                text = data.decode("utf-16")
            except UnicodeDecodeError as exc:
                raise ParseError(f"not valid UTF-16 text at byte {exc.start}") from None
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start+1]!r}); "
                    "binary file?"
                ) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text[:4096]:
        raise ParseError("contains NUL characters; binary file?")
    return text


def load_json(data: bytes | str) -> Any:
    text = decode(data)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        what = "truncated JSON" if exc.pos >= len(text.rstrip()) else "invalid JSON"
        raise ParseError(f"{what}: {exc.msg}", line=exc.lineno) from None


def parse_iso_date(value: object, *, record: str | None, field: str = "date") -> date:
    if not isinstance(value, str):
        raise ParseError(f"expected a YYYY-MM-DD string, got {value!r}", record=record,
                         field=field)
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ParseError(f"impossible or malformed date {value!r}", record=record,
                         field=field) from None


def as_count(value: object, *, record: str | None, field: str) -> int | None:
    """A cumulative count: a non-negative int (or int-valued string); None for missing."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ParseError(f"expected a number, got {value!r}", record=record, field=field)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        s = value.strip().replace(" ", "").replace("\u00a0", "")
        if not s.isdigit():
            raise ParseError(f"expected a number, got {value!r}", record=record, field=field)
        value = int(s)
    if not isinstance(value, int):
        raise ParseError(f"expected a number, got {value!r}", record=record, field=field)
    if value < 0 or value > MAX_PLAUSIBLE:
        raise ParseError(f"implausible count {value}", record=record, field=field)
    return value


def require_list(doc: Any, what: str) -> list[Any]:
    if not isinstance(doc, list):
        raise ParseError(f"expected a JSON array of {what}, got {type(doc).__name__}")
    return doc


def require_object(item: Any, *, record: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ParseError(f"expected an object, got {type(item).__name__}", record=record)
    return item
