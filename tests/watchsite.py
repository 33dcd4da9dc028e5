"""A small news site on 127.0.0.1 for the watcher's tests: feeds (RSS 2.0, Atom, JSON Feed)
and article pages made from tests/fixtures/watch (our own texts with real figures), plus the
feeds that misbehave (500, malformed XML, a redirect loop, a 50 MB body, a slow answer).
`Site.routes` can be changed while it runs (an updated article, a new entry)."""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "watch"


@dataclass
class Story:
    slug: str
    fixture: str
    published: str  # ISO with offset
    lang: str
    updated: str | None = None

    def text(self) -> str:
        return (FIXTURES / self.fixture).read_text(encoding="utf-8")

    def title(self) -> str:
        return self.text().strip().splitlines()[0]


STORIES = {
    "en-artillery": Story("en-artillery", "en-artillery-2024-11-14.txt",
                          "2024-11-14T09:12:00+02:00", "en"),
    "en-drones": Story("en-drones", "en-drones-2025-09-18.txt", "2025-09-18T10:05:00+03:00",
                       "en"),
    "uk-losses": Story("uk-losses", "uk-losses-2025-03-05.txt", "2025-03-05T09:30:00+02:00",
                       "uk"),
    "ru-losses": Story("ru-losses", "ru-losses-2025-09-18.txt", "2025-09-18T11:40:00+03:00",
                       "ru"),
}


def page(story: Story) -> bytes:
    """An article page as a news site serves it: navigation, the story, related links and a
    footer around it (the extractor must find the story)."""
    lines = story.text().strip().splitlines()
    title, body = lines[0], [ln for ln in lines[1:] if ln.strip()]
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return f"""<!doctype html>
<html lang="{story.lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta property="article:published_time" content="{story.published}"></head>
<body><header><nav><a href="/">Home</a> <a href="/war">War</a> <a href="/economy">Economy</a>
<a href="/sport">Sport</a></nav></header>
<main><article><h1>{html.escape(title)}</h1>
<time datetime="{story.published}">{story.published[:10]}</time>
{paras}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Weather for the weekend</a></li>
<li><a href="/b">Markets close higher</a></li></ul></aside></main>
<footer>© Test News. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>""".encode()


def _rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def rss(base: str, stories: list[Story]) -> bytes:
    items = "".join(f"""
<item><title>{html.escape(s.title())}</title><link>{base}/news/{s.slug}.html</link>
<guid>{base}/news/{s.slug}.html</guid><pubDate>{_rfc822(s.published)}</pubDate>
<description>{html.escape(s.text().splitlines()[2][:120])}</description></item>"""
                    for s in stories)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test News (English)</title><link>{base}/</link>
<description>Latest</description>{items}
</channel></rss>""".encode()


def atom(base: str, stories: list[Story]) -> bytes:
    entries = "".join(f"""
<entry><title>{html.escape(s.title())}</title><link href="{base}/news/{s.slug}.html"/>
<id>{base}/news/{s.slug}.html</id><published>{s.published}</published>
<updated>{s.updated or s.published}</updated></entry>""" for s in stories)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Тестові новини</title><id>{base}/</id>
<updated>2025-09-18T12:00:00+03:00</updated>{entries}
</feed>""".encode()


def json_feed(base: str, stories: list[Story]) -> bytes:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Тестовые новости",
        "items": [{"id": s.slug, "url": f"{base}/news/{s.slug}.html", "title": s.title(),
                   "date_published": s.published,
                   **({"date_modified": s.updated} if s.updated else {})} for s in stories],
    }, ensure_ascii=False).encode()


Handler = Callable[["Request"], None]


@dataclass
class Request:
    handler: BaseHTTPRequestHandler
    path: str

    def header(self, name: str) -> str | None:
        return self.handler.headers.get(name)

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        h = self.handler
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        if body:
            h.wfile.write(body)


@dataclass
class Site:
    base: str = ""
    routes: dict[str, Handler] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    user_agents: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def serve(self, path: str, body: bytes | Callable[[], bytes], ctype: str,
              etag: bool = False, last_modified: bool = False) -> None:
        """Serve `body`; with `etag` or `last_modified`, answer a conditional GET whose
        validator still matches with 304 (the date is the body's: a new body, a new date)."""
        stamps: dict[bytes, str] = {}

        def handle(req: Request) -> None:
            data = body() if callable(body) else body
            tag = f'"{hash(data) & 0xFFFFFFFF:x}"'
            # each new body a minute later than the last: dates never repeat
            when = stamps.setdefault(data, format_datetime(
                datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=len(stamps)),
                usegmt=True))
            headers = {**({"ETag": tag} if etag else {}),
                       **({"Last-Modified": when} if last_modified else {})}
            if (etag and req.header("If-None-Match") == tag) or (
                    last_modified and req.header("If-Modified-Since") == when):
                req.send(304, headers=headers)
                return
            req.send(200, data, ctype, headers)
        self.routes[path] = handle

    def feed_file(self, extra: list[str] | None = None) -> str:
        """The text of a file listing this site's good feeds with outlets."""
        return "\n".join(["# test feeds", f"{self.base}/rss.xml Test News",
                          f"{self.base}/atom.xml  Тестові новини",
                          f"{self.base}/feed.json Тестовые новости", *(extra or [])]) + "\n"


def standard(site: Site, stories: dict[str, Story] | None = None) -> None:
    """The good feeds: English stories in RSS, Ukrainian in Atom, Russian in the JSON Feed
    (which also lists an English story: a duplicate across feeds), their pages, and the bad
    feeds."""
    st = stories if stories is not None else {k: Story(**vars(v)) for k, v in STORIES.items()}
    site.stories = st  # type: ignore[attr-defined]
    base = site.base
    site.serve("/rss.xml", lambda: rss(base, [st["en-artillery"], st["en-drones"]]),
               "application/rss+xml", etag=True)
    site.serve("/atom.xml", lambda: atom(base, [st["uk-losses"]]), "application/atom+xml",
               last_modified=True)
    site.serve("/feed.json", lambda: json_feed(base, [st["ru-losses"], st["en-artillery"]]),
               "application/feed+json")
    for s in st.values():
        site.serve(f"/news/{s.slug}.html", (lambda s=s: page(s)), "text/html; charset=utf-8")
    site.serve("/malformed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><title>'
               b"Broken & unclosed</title><item><title>x</tit", "application/rss+xml")
    site.routes["/error.xml"] = lambda req: req.send(500, b"Internal Server Error",
                                                     "text/plain")
    site.routes["/loop.xml"] = lambda req: req.send(302, headers={"Location": "/loop2.xml"})
    site.routes["/loop2.xml"] = lambda req: req.send(302, headers={"Location": "/loop.xml"})

    def huge(req: Request) -> None:
        h = req.handler
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.end_headers()  # no length: the body streams until the reader gives up
        chunk = b"<!-- " + b"x" * (1024 * 1024 - 9) + b" -->"
        try:
            h.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
            for _ in range(50):
                h.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        h.close_connection = True

    def slow(req: Request) -> None:
        h = req.handler
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.end_headers()
        try:
            for _ in range(40):  # a byte every 0.25 s: never idle, never done
                h.wfile.write(b" ")
                h.wfile.flush()
                time.sleep(0.25)
        except (BrokenPipeError, ConnectionResetError):
            pass
        h.close_connection = True

    site.routes["/huge.xml"] = huge
    site.routes["/slow.xml"] = slow


def start(site: Site) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else headers and body wait 40 ms for an ACK

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            with site.lock:
                site.hits[path] = site.hits.get(path, 0) + 1
                site.user_agents.add(self.headers.get("User-Agent", ""))
            route = site.routes.get(path)
            if route is None:
                Request(self, path).send(404, b"not found", "text/plain")
                return
            route(Request(self, path))

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client that hangs up (a body too large for it) is no error here

    server = Server(("127.0.0.1", 0), H)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def running(site: Site) -> Iterator[Site]:
    server, _ = start(site)
    standard(site)
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


# -- many articles (the two-watcher, kill and bench runs) -----------------------------------

TEMPLATES = {
    "en": ("The General Staff's morning count, edition {n}\n\n"
           "Russian forces lost {tanks} tanks and {artillery} artillery systems over the past "
           "day, Ukraine's General Staff said in its morning update.\n"
           "The update also listed {personnel} personnel and {drones} operational-tactical "
           "drones among the day's losses.\n"
           "This is our series on the war's toll.\n"),
    "uk": ("Втрати ворога, випуск {n}\n\n"
           "За минулу добу росіяни втратили {tanks} танків та {artillery} артилерійських "
           "систем, повідомив Генштаб ЗСУ.\n"
           "Також знищено {drones} безпілотників оперативно-тактичного рівня.\n"
           "Це наша щоденна хроніка.\n"),
    "ru": ("Потери армии РФ, выпуск {n}\n\n"
           "За прошедшие сутки российская армия потеряла {tanks} танков и {artillery} "
           "артиллерийских систем, сообщил Генштаб ВСУ.\n"
           "Также уничтожено {drones} беспилотников оперативно-тактического уровня.\n"
           "Это наша ежедневная хроника.\n"),
}


def generated_stories(url: str, n: int) -> list[Story]:
    """`n` short articles in English, Ukrainian and Russian, each quoting the real daily
    figures of one report (reports taken in turn from the ledger at `url`)."""
    from datetime import date

    from attrition.store.read import Reader

    with Reader(url) as r:
        by_cat = r.by_category()
    wanted = ("tanks", "artillery", "personnel", "uav")
    changes: dict[date, dict[str, int]] = {}
    for cat in wanted:
        for row in by_cat.get(cat, []):
            if row.change is not None:
                changes.setdefault(row.report_date, {})[cat] = row.change
    days = sorted(d for d, v in changes.items() if len(v) == len(wanted)
                  and d >= date(2023, 1, 1))
    out = []
    for i in range(n):
        day = days[i % len(days)]
        lang = ("en", "uk", "ru")[i % 3]
        c = changes[day]
        text = TEMPLATES[lang].format(n=_letters(i), tanks=c["tanks"],
                                      artillery=c["artillery"], personnel=c["personnel"],
                                      drones=c["uav"])
        slug = f"gen-{i + 1}"
        published = f"{day.isoformat()}T09:{i % 60:02d}:00+02:00"
        out.append(Story(slug, "", published, lang))
        GENERATED[slug] = text
    return out


GENERATED: dict[str, str] = {}


def _letters(i: int) -> str:
    """A story's edition without digits (a number would read as a claim): a, b, ..., ba."""
    out = ""
    while True:
        out = "abcdefghijklmnopqrstuvwxyz"[i % 26] + out
        i //= 26
        if not i:
            return out.upper()


def serve_generated(site: Site, stories: list[Story], path: str = "/gen.xml") -> None:
    """The generated stories: their pages, and one RSS feed listing them all."""
    base = site.base

    def text_of(s: Story) -> str:
        return GENERATED[s.slug]

    pages: dict[str, bytes] = {}

    def render(text: str) -> bytes:
        lines = [ln for ln in text.strip().splitlines() if ln.strip()]
        paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in lines[1:])
        return f"""<!doctype html><html><head><meta charset="utf-8">
<title>{html.escape(lines[0])}</title></head><body><header><nav><a href="/">Home</a>
<a href="/war">War</a></nav></header><main><article><h1>{html.escape(lines[0])}</h1>
{paras}</article></main><footer>© Test News</footer></body></html>""".encode()

    def gen_page(req: Request) -> None:
        slug = req.path.rsplit("/", 1)[-1].removesuffix(".html")
        text = GENERATED.get(slug)
        if text is None:
            req.send(404, b"not found", "text/plain")
            return
        body = pages.get(slug)
        if body is None:  # rendered once: the site should cost little beside the watcher
            body = pages[slug] = render(text)
        req.send(200, body)

    items = "".join(f"""<item><title>{html.escape(text_of(s).splitlines()[0])}</title>
<link>{base}/news/{s.slug}.html</link><pubDate>{_rfc822(s.published)}</pubDate></item>
""" for s in stories)
    body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Generated</title>{items}</channel></rss>").encode()
    site.serve(path, body, "application/rss+xml", etag=True)
    for s in stories:
        site.routes[f"/news/{s.slug}.html"] = gen_page
