"""Claimed against confirmed: the Oryx and WarSpotting readers, the crosswalk, glitches,
`compare`, and the confirmed context in the brief and the checker."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import itertools
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest

from attrition import crosswalk, snapshot, update
from attrition.analysis.confirmed import Confirmed, glitches, item_counts
from attrition.errors import ConfigError, ParseError
from attrition.model import ConfirmedBatch
from attrition.sources import oryx, warspotting
from attrition.store.db import Store
from attrition.store.read import Reader


def run(*args: str, db: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATTRITION_DB": db, "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "attrition.cli", *args], env=env,
                          capture_output=True, text=True, input=stdin, timeout=120)


FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOT_END = date(2025, 7, 19)


@pytest.fixture(scope="module")
def oryx_dir(shared_data: Path) -> Path:
    return shared_data / "confirmed" / "oryx_data"


@pytest.fixture(scope="module")
def daily(oryx_dir: Path) -> ConfirmedBatch:
    return oryx.read_daily_count((oryx_dir / "daily_count.csv").read_bytes())


@pytest.fixture(scope="module")
def totals(oryx_dir: Path) -> ConfirmedBatch:
    return oryx.read_totals((oryx_dir / "totals_by_type.csv").read_bytes(), SNAPSHOT_END)


# -- readers -----------------------------------------------------------------------------


def test_daily_count_reads_every_row_with_stable_type_names(daily: ConfirmedBatch,
                                                          oryx_dir: Path) -> None:
    with (oryx_dir / "daily_count.csv").open(newline="", encoding="utf-8") as f:
        assert len(daily.counts) == sum(1 for _ in csv.DictReader(f))
    types = {c.type for c in daily.counts if c.country == "Russia"}
    assert "Losses excluding Recon Drones and Trucks" in types
    assert "Losses of Armoured Combat Vehicles" in types
    assert not any(" - " in t or "\n" in t for t in types)


def test_events_read_with_evidence_address_and_model(oryx_dir: Path) -> None:
    batch = oryx.read_events((oryx_dir / "event_captured.csv").read_bytes())
    assert len(batch.items) == 5392
    first = batch.items[0]
    assert first.status == "captured" and first.address and first.address.startswith("http")
    assert not first.model[0].isdigit()  # the running count "877 " is cut off


def test_every_oryx_type_is_mapped_or_listed_as_unmapped(daily: ConfirmedBatch,
                                                         totals: ConfirmedBatch) -> None:
    cw = crosswalk.load()
    for batch in (daily, totals):
        assert cw.unknown("oryx", {c.type for c in batch.counts}) == set()


def test_confirmed_totals_equal_the_sources_printed_totals(
        daily: ConfirmedBatch, totals: ConfirmedBatch) -> None:
    cw = crosswalk.load()
    conf = Confirmed("oryx", daily.counts, cw)
    printed = {c.type: c for c in totals.counts if c.country == "Russia"}
    for type_, t in printed.items():
        got = conf.type_at(type_, SNAPSHOT_END)
        assert got is not None and got[0] == t.total, type_
        for status in ("destroyed", "captured"):
            by_status = Confirmed("oryx", daily.counts, cw, statuses=(status,))
            assert by_status.type_at(type_, SNAPSHOT_END)[0] == getattr(t, status), (  # type: ignore[index]
                type_, status)
    # and each crosswalk line is the sum of the printed totals of its types
    for row in cw.rows:
        v = conf.at(row, SNAPSHOT_END)
        want = sum(printed[t].total for t in row.types["oryx"] if t in printed)
        assert v is not None and v.value == want, row.name


def test_the_scrape_glitch_is_flagged_and_kept_out(daily: ConfirmedBatch) -> None:
    found = [g for g in glitches(daily.counts) if g.country == "Russia"]
    assert [(g.day, g.type, g.field, g.before, g.value) for g in found] == [
        (date(2022, 3, 28), "All Types", "destroyed", 959, 100),
        (date(2022, 3, 28), "All Types", "total", 1924, 1115)]
    conf = Confirmed("oryx", daily.counts, crosswalk.load())
    assert conf.type_at("All Types", date(2022, 3, 28)) == (1924, date(2022, 3, 27))


def test_glitch_detector_leaves_real_reclassifications_alone() -> None:
    from attrition.model import ConfirmedCount

    def c(day: int, n: int) -> ConfirmedCount:
        return ConfirmedCount("oryx", "Russia", "Tanks", date(2025, 1, day), n, 0, 0, 0, n)

    assert glitches([c(1, 1000), c(2, 995), c(3, 1001)]) == []  # a small real dip
    assert len(glitches([c(1, 1000), c(2, 400), c(3, 1010)])) == 2  # destroyed and total


def test_derived_tanks_agree_with_direct_counts(daily: ConfirmedBatch) -> None:
    cw = crosswalk.load()
    conf = Confirmed("oryx", daily.counts, cw)
    row = cw.row("tanks")
    indirect = dataclasses.replace(row, types={"oryx": ("(none)",), "warspotting": ()})
    same = differ = 0
    for d in conf.scrapes:
        direct = conf.type_at("Tanks", d)
        derived = conf.at(indirect, d)
        if direct and direct[1] == d and derived is not None:
            if derived.value == direct[0]:
                same += 1
            else:
                differ += 1
                assert abs(derived.value - direct[0]) <= 11
    assert (same, differ) == (27, 2)
    v = conf.at(row, date(2024, 11, 14))
    assert v is not None and v.derived and v.value == 10888 - 1744 - 4986 - 544 - 56


@pytest.mark.parametrize(("text", "where"), [
    ("country,equipment_type,destroyed\nRussia,Tanks,1\n", "line 1"),
    ("country,equipment_type,destroyed,abandoned,captured,damaged,type_total,date_recorded\n"
     "Russia,Tanks,1,0,0,0,1,2025-01-01\nRussia,Tanks,x,0,0,0,1,2025-01-02\n",
     "line 3, field 'destroyed'"),
    ("country,equipment_type,destroyed,abandoned,captured,damaged,type_total,date_recorded\n"
     "Russia,Tanks,1,0,0,0,1,2025-02-30\n", "line 2, field 'date_recorded'"),
    ("country,equipment_type,destroyed,abandoned,captured,damaged,type_total,date_recorded\n"
     "Russia,Tanks,1,0,0\n", "line 2"),
])
def test_malformed_oryx_files_name_the_place(text: str, where: str) -> None:
    with pytest.raises(ParseError, match=where):
        oryx.read_daily_count(text.encode())


# -- WarSpotting ---------------------------------------------------------------------------


def test_warspotting_recorded_response() -> None:
    batch = warspotting.read((FIXTURES / "warspotting" / "losses_russia_2024-11-13.json")
                             .read_bytes())
    by_id = {i.id: i for i in batch.items}
    assert set(by_id) == {"27101", "27102", "27105", "27110"}
    assert by_id["27102"].status == "abandoned" and by_id["27102"].tags == "FPV drone, Mine"
    assert by_id["27105"].status == "captured" and by_id["27105"].day == date(2024, 11, 12)
    assert by_id["27101"].address == "https://ukr.warspotting.net/view/27101/"
    counts = item_counts(batch.items, crosswalk.load())
    tanks = [c for c in counts if c.type == "Tanks"]
    assert [(c.day, c.total) for c in tanks] == [(date(2024, 11, 13), 1)]


def test_warspotting_types_in_the_recording_are_mapped() -> None:
    batch = warspotting.read((FIXTURES / "warspotting" / "losses_russia_2024-11-13.json")
                             .read_bytes())
    cw = crosswalk.load()
    assert cw.unknown("warspotting", {i.type for i in batch.items if i.type}) == set()


def test_warspotting_bad_record_names_it() -> None:
    doc = {"losses": [{"id": 5, "type": "Tanks", "model": "T-90M", "status": "Exploded",
                       "lost_by": "Russia", "date": "2024-11-13"}]}
    with pytest.raises(ParseError, match="record 5, field 'status'"):
        warspotting.read(json.dumps(doc))


def test_warspotting_update_pages_by_id_within_the_rate_limit() -> None:
    requests: list[str] = []
    clock = [0.0]
    stamps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request.url.path)
        stamps.append(clock[0])
        start = int(request.url.path.rsplit("/", 1)[1])
        n = 100 if start < 300 else 7
        return httpx.Response(200, json={"losses": [
            {"id": start + i, "type": "Tanks", "model": "T-72B3", "status": "Destroyed",
             "lost_by": "Russia", "date": "2025-01-01"} for i in range(n)]})

    def sleep(s: float) -> None:
        clock[0] += s

    client = httpx.Client(transport=httpx.MockTransport(handler))
    batch = update.fetch_warspotting(client, after_id=0, sleep=sleep)
    assert requests == ["/api/losses/russia/1", "/api/losses/russia/101",
                        "/api/losses/russia/201", "/api/losses/russia/301"]
    assert len(batch.items) == 307
    # never more than 10 requests in any 10 seconds
    assert all(sum(1 for t in stamps if s <= t < s + 10) <= 10 for s in stamps)
    assert min(b - a for a, b in itertools.pairwise(stamps)) >= 1.0


def test_offline_confirmed_update_is_reported_not_raised() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no network", request=request)

    got = update.fetch_confirmed(httpx.Client(transport=httpx.MockTransport(refuse)),
                                 sleep=lambda s: None)
    assert not got.confirmed and len(got.failures) == 2
    assert all("offline" in f for f in got.failures)


# -- crosswalk and store ---------------------------------------------------------------------


def test_user_crosswalk_overrides_and_is_checked(tmp_path: Path) -> None:
    mine = tmp_path / "cw.toml"
    mine.write_text('[[row]]\nname = "tanks"\nledger = ["tanks"]\noryx = ["Tanks"]\n'
                    'basis = "mine"\n', encoding="utf-8")
    cw = crosswalk.load(mine)
    assert [r.name for r in cw.rows] == ["tanks"] and cw.row("tanks").basis == "mine"
    mine.write_text('[[row]]\nname = "x"\nledger = ["tankz"]\nbasis = "b"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown ledger category 'tankz'"):
        crosswalk.load(mine)


def test_bundled_confirmed_snapshot_equals_a_fresh_build(shared_data: Path) -> None:
    fresh = snapshot.dumps(snapshot.build_confirmed(shared_data))
    assert fresh == snapshot.bundled_confirmed_bytes()
    doc = json.loads(gzip.decompress(fresh))
    assert "CC BY 4.0" in doc["attribution"] and doc["as_of"] == "2025-07-19"


def test_confirmed_ingest_is_idempotent_and_keeps_revisions(fresh_db: str,
                                                           oryx_dir: Path) -> None:
    batch = oryx.read_daily_count((oryx_dir / "daily_count.csv").read_bytes())
    with Store(fresh_db) as store:
        first = store.ingest_confirmed([batch], input="a")
        again = store.ingest_confirmed([batch], input="a")
        changed = dataclasses.replace(batch.counts[-1], total=batch.counts[-1].total + 1)
        rev = store.ingest_confirmed([ConfirmedBatch("oryx", counts=[changed])],
                                     input="b")
    assert first.counts_new == len(batch.counts) and again.counts_new == 0
    assert rev.counts_revised == 1
    with Reader(fresh_db) as r:
        got = {(c.country, c.type, c.day): c.total for c in r.confirmed_counts("oryx")}
    assert got[(changed.country, changed.type, changed.day)] == changed.total


# -- compare, brief, check ---------------------------------------------------------------------


def test_compare_table_to_the_end_of_the_snapshot(db: str) -> None:
    out = run("compare", "--to", "2025-07-19", db=db)
    assert out.returncode == 0, out.stderr
    from attrition import categories

    for name in ("tanks", "afv", "artillery", "mlrs", "air_defense", "aircraft",
                 "helicopters", "ships", "vehicles_fuel_tanks", "special_equipment", "uav"):
        assert categories.BY_ID[name].en in out.stdout  # labels, not ids
    assert "vehicles_fuel_tanks" not in out.stdout
    assert "2.71" in out.stdout  # tanks 11,032 / 4,074
    assert "2022-03-28" in out.stdout  # the glitch is shown as flagged


def test_compare_json_shape_and_figures(db: str) -> None:
    out = run("compare", "--to", "2025-07-19", "-f", "json", db=db)
    doc = json.loads(out.stdout)
    assert {"from", "to", "rows"} <= set(doc)
    rows = {r["category"]: r for r in doc["rows"]}
    for r in doc["rows"]:
        assert {"category", "claimed", "confirmed", "ratio", "claimed_as_of",
                "confirmed_as_of", "basis"} <= set(r)
    t = rows["tanks"]
    assert (t["claimed"], t["confirmed"], t["ratio"]) == (11032, 4074, 2.71)
    assert t["claimed_as_of"] == t["confirmed_as_of"] == "2025-07-19"
    assert rows["afv"]["confirmed"] == 2200 + 6069 + 676 + 61 + 398
    assert rows["ships"]["ledger"] == ["ships", "submarines"]


def test_compare_after_the_snapshot_says_so(db: str) -> None:
    doc = json.loads(run("compare", "--to", "2026-08-01", "-c", "tanks", "-f", "json",
                         db=db).stdout)
    (t,) = doc["rows"]
    assert t["confirmed_as_of"] == "2025-07-19" and t["ratio_on"] == "2025-07-19"
    assert t["claimed_as_of"] == "2026-08-01"
    assert "ends 2025-07-19" in t["note"] and "extrapolated" in t["note"]
    assert t["ratio"] == 2.71  # compared on the confirmed side's date, not on 2026-08-01


def test_compare_period_and_status(db: str) -> None:
    doc = json.loads(run("compare", "--from", "2025-03-22", "--to", "2025-07-19", "-c",
                         "tanks", "--status", "destroyed", "-f", "json", db=db).stdout)
    (t,) = doc["rows"]
    assert t["confirmed"] == 2991 - 2737  # destroyed, 2025-07-19 minus 2025-03-21
    assert doc["statuses"] == ["destroyed"]
    early = json.loads(run("compare", "--from", "2023-01-01", "--to", "2023-12-31", "-c",
                           "tanks", "-f", "json", db=db).stdout)
    assert early["rows"][0]["confirmed"] is None and "starts" in early["rows"][0]["note"]
    bad = run("compare", "--status", "exploded", db=db)
    assert bad.returncode != 0 and "exploded" in bad.stderr


def test_compare_chart(db: str, tmp_path: Path) -> None:
    out = tmp_path / "cmp.svg"
    res = run("compare", "--to", "2025-07-19", "-c", "tanks", "-c", "afv", "--chart",
              str(out), db=db)
    assert res.returncode == 0, res.stderr
    svg = out.read_text()
    assert "visually confirmed (Oryx)" in svg and "claimed (General Staff)" in svg


def test_brief_of_2024_11_14_carries_the_confirmed_line(db: str) -> None:
    doc = json.loads(run("brief", "2024-11-14", "-f", "json", db=db).stdout)
    ctx = doc["confirmed"]
    assert (ctx["line"], ctx["confirmed"], ctx["as_of"], ctx["claimed_on_that_date"]) == (
        "tanks", 3558, "2024-11-14", 9319)
    assert ("Oryx had visually confirmed 3,558 Russian tanks lost by 14 November 2024"
            in doc["text"])
    assert "the General Staff's count of tanks as of 14 November 2024 was 9,319" in doc["text"]


def test_check_verifies_oryx_claims_and_sets_confirmed_beside_totals(db: str) -> None:
    out = run("check", str(FIXTURES / "articles" / "oryx-2025-07-19.txt"), "-f", "json",
              db=db)
    doc = json.loads(out.stdout)
    by_value = {c["value"]: c for c in doc["claims"]}
    gs = by_value[11032]
    assert gs["verdict"] == "supported" and gs["attributed_to"] == "General Staff"
    assert gs["confirmed"]["confirmed"] == 4074
    for value in (4074, 2991, 533):
        c = by_value[value]
        assert c["verdict"] == "supported" and c["attributed_to"] == "oryx", c
    assert "(captured)" in by_value[533]["why"]


def test_check_of_an_oryx_figure_that_is_wrong(db: str) -> None:
    text = ("---\npublished: 2025-07-19\n---\nOryx has documented 4,900 Russian tanks lost "
            "since the invasion began.\n")
    doc = json.loads(run("check", "-", "-f", "json", db=db, stdin=text).stdout)
    (c,) = doc["claims"]
    assert c["verdict"] == "contradicted" and c["actual"] == 4074


def test_warspotting_records_ingest_and_compare(db: str) -> None:
    path = FIXTURES / "warspotting" / "losses_russia_2024-11-13.json"
    out = run("ingest", str(path), db=db)
    assert out.returncode == 0 and "4 new items" in out.stdout, out.stderr
    again = run("ingest", str(path), db=db)
    assert "0 new items" in again.stdout
    doc = json.loads(run("compare", "--source", "warspotting", "--to", "2024-11-14", "-c",
                         "tanks", "-c", "afv", "-f", "json", db=db).stdout)
    rows = {r["category"]: r for r in doc["rows"]}
    assert rows["tanks"]["confirmed"] == 1 and rows["afv"]["confirmed"] == 1
    assert rows["tanks"]["claimed"] == 9319

