"""A plain command line read without Typer (whose import is ~70 ms of a short command):
`attrition [--db X] COMMAND [inputs] [--option value]`, for the commands whose fast path
`entry.py` runs itself (`check`, `ingest`). Anything else (a flag it does not know, --help,
an option given twice, a missing value) is left to the Typer app, which answers it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def split(argv: Sequence[str], command: str, options: Mapping[str, str], *,
          stdin: bool) -> tuple[str | None, dict[str, str], list[str]] | None:
    """(--db, {option key: value}, the inputs) of a plain `command` line, or None for any
    other line. `options`: option name -> key; `stdin`: "-" is an input (standard input)."""
    db: str | None = None
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        head = argv[i]
        if head == "--db" and i + 1 < len(argv):
            db, i = argv[i + 1], i + 2
        elif head.startswith("--db="):
            db, i = head[len("--db="):], i + 1
        else:
            return None  # --version, --help, or a typo: Typer's to answer
    if i >= len(argv) or argv[i] != command:
        return None
    given: dict[str, str] = {}
    inputs: list[str] = []
    rest = argv[i + 1:]
    j = 0
    while j < len(rest):
        arg = rest[j]
        if arg == "--":
            inputs += rest[j + 1:]
            break
        if (stdin and arg == "-") or not arg.startswith("-"):
            inputs.append(arg)
            j += 1
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        key = options.get(name)
        if key is None or key in given:
            return None  # an unknown option, or one given twice
        if not eq:
            if j + 1 >= len(rest):
                return None  # the option's value is missing: Typer says so
            value = rest[j + 1]
            j += 1
        given[key] = value
        j += 1
    return db, given, inputs
