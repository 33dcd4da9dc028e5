"""The checker's tables kept in the cache folder (attrition.check.kept) are the tables the code
builds, and are built again when a rule file or the checker's code changes, or the file is
damaged."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from attrition.check import claims, kept

TABLES = [claims._label_rules, claims._label_table, claims._label_owners,
          claims._singular_only, claims._meanings]


def _make(f: Any) -> Callable[[], Any]:
    """The function under `@kept.table` (its cache wraps `get`, which wraps it)."""
    fn: Callable[[], Any] = f.__wrapped__.__wrapped__
    return fn


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the checker's package folder, as the sources the tables are keyed on."""
    here = tmp_path / "check"
    shutil.copytree(kept.HERE, here, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(kept, "HERE", here)
    yield here
    kept.uninstall()


def _fresh() -> list[Callable[[], Any]]:
    return [kept.table(_make(f)) for f in TABLES]


def test_kept_tables_are_the_tables_built(sources: Path, tmp_path: Path) -> None:
    path = tmp_path / "tables.bin"
    assert kept.install(path) == 0
    built = [t() for t in _fresh()]
    assert len(kept._new) == len(TABLES)
    assert kept.save() == len(TABLES)
    kept.uninstall()
    assert kept.install(path) == len(TABLES)
    tables = _fresh()
    for t, want in zip(tables, built, strict=True):
        got = t()
        assert got == want == _make(t)()
        assert type(got) is type(want)
    assert not kept._new  # all read from the file


@pytest.mark.parametrize("change", ["rule file", "checker code", "damaged", "truncated"])
def test_tables_are_built_again_when_their_sources_change(sources: Path, tmp_path: Path,
                                                          change: str) -> None:
    path = tmp_path / "tables.bin"
    kept.install(path)
    for t in _fresh():
        t()
    kept.save()
    kept.uninstall()
    assert kept.install(path) == len(TABLES)
    kept.uninstall()
    if change == "rule file":
        en = sources / "rules" / "en.toml"
        en.write_text(re.sub(r"\n", "\n\n", en.read_text("utf-8"), count=1), "utf-8")
    elif change == "checker code":
        with (sources / "claims.py").open("a") as f:
            f.write("\n# changed\n")
    elif change == "damaged":
        data = bytearray(path.read_bytes())
        data[-100] ^= 0x10
        path.write_bytes(bytes(data))
    else:
        path.write_bytes(path.read_bytes()[:-10])
    assert kept.install(path) == 0
    for t in _fresh():
        t()
    assert len(kept._new) == len(TABLES)  # built again


def test_a_value_marshal_cannot_write_is_not_kept(sources: Path, tmp_path: Path) -> None:
    kept.install(tmp_path / "tables.bin")

    def regexes() -> dict[str, object]:
        return {"x": re.compile("x")}

    got = kept.table(regexes)()
    assert got == {"x": re.compile("x")}
    assert not kept._new and kept.save() == 0


def test_without_install_nothing_is_kept(tmp_path: Path) -> None:
    kept.uninstall()
    calls: list[int] = []

    def make() -> list[int]:
        calls.append(1)
        return [1, 2]

    t = kept.table(make)
    assert t() == t() == [1, 2] and calls == [1]  # computed once, as functools.cache
    assert not kept._new and not list(tmp_path.iterdir())
