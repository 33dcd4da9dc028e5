"""An article built to stall the checker (hundreds of thousands of figures) is checked for
its first MAX_CLAIMS figures only, and the document says so."""

from __future__ import annotations

import time
from datetime import date

import pytest

from attrition.check import check_text
from attrition.check.claims import MAX_CLAIMS
from attrition.check.ledger import LedgerView
from attrition.store.read import Reader


@pytest.fixture(scope="module")
def ledger(loaded_db: str) -> LedgerView:
    with Reader(loaded_db) as r:
        return LedgerView(r.by_category(), r.corrections())


def test_a_page_of_figures_is_checked_up_to_the_cap(ledger: LedgerView) -> None:
    text = "Russia lost 8 tanks over the past day. " * (MAX_CLAIMS * 5)
    start = time.thread_time()
    doc = check_text(text, ledger, date(2024, 11, 14))
    spent = time.thread_time() - start
    assert len(doc["claims"]) == MAX_CLAIMS
    assert doc["article"]["capped_at"] == MAX_CLAIMS
    assert spent < 30  # a blow-up, not noise: uncapped this took minutes


def test_a_real_article_is_not_capped(ledger: LedgerView) -> None:
    doc = check_text("Russia lost 19 tanks over the past day, Kyiv said.", ledger,
                     date(2024, 11, 14))
    assert "capped_at" not in doc["article"]
    assert [c["verdict"] for c in doc["claims"]] == ["supported"]
