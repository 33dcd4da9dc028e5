"""The checker's tables derived from its rule files (the label indexes of claims.py), kept in
the cache folder between runs of `attrition check`.

Building them from the rules and the word forms was ~7 ms of every cold check, and they are
the same every time until a rule file or the checker's code changes. `@table` marks a
function of no arguments whose value is such a table (made of what marshal writes: dicts,
lists, tuples, frozensets, strings, numbers): it is computed once per process as with
`functools.cache`, and in a process that has called `install` (the `check` command) read
from the file when the file holds it.

It can never serve a table other than the one the code would build: the file is valid only
for the very sources it was built from (the size and modification time of every module of
attrition.check, every file of its rules folder, and attrition/categories.py, as Python keys
its own bytecode on its sources) and for one Python build, and carries its length and a
checksum (`regex_cache.seal`); any other file is ignored (and rewritten). A value that marshal
cannot write exactly is simply not kept.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Callable
from functools import cache, update_wrapper
from pathlib import Path
from typing import Any, TypeVar

from attrition.regex_cache import seal, unsealed, write_atomic

HEADER = b"attrition-checker-tables 1\n"
HERE = Path(__file__).resolve().parent
T = TypeVar("T")

_kept: dict[str, Any] = {}
_new: dict[str, Any] = {}
_path: Path | None = None


def default_path() -> Path | None:
    """In the user's cache folder (`ATTRITION_CACHE`; None when caching is off)."""
    from attrition import cache as folder

    base = folder.folder()
    return None if base is None else base / "checker-tables.bin"


def sources_key() -> bytes:
    """What the tables are valid for: this Python build, and the size and modification
    time of every source they can be derived from."""
    import attrition.categories

    files = sorted([*HERE.glob("*.py"), *(HERE / "rules").glob("*"),
                    Path(str(attrition.categories.__file__))])
    stamps = []
    for f in files:
        try:
            st = f.stat()
            stamps.append((f.name, st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((f.name, -1, -1))
    return marshal.dumps((sys.implementation.cache_tag, sys.hexversion, stamps))


def install(path: Path | None) -> int:
    """Serve the tables from `path` from now on (and keep new ones for `save`); returns how
    many it holds for these sources."""
    global _path
    if path is None:
        return 0
    _path = path
    _kept.update(_read(path, sources_key()))
    return len(_kept)


def uninstall() -> None:
    global _path
    _path = None
    _kept.clear()
    _new.clear()


def table(make: Callable[[], T]) -> Callable[[], T]:
    """`functools.cache` of `make`, served from the file where one is installed."""
    name = f"{make.__module__}.{make.__qualname__}"

    def get() -> T:
        if _path is None:
            return make()
        if name in _kept:
            got: T = _kept[name]
            return got
        value = make()
        plain: Any = value  # (checked here: what marshal writes exactly)
        try:
            if marshal.loads(marshal.dumps(plain)) == value:
                _kept[name] = _new[name] = value
        except (ValueError, TypeError):
            pass  # not a value marshal writes: built in every process
        return value

    return cache(update_wrapper(get, make))


def save() -> int:
    """Write the tables if this process built new ones; returns how many new. Never raises:
    a cache that cannot be written is no error."""
    if _path is None or not _new:
        return 0
    try:
        payload = marshal.dumps(_kept)
        key = sources_key()
        write_atomic(_path, HEADER + len(key).to_bytes(4, "big") + key + seal(payload) + payload)
        count = len(_new)
        _new.clear()
        return count
    except Exception:
        return 0


def _read(path: Path, key: bytes) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    head = len(HEADER) + 4
    if data[:len(HEADER)] != HEADER:
        return {}
    size = int.from_bytes(data[len(HEADER):head], "big")
    if data[head:head + size] != key:
        return {}  # other sources, or another Python: stale
    got = unsealed(data, head + size)  # (None: damaged or truncated)
    if not isinstance(got, dict) or not all(isinstance(k, str) for k in got):
        return {}
    return got
