"""The checker on the phrasings the press uses every day, in our own words (tests/fixtures/
phrasings/*.txt: report date | sentence | value:verdict of every figure in order). Written
from the general phenomena (a base "up from 293 the day before", "за жовтень", "дрони",
"lost 890 men on Thursday" in a Thursday article), not from any evaluation article."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from attrition.check import LedgerView, check_text
from attrition.store.read import Reader

HERE = Path(__file__).parent / "fixtures" / "phrasings"


def _cases() -> list[object]:
    out: list[object] = []
    for path in sorted(HERE.glob("*.txt")):
        for i, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            day, text, want = line.split(" | ")
            text = text.replace("\\n", "\n")  # a list's lines, written "\n" on one line
            out.append(pytest.param(day, text, want.split(), id=f"{path.stem}:{i}"))
    return out


@pytest.fixture(scope="module")
def ledger(loaded_db: str) -> LedgerView:
    with Reader(loaded_db) as r:
        return LedgerView(r.by_category(), r.corrections())


@pytest.mark.parametrize(("day", "text", "want"), _cases())
def test_every_figure_of_a_common_phrasing_gets_its_verdict(
        ledger: LedgerView, day: str, text: str, want: list[str]) -> None:
    doc = check_text(text, ledger, date.fromisoformat(day))
    got = [f"{c['value']}:{c['verdict']}" for c in doc["claims"]]
    assert got == want, [(c["text"], c["why"]) for c in doc["claims"]]
