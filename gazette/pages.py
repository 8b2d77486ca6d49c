"""The page of one notice, as Markdown: metadata table, body, signature.

The metadata table follows the State Council policy library (索引号, 主题分类,
发文机关, 成文日期, 标题, 发文字号, 发布日期, 有效性, 公开方式).  The signature
block, the 附注 and the disclosure note are rendered from the metadata, as
NOTICE-FORMAT.md asks, so clerks never type them into the body.

Disclosure is decided here and nowhere else: for a notice that is not 主动公开
no body or attachment text is ever written.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from .diff import html_fields, html_text
from .notice import Notice
from .revisions import Revision
from .text import cn_date, esc, href, md_text

APPLY_PAGE = "apply.md"   # hand-written guide on how to request disclosure
NONE = "—"


def notice_src(notice: Notice) -> str:
    return f"notices/{notice.year}/{notice.slug}.md"


def attachment_src(notice: Notice, file: str) -> str:
    """An attachment keeps its place beside the notice: file is relative to it."""
    return posixpath.normpath(f"notices/{notice.year}/{file}")


def downloads(notice: Notice) -> list[tuple[str, Path]]:
    """Attachment files copied into the site as they are: (address, source).

    Only for 主动公开 notices; .md attachments are shown inside the page instead.
    """
    if not notice.is_public:
        return []
    return [(attachment_src(notice, a.file), a.source) for a in notice.attachments
            if a.source is not None and a.text is None]


def render_notice(
    notice: Notice,
    page_of: Callable[[str, str], str | None],
    notice_by_number: Callable[[object], Notice | None],
    revisions: list[Revision] | None = None,
    superseded_by: list[Notice] = (),
) -> str:
    """Markdown for a notice page.

    page_of(kind, key) gives the .md source of the index page for an issuer,
    topic, ... (or None); notice_by_number finds a listed notice by number;
    revisions is the notice's history, or None when the build has none;
    superseded_by lists the later notices that replace this one.
    """
    if not notice.is_listed:
        raise ValueError(f"{notice.rel} is 不予公开 and has no page")
    src = notice_src(notice)

    def link(kind: str, key: str) -> str:
        target = page_of(kind, key)
        return f'<a href="{href(src, target)}">{esc(key)}</a>' if target else esc(key)

    def number_link(number) -> str:
        other = notice_by_number(number)
        if other is None:
            return esc(str(number))
        return f'<a href="{href(src, notice_src(other))}">{esc(str(number))}</a>'

    out = [f"# {md_text(notice.title)}", ""]
    out += _status_banner(notice, number_link)
    later = [number_link(n.doc_number) for n in superseded_by]
    if later:
        out += [
            '<div class="admonition warning notice-superseded">',
            f'<p class="admonition-title">本文件已被{"、".join(later)}全部或部分替代</p>',
            "<p>两者不一致的，以后发文件为准。</p>",
            "</div>",
            "",
        ]
    out += _meta_table(notice, link, number_link, later)
    if not notice.is_public:
        out += [
            '<div class="admonition note notice-on-request">',
            '<p class="admonition-title">本文件依申请公开</p>',
            f'<p>本文件的正文和附件不在网上公开。如需获取，请按照<a href="{href(src, APPLY_PAGE)}">政府信息公开申请指南</a>向发文机关提出申请。</p>',
            "</div>",
            "",
        ]
        out += _history(revisions)
        return "\n".join(out)

    if notice.recipients:
        out += [f'<p class="notice-recipients">{esc(notice.recipients)}：</p>', ""]
    out += ['<div class="notice-body" markdown>', "", notice.body.strip(), "", "</div>", ""]
    out += _attachment_note(notice, src)
    out += _signature(notice)
    out += _attachment_sections(notice, src)
    out += _imprint(notice)
    out += _errata(notice)
    out += _history(revisions)
    return "\n".join(out).rstrip() + "\n"


def _status_banner(notice: Notice, number_link) -> list[str]:
    if notice.validity == "有效":
        return []
    detail = []
    if notice.repealed_on:
        detail.append(f"废止日期：{cn_date(notice.repealed_on)}")
    if notice.repealed_by:
        detail.append(f"废止文件：{number_link(notice.repealed_by)}")
    text = "本文件已废止" if notice.validity == "废止" else "本文件已失效"
    suffix = f"（{'；'.join(detail)}）" if detail else ""
    return [
        '<div class="admonition danger notice-status" role="alert">',
        f'<p class="admonition-title">{text}{suffix}</p>',
        "<p>下文仅供查阅，不再作为办事依据。</p>",
        "</div>",
        "",
    ]


def _meta_table(notice: Notice, link, number_link, later: list[str]) -> list[str]:
    def cell(value: str | None) -> str:
        return value if value else NONE

    rows = [
        ("索引号", cell(esc(notice.index_no or "")), "主题分类", cell("、".join(link("topics", t) for t in notice.topics))),
        ("发文机关", "、".join(link("issuers", i) for i in notice.issuers), "成文日期", cn_date(notice.date)),
        ("标题", esc(notice.title), None, None),
        ("发文字号", cell(esc(str(notice.doc_number)) if notice.doc_number else ""), "发布日期", cn_date(notice.published_on)),
        ("有效性", esc(notice.validity), "公开方式", esc(notice.disclosure)),
    ]
    extra = []
    if notice.recipients:
        extra.append(("主送机关", esc(notice.recipients)))
    if notice.effective:
        extra.append(("施行日期", cn_date(notice.effective)))
    if notice.supersedes:
        extra.append(("替代文件", "、".join(number_link(n) for n in notice.supersedes)))
    if later:
        extra.append(("被替代", "、".join(later)))
    if notice.repealed_on:
        extra.append(("废止日期", cn_date(notice.repealed_on)))
    if notice.repealed_by:
        extra.append(("废止文件", number_link(notice.repealed_by)))

    out = ['<table class="notice-meta">']
    for a, va, b, vb in rows:
        if b is None:
            out.append(f"<tr><th>{a}</th><td colspan=\"3\">{va}</td></tr>")
        else:
            out.append(f"<tr><th>{a}</th><td>{va}</td><th>{b}</th><td>{vb}</td></tr>")
    for a, va in extra:
        out.append(f"<tr><th>{a}</th><td colspan=\"3\">{va}</td></tr>")
    out += ["</table>", ""]
    return out


def _attachment_note(notice: Notice, src: str) -> list[str]:
    """附件说明: the list of attachments under the body."""
    if not notice.attachments:
        return []
    many = len(notice.attachments) > 1
    items = []
    for i, a in enumerate(notice.attachments, 1):
        label = f"{i}." if many else ""
        if a.omitted:
            items.append(f"{label}{esc(a.title)}（略）")
        elif a.text is not None:
            items.append(f'{label}<a href="#{_anchor(i)}">{esc(a.title)}</a>')
        else:
            items.append(f'{label}<a href="{href(src, attachment_src(notice, a.file))}">{esc(a.title)}</a>')
    first, rest = items[0], items[1:]
    out = [f'<div class="notice-attachment-note"><p>附件：{first}</p>']
    out += [f'<p class="notice-attachment-more">{item}</p>' for item in rest]
    out += ["</div>", ""]
    return out


def _signature(notice: Notice) -> list[str]:
    out = ['<div class="notice-signature">']
    out += [f"<p>{esc(i)}</p>" for i in notice.issuers]
    out.append(f'<p class="notice-date">{cn_date(notice.date)}</p>')
    out.append("</div>")
    if notice.contact:
        phone = notice.contact.get("phone")
        contact = f"联系人：{esc(notice.contact['name'])}" + (f"，联系电话：{esc(phone)}" if phone else "")
        out.append(f'<p class="notice-contact">（{contact}）</p>')
    out.append(f'<p class="notice-disclosure">（此件{esc(notice.disclosure)}）</p>')
    out.append("")
    return out


def _anchor(i: int) -> str:
    return f"attachment-{i}"


def _attachment_sections(notice: Notice, src: str) -> list[str]:
    out = []
    many = len(notice.attachments) > 1
    for i, a in enumerate(notice.attachments, 1):
        if a.text is None:
            continue
        label = f"附件{i}" if many else "附件"
        out += [
            f"## {label}：{md_text(a.title)} {{ #{_anchor(i)} .notice-attachment-title }}",
            "",
            _demote_headings(a.text),
            "",
        ]
    return out


def _demote_headings(text: str) -> str:
    """An attachment's own sections sit one level below its title."""
    return re.sub(r"^(#{1,5}) ", r"\1# ", text, flags=re.MULTILINE)


def _imprint(notice: Notice) -> list[str]:
    """版记: 抄送 and the 印发 line, at the foot of the document."""
    lines = []
    if notice.cc:
        lines.append(f"<p>抄送：{esc(notice.cc)}</p>")
    if notice.printed_by or notice.printed_on:
        by = esc(notice.printed_by or "")
        on = f"{cn_date(notice.printed_on)}印发" if notice.printed_on else "印发"
        lines.append(f'<p><span class="notice-printed-by">{by}</span> <span class="notice-printed-on">{on}</span></p>')
    if not lines:
        return []
    return ['<div class="notice-imprint">', *lines, "</div>", ""]


def _errata(notice: Notice) -> list[str]:
    if not notice.errata:
        return []
    out = ["## 勘误 { #errata }", "", "<ul class=\"notice-errata\">"]
    for e in sorted(notice.errata, key=lambda e: e.date):
        out.append(f"<li>{cn_date(e.date)}：{esc(e.note)}</li>")
    out += ["</ul>", ""]
    return out


def commit_time(rev: Revision) -> str:
    when = rev.commit.date
    return f"{cn_date(when.date())} {when:%H:%M}"


def _history(revisions: list[Revision] | None) -> list[str]:
    """修订记录: every commit that changed the notice, newest first."""
    out = ["## 修订记录 { #history }", ""]
    if revisions is None:
        out += ['<p class="history-none">本次构建没有可用的修订记录（例如从源码包或浅克隆构建），无法显示本文件的修改历史。</p>', ""]
        return out
    if not revisions:
        out += ['<p class="history-none">本文件尚未提交，还没有修订记录。</p>', ""]
        return out
    out.append('<ol class="history">')
    for rev in revisions:
        c = rev.commit
        head = (
            f'<span class="history-date">{commit_time(rev)}</span> · '
            f'<span class="history-kind">{esc(rev.kind)}</span> · '
            f'<code class="history-commit">{esc(c.short)}</code> · '
            f'<span class="history-author">{esc(c.author)}</span><br>'
            f'<span class="history-subject">{esc(c.subject)}</span>'
        )
        body = ""
        if not rev.is_original:
            parts = [html_fields(rev.fields)]
            if rev.body:
                parts.append("<p><strong>正文</strong></p>" + html_text(rev.body))
            for title, hunks in rev.attachments:
                parts.append(f"<p><strong>附件：{esc(title)}</strong></p>" + html_text(hunks))
            if rev.note:
                parts.append(f'<p class="history-note">{esc(rev.note)}</p>')
            if not "".join(parts):
                parts.append('<p class="history-note">这次提交没有改动本文件显示的内容。</p>')
            body = '<details class="history-diff"><summary>查看改动</summary>' + "".join(parts) + "</details>"
        out.append(f'<li class="history-revision">{head}{body}</li>')
    out += ["</ol>", ""]
    return out
