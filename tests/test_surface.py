"""What a newcomer meets first: the README's commands, `--help`, and the usual mistakes (a
file that cannot be written, no network, a date in the future) answered in one line with a
non-zero status, and output that reads the same piped as on a terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def run(*args: str, db: str, stdin: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATTRITION_DB": db, "COLUMNS": "120", **(env or {})}
    return subprocess.run([sys.executable, "-c", "from attrition.entry import main; main()",
                           *args], env=env,
                          capture_output=True, text=True, input=stdin, timeout=120)


@pytest.fixture
def db(loaded_db: str, tmp_path: Path) -> str:
    path = tmp_path / "copy.db"
    shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
    return str(path)


def _commands() -> list[tuple[str, Any]]:
    import typer

    from attrition.cli import app

    out: list[tuple[str, Any]] = []

    def walk(prefix: str, cmd: Any) -> None:
        out.append((prefix, cmd))
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(f"{prefix} {name}".strip(), sub)

    walk("", typer.main.get_command(app))
    return out


def test_every_option_of_every_command_says_what_it_does() -> None:
    missing = [f"{name or 'attrition'} {p.opts[0]}" for name, cmd in _commands()
               for p in cmd.params
               if p.param_type_name == "option" and not p.hidden and not p.help]
    assert missing == []


def test_every_command_says_what_it_does() -> None:
    assert [name for name, cmd in _commands() if not (cmd.help or "").strip()] == []


def test_the_help_lists_every_ingest_format_and_validate_kind() -> None:
    from attrition.ingest import ALL_FORMATS
    from attrition.validate import KINDS

    helps = {f"{name} {p.opts[0]}": " ".join((p.help or "").split())
             for name, cmd in _commands() for p in cmd.params}
    assert all(f in helps["ingest --format"] for f in ALL_FORMATS)
    assert all(k in helps["validate --kind"] for k in KINDS)


@pytest.mark.parametrize("where", ["missing/x.csv", "."])
def test_export_to_a_place_that_cannot_be_written_is_one_line(db: str, tmp_path: Path,
                                                               where: str) -> None:
    target = tmp_path / where
    res = run("export", "--out", str(target), db=db)
    assert res.returncode != 0
    assert "Traceback" not in res.stderr and str(target) in res.stderr


def test_a_file_that_cannot_be_written_later_is_one_line_too(db: str, tmp_path: Path) -> None:
    """An OSError past the checks (here: a name longer than the file system allows) names
    the file, in one line."""
    target = tmp_path / ("t" * 300 + ".svg")
    res = run("chart", "tanks", "--out", str(target), db=db)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.startswith(f"attrition: error: {target}: File name too long")


ARTICLE = "Russia lost 19 tanks over the past day, the General Staff said.\n"


def test_check_refuses_an_article_date_in_the_future(db: str) -> None:
    res = run("check", "-", "--date", "2030-01-01", db=db, stdin=ARTICLE)
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr == ("attrition: error: the article's date 2030-01-01 is in the future: "
                          "give the date it was published (YYYY-MM-DD)\n")
    assert run("check", "-", "--date", "2024-11-14", db=db, stdin=ARTICLE).returncode == 0


def test_the_ledger_as_of_the_future_is_refused(db: str) -> None:
    res = run("show", "latest", "--as-of", "2030-01-01", db=db)
    assert res.returncode == 1 and res.stdout == ""
    assert "'2030-01-01' is in the future" in res.stderr
    assert run("show", "latest", "--as-of", "now", "-f", "json", db=db).returncode == 0


def test_an_article_without_figures_says_so(db: str, tmp_path: Path) -> None:
    text = "---\npublished: 2024-11-14\n---\nThe weather in Kyiv was mild on Thursday.\n"
    res = run("check", "-", db=db, stdin=text)
    assert res.returncode == 0, res.stderr
    assert "\nno loss figures found in the article\n" in res.stdout
    assert "\n\n\n" not in res.stdout
    md = run("check", "-", "-f", "markdown", db=db, stdin=text).stdout
    assert "no loss figures found in the article" in md and "| claim |" not in md


def test_check_of_an_address_that_is_not_http_says_so(db: str) -> None:
    res = run("check", "ftp://example.org/article.txt", db=db)
    assert res.returncode == 1
    assert res.stderr == ("attrition: error: ftp://example.org/article.txt: only http(s) "
                          "addresses can be fetched\n")


def test_the_api_refuses_a_future_article_date_and_as_of(loaded_db: str) -> None:
    from fastapi.testclient import TestClient

    from attrition.web.app import create_app

    with TestClient(create_app(loaded_db), raise_server_exceptions=False) as client:
        r = client.post("/api/check", json={"text": ARTICLE, "date": "2030-01-01"})
        assert r.status_code == 400 and "in the future" in r.json()["error"]
        r = client.get("/api/report/latest?as_of=2030-01-01")
        assert r.status_code == 400 and "in the future" in r.json()["error"]
        assert client.post("/api/check", json={"text": ARTICLE, "date": "2024-11-14"}
                           ).status_code == 200


def test_a_misspelt_category_gets_the_same_answer_from_the_cli_and_the_api(
        db: str, loaded_db: str) -> None:
    from fastapi.testclient import TestClient

    from attrition.web.app import create_app

    cli = run("series", "tank", db=db)
    assert cli.returncode == 1
    with TestClient(create_app(loaded_db), raise_server_exceptions=False) as client:
        series = client.get("/api/series/tank").json()
        history = client.get("/api/history/2024-11-14?category=tank").json()
    assert cli.stderr == f"attrition: error: {series['error']}\n"
    assert "(did you mean 'tanks'?)" in series["error"]
    assert series["status"] == history["status"] == 400
    assert history["error"].startswith("unknown category 'tank' (did you mean 'tanks'?); ")
    hist = run("history", "2024-11-14", "tank", db=db)
    assert hist.stderr == f"attrition: error: {history['error']}\n"


def test_summary_writes_a_mean_of_thousands_with_its_separator(db: str) -> None:
    rows = run("summary", "--month", "2024-11", db=db).stdout
    assert "│ 45,720 │ 30 of 30 │  1,524.0 │" in rows


@pytest.mark.parametrize("url, says", [
    ("mysql://reader:secret@db.example.org/ledger",
     "cannot open the database mysql://reader:***@db.example.org/ledger: no driver for "
     "'mysql' here"),
    ("postgres://x/y", "cannot open the database postgres://x/y: no driver for 'postgres' "
                       "here"),  # Heroku's spelling, which SQLAlchemy 2 no longer takes
])
def test_a_database_url_without_a_driver_is_one_line(url: str, says: str) -> None:
    res = run("--db", url, "show", db="unused")
    assert res.returncode == 1 and res.stdout == "", res.stderr
    assert res.stderr.startswith(f"attrition: error: {says}") and "secret" not in res.stderr
    assert res.stderr.count("\n") == 1


def test_check_date_latest_is_refused_as_such(db: str) -> None:
    res = run("check", "-", "--date", "latest", db=db, stdin=ARTICLE)
    assert res.returncode == 1
    assert "not latest" in res.stderr and "no reports in the database" not in res.stderr


def test_serve_on_a_taken_port_says_so_before_claiming_to_serve(db: str) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = run("serve", "--port", str(port), db=db)
    assert res.returncode == 1 and "serving on" not in res.stderr
    assert f"attrition: error: cannot listen on 127.0.0.1:{port}: " in res.stderr
    bad = run("serve", "--port", "99999", db=db)
    assert bad.returncode == 2 and "99999 is not in the range" in bad.stderr


@pytest.mark.parametrize("args", [("compare", "--to", "2021-01-01"),
                                  ("compare", "--from", "2030-01-01"),
                                  ("records", "tanks", "--date", "2030-01-01"),
                                  ("brief", "2030-01-01"), ("brief", "2022-02-20"),
                                  # these printed an empty table (or nothing) with exit 0
                                  ("series", "tanks", "--from", "2030-01-01"),
                                  ("series", "tanks", "--to", "2021-12-31", "-f", "json"),
                                  ("anomalies", "uav", "--from", "2030-01-01"),
                                  ("brief", "--month", "2030-01")])
def test_a_period_or_day_outside_the_ledger_is_not_an_empty_table(db: str,
                                                                   args: tuple[str, ...]) -> None:
    res = run(*args, db=db)
    assert res.returncode == 1 and res.stdout == ""
    assert "the ledger runs 2022-02-24 .. 2026-08-22)" in res.stderr


def test_check_reads_only_regular_files(db: str, tmp_path: Path) -> None:
    """A FIFO blocked `check` for ever and /dev/zero filled the memory; ingest refused both."""
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/zero")):
        res = run("check", str(target), db=db)
        assert res.returncode == 1
        assert res.stderr == (f"attrition: error: {target}: not a regular file (a folder, "
                              "device, FIFO or socket); only files are read\n")
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    res = run("check", str(loop), db=db)
    assert res.stderr == f"attrition: error: {loop}: Too many levels of symbolic links\n"


def test_stdin_is_read_as_a_file_is(db: str, tmp_path: Path) -> None:
    """Capped (`check - < /dev/zero` ran out of memory) and decoded as a file is: a PDF is
    refused as binary, a UTF-16 article with its BOM is read."""
    env = {**os.environ, "ATTRITION_DB": db}
    entry = [sys.executable, "-c", "from attrition.entry import main; main()", "check", "-"]
    with open("/dev/zero", "rb") as zero:
        res = subprocess.run(entry, stdin=zero, env=env, capture_output=True, text=True,
                             timeout=120)
    assert res.returncode == 1
    assert res.stderr.startswith("attrition: error: stdin: too large to be an article")
    pdf = subprocess.run(entry, input=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", env=env,
                         capture_output=True, timeout=120)
    assert pdf.returncode == 1 and b"stdin: not UTF-8 text" in pdf.stderr
    text = Path(__file__).parent / "fixtures" / "articles" / "uk-2024-11-23.txt"
    utf16 = "\ufeff".encode("utf-16-le") + text.read_text(encoding="utf-8").encode("utf-16-le")
    doc = subprocess.run([*entry, "-f", "json"], input=utf16, env=env, capture_output=True,
                         timeout=120)
    assert doc.returncode == 0 and b'"supported": 3' in doc.stdout


UK_ERRORS = [
    ("/?date=14.11.2024&lang=uk", 400, "це не дата: «14.11.2024»"),
    ("/?date=2030-01-01&lang=uk", 404, "немає зведення за 2030-01-01 (дані охоплюють період з "
                                       "2022-02-24 по 2026-08-22)"),
    ("/brief?week=2024-46&lang=uk", 400, "це не тиждень ISO: «2024-46»"),
    ("/brief?month=2024-13&lang=uk", 400, "це не місяць: «2024-13»"),
    ("/brief?month=2030-01&lang=uk", 404, "немає зведень за 2030-01"),
    ("/compare?from=2030-01-01&lang=uk", 404, "немає зведень з 2030-01-01 по 2026-08-22"),
    ("/compare?status=destroid&lang=uk", 422, "невідомий статус destroid"),
    ("/claims/999?lang=uk", 404, "у реєстрі немає цифри № 999"),
    ("/monitor?verdict=bogus&lang=uk", 422, "висновок «bogus» не входить до можливих"),
    ("/monitor?page=0&lang=uk", 422, "сторінка «0» — не ціле число від 1 до"),
    ("/nowhere?lang=uk", 404, "Такої сторінки немає"),
]


def _alert(html: str) -> str:
    import re

    m = re.search(r'<p class="error" role="alert">(.*?)</p>', html, re.S)
    assert m is not None, html[:500]
    return __import__("html").unescape(m[1])


def test_a_ukrainian_page_says_its_error_in_ukrainian(loaded_db: str) -> None:
    """The heading was Ukrainian and the one line that says what went wrong was English."""
    from fastapi.testclient import TestClient

    from attrition.web.app import create_app

    with TestClient(create_app(loaded_db), raise_server_exceptions=False) as client:
        for path, status, says in UK_ERRORS:
            r = client.get(path, headers={"accept": "text/html"})
            assert r.status_code == status, path
            assert says in _alert(r.text), (path, _alert(r.text))
        en = client.get("/?date=14.11.2024&lang=en", headers={"accept": "text/html"})
        assert _alert(en.text).startswith("not a date: '14.11.2024'")
        for form, says in [({"text": "Russia lost 19 tanks", "date": "2030-01-01"},
                            "дата статті 2030-01-01 — у майбутньому"),
                           ({"text": "Russia lost 19 tanks"},
                            "у статті немає дати в заголовку чи перших рядках"),
                           ({"text": " "}, "вставте текст статті або вкажіть її адресу"),
                           ({"url": "http://10.0.0.1/a"}, "відмовлено: 10.0.0.1 — не публічна")]:
            r = client.post("/check?lang=uk", data={**form, "lang": "uk"})
            assert says in _alert(r.text), (form, _alert(r.text))


def test_every_ukrainian_error_pattern_matches_what_the_library_says() -> None:
    """Each pattern is tried on the English text the library gives today; one that no
    longer matches would leave that page's error in English again."""
    from attrition.web.errors_uk import _MESSAGES, ukrainian

    samples = [
        "not a date: 'x' (use YYYY-MM-DD, today, yesterday or latest)",
        "date out of range: '0001-01-01' (give one between 1900-01-01 and 2100-12-31)",
        "no report for 2030-01-01 (the ledger runs 2022-02-24 .. 2026-08-22)",
        "no report for 2030-01-01",
        "no report from 2030-01-01 to 2026-08-22 (the ledger runs 2022-02-24 .. 2026-08-22)",
        "no reports in 2030-01 (reports 2030-01-02 to 2030-02-01)",
        "no reports in 2030-01 (reports 2030-01-02 to 2030-02-01; the ledger runs 2022-02-24 .. "
        "2026-08-22)",
        "not an ISO week: 'x' (use YYYY-Www, e.g. 2024-W46)",
        "not a month: 'x' (use YYYY-MM, e.g. 2024-11)",
        "the period starts (2025-01-01) after it ends (2024-01-01)",
        "unknown category or aggregate 'tank' (did you mean 'tanks'?); categories: a; "
        "aggregates: b",
        "unknown category or aggregate 'zzz'; categories: a; aggregates: b",
        "unknown status x; one of: destroyed, damaged",
        "no claim 1 in the register",
        "verdict: 'x' is not one of supported, rounded",
        "page: '0' is not a whole number from 1 to 100000",
        "from: 'x' is not a date (YYYY-MM-DD)",
        "the article's date 2030-01-01 is in the future: give the date it was published "
        "(YYYY-MM-DD)",
        "the article's date: give the day it was published (YYYY-MM-DD, today or "
        "yesterday), not latest",
        "the article has no date in its header or first lines: give the date it was "
        "published",
        "the article is empty",
        "paste an article or give its address",
        "article too long (2,000,001 characters; the limit is 2,000,000)",
        "refused: 10.0.0.1 is not a public address (10.0.0.1)",
        "ftp://x: only http(s) addresses can be fetched",
        "offline or unreachable: cannot resolve example.org",
        "Not Found",
    ]
    assert len(samples) == len(_MESSAGES)
    for sample in samples:
        assert ukrainian(sample) != sample, sample
    assert ukrainian("something new") == "something new"


def test_a_long_value_is_not_echoed_back_whole(loaded_db: str) -> None:
    from fastapi.testclient import TestClient

    from attrition.web.app import create_app

    long = "a" * 10_000
    with TestClient(create_app(loaded_db), raise_server_exceptions=False) as client:
        for path in (f"/api/series/{long}", f"/api/report/{long}",
                     f"/api/report/latest?as_of={long}",
                     f"/api/history/2024-11-14?category={long}"):
            r = client.get(path)
            assert 400 <= r.status_code < 500 and len(r.json()["error"]) < 600, path
            assert "a" * 60 + "…" in r.json()["error"]


def test_every_page_names_an_icon_that_is_there(loaded_db: str) -> None:
    """A browser asks every site for an icon: without one named, /favicon.ico answered 404
    and each page's console showed the error."""
    import re

    from fastapi.testclient import TestClient

    from attrition.web.app import create_app

    with TestClient(create_app(loaded_db)) as client:
        for page in ("/", "/brief?lang=uk", "/check", "/compare", "/monitor", "/docs"):
            html = client.get(page, headers={"accept": "text/html"}).text
            links = re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"', html)
            assert any(link.endswith("favicon.svg") for link in links), page
            for link in links:
                r = client.get(link)
                assert r.status_code == 200 and r.content, (page, link)
        assert client.get("/static/favicon.svg").headers["content-type"].startswith(
            "image/svg+xml")


def test_db_after_the_command_name_is_the_global_db(db: str, tmp_path: Path) -> None:
    """`attrition show latest --db FILE` was refused ("No such option: --db (Possible options:
    --date)") although `serve` and `watch` take --db there."""
    elsewhere = str(tmp_path / "nothing-here.db")  # ATTRITION_DB: a store never loaded
    for args in (["show", "2024-11-14", "-f", "csv", "--db", db],
                 ["check", "-", "--date", "2024-11-14", f"--db={db}", "-f", "json"],
                 ["alerts", "status", "--db", db]):
        res = run(*args, db=elsewhere, stdin=ARTICLE)
        assert res.returncode == 0, (args, res.stderr)
        assert "first run" not in res.stderr  # it read `db`, not the empty ATTRITION_DB
    assert not Path(elsewhere).exists()


def test_hoist_db_moves_only_the_global_option() -> None:
    from attrition.entry import hoist_db

    assert hoist_db(["show", "latest", "--db", "x.db"]) == ["--db", "x.db", "show", "latest"]
    assert hoist_db(["--db", "a.db", "show", "--db", "b.db"]) == [
        "--db", "a.db", "show", "--db", "b.db"]  # twice: Typer refuses the second
    assert hoist_db(["serve", "--db", "x.db"]) == ["serve", "--db", "x.db"]
    assert hoist_db(["watch", "--once", "--db", "x.db"]) == ["watch", "--once", "--db", "x.db"]
    assert hoist_db(["check", "--", "--db", "x"]) == ["check", "--", "--db", "x"]
    assert hoist_db(["show", "--db"]) == ["show", "--db"]  # no value: Typer says so


def test_sources_says_what_each_source_is(db: str) -> None:
    """minfin's row had empty dates and counts and nothing saying why."""
    lines = run("sources", db=db).stdout.splitlines()
    minfin = next(line for line in lines if line.startswith("│ minfin "))
    assert "vote only (values not stored)" in minfin
    orc = next(line for line in lines if line.startswith("│ orc-losses "))
    assert "lod-db/orc-losses" in orc and "1,449" in orc


@pytest.mark.parametrize("args, says", [
    (("--from", "2030-01-01"), "Invalid value for --from: 2030-01-01 is after the chart's last "
                               "report, 2026-08-22"),
    (("--date", "2024-11-14"), "Invalid value for --date: 2024-11-14 is not in the chart, "
                               "2026-02-23 to 2026-08-22: give --from and --to around it"),
])
def test_chart_says_what_is_wrong_with_its_dates(db: str, tmp_path: Path,
                                                 args: tuple[str, ...], says: str) -> None:
    """--from after the last report was blamed on --to's 'default start'; a --date outside
    the chart drew it with nothing highlighted and exit 0."""
    res = run("chart", "tanks", "--out", str(tmp_path / "t.svg"), *args, db=db,
              env={"COLUMNS": "300"})
    assert res.returncode == 2 and not (tmp_path / "t.svg").exists()
    assert says in " ".join(res.stderr.replace("│", " ").split())


def test_serve_says_it_serves_once_it_answers(db: str) -> None:
    """'serving on ...' was printed seconds before the server accepted a connection."""
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ATTRITION_DB": db}
    proc = subprocess.Popen([sys.executable, "-m", "attrition.cli", "serve", "--port",
                             str(port)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line == f"attrition: serving on http://127.0.0.1:{port} (docs at /docs)\n"
        r = httpx.get(f"http://127.0.0.1:{port}/api/report/latest", timeout=30)
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_export_to_a_file_says_what_it_wrote(db: str, tmp_path: Path) -> None:
    """It printed nothing: a newcomer could not tell it had done anything."""
    out = tmp_path / "ledger.csv"
    res = run("export", "--format", "csv", "--out", str(out), db=db)
    assert res.returncode == 0
    rows = out.read_text(encoding="utf-8").count("\n") - 1
    assert res.stdout == f"wrote {out} ({rows:,} cells)\n"
