"""The checker's rules as data: one TOML file per language in rules/ (en, uk, ru), each rule
with an id, what it sets, and its own positive (`yes`) and negative (`no`) example sentences,
which tests/test_check_rules.py runs.

Read lazily and once per process: `attrition check` starts in ~0.1 s, and a CLI command that
does not check articles never reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from attrition.errors import CheckError

HERE = Path(__file__).parent / "rules"
LANGUAGES = ("en", "uk", "ru")


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    """the table it came from: number_word, scale, phrase, qualifier, measure, period,
    category, scope"""
    lang: str
    data: dict[str, Any]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.data.get("words", ()))


@cache
def _file(lang: str) -> dict[str, Any]:
    from attrition import cache as folder

    path = HERE / f"{lang}.toml"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CheckError(f"{path}: cannot read the rules: {exc.strerror}") from None
    try:  # (parsed once, then read from the cache folder's copy: tomllib is slow)
        return folder.parsed_toml(data, f"rules/{lang}")
    except UnicodeDecodeError as exc:
        raise CheckError(f"{path}: invalid TOML: {exc}") from None
    except ValueError as exc:
        import tomllib

        if not isinstance(exc, tomllib.TOMLDecodeError):
            raise
        raise CheckError(f"{path}: invalid TOML: {exc}") from None


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of every language, in file order (a total order: nothing here depends on
    hashing)."""
    out: list[Rule] = []
    seen: set[str] = set()
    for lang in LANGUAGES:
        for kind, entries in _file(lang).items():
            if not isinstance(entries, list):
                continue
            for i, entry in enumerate(entries):
                rid = entry.get("id")
                if not isinstance(rid, str) or not rid.startswith(f"{lang}."):
                    raise CheckError(f"{HERE / lang}.toml: {kind}[{i}]: id must start with "
                                     f"'{lang}.'")
                if rid in seen:
                    raise CheckError(f"{HERE / lang}.toml: {kind}[{i}]: duplicate id {rid}")
                seen.add(rid)
                out.append(Rule(rid, kind, lang, entry))
    return tuple(out)


def of_kind(kind: str, langs: tuple[str, ...] = LANGUAGES) -> tuple[Rule, ...]:
    if langs == LANGUAGES:
        return _of_kind(kind)
    return tuple(r for r in _of_kind(kind) if r.lang in langs)


@cache
def _of_kind(kind: str) -> tuple[Rule, ...]:
    """A kind's rules in file order (a cold check asks ~20 times, for a few kinds)."""
    return tuple(r for r in all_rules() if r.kind == kind)


def by_id(rid: str) -> Rule:
    return _index()[rid]


@cache
def _index() -> dict[str, Rule]:
    return {r.id: r for r in all_rules()}


def alternation(words: list[str] | tuple[str, ...] | set[str]) -> str:
    """A regex that matches any of `words` (literal), the longest where several match
    ("more than" before "more"), shaped as a trie ("ju(?:ne|ly)"): Python's engine tries an
    alternation's branches one by one, and a list of 300 words costs 300 tries at every
    position; a trie costs one per letter."""
    from attrition import regex_cache

    unique = sorted(set(words))
    if not unique:
        return "(?!)"
    # (built in pure Python: ~10 ms a cold check for the ~40 lists; regex_cache keeps it)
    return regex_cache.derived("alternation 1", "\0".join(unique), lambda: _trie_of(unique))


def _trie_of(words: list[str]) -> str:
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_regex(sub) for ch, sub in sorted(node.items()) if ch]
    ends = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a word ends here, and longer ones go on: the longer first
        return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
    return body


def language_data(lang: str) -> dict[str, Any]:
    """A language file's [language] table (marker words)."""
    data = _file(lang).get("language", {})
    return data if isinstance(data, dict) else {}


def calendar(table: str) -> dict[str, int]:
    """Every language's `months`, `months_in` or `weekdays` table merged, in language order."""
    out: dict[str, int] = {}
    for lang in LANGUAGES:
        for word, n in _file(lang).get(table, {}).items():
            out.setdefault(word.lower(), int(n))
    return out


def language_table(lang: str, table: str) -> dict[str, Any]:
    """A plain table of a language file ([clauses], [language])."""
    data = _file(lang).get(table, {})
    return data if isinstance(data, dict) else {}


def usage(fired: list[list[str]] | list[tuple[str, ...]]) -> dict[str, int]:
    """How often each rule fired over many claims' `rule_ids`, every rule listed (a rule at
    0 on a whole evaluation set is dead or untested there), in file order."""
    counts = {r.id: 0 for r in all_rules()}
    for ids in fired:
        for rid in ids:
            if rid in counts:
                counts[rid] += 1
    return counts


def guarded(rx: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern behind a lookahead of the characters a match of it can start with:
    `rx` unchanged where those cannot be listed (a class such as \\w first, a part that can
    match nothing, inline flags). Python's engine tries every alternative of a pattern at
    every position of the text; a big alternation under IGNORECASE gets no prefix scan from
    it, and most positions start none of its words, so the one class test spares them
    (measure cues, comparatives: 1.5-3x faster on real sentences). The matches are the
    same: a match's first character is always in the class, which is compiled with the
    pattern's own flags (so it folds case as the pattern's letters do)."""
    from attrition import regex_cache

    cls = regex_cache.derived(f"guard 1 {rx.flags}", rx.pattern, lambda: _guard_class(rx))
    if not cls:
        return rx
    try:
        return re.compile(f"(?=[{cls}])(?:{rx.pattern})", rx.flags)
    except re.error:
        return rx


def _guard_class(rx: re.Pattern[str]) -> str:
    """The class of the characters a match of `rx` can start with; "" if they cannot be
    listed (parsing a pattern is slow: regex_cache keeps the answer)."""
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    try:
        first = _first_chars(list(_parser.parse(rx.pattern, rx.flags)), sre)
    except (re.error, RecursionError, TypeError, ValueError):
        return ""
    if not first:  # None: cannot tell; []: it can match the empty string
        return ""
    return "".join(_CATEGORIES[b] if a < 0 else re.escape(chr(a)) if a == b
                   else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in sorted(set(first)))


_CATEGORY_NAMES = ("CATEGORY_DIGIT", "CATEGORY_NOT_DIGIT", "CATEGORY_SPACE",
                   "CATEGORY_NOT_SPACE", "CATEGORY_WORD", "CATEGORY_NOT_WORD")
_CATEGORIES = (r"\d", r"\D", r"\s", r"\S", r"\w", r"\W")
"""A class's categories, written back as they were (the same flags give them the same
meaning in the guard)."""


def _first_chars(items: list[Any], sre: Any) -> list[tuple[int, int]] | None:
    """The characters (ranges of codes lo..hi, or (-1, i) for _CATEGORIES[i]) the first
    character a sequence of parsed items consumes can be; [] if it may consume none; None
    if they cannot be listed."""
    out: list[tuple[int, int]] = []
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: the next item consumes the first character
        if op is sre.LITERAL:
            return [*out, (av, av)]
        if op is sre.IN:
            got: list[tuple[int, int]] = []
            for o, a in av:
                if o is sre.LITERAL:
                    got.append((a, a))
                elif o is sre.RANGE:
                    got.append((a[0], a[1]))
                elif o is sre.CATEGORY and str(a) in _CATEGORY_NAMES:  # \d, \s, \w
                    got.append((-1, _CATEGORY_NAMES.index(str(a))))
                else:  # a negation
                    return None
            return out + got
        if op is sre.SUBPATTERN:
            _, add, remove, sub = av
            if add or remove:
                return None
            inner = _first_chars(list(sub), sre)
        elif op is sre.BRANCH:
            inner = []
            empty = False
            for alt in av[1]:
                one = _first_chars(list(alt), sre)
                if one is None:
                    return None
                empty = empty or not one
                inner += one
            if empty:  # an alternative may consume nothing: what follows may start it
                out += inner
                continue
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            lo, _, sub = av
            inner = _first_chars(list(sub), sre)
            if inner is not None and lo == 0:
                out += inner
                continue
        else:
            return None
        if inner is None:
            return None
        if not inner:
            continue
        return out + inner
    return []
