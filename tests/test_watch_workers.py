"""Several watchers, one store (issue 15): two `attrition watch` processes over the same
feed share the work, and every article is checked exactly once; a watcher killed (SIGKILL)
at random points 20 times during a pass loses no article and checks none twice."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

import watchsite
from attrition.bootstrap import ensure_loaded
from attrition.store import register, schema
from attrition.store.db import Store

ATTRITION = str(Path(sys.executable).parent / "attrition")
PG_URL = os.environ.get("ATTRITION_TEST_DB_URL")
CLAIMS = {"en": 4, "uk": 3, "ru": 3}
"""Figures in each generated article (watchsite.TEMPLATES)."""


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, loaded_db: str, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "shared.db"
        shutil.copy(loaded_db.removeprefix("sqlite:///"), path)
        yield f"sqlite:///{path}"
        return
    if not PG_URL:
        if os.environ.get("ATTRITION_REQUIRE_SERVICES") == "1":
            pytest.fail("ATTRITION_TEST_DB_URL is not set (CI must start PostgreSQL)")
        pytest.skip("no PostgreSQL: set ATTRITION_TEST_DB_URL")
    ensure_loaded(PG_URL)
    _wipe(PG_URL)
    yield PG_URL
    _wipe(PG_URL)


def _wipe(url: str) -> None:
    with Store(url) as s, s.engine.begin() as conn:
        for t in (schema.verdict_changes, schema.claims, schema.articles, schema.feeds):
            conn.execute(t.delete())


@pytest.fixture
def generated(store_url: str, tmp_path: Path) -> Iterator[tuple[str, list[watchsite.Story],
                                                                   Path]]:
    site = watchsite.Site()
    server, _ = watchsite.start(site)
    stories = watchsite.generated_stories(store_url, 120)
    watchsite.serve_generated(site, stories)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.base}/gen.xml Generated\n", encoding="utf-8")
    _generated_site[store_url] = site
    try:
        yield store_url, stories, feeds
    finally:
        server.shutdown()
        server.server_close()


_generated_site: dict[str, watchsite.Site] = {}
"""The site a `generated` fixture serves, by store address (for a test that slows it)."""


def _slow_pages(site: watchsite.Site, seconds: float) -> None:
    """Every article page takes `seconds`, as a real site's do: the first watcher can then
    not finish the whole feed before the second has started."""
    for path, route in list(site.routes.items()):
        if path.endswith(".html"):
            def slow(req: object, route: object = route) -> None:
                time.sleep(seconds)
                route(req)  # type: ignore[operator]
            site.routes[path] = slow


def _register_is_consistent(url: str, stories: list[watchsite.Story]) -> list[dict[str, object]]:
    """Every story is one checked article with all its claims, stored once; nothing left
    claimed or pending."""
    with Store(url) as s:
        rows = register.articles(s.engine)
        with s.engine.connect() as conn:
            per_article = dict(conn.execute(
                sa.select(schema.claims.c.article_id, sa.func.count())
                .group_by(schema.claims.c.article_id)).all())
    by_address = Counter(str(r["address"]).rsplit("/", 1)[-1] for r in rows)
    assert by_address == Counter(f"{s.slug}.html" for s in stories)  # none lost, none twice
    assert Counter(str(r["status"]) for r in rows) == {"checked": len(stories)}, [
        (r["error"], r["attempts"]) for r in rows if r["status"] != "checked"]
    lang = {f"{s.slug}.html": s.lang for s in stories}
    for r in rows:
        slug = str(r["address"]).rsplit("/", 1)[-1]
        assert per_article.get(r["id"]) == CLAIMS[lang[slug]], slug
    return rows


@pytest.mark.slow
def test_two_watchers_share_the_work_and_check_every_article_once(
        generated: tuple[str, list[watchsite.Story], Path]) -> None:
    url, stories, feeds = generated
    # a watcher now checks ~100 local pages a second: instant pages would let the first one
    # finish before the second has started (a cold start is ~1 s here)
    _slow_pages(_generated_site[url], 0.1)
    cmd = [ATTRITION, "watch", "--db", url, "--interval", "600", "--threads", "2",
           str(feeds)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            with Store(url) as s:
                done = register.counts(s.engine).get("checked", 0)
            if done == len(stories):
                break
            time.sleep(0.5)
        for p in procs:
            p.send_signal(signal.SIGTERM)
        outs = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    rows = _register_is_consistent(url, stories)
    workers = Counter(str(r["claimed_by"]).split(":")[1] for r in rows)
    assert set(workers) == {str(p.pid) for p in procs}  # both took a share


@pytest.mark.slow
def test_a_watcher_killed_twenty_times_loses_nothing_and_checks_nothing_twice(
        generated: tuple[str, list[watchsite.Story], Path]) -> None:
    url, stories, feeds = generated
    if not url.startswith("sqlite"):
        pytest.skip("run on SQLite (the two-watcher test covers PostgreSQL's claims)")
    rng = random.Random(15)
    cmd = [ATTRITION, "watch", "--once", "--db", url, "--lease", "1", "--timeout", "2",
           "--deadline", "2", "--threads", "2", str(feeds)]
    after_kills = []
    with Store(url) as watching:
        for _ in range(20):
            before = register.counts(watching.engine).get("checked", 0)
            more = rng.randint(0, 8)  # kill after this many more articles (0: at start-up)
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            limit = time.monotonic() + 60
            while (proc.poll() is None and time.monotonic() < limit and more and
                   register.counts(watching.engine).get("checked", 0) < before + more):
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.3 if more else 2.0))  # anywhere in the next article
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            after_kills.append(register.counts(watching.engine))
    # the kills landed mid-pass: with some articles checked and others not, and with an
    # article claimed and not finished
    partial = [c for c in after_kills if 0 < c.get("checked", 0) < len(stories)]
    assert len(partial) >= 3, after_kills
    assert any(c.get("checking") for c in after_kills), after_kills
    time.sleep(2 + 2 + 5 + 1)  # a feed held by a killed poll is free again; leases expired
    final = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    _register_is_consistent(url, stories)
