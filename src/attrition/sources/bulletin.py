"""The General Staff bulletin as text: English or Ukrainian, every era, and news reproductions.

Handles the 2022 headers without a year, "about"/"близько", "(+N)", "од", bilingual lines, the
paragraph form, number-first lists ("11 224 танки (+1 за добу)"), delta-first lists
("2 танки (загалом 11 261)") and the simple prose of news reproductions, as far as they carry
figures. Written by hand because no library parses these bulletins; the format is ours to know.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

from attrition import categories
from attrition.categories import BULLETIN
from attrition.errors import ParseError
from attrition.model import Batch, Observation
from attrition.sources._common import MAX_PLAUSIBLE, check_date, decode

MONTHS_EN = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTHS_UK = {
    "січ": 1, "лют": 2, "берез": 3, "квіт": 4, "трав": 5, "черв": 6, "лип": 7, "серп": 8,
    "верес": 9, "жовт": 10, "листопад": 11, "груд": 12,
}
_MONTH_EN = (r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|"
             r"june?|july?|aug(?:ust|\.)?|sep(?:t(?:ember)?)?\.?|oct(?:ober|\.)?|"
             r"nov(?:ember|\.)?|dec(?:ember|\.)?)")
_MONTH_UK = (r"(?:січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|"
             r"листопада|грудня)")

WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "один": 1, "одна": 1, "одне": 1, "одну": 1, "два": 2, "дві": 2, "три": 3, "чотири": 4,
    "п'ять": 5, "шість": 6, "сім": 7, "вісім": 8, "дев'ять": 9, "десять": 10,
}

_DASH = re.compile(r"[‒–—―−]")
_HEADER = re.compile(
    r"(?:from|з|від)\s+24\.02(?:\.(?:20)?22)?\s+(?:to|по|до)\s+"
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})(?:\.(?P<y>\d{2,4}))?",
    re.IGNORECASE,
)
_NUM = (r"\d+\s+мільйон\w*\s+\d{1,3}(?: \d{3})*"
        r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+|\d+(?:[.,]\d+)?")
_WORD_NUM = r"|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?P<plus>\+\s*)?(?P<num>{_NUM})(?P<thousand>\s*(?:thousand|тис\.?|тисяч\w*))?"
    rf"|(?<![\w'])(?P<word>{_WORD_NUM})(?![\w'])",
)
"""Numbers in a segment. This and _DATES, _QUALIFIERS and _DATE_HINT see text that
categories._norm lower-cased: no IGNORECASE, which slows every position of a Unicode scan."""
_DATES = re.compile(
    rf"\b\d{{1,2}}\.\d{{1,2}}(?:\.\d{{2,4}})?\b"
    rf"|\b{_MONTH_EN}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d{{2}})?"
    rf"|\b\d{{1,2}}\s+(?:{_MONTH_EN}|{_MONTH_UK})\b(?:,?\s+(?:19|20)\d{{2}}(?:\s+року)?)?"
    rf"|\b(?:{_MONTH_EN}|{_MONTH_UK}|in|since|of|у|в|з|із)\s+20[12]\d\b(?:\s+року)?"
    rf"|\b20[12]\d\s+(?:року|р\.)",
)
_CHANGE_CUES = re.compile(
    r"past day|past 24 hours|previous day|another|за добу|минулу добу|минулої доби|"
    r"попередньої доби|напередодні|\bще\b|за минулу",
)
_TOTAL_CUES = re.compile(
    r"in total|total|since the beginning|since the start|загалом|загальні|від початку|"
    r"з початку|із початку|за час",
)
_QUALIFIERS = (
    (re.compile(r"(?:more than|over|понад|більше)\s*$"), "more"),
    (re.compile(r"(?:about|approximately|близько|приблизно|майже|almost|nearly)\s*$"),
     "about"),
)
_GLUED = re.compile(r"\d[^\W\d_]|[^\W\d_]\d", re.UNICODE)
_LIST_SEP = re.compile(r"^\s*[•\-*]?\s*[^\d(]*?\s[-:]\s*(?:[^\W\d]+\s*)?[\d(+]")


@dataclass(frozen=True)
class Figure:
    category: str
    total: int | None
    change: int | None
    qualifier: str | None
    line: int
    rounded: bool = False
    """A figure the text rounds ("more than 719 thousand"): not an exact total."""


@dataclass
class Bulletin:
    report_date: date
    language: str
    figures: dict[str, Figure] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    date_source: str = "header"

    def to_batch(self, address: str | None = None, source: str = BULLETIN) -> Batch:
        batch = Batch(source, address=address)
        for fig in self.figures.values():
            total = None if fig.rounded else fig.total
            if total is None and fig.change is None:
                continue
            batch.observations.append(
                Observation(source, self.report_date, fig.category, total,
                            announced_change=fig.change, qualifier=fig.qualifier,
                            address=address)
            )
        return batch


def parse(data: bytes | str, *, report_date: date | None = None) -> Bulletin:
    """Parse one bulletin. `report_date` is a hint (e.g. from the file name): it supplies the
    year of a 2022 header without one, or the whole date of prose without a header."""
    text = _normalise(decode(data))
    if not text.strip():
        raise ParseError("empty bulletin")
    sample = text[:20_000]  # the language shows in the first lines; counting a whole
    # 10 MB text built a list of ten million one-letter strings
    lang = "uk" if len(_CYRILLIC.findall(sample)) > len(_LATIN.findall(sample)) else "en"
    day, how = _report_date(text, report_date)
    bulletin = Bulletin(day, lang, date_source=how)
    delta_first = bool(_DELTA_FIRST.search(text))
    default_mode: str | None = None
    read = 0
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not _MAY_HOLD_FIGURE.search(line):
            # no number, bracket, plus or dash: no figure and no error; only its cue counts
            if default_mode is None:
                default_mode = next(filter(None, map(_cue, _sentences(line))), None)
            continue
        short = len(line.split()) <= 8  # once a line: per segment, a long line was quadratic
        for sentence in _sentences(line):
            cue = _cue(sentence)
            if default_mode is None and cue is not None:
                default_mode = cue
            for seg in _segments(sentence):
                read += 1
                if read > MAX_PIECES:
                    raise ParseError(f"more than {MAX_PIECES:,} lines or list items with "
                                     "numbers: not one bulletin", line=line_no)
                fig = _figure(seg, short, line_no, day, cue or default_mode or "total",
                              delta_first, bulletin.warnings)
                if fig is None:
                    continue
                old = bulletin.figures.get(fig.category)
                bulletin.figures[fig.category] = (
                    fig if old is None else _merge(old, fig, bulletin.warnings))
    if not bulletin.figures:
        raise ParseError("no loss figures found: is this a General Staff bulletin?")
    return bulletin


MAX_PIECES = 5_000
"""A bulletin, or a news page reproducing one, has a few dozen lines or list items with
numbers; each costs ~7 µs to read, so past this many the text is no bulletin (and reading on
would cost seconds per MB)."""
MAX_TOKENS = 200
"""Numbers in one list item: a figure has two or three; `1 1 1 ...` for megabytes is none."""
_MAY_HOLD_FIGURE = re.compile(rf"[\d(+-]|(?<![\w'])(?:{_WORD_NUM})(?![\w'])", re.IGNORECASE)
"""What a line needs to give a figure or a "no figure for ..." error: a digit, a number word,
a bracket, a plus or a dash (after `_normalise`)."""


def _merge(old: Figure, new: Figure, warnings: list[str]) -> Figure:
    """Prose often gives a category twice ("lost 950 troops" ... "personnel - 399090 (+950)"):
    combine the two, preferring exact totals to rounded ones."""
    total, qualifier, rounded = old.total, old.qualifier, old.rounded
    if new.total is not None and (total is None or (rounded and not new.rounded)):
        total, qualifier, rounded = new.total, new.qualifier, new.rounded
    elif (new.total is not None and not new.rounded and not old.rounded
          and new.total != old.total):
        warnings.append(f"line {new.line}: {new.category} total {new.total} differs from "
                        f"{old.total} on line {old.line}; kept the first")
    change = old.change
    if change is None:
        change = new.change
    elif new.change is not None and new.change != change:
        warnings.append(f"line {new.line}: {new.category} change {new.change} differs from "
                        f"{change} on line {old.line}; kept the first")
    return Figure(old.category, total, change, qualifier, min(old.line, new.line), rounded)


def _normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    text = _DASH.sub("-", text)
    text = re.sub(r"[ \t]+", " ", text)
    return text


def _report_date(text: str, hint: date | None) -> tuple[date, str]:
    m = _HEADER.search(text)
    if m:
        d, mo, y = int(m["d"]), int(m["m"]), m["y"]
        if y is not None:
            year = int(y) + (2000 if len(y) == 2 else 0)
        elif hint is not None:
            year = hint.year
        else:
            year = 2022  # the MoD added the year to its headers in 2023
        line = _line_of(text, m.start())
        try:
            day = date(year, mo, d)
        except ValueError:
            raise ParseError(f"impossible date in the header: {m.group(0)!r}",
                             line=line) from None
        check_date(day, field="header", line=line)
        return day, "header"
    if hint is not None:
        check_date(hint, field="report date")
        return hint, "given"
    raise ParseError("no report date: the text has no 'from 24.02 to DD.MM' header; give a date")


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


_CYRILLIC = re.compile(r"[а-яіїєґ]", re.I)
_LATIN = re.compile(r"[a-z]", re.I)
_DELTA_FIRST = re.compile(r"\(\s*загалом|\(\s*total", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZА-ЯІЇЄҐ\d])")
_SEGMENT_END = re.compile(r"(?<!\d)[,;]\s*|(?<=\d),\s+(?=\D)|(?<=\))[,;]?\s+(?=\d)")
_AND = re.compile(rf"\s+(?:and|та|і|й)\s+(?=\d|(?:{_WORD_NUM})\b)", re.IGNORECASE)


def _sentences(line: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(line) if s.strip()]


def _segments(sentence: str) -> list[str]:
    parts = _SEGMENT_END.split(sentence)
    out: list[str] = []
    for part in parts:
        out.extend(_AND.split(part))
    return [p for p in out if p.strip()]


def _cue(sentence: str) -> str | None:
    sentence = sentence.lower()
    if _TOTAL_CUES.search(sentence):
        return "total"
    if _CHANGE_CUES.search(sentence):
        return "change"
    return None


_TOO_BIG = MAX_PLAUSIBLE + 1
"""What a number too long to be a count parses to: `_figure` refuses it with its line."""


_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_MILLION = re.compile(r"(\d+)\s+мільйон\w*\s+([\d ]+)$")


def _to_int(num: str) -> int:
    if len(num) > 12 and sum(c.isdigit() for c in num) > 12:
        return _TOO_BIG
    m = _MILLION.match(num)
    if m:
        return int(m[1]) * 1_000_000 + int(m[2].replace(" ", ""))
    return int(num.replace(" ", "").replace(",", ""))


@dataclass
class _Tok:
    value: int
    start: int
    in_parens: bool
    plus: bool
    paren_total: bool
    qualifier: str | None
    rounded: bool


def _blank_dates(seg: str) -> str:
    """The text with its dates blanked to spaces (same offsets), so that no day or year is
    read as a figure. Most segments hold no date: a cheap search spares the costly one."""
    if not _DATE_HINT.search(seg):
        return seg
    return _DATES.sub(lambda m: " " * len(m.group(0)), seg)


_DATE_HINT = re.compile(r"\d\.\d|20[12]\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
                        r"січ|лют|берез|квіт|трав|черв|лип|серп|верес|жовт|листопад|груд)")


def _tokens(blanked: str) -> list[_Tok]:
    toks: list[_Tok] = []
    # The brackets and pluses before each token, counted as the scan goes (counting the whole
    # prefix again for every token made a long line quadratic).
    pos = depth = 0
    plus_since_open = False
    for m in _TOKEN.finditer(blanked):
        if len(toks) > MAX_TOKENS:
            break  # `_figure` refuses the item: reading the rest would only cost time
        start = m.start()
        # str methods, not a regex match per bracket: a run of a million "(" is one count
        depth += blanked.count("(", pos, start) - blanked.count(")", pos, start)
        last_open = blanked.rfind("(", pos, start)
        if last_open >= 0:
            plus_since_open = "+" in blanked[last_open:start]
        elif "+" in blanked[pos:start]:
            plus_since_open = True
        pos = start
        if m["word"]:
            value, rounded = WORDS[m["word"].lower()], False
        else:
            raw = m["num"]
            rounded = bool(m["thousand"])
            if "." in raw or ("," in raw and not _COMMA_THOUSANDS.fullmatch(raw)):
                if not rounded:
                    continue  # a decimal that is not "21.6 thousand" is no count
                value = (_TOO_BIG if len(raw) > 12
                         else round(float(raw.replace(",", ".")) * 1000))
            else:
                value = _to_int(raw) * (1000 if rounded else 1)
        recent = blanked[max(0, start - 20):start]
        qualifier = None
        for pattern, name in _QUALIFIERS:
            if pattern.search(recent):
                qualifier = name
        toks.append(_Tok(
            value=value, start=start, in_parens=depth > 0, plus=bool(m["plus"]),
            paren_total=depth > 0 and not m["plus"] and not plus_since_open,
            qualifier=qualifier, rounded=rounded,
        ))
    return toks


_UNIT_AFTER_DIGIT = re.compile(r"\d\)?\s*од|\d\s*(?:st|nd|rd|th)\b|\d\s*тис")
_DASH_END = re.compile(r"\s-\s*$")


def _figure(seg: str, short_line: bool, line_no: int, day: date, mode: str,
            delta_first: bool, warnings: list[str]) -> Figure | None:
    norm = categories._norm(seg)
    found = _match_label(norm, day)
    if found is None:
        return None
    cat, lstart = found
    blanked = _blank_dates(norm)
    toks = _tokens(blanked)
    if len(toks) > MAX_TOKENS:
        raise ParseError(f"more than {MAX_TOKENS} numbers in one item for {cat!r}: no figure",
                         line=line_no)
    for junk in _GLUED.finditer(blanked):
        ctx = norm[max(0, junk.start() - 3): junk.end() + 3]
        if not _UNIT_AFTER_DIGIT.search(ctx):
            raise ParseError(f"garbled figure near {ctx.strip()!r}", line=line_no)
    if not toks:
        if _LIST_SEP.search(seg) or _DASH_END.search(seg.strip()):
            raise ParseError(f"no figure for {cat!r}", line=line_no)
        return None
    changes = [t for t in toks if t.in_parens and t.plus]
    paren_totals = [t for t in toks if t.paren_total]
    outside = [t for t in toks if not t.in_parens]
    before = [t for t in outside if t.start < lstart]
    after = [t for t in outside if t.start >= lstart]
    total: _Tok | None = None
    change: int | None = changes[0].value if changes else None
    if changes:
        total = (after or before)[0] if outside else None
        if total is None:
            warnings.append(f"line {line_no}: {cat} has a change (+{change}) but no total")
    elif paren_totals and outside:
        change, total = outside[0].value, paren_totals[0]
    elif before and after and delta_first:
        change, total = before[0].value, after[0]
    else:
        only = (after or before)[0] if outside else None
        if only is None:
            return None
        listy = bool(_LIST_SEP.search(seg)) or short_line
        if listy or mode == "total":
            total = only
        else:
            change = only.value
            if change > MAX_PLAUSIBLE:
                raise ParseError(f"implausible figure for {cat} ({change:,} or more)",
                                 line=line_no)
            return Figure(cat, None, change, only.qualifier, line_no, rounded=only.rounded)
    for value in (change, total.value if total is not None else None):
        if value is not None and value > MAX_PLAUSIBLE:
            raise ParseError(f"implausible figure for {cat} ({value:,} or more)", line=line_no)
    if total is None:
        return Figure(cat, None, change, None, line_no)
    return Figure(cat, total.value, change, total.qualifier, line_no, rounded=total.rounded)


def _match_label(norm: str, day: date) -> tuple[str, int] | None:
    """categories.match_label on normalised text, with one regex instead of one search per
    label (that loop was nine tenths of the parsing time)."""
    pattern, owners = _label_regex(_existing(day))
    m = pattern.search(norm)
    if m is None:
        return None
    return owners[m.group(0)], m.start()


@functools.lru_cache(maxsize=64)
def _existing(day: date) -> frozenset[str]:
    return frozenset(c.id for c in categories.CATEGORIES if c.exists_on(day))


@functools.cache
def _label_regex(existing: frozenset[str]) -> tuple[re.Pattern[str], dict[str, str]]:
    """The labels of the categories in `existing`, longest first, as one alternation (so the
    first match is the earliest and, there, the longest), and which category each names."""
    owners: dict[str, str] = {}
    for label, cat_id in categories._label_index():  # sorted longest first, then by id
        if cat_id in existing:
            owners.setdefault(label, cat_id)
    alternatives = "|".join(re.escape(label) for label in owners)
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])"), owners


def report_date_from_name(name: str) -> date | None:
    """The report date in a file name like `2024-11-14.en.txt`, if there is one."""
    m = re.search(r"(20\d\d)-(\d\d)-(\d\d)", name)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


__all__ = ["Bulletin", "Figure", "parse", "report_date_from_name"]

