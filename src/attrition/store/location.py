"""Where the database is: `--db`, then ATTRITION_DB, then the user's data directory."""

from __future__ import annotations

from pathlib import Path


def default_url() -> str:
    from attrition import settings

    env = settings.current().db
    if env:
        return normalise(env)
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("attrition", appauthor=False))
    return f"sqlite:///{folder / 'attrition.db'}"


def normalise(url_or_path: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path."""
    if "://" in url_or_path:
        return url_or_path
    return f"sqlite:///{Path(url_or_path).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite URL; None for other databases or in-memory SQLite."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            rest = url[len(prefix):]
            if not rest or rest == ":memory:":
                return None
            return Path(rest.split("?", 1)[0])
    return None
