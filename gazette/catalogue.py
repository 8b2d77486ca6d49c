"""索引号: the disclosure-catalogue index number, generated where a notice has none.

The gov.cn form is <organisation code>/<year>-<serial>, as in
00817373-1/2019-34596.  The organisation code is configured once
(mkdocs.yml extra.organisation.code); without it nothing is generated and
the table shows —.

The serial is five digits taken from a hash of the notice's address
(year/name), so two builds give the same numbers and adding, removing or
correcting other notices leaves a number alone, with one exception: two
addresses with the same hash serial (about one pair in a year of 500
notices) are told apart in address order, so a notice added later with an
earlier address can move the other by one.  Set index_no by hand where a
number must never move.

public.publish() calls it, so every output sees the same numbers.
"""

from __future__ import annotations

import hashlib


def index_numbers(notices, code: str | None) -> dict[str, str]:
    """source → generated 索引号, for every notice of the corpus that has none written.

    Worked out over the whole corpus (不予公开 notices too, whose numbers are
    then dropped by the view), so a notice being withheld or published never
    moves another's number; a number written by hand anywhere is never reused.
    """
    if not code:
        return {}
    taken = {n.index_no for n in notices if n.index_no}
    generated: dict[str, str] = {}
    for n in sorted((n for n in notices if not n.index_no), key=lambda n: (n.year, n.slug)):
        serial = int(hashlib.sha256(f"{n.year}/{n.slug}".encode()).hexdigest(), 16) % 90000 + 10000
        while (number := f"{code}/{n.year}-{serial:05d}") in taken:
            serial = 10000 if serial == 99999 else serial + 1
        taken.add(number)
        generated[n.rel] = number
    return generated
