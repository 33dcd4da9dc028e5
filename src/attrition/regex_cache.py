"""Compiled regular expressions, kept on disk between runs of `attrition check`.

The checker's rules compile to ~140 regular expressions (tries of hundreds of word forms).
Python compiles a pattern in pure Python (parse, then code generation), which was a third of a
cold `attrition check`; the compiled program itself is a list of integers. `save` keeps, for
every pattern the process compiled, the program `re` made for it; `load`, in a later process,
hands those programs to the regex engine and puts the patterns in `re`'s own cache, where the
checker's `re.compile` calls find them. (A module of its own, outside `attrition.check`, since
it must run before that package is imported.)

It can never change what a pattern matches:
- an entry is looked up by the exact pattern text and flags (a changed rule is a new text, so
  simply a miss, compiled as usual);
- the file is for one Python build (its version and the regex engine's magic number), and
  carries its length and a checksum of its contents (`seal`): a file that is damaged,
  truncated, for another Python, or unreadable is ignored (and rewritten);
- before an entry is written, the program rebuilt from it is compared with the one `re`
  compiled (`re.Pattern` equality compares pattern, flags and program).

It relies on two internals of CPython's `re` (`re._cache`, the compiler's `_code`); where they
are not as expected, it does nothing and every pattern compiles as usual.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # as in cache.py: hashlib's import starts OpenSSL
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

try:  # (zlib's crc32 is ~10x faster than BLAKE2's reference code that CPython builds)
    from zlib import crc32
except ImportError:  # pragma: no cover
    from binascii import crc32

import _sre  # type: ignore[import-not-found]  # the regex engine (no stubs)

HEADER = b"attrition-regex-programs 2\n"
MAX_ENTRIES = 400
"""Fewer than `re`'s own cache holds (512), so that preloading never evicts the patterns
preloaded."""

_CODE = "I"
"""The engine's code words are 32-bit (`_sre.CODESIZE`); the file holds them as raw bytes."""
_Key = tuple[type, str, int]
_Entry = tuple[str, int, int, list[int] | bytes, int, dict[str, int], tuple[str | None, ...]]
"""(pattern, flags as given, flags of the compiled pattern, program, groups - 1,
groupindex, indexgroup): what `_sre.compile` takes."""

_loaded: dict[tuple[str, int], _Entry] = {}


def default_path() -> Path | None:
    """In the user's cache folder (`ATTRITION_CACHE`; None when caching is off)."""
    from attrition import cache

    folder = cache.folder()
    return None if folder is None else folder / "regex-programs.bin"


def build_tag() -> str:
    """The Python build a program is valid for."""
    return f"{sys.implementation.cache_tag} {sys.hexversion:x} {_sre.MAGIC}"


def supported() -> bool:
    compiler = getattr(re, "_compiler", None)
    return (sys.implementation.name == "cpython"
            and array(_CODE).itemsize == _sre.CODESIZE
            and isinstance(getattr(re, "_cache", None), dict)
            and isinstance(getattr(re, "_MAXCACHE", None), int)
            and compiler is not None and hasattr(compiler, "_code")
            and hasattr(getattr(re, "_parser", None), "parse"))


def load(path: Path) -> int:
    """Put the saved programs into `re`'s cache; returns how many (0 when the file is
    missing, damaged or for another Python)."""
    if not supported():
        return 0
    _derived.update(_read_derived(_derived_path(path)))
    entries = _read(path)
    if not entries:
        return 0
    cache: dict[_Key, re.Pattern[str]] = re._cache  # type: ignore[attr-defined]
    room = max(0, re._MAXCACHE - len(cache) - 16)  # type: ignore[attr-defined]
    pending: dict[_Key, _Entry] = {}
    for e in entries[:min(room, MAX_ENTRIES)]:
        key = (str, e[0], e[1])
        if key not in cache:  # (else compiled before the load: the standard library's own)
            pending[key] = e
        _loaded[(e[0], e[1])] = e
    if pending:
        re._cache = _Preloaded(cache, pending)  # type: ignore[attr-defined]
    return len(pending)


class _Preloaded(dict[_Key, "re.Pattern[str]"]):
    """`re`'s cache, with the saved programs it has not been asked for yet: each is handed
    to the regex engine the first time `re` looks its pattern up (a process uses only part
    of them: a check of an English article never asks for most Ukrainian ones)."""

    def __init__(self, cache: dict[_Key, re.Pattern[str]], pending: dict[_Key, _Entry]
                 ) -> None:
        super().__init__(cache)
        self.pending = pending

    def __missing__(self, key: _Key) -> re.Pattern[str]:
        e = self.pending.pop(key, None)
        if e is None:
            raise KeyError(key)
        got = _rebuild(e)
        if got is None:  # not a program this engine accepts: `re` compiles it as usual
            raise KeyError(key)
        self[key] = got
        return got


def save(path: Path) -> int:
    """Write the programs of the patterns this process compiled (those loaded, and any
    new ones), if there are new ones; returns how many new. Never raises: a cache that
    cannot be written is no error."""
    if not supported():
        return 0
    if _derived_new:
        _write_derived(_derived_path(path))
    try:
        cache: dict[_Key, Any] = re._cache  # type: ignore[attr-defined]
        fresh: list[_Entry] = []
        for key, compiled in list(cache.items()):
            kind, pattern, given = key
            if kind is not str or (pattern, given) in _loaded:
                continue
            entry = _entry(pattern, given)
            if entry is None or _rebuild(entry) != compiled:
                continue
            fresh.append(entry)
        if not fresh:
            return 0
        keep = fresh + [e for k, e in _loaded.items() if (str, *k) in cache]
        keep += [e for k, e in _loaded.items() if (str, *k) not in cache]
        _write(path, keep[:MAX_ENTRIES])
        for e in fresh:
            _loaded[(e[0], e[1])] = e
        return len(fresh)
    except Exception:
        return 0


SEAL = 12


def seal(payload: bytes) -> bytes:
    """What a cache file keeps before its payload to tell a damaged or truncated copy: the
    payload's length and CRC-32 (a checksum, not a key: the files name what they hold by
    other means). Hashing the ~2 MB of programs with BLAKE2 was ~5% of a cold check."""
    return len(payload).to_bytes(8, "big") + crc32(payload).to_bytes(4, "big")


def _entry(pattern: str, given: int) -> _Entry | None:
    """What `re`'s compiler makes of a pattern, as data (its `compile` does the same and
    then calls `_sre.compile`)."""
    try:
        parsed = re._parser.parse(pattern, given)  # type: ignore[attr-defined]
        code = re._compiler._code(parsed, given)  # type: ignore[attr-defined]
    except Exception:
        return None
    state = parsed.state
    groupindex = dict(state.groupdict)
    indexgroup: list[str | None] = [None] * state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    # int(): the opcodes are int subclasses, which marshal does not write
    return (pattern, int(given), int(given | state.flags), [int(c) for c in code],
            int(state.groups - 1), {str(k): int(v) for k, v in groupindex.items()},
            tuple(indexgroup))


def _rebuild(e: _Entry) -> re.Pattern[str] | None:
    code = e[3] if isinstance(e[3], list) else array(_CODE, e[3]).tolist()
    try:
        got: re.Pattern[str] = _sre.compile(e[0], e[2], code, e[4], e[5], e[6])
        return got
    except Exception:
        return None


def _read(path: Path) -> list[_Entry]:
    try:
        data = path.read_bytes()
    except OSError:
        return []
    tag = build_tag().encode() + b"\n"
    head = len(HEADER) + len(tag)
    if data[:len(HEADER)] != HEADER or data[len(HEADER):head] != tag:
        return []
    stored = unsealed(data, head)
    if not isinstance(stored, list) or not all(_well_formed(e) for e in stored):
        return []
    return stored  # the programs as raw code words (_rebuild reads them when asked)


def unsealed(data: bytes, at: int) -> Any:
    """What the sealed payload from `at` on holds (`seal` then marshal's bytes), or None
    when it is damaged, truncated or not marshal's (every cache file of marshal data)."""
    digest, payload = data[at:at + SEAL], data[at + SEAL:]
    if seal(payload) != digest:
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def _well_formed(e: Any) -> bool:
    return (isinstance(e, tuple) and len(e) == 7 and isinstance(e[0], str)
            and all(isinstance(e[i], int) for i in (1, 2, 4)) and isinstance(e[3], bytes)
            and isinstance(e[5], dict) and isinstance(e[6], tuple))


def _write(path: Path, entries: list[_Entry]) -> None:
    payload = marshal.dumps([(*e[:3], array(_CODE, e[3]).tobytes(), *e[4:])
                             for e in entries])
    write_atomic(path, HEADER + build_tag().encode() + b"\n" + seal(payload) + payload)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (a temporary file renamed over it), for every
    cache of compiled or derived data (this module's, check/kept.py's, code_cache.py's)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # a reader never sees half a file
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# Strings derived from a pattern's text in pure Python (rules.guarded parses a pattern to
# list the characters its matches start with: ~50 ms for the checker's big tries), kept
# beside the programs, keyed by a digest of what they are derived from (the kind, which
# names the deriving code's version, this Python build, the pattern), so a changed pattern
# or Python is simply a miss. The file carries a digest of its contents: a damaged one is
# ignored and rewritten.

_derived: dict[str, str] = {}
_derived_new = False


def derived(kind: str, source: str, make: Callable[[], str]) -> str:
    """`make()`, the string `kind` derives from `source`, computed once per build of
    Python while the cache folder keeps it (`save` writes the new ones)."""
    global _derived_new
    key = blake2b(f"{kind}\0{build_tag()}\0{source}".encode(), digest_size=16).hexdigest()
    got = _derived.get(key)
    if got is None:
        got = _derived[key] = make()
        _derived_new = True
    return got


def _derived_path(path: Path) -> Path:
    return path.with_name(path.stem + "-derived.json")


def _read_derived(path: Path) -> dict[str, str]:
    import json

    try:
        head, _, body = path.read_bytes().partition(b"\n")
        if head != blake2b(body, digest_size=16).hexdigest().encode():
            return {}
        doc = json.loads(body)
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                            for k, v in doc.items()):
        return {}
    return doc


def _write_derived(path: Path) -> None:
    import json

    global _derived_new
    try:
        body = json.dumps(_derived, ensure_ascii=False, sort_keys=True).encode()
        write_atomic(path, blake2b(body, digest_size=16).hexdigest().encode() + b"\n" + body)
        _derived_new = False
    except (OSError, ValueError):
        return  # a cache that cannot be written is no error
