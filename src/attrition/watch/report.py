"""A watcher's pass for people: a table per outlet (articles, figures checked, verdicts), the
flagged claims (each naming the figure as written, its verdict and the ledger's value), the
verdicts the new ledger changed, and the feeds and inputs that failed."""

from __future__ import annotations

from collections import Counter
from typing import Any

from attrition.watch.pipeline import FLAGGED, Done, PassResult

VERDICTS = ("supported", "rounded", "contradicted", "mislabeled", "wrong_date",
            "unverifiable")


def outlet_of(d: Done) -> str:
    return d.outlet or "(no outlet)"


def tally(result: PassResult) -> list[dict[str, Any]]:
    """Per outlet: articles checked, figures checked, and the count of each verdict."""
    rows: dict[str, dict[str, Any]] = {}
    for d in result.done:
        if d.status != "checked":
            continue
        row = rows.setdefault(outlet_of(d), {"outlet": outlet_of(d), "articles": 0,
                                             "figures": 0, "verdicts": Counter()})
        row["articles"] += 1
        row["figures"] += len(d.claims)
        row["verdicts"].update(c["verdict"] for c in d.claims)
    return [rows[k] for k in sorted(rows)]


def flag_line(claim: dict[str, Any]) -> str:
    """`"46 artillery systems": CONTRADICTED; the ledger: 38 (reading)`."""
    actual = claim.get("actual")
    ledger = f"the ledger: {actual:,}" if isinstance(actual, int) else "the ledger: no value"
    return (f"\"{claim['text']}\": {claim['verdict'].upper()}; {ledger} "
            f"({claim.get('reading') or claim.get('why') or ''})")


def terminal(result: PassResult, console: Any, *, quiet_feeds: bool = False) -> None:
    from rich.markup import escape
    from rich.table import Table

    rows = tally(result)
    checked = sum(r["articles"] for r in rows)
    table = Table(title=f"{checked} new article{'s' if checked != 1 else ''} checked "
                        f"(ledger {result.ledger_version})")
    table.add_column("outlet")
    table.add_column("articles", justify="right")
    table.add_column("figures", justify="right")
    shown = [v for v in VERDICTS if any(r["verdicts"].get(v) for r in rows)]
    for v in shown:
        table.add_column(v, justify="right")
    for r in rows:
        table.add_row(escape(r["outlet"]), str(r["articles"]), str(r["figures"]),
                      *[str(r["verdicts"].get(v, 0)) for v in shown])
    if rows:
        console.print(table)
    else:
        console.print(f"No new article checked (ledger {result.ledger_version}).")
    flagged = [(d, c) for d in result.done if d.status == "checked" for c in d.claims
               if c["verdict"] in FLAGGED]
    if flagged:
        console.print(f"\n[bold]Flagged ({len(flagged)})[/bold]")
        for d, c in flagged:
            colour = "red" if c["verdict"] == "contradicted" else "magenta"
            console.print(f"[{colour}]{escape(flag_line(c))}[/]")
            console.print(f"  [dim]{escape(outlet_of(d))}: {escape(d.title or d.address)} "
                          f"{escape(d.address)}[/dim]")
    if result.changes:
        console.print(f"\n[bold]Verdicts changed by the new ledger ({len(result.changes)})"
                      f"[/bold]")
        for ch in result.changes:
            console.print(escape(
                f"\"{ch['text']}\": {ch['old_verdict']} -> {ch['new_verdict']} "
                f"(ledger {ch['old_actual']} -> {ch['new_actual']}; {ch['reason']}), "
                f"article {ch['article_id']}"))
    problems = [d for d in result.done if d.status in ("failed", "pending", "lost")]
    for d in problems:
        console.print(f"[yellow]article {escape(d.address)}: {d.status}: "
                      f"{escape(d.error or '')}[/yellow]")
    if not quiet_feeds:
        for f in result.feeds:
            if f.status == "failed" or f.error:
                console.print(f"[yellow]feed {escape(f.address)}: "
                              f"{escape(feed_error(f.address, f.error))}[/yellow]")
    for e in result.input_errors:
        console.print(f"[yellow]input: {escape(e)}[/yellow]")
    dupes = sum(d.status == "duplicate" for d in result.done)
    polled = [f for f in result.feeds if f.status != "not due"]
    feeds = (f"{len(polled)} feed(s) polled ({sum(f.status == 'failed' for f in polled)} "
             f"failed, {sum(f.status == 'not modified' for f in polled)} not modified), "
             f"{len(result.feeds) - len(polled)} not due yet; ") if result.feeds else ""
    console.print(f"[dim]{feeds}{result.registered} new entr"
                  f"{'ies' if result.registered != 1 else 'y'}; {dupes} unchanged "
                  f"text(s)[/dim]")


def feed_error(address: str, error: str | None) -> str:
    """The error without the feed's address in front (it is printed beside it)."""
    return (error or "").removeprefix(f"{address}: ").removeprefix(f"{address}, ")


def progress_line(n: int, result: PassResult, wait: float) -> str:
    """One line per pass of a long-running watcher."""
    failed = sum(f.status == "failed" for f in result.feeds)
    polled = sum(f.status != "not due" for f in result.feeds)
    return (f"pass {n}: {polled} feed(s) polled ({failed} failed), "
            f"{result.registered} new, {result.checked} checked, {result.flagged} flagged, "
            f"{len(result.changes)} verdict(s) changed; next poll in {wait:.0f} s")
