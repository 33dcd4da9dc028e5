"""A cold `attrition check` reuses what earlier runs prepared (compiled regex programs, parsed
rule files, the ledger it read), and none of it can change a verdict: a warm run, a run with
every cache damaged, and a run with caching off give the same document, and a store changed
behind the cache's back is read again."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from attrition import regex_cache
from attrition.bootstrap import ensure_loaded

TEXT = ("Over the past day Russia lost 9 tanks and 1,690 soldiers, the General Staff said. "
        "Kyiv counts 716,070 Russian personnel lost since the invasion began.\n")


def _check(db: Path, cache: Path | str, text: str = TEXT) -> dict[str, object]:
    env = {**os.environ, "ATTRITION_DB": str(db), "ATTRITION_CACHE": str(cache)}
    got = subprocess.run([sys.executable, "-m", "attrition.cli", "check", "-", "--date",
                          "2024-11-14", "--format", "json"], input=text, env=env,
                         capture_output=True, text=True, check=True)
    doc: dict[str, object] = json.loads(got.stdout)
    return doc


def _verdicts(doc: dict[str, object]) -> list[tuple[int, str]]:
    claims = doc["claims"]
    assert isinstance(claims, list)
    return [(c["value"], c["verdict"]) for c in claims]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "ledger.db"
    ensure_loaded(f"sqlite:///{db}")
    return db


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x55
    path.write_bytes(bytes(data))


def test_warm_damaged_and_off_give_the_same_document(store: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    off = _check(store, "off")
    assert _verdicts(off) == [(9, "contradicted"), (1690, "supported"),
                              (716070, "supported")]
    assert _check(store, cache) == off  # the first run writes the caches
    written = sorted(p.name for p in cache.rglob("*") if p.is_file())
    assert "regex-programs.bin" in written
    assert any(n.startswith("ledger-") for n in written)
    assert "regex-programs-derived.json" in written  # the guards of rules.guarded
    # and the en, uk, ru rules and the crosswalk, parsed
    assert sum(n.endswith(".json") for n in written) == 5
    assert _check(store, cache) == off  # the second reads them
    for f in (p for p in cache.rglob("*") if p.is_file()):
        _damage(f)
    assert _check(store, cache) == off
    for f in (p for p in cache.rglob("*") if p.is_file()):
        f.write_bytes(f.read_bytes()[:40])  # truncated
    assert _check(store, cache) == off


def test_a_store_changed_behind_the_cache_is_read_again(store: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _verdicts(_check(store, cache))[0] == (9, "contradicted")
    # a write that no ingest records (the store's ingest version stays as it was)
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE ledger SET change = 9, total = total + 1 WHERE "
                     "report_date = '2024-11-14' AND category = 'tanks'")
    assert _verdicts(_check(store, cache))[0] == (9, "supported")
    assert _check(store, cache) == _check(store, "off")


def test_saved_programs_equal_what_re_compiles(tmp_path: Path) -> None:
    path = tmp_path / "programs.bin"
    code = ("import re, sys\n"
            "from pathlib import Path\n"
            "from attrition import regex_cache\n"
            "path = Path(sys.argv[1])\n"
            "n = regex_cache.load(path)\n"
            "import attrition.check\n"
            "regex_cache.save(path)\n"
            "for (pattern, flags) in regex_cache._loaded:\n"
            "    fresh = re._compiler.compile(pattern, flags)\n"
            "    assert re._cache[(str, pattern, flags)] == fresh, pattern\n"
            "print(n, len(regex_cache._loaded))\n")
    first = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                           text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True, check=True).stdout.split()
    assert first[0] == "0" and int(first[1]) > 50  # nothing to load; then every pattern
    assert int(second[0]) > 50  # loaded, and each equal to a fresh compile


@pytest.mark.parametrize("damage", ["flip", "truncate", "header", "tag", "empty"])
def test_a_damaged_program_file_loads_nothing(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "programs.bin"
    re.compile(r"\bexample (?:pattern|of) \d+\b", re.I)
    regex_cache._write(path, [e for e in (regex_cache._entry(r"\bexample (?:pattern|of) "
                                                             r"\d+\b", int(re.I)),)
                              if e is not None])
    assert regex_cache._read(path)
    data = path.read_bytes()
    if damage == "flip":
        data = data[:-3] + bytes([data[-3] ^ 1]) + data[-2:]
    elif damage == "truncate":
        data = data[:-10]
    elif damage == "header":
        data = b"x" + data[1:]
    elif damage == "tag":
        data = data.replace(regex_cache.build_tag().encode(), b"cpython-99 0 0")
    else:
        data = b""
    path.write_bytes(data)
    assert regex_cache._read(path) == []
    assert regex_cache.load(path) == 0


def test_saved_guards_equal_what_is_derived_afresh(tmp_path: Path) -> None:
    path = tmp_path / "programs.bin"
    code = ("import re, sys\n"
            "from pathlib import Path\n"
            "from attrition import regex_cache\n"
            "path = Path(sys.argv[1])\n"
            "regex_cache.load(path)\n"
            "known = dict(regex_cache._derived)\n"
            "asked = []\n"
            "plain_derived = regex_cache.derived\n"
            "def derived(kind, source, make):\n"
            "    asked.append((kind, source, plain_derived(kind, source, make)))\n"
            "    return asked[-1][2]\n"
            "regex_cache.derived = derived\n"
            "from attrition.check import claims, rules, speakers\n"
            "for k in ('date', *claims.MEASURES):\n"
            "    claims._cue_regex(k)\n"
            "claims._not_loss(); speakers._speaker_rules('en')\n"
            "regex_cache.save(path)\n"
            "for key, cls in known.items():\n"
            "    assert regex_cache._derived[key] == cls\n"
            "guarded = [v for k, v in vars(claims).items() if isinstance(v, re.Pattern)\n"
            "           and v.pattern.startswith('(?=[')]\n"
            "for rx in guarded + [claims._cue_regex('window')[0], claims._not_loss()[0]]:\n"
            "    p = rx.pattern\n"
            "    plain = re.compile(p[p.index('])(?:') + 5:-1], rx.flags)\n"
            "    assert p == f'(?=[{rules._guard_class(plain)}])(?:{plain.pattern})', p[:80]\n"
            "alternations = [(src, got) for kind, src, got in asked if kind.startswith('alt')]\n"
            "for src, got in alternations:\n"
            "    assert got == rules._trie_of(src.split(chr(0))), src[:80]\n"
            "assert len(alternations) >= 2\n"
            "print(len(known), len(guarded))\n")
    first = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                           text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True, check=True).stdout.split()
    assert first[0] == "0" and int(first[1]) >= 20  # nothing kept yet
    assert int(second[0]) >= 25  # kept, and each what the parse gives
    derived = path.with_name("programs-derived.json")
    _damage(derived)
    assert regex_cache._read_derived(derived) == {}
