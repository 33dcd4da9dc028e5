"""Numbers as news text writes them: "1 080", "719,240", "21.6 thousand", "1.17 million",
"2 thousand 109", "1 мільйон 209 880", "nineteen", "two dozen", "півтори тисячі", with the
qualifier in front ("about", "more than", "понад") and the precision the text states.

Written by hand: number-parsing libraries read one number in isolation; we need every number
in a text, with its span, what is glued to it, and how precise the writer meant it to be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS_EN = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
UNITS_UK = {
    "один": 1, "одна": 1, "одне": 1, "одну": 1, "одного": 1, "два": 2, "дві": 2, "двох": 2,
    "три": 3, "трьох": 3, "чотири": 4, "чотирьох": 4, "п'ять": 5, "п’ять": 5, "шість": 6,
    "сім": 7, "вісім": 8, "дев'ять": 9, "дев’ять": 9, "десять": 10, "одинадцять": 11,
    "дванадцять": 12, "тринадцять": 13, "чотирнадцять": 14, "п'ятнадцять": 15,
    "двадцять": 20, "тридцять": 30, "сорок": 40, "п'ятдесят": 50,
}
DOZEN = {"a dozen": 12, "dozen": 12, "two dozen": 24, "three dozen": 36}

MULTIPLIERS = {
    "thousand": 1_000, "тис": 1_000, "тис.": 1_000, "тисяч": 1_000, "тисячі": 1_000,
    "тисяча": 1_000, "k": 1_000, "million": 1_000_000, "мільйон": 1_000_000,
    "мільйона": 1_000_000, "мільйонів": 1_000_000, "млн": 1_000_000, "млн.": 1_000_000,
    "billion": 1_000_000_000, "млрд": 1_000_000_000,
}

QUALIFIERS: tuple[tuple[str, str], ...] = (
    # (pattern before the number, canonical qualifier)
    (r"more than|over|upwards of|in excess of|beyond|above|exceeded|exceeds|exceeding|topped|"
     r"понад|більше ніж|більш ніж|більше за|більш як|понад як", "over"),
    (r"at least|no fewer than|no less than|щонайменше|принаймні|не менше ніж", "at least"),
    (r"nearly|almost|just under|just shy of|close to|nearing|approaching|майже|"
     r"без малого|ледь не", "nearly"),
    (r"less than|fewer than|under|below|менше ніж|менш ніж", "under"),
    (r"up to|as many as", "up to"),
    (r"about|around|approximately|roughly|some|an estimated|estimated|circa|"
     r"близько|приблизно|орієнтовно", "about"),
)
_QUAL_RE = [(re.compile(rf"(?:^|[\s(“\"'])(?:{p})\s*$", re.I), q) for p, q in QUALIFIERS]

_SEP = "[,\u00a0\u202f\u2009 ]"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+|\d+(?:[.,]\d+)?"
_MULT = r"thousand|million|billion|тис\.?|тисяч[аі]?|мільйон[аів]*|млн\.?|млрд"
_WORD_UNITS = "|".join(sorted((re.escape(w) for w in {**UNITS_EN, **UNITS_UK}), key=len,
                              reverse=True))

NUMBER = re.compile(
    # \b first: only where a word starts (twice as fast; and "M142", "2S19" are models)
    rf"\b(?:(?P<compound>(?P<c_hi>\d+)\s+(?:thousand|тисяч[аі]?|тис\.?)\s+(?P<c_lo>\d{{1,3}})(?!\d|[.,]\d))"
    rf"|(?P<mil>(?P<m_hi>\d+)\s+мільйон\w*\s+(?P<m_lo>\d{{1,3}}(?:[ \u00a0]\d{{3}})*))"
    rf"|(?P<half>half a million|пів мільйона|півмільйона)"
    rf"|(?P<poltora>півтори тисячі|півтори тис\.?)"
    rf"|(?P<dozen>(?:a |two |three )?dozens?\b)(?!\s+of\b)"
    rf"|(?P<digits>{_DIGITS})(?:\s*(?P<mult>{_MULT})\b)?"
    rf"|(?<![\w'’-])(?P<words>(?:{_WORD_UNITS})(?:[- ](?:{_WORD_UNITS}))?)"
    rf"(?:\s+(?P<wmult>thousand|million|тисяч[аі]?|мільйон\w*))?(?![\w'’]))",
    re.I,
)


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


def _precision_of_int(n: int) -> int:
    if n == 0:
        return 1
    p = 1
    while n % (p * 10) == 0:
        p *= 10
    return p


def _digits_value(raw: str) -> tuple[float, int] | None:
    """(value, decimals) of a digit group; None for things like "1.2.3"."""
    s = raw.replace("\u00a0", "").replace("\u202f", "").replace("\u2009", "")
    if len(s) > 15:
        return None  # a run of digits no count comes near (and no float holds)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        return float(s.replace(",", "")), 0
    if re.fullmatch(r"\d{1,3}(?: \d{3})+", s):
        return float(s.replace(" ", "")), 0
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+", s):
        whole, dec = s.replace(",", "").split(".")
        return float(f"{whole}.{dec}"), len(dec)
    if re.fullmatch(r"\d+[.,]\d+", s):
        whole, dec = re.split(r"[.,]", s)
        return float(f"{whole}.{dec}"), len(dec)
    if s.isdigit():
        return float(s), 0
    return None


def _words_value(words: str) -> int | None:
    parts = re.split(r"[- ]", words.lower())
    table = {**UNITS_EN, **UNITS_UK}
    vals = [table.get(p) for p in parts]
    if any(v is None for v in vals):
        return None
    if len(vals) == 2:
        a, b = vals
        assert a is not None and b is not None
        if a % 10 == 0 and a >= 20 and b < 10:
            return a + b
        return None
    return vals[0]


def find(text: str) -> list[Number]:
    """Every number in `text` with its span, precision and qualifier."""
    out: list[Number] = []
    for m in NUMBER.finditer(text):
        value: int
        precision: int
        written = "digits"
        if m["compound"]:
            value = int(m["c_hi"]) * 1000 + int(m["c_lo"])
            precision, written = 1, "mixed"
        elif m["mil"]:
            value = int(m["m_hi"]) * 1_000_000 + int(re.sub(r"\D", "", m["m_lo"]))
            precision, written = 1, "mixed"
        elif m["half"]:
            value, precision, written = 500_000, 500_000, "words"
        elif m["poltora"]:
            value, precision, written = 1500, 500, "words"
        elif m["dozen"]:
            key = m["dozen"].lower().rstrip("s")
            value = DOZEN.get(key, 12)
            precision, written = (12 if key == "dozen" else value), "words"
        elif m["digits"]:
            parsed = _digits_value(m["digits"])
            if parsed is None:
                continue
            num, decimals = parsed
            mult = MULTIPLIERS.get((m["mult"] or "").lower().rstrip("."), 1) if m["mult"] \
                else 1
            if m["mult"] and mult == 1:
                mult = MULTIPLIERS.get(m["mult"].lower(), 1)
            if decimals and mult == 1:
                if "," in m["digits"] and "." not in m["digits"]:
                    continue  # "3,5" is not a count in English; let the caller skip it
                continue  # a decimal without a multiplier is a rate, not a count
            value = round(num * mult)
            precision = (mult // (10 ** decimals)) if mult > 1 else _precision_of_int(value)
            if mult > 1:
                written = "mixed"
        else:
            v = _words_value(m["words"])
            if v is None:
                continue
            mult = 1
            if m["wmult"]:
                w = m["wmult"].lower()
                mult = 1_000_000 if w.startswith(("million", "мільйон")) else 1_000
            value, precision, written = v * mult, (mult if mult > 1 else 1), "words"
        qualifier, qstart = None, None
        before = text[max(0, m.start() - 40): m.start()]
        for pattern, name in _QUAL_RE:
            qm = pattern.search(before)
            if qm:
                qualifier = name
                qstart = m.start() - (len(before) - qm.start()) + (
                    1 if before[qm.start():qm.start() + 1] in " (“\"'" else 0)
                break
        out.append(Number(value, m.start(), m.end(), m.group(0), precision, written,
                          qualifier, qstart))
    return out
