"""Benchmark of `attrition watch` (issue 15), end to end from a local news site: the feed
polled, every page fetched, its main text extracted, checked, its claims stored.

    1. one watcher on SQLite: articles per second (threads 1 and the default 3)
    2. memory (RSS) of one long-running watcher over 10,000 articles, sampled every 1,000
    3. on PostgreSQL (BENCH_PG_URL or ATTRITION_TEST_DB_URL): two watcher processes against
       one, over the same register, with the CPU each side used (watchers, site, database
       server): on a machine whose cores are busy with other work, the wall-clock ratio
       says more about the others than about the watchers

The site (tests/watchsite.py: short articles in English, Ukrainian and Russian quoting each
day's real figures) runs in a process of its own, as a real site would. Run on demand
(`.venv/bin/python bench/bench_watch.py`); not a test. BENCH_ARTICLES sets the size of the
throughput runs (default 1,000), BENCH_MEMORY_ARTICLES the memory run (default 10,000),
BENCH_PAGE_DELAY the seconds each page takes (default 0), BENCH_PG_THREADS the threads of
each watcher on PostgreSQL (default 3), BENCH_PG_ROUNDS the runs of one and two watchers
(default 3, in turn; the ratio is of the medians).

Each watcher process runs in a session of its own, as separately started watchers do: Linux
shares a busy machine's CPU among sessions first (autogroups), so processes forked in one
session share one session's share, and two watchers there ran no faster than one.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import watchsite  # noqa: E402
from attrition.bootstrap import ensure_loaded  # noqa: E402
from attrition.store import register, schema  # noqa: E402
from attrition.store.db import Store  # noqa: E402
from attrition.watch.inputs import Feed  # noqa: E402
from attrition.watch.pipeline import Options, PassResult, Watcher  # noqa: E402

N = int(os.environ.get("BENCH_ARTICLES", "1000"))
N_MEMORY = int(os.environ.get("BENCH_MEMORY_ARTICLES", "10000"))
PG_URL = os.environ.get("BENCH_PG_URL") or os.environ.get("ATTRITION_TEST_DB_URL")


PAGE_DELAY = float(os.environ.get("BENCH_PAGE_DELAY", "0"))
"""Seconds each article page takes to come (a real site's distance); 0: at once."""


def _site(url: str, n: int, ready: Any, stop: Any) -> None:
    site = watchsite.Site()
    server, _ = watchsite.start(site)
    stories = watchsite.generated_stories(url, n)
    watchsite.serve_generated(site, stories)  # /gen.xml lists them all
    watchsite.serve_generated(site, stories[:N], path="/small.xml")
    if PAGE_DELAY:
        for path, handle in list(site.routes.items()):
            if path.startswith("/news/"):
                site.routes[path] = _slowly(handle)
    ready.put(site.base)
    parent = os.getppid()
    while not stop.wait(1.0) and os.getppid() == parent:
        pass  # until told, or until the bench is gone
    server.shutdown()


def _slowly(handle: Any) -> Any:
    def slow(req: Any) -> None:
        time.sleep(PAGE_DELAY)
        handle(req)
    return slow


class Site:
    """The generated site in a process of its own."""

    def __init__(self, url: str, n: int) -> None:
        ctx = mp.get_context("fork")
        self.ready: Any = ctx.Queue()
        self.stop = ctx.Event()
        self.proc = ctx.Process(target=_site, args=(url, n, self.ready, self.stop))
        self.proc.start()
        self.base = str(self.ready.get(timeout=120))

    def close(self) -> None:
        self.stop.set()
        self.proc.join(10)


def _wipe(url: str) -> None:
    with Store(url) as s, s.engine.begin() as conn:
        for t in (schema.outbox, schema.verdict_changes, schema.claims, schema.articles,
                  schema.feeds):
            conn.execute(t.delete())


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    """CPU seconds this process used (user + system): what the work costs, whatever else
    the machine runs (the wall clock counts the other processes' turns too)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def proc_cpu(pids: list[int], children: bool = False) -> float:
    """CPU seconds (user + system) the processes `pids` used so far (gone ones count 0);
    with `children`, also their children that ended (a server's finished workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if children:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / tick


def thread_sched(pids: list[int]) -> dict[tuple[int, str], tuple[float, float]]:
    """Per thread of the processes `pids`: seconds on a CPU and seconds ready to run but
    waiting for one (/proc/…/schedstat): what the machine's other work took from them."""
    out: dict[tuple[int, str], tuple[float, float]] = {}
    for pid in pids:
        try:
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                ran, waited, _ = (task / "schedstat").read_text().split()
            except (OSError, ValueError):
                continue
            out[(pid, task.name)] = (int(ran) / 1e9, int(waited) / 1e9)
    return out


def database_cpu() -> float:
    """CPU seconds of the local PostgreSQL server so far: its live processes, and through
    the postmaster's children's times, the backends that ended (each watcher's)."""
    live, master = [], []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if (d / "comm").read_text().strip() != "postgres":
                continue
            parent = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            parent_comm = Path(f"/proc/{parent}/comm").read_text().strip()
        except (OSError, ValueError):
            continue
        (live if parent_comm == "postgres" else master).append(int(d.name))
    return proc_cpu(live) + proc_cpu(master, children=True)


def one_watcher(url: str, base: str, threads: int) -> tuple[int, float, float]:
    """Articles checked, wall seconds, CPU seconds of the watcher."""
    _wipe(url)
    with Store(url) as store, Watcher(store, [Feed(base, "Generated")],
                                      Options(threads=threads)) as w:
        w.views(register.ledger_version(w.engine))  # as a running watcher has them
        started, used = time.perf_counter(), cpu()
        result = w.run_once(keep=False)
        took, used = time.perf_counter() - started, cpu() - used
    return result.checked, took, used


def memory(url: str, base: str) -> list[tuple[int, float]]:
    _wipe(url)
    samples: list[tuple[int, float]] = []
    count = [0]

    def seen(_: Any) -> None:
        count[0] += 1
        if count[0] % 1000 == 0:
            samples.append((count[0], rss_mb()))

    with Store(url) as store, Watcher(store, [Feed(base + "/gen.xml", "Generated")],
                                      Options(threads=3)) as w:
        samples.append((0, rss_mb()))
        result: PassResult = w.run_once(on_article=seen, keep=False)
    assert result.checked == N_MEMORY, result.checked
    return samples


PG_THREADS = int(os.environ.get("BENCH_PG_THREADS", "3"))
PG_ROUNDS = int(os.environ.get("BENCH_PG_ROUNDS", "3"))
"""Runs of one and of two watchers, in turn; the ratio is of their medians."""


def _drain(url: str, start: Any, out: Any) -> None:
    # a session of its own, as a watcher started by systemd, cron or its own shell has: the
    # kernel shares the CPU among sessions (autogroups) before processes, so watchers forked
    # in one session get one session's share of a busy machine between them, however many
    # there are (measured: two such watchers ran at 0.7x one; each in its own, at 1.3x)
    parent = os.getppid()
    os.setsid()  # out of the terminal's reach too: it stops when the bench is gone

    def orphaned() -> bool:
        return os.getppid() != parent

    with Store(url) as store, Watcher(store, options=Options(threads=PG_THREADS)) as w:
        w.views(register.ledger_version(w.engine))
        result = PassResult()
        while not start.wait(1.0):
            if orphaned():
                return
        t, used = time.perf_counter(), cpu()
        w.drain(result, orphaned, keep=False)
        out.put((result.checked, time.perf_counter() - t, cpu() - used))


def watchers_on_pg(url: str, site: Site, k: int) -> dict[str, float]:
    """`k` watcher processes draining the same register (the feed polled once first):
    articles, wall seconds, and the CPU seconds of the watchers, the site and the database
    server meanwhile (on two cores they share the machine: what the watchers can gain from
    a second process depends on what the others take)."""
    _wipe(url)
    with Store(url) as store, Watcher(store, [Feed(site.base + "/small.xml",
                                                   "Generated")]) as w:
        _, entries = w.poll(w.feeds[0], once=True)
        register.enqueue(w.engine, entries)
    ctx = mp.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_drain, args=(url, start, out)) for _ in range(k)]
    for p in procs:
        p.start()
    time.sleep(3)  # every process has built its views of the ledger
    pids = [p.pid or 0 for p in procs]
    sched_before = thread_sched(pids)
    sched_last = dict(sched_before)
    before = {"site": proc_cpu([site.proc.pid or 0]), "database": database_cpu()}
    t = time.perf_counter()
    start.set()
    got: list[Any] = []
    deadline = time.monotonic() + 600
    while len(got) < k and time.monotonic() < deadline:
        sched_last.update(thread_sched(pids))  # a thread's last figures before it ends
        with contextlib.suppress(queue.Empty):
            got.append(out.get(timeout=0.05))
    took = time.perf_counter() - t
    for p in procs:
        p.join()
    time.sleep(0.5)  # their database backends end
    used = {"site": proc_cpu([site.proc.pid or 0]) - before["site"],
            "database": database_cpu() - before["database"]}
    with Store(url) as store:
        assert register.counts(store.engine) == {"checked": N}, register.counts(store.engine)
    waited = sum(v[1] - sched_before.get(key, (0.0, 0.0))[1] for key, v in sched_last.items())
    return {"articles": sum(g[0] for g in got), "wall": took,
            "watchers": sum(g[2] for g in got), "ready": waited / k / PG_THREADS / took, **used}


class _Skip(Exception):
    pass


def main() -> None:
    print(f"load average before: {os.getloadavg()}; {os.cpu_count()} cores")
    only = os.environ.get("BENCH_ONLY", "")  # "pg": only the PostgreSQL comparison
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        ensure_loaded(url)
        site = Site(url, N if only == "pg" else max(N, N_MEMORY))
        try:
            if only == "pg":
                raise _Skip
            for threads in (1, 3):
                served = proc_cpu([site.proc.pid or 0])
                n, took, used = one_watcher(url, site.base + "/small.xml", threads)
                served = proc_cpu([site.proc.pid or 0]) - served
                print(f"one watcher, SQLite, {threads} thread(s): {n} articles in "
                      f"{took:.1f} s = {n / took:.1f} articles/s; {used:.1f} CPU s = "
                      f"{1000 * used / n:.1f} CPU ms an article = {n / used:.1f} articles "
                      f"per CPU second (the site: {1000 * served / n:.1f} CPU ms an "
                      f"article; load average now {os.getloadavg()[0]:.1f})")
            samples = memory(url, site.base)
            print("memory over " + f"{N_MEMORY:,} articles (RSS MB): " + ", ".join(
                f"{k:,}: {mb:.0f}" for k, mb in samples))
        except _Skip:
            pass
        finally:
            site.close()
        if PG_URL:
            ensure_loaded(PG_URL)
            site = Site(url, N)
            try:
                rates: dict[int, list[float]] = {1: [], 2: []}
                for _ in range(PG_ROUNDS):
                    for k in (1, 2):  # in turn: the machine's other work changes by the minute
                        r = watchers_on_pg(PG_URL, site, k)
                        count = r["articles"]
                        rates[k].append(count / r["wall"])
                        cpu_all = r["watchers"] + r["site"] + r["database"]
                        print(f"{k} watcher(s), PostgreSQL: {count:.0f} articles in "
                              f"{r['wall']:.1f} s = {rates[k][-1]:.1f} articles/s; CPU ms an "
                              f"article: watchers {1000 * r['watchers'] / count:.1f}, site "
                              f"{1000 * r['site'] / count:.1f}, database "
                              f"{1000 * r['database'] / count:.1f}; the cores busy "
                              f"{cpu_all / r['wall'] / (os.cpu_count() or 1):.0%} with this "
                              f"work; a watcher's thread ready to run but waiting for a "
                              f"core {r['ready']:.0%} of the time (load average now "
                              f"{os.getloadavg()[0]:.1f})", flush=True)
                one, two = statistics.median(rates[1]), statistics.median(rates[2])
                print(f"median of {PG_ROUNDS}: one watcher {one:.1f}, two {two:.1f} "
                      f"articles/s; two watchers / one: {two / one:.2f}x")
            finally:
                site.close()
                _wipe(PG_URL)
        else:
            print("PostgreSQL: skipped (set BENCH_PG_URL)")
    print(f"load average after: {os.getloadavg()}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
