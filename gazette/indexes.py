"""Index pages: by issuer, year, topic and document-number series, plus home.

There is one grouping mechanism and one page writer; the four kinds of index
differ only in the key they group by (see GROUPINGS).  Pages are returned as
(source path, Markdown) pairs and know nothing of MkDocs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .addresses import unique_slugs
from .corpus import Corpus
from .notice import Notice
from .pages import notice_src
from .text import cn_date, esc, md_href, md_text


@dataclass(frozen=True)
class Grouping:
    kind: str                              # folder of its pages: issuers, years ...
    label: str                             # 发文机关, 年份 ...
    keys: Callable[[Notice], list[str]]    # the keys a notice is listed under
    heading: Callable[[str], str]          # the <h1> of a key's page
    slug: Callable[[list[str]], dict[str, str]] = unique_slugs
    newest_first: bool = False             # overview order: keys descending
    intro: str = ""


GROUPINGS = (
    Grouping(
        kind="issuers", label="发文机关",
        keys=lambda n: list(n.issuers),
        heading=lambda k: k,
        intro="联合发文列在每一个发文机关之下。",
    ),
    Grouping(
        kind="years", label="年份",
        keys=lambda n: [str(n.year)],
        heading=lambda k: f"{k}年",
        slug=lambda keys: {k: k for k in keys},
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


@dataclass
class Site:
    """What the index pages need to know: groups and their addresses."""

    corpus: Corpus
    groups: dict[str, dict[str, list[Notice]]]   # kind -> key -> notices, newest first
    slugs: dict[str, dict[str, str]]             # kind -> key -> slug

    @classmethod
    def of(cls, corpus: Corpus) -> Site:
        groups, slugs = {}, {}
        for g in GROUPINGS:
            by_key: dict[str, list[Notice]] = defaultdict(list)
            for n in corpus.listed:            # already newest first
                for key in g.keys(n):
                    by_key[key].append(n)
            groups[g.kind] = dict(by_key)
            slugs[g.kind] = g.slug(list(by_key))
        return cls(corpus, groups, slugs)

    def superseded_by(self, notice: Notice) -> list[Notice]:
        """Listed notices that say they replace this one, newest first.

        Only listed notices count: a 不予公开 notice must not reveal itself by
        a link on the notice it replaces.
        """
        if notice.doc_number is None:
            return []
        return [n for n in self.corpus.listed if notice.doc_number in n.supersedes]

    def page_of(self, kind: str, key: str) -> str | None:
        slug = self.slugs.get(kind, {}).get(key)
        return f"{kind}/{slug}.md" if slug else None

    def overview_of(self, kind: str) -> str:
        return f"{kind}/index.md"

    def pages(self, revisions: dict | None = None) -> list[tuple[str, str]]:
        """Every index page and the home page, as (source, Markdown).

        revisions maps a notice's path to its revisions (newest first), or is
        None when the build has no history; it feeds the recent-changes page.
        """
        out = [("index.md", self._home()), (CHANGES, self._changes(revisions))]
        for g in GROUPINGS:
            out.append((self.overview_of(g.kind), self._overview(g)))
            for key, notices in self.groups[g.kind].items():
                src = self.page_of(g.kind, key)
                out.append((src, self._group_page(g, key, notices, src)))
        return out

    def _ordered_keys(self, g: Grouping) -> list[str]:
        keys = self.groups[g.kind]
        if g.newest_first:
            return sorted(keys, reverse=True)
        # Most notices first, then by name, so the busiest bodies lead.
        return sorted(keys, key=lambda k: (-len(keys[k]), k))

    def _overview(self, g: Grouping) -> str:
        src = self.overview_of(g.kind)
        out = [f"# {g.label}", ""]
        if g.intro:
            out += [g.intro, ""]
        if not self.groups[g.kind]:
            out += ["暂无文件。", ""]
        for key in self._ordered_keys(g):
            count = len(self.groups[g.kind][key])
            link = md_href(src, self.page_of(g.kind, key))
            out.append(f"- [{md_text(g.heading(key))}]({link})（{count}件）")
        return "\n".join(out) + "\n"

    def _group_page(self, g: Grouping, key: str, notices: list[Notice], src: str) -> str:
        out = [f"# {md_text(g.heading(key))}", "", f"{g.label}：共{len(notices)}件，按成文日期由新到旧排列。", ""]
        out += notice_list(notices, src)
        return "\n".join(out) + "\n"

    def _home(self) -> str:
        listed = self.corpus.listed
        src = "index.md"
        out = ["# 政府文件", ""]
        years = self.groups["years"]
        span = ""
        if years:
            lo, hi = min(years), max(years)
            span = f"收录{lo}年的文件" if lo == hi else f"收录{lo}—{hi}年的文件"
        out += [
            '<div class="home-counts" markdown>',
            "",
            f"共收录文件 **{len(listed)}** 件，发文机关 **{len(self.groups['issuers'])}** 个，"
            f"{span}。",
            "",
            "</div>",
            "",
            "## 浏览",
            "",
        ]
        for g in GROUPINGS:
            count = len(self.groups[g.kind])
            out.append(f"- [按{g.label}]({md_href(src, self.overview_of(g.kind))})（{count}类）")
        out.append(f"- [最近更新]({md_href(src, CHANGES)})：新增、更正和废止的记录")
        out += ["", "## 最新文件", ""]
        out += notice_list(listed[:10], src)
        return "\n".join(out) + "\n"


    def _changes(self, revisions: dict | None, limit: int = 100) -> str:
        """最近更新: the latest additions, corrections and repeals."""
        out = ["# 最近更新", ""]
        if revisions is None:
            return "\n".join(out + ["本次构建没有可用的修订记录。", ""])
        events = [
            (rev.commit.date, rev.commit.index, rev, n)
            for n in self.corpus.listed for rev in revisions.get(n.rel, [])
        ]
        events.sort(key=lambda e: (e[0], e[1], e[3].rel), reverse=True)
        out += [f"最近{min(limit, len(events))}次更新，按提交时间由新到旧排列。", ""]
        out += ["| 日期 | 类型 | 文件 | 说明 |", "|---|---|---|---|"]
        for when, _, rev, n in events[:limit]:
            kind = "新增" if rev.is_original else rev.kind
            link = md_href(CHANGES, notice_src(n))
            number = f"{md_text(str(n.doc_number))}<br>" if n.doc_number else ""
            out.append(f"| {cn_date(when.date())} | {kind} | {number}[{md_text(n.title)}]({link}#history) | {md_text(rev.commit.subject)} |")
        return "\n".join(out) + "\n"


CHANGES = "changes.md"


def notice_list(notices: list[Notice], src: str) -> list[str]:
    """One entry per notice: title as link, then number and date."""
    out = []
    for n in notices:
        link = md_href(src, notice_src(n))
        meta = [esc(str(n.doc_number))] if n.doc_number else []
        meta.append(cn_date(n.date))
        if n.validity != "有效":
            meta.append(esc(n.validity))
        out.append(f"- [{md_text(n.title)}]({link})<br>")
        out.append(f'  <span class="notice-list-meta">{" · ".join(meta)}</span>')
    out.append("")
    return out
