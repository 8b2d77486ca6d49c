"""Atom feeds: the whole site, and one per issuing body (newest 50 each).

Made from the Publication like every other output.  Dates come from the
notices (发布日期) and from their public revisions, never from the clock, so
two builds of one commit give the same feeds; a later public revision (a
correction) moves an entry's <updated>.
"""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from . import paths
from .public import PublicNotice
from .search import plain_text

LIMIT = 50
SUMMARY = 200          # characters of text in an entry's summary
CHINA = dt.timezone(dt.timedelta(hours=8))


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=CHINA)


def updated(n: PublicNotice) -> dt.datetime:
    """When the notice last changed in public: its newest public revision, or its publication."""
    published = _day(n.published_on)
    if n.revisions:
        return max(published, n.revisions[0].date)
    return published


def summary(n: PublicNotice) -> str:
    number = f"{n.doc_number}　" if n.doc_number else ""
    head = f"{number}{'、'.join(n.issuers)}　{n.published_on.year}年{n.published_on.month}月{n.published_on.day}日"
    if n.body is None:
        return f"{head}。本文件{n.disclosure}，正文不在网上公开。"
    text = plain_text(n.body).replace("\n", " ")
    return f"{head}。{text[:SUMMARY]}{'……' if len(text) > SUMMARY else ''}"


def _id(site_url: str | None, what: str) -> str:
    # Without site_url an entry still needs a permanent id; the notice's
    # source path names it for good (it never changes: NOTICE-FORMAT.md).
    return paths.absolute(site_url, what) if site_url else f"urn:gazette:{what}"


def atom(title: str, feed_path: str, notices: list[PublicNotice], site_url: str | None, site_name: str) -> bytes:
    """One feed of the newest notices (by 发布日期, then number)."""
    newest = sorted(notices, key=lambda n: (n.published_on, n.sort_key), reverse=True)[:LIMIT]
    fg = FeedGenerator()
    fg.id(_id(site_url, feed_path))
    fg.title(title)
    fg.author({"name": site_name})
    fg.language("zh-Hans")
    fg.generator("gazette")
    if site_url:
        fg.link(href=paths.absolute(site_url, feed_path), rel="self")
        fg.link(href=paths.absolute(site_url, paths.HOME), rel="alternate")
    else:
        fg.link(href=paths.href(feed_path, paths.HOME), rel="alternate")
    stamp = max((updated(n) for n in newest), default=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    fg.updated(stamp)
    for n in reversed(newest):        # feedgen puts the last added first
        e = fg.add_entry()
        e.id(_id(site_url, n.page))
        e.title(f"{n.title}（{n.doc_number}）" if n.doc_number else n.title)
        e.link(href=paths.absolute(site_url, n.page) if site_url else paths.href(feed_path, n.page), rel="alternate")
        e.published(_day(n.published_on))
        e.updated(updated(n))
        e.summary(summary(n))
        for issuer in n.issuers:
            e.author({"name": issuer})
        for topic in n.topics:
            e.category(term=topic)
    return fg.atom_str(pretty=True)


def feeds(site, site_url: str | None, site_name: str) -> dict[str, bytes]:
    """Every feed: {site path: Atom XML}.  site is a gazette.indexes.Site."""
    out = {paths.FEED_ALL: atom(f"{site_name}：最新文件", paths.FEED_ALL, list(site.publication.notices), site_url, site_name)}
    for issuer, notices in site.groups["issuers"].items():
        path = paths.issuer_feed(site.slugs["issuers"][issuer])
        out[path] = atom(f"{issuer}：最新文件", path, notices, site_url, site_name)
    return out
