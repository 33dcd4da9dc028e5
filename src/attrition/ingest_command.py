"""The `attrition ingest` command, also run without Typer.

An ingest run by a script or a cron job off a terminal is mostly start-up once its work is
one new report: importing Typer (with its Click) is ~70 ms of ~0.3 s. As for `check`
(`attrition.entry`), the plain form is parsed here: the global `--db`, then `ingest` with
files or folders and `--format`, `--date`, each at most once, with their values, when stdout
is no terminal (where Typer's path draws a spinner). Anything else (`--help`, another option,
a repeated one, no path, a terminal) goes to the Typer app. Both paths run `run` and print
with `print_result`: the same bytes and exit status (tests/test_ingest_command.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrition import plain_args
from attrition.errors import AttritionError

if TYPE_CHECKING:
    from attrition.service import Ingested

_OPTIONS = {"--format": "format", "--date": "day"}


def parse(argv: Sequence[str], env_db: str | None) -> dict[str, Any] | None:
    """The arguments of `run` for a plain `ingest` command line; None for any other.
    `env_db`: ATTRITION_DB, as Typer reads it for --db."""
    got = plain_args.split(argv, "ingest", _OPTIONS, stdin=False)
    if got is None:
        return None
    db, given, paths = got
    if not paths or "" in paths:
        return None
    return {"paths": [Path(p) for p in paths], "db": db if db is not None else env_db,
            "format": given.get("format"), "day": given.get("day")}


def run(paths: Sequence[Path], db: str | None, format: str | None, day: str | None, *,
        notice: Callable[[str], None], spinner: Callable[[], Any] | None = None) -> Ingested:
    """`attrition ingest`: the first run's load (told to `notice`), then the files, all or
    nothing, and the daybook. `spinner`: makes a Rich progress to show them going."""
    from attrition import service
    from attrition.bootstrap import ensure_loaded
    from attrition.dates import parse_day

    try:
        report_date = parse_day(day) if day else None
    except AttritionError as exc:
        raise type(exc)(f"--date: {exc}") from None
    ensure_loaded(db, notice=notice)
    if spinner is None:
        return service.ingest_files(db, paths, format, report_date)
    with spinner() as progress:
        task = progress.add_task("reading", total=None)
        return service.ingest_files(
            db, paths, format, report_date,
            on_file=lambda n, of: progress.update(task, completed=n, total=of),
            on_refresh=lambda: progress.update(
                task, description="updating the daybook of records"))


def print_result(result: Ingested, verb: str = "file(s)") -> None:
    if result.figures is not None:
        print(f"{result.files} {verb}: {result.figures:,} figures, {result.new:,} new, "
              f"{result.revised:,} revised, {result.unchanged:,} unchanged; "
              f"{result.cells:,} ledger cells re-resolved")
    if result.counts_new is not None:
        print(f"{result.confirmed_files} confirmed-loss {verb}: {result.counts_new:,} new "
              f"counts, {result.counts_revised:,} revised; {result.items_new:,} new items, "
              f"{result.items_changed:,} changed")


def main(argv: Sequence[str], env_db: str | None) -> bool:
    """Run a plain `ingest` command line and exit; False (nothing done) for any other, or
    on a terminal."""
    args = parse(argv, env_db)
    if args is None or sys.stdout.isatty():
        return False
    from attrition.entry import one_line, os_error_text

    def err(message: str) -> None:
        sys.stderr.write(message.rstrip() + "\n")

    try:
        print_result(run(**args, notice=err))
    except AttritionError as exc:
        err(f"attrition: error: {one_line(str(exc))}")
        sys.exit(1)
    except OSError as exc:
        err(f"attrition: error: {one_line(os_error_text(exc))}")
        sys.exit(1)
    except KeyboardInterrupt:  # as Click reports it
        sys.stderr.write("\nAborted!\n")
        sys.exit(1)
    sys.exit(0)
