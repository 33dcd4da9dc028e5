"""The errors a person meets on the dashboard, in Ukrainian for `?lang=uk` pages.

The library's errors are English sentences (the CLI and the JSON API print them as they
are). A page in Ukrainian should not switch language in its one important line, so the
messages a reader can cause (a mistyped date, week or month, a date without a report, a
category that does not exist, an article that cannot be read or fetched) are matched here
and said in Ukrainian, with the values they carry. A message not listed stays in English
rather than being guessed at.
"""

from __future__ import annotations

import re

_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), uk) for pattern, uk in (
        (r"not a date: '(.*)' \(use YYYY-MM-DD, today, yesterday or latest\)",
         "це не дата: «{0}» (вкажіть РРРР-ММ-ДД, today, yesterday або latest)"),
        (r"date out of range: '(.*)' \(give one between (\S+) and (\S+)\)",
         "дата поза межами: «{0}» (вкажіть дату між {1} і {2})"),
        (r"no report for (\S+) \(the ledger runs (\S+) \.\. (\S+)\)",
         "немає зведення за {0} (дані охоплюють період з {1} по {2})"),
        (r"no report for (\S+)", "немає зведення за {0}"),
        (r"no report from (\S+) to (\S+) \(the ledger runs (\S+) \.\. (\S+)\)",
         "немає зведень з {0} по {1} (дані охоплюють період з {2} по {3})"),
        (r"no reports in (\S+) \(reports (\S+) to (\S+); the ledger runs (\S+) \.\. (\S+)\)",
         "немає зведень за {0} (зведення з {1} по {2}; дані охоплюють період з {3} по {4})"),
        (r"no reports in (\S+) \(reports (\S+) to (\S+)\)",
         "немає зведень за {0} (зведення з {1} по {2})"),
        (r"not an ISO week: '(.*)' \(use YYYY-Www, e\.g\. (\S+)\)",
         "це не тиждень ISO: «{0}» (вкажіть РРРР-Wтт, наприклад {1})"),
        (r"not a month: '(.*)' \(use YYYY-MM, e\.g\. (\S+)\)",
         "це не місяць: «{0}» (вкажіть РРРР-ММ, наприклад {1})"),
        (r"the period starts \((\S+)\) after it ends \((\S+)\)",
         "період починається ({0}) пізніше, ніж закінчується ({1})"),
        (r"unknown category or aggregate '(.*?)' \(did you mean '(.*?)'\?\);.*",
         "невідома категорія «{0}» (можливо, «{1}»?)"),
        (r"unknown category or aggregate '(.*?)';.*", "невідома категорія «{0}»"),
        (r"unknown status (.*?); one of: (.*)", "невідомий статус {0}; можливі: {1}"),
        (r"no claim (\d+) in the register", "у реєстрі немає цифри № {0}"),
        (r"verdict: '(.*?)' is not one of (.*)", "висновок «{0}» не входить до можливих: {1}"),
        (r"page: '(.*?)' is not a whole number from 1 to (\d+)",
         "сторінка «{0}» — не ціле число від 1 до {1}"),
        (r"(from|to): '(.*?)' is not a date \(YYYY-MM-DD\)",
         "«{1}» — не дата (вкажіть РРРР-ММ-ДД)"),
        (r"the article's date (\S+) is in the future: .*",
         "дата статті {0} — у майбутньому: вкажіть дату, коли її опубліковано (РРРР-ММ-ДД)"),
        (r"the article's date: give the day it was published .*",
         "дата статті: вкажіть день, коли її опубліковано (РРРР-ММ-ДД), а не latest"),
        (r"the article has no date in its header or first lines.*",
         "у статті немає дати в заголовку чи перших рядках: вкажіть дату публікації в полі "
         "дати"),
        (r"the article is empty", "стаття порожня"),
        (r"paste an article or give its address",
         "вставте текст статті або вкажіть її адресу"),
        (r"article too long \(([\d,]+) characters; the limit is ([\d,]+)\)",
         "стаття задовга ({0} символів; межа — {1})"),
        (r"refused: (\S+) is not a public address.*",
         "відмовлено: {0} — не публічна адреса (сервіс завантажує лише з публічних адрес)"),
        (r"(\S+): only http\(s\) addresses can be fetched",
         "{0}: можна завантажити лише адреси http(s)"),
        (r"offline or unreachable: (.*)", "немає мережі або сайт недоступний: {0}"),
        (r"Not Found", "Такої сторінки немає"),
    ))


def ukrainian(message: str) -> str:
    """`message` in Ukrainian when it is one of the errors above; as it is otherwise."""
    for pattern, uk in _MESSAGES:
        m = pattern.fullmatch(message.strip())
        if m:
            return uk.format(*m.groups())
    return message
