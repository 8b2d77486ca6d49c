"""HTML for every generated page: Jinja templates with autoescape, sanitized bodies.

This is the one boundary where text becomes markup.  Values from front-matter,
file names and git reach pages only through templates in gazette/templates/,
whose autoescape escapes them for the element or attribute they land in;
addresses go through paths.href (relative and percent-encoded).  Bodies are
Markdown written by staff: rendered without attribute lists, then cleaned by
nh3 to an allow-list, so scripts, event handlers, javascript:/data: URLs,
frames and styles never reach a page.

A Page is engine-neutral: its source path, title, HTML and table of contents
(python-markdown's toc token format); hooks/ hands it to MkDocs.  A notice's
Page is made only when it is wanted (Page.rendered()): its HTML is None until then.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markdown
import nh3
from markupsafe import Markup
from pymdownx.slugs import slugify

from . import paths
from .fields import cn_date

TEMPLATES = Path(__file__).parent / "templates"

# What a body may contain after rendering: text structure, tables, links.
ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "strong", "em", "b", "i", "u", "s", "del", "ins", "sup", "sub", "small", "mark",
    "blockquote", "code", "pre", "a", "span", "abbr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "abbr": {"title"},
    **{f"h{i}": {"id"} for i in range(1, 7)},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Page anchors our templates use; a body heading never takes one of them.
RESERVED_IDS = ("errata", "history", "attachments", "citations")


def clean_html(fragment: str) -> Markup:
    """Untrusted HTML to the allow-list above."""
    return Markup(nh3.clean(
        fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ))


@dataclass
class Page:
    src: str                     # e.g. notices/2020/x.md (paths.*)
    title: str
    html: Markup | None = None
    toc: list[dict] = field(default_factory=list)   # python-markdown toc tokens
    feed: str | None = None      # the Atom feed the page advertises (paths.*)
    # Renders the page when it is wanted: a build holds ten thousand notice
    # pages, and each is needed only while it is written.
    make: Callable[[], Page] | None = field(default=None, repr=False, compare=False)
    # An index page: (the sources of the notices it lists, and what else it
    # is made from), so a preview can tell it is unchanged (preview.py).
    lists: tuple | None = field(default=None, repr=False, compare=False)
    # A notice's page, once made: the sources of the other notices it shows.
    reads: frozenset | None = field(default=None, repr=False, compare=False)

    def rendered(self) -> Page:
        """The page with its HTML and headings."""
        return self.make() if self.make is not None else self


class Anchors:
    """Heading ids unique across one page (body, attachments, our sections)."""

    _slug = staticmethod(slugify(case="lower"))

    def __init__(self):
        self.used: set[str] = set(RESERVED_IDS) | {f"attachment-{i}" for i in range(1, 100)}

    def __call__(self, text: str, sep: str) -> str:
        base = self._slug(text, sep) or "section"
        slug, n = base, 1
        while slug in self.used:
            slug, n = f"{base}_{n}", n + 1
        self.used.add(slug)
        return slug


def markdown_html(text: str, anchors: Anchors, shift: int = 0) -> tuple[Markup, list[dict]]:
    """A staff-written Markdown body as clean HTML, and its headings.

    shift moves headings down (an attachment's sections sit under its title).
    """
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"slugify": anchors, "baselevel": 1 + shift, "permalink": False},
        },
    )
    out = str(clean_html(md.convert(text)))
    return Markup(_accessible_tables(out)), _safe_tokens(md.toc_tokens)


# A paragraph that is only bold text right above a table is the table's title
# (三亚市自来水价格分类表): it becomes the caption, which screen readers announce.
_CAPTION = re.compile(r"<p><strong>([^<]{1,80})</strong></p>\s*<table>")
_HEAD = re.compile(r"<thead>.*?</thead>", re.S)


def _accessible_tables(html_text: str) -> str:
    """Captions from table titles, and header cells that say what they head (already clean HTML)."""
    html_text = _CAPTION.sub(lambda m: f"<table>\n<caption>{m[1]}</caption>", html_text)
    return _HEAD.sub(lambda m: re.sub(r"<th(?=[ >])(?![^>]*scope=)", '<th scope="col"', m[0]), html_text)


def _safe_tokens(tokens: list[dict]) -> list[dict]:
    """Headings as plain escaped text: the theme prints toc names as HTML."""
    return [
        {"level": t["level"], "id": t["id"], "name": nh3.clean(t["name"], tags=set()),
         "children": _safe_tokens(t.get("children", []))}
        for t in tokens
    ]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["hhmm"] = lambda when: f"{when:%H:%M}"
    return env


ENV = _environment()


def render(template: str, **context) -> Markup:
    return Markup(ENV.get_template(template).render(**context))


def token(level: int, anchor: str, name: str, children: list | None = None) -> dict:
    """A toc entry for a heading our templates write (name is plain text)."""
    return {"level": level, "id": anchor, "name": html.escape(name, quote=False), "children": children or []}


def link(from_src: str):
    """href from a page: the template's url() helper."""
    return lambda to, anchor="": paths.href(from_src, to, anchor)
