"""Hostile files against `attrition ingest`, as an attacker would throw them (not a test).

    python bench/hostile_ingest.py [--only SUBSTRING] [--keep DIR] [-v]

Builds one store with the bundled snapshot, then for each hostile input (a file, a folder,
a device, a symlink...) runs `attrition --db COPY ingest INPUT` in a subprocess on a copy of
that store and checks what a user is promised:

- a refused input: exit status non-zero, stderr exactly one line `attrition: error: ...`
  naming the input (file, and line or field where there is one), no traceback, and the
  store's content equal to before (every table, row by row);
- an accepted input (valid data in an odd encoding, say): exit 0;
- every run within 20 s of wall time and 400 MB of RSS.

Prints one line per failing case and a tally; exit status 1 if any case failed.
"""

from __future__ import annotations

import argparse
import codecs
import hashlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent / "attrition"

ACCEPT, REJECT, EITHER = "accept", "reject", "either"


@dataclass
class Case:
    name: str
    expect: str
    make: Callable[[Path], Path]  # builds the input under a folder, returns what to ingest
    args: tuple[str, ...] = ()
    names: str | None = None  # what the error must name (default: the input's file name)


def store_digest(db: Path) -> str:
    """Every table's rows, sorted, hashed: equal digests mean equal content."""
    h = hashlib.sha256()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            h.update(t.encode())
            for row in sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))):
                h.update(row.encode())
    return h.hexdigest()


# -- inputs ---------------------------------------------------------------------------------

PI = DATA / "official" / "2022-Ukraine-Russia-War-Dataset"
EQUIP = PI / "russia_losses_equipment.json"
PERSONNEL = PI / "russia_losses_personnel.json"
CORR = PI / "russia_losses_equipment_correction.json"
ORC = DATA / "official" / "orc-losses" / "russian-losses.json"
MINFIN = DATA / "official" / "russian-Losses-in-Ukraine" / "russia_losses.csv"
DAILY = DATA / "confirmed" / "oryx_data" / "daily_count.csv"
EVENTS = DATA / "confirmed" / "oryx_data" / "event_destroyed.csv"
BULLETIN = DATA / "bulletins" / "2022-06-13.en.txt"
BULLETIN_UK = DATA / "bulletins" / "2022-07-08.uk.txt"

REAL = {"equip.json": EQUIP, "personnel.json": PERSONNEL, "correction.json": CORR,
        "orc.json": ORC, "minfin.csv": MINFIN, "daily_count.csv": DAILY,
        "events.csv": EVENTS, "2022-06-13.en.txt": BULLETIN, "2022-07-08.uk.txt": BULLETIN_UK}

WS = json.dumps({"losses": [
    {"id": 27101, "type": "Tanks", "model": "T-72B3", "status": "Destroyed",
     "lost_by": "Russia", "date": "2024-11-13", "nearest_location": "Kurakhove",
     "geo": None, "unit": None, "tags": ["FPV drone"]}]})
WARSHIP = json.dumps({"message": "ok", "data": {
    "date": "2024-11-14", "day": 995, "resource": "https://mod.gov.ua/x",
    "stats": {"personnel_units": 716070, "tanks": 9319},
    "increase": {"personnel_units": 1690, "tanks": 19}}})


def _write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(d: Path) -> Path:
        p = d / name
        p.write_bytes(data.encode() if isinstance(data, str) else data)
        return p
    return make


def _head_json(path: Path, n: int) -> list[dict[str, object]]:
    doc = json.loads(path.read_text())
    return list(doc[:n])


def _enc(text: str, codec: str, bom: bool) -> bytes:
    boms = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
            "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE,
            "utf-8": codecs.BOM_UTF8}
    return (boms.get(codec, b"") if bom else b"") + text.encode(codec)


def cases() -> Iterator[Case]:
    # truncated real files, at a few points
    for name, src in REAL.items():
        raw = src.read_bytes()[:200_000]
        for frac in (0.0, 0.013, 0.37, 0.5001):
            cut = max(1, int(len(raw) * frac)) if frac else 0
            yield Case(f"truncated {name} at {cut}", EITHER, _write(name, raw[:cut] if cut
                       else b""))
        # a UTF-8 sequence cut in half at the end
        yield Case(f"half a UTF-8 char {name}", EITHER, _write(name, raw[:1000] + b"\xd0"))

    # encodings of small real files: valid text in another Unicode form is accepted
    small = {"equip.json": json.dumps(_head_json(EQUIP, 5)),
             "orc.json": json.dumps(_head_json(ORC, 5), ensure_ascii=False),
             "minfin.csv": "".join(MINFIN.read_text().splitlines(keepends=True)[:6]),
             "2022-06-13.en.txt": BULLETIN.read_text(),
             "2022-07-08.uk.txt": BULLETIN_UK.read_text(),
             "daily_count.csv": "".join(DAILY.read_text().splitlines(keepends=True)[:6]),
             "warspotting.json": WS, "warship.json": WARSHIP}
    for name, text in small.items():
        for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8"):
            yield Case(f"{name} {codec} with BOM", ACCEPT, _write(name, _enc(text, codec, True)))
            if codec != "utf-8":
                yield Case(f"{name} {codec} no BOM", EITHER,
                           _write(name, _enc(text, codec, False)))
        yield Case(f"{name} latin-1", EITHER, _write(name, text.encode("latin-1", "replace")))
        yield Case(f"{name} cp1251", EITHER, _write(name, text.encode("cp1251", "replace")))
        yield Case(f"{name} CR line ends", ACCEPT, _write(name, text.replace("\n", "\r")))
        yield Case(f"{name} mixed line ends", ACCEPT, _write(name, "".join(
            line + ("\r\n", "\r", "\n")[i % 3]
            for i, line in enumerate(text.splitlines()))))
        yield Case(f"{name} NUL at start", REJECT, _write(name, "\x00" + text))
        yield Case(f"{name} NUL in the middle", REJECT,
                   _write(name, text[: len(text) // 2] + "\x00" + text[len(text) // 2:]))
        yield Case(f"{name} NUL after 5000 chars", REJECT,
                   _write(name, text + " " * 5000 + "\x00"))
        yield Case(f"{name} lone surrogate bytes", REJECT,
                   _write(name, text.encode() + b"\xed\xa0\x80"))
        yield Case(f"{name} 8 MB of spaces after", EITHER, _write(name, text + " " * 8_000_000))
        yield Case(f"{name} 11 MB", REJECT, _write(name, text + " " * 11_000_000))

    # JSON numbers, nesting, keys, dates
    rec = _head_json(EQUIP, 1)[0]
    for label, value in [("huge int", "9" * 5000), ("2**63", str(2**63)), ("negative", "-5"),
                         ("float", "1.5"), ("1e400", "1e400"), ("NaN", "NaN"),
                         ("bool", "true"), ("big float", "1" + "0" * 400 + ".0"),
                         ("string digits", '"١٢٣"'), ("superscript", '"²"'),
                         ("full-width", '"９"'), ("11M", "11000000")]:
        body = json.dumps([rec]).replace(f'"tank": {rec["tank"]}', f'"tank": {value}')
        yield Case(f"equipment tank = {label}", REJECT, _write("equip.json", body))
    for depth in (50, 1000, 100_000, 1_000_000):
        yield Case(f"equipment nested {depth}", REJECT,
                   _write("equip.json", "[" * depth + "]" * depth))
        yield Case(f"equipment nested objects {depth}", REJECT,
                   _write("equip.json", '{"a":' * depth + "1" + "}" * depth))
    yield Case("equipment dup key", REJECT,
               _write("equip.json", json.dumps([rec]).replace('"tank"', '"tank": 1, "tank"')))
    yield Case("equipment unknown key", REJECT,
               _write("equip.json", json.dumps([{**rec, "tankz": 5}])))
    for label, day in [("0001", "0001-01-01"), ("9999", "9999-12-31"), ("2099", "2099-01-01"),
                       ("pre-war", "2021-02-24"), ("feb30", "2024-02-30"),
                       ("no dashes", "20240214"), ("with time", "2024-02-14T10:00"),
                       ("arabic digits", "٢٠٢٤-٠٢-١٤"), ("full width", "２０２４-０２-１４"),
                       ("trailing junk", "2024-02-14 junk"), ("int", 20240214),
                       ("null", None), ("list", [2024])]:
        yield Case(f"equipment date {label}", EITHER if label == "with time" else REJECT,
                   _write("equip.json", json.dumps([{**rec, "date": day}])))
        yield Case(f"orc date {label}", EITHER if label == "with time" else REJECT,
                   _write("orc.json", json.dumps([{**_head_json(ORC, 1)[0], "date": day}])))
    yield Case("orc javascript uri", REJECT, _write("orc.json", json.dumps(
        [{**_head_json(ORC, 1)[0], "sourceUri": "javascript:alert(1)"}])))
    yield Case("orc uri with newline", REJECT, _write("orc.json", json.dumps(
        [{**_head_json(ORC, 1)[0], "sourceUri": "https://mod.gov.ua/x\nInjected: 1"}])))
    yield Case("orc uri 100k", REJECT, _write("orc.json", json.dumps(
        [{**_head_json(ORC, 1)[0], "sourceUri": "https://mod.gov.ua/" + "a" * 100_000}])))
    yield Case("warship javascript resource", REJECT,
               _write("warship.json", WARSHIP.replace("https://mod.gov.ua/x",
                                                      "JavaScript:alert(1)")))
    yield Case("warship data not object", REJECT,
               _write("warship.json", '{"message": "ok", "data": [1, 2]}'))
    yield Case("warship stats not object", REJECT,
               _write("warship.json", WARSHIP.replace('"stats": {', '"stats": [1], "x": {')))
    yield Case("warspotting dup id", REJECT, _write("ws.json", json.dumps({"losses": [
        json.loads(WS)["losses"][0]] * 2})))
    yield Case("warspotting id huge", REJECT, _write("ws.json", WS.replace("27101", "9" * 30)))
    yield Case("warspotting id string", REJECT, _write("ws.json", WS.replace("27101",
                                                                            '"../x"')))
    yield Case("warspotting losses not list", REJECT,
               _write("ws.json", '{"losses": {"lost_by": 1}}'))
    yield Case("warspotting 9999", REJECT, _write("ws.json", WS.replace("2024-11-13",
                                                                       "9999-11-13")))
    yield Case("corrections huge", REJECT, _write("correction.json", json.dumps(
        [{**_head_json(CORR, 1)[0], "personnel": 10**18}])))
    yield Case("corrections 9999", REJECT, _write("correction.json", json.dumps(
        [{**_head_json(CORR, 1)[0], "date": "9999-01-01"}])))
    yield Case("personnel star weird", EITHER, _write("personnel.json", json.dumps(
        [{**_head_json(PERSONNEL, 1)[0], "personnel*": "\u202eabout"}])))
    yield Case("json top-level string", REJECT, _write("equip.json", '"tank"'))
    yield Case("json top-level number", REJECT, _write("x.json", "12"))
    yield Case("json empty array", EITHER, _write("equip.json", "[]"))
    yield Case("json array of nulls", REJECT, _write("equip.json", "[null, null]"))
    yield Case("json 300k identical records", EITHER, _write("equip.json", "[" + ",".join(
        ['{"date":"2024-11-14","tank":1}'] * 300_000) + "]"))

    # CSV
    mhead = MINFIN.read_text().splitlines()[:3]
    yield Case("minfin dup header", REJECT, _write("minfin.csv", "\n".join(
        [mhead[0] + ",tanks", *(r + ",1" for r in mhead[1:])])))
    yield Case("minfin unknown header", REJECT, _write("minfin.csv", "\n".join(
        [mhead[0] + ",bananas", *(r + ",1" for r in mhead[1:])])))
    yield Case("minfin short row", REJECT, _write("minfin.csv", "\n".join(
        [*mhead, "2022-03-01,6"])))
    yield Case("minfin long row", REJECT, _write("minfin.csv", "\n".join(
        [*mhead, mhead[2] + ",5,6,7"])))
    yield Case("minfin 200k field", REJECT, _write("minfin.csv", "\n".join(
        [*mhead, mhead[2].replace(",", ',"' + "1" * 200_000 + '",', 1)])))
    yield Case("minfin unterminated quote", REJECT, _write("minfin.csv", "\n".join(
        [*mhead, '2022-03-01,"6'])))
    yield Case("minfin quote in header", REJECT, _write("minfin.csv", "\n".join(
        ['"date,day"', *mhead[1:]])))
    yield Case("minfin only header", EITHER, _write("minfin.csv", mhead[0] + "\n"))
    yield Case("minfin no date column", REJECT, _write("minfin.csv", "tanks\n5\n"))
    yield Case("minfin 9999", REJECT, _write("minfin.csv", "\n".join(
        [mhead[0], "9999" + mhead[2][4:]])))
    yield Case("minfin dup date", EITHER, _write("minfin.csv", "\n".join(
        [mhead[0], mhead[2], mhead[2]])))
    yield Case("minfin dup date differing", REJECT, _write("minfin.csv", "\n".join(
        [mhead[0], mhead[2], mhead[2].replace(",2800,", ",2801,")])))
    yield Case("minfin superscript", REJECT, _write("minfin.csv", "\n".join(
        [mhead[0], mhead[2].replace(",2800,", ",28²0,")])))
    yield Case("minfin 100k rows one date", REJECT, _write("minfin.csv", "\n".join(
        [mhead[0], *[mhead[2]] * 100_000, mhead[2].replace(",2800,", ",2801,")])))
    dhead = DAILY.read_text().splitlines()[:3]
    yield Case("daily_count 9999", REJECT, _write("daily_count.csv", "\n".join(
        [dhead[0], dhead[2].replace("2022-03-19", "9999-03-19")])))
    yield Case("daily_count huge", REJECT, _write("daily_count.csv", "\n".join(
        [dhead[0], dhead[2].replace(",13,", "," + "1" * 40 + ",", 1)])))
    yield Case("daily_count dup header", REJECT, _write("daily_count.csv", "\n".join(
        [dhead[0] + ",destroyed", *(r + ",1" for r in dhead[1:])])))
    ehead = EVENTS.read_text().splitlines()[:3]
    yield Case("events javascript url", EITHER, _write("events.csv", "\n".join(
        [ehead[0], ehead[1].replace("https://i.postimg.cc/nrJ7kC7g/51.png",
                                    "javascript:alert(1)")])))
    yield Case("events dup matID", EITHER, _write("events.csv", "\n".join(
        [ehead[0], ehead[1], ehead[1]])))

    # bulletins
    btext = BULLETIN.read_text()
    yield Case("bulletin 1e18 personnel", REJECT, _write("2022-06-13.en.txt", btext.replace(
        "about 32300", "about 1000000000000000000", 1)))
    yield Case("bulletin date 9999", REJECT, _write("2099-06-13.en.txt", btext.replace(
        "2022", "2099")))
    yield Case("bulletin no figures", REJECT, _write("2022-06-13.en.txt", "hello\n" * 10))
    yield Case("bulletin 9 MB of lines", EITHER, _write("2022-06-13.en.txt",
                                                       btext + "tanks ‒ 9 (+1),\n" * 550_000))
    yield Case("bulletin 9 MB one line", EITHER, _write("2022-06-13.en.txt",
                                                       btext + "(+1)" * 2_300_000))
    yield Case("bulletin 9 MB digits", EITHER, _write("2022-06-13.en.txt", btext + "1" * 9_000_000))
    yield Case("bulletin RTL + ZWJ", EITHER, _write("2022-06-13.en.txt", btext.replace(
        "tanks", "t\u200dan\u202eks")))
    yield Case("bulletin arabic-indic digits", EITHER, _write("2022-06-13.en.txt",
               btext.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))))
    yield Case("bulletin full-width digits", EITHER, _write("2022-06-13.en.txt",
               btext.translate(str.maketrans("0123456789", "０１２３４５６７８９"))))
    yield Case("bulletin combining digits", EITHER, _write("2022-06-13.en.txt",
               btext.replace("0", "0\u0301")))
    yield Case("md bulletin", EITHER, _write("2022-06-13.md", btext))
    yield Case("unknown suffix", EITHER, _write("2022-06-13.exe", btext))
    yield Case("binary png", REJECT, _write("x.json", b"\x89PNG\r\n\x1a\n" + os.urandom(2000)))
    yield Case("random bytes .txt", REJECT, _write("2022-06-13.en.txt", os.urandom(5000)))
    yield Case("gzip .json", REJECT, _write("equip.json", __import__("gzip").compress(
        EQUIP.read_bytes()[:5000])))

    # --format forced wrong
    yield Case("orc as minfin", REJECT, _write("orc.json", json.dumps(_head_json(ORC, 2))),
               args=("--format", "minfin"))
    yield Case("minfin as orc", REJECT, _write("minfin.csv", MINFIN.read_text()[:3000]),
               args=("--format", "orc-losses"))
    yield Case("bulletin as warspotting", REJECT, _write("b.txt", btext),
               args=("--format", "warspotting"))
    yield Case("equip as oryx-events", REJECT, _write("equip.json",
                                                     json.dumps(_head_json(EQUIP, 2))),
               args=("--format", "oryx-events"))
    yield Case("unknown format", REJECT, _write("equip.json", json.dumps(_head_json(EQUIP, 2))),
               args=("--format", "nope"), names="nope")
    yield Case("--date 9999", REJECT, _write("b.txt", btext.replace("13.06.2022", "")),
               args=("--date", "9999-01-01"), names="9999")
    yield Case("--date garbage", REJECT, _write("b.txt", btext), args=("--date", "x" * 500),
               names="--date")

    # file system
    def special(kind: str) -> Callable[[Path], Path]:
        def make(d: Path) -> Path:
            if kind == "fifo":
                p = d / "x.json"
                os.mkfifo(p)
                return p
            if kind == "fifo in folder":
                (d / "f").mkdir()
                (d / "f" / "equip.json").write_text(json.dumps(_head_json(EQUIP, 2)))
                os.mkfifo(d / "f" / "z.json")
                return d / "f"
            if kind == "devzero":
                return Path("/dev/zero")
            if kind == "symlink devzero":
                (d / "x.json").symlink_to("/dev/zero")
                return d / "x.json"
            if kind == "symlink devzero in folder":
                (d / "f").mkdir()
                (d / "f" / "z.json").symlink_to("/dev/zero")
                return d / "f"
            if kind == "dangling symlink":
                (d / "x.json").symlink_to(d / "nowhere.json")
                return d / "x.json"
            if kind == "dangling symlink in folder":
                (d / "f").mkdir()
                (d / "f" / "equip.json").write_text(json.dumps(_head_json(EQUIP, 2)))
                (d / "f" / "z.json").symlink_to(d / "nowhere.json")
                return d / "f"
            if kind == "symlink loop":
                (d / "x.json").symlink_to(d / "x.json")
                return d / "x.json"
            if kind == "symlink loop in folder":
                (d / "f").mkdir()
                (d / "f" / "equip.json").write_text(json.dumps(_head_json(EQUIP, 2)))
                (d / "f" / "z.json").symlink_to(d / "f" / "z.json")
                return d / "f"
            if kind == "dir loop":
                (d / "f" / "g").mkdir(parents=True)
                (d / "f" / "g" / "up").symlink_to(d / "f")
                (d / "f" / "equip.json").write_text(json.dumps(_head_json(EQUIP, 2)))
                return d / "f"
            if kind == "folder named .json":
                (d / "f" / "x.json").mkdir(parents=True)
                return d / "f" / "x.json"
            if kind == "proc mem":  # a regular file whose read fails (EIO)
                (d / "f").mkdir()
                (d / "f" / "equip.json").write_text(json.dumps(_head_json(EQUIP, 2)))
                (d / "f" / "z.json").symlink_to("/proc/self/mem")
                return d / "f"
            if kind == "proc file":  # st_size 0, content anyway
                (d / "x.txt").symlink_to("/proc/self/status")
                return d / "x.txt"
            if kind == "empty folder":
                (d / "f").mkdir()
                return d / "f"
            if kind == "folder of non-data":
                (d / "f").mkdir()
                (d / "f" / "notes.pdf").write_bytes(b"%PDF")
                return d / "f"
            if kind == "socket":
                import socket
                s = socket.socket(socket.AF_UNIX)
                s.bind(str(d / "s.json"))
                return d / "s.json"
            if kind == "name with newline":
                p = d / "eq\nuip.json"
                p.write_text(json.dumps([{**rec, "date": "9999-01-01"}]))
                return p
            if kind == "name with escape":
                p = d / "eq\x1b[31muip.json"
                p.write_text(json.dumps([{**rec, "date": "9999-01-01"}]))
                return p
            if kind == "non-utf8 name":
                p = Path(os.fsdecode(bytes(d) + b"/eq\xffuip.json"))
                p.write_text(json.dumps([{**rec, "date": "9999-01-01"}]))
                return p
            if kind == "good then bad in folder":
                (d / "f").mkdir()
                (d / "f" / "a.json").write_text(json.dumps(_head_json(EQUIP, 3)))
                (d / "f" / "b.json").write_text(json.dumps([{**rec, "date": "9999-01-01"}]))
                return d / "f"
            raise AssertionError(kind)
        return make

    for kind in ("fifo", "fifo in folder", "devzero", "symlink devzero",
                 "symlink devzero in folder", "dangling symlink", "dangling symlink in folder",
                 "symlink loop", "symlink loop in folder", "dir loop", "folder named .json",
                 "proc mem", "proc file", "empty folder", "folder of non-data", "socket",
                 "name with newline", "name with escape", "non-utf8 name",
                 "good then bad in folder"):
        expect = {"dir loop": EITHER, "empty folder": EITHER, "folder of non-data": EITHER,
                  "proc file": EITHER, "fifo in folder": EITHER}.get(kind, REJECT)
        yield Case(f"fs: {kind}", expect, special(kind),
                   names="" if kind in ("non-utf8 name", "name with newline",
                                        "name with escape") else None)


# -- running --------------------------------------------------------------------------------


@dataclass
class Outcome:
    case: Case
    rc: int
    out: str
    err: str
    seconds: float
    rss_mb: float
    problems: list[str]


def run(case: Case, base: Path, digest: str, work: Path) -> Outcome:
    d = Path(tempfile.mkdtemp(dir=work))
    db = d / "store.db"
    shutil.copy(base, db)
    target = case.make(d)
    cmd = [str(BIN), "--db", str(db), "ingest", str(target), *case.args]
    t0 = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        rc, out, err = p.returncode, p.stdout.decode(errors="replace"), \
            p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        rc, out, err = -999, "", "TIMEOUT"
    seconds = time.monotonic() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    problems: list[str] = []
    if rc == -999:
        problems.append("hung (60 s)")
    if "Traceback" in err:
        problems.append("traceback: " + err.strip().splitlines()[-1][:160])
    if seconds > 20:
        problems.append(f"slow: {seconds:.1f} s")
    if rss > 400 and rss > before / 1024:
        problems.append(f"memory: {rss:.0f} MB")
    if case.expect == ACCEPT and rc != 0:
        problems.append(f"refused valid input: {err.strip()[:200]}")
    if case.expect == REJECT and rc == 0:
        problems.append(f"accepted: {out.strip()[:200]}")
    if rc not in (0, -999):
        lines = [x for x in err.splitlines() if x.strip()]
        if len(lines) != 1:
            problems.append(f"{len(lines)} lines on stderr: {err.strip()[:300]!r}")
        elif not lines[0].startswith("attrition: error: "):
            problems.append(f"not an error line: {lines[0][:200]!r}")
        want = case.names if case.names is not None else target.name
        if want and want not in err:
            problems.append(f"does not name {want!r}: {err.strip()[:200]!r}")
        if store_digest(db) != digest:
            problems.append("store changed by a refused input")
    shutil.rmtree(d, ignore_errors=True)
    return Outcome(case, rc, out, err, seconds, rss, problems)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    base = work / "base.db"
    subprocess.run([str(BIN), "--db", str(base), "sources"], check=True, capture_output=True)
    digest = store_digest(base)
    chosen = [c for c in cases() if args.only in c.name]
    failed = 0
    t0 = time.monotonic()
    for case in chosen:
        o = run(case, base, digest, work)
        if o.problems:
            failed += 1
            print(f"FAIL {case.name} (rc {o.rc}, {o.seconds:.1f} s): " + "; ".join(o.problems),
                  flush=True)
        elif args.verbose:
            print(f"ok   {case.name} (rc {o.rc}, {o.seconds:.1f} s): "
                  f"{(o.err or o.out).strip()[:150]!r}", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    print(f"{len(chosen)} hostile inputs, {failed} failed, {time.monotonic() - t0:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
