"""Reading input files of any supported format into batches: detection and dispatch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from attrition.errors import ParseError, SourceError
from attrition.model import Batch, ConfirmedBatch
from attrition.sources import (
    _common,
    bulletin,
    minfin,
    orc,
    oryx,
    petroivaniuk,
    warship,
    warspotting,
)

MAX_BYTES = 10 * 1024 * 1024
"""No real input comes near this (the whole history is ~1 MB); larger is refused unread."""

FORMATS: dict[str, Callable[[bytes], Batch]] = {
    "petroivaniuk-equipment": petroivaniuk.read_equipment,
    "petroivaniuk-personnel": petroivaniuk.read_personnel,
    "petroivaniuk-corrections": petroivaniuk.read_corrections,
    "orc-losses": orc.read,
    "minfin": minfin.read,
    "russianwarship": warship.read,
}
CONFIRMED_FORMATS: dict[str, Callable[[bytes], ConfirmedBatch]] = {
    "oryx-daily-count": oryx.read_daily_count,
    "oryx-events": oryx.read_events,
    "warspotting": warspotting.read,
}
ALL_FORMATS = (*FORMATS, *CONFIRMED_FORMATS, "bulletin")
_SUFFIXES = {".json", ".csv", ".txt", ".md"}


def _not_data(name: str) -> bool:
    """Files that sit beside the data in the community repositories but hold no daily
    figures: licences, readmes, JSON schemas, PetroIvaniuk's Oryx model list."""
    lower = name.lower()
    return (lower.startswith(("license", "licence", "readme", "sources."))
            or lower.endswith((".schema.json", "_oryx.json"))
            # Oryx's summaries repeat the last rows of daily_count.csv and carry no date
            or lower.startswith("totals_by_"))


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to read: given files as they are; folders searched for data files."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file()
                              and f.suffix.lower() in _SUFFIXES and not _not_data(f.name)))
        elif p.exists():
            out.append(p)
        else:
            raise SourceError(f"{p}: no such file or folder")
    return out


def detect(path: Path, data: bytes) -> str:
    """The format of an input, from its name and first bytes."""
    name = path.name.lower()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        first = data[:512].lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
        if first.startswith("country,equipment_type") and "date_recorded" in first:
            return "oryx-daily-count"
        if first.startswith("country,origin,system,status"):
            return "oryx-events"
        if first.startswith("country,"):
            raise ParseError("an Oryx summary file without dates; ingest daily_count.csv",
                             file=str(path))
        return "minfin"
    if suffix in (".txt", ".md"):
        return "bulletin"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
    if suffix == ".json" or head[:1] in (b"[", b"{"):
        if "correction" in name:
            return "petroivaniuk-corrections"
        text = head.decode("utf-8", "replace")
        if '"losses"' in text and '"lost_by"' in text:
            return "warspotting"
        if '"sourceUri"' in text:
            return "orc-losses"
        if '"stats"' in text or (head[:1] == b"{" and '"data"' in text):
            return "russianwarship"
        if '"personnel*"' in text or '"POW"' in text or "personnel" in name:
            return "petroivaniuk-personnel"
        if any(k in text for k in ('"tank"', '"APC"', '"field artillery"')):
            return "petroivaniuk-equipment"
        raise ParseError("unrecognised JSON layout; give --format", file=str(path))
    return "bulletin"


def read_path(path: Path, fmt: str | None = None, report_date: date | None = None
              ) -> Batch | ConfirmedBatch:
    """One input file as a batch. Errors name the file."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise SourceError(f"{path}: file too large ({size:,} bytes; the limit is "
                          f"{MAX_BYTES:,})")
    data = path.read_bytes()
    try:
        if not data.strip():
            raise ParseError("empty file")
        fmt = fmt or detect(path, data)
        batch: Batch | ConfirmedBatch
        if fmt == "bulletin":
            _common.decode(data)
            parsed = bulletin.parse(
                data, report_date=report_date or bulletin.report_date_from_name(path.name))
            batch = parsed.to_batch(address=str(path))
        elif fmt in FORMATS:
            batch = FORMATS[fmt](data)
        elif fmt in CONFIRMED_FORMATS:
            batch = CONFIRMED_FORMATS[fmt](data)
        else:
            raise ParseError(f"unknown format {fmt!r}; one of: {', '.join(ALL_FORMATS)}")
    except ParseError as exc:
        raise exc.at(str(path)) from None
    if batch.address is None:
        batch.address = str(path)
    return batch
