"""Helpers the readers share: decoding, JSON loading and field checks that name the place."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from attrition.errors import ParseError, SourceError

MAX_PLAUSIBLE = 10_000_000
"""No cumulative figure comes near this; larger means a garbled number."""

FIRST_REPORT = date(2022, 2, 24)
"""The invasion: no report of the General Staff's count is dated before it."""
FIRST_CONFIRMED = date(2022, 2, 1)
"""Confirmed-loss lists start with a baseline row a day before the invasion."""
MAX_FIELD = 100_000
"""No real CSV field comes near this many characters."""
_MAX_INT_DIGITS = 19
"""A JSON integer longer than this is no count (and would overflow a BIGINT)."""


_WIDE = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
"""Byte order marks, UTF-32's first: its little-endian mark begins with UTF-16's."""


def _wide_without_bom(data: bytes) -> str | None:
    """The codec of UTF-16 or UTF-32 text without a byte order mark, from where the zero bytes
    of its first (ASCII) character fall, as RFC 4627 detects JSON's: every input attrition
    reads starts with an ASCII character ('[', '{', a CSV header, a bulletin's words)."""
    head = data[:4]
    if len(head) < 4 or 0 not in head:
        return None
    zeros = "".join("1" if b else "0" for b in head)
    return {"1000": "utf-32-le", "0001": "utf-32-be", "1010": "utf-16-le",
            "0101": "utf-16-be"}.get(zeros)


def decode(data: bytes | str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else UTF-16 or UTF-32 (with a BOM, or
    without one when the first character shows it); binary is refused."""
    if isinstance(data, str):
        text = data
    else:
        wide = next((c for bom, c in _WIDE if data.startswith(bom)), None) \
            or _wide_without_bom(data)
        if wide is not None:
            try:
                text = data.decode(wide)
            except UnicodeDecodeError as exc:
                raise ParseError(f"not valid {wide.upper()[:6]} text at byte {exc.start}"
                                 ) from None
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start+1]!r}); "
                    "binary file?"
                ) from None
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")  # anywhere: a NUL past the first page hid a corrupt tail
    if nul >= 0:
        raise ParseError("contains NUL characters; binary file?", line=text.count("\n", 0, nul) + 1)
    return text


class _JSONValueError(Exception):
    """Raised from inside the JSON hooks; turned into a ParseError with the line."""


def read_regular(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` of them. Devices, FIFOs and sockets are
    refused before they are opened for reading (a FIFO would block, /dev/zero never ends),
    and the read itself is capped: `st_size` is not trusted. Here, not in `ingest`, so that
    `attrition check` reads its files the same way without importing the readers."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(f"{path}: not a regular file (a folder, device, FIFO or socket); "
                          "only files are read")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise SourceError(f"{path}: cannot open ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since the stat
                raise SourceError(f"{path}: not a regular file; only files are read")
            data = f.read(limit + 1)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise SourceError(f"{path}: file too large (more than {limit:,} bytes, the limit)")
    return data


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise _JSONValueError(f"implausible number ({len(text):,} digits)")
    return int(text)


def _parse_constant(name: str) -> float:
    raise _JSONValueError(f"{name} is not a number JSON allows")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _JSONValueError(f"key {k!r} given twice in one object")
            seen.add(k)
    return out


def load_json(data: bytes | str) -> Any:
    """JSON, refusing what the stdlib would accept or crash on: NaN, integers past any count
    (Python refuses past 4,300 digits with a ValueError), keys given twice, and nesting so
    deep that the parser runs out of stack."""
    text = decode(data)
    try:
        return json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant,
                          object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        what = "truncated JSON" if exc.pos >= len(text.rstrip()) else "invalid JSON"
        raise ParseError(f"{what}: {exc.msg}", line=exc.lineno) from None
    except _JSONValueError as exc:
        raise ParseError(str(exc)) from None
    except RecursionError:
        raise ParseError("JSON nested too deeply") from None
    except (ValueError, OverflowError) as exc:  # e.g. a float literal too long to convert
        raise ParseError(f"invalid JSON value: {str(exc)[:80]}") from None


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of a CSV text: any line ends (CR, LF, CRLF), fields of at most
    MAX_FIELD characters; a malformed row is a ParseError naming its line."""
    reader = csv.reader(io.StringIO(text, newline=None), strict=True)
    line = 0
    try:
        for row in reader:
            line = reader.line_num
            yield line, row
    except csv.Error as exc:
        msg = str(exc)
        if "field larger than field limit" in msg:
            msg = f"a field longer than {csv.field_size_limit():,} characters"
        raise ParseError(f"malformed CSV: {msg}", line=reader.line_num or line + 1) from None


def csv_header(row: list[str]) -> list[str]:
    """A header row, stripped; a column named twice is refused."""
    header = [h.strip() for h in row]
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise ParseError("column named twice in the header", line=1, field=h)
        seen.add(h)
    return header


def parse_iso_date(value: object, *, record: str | None, field: str = "date",
                   line: int | None = None, first: date = FIRST_REPORT) -> date:
    """A YYYY-MM-DD date between `first` (the invasion, for a report) and tomorrow: a report
    dated in the future or before the war is a garbled row, and would become "latest"."""
    if not isinstance(value, str):
        raise ParseError(f"expected a YYYY-MM-DD string, got {_short(value)}", record=record,
                         field=field, line=line)
    text, rest = value.strip()[:10], value.strip()[10:]
    try:
        if not (text.isascii() and len(text) == 10) or (rest and not _TIME.fullmatch(rest)):
            raise ValueError  # a time of day may follow, nothing else ("2024-02-14 junk")
        day = date.fromisoformat(text)
    except ValueError:
        raise ParseError(f"impossible or malformed date {_short(value)}", record=record,
                         field=field, line=line) from None
    check_date(day, record=record, field=field, line=line, first=first)
    return day


_TIME = re.compile(r"[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?",
                   re.ASCII)


def check_date(day: date, *, record: str | None = None, field: str | None = "date",
               line: int | None = None, first: date = FIRST_REPORT) -> None:
    last = date.today() + timedelta(days=1)
    if day < first:
        raise ParseError(f"date {day} is before {first}", record=record, field=field,
                         line=line)
    if day > last:
        raise ParseError(f"date {day} is in the future (after {last})", record=record,
                         field=field, line=line)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_count(value: object, *, record: str | None, field: str, line: int | None = None
             ) -> int | None:
    """A cumulative count: a non-negative int (or int-valued string); None for missing."""
    if type(value) is int and 0 <= value <= MAX_PLAUSIBLE:
        return value  # what nearly every figure of a mirror is (a bool is not an int here)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ParseError(f"expected a number, got {_short(value)}", record=record,
                         field=field, line=line)
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_PLAUSIBLE:
        value = int(value)
    if isinstance(value, str):
        s = value.strip().replace(" ", "").replace("\u00a0", "")
        # isdigit() is true of "²" and other digits int() refuses: ASCII only
        if not (s.isascii() and s.isdigit()):
            raise ParseError(f"expected a number, got {_short(value)}", record=record,
                             field=field, line=line)
        if len(s) > 12:
            raise ParseError(f"implausible count ({len(s):,} digits)", record=record,
                             field=field, line=line)
        value = int(s)
    if not isinstance(value, int):
        raise ParseError(f"expected a number, got {_short(value)}", record=record,
                         field=field, line=line)
    if value < 0 or value > MAX_PLAUSIBLE:
        raise ParseError(f"implausible count {value}", record=record, field=field, line=line)
    return value


def require_list(doc: Any, what: str) -> list[Any]:
    if not isinstance(doc, list):
        raise ParseError(f"expected a JSON array of {what}, got {type(doc).__name__}")
    return doc


def require_object(item: Any, *, record: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ParseError(f"expected an object, got {type(item).__name__}", record=record)
    return item


def dated_records(data: bytes | str, what: str
                  ) -> Iterator[tuple[str, date, dict[str, Any]]]:
    """Each object of a JSON list of dated records (the mirrors' files): where it is, for an
    error ("#3 (2022-02-27)"), its date and the object."""
    for i, item in enumerate(require_list(load_json(data), what)):
        rec = require_object(item, record=f"#{i}")
        day = parse_iso_date(rec.get("date"), record=f"#{i}")
        yield f"#{i} ({day})", day, rec
