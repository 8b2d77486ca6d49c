"""The page of one notice: metadata table, body, signature, attachments, history.

The metadata table follows the State Council policy library (索引号, 主题分类,
发文机关, 成文日期, 标题, 发文字号, 发布日期, 有效性, 公开方式).  The signature
block, the 附注 and the disclosure note are rendered from the metadata, as
NOTICE-FORMAT.md asks, so clerks never type them into the body.

A page is made from a PublicNotice (public.py), which holds only what may be
shown; nothing here asks whether something may be published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from . import paths
from .citations import link_numbers
from .public import PublicNotice, Publication
from .render import Anchors, Page, link, markdown_html, render, token


LONG_TOC = 4          # a notice with more sections than this gets an in-page 目录 (phones have no sidebar)


@dataclass(frozen=True)
class _Contents:
    id: str
    text: str


def _contents(toc: list[dict]) -> list[_Contents]:
    """The top-level headings, as plain text (toc names are escaped HTML)."""
    import html

    return [_Contents(t["id"], html.unescape(t["name"])) for t in toc]


@dataclass(frozen=True)
class _Section:
    index: int
    label: str
    title: str


def markup(n: PublicNotice) -> list:
    """The Markdown of a notice's body and attachment texts as clean HTML with
    their headings: [[body, toc], [html, toc] or None for each attachment].
    A function of the texts alone (JSON-able), so a build can keep it (cache.py)."""
    anchors = Anchors()
    body, toc = markdown_html(n.body, anchors) if n.body is not None else ("", [])
    out = [[str(body), toc]]
    for a in n.attachments:
        if a.text is None:
            out.append(None)
        else:
            html, sub = markdown_html(a.text, anchors, shift=1)
            out.append([str(html), sub])
    return out


def markup_key(digest: str) -> str:
    """The cache key of markup() of the notice with this digest
    (preview.digests(): every field and text of it), which the build has
    already taken: ten thousand bodies are not hashed a second time."""
    from . import cache

    return cache.key("markup of the notice", digest)


class Markups:
    """markup() of each notice, made once and kept in the build's cache, and
    read back only when the notice's page is written: ten thousand notices'
    HTML held from start to end cost a build 90 MB.  Without a working cache
    (a read-only disk) they are held."""

    def __init__(self, notices, cache, digests: dict[str, str], lazy: bool = False):
        """digests: preview.digests() of the notices (see markup_key); lazy: a
        notice is made, if the cache lacks it, only when its page is written
        (a preview's save writes few pages; a build makes every one it lacks)."""
        self._cache = cache
        self._held: dict[str, list] = {}
        self._keys = {n.source: markup_key(digests[n.source]) for n in notices}
        self._notices = {n.source: n for n in notices} if lazy else {}
        if lazy:
            return
        stored = cache.present("markup", list(self._keys.values()))
        fresh: dict[str, list] = {}
        for n in notices:
            k = self._keys[n.source]
            if k not in stored and k not in fresh:
                fresh[k] = markup(n)
                if len(fresh) >= 500 and cache.available:
                    cache.put_many("markup", fresh)
                    fresh = {}
        cache.put_many("markup", fresh)
        self._held = fresh if not cache.available else {}

    def __call__(self, source: str) -> list | None:
        """markup() of the notice from this source (None: not known, make it)."""
        k = self._keys.get(source)
        if k is None:
            return None
        if k in self._held:
            return self._held[k]
        found = self._cache.get_many("markup", [k]).get(k)
        if found is None and source in self._notices:
            found = markup(self._notices[source])
            self._cache.put_many("markup", {k: found})
        return found


def later_notice_page(n: PublicNotice, publication: Publication, index_page: Callable[[str, str], str | None],
                      site_url: str | None = None, today: dt.date | None = None,
                      made: Callable[[str], list | None] | None = None) -> Page:
    """notice_page(), made only when the page is wanted (Page.rendered()): a
    build holds every notice's page, and needs each only while it is written.
    made(source): markup() of a notice, where the build keeps them (Markups)."""
    def make() -> Page:
        return notice_page(n, publication, index_page, site_url, today, made(n.source) if made else None)

    return Page(n.page, n.title, make=make)


def notice_page(n: PublicNotice, publication: Publication, index_page: Callable[[str, str], str | None],
                site_url: str | None = None, today: dt.date | None = None, made: list | None = None) -> Page:
    """The page of a listed notice; index_page(kind, key) gives an index page's source or None.

    With the site's address, the page carries a QR code of it for print (扫一扫在手机打开).
    made: markup(n), if it is at hand.
    """
    made = made or markup(n)
    body, toc = Markup(made[0][0]), [dict(t) for t in made[0][1]]

    # The other notices the page shows (by number, title or address) are
    # noted as it is made: a preview writes the page again when one of them
    # changes (Page.reads, preview.py).
    reads: set[str] = set()

    def find(number):
        other = publication.by_number(number)
        if other is not None:
            reads.add(other.source)
        return other

    def by_source(source):
        other = publication.by_source(source)
        if other is not None:
            reads.add(other.source)
        return other

    def cited(number):
        other = find(number)
        return paths.href(n.page, other.page) if other and other.page != n.page else None

    body = Markup(link_numbers(body, cited))
    attachment_texts = []
    many = len(n.attachments) > 1
    for i, a in enumerate(n.attachments, 1):
        if made[i] is None:
            continue
        label = f"附件{i}" if many else "附件"
        html, sub = made[i]
        html = Markup(link_numbers(html, cited))
        attachment_texts.append((_Section(i, label, a.title), html))
        toc.append(token(2, f"attachment-{i}", f"{label}：{a.title}", sub))
    if n.errata:
        toc.append(token(2, "errata", "勘误"))
    if n.cites or n.cited_by:
        toc.append(token(2, "citations", "相关文件"))
    toc.append(token(2, "history", "修订记录"))
    qr = _qr(paths.absolute(site_url, n.page)) if site_url else None
    html = render(
        "notice.html", n=n, body=body, attachment_texts=attachment_texts, qr=qr, home=paths.HOME,
        today=today,
        long_toc=_contents(toc) if len(toc) > LONG_TOC else None,
        url=link(n.page), find=find, by_source=by_source, index_page=index_page, apply_page=paths.APPLY,
    )
    return Page(n.page, n.title, html, toc, reads=frozenset(reads - {n.source}))


def _qr(url: str) -> Markup:
    """An SVG QR code of the page's address, drawn here (segno): no network, no image file."""
    import segno

    return Markup(segno.make(url, error="m").svg_inline(scale=2, border=2, title="扫一扫在手机打开"))
