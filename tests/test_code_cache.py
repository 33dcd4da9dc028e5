"""The compiled code kept on disk (attrition.code_cache) makes the very classes `dataclasses`,
`namedtuple` and `typing.NamedTuple` make without it: the same code objects, annotations and
behaviour, in modules with and without `from __future__ import annotations`; a damaged,
truncated or foreign file is ignored; and a cold `attrition check` writes the file once and
then reads it."""

from __future__ import annotations

import collections
import inspect
import json
import os
import subprocess
import sys
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from attrition import code_cache
from attrition.bootstrap import ensure_loaded

MODULE = '''
import dataclasses
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

Pair = namedtuple("Pair", "left right", defaults=[0])


class Cell(NamedTuple):
    day: date
    value: int | None = None
    """A field's own docstring."""


@dataclass(frozen=True, slots=True)
class Frozen:
    a: int
    b: str | None = None
    day: date = date(2024, 1, 1)


@dataclass(order=True)
class Plain:
    x: float
    tags: list[str] = field(default_factory=list)
    seen: int = field(default=0, compare=False, repr=False)


@dataclass(kw_only=True, eq=False)
class Keywords:
    name: str
    n: int = 3

    def __post_init__(self) -> None:
        self.n += 1
'''

METHODS = ("__init__", "__repr__", "__eq__", "__lt__", "__setattr__", "__delattr__",
           "__hash__", "__new__")


def _module(future: bool) -> types.ModuleType:
    mod = types.ModuleType(f"made_{future}")
    sys.modules[mod.__name__] = mod  # (dataclasses looks its module up)
    try:
        source = ("from __future__ import annotations\n" if future else "") + MODULE
        exec(compile(source, mod.__name__, "exec", dont_inherit=True), mod.__dict__)
    finally:
        del sys.modules[mod.__name__]
    return mod


def _methods(mod: types.ModuleType) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cls in ("Frozen", "Plain", "Keywords", "Pair", "Cell"):
        for name in METHODS:
            fn = vars(getattr(mod, cls)).get(name)
            if isinstance(fn, staticmethod):  # a named tuple's __new__
                fn = fn.__func__
            if isinstance(fn, types.FunctionType):
                out[f"{cls}.{name}"] = (fn.__code__, fn.__qualname__, fn.__defaults__,
                                        fn.__kwdefaults__, fn.__annotations__)
        out[f"{cls} annotations"] = inspect.get_annotations(getattr(mod, cls))
    return out


@pytest.fixture
def installed(tmp_path: Path) -> Any:
    path = tmp_path / "compiled-code.bin"
    assert code_cache.install(path) == 0  # nothing kept yet
    yield path
    code_cache.uninstall()
    code_cache._kept.clear()
    code_cache._new.clear()


@pytest.mark.parametrize("future", [False, True])
def test_kept_code_makes_the_classes_dataclasses_makes(installed: Path, future: bool) -> None:
    code_cache.uninstall()
    plain = _module(future)
    code_cache.install(installed)
    compiled = _module(future)  # compiled by code_cache, and kept
    assert code_cache.save(installed) > 0
    code_cache.uninstall()
    code_cache._kept.clear()
    assert code_cache.install(installed) > 0
    kept = _module(future)  # from the file
    assert not code_cache._new  # nothing compiled
    want = _methods(plain)
    assert len(want) >= 13
    assert "Pair.__new__" in want and "Cell.__new__" in want
    assert _methods(compiled) == want
    assert _methods(kept) == want
    for mod in (plain, kept):
        f = mod.Frozen(1)
        assert (repr(f), f == mod.Frozen(1), hash(f) == hash(mod.Frozen(1))) == (
            "Frozen(a=1, b=None, day=datetime.date(2024, 1, 1))", True, True)
        with pytest.raises(AttributeError):
            f.a = 2  # type: ignore[misc]
        assert mod.Plain(1.0) < mod.Plain(2.0)
        assert mod.Plain(1.0, seen=5) == mod.Plain(1.0)
        assert mod.Keywords(name="k").n == 4
        assert (mod.Pair(1), mod.Cell(date(2024, 1, 1))._asdict()) == (
            (1, 0), {"day": date(2024, 1, 1), "value": None})
        assert typing.get_type_hints(mod.Cell, vars(mod)) == {"day": date,
                                                              "value": int | None}


def test_the_builtins_still_refuse_what_they_refused(installed: Path) -> None:
    with pytest.raises(SyntaxError, match="Forward reference must be an expression"):
        typing.ForwardRef("not an expression(")
    with pytest.raises(ValueError):
        collections.namedtuple("Bad", "def")
    assert not code_cache._new.get(("eval", "not an expression("))


@pytest.mark.parametrize("damage", ["flip", "truncate", "foreign", "not code"])
def test_a_damaged_code_file_is_ignored(installed: Path, damage: str) -> None:
    _module(False)
    code_cache.save(installed)
    data = bytearray(installed.read_bytes())
    assert code_cache._read(installed)
    if damage == "flip":
        data[-50] ^= 0x21
    elif damage == "truncate":
        data = data[:len(data) // 2]
    elif damage == "foreign":  # another Python's file
        data = data.replace(code_cache.build_tag(), b"cpython-399 30900f0 0d0d0d0a", 1)
    else:
        import marshal

        payload = marshal.dumps({("exec", "def f(): pass"): "not a code object"})
        data = bytearray(code_cache.HEADER + code_cache.build_tag() + b"\n"
                         + code_cache.seal(payload) + payload)
    installed.write_bytes(bytes(data))
    assert code_cache._read(installed) == {}


def test_a_cold_check_keeps_the_code_and_then_reads_it(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    ensure_loaded(f"sqlite:///{db}")
    env = {**os.environ, "ATTRITION_DB": str(db), "ATTRITION_CACHE": str(tmp_path / "c")}
    code = ("import sys\nfrom attrition import code_cache\nfrom attrition.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(len(code_cache._kept), len(code_cache._new), file=sys.stderr)\n")
    argv = [sys.executable, "-c", code, "check", "-", "--date", "2024-11-14", "-f", "json"]
    text = "Over the past day Russia lost 9 tanks, the General Staff said.\n"
    docs = []
    counts = []
    for cache in ("off", str(tmp_path / "c"), str(tmp_path / "c")):
        got = subprocess.run(argv, input=text, env={**env, "ATTRITION_CACHE": cache},
                             capture_output=True, text=True, check=True)
        docs.append(json.loads(got.stdout))
        counts.append([int(n) for n in got.stderr.split()[-2:]])
    assert docs[0] == docs[1] == docs[2]
    assert counts[0] == [0, 0]  # caching off: not installed
    assert counts[1][0] > 50 and counts[1][1] == 0  # compiled, then written
    assert (tmp_path / "c" / "compiled-code.bin").is_file()
    assert counts[2] == [counts[1][0], 0]  # read back: nothing compiled
