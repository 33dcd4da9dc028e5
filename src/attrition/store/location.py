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
    """Accept a SQLAlchemy URL or a plain file path; a URL whose database cannot be opened
    here (a misspelt or unknown dialect, a driver not installed) is refused in one line."""
    if "://" in url_or_path:
        if not url_or_path.startswith("sqlite"):
            _driver_there(url_or_path)
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


def _driver_there(url: str) -> None:
    import sqlalchemy as sa

    from attrition.errors import StoreError

    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError("cannot open the database: not a database URL (e.g. "
                         "postgresql+psycopg://user@host/name) nor a file path") from None
    try:
        parsed.get_dialect().import_dbapi()
    except (sa.exc.NoSuchModuleError, ImportError) as exc:
        raise StoreError(
            f"cannot open the database {parsed.render_as_string(hide_password=True)}: no "
            f"driver for {parsed.drivername!r} here ({exc}); use a SQLite file or "
            "postgresql+psycopg://... (the postgres extra)") from None
