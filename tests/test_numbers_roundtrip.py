"""Round trip: a count written in any form the checker supports, inside a loss sentence, is
found once, with its value, where it is written (issue 11).

Each form renders a count as news copy writes it ("12,345", "12 345", "21.6 thousand", "716k",
"two hundred and five", "1,2 тис.", "1 мільйон 209 880", "2 тысячи"...) into a short sentence
of our own in its language; the checker's number extraction (`attrition.check.numbers.find`)
must return exactly one number there, of that value, spanning the written form. Forms the
extraction gets wrong today are marked xfail(strict=True) with what goes wrong: when a form is
fixed its test XPASSes, which fails the run, and the mark is to be removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from attrition.check import LedgerView, check_text
from attrition.check.numbers import find

SENTENCES = {
    "en": ("Russia lost {} soldiers over the past day, the General Staff said.",
           "Kyiv says the Russian army has lost {} troops since the invasion began.",
           "{} Russian servicemen were killed or wounded, according to Ukraine's military."),
    "uk": ("За минулу добу росія втратила {} військових, повідомив Генштаб.",
           "Загалом ворог втратив {} осіб особового складу від початку вторгнення.",
           "{} окупантів знищили сили оборони, повідомили в Генштабі."),
    "ru": ("За сутки Россия потеряла {} военных, сообщил Генштаб ВСУ.",
           "Всего с начала вторжения противник потерял {} человек.",
           "{} российских военных были убиты или ранены, сообщили в Генштабе."),
}

EN_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen").split()
EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def en_words(n: int) -> str:
    """1..999,999 in English words: "two hundred and five", "twenty-one thousand"."""
    if n >= 1000:
        hi, lo = divmod(n, 1000)
        return en_words(hi) + " thousand" + (
            "" if not lo else (" and " if lo < 100 else " ") + en_words(lo))
    if n >= 100:
        hi, lo = divmod(n, 100)
        return EN_UNITS[hi] + " hundred" + ("" if not lo else " and " + en_words(lo))
    if n >= 20:
        hi, lo = divmod(n, 10)
        return EN_TENS[hi] + ("" if not lo else "-" + EN_UNITS[lo])
    return EN_UNITS[n]


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def decimal(n: int, unit: int, comma: bool = False) -> str:
    """n / unit with the decimals it needs and no trailing zeros: 21600/1000 -> "21.6"."""
    whole, rest = divmod(n, unit)
    digits = str(rest).rjust(len(str(unit)) - 1, "0").rstrip("0")
    return str(whole) + ((("," if comma else ".") + digits) if digits else "")


def slavic_plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def uk_thousands(n: int) -> str:
    hi = n // 1000
    return f"{hi} {slavic_plural(hi, 'тисяча', 'тисячі', 'тисяч')}"


def ru_thousands(n: int) -> str:
    hi = n // 1000
    return f"{hi} {slavic_plural(hi, 'тысяча', 'тысячи', 'тысяч')}"


def millions_compound(n: int, one: str, few: str, many: str) -> str:
    hi, lo = divmod(n, 1_000_000)
    return f"{hi} {slavic_plural(hi, one, few, many)} {grouped(lo, ' ')}"


@dataclass(frozen=True)
class Form:
    id: str
    language: str
    values: st.SearchStrategy[int]
    render: Callable[[int], str]
    broken: str | None = None
    """Why the number extraction gets this form wrong today (None: it gets it right)."""
    claim_broken: str | None = None
    """Why the checker reports no claim of that value for it today."""


def ints(lo: int, hi: int, step: int = 1, not_multiple_of: int | None = None
         ) -> st.SearchStrategy[int]:
    s = st.integers(lo // step, hi // step).map(lambda k: k * step)
    if not_multiple_of:
        s = s.filter(lambda v: v % not_multiple_of != 0)
    return s


FORMS = (
    Form("plain digits", "en", ints(1, 1899), str),
    Form("plain digits like a year: 2010 casualties", "en", ints(1900, 2099), str),
    Form("plain digits over 2099", "en", ints(2100, 99_999), str),
    Form("comma thousands 12,345", "en", ints(1000, 2_000_000), lambda v: grouped(v, ",")),
    Form("space thousands 12 345 (uk)", "uk", ints(1000, 2_000_000),
         lambda v: grouped(v, " ")),
    Form("no-break space thousands (uk)", "uk", ints(1000, 2_000_000),
         lambda v: grouped(v, "\u00a0")),
    Form("narrow no-break space thousands (uk)", "uk", ints(1000, 2_000_000),
         lambda v: grouped(v, "\u202f")),
    Form("thin space thousands (uk)", "uk", ints(1000, 2_000_000),
         lambda v: grouped(v, "\u2009")),
    Form("dot thousands 12.345 (uk)", "uk", ints(1000, 2_000_000),
         lambda v: grouped(v, "."),
         ),
    Form("space thousands 12 345 (ru)", "ru", ints(1000, 2_000_000),
         lambda v: grouped(v, " ")),
    Form("no-break space thousands (ru)", "ru", ints(1000, 2_000_000),
         lambda v: grouped(v, "\u00a0")),
    Form("x.y thousand", "en", ints(1100, 999_900, 100, not_multiple_of=1000),
         lambda v: decimal(v, 1000) + " thousand"),
    Form("x thousand", "en", ints(1000, 999_000, 1000), lambda v: f"{v // 1000} thousand"),
    Form("x.yz million", "en", ints(1_010_000, 9_990_000, 10_000, not_multiple_of=100_000),
         lambda v: decimal(v, 1_000_000) + " million"),
    Form("x.y million", "en", ints(1_100_000, 9_900_000, 100_000,
                                   not_multiple_of=1_000_000),
         lambda v: decimal(v, 1_000_000) + " million"),
    Form("716k", "en", ints(1000, 999_000, 1000), lambda v: f"{v // 1000}k"),
    Form("21.6k", "en", ints(1100, 99_900, 100, not_multiple_of=1000),
         lambda v: decimal(v, 1000) + "k"),
    Form("words under twenty", "en", ints(2, 19), en_words),
    Form("words twenty-one to ninety-nine", "en", ints(20, 99), en_words),
    Form("words with hundreds: two hundred and five", "en", ints(100, 999), en_words,
         ),
    Form("words with thousands: twelve thousand", "en", ints(1000, 99_000, 1000), en_words),
    Form("words with thousands and hundreds", "en", ints(1001, 99_999,
                                                         not_multiple_of=1000), en_words,
         ),
    Form("1,2 тис. (uk)", "uk", ints(1100, 99_900, 100, not_multiple_of=1000),
         lambda v: decimal(v, 1000, comma=True) + " тис."),
    Form("21 тисяча / 2 тисячі / 5 тисяч (uk)", "uk", ints(1000, 999_000, 1000), uk_thousands),
    Form("2 тисячі 109 (uk)", "uk", ints(1001, 999_999, not_multiple_of=1000),
         lambda v: uk_thousands(v) + f" {v % 1000}"),
    Form("1 мільйон 209 880 (uk)", "uk", ints(1_000_001, 1_999_999, not_multiple_of=1000),
         lambda v: millions_compound(v, "мільйон", "мільйони", "мільйонів")),
    Form("2 мільйони 209 880 (uk)", "uk", ints(2_000_001, 4_999_999, not_multiple_of=1000),
         lambda v: millions_compound(v, "мільйон", "мільйони", "мільйонів")),
    Form("5 мільйонів 209 880 (uk)", "uk", ints(5_000_001, 9_999_999, not_multiple_of=1000),
         lambda v: millions_compound(v, "мільйон", "мільйони", "мільйонів")),
    Form("1,2 млн (uk)", "uk", ints(1_100_000, 9_900_000, 100_000, not_multiple_of=1_000_000),
         lambda v: decimal(v, 1_000_000, comma=True) + " млн"),
    Form("1,2 тыс. (ru)", "ru", ints(1100, 99_900, 100, not_multiple_of=1000),
         lambda v: decimal(v, 1000, comma=True) + " тыс."),
    Form("2 тысячи / 5 тысяч (ru)", "ru", ints(1000, 999_000, 1000), ru_thousands),
    Form("2 тысячи 109 (ru)", "ru", ints(1001, 999_999, not_multiple_of=1000),
         lambda v: ru_thousands(v) + f" {v % 1000}"),
    Form("1 миллион 209 880 (ru)", "ru", ints(1_000_001, 9_999_999, not_multiple_of=1000),
         lambda v: millions_compound(v, "миллион", "миллиона", "миллионов")),
    Form("1,2 млн (ru)", "ru", ints(1_100_000, 9_900_000, 100_000, not_multiple_of=1_000_000),
         lambda v: decimal(v, 1_000_000, comma=True) + " млн"),
)


def check_once(sentence: str, written: str, value: int) -> None:
    at = sentence.index(written)
    got = [(n.value, n.text) for n in find(sentence)]
    assert len(got) == 1, f"{sentence!r}: want one number ({value}), found {got}"
    (n,) = find(sentence)
    assert n.value == value, f"{sentence!r}: {n.text!r} read as {n.value}, not {value}"
    # the whole written form, give or take an abbreviation's full stop
    assert n.start == at and n.end in (at + len(written), at + len(written.rstrip("."))), (
        f"{sentence!r}: found {n.text!r}, written {written!r}")


def _param(form: Form) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=form.broken)] if form.broken else []
    return pytest.param(form, id=form.id, marks=marks)


@pytest.mark.parametrize("form", [_param(f) for f in FORMS])
def test_a_count_in_every_form_is_found_once_with_its_value(form: Form) -> None:
    @settings(max_examples=40, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.filter_too_much],
              # a form known to be broken need not shrink its counterexample (slow)
              phases=[Phase.explicit, Phase.generate] if form.broken else list(Phase))
    @given(value=form.values, template=st.sampled_from(SENTENCES[form.language]))
    def round_trip(value: int, template: str) -> None:
        written = form.render(value)
        if template.startswith("{}"):
            written = written[0].upper() + written[1:]
        check_once(template.format(written), written, value)

    round_trip()


def test_the_renderers_write_what_they_claim() -> None:
    """(The forms are the test's own code: they must write the value they are given.)"""
    assert en_words(205) == "two hundred and five"
    assert en_words(21_000) == "twenty-one thousand"
    assert en_words(12_345) == "twelve thousand three hundred and forty-five"
    assert decimal(21_600, 1000) == "21.6" and decimal(1_250_000, 1_000_000) == "1.25"
    assert decimal(1_200, 1000, comma=True) == "1,2"
    assert uk_thousands(2000) == "2 тисячі" and uk_thousands(21_000) == "21 тисяча"
    assert uk_thousands(12_000) == "12 тисяч" and ru_thousands(3000) == "3 тысячи"
    assert millions_compound(1_209_880, "мільйон", "мільйони", "мільйонів") == \
        "1 мільйон 209 880"
    assert grouped(12_345, "\u00a0") == "12\u00a0345"


# -- the same forms, as claims of the whole checker ------------------------------------------

LOSS_SENTENCES = {
    "en": ("Russia lost {} soldiers over the past day, the General Staff said.",
           "Kyiv says the Russian army has lost {} troops since the invasion began."),
    "uk": ("За минулу добу ворог втратив {} осіб особового складу, повідомив Генштаб.",
           "Загалом з початку вторгнення росія втратила {} військових."),
    "ru": ("За сутки Россия потеряла {} военнослужащих, сообщил Генштаб ВСУ.",
           "Всего с начала вторжения Россия потеряла {} военных."),
}


@pytest.fixture(scope="module")
def ledger(loaded_db: str) -> LedgerView:
    from attrition.store.read import Reader

    with Reader(loaded_db) as r:
        return LedgerView(r.by_category(), r.corrections())


def _claim_param(form: Form) -> object:
    marks = ([pytest.mark.xfail(strict=True, reason=form.claim_broken or form.broken or "")]
             if form.claim_broken or form.broken else [])
    return pytest.param(form, id=form.id, marks=marks)


@pytest.mark.parametrize("form", [_claim_param(f) for f in FORMS])
def test_a_count_in_every_form_is_one_claim_of_its_value(form: Form, ledger: LedgerView
                                                         ) -> None:
    """`check_text` on a one-sentence loss report: one claim, at the number, of its value
    (whatever the verdict)."""
    broken = bool(form.claim_broken or form.broken)

    @settings(max_examples=15, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.filter_too_much],
              phases=[Phase.explicit, Phase.generate] if broken else list(Phase))
    @given(value=form.values, template=st.sampled_from(LOSS_SENTENCES[form.language]))
    def round_trip(value: int, template: str) -> None:
        written = form.render(value)
        sentence = template.format(written)
        at = sentence.index(written)
        claims = check_text(sentence, ledger, date(2024, 6, 10))["claims"]
        got = [(c["value"], c["text"]) for c in claims]
        assert len(got) == 1, f"{sentence!r}: want one claim ({value}), got {got}"
        (c,) = claims
        assert c["value"] == value, f"{sentence!r}: {c['text']!r} read as {c['value']}"
        assert c["span"][0] <= at < c["span"][1], f"{sentence!r}: claim at {c['text']!r}"

    round_trip()
