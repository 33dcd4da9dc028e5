"""The settings attrition reads from its environment, in one object read in one place.

    ATTRITION_DB         the store: a SQLAlchemy URL or a SQLite file (`--db` wins)
    ATTRITION_CACHE      the folder of cached briefs, or `off`
    ATTRITION_CONFIG     the user's config.toml (aggregates)
    ATTRITION_CROSSWALK  the user's crosswalk TOML (`compare --crosswalk` wins)
    ATTRITION_API_TOKEN  the token that opens the web service's writes
    ATTRITION_HEALTH_MAX_AGE_DAYS  /health's limit on the newest report's age (default 3)
    ATTRITION_BASE_URL   where the web service is published (links in alerts, feeds and
                         ClaimReview; `--base-url` wins)

`current()` is read once and then kept; it is read again only when one of these variables
has changed since (a test's monkeypatch, a program embedding attrition), so the modules
below never look at `os.environ` themselves. The front ends pass their options on top
(`with_overrides`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

NAMES = ("ATTRITION_DB", "ATTRITION_CACHE", "ATTRITION_CONFIG", "ATTRITION_CROSSWALK",
         "ATTRITION_API_TOKEN", "ATTRITION_HEALTH_MAX_AGE_DAYS", "ATTRITION_BASE_URL")
_OFF = ("off", "0", "no", "false")


@dataclass(frozen=True)
class Settings:
    db: str | None = None
    cache: str | None = None
    """A folder, or None for the user's cache folder (see `cache_off`)."""
    cache_off: bool = False
    config: str | None = None
    crosswalk: str | None = None
    api_token: str | None = None
    health_max_age_days: str | None = None
    """As given: /health says so when it is not a number."""
    base_url: str | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        cache = env.get("ATTRITION_CACHE") or None
        off = cache is not None and cache.lower() in _OFF
        return cls(db=env.get("ATTRITION_DB") or None, cache=None if off else cache,
                   cache_off=off, config=env.get("ATTRITION_CONFIG") or None,
                   crosswalk=env.get("ATTRITION_CROSSWALK") or None,
                   api_token=env.get("ATTRITION_API_TOKEN") or None,
                   health_max_age_days=env.get("ATTRITION_HEALTH_MAX_AGE_DAYS") or None,
                   base_url=env.get("ATTRITION_BASE_URL") or None)

    def with_overrides(self, **given: Any) -> Settings:
        """These settings with the options a user gave (None: not given)."""
        return replace(self, **{k: v for k, v in given.items() if v is not None})


_current: tuple[tuple[str | None, ...], Settings] | None = None


def current() -> Settings:
    """The settings of this process (see the module's docstring)."""
    global _current
    seen = tuple(os.environ.get(n) for n in NAMES)
    if _current is None or _current[0] != seen:
        _current = (seen, Settings.from_env())
    return _current[1]


def rich_terminal_forced(environ: dict[str, str] | None = None) -> bool:
    """Whether Rich is told to write as to a terminal even off one (its FORCE_COLOR, or
    TTY_COMPATIBLE=1): `attrition check` then prints through Rich, not as plain text."""
    env = os.environ if environ is None else environ
    return "FORCE_COLOR" in env or env.get("TTY_COMPATIBLE", "") == "1"
