"""Plain records shared by readers, the store and the analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Observation:
    """One source's figure for one category in one report.

    `report_date` is the bulletin's date D; it covers the losses of day D-1 (`covers`).
    """

    source: str
    report_date: date
    category: str
    total: int | None
    announced_change: int | None = None
    qualifier: str | None = None
    """"about" / "more" for personnel, where the source says so."""
    address: str | None = None
    """Where the figure was published (the MoD page), where the source knows it."""

    @property
    def covers(self) -> date:
        return self.report_date - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Correction:
    """A source's note that a day's total was corrected: difference of totals minus the
    announced change (PetroIvaniuk's corrections file)."""

    source: str
    report_date: date
    category: str
    value: int


@dataclass(slots=True)
class Batch:
    """What one reader produced from one input."""

    source: str
    observations: list[Observation] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    address: str | None = None
    """The input's own address (file path or URL)."""
    retrieved_at: str | None = None
    """When the input was fetched or published, where known (ISO); else the ingest time."""
    published_at: str | None = None
    """When the input records that its report first appeared (ISO with zone), where it
    does (a bulletin page's time): the report counts from then, not from its morning."""


STATUSES = ("destroyed", "damaged", "abandoned", "captured")
"""How a visually confirmed loss was lost, in the confirmed-loss lists' own words."""


@dataclass(frozen=True, slots=True)
class ConfirmedCount:
    """A confirmed-loss list's cumulative count of one equipment type, as scraped on `day`.

    Oryx dates are "first seen by the scraper", not the day of the loss.
    """

    source: str
    country: str
    type: str
    day: date
    destroyed: int
    damaged: int
    abandoned: int
    captured: int
    total: int

    def by_status(self, statuses: tuple[str, ...] = STATUSES) -> int:
        if set(statuses) == set(STATUSES):
            return self.total
        return sum(getattr(self, s) for s in statuses)


@dataclass(frozen=True, slots=True)
class ConfirmedItem:
    """One visually confirmed loss: an Oryx list entry or a WarSpotting record."""

    source: str
    id: str
    country: str
    type: str | None
    """The list's equipment type (WarSpotting gives it; Oryx's per-item rows do not)."""
    model: str
    status: str
    day: date | None
    """WarSpotting: the date of the loss; Oryx: the first scrape that saw the entry."""
    address: str | None = None
    """The evidence (photo, video, post) or the record's page."""
    location: str | None = None
    unit: str | None = None
    tags: str | None = None


@dataclass(slots=True)
class ConfirmedBatch:
    """What one confirmed-loss reader produced from one input."""

    source: str
    counts: list[ConfirmedCount] = field(default_factory=list)
    items: list[ConfirmedItem] = field(default_factory=list)
    address: str | None = None
    retrieved_at: str | None = None
