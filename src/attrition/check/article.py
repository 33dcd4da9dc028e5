"""An article as the checker reads it: its header (url, outlet, published), its date, and its
sentences with their offsets in the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from attrition.check import rules
from attrition.errors import CheckError

MAX_CHARS = 2_000_000
"""Longer input is refused: no article is near this, and the checker must not hang."""

MONTHS = rules.calendar("months")
"""Month words of every language (rules/*.toml), as a date or a month names them."""
MONTH_RE = rules.alternation(list(MONTHS))
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


@dataclass
class Sentence:
    text: str
    start: int
    end: int


@dataclass
class Article:
    text: str
    """The input as given (spans index it)."""
    body_start: int
    meta: dict[str, str] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    language: str = "en"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc) but for newline and tab."""


def clean(text: str) -> str:
    """Same length as the input (so spans still index it): direction overrides and other
    invisible controls become spaces."""
    return _CONTROL.sub(" ", _BIDI.sub(" ", text))


_HEADER = re.compile(r"\A\s*---\s*\n(.*?)\n---\s*\n", re.S)


def header(text: str) -> tuple[dict[str, str], int]:
    """The article's header block (url, outlet, published, title between `---` lines), its
    keys in lower case, and where the body starts (0 without a header)."""
    meta: dict[str, str] = {}
    m = _HEADER.match(text)
    if not m:
        return meta, 0
    for line in m.group(1).splitlines():
        k, _, v = line.partition(":")
        if v:
            meta[k.strip().lower()] = v.strip()
    return meta, m.end()


def read(text: str) -> Article:
    if len(text) > MAX_CHARS:
        raise CheckError(f"article too long ({len(text):,} characters; the limit is "
                         f"{MAX_CHARS:,})")
    meta, body_start = header(text)
    work = clean(text)
    art = Article(text, body_start, meta)
    art.language = language(work[body_start:])
    art.sentences = split(work, body_start)
    return art


_CYR = re.compile(r"[а-яёіїєґ]", re.I)
_LAT = re.compile(r"[a-z]", re.I)
_ONLY_RU = re.compile(r"[ыэъё]", re.I)
_ONLY_UK = re.compile(r"[іїєґ]", re.I)


def language(text: str) -> str:
    """en, uk or ru, by letter statistics: Cyrillic over Latin; then Russian's own letters
    (ы, э, ъ, ё) against Ukrainian's (і, ї, є, ґ). Both are common (і alone is ~5% of
    Ukrainian letters, ы ~2% of Russian), so a few quoted words do not flip a text."""
    sample = text[:20_000]
    cyr = len(_CYR.findall(sample))
    if cyr <= len(_LAT.findall(sample)):
        return "en"
    uk = len(_ONLY_UK.findall(sample))
    ru = len(_ONLY_RU.findall(sample))
    if uk == ru:  # a short text with neither's letters: each language's marker words
        words = _WORDS.findall(sample.lower())
        markers = _markers()
        uk = sum(w in markers["uk"] for w in words)
        ru = sum(w in markers["ru"] for w in words)
    return "ru" if ru > uk else "uk"


_WORDS = re.compile(r"[а-яёіїєґ'’]+")


@cache
def _markers() -> dict[str, frozenset[str]]:
    return {lang: frozenset(rules.language_data(lang).get("markers", ()))
            for lang in ("uk", "ru")}


ABBREVIATIONS = frozenset({
    "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.",
    "dec.", "mon.", "tue.", "tues.", "wed.", "thu.", "thur.", "thurs.", "fri.", "sat.", "sun.",
    "no.", "nos.", "mr.", "mrs.", "ms.", "dr.", "st.", "gen.", "lt.", "col.", "maj.", "capt.",
    "sgt.", "gov.", "sen.", "rep.", "pres.", "vs.", "approx.", "est.", "u.s.", "u.k.", "u.n.",
    "e.g.", "i.e.", "a.m.", "p.m.",
    "тис.", "тыс.", "млн.", "млрд.", "грн.", "ст.", "р.", "рр.", "г.", "гг.", "им.", "ім.",
    "т.", "д.", "див.", "см.", "напр.", "пор.", "проф.", "ген.",
})
"""Words whose full stop ends no sentence ("Feb. 24", "U.S. officials", "1,2 тис. осіб")."""

# A stop, its closing quotes, space and a capital, digit or bullet next; or a line break.
_BREAK = re.compile(r"([.!?][\"”’'»)]*)\s+(?=[\"“‘'«(]?[A-ZА-ЯЁІЇЄҐ0-9•\-])|\n[ \t]*(?:\n\s*)*")
_WORD_BEFORE = re.compile(r"(?:^|\s|\()(\S+)\Z")
_INITIAL = re.compile(r"[A-ZА-ЯЁІЇЄҐ]\.")
_END_OF_LINE = re.compile(r"[.!?:;\"”»)]\s*\Z")
_WRAP_MIN = 60
"""A line at least this long that stops mid-sentence was wrapped by hand..."""
_WRAP_MAX = 110
"""...in a text whose lines are wrapped at all: one where hardly any line is longer than
this. Where paragraphs run on one line each, a line that stops without a stop is a heading
or a list item ("2025 (as of June 4): over 200,000 troops"), and the next line is another."""


def _wrapped(text: str, start: int) -> bool:
    lines = [n for n in map(len, text[start:].split("\n")) if n >= 40]
    return bool(lines) and sum(n > _WRAP_MAX for n in lines) * 10 <= len(lines)


def split(text: str, start: int = 0) -> list[Sentence]:
    """Sentences with their offsets: a stop ends one unless it ends an abbreviation
    ("Feb.", "U.S.", "тис.") or an initial ("V."); a blank line always ends one; a single
    line break only when the line is not a hard wrap inside a paragraph (the next line goes
    on in lower case, or, in a text wrapped by hand, a long line stops mid-sentence).
    Linear in the text's length."""
    out: list[Sentence] = []
    pos = start
    line_start = start
    wrapped = _wrapped(text, start)
    for m in _BREAK.finditer(text, start):
        br = m.group(0)
        if br[0] in ".!?":
            stop = m.start() + 1
            wm = _WORD_BEFORE.search(text, max(line_start, stop - 24), stop)
            word = wm.group(1).lower() if wm else ""
            if word.lstrip("(\"“«") in ABBREVIATIONS or (
                    wm and _INITIAL.fullmatch(wm.group(1).lstrip("(\"“«"))):
                continue
        elif br.count("\n") == 1:
            line = text[line_start:m.start()]
            nxt = text[m.end():m.end() + 1]
            if nxt and (nxt.islower() or (
                    wrapped and len(line) >= _WRAP_MIN and not _END_OF_LINE.search(line)
                    and nxt not in "•-–—*0123456789")):
                line_start = m.end()
                continue  # a hard wrap: the sentence goes on
        if "\n" in br:
            line_start = m.end()
        end = m.end(1) if m.group(1) else m.start()  # the stop stays in its sentence
        if end > pos:
            _add(out, text, pos, end)
        pos = m.end()
    if pos < len(text):
        _add(out, text, pos, len(text))
    return out


MAX_SENTENCE = 3000
"""A longer "sentence" (a list run together, text without stops) is cut at its semicolons,
then at its commas, so every piece is read and the reading stays linear."""
_LONG_CUTS = (re.compile(r";\s+"), re.compile(r",\s+"))


def _add(out: list[Sentence], text: str, a: int, b: int, depth: int = 0) -> None:
    if b - a > MAX_SENTENCE and depth < len(_LONG_CUTS):
        pos = a
        for m in _LONG_CUTS[depth].finditer(text, a, b):
            _add(out, text, pos, m.start() + 1, depth + 1)
            pos = m.end()
        _add(out, text, pos, b, depth + 1)
        return
    seg = text[a:b]
    lead = len(seg) - len(seg.lstrip())
    seg = seg.strip()
    if seg:
        # a wrapped line's break reads as a space (same length: offsets still index the text)
        out.append(Sentence(seg.replace("\n", " "), a + lead, a + lead + len(seg)))


def find_date(art: Article) -> tuple[date | None, str]:
    """The article's date from its header or its first lines, and where it came from."""
    pub = art.meta.get("published", "")
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", pub)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])), "header: published"
        except ValueError:
            pass
    head = art.text[art.body_start: art.body_start + 1500]
    for pattern in (
        rf"\b(\d{{1,2}})\s+({MONTH_RE})\.?,?\s+(\d{{4}})",
        rf"\b({MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})",
        r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b",
    ):
        for dm in re.finditer(pattern, head, re.I):
            a, b, y = dm.groups()
            try:
                if a.isdigit() and b.isdigit():
                    return date(int(y), int(b), int(a)), "text: first dated line"
                if a.isdigit():
                    return date(int(y), MONTHS[b.lower()], int(a)), "text: first dated line"
                return date(int(y), MONTHS[a.lower()], int(b)), "text: first dated line"
            except (ValueError, KeyError):
                continue
    return None, "none"
