"""The exception tree. Callers may catch at any level.

    AttritionError
    ├── UnknownCategoryError      a category id or name the registry does not know
    ├── DateError                 a date that cannot be parsed or does not exist
    ├── InvalidValueError         an option's value that is not one of the valid ones
    ├── ConfigError               the user's config file is wrong
    ├── SourceError               an input could not be read
    │   ├── ParseError            ... it was read but is malformed (names file, line/record, field)
    │   └── FetchError            ... it had to be fetched and could not be (offline, HTTP error)
    ├── StoreError                the database could not be opened or written
    ├── CheckError                an article could not be checked (too long, no date)
    └── NotFoundError             no report or data for what was asked
"""

from __future__ import annotations


class AttritionError(Exception):
    """Root of every error attrition raises on purpose. The message is meant for a user."""


class UnknownCategoryError(AttritionError, ValueError):
    pass


class DateError(AttritionError, ValueError):
    pass


class InvalidValueError(AttritionError, ValueError):
    pass


class ConfigError(AttritionError):
    pass


class SourceError(AttritionError):
    pass


class ParseError(SourceError):
    """Malformed input. `str()` names the place: file, line or record, and field."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.record = record
        self.field = field
        super().__init__(self._render())

    def _render(self) -> str:
        place = []
        if self.file:
            place.append(self.file)
        if self.line is not None:
            place.append(f"line {self.line}")
        if self.record is not None:
            place.append(f"record {self.record}")
        if self.field is not None:
            place.append(f"field {self.field!r}")
        return (": ".join([", ".join(place), self.message]) if place else self.message)

    def at(self, file: str) -> ParseError:
        """The same error, with the file named (readers are pure and may not know it)."""
        return ParseError(self.message, file=file, line=self.line, record=self.record,
                          field=self.field)


class FetchError(SourceError):
    pass


class Throttled(FetchError):
    """A server answered 429 (too many requests) or 503 (unavailable) and said when to come
    back (Retry-After): `retry_after` seconds from the answer."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreError(AttritionError):
    pass


class CheckError(AttritionError):
    pass


class NotFoundError(AttritionError, LookupError):
    pass
