"""The watcher: feeds polled politely, new entries registered, each article claimed, fetched,
its main text extracted and checked, its claims stored; claims judged again when the ledger
changes. Several watchers share one store (see attrition.store.register).

    Watcher(url, feeds, options).run_once()   one pass (cron): a PassResult
    Watcher(...).run(stop)                    passes until `stop()`; between them it sleeps

Where newly stored or changed claims go next (alerts): `Watcher(on_stored=...)` is called
inside the transaction that stores them (register.OnStored), and every PassResult lists them
(`stored`, `changes`).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from attrition.check.fetch import DEADLINE, MAX_BYTES
from attrition.errors import (
    AttritionError,
    CheckError,
    FetchError,
    ParseError,
    StoreError,
    Throttled,
)
from attrition.store import register
from attrition.watch.inputs import Feed, content_hash

if TYPE_CHECKING:
    import httpx

    from attrition.check import ConfirmedView, LedgerView
    from attrition.check.ledger_at import Moments
    from attrition.store.db import Store

FLAGGED = ("contradicted", "mislabeled", "wrong_date")
"""Verdicts a newsroom wants to hear about."""
KYIV = "Europe/Kyiv"


@dataclass
class Options:
    interval: int = 900
    """Seconds between two polls of a feed."""
    jitter: float = 0.1
    """Each wait is stretched or shrunk by up to this share, so that watchers started
    together do not poll together."""
    max_backoff: int = 6 * 3600
    """A failing feed waits interval × 2^failures, at most this many seconds."""
    timeout: float = 20.0
    deadline: float = DEADLINE
    max_feed_bytes: int = 10 * 1024 * 1024
    max_page_bytes: int = MAX_BYTES
    lease: float = register.LEASE
    max_attempts: int = register.MAX_ATTEMPTS
    retry: float = 60.0
    """Seconds before a page that could not be fetched is tried again (doubling each time)."""
    threads: int = 3
    """Articles read and checked at once by one watcher (threads: one waits for a page or
    the database while another checks)."""
    claim: int = 4
    """Articles a thread claims at once (one round trip to the database for several; the
    ones not read within half the lease are given back)."""
    batch: int = 16
    """Checked articles a thread stores in one transaction (one commit for many: most of
    a watcher's database time was its commits and statements per article)."""
    hold: float = 2.0
    """Seconds a checked article may wait for its batch before it is stored anyway (its
    alerts wait as long; at most a quarter of the lease)."""
    fast_extraction: bool = True
    """trafilatura without its fallback extractors (see check.fetch.main_text)."""
    public_only: bool = False
    """Refuse private addresses (the web service); the CLI reads what its user names."""


@dataclass
class FeedResult:
    address: str
    outlet: str | None
    status: str
    """'ok', 'not modified', 'failed' or 'not due'."""
    entries: int = 0
    new: int = 0
    error: str | None = None
    next_poll: str | None = None


@dataclass
class Done:
    """One article this watcher finished."""

    article_id: int
    address: str
    outlet: str | None
    title: str | None
    status: str
    """'checked', 'duplicate', 'failed', 'pending' (to be tried again) or 'lost' (another
    watcher took it after the lease)."""
    language: str | None = None
    claims: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


@dataclass
class PassResult:
    feeds: list[FeedResult] = field(default_factory=list)
    registered: int = 0
    done: list[Done] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)
    ledger_version: str = ""
    checked: int = 0
    flagged: int = 0
    """Counted also when `done` is not kept (a long-running watcher keeps no list)."""

    def count(self, d: Done, keep: bool) -> None:
        if d.status == "checked":
            self.checked += 1
            self.flagged += sum(c["verdict"] in FLAGGED for c in d.claims)
        if keep:
            self.done.append(d)

    @property
    def stored(self) -> list[dict[str, Any]]:
        """Every claim stored in this pass, with its article's address and outlet."""
        return [{**c, "address": d.address, "outlet": d.outlet, "title": d.title}
                for d in self.done if d.status == "checked" for c in d.claims]


class Watcher:
    def __init__(self, store: Store, feeds: Sequence[Feed] = (), options: Options | None = None,
                 *, on_stored: register.OnStored | None = None, worker: str | None = None,
                 http: httpx.Client | None = None) -> None:
        self.store = store
        self.engine = store.engine
        self.feeds = list(feeds)
        self.options = options or Options()
        self.on_stored = on_stored
        self.worker = worker or register.worker_name()
        self._http = http
        self._own_http = http is None
        self._views: tuple[str, LedgerView, ConfirmedView] | None = None
        self._moments: tuple[str, Moments] | None = None
        self._views_lock = threading.Lock()
        self._hosts: dict[str, float] = {}
        """Hosts that asked this watcher to wait (Retry-After): until when (monotonic)."""
        self._version: tuple[float, str] | None = None
        register.tune(self.engine)

    # -- resources ------------------------------------------------------------------------

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            from attrition.check.fetch import client
            from attrition.watch.politeness import on_response

            self._http = client(self.options.timeout, public_only=self.options.public_only)
            # a 429 or 503 with Retry-After raises Throttled from any fetch of this client
            self._http.event_hooks["response"].append(on_response)
        return self._http

    def close(self) -> None:
        if self._http is not None and self._own_http:
            self._http.close()
            self._http = None

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ledger_version(self, fresh: float = 2.0) -> str:
        """The ledger's version, read at most every `fresh` seconds (a claim judged just
        before an ingest is labelled with the version it was judged on, and re-judged)."""
        at = time.monotonic()
        if self._version is None or at - self._version[0] > fresh:
            self._version = (at, register.ledger_version(self.engine))
        return self._version[1]

    def views(self, version: str) -> tuple[LedgerView, ConfirmedView]:
        """The checker's views of the ledger at `version`, built once per version."""
        with self._views_lock:
            return self._build_views(version)

    def _build_views(self, version: str) -> tuple[LedgerView, ConfirmedView]:
        if self._views is None or self._views[0] != version:
            from attrition import crosswalk
            from attrition.check import ConfirmedView, LedgerView
            from attrition.store.read import Reader

            with Reader(self.store.url) as reader:
                by_cat = reader.by_category()
                lv = LedgerView(by_cat, reader.corrections())
                cv = ConfirmedView(by_cat, reader.confirmed_counts("oryx"), crosswalk.load())
            self._views = (version, lv, cv)
        return self._views[1], self._views[2]

    def views_at(self, version: str, at: datetime
                 ) -> tuple[LedgerView, ConfirmedView, str | None]:
        """The checker's views of the ledger at `at` (the ledger as it stood then: the
        newest report by then, figures revised later as they were), and the date of its
        newest report (None: the ledger now). Derived from the views now, in memory."""
        from attrition.check.ledger_at import Moments
        from attrition.store.asof import Timeline
        from attrition.store.read import Reader

        with self._views_lock:
            now = self._build_views(version)
            if self._moments is None or self._moments[0] != version:
                url = self.store.url

                def timeline() -> Timeline:
                    with Reader(url) as reader:
                        return Timeline(reader)

                with Reader(url) as reader:
                    counts = reader.confirmed_counts("oryx")
                self._moments = (version, Moments(now[0], counts, now[1].crosswalk,
                                                  timeline))
            moments = self._moments[1]
        got = moments.at(at)
        if got is None:
            return now[0], now[1], None
        view, confirmed, moment = got
        if view is None or confirmed is None or moment.latest is None:
            raise CheckError(f"no report had been published by {at.isoformat()} (the first "
                             "is of 2022-02-24): nothing to judge it on")
        return view, confirmed, moment.latest.isoformat()

    # -- one pass -------------------------------------------------------------------------

    def run_once(self, extra: Iterable[register.Entry | ParseError] = (), *,
                 once: bool = True, stop: Callable[[], bool] = lambda: False,
                 on_article: Callable[[Done], None] | None = None,
                 keep: bool = True) -> PassResult:
        """Re-judge what a new ledger changed, poll the due feeds, register their new entries
        and `extra` (files, pushed texts), then check every pending article (this watcher's
        share of them), until none is left or `stop()`. With `keep`, the result lists every
        article done (else only counts them: memory stays flat however many come)."""
        out = PassResult(ledger_version=register.ledger_version(self.engine))
        out.changes = self.rejudge(stop)
        given: list[register.Entry] = []
        for e in extra:
            if isinstance(e, ParseError):
                out.input_errors.append(str(e))
            else:
                given.append(e)
        if given:
            out.registered += len(register.enqueue(self.engine, given))
        for feed in self.feeds:
            if stop():
                break
            res, found = self.poll(feed, once=once)
            out.feeds.append(res)
            if found:
                res.new = len(register.enqueue(self.engine, found))
                out.registered += res.new
        register.fail_exhausted(self.engine, self.options.max_attempts, self.options.lease)
        self.drain(out, stop, on_article, keep=keep)
        return out

    def drain(self, out: PassResult, stop: Callable[[], bool],
              on_article: Callable[[Done], None] | None = None, keep: bool = True) -> None:
        """Check pending articles until none is left or `stop()`, with `options.threads`
        threads (one waits for a page or the database while another checks). Each thread
        stores what it checked in batches (see `Options.batch`, `Options.hold`)."""
        lock = threading.Lock()

        def report(d: Done) -> None:
            with lock:
                out.count(d, keep)
                if on_article is not None:
                    on_article(d)

        def loop() -> None:
            o = self.options
            held: list[tuple[Done, register.Checked]] = []
            queue: list[register.Article] = []
            since = claimed = 0.0
            hold = min(o.hold, o.lease / 4)
            while not stop():
                if queue and time.monotonic() - claimed > o.lease / 2:
                    register.unclaim(self.engine, queue)  # slow pages: their lease runs out
                    queue = []
                if not queue:
                    queue = register.claim_many(self.engine, self.worker, max(1, o.claim),
                                                o.lease)
                    claimed = time.monotonic()
                    if not queue:
                        break
                art = queue.pop(0)
                d, checked = self.read_one(art)
                if checked is None:
                    report(d)
                    continue
                if not held:
                    since = time.monotonic()
                held.append((d, checked))
                if len(held) >= self.options.batch or time.monotonic() - since >= hold:
                    self.store_checked(held, report)
            # stopped or no work left: what was checked is stored, what was claimed and not
            # read is given back (a watcher killed before this leaves them claimed; they are
            # taken again after the lease)
            self.store_checked(held, report)
            register.unclaim(self.engine, queue)

        if self.options.threads <= 1:
            loop()
            return
        self.views(register.ledger_version(self.engine))  # built once, before the threads
        threads = [threading.Thread(target=loop, name=f"watch-{i}", daemon=True)
                   for i in range(self.options.threads)]
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.2)  # a timed join lets the main thread take signals

    def run(self, stop: Callable[[], bool], extra: Iterable[register.Entry | ParseError] = (),
            on_pass: Callable[[PassResult, float], None] | None = None,
            on_article: Callable[[Done], None] | None = None, idle: float = 1.0) -> int:
        """Passes until `stop()`: after each, waits until the next feed is due (checking for
        new work every `idle` seconds, so pushed articles and other watchers' leftovers are
        taken up). Returns the number of passes."""
        passes = 0
        first_extra: Iterable[register.Entry | ParseError] = extra
        while not stop():
            result = self.run_once(first_extra, once=passes == 0, stop=stop,
                                   on_article=on_article, keep=False)
            first_extra = ()
            passes += 1
            wait = self.next_due()
            if on_pass is not None:
                on_pass(result, wait)
            deadline = time.monotonic() + wait
            while not stop() and time.monotonic() < deadline:
                time.sleep(min(idle, max(0.0, deadline - time.monotonic())))
                if self.has_work():
                    break
        return passes

    def next_due(self) -> float:
        """Seconds until the next of this watcher's feeds is due (at most the shortest of
        their intervals)."""
        wait = float(min((f.interval or self.options.interval for f in self.feeds),
                         default=self.options.interval))
        states = {s.address: s for s in register.feeds(self.engine)}
        now = datetime.now(UTC)
        for f in self.feeds:
            s = states.get(f.address)
            if s is None or s.next_poll is None:
                return 0.0
            wait = min(wait, (datetime.fromisoformat(s.next_poll) - now).total_seconds())
        return max(0.0, wait)

    def has_work(self) -> bool:
        """Whether an article can be claimed now (by this watcher or another)."""
        return register.claimable(self.engine, self.options.lease) > 0

    def listen(self, entries: Iterable[register.Entry | ParseError],
               on_error: Callable[[str], None] | None = None) -> threading.Thread:
        """Register entries as they come (JSON lines pushed by a CMS), in a thread of their
        own; the running watcher takes each up within a second. The thread ends with them."""
        def read() -> None:
            for e in entries:
                if isinstance(e, ParseError):
                    if on_error is not None:
                        on_error(str(e))
                else:
                    register.enqueue(self.engine, [e])

        thread = threading.Thread(target=read, name="watch-input", daemon=True)
        thread.start()
        return thread

    # -- feeds ----------------------------------------------------------------------------

    def _jittered(self, seconds: float) -> float:
        j = self.options.jitter
        return seconds * (1 + random.uniform(-j, j))

    def poll(self, feed: Feed, *, once: bool = False
             ) -> tuple[FeedResult, list[register.Entry]]:
        """Poll one feed if it is due (and no other watcher is polling it): a conditional GET
        with the validators of the last answer; a failure is recorded with its error and
        backs the feed off exponentially. Never raises for a bad feed."""
        from attrition.check.fetch import fetch
        from attrition.watch.inputs import parse_feed

        o = self.options
        interval = feed.interval or o.interval
        hold = o.timeout + o.deadline + 5  # a poll cannot take longer
        # a pass from cron polls a feed whenever cron says, unless the feed has its own
        # interval (the list of feeds asked for it)
        state = register.take_feed(self.engine, feed.address, feed.outlet, interval, hold,
                                   once=once and feed.interval is None)
        if state is None:
            return FeedResult(feed.address, feed.outlet, "not due"), []
        try:
            got = fetch(feed.address, self.http, deadline=o.deadline,
                        max_bytes=o.max_feed_bytes, etag=state.etag,
                        last_modified=state.last_modified, what="feed")
            if got.status == 304:
                nxt = register.later(self._jittered(interval))
                register.feed_polled(self.engine, feed.address, ok=True, next_poll=nxt,
                                     etag=got.etag, last_modified=got.last_modified)
                return FeedResult(feed.address, feed.outlet, "not modified",
                                  next_poll=nxt), []
            entries, warning = parse_feed(got.body, feed, got.content_type)
        except AttritionError as exc:
            failures = state.failures + 1
            wait = self._jittered(min(interval * 2 ** min(failures, 20), o.max_backoff))
            if isinstance(exc, Throttled):  # the server said when: not before
                wait = max(wait, exc.retry_after)
            nxt = register.later(wait)
            error = " ".join(str(exc).split())
            register.feed_polled(self.engine, feed.address, ok=False, next_poll=nxt,
                                 error=error)
            return FeedResult(feed.address, feed.outlet, "failed", error=error,
                              next_poll=nxt), []
        nxt = register.later(self._jittered(interval))
        register.feed_polled(self.engine, feed.address, ok=True, next_poll=nxt,
                             etag=got.etag, last_modified=got.last_modified)
        return FeedResult(feed.address, feed.outlet, "ok", entries=len(entries),
                          error=warning, next_poll=nxt), entries

    # -- articles -------------------------------------------------------------------------

    def work_one(self) -> Done | None:
        """Claim one pending article, read and check it, store the result. None when there
        is nothing left to claim."""
        art = register.claim(self.engine, self.worker, self.options.lease)
        if art is None:
            return None
        d, checked = self.read_one(art)
        if checked is not None:
            self.store_checked([(d, checked)])
        return d

    def read_one(self, art: register.Article) -> tuple[Done, register.Checked | None]:
        """Read and check a claimed article: what to store, or (None) the article given
        back with its error (to be tried again, or failed)."""
        done = Done(art.id, art.address, art.outlet, art.title, "")
        fetched = None
        host = _host(art.address)
        held = self._hosts.get(host, 0.0) - time.monotonic() if art.body is None else 0.0
        if held > 0:  # its server asked to wait: not asked again before (no attempt spent)
            done.error = f"{host} asked to wait (Retry-After): {held:.0f} s left"
            done.status = register.release(self.engine, art, done.error, wait=held,
                                           count=False) or "lost"
            return done, None
        try:
            if art.body is not None:
                text = art.body
            else:
                text = self.read_page(art.address)
                fetched = register.now()
            version = self.ledger_version()
            doc = self.check(text, art.published, source=art.address, version=version,
                             as_of=publication_moment(art.published))
        except StoreError:
            raise  # the store's trouble, not the article's: its claim expires, taken again
        except FetchError as exc:
            wait = exc.retry_after if isinstance(exc, Throttled) else None
            if wait is not None:  # the host's other pages wait too
                self._hosts[host] = max(self._hosts.get(host, 0.0), time.monotonic() + wait)
            done.error = " ".join(str(exc).split())
            done.status = register.release(self.engine, art, done.error,
                                           max_attempts=self.options.max_attempts,
                                           retry=self.options.retry, wait=wait) or "lost"
            return done, None
        except AttritionError as exc:  # no text, no date, too long: trying again won't help
            done.error = " ".join(str(exc).split())
            done.status = register.release(self.engine, art, done.error, final=True) or "lost"
            return done, None
        except Exception as exc:  # a fault of the checker on this text
            # recorded on the article (a watcher must not die of one page) for a bug report
            done.error = (f"the checker failed on this article: {exc.__class__.__name__}: "
                          f"{' '.join(str(exc).split())[:300]}")
            done.status = register.release(self.engine, art, done.error, final=True) or "lost"
            return done, None
        done.language = doc["article"]["language"]
        return done, register.Checked(art, text, content_hash(text), done.language,
                                      doc["claims"], version, fetched)

    def store_checked(self, held: list[tuple[Done, register.Checked]],
                      report: Callable[[Done], None] | None = None) -> None:
        """Store checked articles in one transaction (register.finish_many), fill in their
        Done, report each, and empty `held`."""
        if not held:
            return
        stored = register.finish_many(self.engine, [c for _, c in held],
                                      on_stored=self.on_stored)
        for (d, _), got in zip(held, stored, strict=True):
            d.status = got.status or "lost"
            d.claims = got.claims
            if got.duplicate_of is not None:
                d.error = f"same text as article {got.duplicate_of}"
            if report is not None:
                report(d)
        held.clear()

    def read_page(self, address: str) -> str:
        """The main text of the page at `address` (trafilatura; a plain-text page as it is)."""
        from attrition.check.fetch import fetch, main_text

        got = fetch(address, self.http, deadline=self.options.deadline,
                    max_bytes=self.options.max_page_bytes)
        page = got.text()
        kind = (got.content_type or "").split(";")[0].strip().lower()
        text = page if kind in ("text/plain", "text/markdown") else main_text(
            page, fast=self.options.fast_extraction)
        if not text.strip():
            raise CheckError(f"{address}: no article text on the page")
        return text

    def check(self, text: str, published: str | None, *, source: str,
              version: str | None = None, as_of: datetime | None = None) -> dict[str, Any]:
        """The check document of an article. Its date is the day it was published (in Kyiv,
        where the reports are dated), else its header's or first dated line's, else today.
        `as_of` (the watcher gives the publication moment): judged on the ledger as it
        stood then (`check --as-of`); its newest report is the document's
        `article.latest_report`."""
        from attrition.check import check_text

        version = version or register.ledger_version(self.engine)
        latest = None
        if as_of is None:
            ledger, confirmed = self.views(version)
        else:
            if as_of.tzinfo is None:  # a time without a zone is Kyiv's (as `--as-of` reads it)
                from attrition.dates import kyiv

                as_of = as_of.replace(tzinfo=kyiv())
            ledger, confirmed, latest = self.views_at(version, as_of)
        day = publication_day(published)
        try:
            doc = check_text(text, ledger, day, source=source, confirmed=confirmed)
        except CheckError as exc:
            if day is None and "no date" in str(exc):
                doc = check_text(text, ledger, kyiv_today(), source=source,
                                 confirmed=confirmed)
            else:
                raise
        if latest is not None:
            doc["article"]["latest_report"] = latest
        return doc

    # -- re-judging -----------------------------------------------------------------------

    def rejudge(self, stop: Callable[[], bool] = lambda: False) -> list[dict[str, Any]]:
        """Judge again every stored claim judged against an older ledger: each change of
        verdict or ledger value is recorded in verdict_changes (the claim keeps its current
        verdict). Returns the changes."""
        version = register.ledger_version(self.engine)
        out: list[dict[str, Any]] = []
        done: set[int] = set()
        while not stop():
            batch = [s for s in register.stale_articles(self.engine, version)
                     if s[0] not in done]
            if not batch:
                break
            for article_id, body, published, _old in batch:
                done.add(article_id)
                try:
                    doc = self.check(body, published, source=f"article {article_id}",
                                     version=version, as_of=publication_moment(published))
                except AttritionError:
                    # it checked before and not now (the rules changed): its claims stay,
                    # marked as seen at this version
                    register.rejudge(self.engine, article_id, [], version)
                    continue
                out.extend(register.rejudge(self.engine, article_id, doc["claims"], version,
                                            on_changed=self.on_stored))
                if stop():
                    break
        return out


def _host(address: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(address).netloc.lower()


def publication_day(published: str | None) -> date | None:
    """The day of `published` (ISO) in Kyiv."""
    if not published:
        return None
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(ZoneInfo(KYIV)).date()


def publication_moment(published: str | None) -> datetime | None:
    """When an article was published, as `--as-of` reads a time: a bare date is the end of
    that day in Kyiv (every report of that day counts), a time without a zone Kyiv's; None
    when absent or unreadable."""
    if not published:
        return None
    from attrition.dates import parse_moment
    from attrition.errors import DateError

    try:
        return parse_moment(published)
    except DateError:
        return None


def kyiv_today() -> date:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(KYIV)).date()
