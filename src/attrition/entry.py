"""The `attrition` command's entry point, and the `check` command itself.

`attrition check` is run on every article, often one at a time from a newsroom's scripts, so
its start-up is most of its cost; importing Typer (with its Click) is ~70 ms of it. The plain
forms of `check` are therefore parsed here and run without Typer: the global `--db`, then
`check` with files, folders, '-' or URLs and `--date`, `--format`/`-f`, `--fail-on`,
`--as-of`, `--base-url`, each at most once, with a valid value. Anything else (`--help`, an
option not listed, a repeated option, a format or verdict to refuse, no input) goes to the
Typer app in `attrition.cli`, which parses and reports it as it always has. Both paths run
`run_check`, so they print the same bytes and exit with the same status
(tests/test_entry.py compares them).
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

from attrition import plain_args
from attrition.errors import AttritionError, CheckError

if TYPE_CHECKING:
    from attrition.settings import Settings

VERDICTS = ("supported", "rounded", "contradicted", "mislabeled", "wrong_date",
            "unverifiable")
"""The checker's verdicts (attrition.check.verify), named here so that --fail-on is checked
before the checker is imported."""

FORMATS = ("text", "markdown", "json", "claimreview")

_OPTIONS = {"--date": "day", "--format": "format", "-f": "format", "--fail-on": "fail_on",
            "--as-of": "as_of", "--base-url": "base_url"}


def main() -> None:
    from attrition import code_cache, settings

    # before the modules that define dataclasses are imported (attrition.code_cache)
    code = code_cache.default_path()
    code_cache.install(code)
    sys.argv[1:] = hoist_db(sys.argv[1:])
    args = parse_check(sys.argv[1:], settings.current())
    if args is None:
        from attrition import ingest_command

        ingest_command.main(sys.argv[1:], settings.current().db)  # exits if it ran
        from attrition.cli import main as typer_main

        try:
            typer_main()
        finally:
            code_cache.save(code)
        return
    try:
        status = run_check(**args)
    except AttritionError as exc:
        _err(f"attrition: error: {one_line(str(exc))}")
        sys.exit(1)
    except BrokenPipeError:  # `attrition check … | head`: as Click, quietly, status 1
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:  # a file that cannot be read: one line, as the Typer path says it
        _err(f"attrition: error: {one_line(os_error_text(exc))}")
        sys.exit(1)
    except KeyboardInterrupt:  # as Click reports it
        sys.stderr.write("\nAborted!\n")
        sys.exit(1)
    sys.exit(status)


def os_error_text(exc: OSError) -> str:
    """"FILE: No such file or directory", as the shell says it."""
    if exc.filename is None or exc.strerror is None:
        return str(exc)
    return f"{exc.filename}: {exc.strerror}"


OWN_DB = ("serve", "watch")
"""Commands with a --db option of their own (the rest take the global one)."""


def hoist_db(argv: list[str]) -> list[str]:
    """`attrition show latest --db FILE` read as `attrition --db FILE show latest`: --db is a
    global option, and given after the command name it was refused with "No such option:
    --db (Possible options: --date)", while `serve` and `watch` take it there."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        if argv[i] == "--db" or argv[i].startswith("--db="):
            return argv  # given where it belongs: anything else is the command's to refuse
        i += 1
    if i >= len(argv) or argv[i] in OWN_DB:
        return argv
    head, rest = argv[:i + 1], argv[i + 1:]
    db: list[str] = []
    out: list[str] = []
    j = 0
    while j < len(rest):
        arg = rest[j]
        if arg == "--":  # what follows is the command's, as it is
            out += rest[j:]
            break
        if arg == "--db" and j + 1 < len(rest):
            db, j = [arg, rest[j + 1]], j + 2
        elif arg.startswith("--db="):
            db, j = [arg], j + 1
        else:
            out.append(arg)
            j += 1
    return [*head[:-1], *db, head[-1], *out] if db else argv


def parse_check(argv: list[str], given_settings: Settings) -> dict[str, Any] | None:
    """The arguments of `run_check` for a plain `check` command line; None for any other
    command line (the Typer app then takes it). `given_settings`: for ATTRITION_DB and
    ATTRITION_BASE_URL, as Typer reads them."""
    got = plain_args.split(argv, "check", _OPTIONS, stdin=True)
    if got is None:
        return None
    db, given, inputs = got
    if not inputs or given.get("format", "text") not in FORMATS:
        return None
    fail_on = given.get("fail_on")
    if fail_on is not None and any(v.strip() not in VERDICTS
                                   for v in fail_on.split(",") if v.strip()):
        return None
    return {"inputs": inputs, "db": db or given_settings.db,
            "day": given.get("day"), "format": given.get("format", "text"),
            "fail_on": [v.strip() for v in (fail_on or "").split(",") if v.strip()],
            "as_of": given.get("as_of"),
            "base_url": given.get("base_url", given_settings.base_url)}


def run_check(inputs: list[str], db: str | None, day: str | None, format: str,
              fail_on: list[str], as_of: str | None, base_url: str | None) -> int:
    """`attrition check`: prints the documents in `format`; returns the exit status (1 when
    a claim has one of the `fail_on` verdicts)."""
    import gc

    # Start-up (imports, rules, the ledger) makes several hundred thousand objects and frees
    # few: the collector's passes over them were ~7% of a cold check. It runs again, over
    # the articles' objects only, once the checker is built (or start-up failed); for one
    # article, once it is checked (its ~35 passes over the first check's tables were ~2%
    # of a cold check, and one article's memory is bounded; a folder's is kept so too).
    collecting = gc.isenabled()
    gc.disable()
    try:
        given, at, texts, checker, programs = _start(inputs, db, day, as_of)
        gc.freeze()
        if collecting and len(texts) > 1:
            gc.enable()
        docs = []
        iterator: Any = texts
        if len(texts) > 1 and format == "text":
            from rich.progress import track

            iterator = track(texts, description="checking", console=console(),
                             transient=True)
        for name, text in iterator:
            try:
                docs.append(checker.check(text, given, source=name, as_of=at))
            except CheckError as exc:
                if given is None and "no date" in str(exc):
                    raise CheckError(f"{name}: {exc} (--date YYYY-MM-DD)") from None
                raise
    finally:
        if collecting:
            gc.enable()
    _print(docs, texts, format, db, base_url)
    if programs is not None:
        from attrition import code_cache, regex_cache
        from attrition.check import kept

        regex_cache.save(programs)
        code_cache.save(code_cache.default_path())
        kept.save()
    return 1 if any(d["summary"].get(v) for d in docs for v in fail_on) else 0


def _start(inputs: list[str], db: str | None, day: str | None, as_of: str | None
           ) -> tuple[Any, Any, list[tuple[str, str]], Any, Any]:
    """The article date given, the as-of moment, the texts, the checker, and where the
    regex programs are kept (None: caching off)."""
    from attrition import regex_cache

    programs = regex_cache.default_path()
    if programs is not None:  # before the checker's modules compile their patterns
        regex_cache.load(programs)
    from attrition import service
    from attrition.bootstrap import ensure_loaded
    from attrition.check import kept, ledger_cache
    from attrition.dates import parse_published
    from attrition.store.read import Reader

    given = parse_published(day) if day else None
    at = service.moment(as_of) if as_of is not None else None
    texts = service.check_inputs(inputs, read_stdin=_read_stdin)
    if programs is not None:  # (caching on) the checker's tables, as its regex programs
        kept.install(kept.default_path())
    ensure_loaded(db, notice=_err)
    with Reader(db) as plain, ledger_cache.cached(plain) as reader:
        checker = service.Checker(reader)
    return given, at, texts, checker, programs


def _read_stdin() -> str:
    """The article on stdin, read as a file is: at most the size limit (`… < /dev/zero`
    would never end), and decoded as a file is (a PDF is "not UTF-8 text")."""
    from attrition.service import MAX_ARTICLE
    from attrition.sources._common import decode

    data = sys.stdin.buffer.read(MAX_ARTICLE + 1)
    if len(data) > MAX_ARTICLE:
        raise CheckError(f"stdin: too large to be an article (more than {MAX_ARTICLE:,} "
                         "bytes)")
    try:
        return decode(data)
    except AttritionError as exc:
        raise CheckError(f"stdin: {exc}") from None


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip() + "\n")


def one_line(message: str) -> str:
    """A message as one line of plain text: control characters (a newline or a terminal
    escape in a file's name, say) written as escapes, so that an error stays one line and a
    hostile name cannot drive the terminal."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in message)


def _print(docs: list[dict[str, Any]], texts: list[tuple[str, str]], format: str,
           db: str | None, base_url: str | None) -> None:
    from attrition.check import render

    if format == "json":
        print(json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False))
    elif format == "claimreview":
        from attrition.check import article, claimreview

        heads = [article.read(text).meta for _, text in texts]
        links = (_permalinks(db, base_url, [text for _, text in texts], docs) if base_url
                 else [None] * len(docs))
        print(json.dumps([r for d, head, urls in zip(docs, heads, links, strict=True)
                          for r in claimreview.reviews(
                              d, urls=urls, outlet=head.get("outlet"),
                              title=head.get("title"), published=head.get("published"))],
                         ensure_ascii=False, indent=1))
    elif format == "markdown":
        print("\n".join(render.markdown(d) for d in docs), end="")
    elif len(docs) == 1:
        from attrition.settings import rich_terminal_forced

        plain = None if sys.stdout.isatty() or rich_terminal_forced() else render.plain(docs[0])
        if plain is not None:  # what Rich prints off a terminal, without importing it
            sys.stdout.write(plain)
        else:
            render.terminal(docs[0], console())
    else:
        from rich.table import Table

        verdicts = sorted({v for d in docs for v in d["summary"]})
        table = Table(title=f"{len(docs)} articles")
        table.add_column("article")
        table.add_column("date")
        for v in verdicts:
            table.add_column(v, justify="right")
        for d in docs:
            table.add_row(d["article"]["source"], d["article"]["date"],
                          *[str(d["summary"].get(v, 0)) for v in verdicts])
        console().print(table)


def console() -> Any:
    """Rich on a terminal; when stdout is piped or redirected, plain text that is never
    wrapped at 80 columns (a URL split over two lines breaks a paste into a CMS)."""
    from rich.console import Console

    if sys.stdout.isatty():
        return Console()
    return Console(soft_wrap=True, width=100_000, no_color=True, highlight=False,
                   emoji=False)


def _permalinks(db: str | None, base_url: str, texts: list[str], docs: list[dict[str, Any]]
                ) -> list[list[str | None] | None]:
    """Each article's claims' pages at `base_url`, for an article the register holds (the
    same text, checked by `watch`, with as many claims); None for one it does not."""
    from attrition.store import monitor
    from attrition.store.db import Store
    from attrition.watch.inputs import content_hash

    out: list[list[str | None] | None] = []
    with Store(db) as store:
        for text, doc in zip(texts, docs, strict=True):
            ids = monitor.claim_ids(store.engine, content_hash(text))
            out.append([f"{base_url.rstrip('/')}/claims/{i}" for i in ids]
                       if ids is not None and len(ids) == len(doc["claims"]) else None)
    return out
