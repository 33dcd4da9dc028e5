"""The CLI as a user runs it: real processes, one-line errors, the database untouched."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest


def run(*args: str, db: str, stdin: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATTRITION_DB": db, "COLUMNS": "120", **(env or {})}
    return subprocess.run([sys.executable, "-m", "attrition.cli", *args], env=env,
                          capture_output=True, text=True, input=stdin, timeout=120)


def fingerprint(url: str, tables: tuple[str, ...] = (
        "observations", "ledger", "corrections", "ingests", "sources")) -> str:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    h = hashlib.sha256()
    for table in tables:
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3"):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


def test_show_json_for_the_seed_report(db: str) -> None:
    res = run("show", "2024-11-14", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["date"] == "2024-11-14" and doc["covers"] == "2024-11-13"
    figs = {f["category"]: f for f in doc["figures"]}
    expected = {"personnel": (716070, 1690), "tanks": (9319, 19), "afv": (18947, 51),
                "artillery": (20472, 64), "vehicles_fuel_tanks": (29090, 124)}
    for cat, (total, change) in expected.items():
        assert (figs[cat]["total"], figs[cat]["change"]) == (total, change)
        assert set(figs[cat]["sources"]) == {"petroivaniuk", "orc-losses", "minfin"}
        assert "announced_change" in figs[cat]
    assert all(set(f) >= {"category", "total", "change", "announced_change", "sources"}
               for f in doc["figures"])


def test_show_table_names_source_and_caveat(db: str) -> None:
    res = run("show", "2024-11-14", db=db)
    assert res.returncode == 0
    assert "29,090" in res.stdout and "not independently verified" in res.stdout


def test_first_run_loads_the_snapshot_with_a_notice(tmp_path: Path) -> None:
    res = run("show", "latest", "--format", "csv", db=str(tmp_path / "new.db"))
    assert res.returncode == 0, res.stderr
    assert res.stderr.count("\n") == 1 and "bundled snapshot" in res.stderr
    assert res.stdout.startswith("category,label,total,change")


def test_series_daily_csv(db: str) -> None:
    res = run("series", "tanks", "--from", "2024-11-12", "--to", "2024-11-14", "--daily",
              db=db)
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["date"], r["covers"], r["change"], r["total"]) for r in rows] == [
        ("2024-11-12", "2024-11-11", "23", "9276"), ("2024-11-13", "2024-11-12", "24", "9300"),
        ("2024-11-14", "2024-11-13", "19", "9319")]
    assert rows[2]["sources"] == "petroivaniuk;orc-losses;minfin"  # who agrees, per row


def test_sources_lists_vote_only_witness(db: str) -> None:
    doc = json.loads(run("sources", "--format", "json", db=db).stdout)
    names = {s["source"] for s in doc["sources"]}
    assert {"petroivaniuk", "orc-losses", "minfin", "bulletin"} <= names
    assert doc["latest_report"] == "2026-08-22"


def test_export_csv_has_every_cell(db: str, tmp_path: Path) -> None:
    out = tmp_path / "ledger.csv"
    assert run("export", "--format", "csv", "--out", str(out), db=db).returncode == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 22_516 + 1


def test_export_lists_sources_and_covers_as_every_other_document(db: str,
                                                                 tmp_path: Path) -> None:
    """One shape for the same cell: sources a list in JSON and `a;b` in CSV (as show,
    series and the API give them), and the first report covering the day the invasion
    began (as the report says), in export as everywhere."""
    out = tmp_path / "ledger.json"
    assert run("export", "--format", "json", "--out", str(out), db=db).returncode == 0
    cells = {(c["date"], c["category"]): c for c in json.loads(out.read_text())}
    show = json.loads(run("show", "2024-11-14", "-f", "json", db=db).stdout)
    for f in show["figures"]:
        cell = cells[("2024-11-14", f["category"])]
        assert cell["sources"] == f["sources"] and cell["covers"] == show["covers"]
    assert cells[("2022-02-24", "tanks")]["covers"] == "2022-02-24"
    out = tmp_path / "ledger.csv"
    assert run("export", "--format", "csv", "--out", str(out), db=db).returncode == 0
    rows = {(r["date"], r["category"]): r
            for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    series = run("series", "tanks", "--from", "2024-11-14", "--to", "2024-11-14", db=db)
    want = next(csv.DictReader(io.StringIO(series.stdout)))["sources"]
    assert rows[("2024-11-14", "tanks")]["sources"] == want == "petroivaniuk;orc-losses;minfin"


def test_export_parquet(db: str, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "ledger.parquet"
    assert run("export", "--format", "parquet", "--out", str(out), db=db).returncode == 0
    assert pq.read_table(out).num_rows == 22_516


def test_ingest_twice_is_idempotent(db: str, shared_data: Path) -> None:
    bulletins = shared_data / "bulletins"
    first = run("ingest", str(bulletins), db=db)
    assert first.returncode == 0, first.stderr
    data = ("observations", "ledger", "corrections", "sources")
    before = fingerprint(db, data)
    second = run("ingest", str(bulletins), db=db)
    assert second.returncode == 0 and "0 new, 0 revised" in second.stdout
    assert fingerprint(db, data) == before  # only the ingest log grew


BAD_INPUTS = {
    "truncated.json": b'[{"date": "2024-11-14", "tank": 9319}, {"date": "2024-11-15", "ta',
    "garbled.txt": ("The total combat losses of the enemy from 24.02 to 12.04 were "
                    "approximately:\ntanks ‒ 7#2x од,\n").encode(),
    "unknown.json": b'[{"date": "2024-11-14", "tankz": 9319}]',
    "baddate.json": b'[{"date": "2024-13-45", "tank": 9319}]',
    "binary.txt": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_error_and_changes_nothing(db: str, tmp_path: Path,
                                                        name: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(BAD_INPUTS[name])
    before = fingerprint(db)
    res = run("ingest", str(bad), db=db)
    assert res.returncode != 0
    assert res.stderr.count("\n") == 1 and name in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert fingerprint(db) == before


def test_a_good_file_beside_a_bad_one_is_not_half_ingested(db: str, tmp_path: Path,
                                                           shared_data: Path) -> None:
    good = shared_data / "bulletins" / "2022-04-12.en.txt"
    bad = tmp_path / "bad.json"
    bad.write_bytes(BAD_INPUTS["truncated.json"])
    before = fingerprint(db)
    res = run("ingest", str(good), str(bad), db=db)
    assert res.returncode != 0 and fingerprint(db) == before


def test_fifty_megabytes_of_noise(db: str, tmp_path: Path) -> None:
    noise = tmp_path / "noise.json"
    noise.write_bytes(os.urandom(50 * 1024 * 1024))
    before = fingerprint(db)
    res = run("ingest", str(noise), db=db)
    assert res.returncode != 0 and "too large" in res.stderr
    assert res.stderr.count("\n") == 1
    assert fingerprint(db) == before


@pytest.mark.parametrize("day", ["2024-02-30", "someday"])
def test_bad_dates_are_one_line_errors(db: str, day: str) -> None:
    res = run("show", day, db=db)
    assert res.returncode != 0 and res.stderr.count("\n") == 1 and day in res.stderr


def test_unknown_category(db: str) -> None:
    res = run("series", "tankz", db=db)
    assert res.returncode != 0 and "unknown category or aggregate 'tankz'" in res.stderr


def test_report_that_does_not_exist(db: str) -> None:
    res = run("show", "2021-01-01", db=db)
    assert res.returncode != 0 and "no report for 2021-01-01" in res.stderr


def test_brief_json_envelope(db: str) -> None:
    res = run("brief", "2024-11-14", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert set(doc) >= {"date", "covers", "text", "facts", "sources", "caveat"}
    f = next(f for f in doc["facts"] if f["category"] == "vehicles_fuel_tanks")
    assert set(f) >= {"category", "change", "total", "rank_30d", "highest_since",
                      "highest_since_value"}


def test_brief_after_an_ingest_is_the_new_report_computed_from_the_ledger(
        db: str, tmp_path: Path) -> None:
    """`ingest` keeps the daybook in step, and the brief it serves equals the one computed
    from the whole ledger."""
    from attrition import brief as briefs
    from attrition import crosswalk, daybook
    from attrition.compare import ConfirmedContext
    from attrition.store.read import Reader

    env = {"ATTRITION_CACHE": "off"}
    bulletin = tmp_path / "2026-08-23.txt"
    bulletin.write_text("The total combat losses of the enemy from 24.02.2022 to 23.08.2026 "
                        "were approximately: personnel ‒ about 1476300 (+1030) persons, tanks "
                        "‒ 12295 (+3)\n", encoding="utf-8")
    assert run("ingest", str(bulletin), db=db).returncode == 0
    res = run("brief", "latest", "--format", "json", db=db, env=env)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert got["date"] == "2026-08-23"
    if got.pop("stale", None):  # "latest" says how old it is, in a paragraph of its own
        got["text"] = got["text"].split("\n\n", 1)[1]
    with Reader(db) as reader:
        assert daybook.lookup(reader, date(2026, 8, 23)) is not None  # served by the daybook
        rows = reader.by_category()
        context = ConfirmedContext(rows, reader.confirmed_counts("oryx"), crosswalk.load())
        want = briefs.daily(rows, reader.corrections(), reader.report(date(2026, 8, 23)),
                            confirmed=context, doubt=reader.disputed_cells())
    assert got == json.loads(json.dumps(want))


def test_period_brief_cache_is_keyed_by_the_data(db: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"ATTRITION_CACHE": str(cache)}

    def brief() -> dict[str, object]:
        res = run("brief", "--month", "2026-08", "--format", "json", db=db, env=env)
        assert res.returncode == 0, res.stderr
        return json.loads(res.stdout)  # type: ignore[no-any-return]

    first = brief()
    assert len(list(cache.glob("*.json"))) == 1
    assert brief() == first  # the cached document is the computed one
    bulletin = tmp_path / "2026-08-23.txt"
    bulletin.write_text("The total combat losses of the enemy from 24.02.2022 to 23.08.2026 "
                        "were approximately: personnel ‒ about 1476300 (+1030) persons, tanks "
                        "‒ 12295 (+3)\n", encoding="utf-8")
    assert run("ingest", str(bulletin), db=db).returncode == 0
    after = brief()  # a new ingest is a new key: never the stale brief
    assert len(list(cache.glob("*.json"))) == 2
    tanks = {f["category"]: f for f in after["facts"]}["tanks"]  # type: ignore[index]
    before = {f["category"]: f for f in first["facts"]}["tanks"]  # type: ignore[index]
    assert tanks["change"] == before["change"] + 3 and tanks["reports"] == before["reports"] + 1


def test_brief_text_ukrainian_and_chart(db: str, tmp_path: Path) -> None:
    out = tmp_path / "brief.svg"
    res = run("brief", "2024-11-14", "--lang", "uk", "--chart", str(out), db=db)
    assert res.returncode == 0, res.stderr
    assert "автомобільної техніки та автоцистерн – 124" in res.stdout
    svg = out.read_text()  # the chart speaks the brief's language
    assert "Автомобільна техніка та автоцистерни" in svg and "vehicles and fuel" not in svg


def test_records_json(db: str) -> None:
    res = run("records", "vehicles", "--date", "2024-11-14", "--format", "json", db=db)
    doc = json.loads(res.stdout)
    assert doc["change"] == 194 and doc["ranks"]["30d"]["rank"] == 1
    assert doc["highest_since"] == "2023-10-20" and doc["highest_since_value"] == 208
    assert doc["rows"][0] == {"date": "2024-11-14", "covers": "2024-11-13", "change": 194,
                              "disputed": False}


def test_summary_month(db: str) -> None:
    res = run("summary", "--month", "2024-11", "--format", "json", db=db)
    doc = json.loads(res.stdout)
    tanks = next(f for f in doc["facts"] if f["category"] == "tanks")
    assert tanks["reports"] == 30


def test_chart_command(db: str, tmp_path: Path) -> None:
    out = tmp_path / "t.png"
    res = run("chart", "tanks", "--from", "2024-10-01", "--to", "2024-11-14", "--date",
              "2024-11-14", "--out", str(out), db=db)
    assert res.returncode == 0, res.stderr and out.read_bytes()[:4] == b"\x89PNG"


def test_chart_command_marks_a_two_day_figure_in_ukrainian(db: str, tmp_path: Path) -> None:
    out = tmp_path / "u.svg"
    res = run("chart", "uav", "--from", "2026-06-01", "--to", "2026-07-27", "--date",
              "2026-07-27", "--lang", "uk", "--out", str(out), db=db)
    assert res.returncode == 0, res.stderr
    svg = out.read_text()
    assert "2026-07-27: 2\u00a0719 за дві доби, не рекорд" in svg.replace("&#160;", "\u00a0")


def test_unknown_aggregate(db: str) -> None:
    res = run("records", "vehicels", db=db)
    assert res.returncode != 0 and "unknown category or aggregate" in res.stderr


# -- options are checked, not ignored (issue 14) -------------------------------------------


@pytest.mark.parametrize(("args", "named", "choices"), [
    (("validate", "--kind", "negativ"), "--kind", "negative_change"),
    (("validate", "--kind", "announced_mismatch,negativ"), "--kind",
     "did you mean 'negative_change'"),
    (("check", "-", "--fail-on", "contradictd"), "--fail-on", "did you mean 'contradicted'"),
])
def test_a_bad_choice_is_refused_with_the_valid_ones(db: str, args: tuple[str, ...],
                                                      named: str, choices: str) -> None:
    res = run(*args, db=db, stdin="Russia lost 19 tanks on 14 November 2024.")
    assert res.returncode == 2, res.stdout
    err = " ".join(res.stderr.replace("│", " ").split())
    assert named in err and choices in err and "Traceback" not in res.stderr


def test_comma_lists_in_kind_are_split(db: str) -> None:
    res = run("validate", "--kind", "negative_change,announced_mismatch", "--format", "json",
              db=db)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert set(doc["summary"]) == {"negative_change", "announced_mismatch"}
    single = json.loads(run("validate", "--kind", "announced_mismatch", "-f", "json",
                            db=db).stdout)
    assert doc["summary"]["announced_mismatch"] == single["summary"][
        "announced_mismatch"] > 0


def test_fail_on_fails_a_pipeline(db: str, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("---\npublished: 2024-11-14\n---\nRussia lost 25 tanks over the past "
                       "day, the General Staff said.\n", encoding="utf-8")  # it was 19
    assert run("check", str(article), "--fail-on", "contradicted", db=db).returncode == 1
    assert run("check", str(article), "--fail-on", "mislabeled", db=db).returncode == 0


@pytest.mark.parametrize("args", [
    ("records", "tanks", "--window", "0"),
    ("records", "tanks", "--top", "0"),
    ("series", "tanks", "--from", "2024-11-14", "--to", "2024-11-01"),
    ("anomalies", "tanks", "--from", "2024-11-14", "--to", "2024-11-01"),
    ("brief", "--week", "2024-W46", "--chart", "w.svg"),
    ("brief", "2024-11-14", "--week", "2024-W46"),
    ("brief", "--week", "2024-W46", "--month", "2024-11"),
])
def test_contradictory_or_empty_options_are_refused(db: str, args: tuple[str, ...],
                                                    tmp_path: Path) -> None:
    (tmp_path / "cwd").mkdir()
    res = subprocess.run([sys.executable, "-m", "attrition.cli", *args], cwd=tmp_path / "cwd",
                         env={**os.environ, "ATTRITION_DB": db, "COLUMNS": "200"},
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr and res.stdout == ""
    assert list((tmp_path / "cwd").iterdir()) == []  # nothing written


def test_chart_does_not_create_folders(db: str, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "v.png"
    res = run("chart", "vehicles", "--out", str(out), db=db)
    assert res.returncode == 2 and "does not exist" in res.stderr
    assert not (tmp_path / "no").exists()


def test_a_near_miss_name_is_suggested(db: str) -> None:
    res = run("series", "tank", db=db)
    assert res.returncode == 1 and "did you mean 'tanks'?" in res.stderr
    assert res.stderr.count("\n") == 1


def test_series_of_an_aggregate_and_of_a_config_aggregate(db: str, tmp_path: Path) -> None:
    res = run("series", "vehicles", "--from", "2024-11-12", "--to", "2024-11-14", "--daily",
              "-f", "json", db=db)
    assert res.returncode == 0, res.stderr
    assert [r["change"] for r in json.loads(res.stdout)["rows"]] == [172, 169, 194]
    config = tmp_path / "config.toml"
    config.write_text('[aggregates.air]\ncomponents = ["aircraft", "helicopters"]\n',
                      encoding="utf-8")
    res = run("series", "air", "--from", "2024-11-14", "--to", "2024-11-14", "-f", "json",
              db=db, env={"ATTRITION_CONFIG": str(config)})
    assert res.returncode == 0, res.stderr
    show = json.loads(run("show", "2024-11-14", "-f", "json", db=db).stdout)
    totals = {f["category"]: f["total"] for f in show["figures"]}
    assert json.loads(res.stdout)["rows"][0]["total"] == totals["aircraft"] + totals[
        "helicopters"]


def test_piped_output_is_not_wrapped_at_80_columns(db: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["ATTRITION_DB"] = db
    fixture = Path(__file__).parent / "fixtures" / "articles" / "daily-2024-11-14.txt"
    res = subprocess.run([sys.executable, "-m", "attrition.cli", "check", str(fixture)],
                         env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    sentence = next(ln for ln in fixture.read_text().splitlines() if "194 vehicles" in ln)
    first = sentence.split(". ")[0]
    assert len(first) > 80 and any(first in ln for ln in res.stdout.splitlines())
    assert "\x1b[" not in res.stdout  # no terminal escapes in a pipe
    res = subprocess.run([sys.executable, "-m", "attrition.cli", "compare", "--to",
                          "2025-07-19"], env=env, capture_output=True, text=True, timeout=120)
    caveat = next(ln for ln in res.stdout.splitlines() if ln.startswith("Official Ukrainian"))
    assert "Confirmed counts are a floor" in caveat  # the caption is one line, not wrapped


def test_version(db: str) -> None:
    from importlib.metadata import version

    res = run("--version", db=db)
    assert res.returncode == 0 and res.stdout.strip() == f"attrition {version('attrition')}"


def test_check_of_an_empty_file_says_so(db: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    res = run("check", str(empty), db=db)
    assert res.returncode == 1 and f"{empty}: the file is empty" in res.stderr
    res = run("check", "-", db=db, stdin="")
    assert res.returncode == 1 and "stdin: the article is empty" in res.stderr


def test_serve_takes_db_as_the_readme_shows(db: str, tmp_path: Path) -> None:
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "ATTRITION_DB"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "attrition.cli", "serve", "--port",
                             str(port), "--db", db], env=env, stderr=log)
    try:
        for _ in range(150):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/report/2024-11-14", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.1)
        else:
            pytest.fail("serve did not start")
        assert r.status_code == 200 and r.json()["date"] == "2024-11-14"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
