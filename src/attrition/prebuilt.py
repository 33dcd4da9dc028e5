"""The bundled snapshot as a ready SQLite file, so that a first run copies it in one step.

The snapshot ships as three small gzipped documents (`snapshot.json.gz`, `confirmed.json.gz`,
`daybook.tsv.gz`: readable, reproducible, with their attribution). Loading them row by row
costs a first run ~0.6 s of parsing and binding; `build` runs that load once, at set-up
(`make`), into `data/snapshot.db` beside them (not in git: it is derived, ~19 MB), and
`bootstrap` then copies its tables into a new SQLite store with `INSERT … SELECT` in one
transaction (`Store.load_prebuilt`, ~0.1 s). The file records what it was made from (the
documents' bytes, the code and DDL that load them, the daybook's rules): when any differs,
or the file is missing (an install that never ran the set-up), the documents are loaded as
before. Both ways give the same store (tests/test_prebuilt.py).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PREBUILT = DATA / "snapshot.db"
SOURCES = ("snapshot.json.gz", "confirmed.json.gz", "daybook.tsv.gz")
FORMAT = "1"


CODE = ("snapshot.py", "bootstrap.py", "daybook.py", "store/db.py", "store/tx.py")
"""The modules that turn the documents into rows (their source is part of the stamp: a
change to how a load writes makes the file stale, never a store that differs)."""


def made_from() -> str:
    """The digest of what a prebuilt file holds: the bundled documents, the code and the
    schema that load them, the daybook's rules and this module's layout."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover
        from hashlib import blake2b

    from attrition import daybook
    from attrition.store import sqlite_ddl

    h = blake2b(digest_size=16)
    h.update(f"{FORMAT}\n{daybook.VERSION}\n".encode())
    for name in SOURCES:
        h.update((DATA / name).read_bytes())
    for name in CODE:
        h.update((DATA.parent / name).read_bytes())
    for sql in (*sqlite_ddl.TABLES.values(), *(s for _, s in sqlite_ddl.INDEXES.values())):
        h.update(sql.encode())
    return h.hexdigest()


def current(path: Path | None = None) -> Path | None:
    """The prebuilt file (`PREBUILT`), when it is there and made from the bundled documents
    as they are; else None (the caller loads the documents). Reads one small table of it."""
    path = PREBUILT if path is None else path
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(uri(path), uri=True)
        try:
            got = conn.execute("SELECT value FROM prebuilt WHERE key = 'made_from'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return path if got is not None and got[0] == made_from() else None


def uri(path: Path) -> str:
    """The file opened read-only, for `connect(…, uri=True)`."""
    return f"{path.as_uri()}?mode=ro"


def build(out: Path = PREBUILT) -> Path:
    """Write the prebuilt file: the documents loaded into a new store as a first run without
    it loads them, and what it was made from. Written beside `out` and renamed onto it, so
    that a first run never reads half a file."""
    from attrition import bootstrap

    stamp = made_from()
    fd, tmp = tempfile.mkstemp(suffix=".db", dir=out.parent)
    os.close(fd)
    try:
        os.unlink(tmp)
        bootstrap.ensure_loaded(f"sqlite:///{tmp}", prebuilt=False)
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("CREATE TABLE prebuilt (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute("INSERT INTO prebuilt VALUES ('made_from', ?)", (stamp,))
            conn.commit()
            conn.execute("VACUUM")
        finally:
            conn.close()
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


if __name__ == "__main__":
    import sys

    path = build(Path(sys.argv[1]) if len(sys.argv) > 1 else PREBUILT)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
