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
from typing import NamedTuple

from .fields import CATEGORIES
from .public import LISTED, PublicNotice


@dataclass(frozen=True)
class Row:
    issuer: str                                  # 合计 for the total
    counts: dict[str, tuple[int, int, int]]      # category -> (made, repealed, in force)
    disclosure: dict[str, int]                   # each listed disclosure -> made this year


class Counted(NamedTuple):
    """What the counts read of a notice, and nothing else: the pages are made
    from these alone, so a build whose notices all count as the last build's
    did keeps the pages it wrote (indexes.Site.statistics_pages, preview.py)."""

    issuers: tuple[str, ...]
    category: str
    disclosure: str
    date: dt.date
    in_force_from: dt.date | None
    in_force_until: dt.date | None
    ended: bool

    in_force_on = PublicNotice.in_force_on       # the one rule, as the notice's page states it


def counted(notices: tuple[PublicNotice, ...]) -> tuple[Counted, ...]:
    return tuple(Counted(n.issuers, n.category, n.disclosure, n.date, n.in_force_from, n.in_force_until, n.ended)
                 for n in notices)


def years(notices: tuple[Counted, ...]) -> list[int]:
    """The years the notices span, made or ended, newest first: one page each."""
    return sorted({n.date.year for n in notices} | {n.in_force_until.year for n in notices if n.in_force_until},
                  reverse=True)


def _ended_in(n: Counted, year: int) -> bool:
    return n.in_force_until is not None and n.in_force_until.year == year


class _Tally:
    """One row's counts, added to notice by notice."""

    def __init__(self):
        self.counts = {category: [0, 0, 0] for category in CATEGORIES}
        self.disclosure = {kind: 0 for kind in LISTED}

    def add(self, n: Counted, made: bool, ended: bool, in_force: bool) -> None:
        if (c := self.counts.get(n.category)) is not None:
            c[0] += made
            c[1] += ended
            c[2] += in_force
        if made and n.disclosure in self.disclosure:
            self.disclosure[n.disclosure] += 1

    def row(self, issuer: str) -> Row:
        return Row(issuer, {k: tuple(v) for k, v in self.counts.items()}, dict(self.disclosure))


def table(notices: tuple[Counted, ...], year: int, order=lambda issuer: issuer) -> list[Row]:
    """One row per issuer with a notice (counted()) made, repealed or in force
    that year (in order), then 合计.  Each notice is looked at once, and
    counted in its issuers' rows and the total."""
    year_end = dt.date(year, 12, 31)
    rows: dict[str, _Tally] = {}
    total = _Tally()
    for n in notices:
        made, ended, in_force = n.date.year == year, _ended_in(n, year), n.in_force_on(year_end)
        if made or ended or in_force:
            total.add(n, made, ended, in_force)
            for issuer in dict.fromkeys(n.issuers):
                if (t := rows.get(issuer)) is None:
                    t = rows[issuer] = _Tally()
                t.add(n, made, ended, in_force)
    return [rows[i].row(i) for i in sorted(rows, key=order)] + [total.row("合计")]
