"""The words people read outside the briefs' sentences, in English and Ukrainian, in one
place: category headings, chart texts, verdict names and the notes beside them.

Pages, charts and the monitor look their words up here by key and language, so that a
`?lang=uk` page or chart is Ukrainian throughout and a missing translation is a test failure
(tests/test_web_uk.py), not an English string on a Ukrainian page. Ids (`tanks`,
`contradicted`) stay in JSON and CSV; these are the words shown beside them.
"""

from __future__ import annotations

from attrition import categories

LANGS = ("en", "uk")

# Ukrainian: the bulletin's genitive labels after a number ("танків – 9 463") are the
# registry's (`categories`); the nominative forms for headings, cards and chart titles
# ("Танки") are these. One table, by category and aggregate.
UK_NOMINATIVE = {
    "personnel": "Особовий склад", "tanks": "Танки", "afv": "Бойові броньовані машини",
    "artillery": "Артилерійські системи", "mlrs": "РСЗВ", "air_defense": "Засоби ППО",
    "aircraft": "Літаки", "helicopters": "Гелікоптери",
    "uav": "БПЛА оперативно-тактичного рівня", "cruise_missiles": "Крилаті ракети",
    "ships": "Кораблі / катери", "submarines": "Підводні човни",
    "vehicles_fuel_tanks": "Автомобільна техніка та автоцистерни",
    "special_equipment": "Спеціальна техніка",
    "ground_robotic_systems": "Наземні робототехнічні комплекси",
    "military_auto": "Автомобільна техніка", "fuel_tanks": "Цистерни з ПММ",
    "srbm_systems": "Пускові установки ОТРК",
    "vehicles": "Танки, ББМ, автомобільна техніка та автоцистерни разом",
    "armour": "Танки та ББМ разом",
    "artillery_all": "Артилерійські системи та РСЗВ разом",
    "equipment": "Техніка без БПЛА та крилатих ракет",
    "equipment_all": "Уся техніка, разом з БПЛА та ракетами",
}


def uk_form(n: int, forms: tuple[str, str, str]) -> str:
    """The form a Ukrainian noun takes after `n`: (1, 21, 101 …; 2–4, 22–24 …; 0, 5–20,
    25–30, 111–114 …). (A brief never sets a category's name after a number: it writes the
    bulletin's "танків – 30", right for every number, and "Кількість ... – 161" for a sum.)"""
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def heading(name: str, lang: str) -> str:
    """A category's or aggregate's name as a heading or a chart title: "tanks" / "Танки"."""
    if lang == "uk" and name in UK_NOMINATIVE:
        return UK_NOMINATIVE[name]
    cat = categories.BY_ID.get(name)
    if cat is not None:
        return cat.en
    agg = next((a for a in categories.BUILTIN_AGGREGATES if a.id == name), None)
    return agg.en if agg is not None else name.replace("_", " ")


VERDICTS: dict[str, dict[str, str]] = {
    # the checker's verdict ids, as a reader sees them
    "supported": {"en": "supported", "uk": "підтверджено"},
    "rounded": {"en": "rounded", "uk": "округлено"},
    "contradicted": {"en": "contradicted", "uk": "суперечить"},
    "mislabeled": {"en": "mislabeled", "uk": "інша категорія"},
    "wrong_date": {"en": "wrong date", "uk": "інша дата"},
    "unverifiable": {"en": "unverifiable", "uk": "неможливо перевірити"},
}


VERDICT_WORDS = {
    # a verdict in words on a claim's page (English: attrition.check.claimreview's)
    "uk": {"supported": "збігається з даними Генерального штабу",
           "rounded": "чесне округлення даних Генерального штабу",
           "wrong_date": "дані Генерального штабу за інший день",
           "mislabeled": "дані Генерального штабу для іншої категорії",
           "contradicted": "не збігається з даними Генерального штабу",
           "unverifiable": "неможливо перевірити за зведеннями Генерального штабу"},
}


def verdict(v: str, lang: str) -> str:
    return VERDICTS.get(v, {}).get(lang, v.replace("_", " "))


CHART: dict[str, dict[str, str]] = {
    "en": {
        "whose": "Russian losses claimed by Ukraine's General Staff",
        "source": "Source: General Staff of the Armed Forces of Ukraine, daily reports; "
                  "ledger resolved by attrition. Official Ukrainian claims, not independently "
                  "verified; personnel counts killed and wounded.",
        "reports": "reports {first} to {last}",
        "before": "before {since}: {words}", "earlier": "earlier: {words}",
        "daily": "daily change", "mean7": "7-day mean", "cumulative": "cumulative total",
        "xlabel": "report date (each covers the losses of the day before)",
        "correction": "correction (not counted)",
        "two_day": "two-day figure (not counted)",
        "stale": "repeated total (not counted)",
        "break": "level break (counting changed)",
        "at_correction": "{day}: a correction, not a day's loss",
        "at_two_day": "{day}: {value} over two days, not a record",
        "at_stale": "{day}: repeats the report before",
        "note": "Not counted as a day's losses: {items}.",
        "note_correction": "corrections (reclassified, drawn as 0) on {days}",
        "note_two_day": "two-day figures (the report before repeated its total) on {days}",
        "note_stale": "repeated totals on {days}",
        "more": "and {n} more",
        "disputed": "disputed (the sources disagree)",
        "at_disputed": "{day}: {value}, disputed",
        "note_disputed": "Disputed (the sources disagree and nothing settles the total, this "
                         "report's or the one before's; no record): {days}.",
        "compare_title": "Claimed (General Staff) and visually confirmed (Oryx)",
        "claimed": "claimed (General Staff)", "confirmed": "visually confirmed (Oryx)",
        "oryx_ends": "Oryx data ends {day}",
        "confirmed_caveat": "Confirmed counts are a floor, not a ceiling: each loss needs a "
                            "photo or video, and Oryx dates a loss by when its scraper first "
                            "saw it.",
    },
    "uk": {
        "whose": "Втрати Росії за даними Генерального штабу ЗСУ",
        "source": "Джерело: Генеральний штаб Збройних сил України, щоденні зведення; реєстр "
                  "зведено програмою attrition. Це офіційні дані української сторони, не "
                  "перевірені незалежно; втрати особового складу — це вбиті та поранені.",
        "reports": "зведення з {first} по {last}",
        "before": "до {since}: {words}", "earlier": "раніше: {words}",
        "daily": "зміна за добу", "mean7": "середнє за 7 днів",
        "cumulative": "загальна кількість",
        "xlabel": "дата зведення (кожне подає втрати за попередню добу)",
        "correction": "виправлення (не враховано)",
        "two_day": "дані за дві доби (не враховано)",
        "stale": "повтор підсумку (не враховано)",
        "break": "злам рівня (змінився підрахунок)",
        "at_correction": "{day}: виправлення, а не втрати за добу",
        "at_two_day": "{day}: {value} за дві доби, не рекорд",
        "at_stale": "{day}: повторює попереднє зведення",
        "note": "Не враховано як втрати за добу: {items}.",
        "note_correction": "виправлення (перекласифікація, показано як 0) – {days}",
        "note_two_day": "дані за дві доби (попереднє зведення повторило підсумок) – {days}",
        "note_stale": "повтор підсумку – {days}",
        "more": "і ще {n}",
        "disputed": "спірні дані (джерела розходяться)",
        "at_disputed": "{day}: {value}, спірні дані",
        "note_disputed": "Спірні дані (джерела розходяться, і ніщо не встановлює підсумок "
                         "цього або попереднього зведення; не рекорд): {days}.",
        "compare_title": "Заявлено (Генштаб) і візуально підтверджено (Oryx)",
        "claimed": "заявлено (Генштаб)", "confirmed": "візуально підтверджено (Oryx)",
        "oryx_ends": "дані Oryx до {day}",
        "confirmed_caveat": "Підтверджені втрати — нижня межа, а не верхня: кожна потребує "
                            "фото чи відео, а Oryx датує втрату днем, коли її вперше побачив "
                            "його збирач даних.",
    },
}

MONTHS_SHORT = {"uk": ("січ", "лют", "бер", "кві", "тра", "чер", "лип", "сер", "вер", "жов",
                       "лис", "гру")}
"""Month abbreviations on a chart's date axis (English ones are matplotlib's own)."""


def number(v: float, lang: str, decimals: int = 0, sign: bool = False) -> str:
    """1,351.4 in English, 1 351,4 in Ukrainian (a no-break space groups the thousands)."""
    text = f"{v:{'+' if sign else ''},.{decimals}f}"
    if lang == "uk":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "\u2212")


CHECK: dict[str, str] = {
    # what the checker's readings and reasons say, for a Ukrainian page (the checker writes
    # them in English; these are made from the same fields of its JSON)
    "change": "зміна – {what}, зведення від {end} (втрати за {covers}): {value}",
    "total": "загалом – {what}, від 24 лютого 2022 року до зведення від {end}: {value}",
    "average": "середнє за добу – {what}, зведення з {start} по {end}: {value}",
    "window": "сума змін за добу – {what}, зведення з {start} по {end}: {value}",
    "no_data": "немає даних",
    "contradicted": "у реєстрі {actual}",
    "mislabeled": "{value} – це дані іншої категорії: {category}",
    "wrong_date": "{value} – це дані іншого зведення",
    "unverifiable": "неможливо перевірити за зведеннями Генерального штабу",
    "note": "Це офіційні дані української сторони, не перевірені незалежно.",
    "note_oryx": "Кількість візуально підтверджених втрат (Oryx), перевірена за вбудованими "
                 "даними підтверджень.",
    "note_personnel": "Втрати особового складу — це вбиті та поранені.",
    "verdict_words": "{verdict}: {why}",
}
"""A check's readings and reasons in Ukrainian (English ones are the checker's own)."""


def reading_uk(e: dict[str, object]) -> str:
    """One reading of the ledger (a check claim's or evidence's `category`, `components`,
    `measure`, `from`, `to`, `value`) in Ukrainian."""
    from datetime import date, timedelta

    raw = e.get("components")
    comps = [str(c) for c in raw] if isinstance(raw, list) and raw else [str(e.get("category"))]
    what = " + ".join(heading(c, "uk") for c in comps)
    value = e.get("value")
    end = date.fromisoformat(str(e["to"]))
    shown = number(value, "uk") if isinstance(value, int) else CHECK["no_data"]
    measure = str(e.get("measure"))
    return CHECK.get(measure, CHECK["window"]).format(
        what=what, end=end.isoformat(), covers=(end - timedelta(days=1)).isoformat(),
        start=e.get("from"), value=shown)


BASIS_UK: dict[str, str] = {
    # the bundled crosswalk's basis of each line (data/crosswalk.toml) in Ukrainian, by its
    # English text: a user's own crosswalk, in its own words, shows them as written
    'Like for like: main battle tanks on both sides.':
        'Одне й те саме: основні бойові танки в обох джерелах.',
    ('The ministry\'s "armoured fighting vehicles" (ББМ) counts every armoured vehicle '
     "that is not a tank, so Oryx's AFVs, IFVs, APCs and MRAPs are summed; infantry "
     'mobility vehicles (Tigr, Typhoon) are armoured and are included too. '
     'Self-propelled anti-tank missile systems are not: the ministry does not say where '
     'it counts them.'):
        ('«Бойові броньовані машини» (ББМ) міністерства — уся броньована техніка, крім '
         'танків, тож бойові броньовані машини, БМП, БТР і машини з протимінним захистом '
         'за Oryx додано разом; броньовані автомобілі (Тигр, Тайфун) теж броньовані й '
         'також враховані. Самохідні протитанкові ракетні комплекси — ні: міністерство '
         'не каже, де їх рахує.'),
    'Towed and self-propelled guns and howitzers; rocket artillery is its own line.':
        'Причіпні та самохідні гармати й гаубиці; реактивна артилерія — окремий рядок.',
    ('Oryx renamed "Multiple Rocket Launchers" to "Rocket and Missile Artillery" on '
     '2025-06-27; the two are one series.'):
        ('Oryx 2025-06-27 перейменував свій розділ реактивних систем залпового вогню на '
         '«ракетну артилерію»; це один ряд.'),
    ('The ministry\'s "anti-aircraft warfare systems" is read as every air-defence '
     'weapon: SAM systems, self-propelled and towed anti-aircraft guns. Oryx counts each '
     'SAM vehicle (launcher, radar, loader) on its own; the ministry may count a battery '
     'once.'):
        ('«Засоби ППО» міністерства прочитано як усю зброю протиповітряної оборони: '
         'зенітні ракетні комплекси, самохідні й причіпні зенітні гармати. Oryx рахує '
         'кожну машину ЗРК (пускову установку, радар, транспортно-заряджальну машину) '
         'окремо; міністерство може рахувати батарею один раз.'),
    'Fixed-wing aircraft on both sides.':
        'Літаки в обох джерелах.',
    'Like for like.':
        'Одне й те саме.',
    ('Oryx lists ships and submarines under one heading, so they are compared with the '
     "ministry's warships / boats plus submarines."):
        ('Oryx подає кораблі й підводні човни в одному розділі, тож їх порівняно з '
         'кораблями / катерами та підводними човнами міністерства разом.'),
    ("Unarmoured vehicles. The ministry's figure includes fuel tankers; Oryx's heading "
     'was renamed to add trains in May 2025.'):
        ('Неброньована техніка. Дані міністерства включають автоцистерни; у травні 2025 '
         'року Oryx додав до назви свого розділу потяги.'),
    ('The ministry never defined "special equipment"; engineering, command, radar, '
     'electronic-warfare and artillery-support vehicles are the nearest Oryx headings. A '
     'loose match: read the ratio with care.'):
        ('Міністерство ніколи не визначало «спеціальну техніку»; найближчі розділи Oryx '
         '— інженерна техніка, командні пункти, радари, засоби РЕБ і машини '
         'артилерійського забезпечення. Нестроге зіставлення: співвідношення слід читати '
         'обережно.'),
    ('Not the same basis: the ministry counts operational-tactical drones by the '
     'thousand, Oryx only the larger reconnaissance and combat UAVs it can identify. The '
     'ratio says how far apart the bases are, not how reliable either is.'):
        ('Різні основи: міністерство рахує оперативно-тактичні дрони тисячами, Oryx — '
         'лише більші розвідувальні й ударні БПЛА, які може ідентифікувати. '
         'Співвідношення показує, наскільки різняться основи, а не наскільки надійне '
         'кожне з джерел.'),
    ('The ministry reports ground robotic systems only from 2026-05-03, after the '
     'confirmed snapshot ends: no period overlaps.'):
        ('Міністерство повідомляє про наземні робототехнічні комплекси лише з '
         '2026-05-03, після кінця знімка підтверджених втрат: періоди не перетинаються.'),
}
