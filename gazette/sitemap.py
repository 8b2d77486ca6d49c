"""sitemap.xml: every public page with the date it last changed in public.

Only when the site has an address (site_url): a sitemap lists full
addresses.  A notice page's <lastmod> is its newest public revision (or its
发布日期 without history); an index page's is the newest of its notices.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from . import paths
from .feeds import updated


def sitemap(site, site_url: str, extra_pages: list[str]) -> bytes:
    """site: a gazette.indexes.Site; extra_pages: hand-written page sources."""
    entries: list[tuple[str, dt.datetime | None]] = []
    notices = site.publication.notices
    for n in notices:
        entries.append((n.page, updated(n)))
    newest = max((updated(n) for n in notices), default=None)
    entries.append((paths.HOME, newest))
    entries.append((paths.CHANGES, newest))
    for kind, groups in site.groups.items():
        entries.append((paths.overview_page(kind), newest))
        for key, members in groups.items():
            for src in site.group_sources(kind, key):
                entries.append((src, max(updated(n) for n in members)))
    entries += [(src, None) for src in extra_pages]
    entries += [(page.src, newest) for page in site.statistics_pages()]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for src, when in sorted(set(entries), key=lambda e: e[0]):
        lastmod = f"<lastmod>{when.date().isoformat()}</lastmod>" if when else ""
        lines.append(f"<url><loc>{escape(paths.absolute(site_url, src))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
