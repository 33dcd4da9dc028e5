"""The compiled code of the methods `dataclasses` writes, kept on disk between runs.

`@dataclass` writes each class's `__init__`, `__repr__`, `__eq__` (and, frozen, `__setattr__`,
`__delattr__`, `__hash__`) as Python source and compiles it with `exec`: ~0.1 s of CPU time
for the 24 dataclasses a cold `attrition check` imports, an eighth of it. `install` hands
`dataclasses` an `exec` that compiles each such text once per Python build and keeps the code
object (marshal, as in a .pyc); `save` writes the new ones to the cache folder. (A module of its
own, outside `attrition.check`, since it must run before the modules it serves are imported.)

It can never change what a class does:
- an entry is looked up by the exact source text (another field, default or flag is another
  text: simply a miss, compiled as usual), and executed in the globals and locals
  `dataclasses` passes, as `exec` of the text does;
- the text is compiled as `exec` of a string in `dataclasses` compiles it: as "<string>",
  with the compiler flags of that module (none; `install` does nothing where it has any);
- the file is for one Python build (its version and bytecode magic number), and carries its
  length and a checksum (`regex_cache.seal`): a damaged, truncated or foreign file is ignored
  (and rewritten).

The file is code that runs, as a .pyc is: it lives in the user's own cache folder, which only
the user can write (as their installed packages and their `__pycache__` folders).
"""

from __future__ import annotations

import builtins
import contextlib
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from attrition.regex_cache import SEAL, seal

HEADER = b"attrition-dataclass-code 1\n"
MAX_ENTRIES = 3000
"""Texts kept at most (a cold check compiles ~120; every command together a few hundred)."""

_kept: dict[str, CodeType] = {}
_new: dict[str, CodeType] = {}
_installed = False


def default_path() -> Path | None:
    """In the user's cache folder (`ATTRITION_CACHE`; None when caching is off)."""
    from attrition import cache

    folder = cache.folder()
    return None if folder is None else folder / "dataclass-code.bin"


def build_tag() -> bytes:
    """The Python build a code object is valid for."""
    magic = getattr(sys.modules.get("_frozen_importlib_external"), "MAGIC_NUMBER", b"")
    return f"{sys.implementation.cache_tag} {sys.hexversion:x} ".encode() + magic.hex().encode()


def supported() -> bool:
    """CPython whose `dataclasses` compiles the text it writes with `exec` of a string, in a
    module without compiler flags (a `from __future__` import would be inherited)."""
    import dataclasses

    create = getattr(dataclasses, "_create_fn", None)
    code = getattr(create, "__code__", None)
    return (sys.implementation.name == "cpython" and isinstance(code, CodeType)
            and "exec" in code.co_names and not code.co_flags & _FUTURE_FLAGS)


def install(path: Path | None) -> int:
    """Give `dataclasses` the kept code (from `path`, when it holds code for this Python);
    returns how many texts it holds. Does nothing where unsupported."""
    global _installed
    if path is None or not supported():
        return 0
    import dataclasses

    _kept.update(_read(path))
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # found before the builtin
    _installed = True
    return len(_kept)


def uninstall() -> None:
    import dataclasses

    global _installed
    if _installed:
        with contextlib.suppress(AttributeError):
            del dataclasses.exec  # type: ignore[attr-defined]
        _installed = False


def _exec(source: Any, globals: dict[str, Any] | None = None,
          locals: dict[str, Any] | None = None, /) -> None:
    if type(source) is not str:
        return builtins.exec(source, globals, locals)
    code = _kept.get(source)
    if code is None:
        # as `exec(source)` in dataclasses compiles it (that module has no compiler flags)
        code = compile(source, "<string>", "exec", dont_inherit=True)
        _kept[source] = _new[source] = code
    return builtins.exec(code, globals, locals)


def save(path: Path | None) -> int:
    """Write the kept code if this process compiled new texts; returns how many new. Never
    raises: a cache that cannot be written is no error."""
    if path is None or not _new:
        return 0
    try:
        entries = {**_new, **{k: v for k, v in _kept.items() if k not in _new}}
        payload = marshal.dumps(dict(list(entries.items())[:MAX_ENTRIES]))
        _write(path, HEADER + build_tag() + b"\n" + seal(payload) + payload)
        count = len(_new)
        _new.clear()
        return count
    except Exception:
        return 0


def _read(path: Path) -> dict[str, CodeType]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    tag = HEADER + build_tag() + b"\n"
    if data[:len(tag)] != tag:
        return {}
    digest, payload = data[len(tag):len(tag) + SEAL], data[len(tag) + SEAL:]
    if seal(payload) != digest:
        return {}  # damaged or truncated
    try:
        got = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return {}
    if not isinstance(got, dict) or not all(
            type(k) is str and type(v) is CodeType for k, v in got.items()):
        return {}
    return got


def _write(path: Path, data: bytes) -> None:
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


def _future_flags() -> int:
    import __future__

    return sum(getattr(__future__, name).compiler_flag
               for name in __future__.all_feature_names)


_FUTURE_FLAGS = _future_flags()
