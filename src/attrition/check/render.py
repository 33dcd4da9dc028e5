"""The check for people: each sentence with its numbers highlighted by verdict, the reading in
plain words, the rejected readings beneath; or Markdown for editors."""

from __future__ import annotations

from typing import Any

COLOURS = {"supported": "green", "rounded": "cyan", "contradicted": "red",
           "mislabeled": "magenta", "wrong_date": "yellow", "unverifiable": "bright_black"}


def terminal(doc: dict[str, Any], console: Any) -> None:
    from rich.markup import escape

    a = doc["article"]
    console.print(f"[bold]{escape(a['source'])}[/bold]: article date {a['date']} "
                  f"({escape(a['date_source'])})"
                  + (f", judged on what had been published by {a['as_of']}"
                     if a.get("as_of") else ""))
    for c in doc["claims"]:
        colour = COLOURS.get(c["verdict"], "white")
        sent = c["sentence"]
        start = sent.find(c["text"])
        if start >= 0:
            shown = (escape(sent[:start]) + f"[bold {colour}]{escape(c['text'])}[/]"
                     + escape(sent[start + len(c["text"]):]))
        else:
            shown = escape(sent)
        console.print(f"\n{shown}")
        console.print(f"  [{colour}]{c['verdict'].upper()}[/]: {escape(c['reading'])}")
        if c["why"] and c["why"] != c["reading"]:
            console.print(f"  [dim]{escape(c['why'])}[/dim]")
        if c.get("revised"):
            console.print(f"  [yellow]· {escape(c['revised']['text'])}[/yellow]")
        for alt in c["alternatives"][:3]:
            console.print(f"  [dim]· not: {escape(alt['reading'])}[/dim]")
        if c.get("confirmed"):
            console.print(f"  [dim]· {escape(confirmed_line(c['confirmed']))}[/dim]")
    console.print("\n" + ", ".join(f"{k}: {v}" for k, v in sorted(doc["summary"].items())))
    console.print("[dim]Figures are official Ukrainian claims, not independently "
                  "confirmed, except those attributed to Oryx (visually confirmed, a floor)."
                  "[/dim]")


def confirmed_line(ctx: dict[str, Any]) -> str:
    return (f"visually confirmed ({ctx['source']}): {ctx['confirmed']:,} {ctx['line']} by "
            f"{ctx['as_of']}" + (" (derived)" if ctx.get("derived") else "")
            + (f"; the General Staff's count on that date: {ctx['claimed_on_that_date']:,}"
               if ctx.get("claimed_on_that_date") is not None else ""))


def markdown(doc: dict[str, Any]) -> str:
    a = doc["article"]
    lines = [f"## Check: {a['source']} (article date {a['date']}, {a['date_source']}"
             + (f"; as published by {a['as_of']}" if a.get("as_of") else "") + ")", "",
             "| claim | verdict | reading | note |", "|---|---|---|---|"]
    for c in doc["claims"]:
        cell = c["text"].replace("|", "\\|").replace("\n", " ")
        note = c["why"] + (f" ({confirmed_line(c['confirmed'])})" if c.get("confirmed")
                           else "") + (f" **{c['revised']['text']}**" if c.get("revised")
                                       else "")
        lines.append(f"| {cell} | **{c['verdict']}** | {c['reading'].replace('|', '/')} | "
                     f"{note.replace('|', '/')} |")
    lines += ["", ", ".join(f"{k}: {v}" for k, v in sorted(doc["summary"].items())), "",
              "_Figures are official Ukrainian claims, not independently confirmed._"]
    return "\n".join(lines) + "\n"
