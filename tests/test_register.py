"""The register of checked articles (issue 15): entries deduplicated, one claim per article
among watchers, a lost claim stores nothing, expired claims taken again, verdict changes kept
beside the current verdict. On SQLite, and on PostgreSQL when ATTRITION_TEST_DB_URL is set."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from attrition.store import register, schema
from attrition.store.db import Store

PG_URL = os.environ.get("ATTRITION_TEST_DB_URL")
REGISTER_TABLES = [schema.verdict_changes, schema.claims, schema.articles, schema.feeds]


def _wipe(store: Store) -> None:
    with store.engine.begin() as conn:
        for t in REGISTER_TABLES:
            conn.execute(t.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'register.db'}"
    else:
        if not PG_URL:
            if os.environ.get("ATTRITION_REQUIRE_SERVICES") == "1":
                pytest.fail("ATTRITION_TEST_DB_URL is not set (CI must start PostgreSQL)")
            pytest.skip("no PostgreSQL: set ATTRITION_TEST_DB_URL")
        url = PG_URL
    with Store(url) as s:
        _wipe(s)
        yield s
        _wipe(s)


def _entry(n: int, stamp: str = "2024-11-14") -> register.Entry:
    return register.Entry(f"http://news.test/{n}", f"entry-{n}-{stamp}", outlet="Test",
                          title=f"Story {n}", published=stamp)


def _claim(text: str, verdict: str, actual: int | None) -> dict[str, Any]:
    return {"sentence": f"They lost {text}.", "text": text, "value": 46,
            "category": "artillery", "measure": "change",
            "period": {"from": "2024-11-13", "to": "2024-11-13"}, "verdict": verdict,
            "actual": actual, "reading": "r", "why": "w", "evidence": {"a": 1},
            "rule_ids": ["x"]}


def test_an_entry_is_registered_once(store: Store) -> None:
    first = register.enqueue(store.engine, [_entry(1), _entry(2), _entry(1)])
    assert len(first) == 2
    assert register.enqueue(store.engine, [_entry(1), _entry(2)]) == []
    # the same address with a new stamp (an updated entry) is a new row
    assert len(register.enqueue(store.engine, [_entry(1, "2024-11-15")])) == 1
    assert register.counts(store.engine) == {"pending": 3}


def test_each_article_is_claimed_by_one_watcher(store: Store) -> None:
    register.enqueue(store.engine, [_entry(n) for n in range(40)])
    taken: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        me = register.worker_name()
        while (art := register.claim(store.engine, me)) is not None:
            with lock:
                taken.append(art.id)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taken) == 40 and len(set(taken)) == 40
    assert register.counts(store.engine) == {"checking": 40}


def test_an_expired_claim_is_taken_again_and_the_loser_stores_nothing(store: Store) -> None:
    register.enqueue(store.engine, [_entry(1)])
    dead = register.claim(store.engine, "dead-watcher")
    assert dead is not None
    assert register.claim(store.engine, "other", lease=60) is None  # still held
    time.sleep(0.05)
    again = register.claim(store.engine, "other", lease=0.01)
    assert again is not None and again.id == dead.id and again.attempts == 2
    version = register.ledger_version(store.engine)
    lost = register.finish(store.engine, dead, text="t", content_hash="h", language="en",
                           claims=[_claim("46 artillery systems", "supported", 46)],
                           version=version)
    assert lost.status == "" and lost.claims == []
    won = register.finish(store.engine, again, text="t", content_hash="h", language="en",
                          claims=[_claim("46 artillery systems", "supported", 46)],
                          version=version)
    assert won.status == "checked" and len(won.claims) == 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.claims)
                            ).scalar() == 1


def test_the_same_text_at_an_address_is_a_duplicate_and_a_new_text_a_new_version(
        store: Store) -> None:
    register.enqueue(store.engine, [_entry(1), _entry(1, "2024-11-15"),
                                    _entry(1, "2024-11-16")])
    v = register.ledger_version(store.engine)
    results = []
    for body in ("first text", "first text", "second text"):
        art = register.claim(store.engine, "w")
        assert art is not None
        results.append(register.finish(store.engine, art, text=body, content_hash=body,
                                       language="en", claims=[], version=v))
    assert [r.status for r in results] == ["checked", "duplicate", "checked"]
    assert results[1].duplicate_of == results[0].article_id
    rows = register.articles(store.engine)
    assert [(r["status"], r["version"]) for r in rows] == [
        ("checked", 1), ("duplicate", None), ("checked", 2)]


def test_a_changed_verdict_is_recorded_beside_the_current_one(store: Store) -> None:
    register.enqueue(store.engine, [_entry(1)])
    art = register.claim(store.engine, "w")
    assert art is not None
    register.finish(store.engine, art, text="t", content_hash="h", language="en",
                    claims=[_claim("46 artillery systems", "unverifiable", None),
                            _claim("12 tanks", "supported", 12)], version="1:2024-11-13")
    assert [a[0] for a in register.stale_articles(store.engine, "2:2024-11-14")] == [art.id]
    changes = register.rejudge(store.engine, art.id, [
        _claim("46 artillery systems", "supported", 46), _claim("12 tanks", "supported", 12)],
        "2:2024-11-14")
    assert [(c["old_verdict"], c["new_verdict"], c["new_actual"], c["reason"])
            for c in changes] == [("unverifiable", "supported", 46, "new report")]
    # the same re-judging again (a second watcher) records nothing more
    assert register.rejudge(store.engine, art.id, [
        _claim("46 artillery systems", "supported", 46)], "2:2024-11-14") == []
    assert register.stale_articles(store.engine, "2:2024-11-14") == []
    now = register.article_claims(store.engine, art.id)
    assert [(c["verdict"], c["actual"], c["ledger_version"]) for c in now] == [
        ("supported", 46, "2:2024-11-14"), ("supported", 12, "2:2024-11-14")]
    history = register.verdict_history(store.engine, now[0]["id"])
    assert [(h["old_verdict"], h["new_verdict"]) for h in history] == [
        ("unverifiable", "supported")]


def test_a_feed_is_polled_by_one_watcher_at_a_time(store: Store) -> None:
    a = register.take_feed(store.engine, "http://feeds.test/rss", "Test", 900, hold=60)
    assert a is not None and a.failures == 0
    assert register.take_feed(store.engine, "http://feeds.test/rss", "Test", 900,
                              hold=60) is None
    register.feed_polled(store.engine, "http://feeds.test/rss", ok=False,
                         next_poll=register.now(), error="HTTP 500")
    got = register.feed_state(store.engine, "http://feeds.test/rss")
    assert got is not None and got.failures == 1 and got.last_error == "HTTP 500"
    register.feed_polled(store.engine, "http://feeds.test/rss", ok=True,
                         next_poll=register.now(), etag='"abc"')
    got = register.feed_state(store.engine, "http://feeds.test/rss")
    assert got is not None and (got.failures, got.etag, got.last_error) == (0, '"abc"', None)


def test_the_ledger_version_changes_with_an_ingest(loaded_db: str) -> None:
    with Store(loaded_db) as s:
        v = register.ledger_version(s.engine)
    ingest, _, latest = v.partition(":")
    assert int(ingest) >= 1 and len(latest) == 10
    assert register.version_reason("1:2024-11-13", "2:2024-11-14") == "new report"
    assert register.version_reason("1:2024-11-14", "2:2024-11-14") == "revision"


def test_a_released_article_waits_for_its_retry_and_fails_after_its_attempts(
        store: Store) -> None:
    register.enqueue(store.engine, [_entry(1)])
    art = register.claim(store.engine, "w")
    assert art is not None
    assert register.release(store.engine, art, "HTTP 503", retry=60) == "pending"
    assert register.claimable(store.engine) == 0
    assert register.claim(store.engine, "w") is None  # not before its retry time
    assert register.release(store.engine, art, "HTTP 503") == ""  # no longer ours
    with store.engine.begin() as conn:
        conn.execute(schema.articles.update().values(retry_at=register.now(), attempts=4))
    again = register.claim(store.engine, "w")
    assert again is not None and again.attempts == 5
    assert register.release(store.engine, again, "HTTP 503", max_attempts=5) == "failed"
    rows = register.articles(store.engine)
    assert [(r["status"], r["error"]) for r in rows] == [("failed", "HTTP 503")]


def test_claim_many_takes_at_most_n_each_once_among_watchers(store: Store) -> None:
    """A batch claim takes no more than it asks for (PostgreSQL may run a plain
    `IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` again per row and take them all), and
    four threads claiming batches of 3 share 40 articles without overlap."""
    register.enqueue(store.engine, [_entry(n) for n in range(40)])
    first = register.claim_many(store.engine, "w", 3)
    assert len(first) == 3 and [a.id for a in first] == sorted(a.id for a in first)
    taken: list[int] = [a.id for a in first]
    lock = threading.Lock()

    def work() -> None:
        me = register.worker_name()
        while got := register.claim_many(store.engine, me, 3):
            assert len(got) <= 3
            with lock:
                taken.extend(a.id for a in got)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taken) == 40 and len(set(taken)) == 40
    assert register.counts(store.engine) == {"checking": 40}


def test_claim_many_takes_pending_articles_before_expired_claims(store: Store) -> None:
    register.enqueue(store.engine, [_entry(1)])
    dead = register.claim(store.engine, "dead-watcher")
    assert dead is not None
    time.sleep(1.0)  # the dead watcher's claim is a second old; a lease of 0.8 s lapsed
    register.enqueue(store.engine, [_entry(2), _entry(3)])
    got = register.claim_many(store.engine, "w", 2, lease=0.8)
    assert sorted(a.address for a in got) == ["http://news.test/2", "http://news.test/3"]
    again = register.claim_many(store.engine, "w", 2, lease=0.8)
    assert [(a.id, a.attempts) for a in again] == [(dead.id, 2)]


def test_finish_many_stores_a_batch_in_one_transaction_as_finish_would(store: Store) -> None:
    """Several articles stored at once: duplicates within the batch found in order, a lost
    claim stores nothing, and `on_stored` runs for each checked one inside the transaction;
    when it fails, nothing of the batch is written."""
    register.enqueue(store.engine, [_entry(1), _entry(1, "2024-11-15"), _entry(2),
                                    _entry(3)])
    arts = register.claim_many(store.engine, "w", 4)
    assert len(arts) == 4
    lost = register.Article(**{**arts[3].__dict__, "claimed_by": "someone-else"})
    v = register.ledger_version(store.engine)
    tanks = _claim("12 tanks", "contradicted", 10)
    items = [register.Checked(arts[0], "text one", "h1", "en", [tanks], v),
             register.Checked(arts[1], "text one", "h1", "en", [tanks], v),
             register.Checked(arts[2], "text two", "h2", "uk", [tanks, tanks], v),
             register.Checked(lost, "text three", "h3", "en", [tanks], v)]
    seen: list[tuple[int, int]] = []

    def boom(conn: Any, article: Any, claims: Any) -> None:
        seen.append((article["id"], len(claims)))
        if len(seen) == 2:
            raise RuntimeError("the outbox failed")

    with pytest.raises(RuntimeError):
        register.finish_many(store.engine, items, on_stored=boom)
    assert register.counts(store.engine) == {"checking": 4}  # nothing written
    seen.clear()
    got = register.finish_many(store.engine, items,
                               on_stored=lambda c, a, rows: seen.append((a["id"], len(rows))))
    assert [s.status for s in got] == ["checked", "duplicate", "checked", ""]
    assert got[1].duplicate_of == arts[0].id
    assert seen == [(arts[0].id, 1), (arts[2].id, 2)]
    assert register.counts(store.engine) == {"checked": 2, "duplicate": 1, "checking": 1}
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.claims)
                            ).scalar() == 3


def test_unclaim_gives_articles_back_without_counting_an_attempt(store: Store) -> None:
    register.enqueue(store.engine, [_entry(n) for n in range(3)])
    arts = register.claim_many(store.engine, "w", 3)
    stolen = register.Article(**{**arts[2].__dict__, "claimed_by": "other"})
    assert register.unclaim(store.engine, [arts[0], arts[1], stolen]) == 2
    rows = {r["id"]: r for r in register.articles(store.engine)}
    assert [(rows[a.id]["status"], rows[a.id]["attempts"], rows[a.id]["claimed_by"])
            for a in arts] == [("pending", 0, None), ("pending", 0, None), ("checking", 1, "w")]
    again = register.claim_many(store.engine, "w2", 3)
    assert [a.id for a in again] == [arts[0].id, arts[1].id]
