"""The watcher's manners (issue 15): a feed's own interval from the list of feeds, and a
server's Retry-After on 429 and 503 honoured for feeds and pages, against a local site on
127.0.0.1. (Conditional GET, jitter, back-off on errors and the User-Agent are tested in
test_watch.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

import watchsite
from attrition import service
from attrition.errors import ParseError
from attrition.store import register
from attrition.store.db import Store
from attrition.watch.inputs import Feed, read_feed_list
from attrition.watch.pipeline import Options, PassResult
from attrition.watch.politeness import MAX_RETRY_AFTER, retry_after, seconds

FAST = Options(interval=60, timeout=2.0, deadline=1.5, lease=30, threads=1)


@pytest.fixture
def site() -> Iterator[watchsite.Site]:
    yield from watchsite.running(watchsite.Site())


def _once(db: str, items: list[str]) -> PassResult:
    result = service.watch(db, items, once=True, options=FAST)
    assert isinstance(result, PassResult)
    return result


def _ahead(stamp: str | None) -> float:
    """Seconds from now to a time the register wrote."""
    return (datetime.fromisoformat(stamp or "") - datetime.now(UTC)).total_seconds()


# -- reading durations and Retry-After ------------------------------------------------------


def test_durations_as_a_feed_list_writes_them() -> None:
    assert [seconds(t) for t in ("900", "90s", "30m", "2h", "1d", "1.5h", "45 min")] == [
        900, 90, 1800, 7200, 86400, 5400, 2700]
    for bad in ("", "soon", "-5m", "30 minutes", "1w"):
        with pytest.raises(ValueError):
            seconds(bad)


def test_retry_after_as_seconds_or_an_http_date() -> None:
    now = datetime(2025, 9, 18, 12, 0, tzinfo=UTC)
    assert retry_after("120", now) == 120
    assert retry_after(format_datetime(now + timedelta(hours=1), usegmt=True), now) == 3600
    assert retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert retry_after("99999999999", now) == MAX_RETRY_AFTER  # a week at most
    assert retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now) == MAX_RETRY_AFTER
    for unreadable in (None, "", "  ", "soon", "-5", "1.5"):
        assert retry_after(unreadable, now) is None


# -- a feed's own interval ------------------------------------------------------------------


def test_the_feed_list_gives_each_feed_its_interval(tmp_path: Path) -> None:
    f = tmp_path / "feeds.txt"
    f.write_text("https://a.test/rss.xml  Kyiv Daily News  every=30m\n"
                 "https://b.test/atom.xml every=2h\n"
                 "https://c.test/feed.json  Other Outlet   # a comment\n", encoding="utf-8")
    assert read_feed_list(f) == [Feed("https://a.test/rss.xml", "Kyiv Daily News", 1800),
                                 Feed("https://b.test/atom.xml", None, 7200),
                                 Feed("https://c.test/feed.json", "Other Outlet", None)]
    for line, problem in (("https://a.test/rss.xml News every=soon", "not a duration"),
                          ("https://a.test/rss.xml News every=5s", "too often")):
        f.write_text(f"# feeds\n{line}\n", encoding="utf-8")
        with pytest.raises(ParseError) as err:
            read_feed_list(f)
        assert f"{f}, line 2, field 'every'" in str(err.value)
        assert problem in str(err.value)


def test_each_feed_is_polled_at_its_own_interval(db: str, site: watchsite.Site,
                                                 tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.base}/rss.xml Test News every=30m\n"
                     f"{site.base}/atom.xml Тестові новини\n", encoding="utf-8")
    result = _once(db, [str(feeds)])
    assert [f.status for f in result.feeds] == ["ok", "ok"]
    with Store(db) as s:
        rss = register.feed_state(s.engine, f"{site.base}/rss.xml")
        atom = register.feed_state(s.engine, f"{site.base}/atom.xml")
    assert rss is not None and atom is not None
    assert (rss.interval, atom.interval) == (1800, FAST.interval)
    # 10% jitter either way
    assert 1800 * 0.89 < _ahead(rss.next_poll) < 1800 * 1.11
    assert FAST.interval * 0.85 < _ahead(atom.next_poll) < FAST.interval * 1.11


# -- Retry-After ----------------------------------------------------------------------------


def _throttled(status: int, header: str) -> watchsite.Handler:
    def handle(req: watchsite.Request) -> None:
        req.send(status, b"slow down", "text/plain", headers={"Retry-After": header})
    return handle


@pytest.mark.parametrize("status", [429, 503])
def test_a_feed_that_asks_to_wait_is_not_polled_before(db: str, site: watchsite.Site,
                                                       status: int) -> None:
    """Retry-After in seconds: the next poll is that far ahead (far beyond the back-off of
    twice the interval), and a pass from cron leaves the feed alone meanwhile."""
    site.routes["/busy.xml"] = _throttled(status, "7200")
    result = _once(db, [f"{site.base}/busy.xml"])
    [feed] = result.feeds
    assert feed.status == "failed"
    assert f"HTTP {status}, asked to wait 7200 s (Retry-After)" in (feed.error or "")
    with Store(db) as s:
        state = register.feed_state(s.engine, f"{site.base}/busy.xml")
    assert state is not None and state.failures == 1
    assert 7200 - 60 < _ahead(state.next_poll) <= 7200
    assert [f.status for f in _once(db, [f"{site.base}/busy.xml"]).feeds] == ["not due"]
    assert site.hits["/busy.xml"] == 1


def test_retry_after_as_an_http_date_and_a_503_without_it(db: str,
                                                          site: watchsite.Site) -> None:
    when = datetime.now(UTC) + timedelta(hours=3)
    site.routes["/dated.xml"] = _throttled(503, format_datetime(when, usegmt=True))
    site.routes["/down.xml"] = lambda req: req.send(503, b"down", "text/plain")
    result = _once(db, [f"{site.base}/dated.xml", f"{site.base}/down.xml"])
    assert [f.status for f in result.feeds] == ["failed", "failed"]
    with Store(db) as s:
        dated = register.feed_state(s.engine, f"{site.base}/dated.xml")
        down = register.feed_state(s.engine, f"{site.base}/down.xml")
    assert dated is not None and down is not None
    assert 3 * 3600 - 120 < _ahead(dated.next_poll) <= 3 * 3600
    # no Retry-After: the usual back-off, twice the interval (with jitter)
    assert "HTTP 503" in (down.last_error or "") and "Retry-After" not in (down.last_error or "")
    assert 2 * FAST.interval * 0.85 < _ahead(down.next_poll) < 2 * FAST.interval * 1.11


def test_a_page_that_asks_to_wait_holds_its_host(db: str, site: watchsite.Site) -> None:
    """The first article's page answers 429 with Retry-After: 600. It waits that long, and
    the watcher asks the same host for no other page in the meantime: they are given back,
    pending, with no attempt spent. Once the wait is over they are all checked."""
    site.routes["/news/en-artillery.html"] = _throttled(429, "600")
    result = _once(db, [f"{site.base}/rss.xml"])
    assert [(d.address.rsplit("/", 1)[-1], d.status) for d in result.done] == [
        ("en-artillery.html", "pending"), ("en-drones.html", "pending")]
    assert "asked to wait 600 s" in (result.done[0].error or "")
    assert "asked to wait (Retry-After)" in (result.done[1].error or "")
    assert site.hits.get("/news/en-artillery.html") == 1
    assert "/news/en-drones.html" not in site.hits  # not asked
    with Store(db) as s:
        rows = {r["address"].rsplit("/", 1)[-1]: r for r in register.articles(s.engine)}
    first, second = rows["en-artillery.html"], rows["en-drones.html"]
    assert first["attempts"] == 1 and 600 - 30 < _ahead(first["retry_at"]) <= 600
    assert second["attempts"] == 0 and 0 < _ahead(second["retry_at"]) <= 600
    # the wait is over (moved to now here), the site answers again
    watchsite.standard(site)
    with Store(db) as s, s.engine.begin() as conn:
        from attrition.store import schema

        conn.execute(schema.articles.update().values(retry_at=register.now()))
    again = _once(db, [f"{site.base}/rss.xml"])
    assert sorted((d.address.rsplit("/", 1)[-1], d.status) for d in again.done) == [
        ("en-artillery.html", "checked"), ("en-drones.html", "checked")]


def test_a_pass_from_cron_polls_a_feed_with_its_own_interval_only_when_due(
        db: str, site: watchsite.Site, tmp_path: Path) -> None:
    """Cron decides when the other feeds are polled (at most once a minute); a feed listed
    with `every=` waits for its interval."""
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.base}/rss.xml Test News every=30m\n"
                     f"{site.base}/atom.xml Тестові новини\n", encoding="utf-8")
    assert [f.status for f in _once(db, [str(feeds)]).feeds] == ["ok", "ok"]
    from attrition.store import schema

    with Store(db) as s, s.engine.begin() as conn:  # the next cron pass, 2 minutes later
        conn.execute(schema.feeds.update().values(polled_at=register._ago(120)))
    assert [f.status for f in _once(db, [str(feeds)]).feeds] == ["not due", "not modified"]
