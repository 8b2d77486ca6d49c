"""Every address the site publishes, in one place.

Pages are given as .md sources (MkDocs turns notices/2020/x.md into
notices/2020/x.html); everything else as the path of the file in site/.
No other module spells an output path.

Attachments are copied under files/, a folder no page lives in, so an
attachment's address can never collide with a page, whatever its name.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote

HOME = "index.md"
CHANGES = "changes.md"
APPLY = "apply.md"           # hand-written guide on how to request disclosure
SEARCH = "search.md"
MANIFEST = "manifest.json"
SEARCH_DIR = "search-index"
SEARCH_META = f"{SEARCH_DIR}/meta.js"
SEARCH_T2S = f"{SEARCH_DIR}/t2s.js"
SEARCH_RULES = f"{SEARCH_DIR}/rules.js"     # loaded by every page, before search.js
FEED_ALL = "feeds/all.xml"
SITEMAP = "sitemap.xml"
DATA_ALL = "data/notices.json"
DATA_CSV = "data/notices.csv"
DATA_SCHEMA = "data/notice.schema.json"
BUNDLE = "site.zip"


def notice_page(year: int, slug: str) -> str:
    return f"notices/{year}/{slug}.md"


def attachment_file(year: int, slug: str, name: str) -> str:
    """Where an attachment file is published (name: its path inside the notice's folder)."""
    return posixpath.join("files", str(year), slug, name)


def index_page(kind: str, slug: str, number: int = 1) -> str:
    """An index page; a long one continues on pages 2, 3 … (a dot never occurs in a slug)."""
    return f"{kind}/{slug}.md" if number == 1 else f"{kind}/{slug}.p{number}.md"


def overview_page(kind: str) -> str:
    return f"{kind}/index.md"


STATISTICS = "statistics/index.md"


def statistics_page(year: int) -> str:
    return f"statistics/{year}.md"


def issuer_feed(slug: str) -> str:
    return f"feeds/issuers/{slug}.xml"


def notice_data(year: int, slug: str) -> str:
    return f"data/notices/{year}/{slug}.json"


def search_shard(k: int) -> str:
    return f"{SEARCH_DIR}/shards/{k}.js"


def search_text(doc_id: int) -> str:
    return f"{SEARCH_DIR}/text/{doc_id}.js"


def search_more(doc_id: int) -> str:
    """The rest of a long notice's text, read only to check a one-character-off match."""
    return f"{SEARCH_DIR}/more/{doc_id}.js"


def html_path(src: str) -> str:
    """The site file of a page source."""
    return re.sub(r"\.md$", ".html", src)


def href(from_src: str, to: str, anchor: str = "") -> str:
    """Relative, percent-encoded address from one page to a page or file.

    Relative, so that the site works from file:// and from any folder; encoded,
    so that a file name can never break out of the attribute or the URL.
    """
    target = html_path(to)
    rel = posixpath.relpath(target, posixpath.dirname(from_src) or ".")
    out = quote(rel, safe="/")
    return out + (f"#{quote(anchor, safe='')}" if anchor else "")


def absolute(site_url: str, to: str) -> str:
    """The full address of a page or file, for feeds, sitemaps and QR codes."""
    return site_url.rstrip("/") + "/" + quote(html_path(to), safe="/")
