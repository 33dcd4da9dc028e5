"""Issue 12, the items a walk through the commands found still short: each test failed
before its fix. (The brief's own sentences are tested in test_brief.py and, checked by the
checker, in test_brief_checks.py.)"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from attrition import cli


def _cli(db: str, *args: str) -> Any:
    return CliRunner().invoke(cli.app, ["--db", db, *args])


@pytest.mark.parametrize("oryx_answers", [False, True])
def test_update_fails_a_cron_job_when_no_source_answers(
        db: str, monkeypatch: pytest.MonkeyPatch, shared_data: Path, oryx_answers: bool
) -> None:
    """Item 8: `update` exits non-zero when it could reach no source (and 0 when one
    answered, even with nothing new: here Oryx, with counts the store already has)."""
    daily = (shared_data / "confirmed" / "oryx_data" / "daily_count.csv").read_text()
    lines = daily.splitlines(keepends=True)

    def handler(request: httpx.Request) -> httpx.Response:
        if oryx_answers and request.url.path.endswith("oryx_data/main/daily_count.csv"):
            return httpx.Response(200, text="".join(lines[:200]))
        raise httpx.ConnectError("no network", request=request)

    real = httpx.Client
    monkeypatch.setattr(httpx, "Client", lambda **kw: real(
        transport=httpx.MockTransport(handler), **kw))
    res = _cli(db, "update")
    assert res.exit_code == (0 if oryx_answers else 1), res.output
    assert ("no source reachable" in res.output) is not oryx_answers


def test_show_says_which_category_a_report_lacks_and_prints_no_markup(
        loaded_db: str) -> None:
    """Items 7 and 8: `show` names a category missing from a report (ground robotic
    systems, from 9 August 2026 on), and its age line, piped, is plain text (it printed
    "[yellow]...[/yellow]")."""
    res = _cli(loaded_db, "show", "latest")
    assert res.exit_code == 0
    assert "[yellow]" not in res.output and "[/" not in res.output
    assert "This report has no figure for ground robotic systems" in res.output
    assert "days old" in res.output
    assert "no figure for" not in _cli(loaded_db, "show", "2026-08-08").output


def test_every_report_names_what_it_lacks_over_the_whole_history(reader: Any) -> None:
    """Item 7, on the whole history: the report document's `missing` (show, the API and the
    brief share it) holds exactly the categories counted before a report and absent from
    it; in the bundled data, ground robotic systems from 9 to 22 August 2026."""
    from datetime import date

    from attrition import report

    days = sorted({r.report_date for r in reader.ledger()})
    lacking = {d: report.report(reader, d)["missing"] for d in days}
    assert {d: m for d, m in lacking.items() if m} == {
        d: ["ground_robotic_systems"] for d in days if d >= date(2026, 8, 9)}


_ID = re.compile(r"\b[a-z]+_[a-z_]+\b")  # vehicles_fuel_tanks, two_day, air_defense ...


@pytest.mark.parametrize("day", ["latest", "2026-07-27", "2024-11-30", "2022-02-24"])
def test_records_anomalies_and_compare_tables_name_things_for_people(
        loaded_db: str, day: str) -> None:
    """Item 11 (and 9): the `records` table said "personnel (personnel)", "(tanks + afv +
    vehicles_fuel_tanks)", "(two_day: records skip it)", "Not counted: ... (stale)" and
    "highest-since"; `anomalies` "uav (uav)"; `compare` "(oryx)". Labels for people; the
    ids stay in JSON and CSV."""
    from attrition import categories

    names = [*categories.CURRENT_IDS, *(a.id for a in categories.BUILTIN_AGGREGATES)]
    for name in names:
        out = _cli(loaded_db, "records", name, "--date", day).output
        assert not _ID.findall(out), (name, _ID.findall(out))
        assert f"({name})" not in out and "highest" not in out, out
    two_day = _cli(loaded_db, "records", "uav", "--date", "2026-07-27").output
    assert "(a two-day figure: records skip it)" in two_day
    assert "Not counted: 2026-07-26 (a repeated total), 2026-07-27 (a two-day figure)" \
        in two_day
    assert "highest" not in _cli(loaded_db, "records", "--help").output
    assert _cli(loaded_db, "anomalies", "uav").output.startswith(
        "UAV operational-tactical level: ")
    compare = _cli(loaded_db, "compare", "--to", "2025-07-19").output
    assert "(Oryx)" in compare and "warships / boats + submarines" in compare


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_daily_brief_is_publishable_prose(reader: Any, lang: str) -> None:
    """Items 4, 8, 11 and 12 over every report date: no internal id in the text (the brief
    of 3 July 2026 set "11 Russian ground_robotic_systems" beside a General Staff count
    "not published", a category it began counting in 2026); a tie names its report ("as
    many as on 19 October 2023" reads as the losses of that day, the report of the 20th);
    a sum's skipped day on which some of its parts were first counted (25 February 2022)
    is no "correction"; a loss that rests on a disputed total (48 tanks on 1 March 2022) is
    marked so where the lead states it; a confirmed count months old says how many months,
    in Ukrainian too."""
    from attrition import service

    days = sorted({r.report_date for r in reader.ledger()})
    creations = ties = disputed = 0
    for day in days:
        doc = service.brief(reader, day, lang=lang)
        text = re.sub(r"https?://\S+", "", doc["text"])
        assert not _ID.findall(text), (day, _ID.findall(text))
        assert "not published" not in text and "даних немає" not in text, day
        for f in doc["facts"]:
            if f.get("record_equalled"):
                ties += 1
                assert ("as many as in the report of " if lang == "en"
                        else "стільки ж, скільки у зведенні ") in text, day
            if f.get("change_disputed") and (f["change"] or 0) > 0 and not f["excluded"]:
                # item 6: a loss that rests on a disputed total says so where it is stated
                disputed += 1
                num = f"{f['change']:,}".replace(",", "[,\u00a0]")
                mark = r"\(a disputed figure\)" if lang == "en" else r"\(спірні дані\)"
                assert re.search(rf"\b{num}\b[^;,]{{0,60}}{mark}", text.split("\n\n")[0]), \
                    (day, f["category"])
            if f.get("skipped_reason") == "creation":
                creations += 1
                assert ("without the parts of the sum first counted that day" if lang == "en"
                        else "без складових суми, які тоді рахували вперше") in text, day
        assert "as many as on " not in text and not re.search(r"скільки \d", text), day
        if "найновіші підтверджені дані" in text:
            assert "понад місяць" not in text or "місяців" not in text, day
            assert re.search(r"за (?:\d+ місяц\w+|понад місяць) до цього зведення", text), day
    assert creations >= 3 and ties >= 50 and disputed >= 20, (creations, ties, disputed)


def test_series_marks_every_disputed_total_and_the_change_after_it(reader: Any) -> None:
    """Item 6: tanks on 28 February 2022 (150 against orc-losses' 191, no majority) was a
    plain 0 in `series`, and the 48 after it a plain loss. Over the whole history, a row
    is `disputed` exactly when `validate` lists its total, or the total before it, as
    disputed; the table says so."""
    from datetime import timedelta

    from attrition import categories, service
    from attrition.validate import validate

    listed = {(f.category, f.report_date) for f in validate(list(reader.ledger()), [])
              if f.kind == "disputed"}
    assert ("tanks", date(2022, 2, 28)) in listed and len(listed) >= 10
    for name in categories.IDS:
        rows = service.series(reader, name)["rows"]
        got = {date.fromisoformat(r["date"]) for r in rows if r["disputed"]}
        days = {date.fromisoformat(r["date"]) for r in rows}
        want = {d for d in days if (name, d) in listed
                or (name, d - timedelta(days=1)) in listed}
        assert got == want, name
    part = service.series(reader, "tanks", date(2022, 3, 1), date(2022, 3, 2))["rows"]
    assert [r["disputed"] for r in part] == [True, False]  # from the report before the range


def test_series_table_says_disputed(loaded_db: str) -> None:
    out = _cli(loaded_db, "series", "tanks", "--from", "2022-02-27", "--to", "2022-03-02",
               "--daily", "-f", "table").output
    assert [ln.split("│")[3].strip() for ln in out.splitlines() if "│ 2022-" in ln] == [
        "", "disputed", "disputed", ""]


def test_records_of_the_latest_report_say_how_old_it_is(loaded_db: str) -> None:
    """Item 8: every output of "latest" says how old the report is (`show` and `brief` did;
    `records`, whose date defaults to the latest, did not)."""
    import json

    latest = _cli(loaded_db, "records", "tanks").output
    assert "This is the latest report in the ledger, and it is" in latest
    assert "days old" not in _cli(loaded_db, "records", "tanks", "--date", "2026-08-22").output
    doc = json.loads(_cli(loaded_db, "records", "tanks", "-f", "json").output)
    assert doc["stale"]["refresh"] == "attrition update" and doc["stale"]["age_days"] > 1


def test_summary_of_a_partial_month_sets_means_side_by_side(loaded_db: str) -> None:
    """Item 2: `summary --month 2026-08` (21 of 31 reports) set its sum of 27,650 beside
    July's 42,860 with no word; now each row has both means per report, and the table says
    to compare those."""
    out = _cli(loaded_db, "summary", "--month", "2026-08").output
    row = next(ln for ln in out.splitlines() if ln.startswith("│ Personnel"))
    assert [c.strip() for c in row.split("│")[2:-1]] == [
        "27,650", "21 of 31", "1,316.7", "42,860", "1,382.6", "2026-08-16 (1,510)"]
    assert "2026-08 is not complete: set the means per report against each other" in out
    assert "not complete" not in _cli(loaded_db, "summary", "--month", "2026-07").output


@pytest.mark.parametrize(("query", "flags"), [
    ("", {"ground_robotic_systems": ["missing"]}),
    ("date=2026-07-26", {"uav": ["stale", "disputed"], "ground_robotic_systems": ["single"]}),
    ("date=2026-07-27", {"uav": ["two_day", "disputed"], "ground_robotic_systems": ["single"]}),
    ("date=2024-11-30", {c: ["correction"] for c in (
        "afv", "mlrs", "air_defense", "vehicles_fuel_tanks", "special_equipment")}),
    ("date=2022-03-01", {"tanks": ["disputed"], "military_auto": ["single"],
                         "fuel_tanks": ["single"]}),
])
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_dashboard_cards_say_what_is_no_days_loss_or_no_settled_figure(
        loaded_db: str, query: str, flags: dict[str, list[str]], lang: str) -> None:
    """Items 3, 4, 6, 7 on the dashboard: a card showed +2,719 UAVs, a correction's rise or
    a disputed 48 tanks as a plain day's loss, a single-witness figure as any other, and
    left out a category the report lacks; each now says so, in the page's language."""
    from fastapi.testclient import TestClient

    from attrition.web.app import create_app

    with TestClient(create_app(loaded_db)) as client:
        body = client.get(f"/?{query}&lang={lang}", headers={"accept": "text/html"}).text
    got = {m[1]: re.findall(r'data-flag="([a-z_]+)"', m[2]) for m in re.finditer(
        r'<article class="card[^"]*" data-category="([a-z_]+)">(.*?)</article>', body, re.S)}
    assert {c: f for c, f in got.items() if f} == flags


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_api_says_how_old_the_latest_report_is(loaded_db: str, lang: str) -> None:
    """Surface finding 28 (item 8): `show latest -f json` and `brief -f json` carry `stale`;
    /api/report/latest and /api/brief/latest did not. Now they do, counted at each request
    (never from the response cache), and a dated request has none."""
    from datetime import UTC, datetime, timedelta
    from unittest import mock

    from fastapi.testclient import TestClient

    from attrition.web import models
    from attrition.web.app import create_app

    with TestClient(create_app(loaded_db)) as client:
        rep = client.get("/api/report/latest").json()
        models.ReportDoc.model_validate(rep)
        assert rep["stale"]["age_days"] > 1 and rep["stale"]["refresh"] == "attrition update"
        assert rep["stale"]["en"].startswith("This is the latest report in the ledger")
        assert "stale" not in client.get(f"/api/report/{rep['date']}").json()
        for path in ("/api/brief/latest", "/api/brief"):
            doc = client.get(f"{path}?lang={lang}").json()
            models.BriefDoc.model_validate(doc)
            assert doc["stale"]["age_days"] == rep["stale"]["age_days"], path
            assert doc["text"].startswith("This is the latest" if lang == "en"
                                          else "Це останнє зведення"), path
            text = client.get(f"{path}?lang={lang}&format=text").text
            assert text.startswith(doc["text"][:20]), path
        dated = client.get(f"/api/brief/{rep['date']}?lang={lang}").json()
        assert "stale" not in dated and not dated["text"].startswith(doc["text"][:20])
        # a day later the same request says a day more: nothing cached the age
        later = datetime.now(UTC) + timedelta(days=1)
        with mock.patch("attrition.report.datetime") as dt:
            dt.now.return_value = later
            dt.side_effect = datetime
            again = client.get("/api/report/latest").json()
        assert again["stale"]["age_days"] == rep["stale"]["age_days"] + 1
