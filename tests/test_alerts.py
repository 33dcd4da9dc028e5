"""Alerts (issue 15): queued with the verdict in one transaction, delivered at least once and,
to a receiver that keeps the Idempotency-Key, exactly once: through errors, time-outs and a
sender killed at random points."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from attrition import alerts, service
from attrition.errors import InvalidValueError, SourceError
from attrition.store import outbox, register, schema
from attrition.store.db import Store
from conftest import copy_db
from registered import LATER, Receiver, fill, next_report, serve

MONITOR = Path(__file__).parent / "fixtures" / "monitor"


@pytest.fixture
def store(loaded_db: str, tmp_path: Path) -> Iterator[Store]:
    with Store(copy_db(loaded_db, tmp_path)) as s:
        yield s


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from serve(Receiver())


def _config(**kw: Any) -> alerts.Config:
    return alerts.Config(**{"allow_local": True, "backoff": 0.05, "timeout": 0.5, **kw})


def test_flagged_verdicts_are_queued_in_the_verdicts_transaction(store: Store,
                                                                 receiver: Receiver) -> None:
    config = _config(webhook=receiver.url)
    policy = config.policy()
    assert policy is not None
    fill(store.engine, store.url, on_stored=policy)
    rows = outbox.rows(store.engine)
    with store.engine.connect() as conn:
        claims = conn.execute(sa.select(schema.claims.c.id, schema.claims.c.verdict,
                                        schema.claims.c.text)).all()
    flagged = {(c.id, c.verdict) for c in claims if c.verdict in outbox.ALERT_ON}
    # our fixtures hold one of each flagged verdict, checked by the real checker
    assert {v for _, v in flagged} == {"contradicted", "mislabeled", "wrong_date"}
    assert {(r["claim_id"], r["verdict"]) for r in rows} == flagged
    assert all(r["status"] == "pending" and r["channel"] == config.channels()[0]
               for r in rows)
    # the webhook's address (often its secret) is not stored, only its host and a digest
    host = receiver.url.split("/")[2]
    assert config.channels()[0].startswith(f"webhook {host} ")
    assert not any(receiver.url in json.dumps(r) for r in rows)
    # the same claims again (another watcher, a replay): no second row
    with store.engine.begin() as conn:
        again = conn.execute(sa.select(schema.claims)).mappings().all()
        policy(conn, {"id": again[0]["article_id"]}, [dict(r) for r in again])
    assert len(outbox.rows(store.engine)) == len(flagged)


def test_a_verdict_whose_transaction_fails_leaves_no_alert(store: Store) -> None:
    """The alert is written with the verdict: when storing the claims fails, neither is
    there."""
    config = _config(jsonl="-")
    policy = config.policy()
    assert policy is not None

    def then_fail(conn: Any, article: Any, claims: list[dict[str, Any]]) -> None:
        policy(conn, article, claims)
        raise RuntimeError("the machine went down here")

    with pytest.raises(RuntimeError):
        fill(store.engine, store.url, [MONITOR / "steppe-2024-06-10.txt"],
             on_stored=then_fail)
    assert outbox.rows(store.engine) == []
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.claims)
                            ).scalar() == 0


def test_each_alert_arrives_once_through_a_500_and_a_timeout(store: Store,
                                                             receiver: Receiver) -> None:
    receiver.plan = ["500", "slow"]
    config = _config(webhook=receiver.url)
    fill(store.engine, store.url, on_stored=config.policy())
    ids = {str(r["id"]) for r in outbox.rows(store.engine)}
    done = alerts.deliver(store.engine, config, wait=15)
    assert done.sent == 3 and done.failed == 0 and done.retrying == 2, done
    assert "HTTP 500" in done.errors[0] and "no answer in time" in done.errors[1]
    # the receiver saw 5 requests (a 500, a time-out it had accepted, 3 deliveries) ...
    assert len(receiver.requests) == 5
    # ... and accepted each alert once, by key and by body
    assert set(receiver.accepted) == ids
    by_body = Counter(body for _, body in receiver.requests)
    assert len(by_body) == 3  # the retries repeat the same body, byte for byte
    assert len(set(receiver.accepted.values())) == 3
    assert outbox.counts(store.engine) == {"sent": 3}
    # nothing is sent twice
    assert alerts.deliver(store.engine, config).sent == 0
    assert len(receiver.requests) == 5


def test_the_alert_names_the_figure_its_verdict_the_ledger_and_the_evidence(
        store: Store, receiver: Receiver) -> None:
    config = _config(webhook=receiver.url, base_url="https://monitor.example.org/")
    fill(store.engine, store.url, [MONITOR / "steppe-2024-06-10.txt"],
         on_stored=config.policy())
    alerts.deliver(store.engine, config)
    (body,) = receiver.bodies()
    assert body["verdict"] == "contradicted" and body["ledger_value"] == 51
    assert body["claim"]["text"] == "46 artillery systems" and body["claim"]["value"] == 46
    assert body["evidence"][0]["cells"][0] == {
        "category": "artillery", "report_date": "2024-06-10", "total": 13644, "change": 51,
        "announced_change": None}
    assert body["article"]["outlet"] == "Steppe Courier"
    assert body["permalink"] == f"https://monitor.example.org/claims/{body['claim']['id']}"
    assert body["text"].startswith('Flagged (contradicted): "46 artillery systems" does not '
                                   "match the General Staff's figure (the ledger has 51).")
    assert "<http://127.0.0.1/steppe/2024-06-10-morning-losses|Another heavy day" in body[
        "text"]
    assert "not independently confirmed" in body["text"]


def test_alert_on_chooses_the_verdicts(store: Store, receiver: Receiver) -> None:
    config = _config(webhook=receiver.url, verdicts=alerts.parse_verdicts("mislabeled"))
    fill(store.engine, store.url, on_stored=config.policy())
    alerts.deliver(store.engine, config)
    assert [b["claim"]["text"] for b in receiver.bodies()] == ["77 tanks"]
    with pytest.raises(InvalidValueError, match="'wrongdate' is not a verdict"):
        alerts.parse_verdicts("contradicted,wrongdate")


def test_a_rejudged_claim_alerts_for_its_new_verdict_once(store: Store, receiver: Receiver,
                                                          shared_data: Path,
                                                          tmp_path: Path) -> None:
    """An article about a day the ledger does not hold yet is unverifiable (no alert); the
    report of that day arrives with another tank figure: re-judging makes it contradicted,
    and the alert is queued with the change, once however often it is re-judged."""
    config = _config(webhook=receiver.url)
    (stored,) = fill(store.engine, store.url, [LATER], on_stored=config.policy())
    claims = register.article_claims(store.engine, stored.article_id)
    assert [(c["text"], c["verdict"]) for c in claims] == [
        ("1,180 personnel", "unverifiable"), ("9 tanks", "unverifiable")]
    assert outbox.rows(store.engine) == []
    next_report(store.url, shared_data, tmp_path, personnel=1180, tanks=12)
    changes = service.rejudge(store.url, on_changed=config.policy())
    assert sorted((c["text"], c["new_verdict"], c["new_actual"]) for c in changes) == [
        ("1,180 personnel", "supported", 1180), ("9 tanks", "contradicted", 12)]
    assert service.rejudge(store.url, on_changed=config.policy()) == []
    rows = outbox.rows(store.engine)
    assert [(r["claim_id"], r["verdict"]) for r in rows] == [(claims[1]["id"],
                                                             "contradicted")]
    alerts.deliver(store.engine, config)
    (body,) = receiver.bodies()
    assert (body["claim"]["text"], body["ledger_value"]) == ("9 tanks", 12)
    assert body["text"].startswith('Flagged (contradicted): "9 tanks" does not match the '
                                   "General Staff's figure (the ledger has 12).")


def test_json_lines_to_a_file_hold_each_alert_once_after_a_death(store: Store,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    config = _config(jsonl=str(out), lease=0.05)
    fill(store.engine, store.url, on_stored=config.policy())
    chans = alerts.open_channels(config)
    # a sender writes the first alert and dies before marking it
    first = outbox.take(store.engine, list(chans), "dead-sender", lease=0.05)
    assert first is not None
    chans[first.channel].send(first, alerts.payload(first))
    time.sleep(0.1)
    done = alerts.deliver(store.engine, config)
    assert done.sent == 3
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(x["alert_id"] for x in lines) == sorted(
        r["id"] for r in outbox.rows(store.engine))
    assert outbox.counts(store.engine) == {"sent": 3}


def test_alerts_to_stdout_from_the_cli(store: Store) -> None:
    fill(store.engine, store.url, on_stored=_config(jsonl="-").policy())
    res = subprocess.run([sys.executable, "-m", "attrition.cli", "--db", store.url,
                          "alerts", "send", "--alerts-jsonl", "-"], capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert sorted(x["verdict"] for x in lines) == ["contradicted", "mislabeled", "wrong_date"]
    assert "3 sent" in res.stderr


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://localhost/hook",
                                 "http://169.254.169.254/latest", "http://10.0.0.1/",
                                 "http://[::1]/", "ftp://example.org/"])
def test_a_webhook_goes_only_to_a_public_address(url: str, store: Store) -> None:
    with pytest.raises(SourceError, match="--webhook"):
        alerts.check_webhook(url, allow_local=False)
    res = subprocess.run([sys.executable, "-m", "attrition.cli", "--db", store.url,
                          "alerts", "send", "--webhook", url], capture_output=True,
                         text=True, timeout=60)
    assert res.returncode != 0
    assert "Traceback" not in res.stderr and "--webhook" in res.stderr


@pytest.mark.slow
def test_killing_the_sender_20_times_loses_no_alert_and_repeats_none(
        store: Store, receiver: Receiver) -> None:
    """20 senders killed (SIGKILL) at random moments, most while an alert was sent and not
    yet marked (the marking is slowed down); then one left to finish. The receiver, keeping
    what it accepted by Idempotency-Key, holds every alert exactly once."""
    verdicts = frozenset(alerts.VERDICTS)  # every figure alerts: ~20 alerts
    fill(store.engine, store.url, on_stored=_config(webhook=receiver.url,
                                                      verdicts=verdicts).policy())
    ids = {str(r["id"]) for r in outbox.rows(store.engine)}
    assert len(ids) >= 18
    args = [sys.executable, "-m", "attrition.cli", "--db", store.url, "alerts", "send",
            "--webhook", receiver.url, "--allow-local-webhook", "--lease", "0.3",
            "--mark-delay", "0.15", "--backoff", "0.05"]
    rng = random.Random(15)
    for _ in range(20):
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = len(receiver.requests)
        deadline = time.monotonic() + 20
        # wait until it is sending, then kill it at a random moment of its work
        while len(receiver.requests) == started and time.monotonic() < deadline \
                and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        time.sleep(0.35)  # the dead sender's lease runs out
    res = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert outbox.counts(store.engine) == {"sent": len(ids)}
    assert set(receiver.accepted) == ids  # none lost
    assert len(set(receiver.accepted.values())) == len(ids)  # none twice, by body
    repeated = len(receiver.requests) - len(ids)
    assert repeated > 0, "no kill fell between sending and marking: the test proved nothing"
    print(f"{len(ids)} alerts, {len(receiver.requests)} requests, {repeated} repeats "
          f"deduplicated by Idempotency-Key")


def test_back_off_doubles_up_to_the_maximum() -> None:
    config = alerts.Config(backoff=10, max_delay=60)
    delays = [config.delay(n) for n in range(1, 7)]
    for got, full in zip(delays, [10, 20, 40, 60, 60, 60], strict=True):
        assert 0.75 * full <= got <= full


def test_an_alert_given_up_after_the_last_failure(store: Store) -> None:
    config = _config(webhook="http://127.0.0.1:9/nothing-listens", max_failures=3,
                     backoff=0.01)
    fill(store.engine, store.url, [MONITOR / "steppe-2024-06-10.txt"],
         on_stored=config.policy())
    done = alerts.deliver(store.engine, config, wait=5)
    assert (done.sent, done.retrying, done.failed) == (0, 2, 1)
    (row,) = outbox.rows(store.engine)
    assert row["status"] == "failed" and row["failures"] == 3


def test_watch_once_sends_each_alert_then_nothing_the_second_time(
        store: Store, receiver: Receiver, tmp_path: Path) -> None:
    """`attrition watch --once` with a webhook and a JSON lines file: the flagged figures of
    our fixture articles arrive once on each; a second run checks nothing new and sends
    nothing."""
    lines = tmp_path / "alerts.jsonl"
    cmd = [sys.executable, "-m", "attrition.cli", "watch", "--once", "--db", store.url,
           "--from-folder", str(MONITOR), "--webhook", receiver.url, "--allow-local-webhook",
           "--alerts-jsonl", str(lines), "--base-url", "https://monitor.example.org"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stderr
    assert "alerts: 6 sent" in first.stderr  # 3 flagged figures, 2 channels
    got = sorted(b["claim"]["text"] for b in receiver.bodies())
    assert got == ["1,190 troops", "46 artillery systems", "77 tanks"]
    assert all(b["permalink"].startswith("https://monitor.example.org/claims/")
               for b in receiver.bodies())
    written = [json.loads(x) for x in lines.read_text().splitlines()]
    assert sorted(x["claim"]["text"] for x in written) == got
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert second.returncode == 0, second.stderr
    assert "alerts:" not in second.stderr
    assert len(receiver.requests) == 3 and len(lines.read_text().splitlines()) == 3


def test_watch_with_alerts_on_stdout_prints_only_json_lines_there(store: Store) -> None:
    """`--alerts-jsonl -` is for a pipe (`| jq`): stdout holds the alerts and nothing else;
    the summary for people goes to stderr."""
    res = subprocess.run([sys.executable, "-m", "attrition.cli", "watch", "--once", "--db",
                          store.url, "--from-folder", str(MONITOR), "--alerts-jsonl", "-"],
                         capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr
    out = [x for x in res.stdout.splitlines() if x.strip()]
    assert out and all(isinstance(json.loads(x), dict) for x in out), res.stdout[:500]
    assert sorted(json.loads(x)["claim"]["text"] for x in out) == [
        "1,190 troops", "46 artillery systems", "77 tanks"]
    assert res.stderr.strip()  # the summary


def test_watch_refuses_a_private_webhook_before_watching(store: Store) -> None:
    res = subprocess.run([sys.executable, "-m", "attrition.cli", "watch", "--once", "--db",
                          store.url, "--from-folder", str(MONITOR), "--webhook",
                          "http://192.168.1.10/hook"], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 1 and "--webhook" in res.stderr and "not a public" in res.stderr
    assert outbox.rows(store.engine) == []


PG_URL = os.environ.get("ATTRITION_TEST_DB_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_store(request: pytest.FixtureRequest, loaded_db: str,
                 tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = copy_db(loaded_db, tmp_path)
    else:
        if not PG_URL:
            if os.environ.get("ATTRITION_REQUIRE_SERVICES") == "1":
                pytest.fail("ATTRITION_TEST_DB_URL is not set (CI must start PostgreSQL)")
            pytest.skip("no PostgreSQL: set ATTRITION_TEST_DB_URL")
        url = PG_URL
    tables = [schema.outbox, schema.verdict_changes, schema.claims, schema.articles]
    with Store(url) as s:
        with s.engine.begin() as conn:
            for t in tables:
                conn.execute(t.delete())
        yield s
        with s.engine.begin() as conn:
            for t in tables:
                conn.execute(t.delete())


def test_two_senders_on_one_store_send_each_alert_once(shared_store: Store, loaded_db: str,
                                                       receiver: Receiver) -> None:
    """Several watchers share a store (PostgreSQL: FOR UPDATE SKIP LOCKED): each alert is
    taken by one sender, so the receiver gets it once, not even a repeat to dedupe."""
    config = _config(webhook=receiver.url, verdicts=frozenset(alerts.VERDICTS))
    fill(shared_store.engine, loaded_db, on_stored=config.policy())  # checked on the ledger
    ids = {str(r["id"]) for r in outbox.rows(shared_store.engine)}
    assert len(ids) >= 18
    results: list[alerts.Delivery] = []

    def send(name: str) -> None:
        results.append(alerts.deliver(shared_store.engine, config, sender=name))

    threads = [threading.Thread(target=send, args=(f"sender-{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in results) == len(ids)
    assert sorted(key for key, _ in receiver.requests) == sorted(ids)
    assert outbox.counts(shared_store.engine) == {"sent": len(ids)}


def test_the_alert_text_does_not_say_the_ledger_value_twice() -> None:
    """A checker's `why` that is only the ledger's value (as the parenthesis says it) is not
    repeated in the text; another `why` is kept."""
    from attrition.store.outbox import Alert

    def text(why: str) -> str:
        body = {"claim": {"id": 7, "text": "46 artillery systems"}, "verdict": "contradicted",
                "ledger_value": 33, "why": why,
                "article": {"outlet": "Test News", "address": "https://news.test/a"}}
        return str(alerts.payload(Alert(1, 7, "contradicted", "jsonl -", body, 0, 0, "s"))
                   ["text"])

    assert text("the ledger has 33").startswith(
        'Flagged (contradicted): "46 artillery systems" does not match the General Staff\'s '
        "figure (the ledger has 33).\nIn Test News")
    assert "(the ledger has 33). the report of 18 September says 33" in text(
        "the report of 18 September says 33")
