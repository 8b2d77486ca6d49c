"""Index pages: by issuer, year, topic and document-number series, plus home and changes.

There is one grouping mechanism and one page writer; the four kinds of index
differ only in the key they group by (see GROUPINGS).  Everything is made from
the Publication, so only listed notices and public revisions appear.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from . import paths, statistics
from .addresses import unique_slugs
from .cache import value_digest
from .fields import CATEGORIES
from .pages import later_notice_page
from .public import LISTED, PublicNotice, Publication
from .render import Page, link, render


@dataclass(frozen=True)
class Grouping:
    kind: str                                    # folder of its pages: issuers, years ...
    label: str                                   # 发文机关, 年份 ...
    keys: Callable[[PublicNotice], list[str]]    # the keys a notice is listed under
    heading: Callable[[str], str]                # the <h1> of a key's page
    slug: Callable[[list[str], dict[str, str]], dict[str, str]] = unique_slugs    # (keys, spelled): see unique_slugs
    newest_first: bool = False                   # overview order: keys descending
    intro: str = ""
    rank: Callable[[str], int] = lambda key: 0   # overview order: lower first


GROUPINGS = (
    Grouping(
        kind="issuers", label="发文机关",
        keys=lambda n: list(n.issuers),
        heading=lambda k: k,
        intro="联合发文列在每一个发文机关之下。",
        rank=lambda k: 0 if k.endswith("人民政府") else 1 if k.endswith("人民政府办公室") else 2,
    ),
    Grouping(
        kind="years", label="年份",
        keys=lambda n: [str(n.year)],
        heading=lambda k: f"{k}年",
        slug=lambda keys, spelled: {k: k for k in keys},
        newest_first=True,
        intro="按成文日期所在年份。",
    ),
    Grouping(
        kind="topics", label="主题分类",
        keys=lambda n: list(n.topics),
        heading=lambda k: k,
    ),
    Grouping(
        kind="series", label="发文字号",
        keys=lambda n: [n.doc_number.prefix] if n.doc_number else [],
        heading=lambda k: f"{k}〔年份〕号",
        intro="按发文字号中的机关代字。",
    ),
)

CHANGES_LIMIT = 100
PER_PAGE = 100          # notices on one index page: about 60 kB of HTML with the theme


@dataclass
class Site:
    """The publication grouped for browsing, and the address of every index page."""

    publication: Publication
    groups: dict[str, dict[str, list[PublicNotice]]]   # kind -> key -> notices, newest first
    slugs: dict[str, dict[str, str]]                   # kind -> key -> slug
    site_url: str | None = None                        # the site's address, if it has one
    today: dt.date | None = None                       # the build's date (SOURCE_DATE_EPOCH): status as of then

    @classmethod
    def of(cls, publication: Publication, site_url: str | None = None, today: dt.date | None = None,
           spelled: dict[str, str] | None = None) -> Site:
        """spelled: the names' pinyin, as far as known (addresses.unique_slugs)."""
        groups, slugs = {}, {}
        spelled = {} if spelled is None else spelled
        for g in GROUPINGS:
            by_key: dict[str, list[PublicNotice]] = defaultdict(list)
            for n in publication.notices:            # already newest first
                for key in g.keys(n):
                    by_key[key].append(n)
            groups[g.kind] = dict(by_key)
            slugs[g.kind] = g.slug(list(by_key), spelled)
        return cls(publication, groups, slugs, site_url or None, today)

    def page_of(self, kind: str, key: str) -> str | None:
        slug = self.slugs.get(kind, {}).get(key)
        return paths.index_page(kind, slug) if slug else None

    def pages(self, made: Callable[[str], list | None] | None = None) -> list[Page]:
        """Every generated page: notices, indexes, home and recent changes.
        A notice's page is made when it is wanted (Page.rendered()); the others now.
        made(source): pages.markup() of a notice, where a build keeps them (pages.Markups)."""
        out = [later_notice_page(n, self.publication, self.page_of, self.site_url, self.today, made)
               for n in self.publication.notices]
        out += [self._home(), self._changes(), *self.statistics_pages()]
        for g in GROUPINGS:
            out.append(self._overview(g))
            for key, notices in self.groups[g.kind].items():
                out += self._group_pages(g, key, notices)
        return out

    def _ordered_keys(self, g: Grouping) -> list[str]:
        keys = self.groups[g.kind]
        if g.newest_first:
            return sorted(keys, reverse=True)
        # As a clerk expects: the people's government, then its office, then
        # the departments; within each, the busiest first, then by name.
        return sorted(keys, key=lambda k: self._order(g, k))

    def _order(self, g: Grouping, key: str) -> tuple:
        return (g.rank(key), -len(self.groups[g.kind].get(key, ())), key)

    def _overview(self, g: Grouping) -> Page:
        src = paths.overview_page(g.kind)
        entries = [(g.heading(k), self.page_of(g.kind, k), len(self.groups[g.kind][k])) for k in self._ordered_keys(g)]
        html = render("overview.html", g=g, entries=entries, url=link(src), home=paths.HOME)
        return Page(src, g.label, html)

    def group_sources(self, kind: str, key: str) -> list[str]:
        """The pages one key's list takes: PER_PAGE notices each, so none is heavy on a phone."""
        count = len(self.groups[kind][key])
        slug = self.slugs[kind][key]
        return [paths.index_page(kind, slug, i + 1) for i in range(max(1, -(-count // PER_PAGE)))]

    def _group_pages(self, g: Grouping, key: str, notices: list[PublicNotice]) -> list[Page]:
        """One key's pages, made when they are wanted (Page.rendered()), like a notice's."""
        sources = self.group_sources(g.kind, key)
        feed = paths.issuer_feed(self.slugs[g.kind][key]) if g.kind == "issuers" else None
        out = []
        for i, src in enumerate(sources):
            chunk = notices[i * PER_PAGE:(i + 1) * PER_PAGE]
            title = g.heading(key) if i == 0 else f"{g.heading(key)}（第{i + 1}页）"

            def make(src=src, i=i, chunk=chunk, title=title) -> Page:
                html = render("group.html", g=g, heading=g.heading(key), notices=chunk, total=len(notices), feed=feed,
                              url=link(src), home=paths.HOME, overview=paths.overview_page(g.kind),
                              pager=sources if len(sources) > 1 else None, current=i, first=i * PER_PAGE + 1)
                return Page(src, title, html, feed=feed)

            lists = (tuple(n.source for n in chunk), (g.kind, key, title, len(notices), tuple(sources), feed))
            out.append(Page(src, title, feed=feed, make=make, lists=lists))
        return out

    def _home(self) -> Page:
        src = paths.HOME
        years = self.groups["years"]
        browse = [(g.label, paths.overview_page(g.kind), len(self.groups[g.kind])) for g in GROUPINGS]
        html = render(
            "home.html", count=len(self.publication.notices), issuers=len(self.groups["issuers"]),
            first=min(years) if years else None, last=max(years) if years else None,
            browse=browse, changes=paths.CHANGES, latest=self.publication.notices[:10], url=link(src),
            feed=paths.FEED_ALL, bundle=paths.BUNDLE, data=(paths.DATA_ALL, paths.DATA_CSV, paths.DATA_SCHEMA),
        )
        return Page(src, "政府文件", html, feed=paths.FEED_ALL)

    def _issuer_order(self, issuer: str) -> tuple:
        return self._order(GROUPINGS[0], issuer)

    def statistics_pages(self) -> list[Page]:
        """年度统计: one page per year the notices span, and their overview.
        A year's page is made when it is wanted, from what the counts read of
        each notice (statistics.Counted) and the order of the issuers' rows:
        what it lists (Page.lists), so a build that changed neither keeps it."""
        notices = statistics.counted(self.publication.notices)
        years = statistics.years(notices)
        order = {i: self._issuer_order(i) for i in sorted({i for n in notices for i in n.issuers})}
        made_from = value_digest((notices, order))
        pages = []
        for year in years:
            src = paths.statistics_page(year)
            withheld = None if self.publication.withheld is None else self.publication.withheld.get(year, 0)
            title = f"{year}年政府信息公开统计"

            def make(src=src, year=year, withheld=withheld, title=title) -> Page:
                html = render("statistics.html", year=year, listed=LISTED, rows=statistics.table(notices, year, order.__getitem__),
                              categories=CATEGORIES, withheld=withheld, url=link(src), home=paths.HOME,
                              overview=paths.STATISTICS)
                return Page(src, title, html)

            pages.append(Page(src, title, make=make, lists=((), ("statistics", year, withheld, made_from))))
        html = render("statistics_index.html", years=[(y, paths.statistics_page(y)) for y in years],
                      url=link(paths.STATISTICS), home=paths.HOME)
        return [Page(paths.STATISTICS, "年度统计", html), *pages]

    def _changes(self) -> Page:
        """最近更新: the latest additions, corrections and repeals (public revisions only)."""
        src = paths.CHANGES
        events = None
        if self.publication.has_history:
            events = [(rev, n) for n in self.publication.notices for rev in n.revisions or ()]
            events.sort(key=lambda e: (e[0].date, e[0].index, e[1].source), reverse=True)
            events = events[:CHANGES_LIMIT]
        html = render("changes.html", events=events, url=link(src), home=paths.HOME)
        return Page(src, "最近更新", html)
