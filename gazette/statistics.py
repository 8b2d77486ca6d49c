"""政府信息公开年度报告: the counts of the first statistical table, per year and issuer.

国办公开办函〔2021〕30号 asks, for 规章 and 规范性文件, how many were made this
year (本年制发件数), repealed this year (本年废止件数) and are in force (现行有效
件数).  The counts come from the Publication, so only published notices are
counted.  Definitions (also printed on the page):

* 本年制发: 成文日期 in the year;
* 本年废止: the day it stopped applying (废止日期, or the start of the notice that
  repealed or replaced it) falls in the year;
* 现行有效: in force on 31 December of the year.

How many 不予公开 notices a year has is itself information about what is
withheld; it is shown only when the site says so (mkdocs.yml
extra.statistics.count_withheld), and then per year only, never per issuer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .fields import CATEGORIES
from .public import LISTED, PublicNotice


@dataclass(frozen=True)
class Row:
    issuer: str                                  # 合计 for the total
    counts: dict[str, tuple[int, int, int]]      # category -> (made, repealed, in force)
    disclosure: dict[str, int]                   # each listed disclosure -> made this year


def _ended_in(n: PublicNotice, year: int) -> bool:
    return n.in_force_until is not None and n.in_force_until.year == year


def row(issuer: str, notices: list[PublicNotice], year: int) -> Row:
    year_end = dt.date(year, 12, 31)
    counts = {}
    for category in CATEGORIES:
        mine = [n for n in notices if n.category == category]
        counts[category] = (
            sum(1 for n in mine if n.date.year == year),
            sum(1 for n in mine if _ended_in(n, year)),
            sum(1 for n in mine if n.in_force_on(year_end)),
        )
    made = [n for n in notices if n.date.year == year]
    disclosure = {kind: sum(1 for n in made if n.disclosure == kind) for kind in LISTED}
    return Row(issuer, counts, disclosure)


def table(notices: tuple[PublicNotice, ...], year: int, order=lambda issuer: issuer) -> list[Row]:
    """One row per issuer with a notice made, repealed or in force that year (in order), then 合计."""
    year_end = dt.date(year, 12, 31)
    relevant = [n for n in notices if n.date.year == year or _ended_in(n, year) or n.in_force_on(year_end)]
    mine: dict[str, list[PublicNotice]] = {}      # each issuer's, in one pass (a notice may have several)
    for n in relevant:
        for i in dict.fromkeys(n.issuers):
            mine.setdefault(i, []).append(n)
    rows = [row(i, mine[i], year) for i in sorted(mine, key=order)]
    return rows + [row("合计", relevant, year)]
