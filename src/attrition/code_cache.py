"""Code that the standard library compiles from text at every start, kept on disk between runs.

`@dataclass` writes each class's `__init__`, `__repr__`, `__eq__` (and, frozen, `__setattr__`,
`__delattr__`, `__hash__`) as Python source and compiles it with `exec`; `namedtuple` compiles
its `__new__` with `eval`, and `typing.NamedTuple` each string annotation with `compile`: ~0.1 s
of CPU time for the classes a cold `attrition check` imports, an eighth of it. `install` hands
those three modules an `exec`, `eval` and `compile` that compile each text once per Python
build and keep the code object (marshal, as in a .pyc); `save` writes the new ones to the
cache folder. (A module of its own, outside `attrition.check`, since it must run before the
modules it serves are imported.)

It can never change what a class does:
- an entry is looked up by the exact source text and mode (another field, default or flag is
  another text: simply a miss, compiled as usual), and run in the globals and locals the
  caller passes, as `exec`/`eval` of the text does;
- the text is compiled as the caller's own call compiles it: as "<string>", with the
  compiler flags of the calling module (none: `install` leaves alone a module that has any),
  `eval`'s leading blanks stripped as `eval` strips them; a text that does not compile is
  compiled by the builtin, which raises as it always has;
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
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from attrition.regex_cache import seal, unsealed, write_atomic

HEADER = b"attrition-compiled-code 1\n"
MAX_ENTRIES = 3000
"""Texts kept at most (a cold check compiles ~220; every command together a few hundred)."""

_Key = tuple[str, str]
"""(mode, source text)."""
_kept: dict[_Key, CodeType] = {}
_new: dict[_Key, CodeType] = {}
_installed: list[tuple[Any, str]] = []


def default_path() -> Path | None:
    """In the user's cache folder (`ATTRITION_CACHE`; None when caching is off)."""
    from attrition import cache

    folder = cache.folder()
    return None if folder is None else folder / "compiled-code.bin"


def build_tag() -> bytes:
    """The Python build a code object is valid for."""
    magic = getattr(sys.modules.get("_frozen_importlib_external"), "MAGIC_NUMBER", b"")
    return f"{sys.implementation.cache_tag} {sys.hexversion:x} ".encode() + magic.hex().encode()


def _targets() -> list[tuple[Any, str, Any]]:
    """(module, the builtin's name, its replacement) for each caller that compiles the same
    kind of text at every start, where the function that calls it is as expected: CPython's,
    naming the builtin, without compiler flags of its own (a `from __future__` import would
    be inherited)."""
    import collections
    import dataclasses
    import typing

    if sys.implementation.name != "cpython":
        return []
    out = []
    for module, caller, name, replacement in (
            (dataclasses, getattr(dataclasses, "_create_fn", None), "exec", _exec),
            (collections, collections.namedtuple, "eval", _eval),
            (typing, getattr(typing.ForwardRef, "__init__", None), "compile", _compile)):
        code = getattr(caller, "__code__", None)
        if isinstance(code, CodeType) and name in code.co_names \
                and not code.co_flags & _FUTURE_FLAGS:
            out.append((module, name, replacement))
    return out


def supported() -> bool:
    return bool(_targets())


def install(path: Path | None) -> int:
    """Give the callers the kept code (from `path`, when it holds code for this Python);
    returns how many texts it holds. Does nothing where unsupported or caching is off."""
    if path is None or _installed:
        return len(_kept) if _installed else 0
    targets = _targets()
    if not targets:
        return 0
    _kept.update(_read(path))
    for module, name, replacement in targets:
        setattr(module, name, replacement)  # found before the builtin
        _installed.append((module, name))
    return len(_kept)


def uninstall() -> None:
    while _installed:
        module, name = _installed.pop()
        with contextlib.suppress(AttributeError):
            delattr(module, name)


def _code(mode: str, source: str) -> CodeType:
    key = (mode, source)
    code = _kept.get(key)
    if code is None:
        # as the callers' own call compiles it (their modules have no compiler flags)
        code = compile(source, "<string>", mode, dont_inherit=True)
        _kept[key] = _new[key] = code
    return code


def _exec(source: Any, globals: dict[str, Any] | None = None,
          locals: Any = None, /) -> None:
    if type(source) is not str:
        return builtins.exec(source, globals, locals)
    return builtins.exec(_code("exec", source), globals, locals)


def _eval(source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /) -> Any:
    if type(source) is not str:
        return builtins.eval(source, globals, locals)
    return builtins.eval(_code("eval", source.lstrip(" \t")), globals, locals)


def _compile(source: Any, filename: Any, mode: str, flags: int = 0, dont_inherit: bool = False,
             optimize: int = -1, **more: Any) -> Any:
    if (type(source) is not str or filename != "<string>" or mode != "eval" or flags
            or optimize != -1 or more):
        # (not the call kept: the builtin's, with the caller's flags, which are none)
        return builtins.compile(source, filename, mode, flags, True, optimize, **more)
    return _code("eval", source)


def save(path: Path | None) -> int:
    """Write the kept code if this process compiled new texts; returns how many new. Never
    raises: a cache that cannot be written is no error."""
    if path is None or not _new:
        return 0
    try:
        entries = {**_new, **{k: v for k, v in _kept.items() if k not in _new}}
        payload = marshal.dumps(dict(list(entries.items())[:MAX_ENTRIES]))
        write_atomic(path, HEADER + build_tag() + b"\n" + seal(payload) + payload)
        count = len(_new)
        _new.clear()
        return count
    except Exception:
        return 0


def _read(path: Path) -> dict[_Key, CodeType]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    tag = HEADER + build_tag() + b"\n"
    if data[:len(tag)] != tag:
        return {}
    got = unsealed(data, len(tag))  # (None: damaged or truncated)
    if not isinstance(got, dict) or not all(
            type(k) is tuple and len(k) == 2 and k[0] in ("exec", "eval")
            and type(k[1]) is str and type(v) is CodeType for k, v in got.items()):
        return {}
    return got


def _future_flags() -> int:
    import __future__

    return sum(getattr(__future__, name).compiler_flag
               for name in __future__.all_feature_names)


_FUTURE_FLAGS = _future_flags()
