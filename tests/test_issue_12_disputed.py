"""Issue 12, item 6 carried into records and charts: a figure that rests on a disputed total
(the sources tie and nothing in the data settles it) is no record, a record set against one
says so, and a chart marks it. Each test failed before its fix."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from attrition import categories


def _disputed_changes(reader: Any) -> dict[str, set[date]]:
    """For each category and the brief's aggregate, the report dates whose change rests on
    a disputed total (that day's or the day before's, of any part), from the ledger's cells
    directly."""
    cells = {(r.category, r.report_date) for r in reader.ledger() if r.disputed}
    out: dict[str, set[date]] = {}
    for name in [*categories.IDS, "vehicles"]:
        parts = categories.parts(name)
        out[name] = {d + timedelta(days=k) for c, d in cells if c in parts for k in (0, 1)}
    return out


@pytest.mark.parametrize(("day", "lang", "want", "unwanted"), [
    # 48 tanks on 1 March 2022 follow the disputed 150 of 28 February
    ("2022-04-26", "en", "the most since the report of 1 March 2022, which had 48 "
                         "(a disputed figure)", None),
    ("2022-04-26", "uk", "найбільше від зведення 1 березня 2022 року, у якому було 48 "
                         "(спірні дані)", None),
    # 43 vehicles and fuel tanks rest on the disputed 7,909 (minfin 7,409): no record
    ("2023-08-29", "en", "nothing settles it: the figure given is disputed, and no record "
                         "is drawn from it", "43 vehicles and fuel tanks, the most since"),
    ("2023-08-29", "uk", "рекордом їх не вважаємо",
     "Автомобільна техніка та автоцистерни – 43: найбільше"),
    ("2022-10-13", "en", "no record is drawn from it", "4 units of special equipment, as many"),
    ("2023-10-16", "en", "1 aircraft, as many as in the report of 14 October 2023 (a disputed "
                         "figure) and", None),
])
def test_a_record_never_rests_on_a_disputed_figure_unsaid(
        reader: Any, day: str, lang: str, want: str, unwanted: str | None) -> None:
    from attrition import service

    text = service.brief(reader, date.fromisoformat(day), lang=lang)["text"]
    assert want in text
    if unwanted:
        assert unwanted not in text


@pytest.mark.slow
def test_over_the_whole_history_records_say_when_they_meet_a_disputed_figure(
        reader: Any) -> None:
    """Every report date: no record is a disputed figure, and every record whose last
    higher (or tied, or skipped) report is a disputed figure says so, in the facts and the
    text."""
    from attrition import service

    disputed = _disputed_changes(reader)
    days = sorted({r.report_date for r in reader.ledger()})
    named = 0
    for day in days:
        doc = service.brief(reader, day)
        for f in doc["facts"]:
            if f["category"] not in doc["notable"]:
                continue
            assert day not in disputed[f["category"]], (day, f["category"])
            for key, flag in (("last_higher", "last_higher_disputed"),
                              ("tied_with", "tied_with_disputed"),
                              ("skipped", "skipped_disputed")):
                on = f[key] is not None and date.fromisoformat(f[key]) in disputed[
                    f["category"]]
                assert f[flag] == on, (day, f["category"], key)
                named += on
        if any(f["last_higher_disputed"] for f in doc["facts"]
               if f["category"] in doc["notable"]):
            assert re.search(r"which had [\d,]+ \(a disputed figure\)", doc["text"]), day
    assert named >= 10, named


def test_records_say_when_the_last_higher_report_is_a_disputed_figure(loaded_db: str) -> None:
    """`records tanks --date 2022-04-26` named 1 March 2022 (48, after the disputed 150 of
    28 February) as its last higher report like any other; the JSON, the table and the
    top list now say it is disputed."""
    import json

    from typer.testing import CliRunner

    from attrition import cli

    def run(*args: str) -> str:
        return CliRunner().invoke(cli.app, ["--db", loaded_db, "records", *args]).output

    doc = json.loads(run("tanks", "--date", "2022-04-26", "--window", "60", "-f", "json"))
    assert doc["last_higher"] == "2022-03-01" and doc["last_higher_disputed"]
    assert not doc["disputed"]
    assert [r["date"] for r in doc["rows"] if r["disputed"]] == ["2022-03-01"]
    out = run("tanks", "--date", "2022-04-26", "--window", "60")
    assert "last higher 2022-03-01 (48, a disputed figure)" in out
    assert re.search(r"2022-03-01\s*│\s*48\s*│\s*disputed", out)
    own = json.loads(run("vehicles_fuel_tanks", "--date", "2023-08-29", "-f", "json"))
    assert own["disputed"] and not own["last_higher_disputed"]
