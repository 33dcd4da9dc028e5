"""A brief's own text, put through the checker: every figure of its lead paragraph (the day's
losses, the previous 7 reports' means) and of its totals paragraph comes back supported, in
English and Ukrainian, on a sample of the whole history (every fifth report). The records
paragraph ("the most since the report of …, which had N") is not yet read right by the
checker in every case, so it is not asserted here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from attrition import service
from attrition.check import LedgerView, check_text
from attrition.store.read import Reader


@pytest.fixture(scope="module")
def store(loaded_db: str) -> Iterator[tuple[Reader, LedgerView]]:
    with Reader(loaded_db) as r:
        yield r, LedgerView(r.by_category(), r.corrections())


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n")
            if p.startswith(("Russian forces lost", "За зведеннями", "Since 24 February",
                             "Загалом від 24 лютого", "In its first report", "За першим"))]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_briefs_lead_and_totals_check_as_supported(store: tuple[Reader, LedgerView],
                                                      lang: str) -> None:
    reader, ledger = store
    days = sorted({row.report_date for row in reader.ledger()})
    wrong = []
    checked = 0
    for day in [days[0], *days[1::5], date(2024, 11, 14), date(2024, 11, 30)]:
        doc = service.brief(reader, day, lang=lang)
        for para in _paragraphs(doc["text"]):
            for c in check_text(para, ledger, day)["claims"]:
                checked += 1
                if c["verdict"] != "supported":
                    wrong.append((day.isoformat(), c["text"], c["verdict"], c["why"]))
    assert checked > 3000
    assert not wrong, wrong[:10]
