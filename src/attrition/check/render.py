"""The check for people: each sentence with its numbers highlighted by verdict, the reading in
plain words, the rejected readings beneath; or Markdown for editors."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

NOTHING_FOUND = "no loss figures found in the article"
"""The summary line of an article without a figure to check (rather than an empty line)."""

COLOURS = {"supported": "green", "rounded": "cyan", "contradicted": "red",
           "mislabeled": "magenta", "wrong_date": "yellow", "unverifiable": "bright_black"}


def terminal(doc: dict[str, Any], console: Any) -> None:
    from rich.markup import escape

    for markup, _ in _lines(doc, escape):
        console.print(markup)


_RICH_CHANGES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
"""Characters Rich may remove or expand in what it prints (control codes, tabs); a document
with any of them is printed through Rich itself."""


def plain(doc: dict[str, Any]) -> str | None:
    """What `terminal` prints off a terminal (`attrition.entry.console()`: no colour, no
    wrapping, and Rich not told to act as a terminal: `settings.rich_terminal_forced`),
    without importing Rich; None where Rich would print something else (a text holds a
    character it strips or expands)."""
    out = "".join(text + "\n" for _, text in _lines(doc, str))
    return None if _RICH_CHANGES.search(out) else out


def _lines(doc: dict[str, Any], escape: Callable[[str], str]) -> list[tuple[str, str]]:
    """Each line the check prints for people: (Rich markup, with texts put through
    `escape`; the plain text it shows)."""
    a = doc["article"]
    head = (f"{a['source']}: article date {a['date']} ({a['date_source']})"
            + (f", judged on what had been published by {a['as_of']}"
               if a.get("as_of") else ""))
    out = [(f"[bold]{escape(a['source'])}[/bold]: article date {a['date']} "
            f"({escape(a['date_source'])})"
            + (f", judged on what had been published by {escape(a['as_of'])}"
               if a.get("as_of") else ""), head)]

    def dim(text: str, colour: str = "dim") -> None:
        out.append((f"  [{colour}]{escape(text)}[/{colour}]", f"  {text}"))

    claims = doc["claims"]
    for i, c in enumerate(claims):
        colour = COLOURS.get(c["verdict"], "white")
        sent = c["sentence"]
        if i == 0 or claims[i - 1]["sentence"] != sent or claims[i - 1]["span"][0] >= \
                c["span"][0]:
            # each sentence once, with every figure of it highlighted by its verdict
            mine = [x for x in claims[i:] if x["sentence"] == sent]
            out.append(("\n" + _highlighted(sent, mine, escape), f"\n{sent}"))
        verdict = c["verdict"].upper()
        reading = people(c["reading"])
        out.append((f"  [{colour}]{verdict}[/] [bold]{escape(c['text'])}[/]: "
                    f"{escape(reading)}", f"  {verdict} {c['text']}: {reading}"))
        if c["why"] and c["why"] != c["reading"]:
            dim(people(c["why"]))
        if c.get("revised"):
            dim(f"· {people(c['revised']['text'])}", "yellow")
        for alt in c["alternatives"][:3]:
            dim(f"· not: {people(alt['reading'])}")
        if c.get("confirmed"):
            dim(f"· {confirmed_line(c['confirmed'])}")
    summary = _summary(doc)
    out.append((f"\n{summary}", f"\n{summary}"))
    note = ("Figures are official Ukrainian claims, not independently confirmed, except "
            "those attributed to Oryx (visually confirmed, a floor).")
    out.append((f"[dim]{note}[/dim]", note))
    return out


def _highlighted(sent: str, claims: list[dict[str, Any]], escape: Callable[[str], str]
                 ) -> str:
    """The sentence with each claim's words in its verdict's colour (in order, none twice)."""
    shown, pos = [], 0
    for c in claims:
        start = sent.find(c["text"], pos)
        if start < 0:
            continue
        colour = COLOURS.get(c["verdict"], "white")
        shown += [escape(sent[pos:start]), f"[bold {colour}]{escape(c['text'])}[/]"]
        pos = start + len(c["text"])
    return "".join(shown) + escape(sent[pos:])


@cache
def _ids() -> re.Pattern[str]:
    from attrition import categories

    ids = sorted(categories.BY_ID, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")


def people(text: str) -> str:
    """A reading or note with the category ids of the JSON document written as the
    bulletin's names ("vehicles_fuel_tanks" -> "vehicles and fuel tanks")."""
    from attrition import categories

    return _ids().sub(lambda m: categories.BY_ID[m.group(1)].en, text)


def _summary(doc: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(doc["summary"].items())) or NOTHING_FOUND


def confirmed_line(ctx: dict[str, Any]) -> str:
    return (f"visually confirmed ({ctx['source']}): {ctx['confirmed']:,} {ctx['line']} by "
            f"{ctx['as_of']}" + (" (derived)" if ctx.get("derived") else "")
            + (f"; the General Staff's count on that date: {ctx['claimed_on_that_date']:,}"
               if ctx.get("claimed_on_that_date") is not None else ""))


def markdown(doc: dict[str, Any]) -> str:
    a = doc["article"]
    lines = [f"## Check: {a['source']} (article date {a['date']}, {a['date_source']}"
             + (f"; as published by {a['as_of']}" if a.get("as_of") else "") + ")", ""]
    if doc["claims"]:
        lines += ["| claim | verdict | reading | note |", "|---|---|---|---|"]
    for c in doc["claims"]:
        cell = c["text"].replace("|", "\\|").replace("\n", " ")
        note = people(c["why"]) + (f" ({confirmed_line(c['confirmed'])})"
                                   if c.get("confirmed") else "") + (
            f" **{people(c['revised']['text'])}**" if c.get("revised") else "")
        reading = people(c["reading"]).replace("|", "/")
        lines.append(f"| {cell} | **{c['verdict']}** | {reading} | {note.replace('|', '/')} |")
    lines += [*([""] if doc["claims"] else []), _summary(doc), "",
              "_Figures are official Ukrainian claims, not independently confirmed._"]
    return "\n".join(lines) + "\n"
