"""Numbers as news text writes them: "1 080", "719,240", "21.6 thousand", "1.17 million",
"716k", "1,2 тис.", "1,2 тыс.", "2 thousand 109", "1 мільйон 209 880", "nineteen",
"two dozen", "півтори тисячі", with the qualifier in front ("about", "more than", "понад",
"более") and the precision the text states.

The words (number words, scales, qualifiers) are data: rules/{en,uk,ru}.toml, each with a rule
id that the number records. Written by hand: number-parsing libraries read one number in
isolation; we need every number in a text, with its span, what is glued to it, and how precise
the writer meant it to be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from attrition.check import rules


@dataclass(frozen=True)
class Number:
    value: int
    start: int
    end: int
    text: str
    precision: int
    """The unit of the last digit the writer gave: 28,000 -> 1,000; 21.6 thousand -> 100;
    half a million -> 500,000; 1,403 -> 1."""
    written: str
    """digits | words | mixed"""
    qualifier: str | None = None
    qualifier_start: int | None = None
    rule_ids: tuple[str, ...] = ()
    """The rules that read it: a scale ("en.scale.thousand"), number words, a qualifier."""


class _Lazy:
    """A pattern compiled the first time it is used (most qualifiers never are in a text,
    and compiling all of them cost a cold start ~20 ms)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._rx: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        if self._rx is None:
            self._rx = re.compile(self.pattern, re.I)
        return self._rx.search(text)

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        if self._rx is None:
            self._rx = re.compile(self.pattern, re.I)
        return self._rx.match(text, pos)


@dataclass(frozen=True)
class _Lexicon:
    words: dict[str, tuple[int, str]]
    """number word -> (value, rule id)"""
    scales: dict[str, tuple[int, str]]
    """scale word as written after a space -> (value, rule id)"""
    owners: dict[tuple[str, str], str]
    """(word, language) -> that language's rule id, for words two languages share ("млн")"""
    attached: dict[str, tuple[int, str, bool]]
    """scale letter glued to the digits ("716k") -> (value, rule id, decimals only)"""
    phrases: dict[str, tuple[int, int, str]]
    """fixed phrase -> (value, precision, rule id)"""
    qualifiers: tuple[tuple[_Lazy, str, str, _Lazy | None], ...]
    """(pattern ending where the number starts, canonical qualifier, rule id, what must
    follow the number for the qualifier to hold: "passed the 1 million *mark*")"""
    qual_ends: frozenset[str]
    """the last word of every qualifier: a number after any other word has none"""
    number: re.Pattern[str]
    joiners: dict[str, str]
    """word -> rule id: words between a scale and the rest of a number ("two hundred and five")"""
    range_scale: re.Pattern[str]
    """the rest of a range whose scale is written once, after its upper end ("711–712 тис."):
    the lower end is in that scale too"""


_DIGITS = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){2,}(?![.,]?\d)"
           r"|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+|\d+(?:[.,]\d+)?")


@cache
def lexicon() -> _Lexicon:
    """Every language's number words at once: an article quotes across languages, and a
    figure's form does not depend on which language the article is mostly in."""
    words: dict[str, tuple[int, str]] = {}
    owners: dict[tuple[str, str], str] = {}
    for r in rules.of_kind("number_word"):
        for w, v in r.data["values"].items():
            words.setdefault(w.lower(), (int(v), r.id))
            owners.setdefault((w.lower(), r.lang), r.id)
    scales: dict[str, tuple[int, str]] = {}
    attached: dict[str, tuple[int, str, bool]] = {}
    for r in rules.of_kind("scale"):
        for w in r.words:
            if r.data.get("attached"):
                attached.setdefault(w, (int(r.data["value"]), r.id,
                                        bool(r.data.get("decimal_only"))))
            else:
                scales.setdefault(w.lower(), (int(r.data["value"]), r.id))
            owners.setdefault((w.lower(), r.lang), r.id)
    phrases: dict[str, tuple[int, int, str]] = {}
    for r in rules.of_kind("phrase"):
        for w in r.words:
            v = int(r.data["values"][w])
            phrases.setdefault(w.lower(), (v, int(r.data.get("precision", v)), r.id))
            owners.setdefault((w.lower(), r.lang), r.id)
    quals = tuple((_Lazy(rf"(?:^|[\s(“\"'«])(?:{rules.alternation(r.words)})\s*$"),
                   str(r.data["qualifier"]), r.id,
                   _Lazy(str(r.data["then"])) if "then" in r.data else None)
                  for r in rules.of_kind("qualifier"))
    scale_alt = rules.alternation(list(scales))
    thousand = rules.alternation([w for w, (v, _) in scales.items() if v == 1000])
    million = rules.alternation([w for w, (v, _) in scales.items() if v == 1_000_000])
    word_alt = rules.alternation(list(words))
    phrase_alt = rules.alternation(list(phrases))
    attached_alt = rules.alternation(list(attached))
    joiners = {w.lower(): r.id for r in rules.of_kind("number_joiner") for w in r.words}
    joiner_alt = rules.alternation(sorted(joiners)) if joiners else "(?!)"
    end = r"(?![\w'’])"
    number = re.compile(
        # \b first: only where a word starts (twice as fast; and "M142", "2S19" are models)
        rf"\b(?:(?P<compound>(?P<c_hi>\d+)\s+(?P<c_sc>{thousand})\s+(?P<c_lo>\d{{1,3}})"
        rf"(?!\d|[.,]\d))"
        rf"|(?P<mil>(?P<m_hi>\d+)\s+(?P<m_sc>{million})\s+(?P<m_lo>\d{{1,3}}(?:[ \u00a0]\d{{3}})*)"
        rf"(?!\d|[.,]\d))"
        rf"|(?P<phrase>{phrase_alt}){end}(?!\s+of\b)"
        rf"|(?P<digits>{_DIGITS})(?:(?P<att>{attached_alt})(?!\w)|\s*(?P<mult>{scale_alt})"
        rf"(?:(?<=\.)|(?!\w)))?"
        # a chain of number words, scales and joiners ("two hundred and five", "двісті
        # сорок три тисячі"): _words_value reads its longest well-formed prefix
        rf"|(?<![\w'’-])(?P<words>(?:{word_alt}){end}(?:(?:[- ]|\s+|\s+(?:{joiner_alt})\s+)"
        rf"(?:{word_alt}|{scale_alt}){end})*))",
        re.I)
    ends = frozenset(w.split()[-1].lower() for r in rules.of_kind("qualifier") for w in r.words)
    range_scale = re.compile(rf"\s*[–—-]\s*(?:{_DIGITS})\s*(?P<mult>{scale_alt})(?:(?<=\.)|(?!\w))",
                             re.I)
    return _Lexicon(words, scales, owners, attached, phrases, quals, ends,
                    rules.guarded(number), joiners, range_scale)  # (same matches, ~30% faster)


def _precision_of_int(n: int) -> int:
    if n == 0:
        return 1
    p = 1
    while n % (p * 10) == 0:
        p *= 10
    return p


_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_SPACED = re.compile(r"\d{1,3}(?: \d{3})+")
_GROUPED_DEC = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+")
_DECIMAL = re.compile(r"(\d+)[.,](\d+)")
_DOTTED = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")


def _digits_value(raw: str) -> tuple[float, int] | None:
    """(value, decimals) of a digit group; None for things like "1.2.3"."""
    s = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    if len(s) > 15:
        return None  # a run of digits no count comes near (and no float holds)
    if _GROUPED.fullmatch(s):
        return float(s.replace(",", "")), 0
    if _SPACED.fullmatch(s):
        return float(s.replace(" ", "")), 0
    if _DOTTED.fullmatch(s):
        return float(s.replace(".", "")), 0
    if _GROUPED_DEC.fullmatch(s):
        whole, dec = s.replace(",", "").split(".")
        return float(f"{whole}.{dec}"), len(dec)
    m = _DECIMAL.fullmatch(s)
    if m:
        return float(f"{m[1]}.{m[2]}"), len(m[2])
    if s.isdigit():
        return float(s), 0
    return None


def _words_value(words: str, lex: _Lexicon
                 ) -> tuple[int, int, int, tuple[str, ...]] | None:
    """(value, precision, characters read, rule ids) of the longest well-formed prefix of a
    chain of number words: "двісті сорок три" (hundreds, tens, units, each at most once),
    "two hundred and five", "twelve thousand three hundred". None if not even the first word
    reads."""
    best: tuple[int, int, int, tuple[str, ...]] | None = None
    total, group, room, scaled, last_scale = 0, 0, 1000, False, 10 ** 18
    ids: list[str] = []
    pending_joiner = after_scale = False
    joiner_id = ""
    for tok in re.finditer(r"[^\s-]+", words):
        w = tok.group(0).lower()
        if w in lex.joiners:
            # "and" only after a scale and before more words: "hundred and five"
            if pending_joiner or not after_scale:
                break
            pending_joiner = True
            joiner_id = lex.joiners[w]
            continue
        if w in lex.words:
            v, rid = lex.words[w]
            place = 100 if v >= 100 else 10 if v >= 20 else 1
            if place >= room or (place == 100 and v % 100) or (place == 10 and v % 10):
                break
            group += v
            room = place if place > 1 or v >= 10 else 1
            if v >= 10 and place == 1:
                room = 0  # "сімнадцять" takes no units after it
        elif w in lex.scales and not pending_joiner:
            scale, rid = lex.scales[w]
            if scale == 100:
                if not 0 < group < 100:  # "two hundred", "fifteen hundred"
                    break
                group *= 100
                room = 100
            else:
                if scale >= last_scale or not 0 < group < 1000:
                    break
                total += group * scale
                group, room, last_scale = 0, 1000, scale
            scaled = True
        else:
            break
        after_scale = w in lex.scales
        if pending_joiner:
            ids.append(joiner_id)
        pending_joiner = False
        ids.append(rid)
        value = total + group
        precision = _precision_of_int(value) if scaled else 1
        best = (value, precision, tok.end(), tuple(dict.fromkeys(ids)))
    return best


_LAST_WORD = re.compile(r"(\w+)[\s(“\"'«]*\Z")


@cache
def _qualifiers(lang: str) -> tuple[tuple[_Lazy, str, str, _Lazy | None], ...]:
    """The qualifiers, the text's own language's first ("без малого" is Ukrainian and
    Russian)."""
    return tuple(sorted(lexicon().qualifiers, key=lambda q: not q[2].startswith(f"{lang}.")))


def _own(lex: _Lexicon, m: re.Match[str], rid: str, lang: str) -> str:
    """The text's own language's rule for a word two languages share."""
    if rid.startswith(f"{lang}."):
        return rid
    kind = rid.split(".")[1]
    words = re.split(r"[\s-]+", m["words"].lower()) if m["words"] else []
    if kind == "num":
        for part in words:
            own = lex.owners.get((part, lang))
            if own is not None and lex.words.get(part, (0, ""))[1] == rid:
                return own
    for w in (m["mult"], m["c_sc"], m["m_sc"], m["phrase"], *words):
        if w:
            own = lex.owners.get((w.lower(), lang))
            if own is not None and own.split(".")[1] == kind:
                return own
    return rid


def find(text: str, lang: str = "en") -> list[Number]:
    """Every number in `text` with its span, precision and qualifier; `lang` (the text's
    language) says whose rule read a word that two languages share."""
    lex = lexicon()
    quals = _qualifiers(lang)
    out: list[Number] = []
    pos = 0
    while (m := lex.number.search(text, pos)) is not None:
        pos = end = m.end()
        value: int
        precision: int
        written = "digits"
        ids: tuple[str, ...] = ()
        if m["compound"]:
            scale, rid = lex.scales[m["c_sc"].lower()]
            value = int(m["c_hi"]) * scale + int(m["c_lo"])
            precision, written, ids = 1, "mixed", (rid,)
        elif m["mil"]:
            scale, rid = lex.scales[m["m_sc"].lower()]
            value = int(m["m_hi"]) * scale + int(re.sub(r"\D", "", m["m_lo"]))
            precision, written, ids = 1, "mixed", (rid,)
        elif m["phrase"]:
            value, precision, rid = lex.phrases[m["phrase"].lower()]
            written, ids = "words", (rid,)
        elif m["digits"]:
            parsed = _digits_value(m["digits"])
            if parsed is None:
                continue
            num, decimals = parsed
            mult = 1
            if m["att"]:
                mult, rid, decimal_only = lex.attached[m["att"]]
                if decimal_only and not decimals:
                    continue  # "5m" is five metres as often as five million
                ids = (rid,)
            elif m["mult"]:
                mult, rid = lex.scales[m["mult"].lower()]
                ids = (rid,)
            elif (rng := lex.range_scale.match(text, end)) is not None:
                mult, rid = lex.scales[rng["mult"].lower()]  # "711–712 тис.": 711,000
                if mult < 1000:
                    mult = 1  # "5-6 hundred" is rare; "2-3 сотні" is no count of losses
                else:
                    ids = (rid,)
            if decimals == 3 and mult == 1 and "." in m["digits"] and "," not in m["digits"]:
                num, decimals = float(m["digits"].replace(".", "")), 0  # "12.345" (uk, ru)
            elif decimals and mult == 1:
                continue  # a decimal without a multiplier is a rate, not a count
            value = round(num * mult)
            # "600 тисяч" is as round as "600,000": the mantissa's own zeros count
            precision = max(1, mult // (10 ** decimals)) * (
                1 if decimals else _precision_of_int(round(num))) if mult > 1 else \
                _precision_of_int(value)
            if mult > 1:
                written = "mixed"
        else:
            parsed_words = _words_value(m["words"], lex)
            if parsed_words is None:
                continue
            value, precision, length, ids = parsed_words
            written = "words"
            pos = end = m.start("words") + length
        qualifier, qstart = None, None
        before = text[max(0, m.start() - 40): m.start()]
        last = _LAST_WORD.search(before)
        for pattern, name, rid, then in (quals if last and last.group(1).lower() in
                                         lex.qual_ends else ()):
            qm = pattern.search(before)
            if qm and (then is None or then.match(text, end)):
                qualifier = name
                qstart = m.start() - (len(before) - qm.start()) + (
                    1 if before[qm.start():qm.start() + 1] in " (“\"'«" else 0)
                ids = (*ids, rid)
                break
        ids = tuple(_own(lex, m, rid, lang) for rid in ids)
        out.append(Number(value, m.start(), end, text[m.start():end], precision, written,
                          qualifier, qstart, ids))
    return out
