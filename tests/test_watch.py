"""`attrition watch` (issue 15): feeds from a local site (RSS 2.0, Atom, JSON Feed) with our
own articles in English, Ukrainian and Russian carrying real figures; new, updated and
duplicate items; 304; feeds that fail (500, malformed XML, a redirect loop, a 50 MB body, a
slow server) fail alone, each with one line recorded; a second pass checks nothing twice;
folder and JSON-lines inputs; re-judging when a new report comes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

import watchsite
from attrition import service
from attrition.store import register, schema
from attrition.store.db import Store
from attrition.store.read import Reader
from attrition.watch.pipeline import Options, PassResult

ROOT = Path(__file__).resolve().parent.parent
ATTRITION = str(Path(sys.executable).parent / "attrition")
FAST = Options(interval=60, timeout=2.0, deadline=1.5, lease=30)


@pytest.fixture
def site() -> Iterator[watchsite.Site]:
    yield from watchsite.running(watchsite.Site())


@pytest.fixture
def feeds(site: watchsite.Site, tmp_path: Path) -> Path:
    f = tmp_path / "feeds.txt"
    f.write_text(site.feed_file(), encoding="utf-8")
    return f


def _once(db: str, items: list[str], **kw: object) -> PassResult:
    result = service.watch(db, items, once=True, options=FAST, **kw)  # type: ignore[arg-type]
    assert isinstance(result, PassResult)
    return result


def _claims(result: PassResult) -> dict[str, list[tuple[str, str, int | None]]]:
    return {d.address.rsplit("/", 1)[-1]: [(c["text"], c["verdict"], c["actual"])
                                           for c in d.claims]
            for d in result.done if d.status == "checked"}


def test_one_pass_checks_every_new_article_of_rss_atom_and_json_feeds(
        db: str, feeds: Path, site: watchsite.Site) -> None:
    result = _once(db, [str(feeds)])
    assert [f.status for f in result.feeds] == ["ok", "ok", "ok"]
    got = _claims(result)
    assert set(got) == {"en-artillery.html", "en-drones.html", "uk-losses.html",
                        "ru-losses.html"}
    assert ("46 artillery systems", "contradicted", 33) in got["en-drones.html"]
    assert ("64 artillery systems", "supported", 64) in got["en-artillery.html"]
    assert ("23 артилерійські системи", "supported", 23) in got["uk-losses.html"]
    assert ("33 артиллерийские системы", "supported", 33) in got["ru-losses.html"]
    langs = {d.address.rsplit("/", 1)[-1]: d.language for d in result.done}
    assert langs == {"en-artillery.html": "en", "en-drones.html": "en",
                     "uk-losses.html": "uk", "ru-losses.html": "ru"}
    outlets = {d.address.rsplit("/", 1)[-1]: d.outlet for d in result.done}
    assert outlets["uk-losses.html"] == "Тестові новини"
    # the English story listed by two feeds is one article, checked once
    with Store(db) as s:
        rows = register.articles(s.engine)
        stored = s.engine.connect().execute(
            sa.select(sa.func.count()).select_from(schema.claims)).scalar()
    assert sum(r["address"].endswith("en-artillery.html") for r in rows) == 1
    assert stored == sum(len(v) for v in got.values())
    assert site.hits["/news/en-artillery.html"] == 1
    assert all(ua.startswith("attrition/") for ua in site.user_agents)
    # the article's publication day judged it: 2025-09-18 in Kyiv
    drones = next(r for r in rows if r["address"].endswith("en-drones.html"))
    assert drones["published"] == "2025-09-18T07:05:00+00:00"


def test_a_second_pass_checks_nothing_again_and_gets_304(db: str, feeds: Path,
                                                         site: watchsite.Site) -> None:
    _once(db, [str(feeds)])
    # make every feed due again, as after its interval
    with Store(db) as s, s.engine.begin() as conn:
        conn.execute(schema.feeds.update().values(next_poll=register.now()))
    again = _once(db, [str(feeds)])
    assert again.done == [] and again.registered == 0
    by = {f.address.rsplit("/", 1)[-1]: f.status for f in again.feeds}
    assert by == {"rss.xml": "not modified", "atom.xml": "not modified", "feed.json": "ok"}
    assert site.hits["/news/en-drones.html"] == 1


def test_an_updated_item_is_checked_again_and_its_first_version_kept(
        db: str, feeds: Path, site: watchsite.Site) -> None:
    _once(db, [str(feeds)])
    stories = site.stories  # type: ignore[attr-defined]
    stories["uk-losses"].fixture = "uk-losses-2025-03-05-updated.txt"
    stories["uk-losses"].updated = "2025-03-05T12:00:00+02:00"
    with Store(db) as s, s.engine.begin() as conn:
        conn.execute(schema.feeds.update().values(next_poll=register.now()))
    again = _once(db, [str(feeds)])
    assert [d.status for d in again.done] == ["checked"]
    assert ("24 087 артилерійських систем", "supported", 24087) in _claims(again)[
        "uk-losses.html"]
    with Store(db) as s:
        rows = [r for r in register.articles(s.engine) if r["address"].endswith("uk-losses.html")]
    assert [(r["version"], r["status"]) for r in rows] == [(1, "checked"), (2, "checked")]
    # updated again in the feed but the same text: a duplicate, no verdict printed
    stories["uk-losses"].updated = "2025-03-05T13:00:00+02:00"
    with Store(db) as s, s.engine.begin() as conn:
        conn.execute(schema.feeds.update().values(next_poll=register.now()))
    third = _once(db, [str(feeds)])
    assert [d.status for d in third.done] == ["duplicate"] and third.stored == []


@pytest.mark.parametrize("path, expected", [
    ("/error.xml", "HTTP 500"),
    ("/malformed.xml", "malformed XML"),
    ("/loop.xml", "too many redirects"),
    ("/huge.xml", "feed too large"),
    ("/slow.xml", "too slow"),
])
def test_a_bad_feed_fails_alone_with_one_line_and_backs_off(
        db: str, feeds: Path, site: watchsite.Site, path: str, expected: str) -> None:
    started = time.monotonic()
    result = _once(db, [site.base + path, str(feeds)])
    assert time.monotonic() - started < 30
    bad = result.feeds[0]
    assert bad.status == "failed" and expected in (bad.error or "")
    assert "\n" not in (bad.error or "") and len(bad.error or "") < 300
    assert [f.status for f in result.feeds[1:]] == ["ok", "ok", "ok"]
    assert len(_claims(result)) == 4
    with Store(db) as s:
        state = register.feed_state(s.engine, site.base + path)
    assert state is not None and state.failures == 1 and expected in (state.last_error or "")
    # backed off: twice the interval at least (less the jitter)
    wait = (datetime.fromisoformat(state.next_poll or "") - datetime.now(UTC)).total_seconds()
    assert wait > 2 * FAST.interval * 0.85
    # a pass from cron leaves a feed in back-off alone
    again = _once(db, [site.base + path])
    assert [f.status for f in again.feeds] == ["not due"]


def test_a_page_that_fails_is_reported_and_tried_again(db: str, site: watchsite.Site,
                                                       feeds: Path) -> None:
    site.routes["/news/en-drones.html"] = lambda req: req.send(503, b"busy", "text/plain")
    result = _once(db, [str(feeds)])
    failed = [d for d in result.done if d.status != "checked"]
    assert [(d.address.rsplit("/", 1)[-1], d.status) for d in failed] == [
        ("en-drones.html", "pending")]
    assert "HTTP 503" in (failed[0].error or "")
    assert _once(db, [str(feeds)]).done == []  # not yet: it waits before a new attempt
    watchsite.standard(site)
    with Store(db) as s, s.engine.begin() as conn:
        conn.execute(schema.articles.update().values(retry_at=register.now()))
    again = _once(db, [str(feeds)])  # the feeds are not due; the pending article is
    assert [d.address.rsplit("/", 1)[-1] for d in again.done] == ["en-drones.html"]
    assert again.done[0].status == "checked"


def test_a_checker_fault_on_one_article_is_recorded_and_the_pass_goes_on(
        db: str, feeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from attrition.watch.pipeline import Watcher

    real = Watcher.check

    def flaky(self: Watcher, text: str, *args: object, **kw: object) -> dict[str, object]:
        if "Drone tally" in text:
            raise ZeroDivisionError("division by zero")
        return real(self, text, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Watcher, "check", flaky)
    result = _once(db, [str(feeds)])
    status = {d.address.rsplit("/", 1)[-1]: (d.status, d.error) for d in result.done}
    assert status["en-drones.html"] == (
        "failed", "the checker failed on this article: ZeroDivisionError: division by zero")
    assert sum(s == "checked" for s, _ in status.values()) == 3


def test_articles_from_a_folder_and_json_lines(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    folder.mkdir()
    text = (watchsite.FIXTURES / "en-artillery-2024-11-14.txt").read_text(encoding="utf-8")
    (folder / "artillery.txt").write_text("---\npublished: 2024-11-14\n---\n" + text,
                                          encoding="utf-8")
    lines = [json.dumps({"address": "cms://draft/1", "title": "Дрони", "outlet": "CMS",
                         "published": "2025-09-18",
                         "text": (watchsite.FIXTURES / "ru-losses-2025-09-18.txt")
                         .read_text(encoding="utf-8")}, ensure_ascii=False),
             "{not json", json.dumps({"address": "cms://draft/2"})]
    result = _once(db, [], folder=folder, lines=iter(lines))
    got = _claims(result)
    assert ("64 artillery systems", "supported", 64) in got["artillery.txt"]
    assert ("930 военных", "supported", 930) in got["1"]
    assert result.input_errors == [
        "stdin, line 2: not valid JSON: Expecting property name enclosed in double quotes "
        "(column 2)",
        "stdin, line 3, field 'text': 'text' is missing or not a string"]
    again = _once(db, [], folder=folder, lines=iter(lines[:1]))
    assert again.done == [] and again.registered == 0


def test_a_new_report_rejudges_what_was_unverifiable(db: str, tmp_path: Path,
                                                     shared_data: Path) -> None:
    text = ("Russia lost 1,180 personnel and 9 tanks over the past day, the General Staff "
            "said on Sunday.\n")
    line = json.dumps({"address": "cms://next-day", "published": "2026-08-23T09:00:00+03:00",
                       "text": text})
    first = _once(db, [], lines=iter([line]))
    assert [c[1] for c in _claims(first)["next-day"]] == ["unverifiable", "unverifiable"]
    # the report of the next day arrives (built from the last real one)
    rows = json.loads((shared_data / "official/orc-losses/russian-losses.json").read_bytes())
    nxt = {**rows[0], "date": "2026-08-23", "personnel": rows[0]["personnel"] + 1180,
           "tanks": rows[0]["tanks"] + 9}
    folder = tmp_path / "orc"
    folder.mkdir()
    (folder / "russian-losses.json").write_text(json.dumps([nxt, *rows[:3]]))
    service.ingest_files(db, [folder / "russian-losses.json"])
    changes = service.rejudge(db)
    assert sorted((c["text"], c["old_verdict"], c["new_verdict"], c["new_actual"], c["reason"])
                  for c in changes) == [
        ("1,180 personnel", "unverifiable", "supported", 1180, "new report"),
        ("9 tanks", "unverifiable", "supported", 9, "new report")]
    with Store(db) as s:
        claims = register.article_claims(s.engine, first.done[0].article_id)
        history = register.verdict_history(s.engine, claims[0]["id"])
    assert [c["verdict"] for c in claims] == ["supported", "supported"]
    assert [(h["old_verdict"], h["new_verdict"]) for h in history] == [
        ("unverifiable", "supported")]
    assert service.rejudge(db) == []  # recorded once


def test_cli_once_prints_the_table_and_flags_then_nothing_the_second_time(
        db: str, feeds: Path) -> None:
    cmd = [ATTRITION, "watch", "--once", "--db", db, "--timeout", "3", str(feeds)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "4 new articles checked" in first.stdout
    assert ('"46 artillery systems": CONTRADICTED; the ledger: 33' in first.stdout)
    assert "Тестові новини" in first.stdout
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "No new article checked" in second.stdout
    assert "46 artillery systems" not in second.stdout and "CONTRADICTED" not in second.stdout


def test_cli_watch_stops_cleanly_on_sigterm(db: str, feeds: Path) -> None:
    proc = subprocess.Popen([ATTRITION, "watch", "--db", db, "--timeout", "3", str(feeds)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        while line and "pass 1" not in line:
            line = proc.stderr.readline()
        assert "pass 1:" in line and "4 checked" in line
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "46 artillery systems" in out


def test_cli_watch_checks_pushed_lines_as_they_come_and_ends_with_them(db: str) -> None:
    lines = (watchsite.FIXTURES / "push.jsonl").read_text(encoding="utf-8").splitlines()
    with subprocess.Popen([ATTRITION, "watch", "--db", db, "--stdin"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdin and proc.stdout and proc.stderr
        try:
            proc.stdin.write(lines[0] + "\n")
            proc.stdin.flush()
            # checked while stdin is still open: the draft's flag comes back at once
            flagged = proc.stdout.readline()
            proc.stdin.write("{broken\n" + lines[1] + "\n")
            proc.stdin.close()
            proc.wait(timeout=60)
            err = proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
    assert flagged.startswith('"46 artillery systems": CONTRADICTED; the ledger: 33')
    assert "https://newsroom.example/drafts/drone-tally" in flagged
    assert proc.returncode == 0, err
    assert "stdin, line 2: not valid JSON" in err
    with Store(db) as s:
        assert register.counts(s.engine) == {"checked": 2}


def test_cli_watch_names_a_bad_feed_list_line(db: str, tmp_path: Path) -> None:
    f = tmp_path / "feeds.txt"
    f.write_text("# mine\nftp://example.org/feed Example\n", encoding="utf-8")
    res = subprocess.run([ATTRITION, "watch", "--once", "--db", db, str(f)],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 1
    assert res.stderr.strip() == (f"attrition: error: {f}, line 2, field 'address': "
                                  "'ftp://example.org/feed' is not an http(s) address")
    assert "Traceback" not in res.stderr


def test_the_feed_and_page_readers_are_not_imported_at_cli_start_up() -> None:
    out = subprocess.run([sys.executable, "-X", "importtime", "-c",
                          "import attrition.cli"], capture_output=True, text=True)
    assert "feedparser" not in out.stderr and "trafilatura" not in out.stderr


def test_a_stopped_watcher_stores_what_it_checked_and_gives_back_what_it_claimed(
        db: str, feeds: Path) -> None:
    """Claims are taken four at a time: a watcher told to stop after its first article
    stores it and gives the articles it claimed but did not read back at once (pending, no
    attempt counted), so another watcher need not wait for the lease. (hold=0: each check
    is stored at once, so that the stop comes after the first.)"""
    seen: list[str] = []
    options = Options(interval=60, timeout=2.0, deadline=1.5, lease=30, threads=1, claim=4,
                      hold=0)
    result = service.watch(db, [str(feeds)], once=True, options=options,
                           stop=lambda: bool(seen), on_article=lambda d: seen.append(d.status))
    assert result.checked == 1
    with Store(db) as s:
        rows = register.articles(s.engine)
    assert sorted(r["status"] for r in rows) == ["checked"] + ["pending"] * 3
    assert all(r["attempts"] == 0 for r in rows if r["status"] == "pending")


def test_the_watcher_judges_an_article_on_what_had_been_published_when_it_was_written(
        db: str) -> None:
    # published at 07:00 Kyiv on 14 November 2024, before that day's report (it counts from
    # 09:00): `check --as-of` finds the figures unverifiable then, supported now
    text = (watchsite.FIXTURES / "en-artillery-2024-11-14.txt").read_text(encoding="utf-8")
    published = "2024-11-14T07:00:00+02:00"
    with Reader(db) as reader:
        checker = service.Checker(reader)
        then = [c["verdict"] for c in checker.check(text, None, "x", as_of=published)["claims"]]
        now = [c["verdict"] for c in checker.check(text, date(2024, 11, 14), "x")["claims"]]
    assert then != now and set(now) == {"supported"}
    line = json.dumps({"address": "cms://early", "published": published, "text": text})
    got = _claims(_once(db, [], lines=iter([line])))["early"]
    assert [verdict for _, verdict, _ in got] == then
