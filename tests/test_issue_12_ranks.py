"""Issue 12, item 3 carried into the ranks: a change that rests on a disputed total (the
sources tie and nothing in the data settles it) is never a record, so no rank ("rank N of
M"), no last higher report, no tied report and no top list counts it either, in `records`
(table, JSON, the API) and in the brief (its facts, its Markdown table, the daybook they are
read from). Before, the ranks and the last higher report counted such days: `records tanks
--date 2022-04-26` ranked 34 "4 of 61 in the war" behind the disputed 48 of 1 March 2022.

The oracle is the `series` document, whose rows flag `disputed` from the ledger's cells on
their own (that report's total or the one before's, of any part): the ranks are counted
here by brute force over its rows that count."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

WINDOWS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365, "war": None}


def _rows(reader: Any, name: str) -> list[dict[str, Any]]:
    from attrition import service

    return [{**r, "day": date.fromisoformat(r["date"])}
            for r in service.series(reader, name)["rows"]]


def _counts(r: dict[str, Any]) -> bool:
    return r["change"] is not None and r["excluded"] is None and not r["disputed"]


def _expected(rows: list[dict[str, Any]], i: int, *, rank_zero: bool = False
              ) -> dict[str, Any]:
    """Ranks, last higher and tied report of row `i`, by brute force over the rows that
    count (a disputed change is none of them). A change of 0 ranks nowhere in `records`;
    the daybook ranks it (`rank_zero`: the brief never calls it a record)."""
    me = rows[i]
    if not _counts(me):
        return {"ranks": dict.fromkeys(WINDOWS), "last_higher": None, "tied_with": None}
    counted = [r for r in rows[:i + 1] if _counts(r)]
    ranks = {}
    for k, w in WINDOWS.items():
        pool = [r for r in counted if w is None or (me["day"] - r["day"]).days < w]
        ranks[k] = {"rank": 1 + sum(r["change"] > me["change"] for r in pool),
                    "of": len(pool),
                    "ties": sum(r["change"] == me["change"] for r in pool) - 1}
    larger = [r for r in counted[:-1] if r["change"] > me["change"]]
    last = larger[-1]["day"] if larger else None
    same = [r for r in counted[:-1] if r["change"] == me["change"]
            and (last is None or r["day"] > last)]
    if me["change"] == 0 and not rank_zero:
        ranks = dict.fromkeys(WINDOWS)
    return {"ranks": ranks, "last_higher": last.isoformat() if last else None,
            "tied_with": same[-1]["day"].isoformat() if same else None}


def _sample(rows: list[dict[str, Any]]) -> list[int]:
    """The rows whose ranks a disputed change moved or could move: the disputed ones, and
    those at the edges of every window after them; and a spread of the rest."""
    days = [r["day"] for r in rows]
    at = {d: i for i, d in enumerate(days)}
    out = set(range(0, len(rows), 53))
    for r in rows:
        if r["disputed"]:
            for k in (0, 1, 2, 3, 6, 7, 8, 15, 29, 30, 31, 89, 90, 91, 364, 365, 366, 700):
                i = at.get(r["day"] + timedelta(days=k))
                if i is not None:
                    out.add(i)
    return sorted(out)


@pytest.mark.slow
def test_records_ranks_leave_out_disputed_changes_over_the_whole_history(reader: Any) -> None:
    """Every category with a disputed total, and the brief's sum: at every disputed change
    and the window edges after it, the `records` document's ranks, last higher and tied
    report, and its top days, are those of the changes that count; so are the daybook's
    standings, which the brief's facts (and its Markdown rank column) read."""
    from attrition import daybook, service

    cells = reader.disputed_cells()
    names = sorted({c for c, _ in cells} | {"vehicles"})
    checked = disputed_days = 0
    cache: dict[tuple[str, str], Any] = {}
    for name in names:
        rows = _rows(reader, name)
        for i in _sample(rows):
            day = rows[i]["day"]
            want = _expected(rows, i)
            doc = service.records(reader, name, day, window=30, top=5, cache=cache)
            got = {k: doc[k] for k in ("last_higher", "tied_with")}
            got["ranks"] = doc["ranks"]
            assert got == want, (name, day)
            assert doc["disputed"] == rows[i]["disputed"], (name, day)
            if rows[i]["disputed"] and rows[i]["excluded"] is None:
                assert doc["excluded"] == "disputed"
                disputed_days += 1
            window = [r for r in rows[:i + 1] if _counts(r)
                      and (day - r["day"]).days < 30]
            top = sorted(window, key=lambda r: (-r["change"], r["day"]))[:5]
            assert [r["date"] for r in doc["rows"]] == [r["date"] for r in top], (name, day)
            book = daybook.lookup(reader, day)
            assert book is not None
            st, full = book.standings[name], _expected(rows, i, rank_zero=True)
            assert list(st.ranks) == [v and v["rank"] for v in full["ranks"].values()], (
                name, day)
            assert (st.highest_since.isoformat() if st.highest_since else None,
                    st.tied_with.isoformat() if st.tied_with else None) == (
                full["last_higher"], full["tied_with"]), (name, day)
            assert st.disputed == rows[i]["disputed"], (name, day)
            checked += 1
    assert disputed_days >= 30 and checked > 500, (disputed_days, checked)


def test_the_brief_markdown_and_the_api_agree_with_records(loaded_db: str) -> None:
    """The brief's Markdown table (its rank and last higher columns), the `records` JSON of
    the CLI and the API's answer: the 34 tanks of 26 April 2022 rank first in 30 days and
    their last higher report is 26 February (66), not the disputed 48 of 1 March; the 48
    itself ranks nowhere."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from attrition import cli
    from attrition.web.app import create_app

    def run(*args: str) -> str:
        res = CliRunner().invoke(cli.app, ["--db", loaded_db, *args])
        assert res.exit_code == 0, res.output
        return res.output

    md = run("brief", "2022-04-26", "--format", "markdown")
    assert "| Tanks | 34 | 918 | 1 | 2022-02-26 (66) |" in md
    md = run("brief", "2022-03-01", "--format", "markdown")
    assert "| Tanks | 48 (disputed) | 198 |  |  |" in md
    doc = json.loads(run("brief", "2022-04-26", "--format", "json"))
    tanks = next(f for f in doc["facts"] if f["category"] == "tanks")
    assert (tanks["rank_war"], tanks["last_higher"], tanks["skipped"],
            tanks["skipped_reason"]) == (3, "2022-02-26", "2022-03-01", "disputed")
    cli_doc = json.loads(run("records", "tanks", "--date", "2022-04-26", "-f", "json"))
    with TestClient(create_app(loaded_db)) as client:
        api = client.get("/api/records/tanks?date=2022-04-26").json()
    assert api["ok"]
    for key in ("ranks", "last_higher", "skipped", "rows", "excluded_days", "disputed"):
        assert api[key] == cli_doc[key], key
    assert api["ranks"]["war"]["rank"] == tanks["rank_war"]
    with TestClient(create_app(loaded_db)) as client:
        own = client.get("/api/records/tanks?date=2022-03-01").json()
    assert own["excluded"] == "disputed" and set(own["ranks"].values()) == {None}


def test_a_period_top_day_is_one_records_count(loaded_db: str) -> None:
    """`summary --week 2022-W09` named 1 March 2022 (48 tanks, resting on the disputed 150
    of 28 February) as the week's top report and marked no sum disputed, while the week's
    brief marked it; now `summary` is the brief's own numbers, and its caption names the
    week that is not complete (2022-W08: the invasion began on its Thursday), not 2022-W09,
    which holds all its 7 reports."""
    from typer.testing import CliRunner

    from attrition import cli

    def run(*args: str) -> str:
        res = CliRunner().invoke(cli.app, ["--db", loaded_db, *args])
        assert res.exit_code == 0, res.output
        return res.output

    doc = json.loads(run("summary", "--week", "2022-W09", "-f", "json"))
    tanks = next(f for f in doc["facts"] if f["category"] == "tanks")
    assert (tanks["max_day"], tanks["max_value"]) == ("2022-03-04", 34)
    assert tanks["disputed"] == ["2022-02-28"]
    brief = json.loads(run("brief", "--week", "2022-W09", "-f", "json"))
    assert doc["facts"] == brief["facts"]
    table = run("summary", "--week", "2022-W09")
    assert "2022-W08 is not complete" in table and "2022-W09 is not complete" not in table
    assert "2022-03-01 (48)" not in table
    assert "2026-08 is not complete" in run("summary", "--month", "2026-08")
