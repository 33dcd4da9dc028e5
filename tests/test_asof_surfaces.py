"""The ledger as of a moment where users meet it: `show`, `series`, `check` and `history`
in the CLI (real processes), `/api/report/{date}?as_of=`, the v2 day record and
`/api/history/{date}`, against a store whose report of 14 November 2024 was corrected on
3 December 2024 (see tests/test_asof.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attrition import service
from attrition.store.read import Reader
from attrition.web.app import create_app
from test_asof import CORRECTED, correction_files, ingest_files

ARTICLE = Path(__file__).parent / "fixtures" / "articles" / "asof-2024-11-14.txt"


@pytest.fixture(scope="module")
def corrected(loaded_db: str, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> str:
    folder = tmp_path_factory.mktemp("surfaces")
    path = folder / "ledger.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    ingest_files(url, correction_files(shared_data, folder / "files"), CORRECTED)
    return url


def run(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATTRITION_DB": db.removeprefix("sqlite:///"), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "attrition.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def tanks(doc: dict[str, object]) -> dict[str, object]:
    return next(f for f in doc["figures"] if f["category"] == "tanks")  # type: ignore[attr-defined]


def test_show_as_of_gives_the_old_figure_before_the_correction_and_the_new_after(
        corrected: str) -> None:
    before = run("show", "2024-11-14", "--as-of", "2024-12-01", "--format", "json",
                 db=corrected)
    assert before.returncode == 0, before.stderr
    old = json.loads(before.stdout)
    assert tanks(old)["total"] == 9319 and tanks(old)["change"] == 19
    assert tanks(old)["since"] == "2024-11-14T09:00:00+02:00"
    assert [(r["source"], r["total"], r["effective_at"]) for r in tanks(old)["revised_after"]
            ] == [("orc-losses", 9321, "2024-12-03T10:00:00+02:00"),
                  ("petroivaniuk", 9321, "2024-12-03T10:00:00+02:00")]
    assert old["as_of"]["time"] == "2024-12-01T23:59:59.999999+02:00"
    after = json.loads(run("show", "2024-11-14", "--as-of", "2024-12-03T11:00",
                           "--format", "json", db=corrected).stdout)
    assert tanks(after)["total"] == 9321 and tanks(after)["change"] == 21
    assert tanks(after)["since"] == "2024-12-03T10:00:00+02:00"
    assert tanks(after)["revised_after"] == []
    text = run("show", "2024-11-14", "--as-of", "2024-12-01", db=corrected).stdout
    assert "9,319" in text and "then orc-losses: 9,321 from 2024-12-03T10:00:00+02:00" in text


def test_show_as_of_before_the_report_and_a_bad_time(corrected: str) -> None:
    early = run("show", "2024-11-14", "--as-of", "2024-11-14T08:00", db=corrected)
    assert early.returncode == 1
    assert early.stderr.strip() == (
        "attrition: error: no report for 2024-11-14 as of 2024-11-14T08:00:00+02:00 (the "
        "ledger then ran 2022-02-24 .. 2024-11-13)")
    latest = json.loads(run("show", "latest", "--as-of", "2024-11-14T08:00", "--format",
                            "json", db=corrected).stdout)
    assert latest["date"] == "2024-11-13"
    bad = run("show", "2024-11-14", "--as-of", "14/11/2024", db=corrected)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("attrition: error: not a time: '14/11/2024'")


def test_series_as_of(corrected: str) -> None:
    res = run("series", "tanks", "--from", "2024-11-13", "--to", "2024-11-15", "--daily",
              "--as-of", "2024-11-20", "--format", "json", db=corrected)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["as_of"] == "2024-11-20T23:59:59.999999+02:00"
    now = json.loads(run("series", "tanks", "--from", "2024-11-13", "--to", "2024-11-15",
                         "--daily", "--format", "json", db=corrected).stdout)
    then_changes = [r["change"] for r in doc["rows"]]
    now_changes = [r["change"] for r in now["rows"]]
    assert then_changes[1] == 19 and now_changes[1] == 21
    assert then_changes[2] == now_changes[2] + 2  # the next report's change moves back
    aggregate = json.loads(run("series", "armour", "--from", "2024-11-14", "--to",
                               "2024-11-14", "--as-of", "2024-11-20", "--format", "json",
                               db=corrected).stdout)
    assert aggregate["rows"][0]["total"] == 9319 + 18947


def test_check_as_of_supported_as_published_with_the_revision_note(corrected: str) -> None:
    res = run("check", str(ARTICLE), "--as-of", "2024-11-14T10:30", "--format", "json",
              db=corrected)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["article"]["as_of"] == "2024-11-14T10:30:00+02:00"
    assert doc["article"]["latest_report"] == "2024-11-14"
    by_text = {c["text"]: c for c in doc["claims"]}
    daily, total = by_text["19 tanks"], by_text["9,319 tanks"]
    assert daily["verdict"] == "supported" and total["verdict"] == "supported"
    assert daily["revised"] == {
        "verdict_now": "contradicted", "actual_now": 21,
        "revised_at": "2024-12-03T10:00:00+02:00", "sources": ["orc-losses", "petroivaniuk"],
        "text": "supported by the report of 14 November 2024 as published; revised on "
                "3 December 2024 to 21 (contradicted now)"}
    assert total["revised"]["actual_now"] == 9321
    assert by_text["64"]["verdict"] == "supported" and "revised" not in by_text["64"]
    assert doc["article"]["revised_claims"] == 2
    # now: the corrected figures contradict the article
    now = json.loads(run("check", str(ARTICLE), "--format", "json", db=corrected).stdout)
    assert {c["text"]: c["verdict"] for c in now["claims"]}["19 tanks"] == "contradicted"
    text = run("check", str(ARTICLE), "--as-of", "2024-11-14T10:30", db=corrected).stdout
    assert "revised on 3 December 2024 to 21 (contradicted now)" in text


def test_check_as_of_before_the_report_was_published(corrected: str) -> None:
    """At 08:00 the report of the 14th was not out: the article's figures for it cannot be
    verified from what had been published (and the note says they are now contradicted)."""
    doc = json.loads(run("check", str(ARTICLE), "--as-of", "2024-11-14T08:00", "--format",
                         "json", db=corrected).stdout)
    verdicts = {c["text"]: c["verdict"] for c in doc["claims"]}
    assert verdicts["19 tanks"] != "supported"
    assert doc["claims"][0]["revised"]["verdict_now"] == "contradicted"


def test_the_checker_entry_takes_as_of(corrected: str) -> None:
    """What the watcher calls: `Checker.check(text, as_of=published)`."""
    with Reader(corrected) as r:
        checker = service.Checker(r)
    text = ARTICLE.read_text("utf-8")
    doc = checker.check(text, as_of="2024-11-14T10:30+02:00")
    assert {c["text"]: c["verdict"] for c in doc["claims"]}["19 tanks"] == "supported"
    again = checker.check(text, as_of="2024-11-14T11:45+02:00")  # same ledger: one view
    assert again["claims"] == doc["claims"]
    assert checker._moments_of is not None and len(checker._moments_of[1]._views) == 1
    latest = checker.check(text, as_of="2026-12-01T10:00+02:00")
    assert latest["article"]["revised_claims"] == 0
    assert latest["article"]["latest_report"] == "2026-08-22"
    assert {c["text"]: c["verdict"] for c in latest["claims"]}["19 tanks"] == "contradicted"


def test_history_lists_every_revision_with_its_times(corrected: str) -> None:
    res = run("history", "2024-11-14", "tanks", "--format", "json", db=corrected)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    got = [(r["source"], r["revision"], r["total"], r["effective_at"], r["seen_at"])
           for r in doc["revisions"]]
    assert got == [
        ("petroivaniuk", 1, 9319, "2024-11-14T09:00:00+02:00", "2026-08-08"),
        ("petroivaniuk", 2, 9321, "2024-12-03T10:00:00+02:00", CORRECTED),
        ("orc-losses", 1, 9319, "2024-11-14T09:00:00+02:00", "2026-08-22"),
        ("orc-losses", 2, 9321, "2024-12-03T10:00:00+02:00", CORRECTED),
        ("minfin", None, 9319, "2024-11-14T09:00:00+02:00", None)]
    assert doc["ledger"] == [{"category": "tanks", "total": 9321, "change": 21,
                              "sources": ["petroivaniuk", "orc-losses"],
                              "dissent": {"minfin": 9319}, "method": "majority"}]
    text = run("history", "2024-11-14", "tanks", db=corrected).stdout
    assert "2024-12-03T10:00:00+02:00" in text and "9,321" in text
    whole = json.loads(run("history", "2024-11-14", "--format", "json", db=corrected).stdout)
    assert len({r["category"] for r in whole["revisions"]}) == 14
    bad = run("history", "2024-11-14", "tankz", db=corrected)
    assert bad.returncode == 1 and "unknown category 'tankz'" in bad.stderr
    missing = run("history", "2021-01-01", db=corrected)
    assert missing.returncode == 1 and "no report for 2021-01-01" in missing.stderr


@pytest.fixture(scope="module")
def client(corrected: str) -> Iterator[TestClient]:
    with TestClient(create_app(corrected)) as c:
        yield c


def test_api_report_as_of(client: TestClient) -> None:
    old = client.get("/api/report/2024-11-14", params={"as_of": "2024-12-01T12:00"})
    assert old.status_code == 200
    assert tanks(old.json())["total"] == 9319
    new = client.get("/api/report/2024-11-14", params={"as_of": "2024-12-03T08:00:00Z"})
    assert tanks(new.json())["total"] == 9321  # 10:00 Kyiv
    assert tanks(client.get("/api/report/2024-11-14").json())["total"] == 9321
    csv = client.get("/api/report/2024-11-14.csv", params={"as_of": "2024-12-01"}).text
    assert ",9319," in csv
    bad = client.get("/api/report/2024-11-14", params={"as_of": "soon"})
    assert bad.status_code == 400 and bad.json()["error"].startswith("not a time: 'soon'")
    early = client.get("/api/report/2024-11-14", params={"as_of": "2024-11-14T08:00"})
    assert early.status_code == 404
    latest = client.get("/api/report/latest", params={"as_of": "2024-11-14T08:00"})
    assert latest.json()["date"] == "2024-11-13"


def test_api_v2_day_as_of(client: TestClient) -> None:
    old = client.get("/api/v2/statistics/2024-11-14", params={"as_of": "2024-12-01"}).json()
    assert old["data"]["stats"]["tanks"] == 9319 and old["data"]["increase"]["tanks"] == 19
    now = client.get("/api/v2/statistics/2024-11-14").json()
    assert now["data"]["stats"]["tanks"] == 9321
    early = client.get("/api/v2/statistics/2024-11-14",
                       params={"as_of": "2024-11-14T08:00"})
    assert early.status_code == 422 and early.json()["data"] is None


def test_api_history(client: TestClient) -> None:
    doc = client.get("/api/history/2024-11-14", params={"category": "tanks"}).json()
    assert doc["ok"] is True
    assert [r["total"] for r in doc["revisions"] if r["source"] == "orc-losses"] == [9319,
                                                                                    9321]
    assert client.get("/api/history/2021-01-01").status_code == 404


def test_a_moment_is_quick_enough_for_the_checker(corrected: str) -> None:
    """One article judged as of its morning re-resolves a few reports, not the history."""
    import time

    from attrition.dates import parse_moment
    from attrition.store import asof

    with Reader(corrected) as r:
        asof.at(r, parse_moment("2024-11-14T10:30"))
        start = time.perf_counter()
        m = asof.at(r, parse_moment("2024-11-14T10:30"))
        took = time.perf_counter() - start
    assert {d for d, _ in m.cells} <= {date(2024, 11, 13), date(2024, 11, 14),
                                       date(2024, 11, 15)}
    assert took < 1.0


def test_api_check_as_of(client: TestClient) -> None:
    text = ARTICLE.read_text("utf-8")
    then = client.post("/api/check", json={"text": text, "as_of": "2024-11-14T10:30"}).json()
    claims = {c["text"]: c for c in then["claims"]}
    assert claims["19 tanks"]["verdict"] == "supported"
    assert claims["19 tanks"]["revised"]["verdict_now"] == "contradicted"
    same = client.post("/api/check", params={"as_of": "2024-11-14T10:30"},
                       content=text.encode(), headers={"content-type": "text/plain"}).json()
    assert same["claims"] == then["claims"]
    now = client.post("/api/check", json={"text": text}).json()
    assert {c["text"]: c["verdict"] for c in now["claims"]}["19 tanks"] == "contradicted"
    bad = client.post("/api/check", json={"text": text, "as_of": "at dawn"})
    assert bad.status_code == 400 and "not a time: 'at dawn'" in bad.json()["error"]


def test_before_the_first_report_is_said_plainly(corrected: str) -> None:
    show = run("show", "latest", "--as-of", "2022-01-01", db=corrected)
    assert show.returncode == 1 and show.stderr.strip() == (
        "attrition: error: no report had been published by 2022-01-01T23:59:59.999999+02:00 "
        "(the first is of 2022-02-24)")
    check = run("check", str(ARTICLE), "--as-of", "2022-01-01T12:00", db=corrected)
    assert check.returncode == 1 and "nothing to judge it on" in check.stderr
    series = run("series", "tanks", "--as-of", "2022-01-01", db=corrected)
    assert series.returncode == 0 and series.stdout == ""
    far = run("show", "2024-11-14", "--as-of", "2101-01-01", db=corrected)
    assert far.stderr.strip() == ("attrition: error: time out of range: '2101-01-01' (give "
                                  "one between 1900-01-01 and 2100-12-31)")


def test_the_checker_takes_a_datetime_with_or_without_zone(corrected: str) -> None:
    from datetime import UTC, datetime

    with Reader(corrected) as r:
        checker = service.Checker(r)
    text = ARTICLE.read_text("utf-8")
    naive = checker.check(text, as_of=datetime(2024, 11, 14, 10, 30))  # Kyiv time
    zoned = checker.check(text, as_of=datetime(2024, 11, 14, 8, 30, tzinfo=UTC))
    assert naive["claims"] == zoned["claims"]
    assert naive["article"]["as_of"] == zoned["article"]["as_of"] == "2024-11-14T10:30:00+02:00"


def test_api_series_as_of(client: TestClient) -> None:
    params = {"from": "2024-11-13", "to": "2024-11-15"}
    then = client.get("/api/series/tanks", params={**params, "as_of": "2024-12-01"}).json()
    now = client.get("/api/series/tanks", params=params).json()
    assert [r["change"] for r in then["rows"]][1] == 19
    assert [r["change"] for r in now["rows"]][1] == 21
    assert then["as_of"] == "2024-12-01T23:59:59.999999+02:00"
    assert then["latest_report"] == "2024-12-01" and "as_of" not in now
    armour = client.get("/api/series/armour.csv", params={**params, "as_of": "2024-12-01"})
    assert f",{9319 + 18947}," in armour.text
