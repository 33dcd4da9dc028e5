"""Reading input files of any supported format into batches: detection and dispatch."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from attrition.categories import BULLETIN
from attrition.errors import ParseError, SourceError
from attrition.model import Batch, ConfirmedBatch
from attrition.resolve import PRESS
from attrition.sources import (
    _common,
    minfin,
    orc,
    oryx,
    petroivaniuk,
    warship,
    warspotting,
)

MAX_BYTES = 10 * 1024 * 1024
"""No real input comes near this (the whole history is ~1 MB); larger is refused unread."""

FORMATS: dict[str, Callable[[bytes | str], Batch]] = {
    "petroivaniuk-equipment": petroivaniuk.read_equipment,
    "petroivaniuk-personnel": petroivaniuk.read_personnel,
    "petroivaniuk-corrections": petroivaniuk.read_corrections,
    "orc-losses": orc.read,
    "minfin": minfin.read,
    "russianwarship": warship.read,
}
CONFIRMED_FORMATS: dict[str, Callable[[bytes | str], ConfirmedBatch]] = {
    "oryx-daily-count": oryx.read_daily_count,
    "oryx-events": oryx.read_events,
    "warspotting": warspotting.read,
}
ALL_FORMATS = (*FORMATS, *CONFIRMED_FORMATS, "bulletin", "press")
_SUFFIXES = {".json", ".csv", ".txt", ".md"}


def _not_data(name: str) -> bool:
    """Files that sit beside the data in the community repositories but hold no daily
    figures: licences, readmes, notes on the sources (SOURCES.md, or SOURCE.md beside the
    README's example bulletin), JSON schemas, PetroIvaniuk's Oryx model list."""
    lower = name.lower()
    return (lower.startswith(("license", "licence", "readme", "sources.", "source."))
            or lower.endswith((".schema.json", "_oryx.json"))
            # Oryx's summaries repeat the last rows of daily_count.csv and carry no date
            or lower.startswith("totals_by_"))


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to read: given files as they are; folders searched for data files. A folder that
    cannot be listed is an error, never skipped: ingest is all or nothing."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found: list[Path] = []

            for folder, dirs, names in os.walk(p, onerror=_refuse):
                dirs.sort()
                for name in names:
                    f = Path(folder, name)
                    if f.suffix.lower() in _SUFFIXES and not _not_data(name):
                        # a data file that is a FIFO, a device or a broken link is refused by
                        # the read, with its name: skipped, it was data lost with exit 0
                        found.append(f)
            if not found:
                raise SourceError(f"{p}: no data files ({', '.join(sorted(_SUFFIXES))}) in "
                                  "the folder; nothing was read")
            out.extend(sorted(found))
        elif p.exists() or p.is_symlink():
            out.append(p)
        else:
            raise SourceError(f"{p}: no such file or folder")
    return out


def _refuse(exc: OSError) -> None:
    raise SourceError(f"{exc.filename}: cannot list the folder ({exc.strerror or exc}); "
                      "nothing was read")


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` (`attrition.sources._common.read_regular`)."""
    return _common.read_regular(path, limit)


def detect(path: Path, text: str) -> str:
    """The format of an input, from its name and its first characters (after decoding, so
    that a UTF-16 file is recognised as well as a UTF-8 one)."""
    name = path.name.lower()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        first = text[:512].lstrip("\ufeff").splitlines()[0] if text.strip() else ""
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
    if suffix and suffix not in _SUFFIXES:
        # a TOML, HTML or XML file read as JSON (its first character is "[" or "<") or as
        # a bulletin said "unrecognised JSON layout" or "no report date": neither is why
        raise ParseError(f"{suffix} is not a format attrition reads (JSON, CSV, or a "
                         "bulletin's text in .txt or .md); give --format to read it as one",
                         file=str(path))
    head = text[:4096].lstrip("\ufeff \r\n\t")
    if suffix == ".json" or head[:1] in ("[", "{"):
        if "correction" in name:
            return "petroivaniuk-corrections"
        if '"losses"' in head and '"lost_by"' in head:
            return "warspotting"
        if '"sourceUri"' in head:
            return "orc-losses"
        if '"stats"' in head or (head[:1] == "{" and '"data"' in head):
            return "russianwarship"
        if '"personnel*"' in head or '"POW"' in head or "personnel" in name:
            return "petroivaniuk-personnel"
        if any(k in head for k in ('"tank"', '"APC"', '"field artillery"')):
            return "petroivaniuk-equipment"
        raise ParseError("unrecognised JSON layout; give --format", file=str(path))
    return "bulletin"


OFFICIAL_HOSTS = ("mil.gov.ua", "mod.gov.ua", "kmu.gov.ua", "zsu.gov.ua")
"""The ministry's and the General Staff's own sites: a bulletin text from one of them is the
bulletin; from anywhere else it is a reproduction (a press witness)."""


def is_official(address: str | None) -> bool:
    if not address:
        return False
    host = urlsplit(address).hostname or ""
    return any(host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS)


def bulletin_address(path: Path) -> str | None:
    """The address a bulletin text was taken from, as the SOURCES.md beside it (or one or two
    folders above: `bulletins/secondary/x.txt`) lists it: `| `relative/path.txt` | ... |`."""
    return _listed(path)[0]


def bulletin_published(path: Path) -> str | None:
    """When the page of a bulletin text was published, where the SOURCES.md row gives its
    time (`2022-06-13 09:15:00`, the ministry's page time, Kyiv): ISO with the zone."""
    return _listed(path)[1]


def _listed(path: Path) -> tuple[str | None, str | None]:
    resolved = path.resolve()
    for folder in resolved.parents[:3]:
        index = folder / "SOURCES.md"
        if index.is_file():
            rel = resolved.relative_to(folder).as_posix()
            return _addresses(index).get(rel), _published(index).get(rel)
    return None, None


_PAGE_TIME = re.compile(r"\|\s*(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?)\s*(?=\|)")


@functools.lru_cache(maxsize=16)
def _index_rows(index: Path) -> tuple[tuple[str, str], ...]:
    """The bulletin index's table rows: (file name, the rest of its row); read once."""
    try:
        text = _common.decode(read_bytes(index))
    except (SourceError, ParseError):
        return ()
    return tuple((m.group(1), m.group(2))
                 for m in re.finditer(r"^\| `([^`]+\.txt)` \|(.*)$", text, re.M))


@functools.lru_cache(maxsize=16)
def _published(index: Path) -> dict[str, str]:
    from datetime import datetime

    from attrition.dates import kyiv

    out = {}
    for name, rest in _index_rows(index):
        when = _PAGE_TIME.search("|" + rest)
        if when:
            try:
                at = datetime.fromisoformat(f"{when.group(1)}T{when.group(2)}")
            except ValueError:
                continue  # a malformed time is no time: the report's morning counts
            out[name] = at.replace(tzinfo=kyiv()).isoformat()
    return out


@functools.lru_cache(maxsize=16)
def _addresses(index: Path) -> dict[str, str]:
    out = {}
    for name, rest in _index_rows(index):
        url = re.search(r"https?://\S+?(?=\s*\|)", rest)
        if url:
            out[name] = url.group(0)
    return out


def read_path(path: Path, fmt: str | None = None, report_date: date | None = None
              ) -> Batch | ConfirmedBatch:
    """One input file as a batch. Errors name the file."""
    data = read_bytes(path)
    try:
        text = _common.decode(data)
        if not text.strip():
            raise ParseError("empty file")
        fmt = fmt or detect(path, text)
        batch: Batch | ConfirmedBatch
        if fmt in ("bulletin", "press"):
            batch = read_bulletin(path, text, report_date, press=fmt == "press" or None)
        elif fmt in FORMATS:
            batch = FORMATS[fmt](text)
            _one_value_each(batch)
        elif fmt in CONFIRMED_FORMATS:
            batch = CONFIRMED_FORMATS[fmt](text)
        else:
            raise ParseError(f"unknown format {fmt!r}; one of: {', '.join(ALL_FORMATS)}")
    except ParseError as exc:
        raise exc.at(str(path)) from None
    if batch.address is None:
        batch.address = str(path)
    return batch


def _one_value_each(batch: Batch) -> None:
    """A mirror's file gives each day's figure once: a day repeated with another value is a
    garbled file, refused (the store would keep whichever came last, silently)."""
    seen: dict[tuple[date, str], int | None] = {}
    for o in batch.observations:
        key = (o.report_date, o.category)
        if seen.setdefault(key, o.total) != o.total:
            raise ParseError(f"given twice, as {seen[key]} and {o.total}",
                             record=str(o.report_date), field=o.category)


def read_bulletin(path: Path, text: str, report_date: date | None = None,
                  press: bool | None = None) -> Batch:
    """A bulletin text. Its figures cite the address it was published at (SOURCES.md),
    never a local path; a reproduction by a news outlet (an address off the ministry's
    sites, or a file under `secondary/` or `press/`) is a press witness, not the bulletin."""
    # imported here: its ~20 patterns take longer to compile than a one-report JSON ingest
    from attrition.sources import bulletin

    parsed = bulletin.parse(
        text, report_date=report_date or bulletin.report_date_from_name(path.name))
    address = bulletin_address(path)
    if press is None:
        press = (not is_official(address) if address
                 else bool({"secondary", "press"} & {p.lower() for p in path.parent.parts}))
    batch = parsed.to_batch(address=address, source=PRESS if press else BULLETIN)
    batch.address = str(path)
    batch.published_at = bulletin_published(path)
    return batch
