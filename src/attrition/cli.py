"""The `attrition` command: a thin Typer layer over the library.

Heavy modules (SQLAlchemy, httpx, matplotlib) are imported inside the commands that need
them, so read-only commands start fast. No `from __future__ import annotations` here: Typer
reads every command's annotations at start-up, and evaluating them from strings costs ~20 ms.
"""


import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from attrition.errors import AttritionError

app = typer.Typer(
    name="attrition",
    help="A checkable ledger of the Russian losses reported daily by Ukraine's General Staff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state: dict[str, Any] = {"db": None}

DbOption = Annotated[str | None, typer.Option(
    "--db", envvar="ATTRITION_DB",
    help="Database: a SQLAlchemy URL or a SQLite file path (default: the user data folder).")]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", help="The ledger as it was at this time: an ISO date (the end of that day, "
                    "Kyiv time) or date-time (Kyiv time unless it has a zone), or now.")]


FromOption = Annotated[str | None, typer.Option(
    "--from", help="First report date, YYYY-MM-DD (default: the first report).")]
ToOption = Annotated[str | None, typer.Option(
    "--to", help="Last report date, YYYY-MM-DD or latest (default: the latest report).")]
WeekOption = Annotated[str | None, typer.Option("--week", help="An ISO week, e.g. 2024-W46.")]
MonthOption = Annotated[str | None, typer.Option("--month", help="A month, e.g. 2024-11.")]


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


TableFormatOption = Annotated[TableFormat, typer.Option(
    "--format", "-f", help="A table to read, or the JSON / CSV document the API gives.")]


class SeriesFormat(StrEnum):
    csv = "csv"
    json = "json"
    table = "table"


class Basis(StrEnum):
    difference = "difference"
    announced = "announced"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    parquet = "parquet"


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip() + "\n")


def _emit_data(format: TableFormat, doc: Any, rows: list[dict[str, Any]]) -> bool:
    """Print `doc` as JSON or `rows` as CSV when those formats were asked for; False when the
    caller should draw its table."""
    if format is TableFormat.json:
        print(json.dumps(doc, ensure_ascii=False))
        return True
    if format is TableFormat.csv:
        _write_csv(rows)
        return True
    return False


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"attrition {version('attrition')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            print("attrition (not installed)")
        raise typer.Exit()


@app.callback()
def _main(db: DbOption = None,
          show_version: Annotated[bool, typer.Option(
              "--version", is_eager=True, callback=_version,
              help="Print the version and exit.")] = False) -> None:
    _state["db"] = db


def _pick(value: str | list[str] | None, valid: "tuple[str, ...] | list[str]", option: str
          ) -> list[str]:
    """The values of an option that takes one or more choices ("a,b" or repeated), each
    checked against `valid`: a typo is refused with the choices, never silently matched to
    nothing."""
    if value is None:
        return []
    given = [value] if isinstance(value, str) else value
    out = [v.strip() for item in given for v in item.split(",") if v.strip()]
    for v in out:
        if v not in valid:
            raise typer.BadParameter(f"{v!r} is not one of {', '.join(valid)}"
                                     + _did_you_mean(v, valid), param_hint=option)
    return out


def _did_you_mean(word: str, valid: "tuple[str, ...] | list[str]") -> str:
    from difflib import get_close_matches

    close = get_close_matches(word, list(valid), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_name(name: str, aggs: dict[str, Any]) -> None:
    """A category or aggregate name, or a one-line error that suggests the nearest one."""
    from attrition import categories

    if name in categories.BY_ID or name in aggs:
        return
    raise categories.unknown(name, aggs)


def _range(start: str | None, end: str | None, reader: Any, *, held: bool = True
           ) -> tuple[date | None, date | None]:
    """--from/--to as dates; refused when --from is after --to, and (`held`) when the range
    holds no report at all (an empty table said nothing of why)."""
    from attrition.errors import NotFoundError

    lo = _day(start, reader) if start else None
    hi = _day(end, reader) if end else None
    if lo is not None and hi is not None and lo > hi:
        raise typer.BadParameter(f"{lo} is after --to {hi}", param_hint="--from")
    first, last = reader.first_date(), reader.latest_date()
    if held and first is not None and last is not None and (
            (lo is not None and lo > last) or (hi is not None and hi < first)):
        what = f"from {lo}" if lo is not None and lo > last else f"to {hi}"
        raise NotFoundError(f"no reports {what} (the ledger runs {first} .. {last})")
    return lo, hi


def _writable(out: Path, option: str,
              suffixes: tuple[str, ...] | None = (".svg", ".png")) -> None:
    """Refuse an output file in a folder that does not exist (never create folders), a
    folder, or (when `suffixes` are given) an extension we cannot write, before any work is
    done."""
    if suffixes is not None and out.suffix.lower() not in suffixes:
        raise typer.BadParameter(f"{out}: the file must end in {' or '.join(suffixes)}",
                                 param_hint=option)
    if not out.parent.is_dir():
        raise typer.BadParameter(f"{out}: the folder {out.parent} does not exist",
                                 param_hint=option)
    if out.is_dir():
        raise typer.BadParameter(f"{out} is a folder: give a file name", param_hint=option)


def _reader() -> Any:
    """A reader on the database, loading the bundled snapshot on the first run."""
    from attrition.bootstrap import ensure_loaded
    from attrition.store.read import Reader

    ensure_loaded(_state["db"], notice=_err)
    return Reader(_state["db"])


def _day(text: str, reader: Any) -> date:
    from attrition.dates import parse_day

    return parse_day(text, reader.latest_date)


def _console() -> Any:
    """Rich on a terminal; when stdout is piped or redirected, plain text that is never
    wrapped at 80 columns (a URL split over two lines breaks a paste into a CMS)."""
    from attrition.entry import console

    return console()


def _print_table(console: Any, table: Any) -> None:
    """A table; off a terminal its caption follows as plain lines (a caption is wrapped
    to the table's width, which would cut a URL)."""
    caption = table.caption
    if caption is not None and not sys.stdout.isatty():
        table.caption = None
        console.print(table)
        for line in str(caption).splitlines():
            console.print(line, markup=False)
        return
    console.print(table)


def _fmt_change(value: int | None) -> str:
    return "" if value is None else f"{value:+,}"


def _titled(label: str, definition: str | None, name: str) -> str:
    """A series as people read it: a category's label, or an aggregate's marked as a sum (as
    `summary` marks it); the ids ("tanks + afv + ...") stay in JSON and CSV."""
    return label if not definition or definition == name else f"{label} (sum)"


EXCLUDED_WORDS = {"creation": "its first report", "correction": "a correction",
                  "stale": "a repeated total", "two_day": "a two-day figure",
                  "disputed": "a disputed figure"}
"""Why records skip a day, as people read it (the ids stay in JSON and CSV)."""


def _write_csv(rows: list[dict[str, Any]], out: Any = None) -> None:
    import csv

    out = out or sys.stdout
    if not rows:
        return
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: (";".join(v) if isinstance(v, list) else
                             json.dumps(v) if isinstance(v, dict) else v)
                         for k, v in r.items()})


@app.command()
def show(
    day: Annotated[str, typer.Argument(help="YYYY-MM-DD, today, yesterday or latest.")] = "latest",
    format: TableFormatOption = TableFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Every figure of one report: total, change, announced change, agreeing sources."""
    from attrition.report import age, report

    with _reader() as reader:
        if as_of is not None:
            from attrition import service

            then = service.ledger_at(reader, as_of)
            doc = service.report_at(then, service.day_at(then, day))
            old = None
        else:
            doc = report(reader, _day(day, reader))
            old = age(date.fromisoformat(doc["date"])) if day.strip().lower() == "latest" \
                else None
    if old:
        doc["stale"] = {k: v for k, v in old.items() if k != "uk"}
    if _emit_data(format, doc,
                  [{k: v for k, v in f.items() if k != "dissent"} for f in doc["figures"]]):
        return
    from rich.table import Table
    from rich.text import Text

    title = (f"Report of {doc['date']} (the first report: the total since the invasion began "
             f"on {doc['covers']})" if doc.get("first_report")
             else f"Report of {doc['date']} (losses of {doc['covers']})")
    at = doc.get("as_of")
    if at:
        title += f", as the ledger had it at {at['time']}"
    # a Text, not markup: off a terminal the caption is printed as plain lines
    caption = Text(f"{doc['publisher']}\n{doc['address'] or ''}\n{doc['caveat']}")
    if doc.get("missing"):
        from attrition import categories

        caption.append("\nThis report has no figure for "
                       + ", ".join(categories.BY_ID[c].en for c in doc["missing"])
                       + ", which earlier reports carried.", style="yellow")
    if old:
        caption.append(f"\n{old['en']}", style="yellow")
    table = Table(title=title, caption=caption)
    columns: list[tuple[str, Any]] = [("category", "left"), ("total", "right"),
                                      ("change", "right"), ("announced", "right"),
                                      ("sources", "left"), *((("since", "left"),) if at else ())]
    for col, justify in columns:
        table.add_column(col, justify=justify)
    for f in doc["figures"]:
        announced = _fmt_change(f["announced_change"])
        if f["announced_change"] is not None and f["announced_change"] != f["change"]:
            announced = f"[yellow]{announced}[/yellow]"
        label = f["label"] + (f" ({f['qualifier']})" if f["qualifier"] else "")
        srcs = ", ".join(f["sources"]) + (" [yellow](one source)[/yellow]"
                                          if f["single_witness"] else "") + (
            " [yellow](disputed)[/yellow]" if f["method"] == "disputed" else "") + (
            "" if not f["dissent"] else f" [dim](≠ {', '.join(f['dissent'])})[/dim]")
        later = "".join(f" [yellow](then {r['source']}: {r['total']:,} from "
                        f"{r['effective_at']})[/yellow]" for r in f.get("revised_after", ()))
        table.add_row(label, f"{f['total']:,}", _fmt_change(f["change"]), announced, srcs,
                      *((f"{f['since']}{later}",) if at else ()))
    _print_table(_console(), table)


@app.command()
def series(
    category: Annotated[str, typer.Argument(
        help="A category or aggregate (built-in or from your config), e.g. tanks, vehicles.")],
    start: FromOption = None,
    end: ToOption = None,
    daily: Annotated[bool, typer.Option(
        "--daily", help="The table shows daily changes, not totals (JSON and CSV give both)."
    )] = False,
    basis: Annotated[Basis, typer.Option(
        "--basis", help="Changes as differences of totals, or as the bulletin announced them."
    )] = Basis.difference,
    format: Annotated[SeriesFormat, typer.Option(
        "--format", "-f", help="CSV, the JSON document /api/series gives, or a table to read."
    )] = SeriesFormat.csv,
    as_of: AsOfOption = None,
) -> None:
    """A category's or aggregate's totals and daily changes over a range of reports, each
    with the sources that agree on it (the document /api/series gives)."""
    from attrition import categories, service

    aggs = categories.aggregates(categories.load_config())
    _check_name(category, aggs)
    with _reader() as store:
        reader: Any
        if as_of is not None:
            from attrition import service

            reader = service.ledger_at(store, as_of)
        else:
            reader = store
        lo, hi = _range(start, end, reader)
        doc = service.series(reader, category, lo, hi, basis=basis.value, aggs=aggs)
    if format is SeriesFormat.json:
        print(json.dumps({**doc, **({"as_of": _as_of_iso(reader)} if as_of is not None
                                     else {})}, ensure_ascii=False))
    elif format is SeriesFormat.csv:
        _write_csv(doc["rows"])
    else:
        from rich.table import Table

        table = Table(title=f"{doc['label']} ({'daily change' if daily else 'total'})" + (
            f", as the ledger had it at {_as_of_iso(reader)}" if as_of is not None else ""),
                      caption=f"{doc['publisher']}\n{doc['caveat']}")
        for col in ("report date", "value", "note", "sources"):
            table.add_column(col, justify="right" if col == "value" else "left")
        for r in doc["rows"]:
            v = r["change"] if daily else r["total"]
            notes = [r["excluded"].replace("_", "-")] if daily and r["excluded"] and \
                r["excluded"] != "creation" else []
            if r["disputed"]:  # the sources disagree with no majority: no fact to present
                notes.append("disputed")
            table.add_row(r["date"], "" if v is None else f"{v:,}", ", ".join(notes),
                          ", ".join(r["sources"]))
        _print_table(_console(), table)


def _as_of_iso(ledger: Any) -> str:
    from attrition.dates import kyiv

    return str(ledger.moment.at.astimezone(kyiv()).isoformat())


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders.")],
    format: Annotated[str | None, typer.Option(
        "--format", help="Force a format instead of detecting it: petroivaniuk-equipment, "
        "petroivaniuk-personnel, petroivaniuk-corrections, orc-losses, minfin, russianwarship, "
        "oryx-daily-count, oryx-events, warspotting, bulletin or press.")] = None,
    day: Annotated[str | None, typer.Option(
        "--date", help="Report date of a bulletin without one in its text or name.")] = None,
) -> None:
    """Add files to the ledger (format detected). All or nothing: one bad file, no change."""
    from attrition import ingest_command  # (also run without Typer: attrition.entry)

    ingest_command.print_result(ingest_command.run(paths, _state["db"], format, day,
                                                   notice=_err, spinner=_spinner))


class _NoSpinner:
    """Off a terminal Rich draws no spinner (it wrote a lone blank line): the same calls,
    without importing rich.progress (~40 ms of an ingest run by a script or cron)."""

    def __enter__(self) -> "_NoSpinner":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, total: float | None = None) -> int:
        return 0

    def update(self, task: int, **fields: Any) -> None:
        return None


def _spinner() -> Any:
    """A transient spinner with a line of text on a terminal; nothing off one."""
    if not sys.stdout.isatty():
        return _NoSpinner()
    from rich.progress import Progress, SpinnerColumn, TextColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True,
                    console=_console())


@app.command()
def validate(
    format: TableFormatOption = TableFormat.table,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", help="Only these kinds (repeat, or a,b): disagreement, disputed, "
        "history_rewritten, negative_change, announced_mismatch, stale_row, missing_days, "
        "category_gap, implausible_change, confirmed_glitch.")] = None,
) -> None:
    """Disagreements, negative changes, announced-vs-totals, stale rows, gaps, outliers."""
    from attrition.validate import KINDS
    from attrition.validate import validate as run

    kind = _pick(kind, KINDS, "--kind")
    with _reader() as reader:
        every = reader.observations(latest_only=False)
        findings = run(list(reader.ledger()), reader.latest_of(every), reader.corrections(),
                       confirmed=reader.confirmed_counts(), history=every)
    if kind:
        findings = [f for f in findings if f.kind in kind]
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    if _emit_data(format, {"summary": counts, "findings": [f.to_dict() for f in findings]},
                  [{k: v for k, v in f.to_dict().items() if k != "data"} for f in findings]):
        return
    from rich.table import Table

    table = Table(title=f"{len(findings)} findings")
    for col in ("date", "kind", "category", "source", "finding"):
        table.add_column(col)
    for f in findings:
        table.add_row(f.report_date.isoformat(), f.kind, f.category or "", f.source or "",
                      f.message)
    console = _console()
    _print_table(console, table)
    console.print(", ".join(f"{k}: {v}" for k, v in counts.items()))


@app.command()
def sources(
    format: TableFormatOption = TableFormat.table,
) -> None:
    """What is loaded: each source's date range, size, licence and the newest report's age."""
    from attrition import service

    with _reader() as reader:
        doc = service.sources(reader)
    rows, age = doc["sources"], doc["data_age"]["age_days"]
    if _emit_data(format, doc,
                  rows):
        return
    from rich.table import Table

    table = Table(title=f"Latest report {doc['latest_report']} ({age} days old)")
    for col in ("source", "what", "first", "last", "reports", "agrees with", "licence"):
        table.add_column(col, justify="right" if col in ("reports", "agrees with") else "left")
    for r in rows:  # "what": e.g. minfin's "vote only (values not stored)", else blank rows
        table.add_row(r["source"], r.get("title") or "", r["first"] or "", r["last"] or "",
                      _num(r["reports"]), f"{r['cells_agreeing']:,} cells",
                      r.get("licence") or "")
    _print_table(_console(), table)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="parquet needs --out and the parquet extra.")] = ExportFormat.csv,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")
                   ] = None,
) -> None:
    """The resolved ledger, every cell with its sources."""
    from attrition.service import covers

    if out is not None:
        _writable(out, "--out", None)
    with _reader() as reader:  # sources: a list (JSON, parquet), `a;b` in CSV, as elsewhere
        rows = [{"date": r.report_date.isoformat(), "covers": covers(r.report_date),
                 "category": r.category, "total": r.total, "change": r.change,
                 "announced_change": r.announced_change, "qualifier": r.qualifier,
                 "sources": list(r.sources), "method": r.method, "address": r.address}
                for r in reader.ledger()]
    if format is ExportFormat.parquet:
        if out is None:
            raise typer.BadParameter("parquet needs --out FILE")
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ModuleNotFoundError:
            _err("parquet export needs pyarrow: pip install 'attrition[parquet]'")
            raise typer.Exit(1) from None
        pq.write_table(pa.Table.from_pylist(rows), out)
        print(f"wrote {out} ({len(rows):,} cells)")
        return
    import io

    buf = io.StringIO()
    if format is ExportFormat.json:
        json.dump(rows, buf, ensure_ascii=False)
        buf.write("\n")
    else:
        _write_csv(rows, buf)
    if out is None:
        sys.stdout.write(buf.getvalue())
    else:
        out.write_text(buf.getvalue(), encoding="utf-8")
        print(f"wrote {out} ({len(rows):,} cells)")  # as `chart` says it


@app.command()
def update(
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 20.0,
    confirmed: Annotated[bool, typer.Option(
        "--confirmed/--no-confirmed", help="Also fetch Oryx's newest confirmed-loss counts."
    )] = True,
    warspotting: Annotated[bool, typer.Option(
        "--warspotting", help="Also fetch WarSpotting's new loss records, paced to its rate "
        "limit (10 requests per 10 s; a first fetch takes minutes).")] = False,
) -> None:
    """Fetch newer reports (and confirmed losses) from the sources and ingest them."""
    import httpx

    from attrition import service
    from attrition.bootstrap import ensure_loaded

    ensure_loaded(_state["db"], notice=_err)
    with httpx.Client(timeout=timeout, follow_redirects=True) as client, \
            _spinner() as progress:
        # WarSpotting is minutes of paced requests: show them going
        task = progress.add_task("fetching", total=None)
        result = service.update(
            _state["db"], client, confirmed=confirmed, warspotting=warspotting,
            on_page=lambda n: progress.update(task, description=f"WarSpotting records: {n}"))
    if result.figures is None and result.counts_new is None:
        if result.failures:  # a cron job must see that no source could be reached
            _err(f"attrition: offline or no source reachable; nothing changed "
                 f"({result.failures[0]})")
            raise typer.Exit(1)
        _err("attrition: nothing fetched; nothing changed")
        return
    for failure in result.failures:
        _err(f"attrition: skipped: {failure}")
    if result.figures is not None:
        print(f"fetched {result.figures:,} figures: {result.new:,} new, "
              f"{result.revised:,} revised")
    if result.counts_new is not None:
        print(f"confirmed losses: {result.counts_new:,} new counts, {result.items_new:,} new "
              f"items")


class BriefFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class Lang(StrEnum):
    en = "en"
    uk = "uk"


def _analysis_input(reader: Any) -> tuple[dict[str, Any], list[Any], dict[str, Any]]:
    from attrition import categories

    return reader.by_category(), reader.corrections(), categories.aggregates(
        categories.load_config())


@app.command()
def brief(
    day: Annotated[str, typer.Argument(
        help="Report date: YYYY-MM-DD, today, yesterday or latest.")] = "latest",
    week: Annotated[str | None, typer.Option("--week", help="An ISO week, e.g. 2024-W46.")
                    ] = None,
    month: Annotated[str | None, typer.Option("--month", help="A month, e.g. 2024-11.")
                     ] = None,
    format: Annotated[BriefFormat, typer.Option(
        "--format", "-f", help="Plain text to paste, Markdown with a table of the facts, or "
        "the JSON document /api/brief gives.")] = BriefFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help="English or Ukrainian.")] = Lang.en,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="Also draw the day's most notable figure to this .svg/.png file.")
    ] = None,
) -> None:
    """A short, exact, sourced brief of a report, a week or a month."""
    from attrition import service

    if week and month:
        raise typer.BadParameter("give --week or --month, not both", param_hint="--week")
    if (week or month) and day != "latest":
        raise typer.BadParameter(f"a date ({day}) and {'--week' if week else '--month'} "
                                 "ask for two briefs; give one", param_hint="DAY")
    if (week or month) and chart is not None:
        raise typer.BadParameter("a chart is drawn for a daily brief only (it shows the day's "
                                 "most notable figure); use `attrition chart` for a period",
                                 param_hint="--chart")
    if chart is not None:
        _writable(chart, "--chart")

    with _reader() as reader:
        the_day = None if week or month else _day(day, reader)
        doc = service.brief(reader, the_day, week=week, month=month, lang=lang.value)
    if day.strip().lower() == "latest" and not (week or month):
        from attrition.report import age

        old = age(date.fromisoformat(doc["date"]))
        if old:  # never cached: the age changes, the brief does not
            doc = {**doc, "stale": {k: v for k, v in old.items() if k not in ("en", "uk")},
                   "text": old[lang.value] + "\n\n" + doc["text"]}
    if chart is not None and "date" in doc:
        from datetime import timedelta

        from attrition import charts
        from attrition.analysis import series

        name = doc["headline_category"] or "vehicles"
        d = date.fromisoformat(doc["date"])
        with _reader() as reader:
            rows, corrections, aggs = _analysis_input(reader)
            doubt = service.disputed_totals(reader, name, d - timedelta(days=90), d, aggs)
        s = series.build(name, rows, corrections, aggregates=aggs)
        charts.draw(s, chart, start=d - timedelta(days=90), end=d, highlight=d,
                    lang=lang.value, disputed=doubt)
        doc["chart"] = str(chart)
    if format is BriefFormat.json:
        print(json.dumps(doc, ensure_ascii=False))
    elif format is BriefFormat.markdown:
        from attrition import brief as briefs

        print(briefs.markdown(doc), end="")
    else:
        print(doc["text"])


@app.command()
def chart(
    name: Annotated[str, typer.Argument(help="A category or aggregate, e.g. tanks, vehicles.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="A .svg or .png file.")],
    start: FromOption = None,
    end: ToOption = None,
    highlight: Annotated[str | None, typer.Option("--date", help="Day to highlight.")] = None,
    cumulative: Annotated[bool, typer.Option(
        "--cumulative", help="Draw the running total instead of daily bars.")] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="The chart's words.")] = Lang.en,
) -> None:
    """Daily bars with the 7-day mean (or the cumulative total), sourced in the figure;
    corrections and two-day figures are marked, never drawn as a day's loss."""
    from datetime import timedelta

    from attrition import charts
    from attrition.analysis import series

    _writable(out, "--out")
    with _reader() as reader:
        rows, corrections, aggs = _analysis_input(reader)
        _check_name(name, aggs)
        lo, hi = _range(start, end, reader, held=False)  # its own words below
        hi = hi or reader.latest_date()
        lo = lo or hi - timedelta(days=180)
        if lo > hi and start is not None:  # --from after the ledger's last report
            raise typer.BadParameter(f"{lo} is after the chart's last report, {hi}",
                                     param_hint="--from")
        if lo > hi:
            raise typer.BadParameter(f"--to {hi} is before the default start {lo}; give "
                                     "--from", param_hint="--to")
        mark = _day(highlight, reader) if highlight else None
        if mark is not None and not lo <= mark <= hi:  # else nothing would be highlighted
            raise typer.BadParameter(f"{mark} is not in the chart, {lo} to {hi}: give "
                                     "--from and --to around it", param_hint="--date")
        from attrition import service

        doubt = service.disputed_totals(reader, name, lo, hi, aggs)
    s = series.build(name, rows, corrections, aggregates=aggs)
    charts.draw(s, out, start=lo, end=hi, highlight=mark, cumulative=cumulative,
                lang=lang.value, disputed=doubt)
    print(f"wrote {out}")


@app.command()
def records(
    name: Annotated[str, typer.Argument(help="A category or aggregate.")],
    day: Annotated[str, typer.Option(
        "--date", help="Report date: YYYY-MM-DD, today, yesterday or latest.")] = "latest",
    window: Annotated[int, typer.Option("--window", min=1, max=5000,
                                        help="Days for the top list.")] = 30,
    top: Annotated[int, typer.Option(
        "--top", min=1, max=1000, help="How many days the top list shows.")] = 10,
    format: TableFormatOption = TableFormat.table,
) -> None:
    """Where a day's change ranks (7/30/90/365 days, whole war), the last higher report, top
    days."""
    from datetime import timedelta

    from attrition import categories, service

    aggs = categories.aggregates(categories.load_config())
    _check_name(name, aggs)
    with _reader() as reader:
        d = _day(day, reader)
        doc = service.records(reader, name, d, window, top, aggs=aggs)
    start = d - timedelta(days=window - 1)
    skipped = doc["excluded_days"]
    old = None
    if day.strip().lower() == "latest":  # as `show latest`: an old report says how old
        from attrition.report import age

        old = age(d)
        if old:
            doc["stale"] = {k: v for k, v in old.items() if k != "uk"}
    if _emit_data(format, doc, doc["rows"]):
        return
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    ranks = "ranks " + ", ".join(
        f"{v['rank']:,} of {v['of']:,} in " + ("the war" if k == "war" else f"{k[:-1]} days")
        for k, v in doc["ranks"].items() if v)
    then = (f", then {' + '.join(doc['last_higher_components'])}"
            if doc["last_higher_components"] else "")
    disputed = ", a disputed figure" if doc.get("last_higher_disputed") else ""
    since = (f"last higher {doc['last_higher']} ({doc['last_higher_value']:,}{then}"
             f"{disputed})" if doc["last_higher"] else "no earlier report was higher")
    tie = f"; the same as on {doc['tied_with']}" if doc["tied_with"] else ""
    skip = doc["skipped"]
    if skip and skip["reason"] != "creation":  # as the brief: "not counting the correction"
        tie += (f"; not counting {skip['date']} ({skip['change']:,}, "
                f"{EXCLUDED_WORDS.get(skip['reason'], skip['reason'])})")
    if not doc["reported"]:
        line = (f"not in the report of {d}; last reported {doc['last_reported']}"
                if doc["last_reported"] else f"no figure on or before {d}")
    elif doc["change"] is None:
        line = "no change to rank (its first report)"
    elif doc["no_change"]:
        line = "change 0: no loss reported, so no rank"
    else:
        line = f"change {doc['change']:,}; {ranks}; {since}{tie}"
        if doc["excluded"] == "disputed":
            line = (f"change {doc['change']:,} (a disputed figure: the sources disagree on a "
                    "total it rests on, and nothing settles it; records skip it)")
        elif doc["excluded"]:
            line = (f"change {doc['change']:,} "
                    f"({EXCLUDED_WORDS.get(doc['excluded'], doc['excluded'])}: records skip it)")
    console.print(f"[bold]{escape(_titled(doc['label'], doc['definition'], name))}[/bold] in "
                  f"the report of {d}: {line}")
    table = Table(title=f"Top {top} days, {start} to {d}")
    table.add_column("report date")
    table.add_column("change", justify="right")
    table.add_column("note")
    for t in doc["rows"]:
        table.add_row(t["date"], f"{t['change']:,}", "disputed" if t.get("disputed") else "")
    _print_table(console, table)
    if skipped:
        console.print("Not counted: " + ", ".join(
            f"{p['date']} ({EXCLUDED_WORDS.get(p['reason'], p['reason'])})" for p in skipped))
    console.print(f"{doc['publisher']}. {doc['caveat']}", markup=False)
    if old:
        console.print(old["en"], style="yellow", markup=False)


@app.command()
def anomalies(
    name: Annotated[str, typer.Argument(help="A category or aggregate.")],
    start: FromOption = None,
    end: ToOption = None,
    threshold: Annotated[float, typer.Option(help="Robust z-score to flag.")] = 5.0,
    format: TableFormatOption = TableFormat.table,
) -> None:
    """Days far outside the recent distribution (median/MAD), and breaks in the series'
    level that suggest a change of definition."""
    import math

    from attrition.analysis import anomalies as an
    from attrition.analysis import series

    with _reader() as reader:
        rows, corrections, aggs = _analysis_input(reader)
        _check_name(name, aggs)
        lo, hi = _range(start, end, reader)
    s = series.build(name, rows, corrections, aggregates=aggs)

    def inside(d: date) -> bool:
        return (lo is None or d >= lo) and (hi is None or d <= hi)

    outs = [o for o in an.outliers(s, threshold=threshold) if inside(o.day)]
    brks = [b for b in an.breaks(s) if inside(b.day)]
    doc: dict[str, Any] = {
        "name": name, "definition": s.definition,
        "outliers": [{"date": o.day.isoformat(), "change": o.change, "median": o.median,
                      "mad": o.mad, "score": o.score} for o in outs],
        # a level that rose from a median of 0 has no factor: null, not JSON's invalid
        # Infinity
        "breaks": [{"date": b.day.isoformat(), "median_before": b.before,
                    "median_after": b.after,
                    "factor": round(b.factor, 2) if math.isfinite(b.factor) else None}
                   for b in brks],
    }
    if _emit_data(format, doc,
                  doc["outliers"]):
        return
    from rich.table import Table

    console = _console()
    table = Table(title=f"{_titled(s.label, s.definition, name)}: {len(outs)} outliers")
    for col in ("report date", "change", "recent median", "score"):
        table.add_column(col, justify="right")
    for o in outs:
        table.add_row(o.day.isoformat(), f"{o.change:,}", f"{o.median:g}", f"{o.score:+}")
    _print_table(console, table)
    for b in brks:
        factor = f" (×{b.factor:.1f})" if math.isfinite(b.factor) else ""
        console.print(f"level break on {b.day}: median daily change {b.before:g} before, "
                      f"{b.after:g} after{factor}; check the definition")


@app.command()
def summary(
    week: WeekOption = None,
    month: MonthOption = None,
    format: TableFormatOption = TableFormat.table,
) -> None:
    """The numbers behind a weekly or monthly brief: sums, means, previous period, top day."""
    from attrition import categories, service

    if not (week or month):
        raise typer.BadParameter("give --week YYYY-Www or --month YYYY-MM")
    with _reader() as reader:
        # the brief's own document (its sums on disputed totals marked, its top days those
        # that records count), so that both say the same
        doc = dict(service.brief(reader, week=week, month=month,
                                 aggs=categories.aggregates(categories.load_config())))
    doc.pop("text")
    if _emit_data(format, doc,
                  doc["facts"]):
        return
    from rich.table import Table

    prev = doc["previous_period"]["period"]
    # which of the two periods lacks reports (the week or month before may hold only the
    # war's first days), so that the caption names the one that is not complete
    short = [name for name, held, of in (
        (doc["period"], "reports", "days"), (prev, "previous_reports", None))
        if any(f[held] < (f[of] if of else doc["previous_period"]["reports_expected"])
               for f in doc["facts"] if not f["complete"])]
    table = Table(title=f"{doc['period']}: reports {doc['from']} to {doc['to']}",
                  caption=doc["caveat"] + (
                      f"\n{' and '.join(short)} {'is' if len(short) == 1 else 'are'} not "
                      f"complete: set the means per report against each other, not the sums."
                      if short else ""))
    for col in ("category", "sum", "reports", "mean/day", f"{prev}", f"{prev} mean/day",
                "top report"):
        table.add_column(col, justify="left" if col == "category" else "right")

    def mean(v: float | None) -> str:
        return "" if v is None else f"{v:,.1f}"

    for f in doc["facts"]:
        table.add_row(f["label"][:1].upper() + f["label"][1:]
                      + (" (sum)" if f["definition"] else ""),
                      f"{f['change']:,}", f"{f['reports']} of {f['days']}", mean(f["mean"]),
                      "" if f["previous"] is None else f"{f['previous']:,}",
                      mean(f["previous_mean"]),
                      # a month without a loss has no top report, only a first one of 0
                      f"{f['max_day']} ({f['max_value']:,})" if f["max_value"] else "")
    _print_table(_console(), table)


def _num(v: int | None) -> str:
    return "" if v is None else f"{v:,}"


@app.command()
def compare(
    start: Annotated[str | None, typer.Option("--from", help="First report date of the "
                                              "period (default: the start of the war).")
                     ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last date (default: latest).")
                   ] = None,
    category: Annotated[list[str] | None, typer.Option(
        "--category", "-c", help="A ledger category or crosswalk line (repeatable).")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="Confirmed statuses to count, e.g. destroyed,captured "
                         "(default: all four).")] = None,
    source: Annotated[str, typer.Option("--source", help="oryx or warspotting.")] = "oryx",
    crosswalk_file: Annotated[str | None, typer.Option(
        "--crosswalk", envvar="ATTRITION_CROSSWALK", help="Your own crosswalk TOML.")] = None,
    format: TableFormatOption = TableFormat.table,
    chart: Annotated[Path | None, typer.Option("--chart", help="Write a chart of both "
                                               "cumulative series (.svg or .png).")] = None,
) -> None:
    """The ministry's claimed losses beside visually confirmed losses (Oryx), per category,
    aligned on dates, with the ratio, both as-of dates and the confirmation lag."""
    from attrition import service
    from attrition.errors import InvalidValueError

    try:
        statuses = service.parse_statuses(status)
    except InvalidValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--status") from None
    with _reader() as reader:
        lo = _day(start, reader) if start else None
        hi = _day(end, reader) if end else None
        doc = service.compare(reader, lo, hi, category, statuses, source, crosswalk_file)
        if chart is not None:
            rows = reader.by_category()
            conf, cw = service.confirmed_series(reader, source, crosswalk_file, statuses)
    if chart is not None:
        from attrition import charts
        from attrition.compare import Claimed, chart_panel

        claimed = Claimed(rows)
        panels = [chart_panel(cw.row(r["category"]), claimed, conf, rows, lo, hi)
                  | {"note": "derived" if r["derived"] else None} for r in doc["rows"]]
        charts.draw_compare(panels, chart, title="Claimed (General Staff) and visually "
                            "confirmed (Oryx) cumulative losses",
                            source_line=doc["caveat"] + " Crosswalk: " + doc["crosswalk"])
        _err(f"chart written to {chart}")
    if _emit_data(format, doc, [{k: v for k, v in r.items() if k != "components"}
                                for r in doc["rows"]]):
        return
    from rich.table import Table

    dates = {d for r in doc["rows"] for d in (r["claimed_as_of"], r["confirmed_as_of"]) if d}
    same = len(dates) <= 1  # the usual case: one date column would only repeat itself
    source_title = {"oryx": "Oryx", "warspotting": "WarSpotting"}.get(source, source)
    table = Table(title=f"Claimed against confirmed ({source_title}), {doc['from']} to "
                        f"{doc['to']}"
                        + (f"; both sides as of {dates.pop()}" if same and dates else ""),
                  caption=doc["caveat"])
    cols = ["category", "claimed", *([] if same else ["on"]), "confirmed",
            *([] if same else ["on"]), "ratio", "lag (days)"]
    for col in cols:
        table.add_column(col, justify="left" if col in ("category", "on") else "right",
                         no_wrap=True)
    from attrition import categories

    def label(cid: str) -> str:  # people read labels; ids stay in JSON and CSV
        reg = categories.BY_ID.get(cid)
        return reg.en if reg is not None else cid

    for r in doc["rows"]:
        cells = [" + ".join(label(c) for c in r["ledger"]), _num(r["claimed"]),
                 *([] if same else [r["claimed_as_of"] or ""]), _num(r["confirmed"]),
                 *([] if same else [r["confirmed_as_of"] or ""]),
                 "" if r["ratio"] is None else f"{r['ratio']:.2f}", _num(r["lag_days"])]
        table.add_row(*cells)
    console = _console()
    _print_table(console, table)
    for r in doc["rows"]:
        if r["note"]:
            console.print(f"[dim]{label(r['category'])}: {r['note']}[/dim]")
    for g in doc["glitches"]:
        console.print(f"[yellow]flagged[/yellow] {g['day']}: {g['message']}")
    console.print(f"[dim]Basis of each line: {doc['crosswalk']} (attrition compare -f json "
                  f"gives it per row).[/dim]")


class CheckFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    claimreview = "claimreview"


@app.command()
def check(
    inputs: Annotated[list[str], typer.Argument(
        help="Files, folders, '-' for stdin, or an http(s) URL.")],
    day: Annotated[str | None, typer.Option(
        "--date", help="The article's date (default: its header or first dated line).")
    ] = None,
    format: Annotated[CheckFormat, typer.Option(
        "--format", "-f", help="Text to read, Markdown, the JSON document POST /api/check gives, "
        "or one schema.org ClaimReview per figure.")] = CheckFormat.text,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", help="Exit 1 if any claim has one of these verdicts, e.g. "
                          "contradicted,mislabeled.")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge on what had been published at this time (e.g. the article's "
                        "publication time): an ISO date (the end of that day, Kyiv time) or "
                        "date-time (Kyiv time unless it has a zone). A claim whose verdict "
                        "the ledger now changes says so.")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", envvar="ATTRITION_BASE_URL",
        help="With --format claimreview: where `attrition serve` is published; a review of "
             "an article `watch` has checked links to its claim's page there.")] = None,
) -> None:
    """Check every loss figure in news articles against the ledger."""
    from attrition import entry

    status = entry.run_check(inputs, _state["db"], day, format.value,
                             _pick(fail_on, entry.VERDICTS, "--fail-on"), as_of, base_url)
    if status:
        raise typer.Exit(status)


# -- alerts (issue 15): the outbox's sender ---------------------------------------------------

alerts_app = typer.Typer(help="Alerts on flagged figures: the outbox `watch` fills.",
                         no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")

WebhookOption = Annotated[str | None, typer.Option(
    "--webhook", help="POST each alert as JSON (with a Slack-compatible `text`) to this "
                      "address; the Idempotency-Key header is the alert's id.")]
JsonlOption = Annotated[str | None, typer.Option(
    "--alerts-jsonl", help="Append each alert as a JSON line to this file ('-': stdout).")]
AllowLocalOption = Annotated[bool, typer.Option(
    "--allow-local-webhook", help="Allow a webhook on a loopback or private address.")]
BaseUrlOption = Annotated[str | None, typer.Option(
    "--base-url", envvar="ATTRITION_BASE_URL",
    help="Where `attrition serve` is published: alerts link to its /claims/ID pages.")]


def _alert_config(webhook: str | None, jsonl: str | None, allow_local: bool,
                  base_url: str | None, alert_on: str | None = None, **more: Any) -> Any:
    from attrition import alerts
    from attrition.errors import InvalidValueError

    try:
        verdicts = alerts.parse_verdicts(alert_on)
    except InvalidValueError as exc:
        raise typer.BadParameter(str(exc).removeprefix("--alert-on: "),
                                 param_hint="--alert-on") from None
    if webhook:
        alerts.check_webhook(webhook, allow_local)
    return alerts.Config(verdicts=verdicts, webhook=webhook, jsonl=jsonl,
                         allow_local=allow_local, base_url=base_url, **more)


@alerts_app.command("send")
def alerts_send(
    webhook: WebhookOption = None,
    jsonl: JsonlOption = None,
    allow_local: AllowLocalOption = False,
    base_url: BaseUrlOption = None,
    wait: Annotated[float, typer.Option(
        "--wait", help="Keep retrying failed alerts for up to this many seconds.")] = 0.0,
    backoff: Annotated[float, typer.Option(
        "--backoff", help="Seconds before the first retry (doubling after each failure).")
    ] = 30.0,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a webhook may take.")
                       ] = 10.0,
    lease: Annotated[float, typer.Option("--lease", hidden=True)] = 60.0,
    mark_delay: Annotated[float, typer.Option("--mark-delay", hidden=True)] = 0.0,
) -> None:
    """Send the alerts waiting in the outbox to the channels given (each alert was queued
    for the channels `watch` was given; the same options name them here)."""
    from attrition import alerts
    from attrition.store.db import Store

    if not (webhook or jsonl):
        raise typer.BadParameter("give --webhook URL or --alerts-jsonl PATH|-",
                                 param_hint="--webhook")
    config = _alert_config(webhook, jsonl, allow_local, base_url, backoff=backoff,
                           timeout=timeout, lease=lease, mark_delay=mark_delay)
    with Store(_state["db"]) as store:
        done = alerts.deliver(store.engine, config, wait=wait)
    _err(f"alerts: {done.sent} sent, {done.retrying} to retry, {done.failed} given up"
         + (f"; last error: {done.errors[-1]}" if done.errors else ""))


@alerts_app.command("status")
def alerts_status(
    format: TableFormatOption = TableFormat.table,
) -> None:
    """The outbox: every alert with its channel, status, tries and last error."""
    from attrition.store import outbox
    from attrition.store.db import Store

    with Store(_state["db"]) as store:
        rows = outbox.rows(store.engine)
    out = [{k: r[k] for k in ("id", "claim_id", "verdict", "channel", "status", "tries",
                               "failures", "next_try", "sent_at", "last_error")}
           for r in rows]
    if _emit_data(format, {"alerts": out}, out):
        return
    from rich.table import Table

    table = Table(title=f"{len(out)} alerts")
    for col in ("id", "claim", "verdict", "channel", "status", "tries", "last error"):
        table.add_column(col)
    for r in out:
        table.add_row(str(r["id"]), str(r["claim_id"]), r["verdict"], r["channel"],
                      r["status"], str(r["tries"]), r["last_error"] or "")
    _print_table(_console(), table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    db: Annotated[str | None, typer.Option(
        "--db", help="Database to serve (as `attrition --db`): a SQLAlchemy URL or a SQLite "
                     "file path.")] = None,
) -> None:
    """The JSON API (docs at /docs), the russianwarship.rip v2 routes and the dashboard.
    Read-only unless ATTRITION_API_TOKEN is set (then POST /api/ingest and /api/update
    accept that token)."""
    import os

    import uvicorn

    from attrition.bootstrap import ensure_loaded

    if db:
        _state["db"] = db
    ensure_loaded(_state["db"], notice=_err)
    if _state["db"]:
        os.environ["ATTRITION_DB"] = _state["db"]
    _can_listen(host, port)
    _say_when_listening(host, port, f"attrition: serving on http://{host}:{port} (docs at "
                                    "/docs)")
    uvicorn.run("attrition.web.app:from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False)


def _say_when_listening(host: str, port: int, message: str) -> None:
    """Print `message` once the server accepts connections: loading the ledger takes
    seconds, and a "serving on" printed before it sent the first request to a closed port."""
    import socket
    import threading
    import time

    local = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)

    def wait() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((local, port), timeout=1):
                    _err(message)
                    return
            except OSError:
                time.sleep(0.05)

    threading.Thread(target=wait, daemon=True, name="attrition-ready").start()


def _can_listen(host: str, port: int) -> None:
    """Refuse, in one line, an address that cannot be listened on (taken, not this
    machine's), before saying that it is served."""
    import socket

    from attrition.errors import AttritionError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(infos[0][4])
    except OSError as exc:
        raise AttritionError(f"cannot listen on {host}:{port}: "
                             f"{exc.strerror or exc}") from None


# -- the ledger as of a moment (issue 15) -----------------------------------------------------


class HistoryFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def history(
    day: Annotated[str, typer.Argument(help="YYYY-MM-DD, today, yesterday or latest.")],
    category: Annotated[str | None, typer.Argument(help="One category, e.g. tanks.")] = None,
    format: Annotated[HistoryFormat, typer.Option(
        "--format", "-f", help="A table to read, or the JSON document /api/history gives."
    )] = HistoryFormat.table,
) -> None:
    """Every revision of a report's figures, by source: value, when it counts from and when
    it was first seen; and the ledger's cell now."""
    from attrition import service

    with _reader() as reader:
        doc = service.history(reader, _day(day, reader), category)
    if format is HistoryFormat.json:
        print(json.dumps(doc, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title=f"Revisions of the report of {doc['date']}"
                  + (f" ({category})" if category else ""), caption=doc["note"])
    for col, justify in (("category", "left"), ("source", "left"), ("rev", "right"),
                         ("total", "right"), ("counts from", "left"), ("seen", "left"),
                         ("ledger now", "right")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    now = {c["category"]: c for c in doc["ledger"]}
    for r in doc["revisions"]:
        cell = now.get(r["category"])
        mark = "" if cell is None else f"{cell['total']:,}" + (
            " ✓" if r["total"] == cell["total"] else "")
        table.add_row(r["category"], r["source"],
                      "" if r["revision"] is None else str(r["revision"]),
                      "" if r["total"] is None else f"{r['total']:,}", r["effective_at"] or "",
                      r["seen_at"] or "(ledger only)", mark)
    _print_table(_console(), table)
# -- watch (issue 15) -----------------------------------------------------------------------


@app.command()
def watch(
    feeds: Annotated[list[str] | None, typer.Argument(
        help="RSS, Atom or JSON Feed addresses, or files listing feeds (one a line: ADDRESS "
             "OUTLET, optionally every=30m: that feed's own interval).")] = None,
    once: Annotated[bool, typer.Option(
        "--once", help="One pass, then a summary (for cron); else poll until stopped "
                       "(SIGTERM or Ctrl-C: the current article is finished first).")] = False,
    db: Annotated[str | None, typer.Option(
        "--db", help="Database holding the register (as `attrition --db`); several watchers "
                     "may share one PostgreSQL.")] = None,
    interval: Annotated[int, typer.Option(
        "--interval", min=10, help="Seconds between two polls of a feed without its own "
                                   "every= (with 10% jitter; a failing feed backs off "
                                   "exponentially; a server's Retry-After is honoured).")] = 900,
    from_folder: Annotated[Path | None, typer.Option(
        "--from-folder", help="Also check the articles in this folder (.txt, .md, .html).")
    ] = None,
    stdin: Annotated[bool, typer.Option(
        "--stdin", help="Also check articles pushed as JSON lines on stdin (address, text; "
                        "title, published, outlet optional), each as it comes.")] = False,
    rejudge: Annotated[bool, typer.Option(
        "--rejudge", help="Only judge again the stored claims the ledger has changed since "
                          "(every pass does this first).")] = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=1, help="Seconds to wait for a server's answer.")] = 20.0,
    deadline: Annotated[float, typer.Option(
        "--deadline", min=1, help="Seconds a whole download (feed or page) may take.")
    ] = 30.0,
    lease: Annotated[float, typer.Option(
        "--lease", min=1, help="Seconds an article stays claimed by a watcher; a watcher "
                               "that died holding one loses it after this.")] = 300.0,
    webhook: WebhookOption = None,
    alerts_jsonl: JsonlOption = None,
    alert_on: Annotated[str | None, typer.Option(
        "--alert-on", help="Verdicts that alert (default: contradicted,mislabeled,"
                           "wrong_date).")] = None,
    allow_local: AllowLocalOption = False,
    base_url: BaseUrlOption = None,
    threads: Annotated[int, typer.Option(
        "--threads", min=1, max=32, help="Articles read and checked at once.")] = 3,
) -> None:
    """Follow news feeds: check every new article's loss figures and keep the verdicts in the
    store's register (a second run checks only what is new)."""
    import signal

    from attrition import service
    from attrition.watch import report
    from attrition.watch.pipeline import FLAGGED, Options

    if db:
        _state["db"] = db
    console = _console()
    if alerts_jsonl == "-":
        # stdout carries the alerts' JSON lines (for `| jq`): the summary and the flagged
        # lines for people go to stderr
        from rich.console import Console

        console = Console(stderr=True, soft_wrap=True, no_color=not sys.stderr.isatty(),
                          highlight=False, emoji=False)
    # alerts: queued with the verdicts (the outbox), sent after each pass
    alerting = _alert_config(webhook, alerts_jsonl, allow_local, base_url, alert_on)
    policy = alerting.policy()

    def _send_alerts() -> None:
        if policy is None:
            return
        from attrition import alerts
        from attrition.store.db import Store

        with Store(_state["db"]) as store:
            done = alerts.deliver(store.engine, alerting)
        if done.sent or done.retrying or done.failed:
            _err(f"attrition: alerts: {done.sent} sent, {done.retrying} to retry, "
                 f"{done.failed} given up"
                 + (f"; last error: {done.errors[-1]}" if done.errors else ""))

    if rejudge:
        changes = service.rejudge(_state["db"], on_changed=policy)
        _send_alerts()
        for ch in changes:
            console.print(f"\"{ch['text']}\": {ch['old_verdict']} -> {ch['new_verdict']} "
                          f"(ledger {ch['old_actual']} -> {ch['new_actual']}; {ch['reason']})",
                          markup=False)
        _err(f"attrition: {len(changes)} verdict(s) changed")
        return
    stopping: list[int] = []

    def _stop(signum: int, frame: object) -> None:
        if stopping:  # a second signal: stop now
            raise SystemExit(1)
        stopping.append(signum)
        _err("attrition: stopping after the current article")

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    options = Options(interval=interval, timeout=timeout, deadline=deadline, lease=lease,
                      threads=threads)
    lines = sys.stdin if stdin else None
    if once:
        result = service.watch(_state["db"], feeds or [], once=True, folder=from_folder,
                               lines=lines, options=options, stop=lambda: bool(stopping),
                               on_stored=policy)
        report.terminal(result, console)
        _send_alerts()
        return
    import time as _time

    passes = [0]
    quiet_since = [0.0]

    def _pass(result: Any, wait: float) -> None:
        _send_alerts()
        passes[0] += 1
        busy = (result.registered or result.checked or result.changes or result.input_errors
                or any(f.status == "failed" for f in result.feeds))
        if not busy and _time.monotonic() - quiet_since[0] < 600:
            return  # an idle pass: a line every 10 minutes says the watcher is alive
        quiet_since[0] = _time.monotonic()
        _err(f"{_time.strftime('%H:%M:%S')} " + report.progress_line(passes[0], result, wait))
        for f in result.feeds:
            if f.status == "failed":
                _err(f"  feed {f.address}: {report.feed_error(f.address, f.error)}")

    def _article(done: Any) -> None:
        for c in done.claims:
            if c["verdict"] in FLAGGED:
                console.print(f"{report.flag_line(c)} | {report.outlet_of(done)} "
                              f"{done.address}", markup=False)

    service.watch(_state["db"], feeds or [], once=False, folder=from_folder, lines=lines,
                  options=options, stop=lambda: bool(stopping), on_pass=_pass,
                  on_article=_article, on_stored=policy,
                  on_input_error=lambda e: _err(f"  input: {e}"))


def _one_paragraph(doc: str | None) -> str | None:
    """A command's docstring as its help: Rich keeps a docstring's line breaks, so that the
    list of commands showed "... over a range of reports, each" on a line of its own."""
    if not doc:
        return doc
    import inspect

    return "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(doc).split("\n\n"))


for _c in (*app.registered_commands, *alerts_app.registered_commands):
    if _c.help is None and _c.callback is not None:
        _c.help = _one_paragraph(_c.callback.__doc__)


def _only(argv: list[str]) -> typer.Typer:
    """The app with only the command `argv` names (Typer turns every registered command into
    a Click command at start-up, ~8 ms for all of them); the whole app for help or an unknown
    name, so `attrition --help` and its errors are unchanged."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 1 if "=" in argv[i] or argv[i] not in ("--db",) else 2
    if i >= len(argv):
        return app
    name = argv[i]
    chosen = [c for c in app.registered_commands
              if (c.name or (c.callback.__name__ if c.callback else "")) == name]
    if len(chosen) != 1:
        return app
    one = typer.Typer(name=app.info.name, help=app.info.help, no_args_is_help=True,
                      add_completion=False, pretty_exceptions_enable=False)
    one.registered_callback = app.registered_callback
    one.registered_commands = chosen
    return one


def main() -> None:
    try:
        from attrition.entry import hoist_db

        sys.argv[1:] = hoist_db(sys.argv[1:])
        _only(sys.argv[1:])()
    except AttritionError as exc:
        from attrition.entry import one_line

        _err(f"attrition: error: {one_line(str(exc))}")
        sys.exit(1)
    except OSError as exc:  # a file that cannot be read or written: one line, not a traceback
        from attrition.entry import one_line, os_error_text

        _err(f"attrition: error: {one_line(os_error_text(exc))}")
        sys.exit(1)


if __name__ == "__main__":
    main()
