"""Dates as users type them: YYYY-MM-DD, today, yesterday, latest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from attrition.errors import DateError, NotFoundError


def parse_day(text: str, latest: Callable[[], date | None] | None = None,
              today: date | None = None) -> date:
    word = text.strip().lower()
    today = today or date.today()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    if word == "latest":
        found = latest() if latest is not None else None
        if found is None:
            raise NotFoundError("no reports in the database")
        return found
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise DateError(
            f"not a date: {text!r} (use YYYY-MM-DD, today, yesterday or latest)") from None
