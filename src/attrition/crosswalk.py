"""The crosswalk from confirmed-loss types to ledger categories, read from a TOML data file
(`data/crosswalk.toml`, or the user's own through --crosswalk / ATTRITION_CROSSWALK)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from attrition import categories, settings
from attrition.errors import ConfigError

BUNDLED = Path(__file__).resolve().parent / "data" / "crosswalk.toml"
"""The bundled crosswalk (read as a file: `importlib.resources` costs a cold check ~5 ms)."""
SOURCES = ("oryx", "warspotting")


@dataclass(frozen=True)
class Row:
    """One comparison line: ledger categories summed against confirmed types summed."""

    name: str
    ledger: tuple[str, ...]
    types: dict[str, tuple[str, ...]]
    """Confirmed-loss types per source."""
    basis: str
    derive_from: str | None = None
    derive_minus: tuple[str, ...] = ()


@dataclass(frozen=True)
class Crosswalk:
    rows: tuple[Row, ...]
    unmapped: dict[str, dict[str, str]]
    """Per source: type -> why it is left out."""
    address: str
    renamed: dict[str, dict[str, str]]
    """Per source: new heading -> the old heading whose series it continues."""

    def canonical(self, source: str, type_: str) -> str:
        return self.renamed.get(source, {}).get(type_, type_)

    def row(self, name: str) -> Row:
        for r in self.rows:
            if r.name == name or name in r.ledger:
                return r
        from difflib import get_close_matches

        names = [r.name for r in self.rows]
        close = get_close_matches(name[:100], names, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""  # as categories.unknown
        shown = repr(name if len(name) <= 60 else name[:60] + "…")
        raise ConfigError(f"no crosswalk line for {shown}{hint}; one of: " + ", ".join(names))

    def mapped(self, source: str) -> set[str]:
        out = {t for r in self.rows for t in r.types.get(source, ())}
        out |= {r.derive_from for r in self.rows if r.derive_from and source == "oryx"}
        return out

    def unknown(self, source: str, types: set[str]) -> set[str]:
        """Types in the data that the crosswalk neither maps nor lists as unmapped."""
        return types - self.mapped(source) - set(self.unmapped.get(source, {}))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(value)


def parse(doc: dict[str, Any], address: str) -> Crosswalk:
    rows = []
    for i, raw in enumerate(doc.get("row", [])):
        where = f"{address}: row {i + 1}"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise ConfigError(f"{where}: each row needs a name")
        ledger = _strings(raw.get("ledger"), f"{where}, ledger")
        for c in ledger:
            if c not in categories.ORDER:
                raise ConfigError(f"{where}: unknown ledger category {c!r}")
        basis = raw.get("basis")
        if not isinstance(basis, str) or not basis.strip():
            raise ConfigError(f"{where}: state the basis of the comparison")
        rows.append(Row(raw["name"], ledger,
                        {s: _strings(raw.get(s, []), f"{where}, {s}") for s in SOURCES},
                        " ".join(basis.split()), raw.get("derive_from"),
                        _strings(raw.get("derive_minus", []), f"{where}, derive_minus")))
    if not rows:
        raise ConfigError(f"{address}: no [[row]] entries")
    unmapped = doc.get("unmapped", {})
    if not isinstance(unmapped, dict):
        raise ConfigError(f"{address}: [unmapped] must be a table")
    renamed = doc.get("renamed", {})
    if not isinstance(renamed, dict):
        raise ConfigError(f"{address}: [renamed] must be a table")
    return Crosswalk(tuple(rows), {s: dict(unmapped.get(s, {})) for s in SOURCES}, address,
                     {s: dict(renamed.get(s, {})) for s in SOURCES})


def load(path: str | Path | None = None) -> Crosswalk:
    """The user's crosswalk (argument, then ATTRITION_CROSSWALK), else the bundled one."""
    from attrition import cache

    chosen = path or settings.current().crosswalk
    try:
        if chosen:
            text = Path(chosen).read_text(encoding="utf-8")
            address = str(chosen)
        else:
            text = BUNDLED.read_text(encoding="utf-8")
            address = "bundled crosswalk (attrition/data/crosswalk.toml)"
        # (its parsed copy in the cache folder: tomllib's import and parse were ~4 ms of a
        # cold `attrition check`)
        return parse(cache.parsed_toml(text.encode("utf-8"), "toml/crosswalk"), address)
    except OSError as exc:
        raise ConfigError(f"cannot read the crosswalk {chosen}: {exc.strerror}") from None
    except ValueError as exc:
        import tomllib

        if not isinstance(exc, tomllib.TOMLDecodeError):
            raise
        raise ConfigError(f"{chosen or 'crosswalk'}: invalid TOML: {exc}") from None
