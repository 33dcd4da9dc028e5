"""Hostile files that got past the readers in the re-attack of issue 13 (bench/hostile_ingest.py
throws 326 of them at `attrition ingest`): each is refused with one line naming the place, or
read as the same data when it is valid data in another Unicode form, and the store is left as
it was."""

from __future__ import annotations

import codecs
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from attrition import ingest, service
from attrition.errors import ParseError, SourceError

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
MINFIN = DATA / "official" / "russian-Losses-in-Ukraine" / "russia_losses.csv"
ORC = DATA / "official" / "orc-losses" / "russian-losses.json"
BULLETIN = DATA / "bulletins" / "2022-06-13.en.txt"


def _small(name: str) -> str:
    if name == "minfin.csv":
        return "".join(MINFIN.read_text().splitlines(keepends=True)[:8])
    if name == "orc.json":
        return json.dumps(json.loads(ORC.read_text())[:4], ensure_ascii=False)
    return BULLETIN.read_text()


def _observations(path: Path) -> list[tuple[object, ...]]:
    batch = ingest.read_path(path)
    assert not isinstance(batch, ingest.ConfirmedBatch)
    return sorted((o.report_date, o.category, o.total, o.announced_change)
                  for o in batch.observations)


@pytest.mark.parametrize("name", ["minfin.csv", "orc.json", "2022-06-13.en.txt"])
@pytest.mark.parametrize("codec,bom", [
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
    ("utf-16-le", b""), ("utf-16-be", b""), ("utf-32-le", b""), ("utf-32-be", b"")])
def test_utf32_and_wide_text_without_a_bom_read_as_utf8(tmp_path: Path, name: str, codec: str,
                                                       bom: bytes) -> None:
    """UTF-32's little-endian mark begins with UTF-16's: such a file was decoded as UTF-16
    and refused as binary ("contains NUL characters"), as was UTF-16 without a mark."""
    text = _small(name)
    plain, wide = tmp_path / "plain" / name, tmp_path / "wide" / name
    for p, data in ((plain, text.encode()), (wide, bom + text.encode(codec))):
        p.parent.mkdir()
        p.write_bytes(data)
    assert _observations(wide) == _observations(plain) != []


def test_a_nul_past_the_first_page_is_refused_with_its_line(tmp_path: Path) -> None:
    """Only the first 4,096 characters were looked at: a bulletin with a NUL further on was
    stored."""
    p = tmp_path / "2022-06-13.en.txt"
    p.write_text(BULLETIN.read_text() + "\n" * 3 + " " * 5000 + "\x00tanks - 9 (+1)\n")
    with pytest.raises(ParseError, match="NUL") as err:
        ingest.read_path(p)
    assert err.value.file == str(p) and err.value.line == BULLETIN.read_text().count("\n") + 4


def _digest(db: str) -> list[object]:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        return [conn.execute(f"SELECT COUNT(*), TOTAL(total) FROM {t}").fetchall()
                for t in ("observations", "ledger")]


@pytest.mark.parametrize("kind", ["dangling link", "link to /dev/zero", "fifo", "link loop"])
def test_a_data_file_in_a_folder_that_cannot_be_read_is_an_error(db: str, tmp_path: Path,
                                                                 kind: str) -> None:
    """Such entries were skipped: the rest was ingested with exit 0 and the file's data lost
    without a word (an unreadable subfolder was already an error)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "russian-losses.json").write_text(json.dumps(json.loads(ORC.read_text())[:2]))
    bad = folder / "z-more.json"
    if kind == "dangling link":
        bad.symlink_to(tmp_path / "gone.json")
    elif kind == "link to /dev/zero":
        bad.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(bad)
    else:
        bad.symlink_to(bad)
    before = _digest(db)
    with pytest.raises(SourceError, match=str(bad)):
        service.ingest_files(db, [folder])
    assert _digest(db) == before


def test_a_folder_without_data_files_is_an_error(db: str, tmp_path: Path) -> None:
    """`attrition ingest emptyfolder` printed nothing and exited 0 (a mistyped folder looked
    like a successful ingest)."""
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "notes.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(SourceError, match="no data files"):
        service.ingest_files(db, [tmp_path / "in"])


def test_a_day_given_twice_with_two_values_is_refused(tmp_path: Path) -> None:
    """The store kept whichever row came last, silently; the same row twice is harmless."""
    head, row = MINFIN.read_text().splitlines()[:2]
    p = tmp_path / "minfin.csv"
    p.write_text("\n".join([head, row, row]) + "\n")
    assert _observations(p)
    changed = row.split(",")
    changed[3] = str(int(changed[3]) + 1)  # tanks
    p.write_text("\n".join([head, row, ",".join(changed)]) + "\n")
    with pytest.raises(ParseError, match="given twice") as err:
        ingest.read_path(p)
    assert err.value.field == "tanks" and err.value.record == row[:10]


@pytest.mark.parametrize("value,ok", [("2026-08-22 junk", False), ("2026-08-22x", False),
                                      ("2026-08-22T09:00", True),
                                      ("2026-08-22T09:00:00+03:00", True)])
def test_a_date_with_anything_but_a_time_after_it_is_refused(tmp_path: Path, value: str,
                                                             ok: bool) -> None:
    rec = {**json.loads(ORC.read_text())[0], "date": value}
    p = tmp_path / "russian-losses.json"
    p.write_text(json.dumps([rec]))
    if ok:
        assert _observations(p)
    else:
        with pytest.raises(ParseError, match="malformed date"):
            ingest.read_path(p)


@pytest.mark.parametrize("ident", ['"../../x"', '"12/?a"', "true", '"٣"', "-5"])
def test_a_warspotting_id_is_a_number(tmp_path: Path, ident: str) -> None:
    """The id is also the record's page address (…/view/{id}/): "../../x" was stored."""
    p = tmp_path / "warspotting.json"
    rec = ('"type": "Tanks", "model": "T-72B3", "status": "Destroyed", "lost_by": "Russia", '
           '"date": "2024-11-13"')
    p.write_text('{"losses": [{"id": ' + ident + ", " + rec + "}]}")
    with pytest.raises(ParseError, match="id"):
        ingest.read_path(p)


def _cli(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from attrition.entry import main; main()",
                           "--db", db, *args],
                          capture_output=True, text=True, timeout=120)


def test_an_error_stays_one_line_whatever_the_file_is_named(db: str, tmp_path: Path) -> None:
    """A newline in a file's name split the error over two lines; a terminal escape in it
    reached the terminal."""
    p = tmp_path / "bad\nname\x1b[31m.json"
    p.write_text(json.dumps([{**json.loads(ORC.read_text())[0], "date": "9999-01-01"}]))
    res = _cli(db, "ingest", str(p))
    assert res.returncode == 1
    assert res.stderr.count("\n") == 1 and "\x1b" not in res.stderr
    assert res.stderr.startswith("attrition: error: ") and "bad\\nname\\x1b[31m.json" in res.stderr


def test_a_wrong_ingest_date_names_the_option(db: str, tmp_path: Path) -> None:
    p = tmp_path / "b.txt"
    p.write_text(BULLETIN.read_text())
    res = _cli(db, "ingest", str(p), "--date", "x" * 300)
    assert res.returncode == 1 and res.stderr.startswith("attrition: error: --date: not a date")
