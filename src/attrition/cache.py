"""A small on-disk cache of computed documents (briefs), keyed by everything they depend on:
the store and its version (which changes on every ingest), the user's config and crosswalk
files, and the code itself. A stale entry is never read: a new key is simply missed.

Briefs are deterministic but cost ~0.4 s to compute (the whole ledger's series and records);
an editor asks for the same one many times. `ATTRITION_CACHE` chooses the folder, or `off`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from attrition import settings

try:  # hashlib's own import starts OpenSSL (~4 ms on every command); BLAKE2 is built in
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

_PACKAGE = Path(__file__).resolve().parent


def folder() -> Path | None:
    chosen = settings.current()
    if chosen.cache_off:
        return None
    if chosen.cache:
        return Path(chosen.cache)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("attrition", appauthor=False))


def _stamp(path: str | None) -> str:
    if not path:
        return "-"
    try:
        st = Path(path).stat()
    except OSError:
        return "absent"
    return f"{st.st_mtime_ns}:{st.st_size}"


def _code_stamp() -> str:
    newest = max((p.stat().st_mtime_ns for p in _PACKAGE.rglob("*.py")), default=0)
    return f"{newest}"


def key(kind: str, url: str, version: tuple[int, int, str], *parts: str) -> str:
    """The cache key of a document of `kind` for the store at `url`."""
    from attrition.categories import config_path

    raw = json.dumps([kind, url, list(version), list(parts),
                      _stamp(str(config_path())), _stamp(settings.current().crosswalk),
                      _code_stamp()])
    return blake2b(raw.encode(), digest_size=16).hexdigest()


def get(name: str) -> dict[str, Any] | None:
    base = folder()
    if base is None:
        return None
    try:
        doc: dict[str, Any] = json.loads((base / f"{name}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return doc


def put(name: str, doc: dict[str, Any]) -> None:
    """Write atomically (a reader never sees half a file); a cache that cannot be written
    is no error."""
    import tempfile

    base = folder()
    if base is None:
        return
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=base, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        os.replace(tmp, base / f"{name}.json")
    except OSError:
        return


# -- parsed TOML data files --------------------------------------------------------------------
# tomllib is pure Python: importing it and parsing the checker's rules and the crosswalk was
# ~30 ms of a cold `attrition check`. A file's parsed form is kept as JSON in the cache folder,
# named by a digest of the file's bytes (an edited file is a new name, never a stale read); its
# first line is a digest of the JSON, so a damaged copy is never read.


def parsed_toml(data: bytes, name: str) -> dict[str, Any]:
    """`tomllib.loads(data.decode("utf-8"))`, from the cache folder's copy when it has one
    (`name`: the copy's name there, e.g. "rules/en"). Raises as tomllib does: UnicodeDecodeError,
    tomllib.TOMLDecodeError."""
    digest = blake2b(data, digest_size=16).hexdigest()
    base = folder()
    path = None if base is None else base / f"{name}-{digest}.json"
    if path is not None:
        try:
            head, _, body = path.read_bytes().partition(b"\n")
            if head.decode("ascii") == blake2b(body, digest_size=16).hexdigest():
                kept = json.loads(body)
                if isinstance(kept, dict):
                    return kept
        except (OSError, ValueError):
            pass
    import tomllib

    doc = tomllib.loads(data.decode("utf-8"))
    if path is not None:
        _keep_parsed(path, doc)
    return doc


def _keep_parsed(path: Path, doc: dict[str, Any]) -> None:
    import tempfile

    try:
        text = json.dumps(doc, ensure_ascii=False)
        if json.loads(text) != doc:
            return  # a value JSON does not carry as it is (a TOML date): parse each time
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        body = text.encode("utf-8")
        with os.fdopen(fd, "wb") as f:
            f.write(blake2b(body, digest_size=16).hexdigest().encode("ascii") + b"\n" + body)
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        return  # a cache that cannot be written is no error
