"""Stored script injection: every field, file name and commit that reaches a page is hostile.

One corpus, in a git repository so that 修订记录 and 最近更新 render, where
each value a clerk or a committer controls carries a payload that sets
window.__pwned or opens a dialog.  The built site is then checked twice:
statically (every tag and attribute of every page, every script file, every
JSON file) against a build of a clean corpus, and in Chromium from file://
(every page opened, tabbed through, hovered, every <details> opened, search
run on the payloads).  Hostile text must still be shown, as text.
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOTS, build_into, run_build

MARK = "__pwned"
PAYLOAD = "window.__pwned=1"

# --- the hostile values ----------------------------------------------------------
# Each carries a Chinese tag (甲, 乙 …) so that the test can find it as text.

T_A = f'<script>{PAYLOAD}</script>"><img src=x onerror={PAYLOAD}>恶意标题甲'
T_B = f"&lt;script&gt;{PAYLOAD}&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;恶意标题乙"
T_C = f"</title><script>{PAYLOAD}</script>{{{{ 7*7 }}}}{{% raw %}}' onmouseover='{PAYLOAD}恶意标题丙"
# A document number's prefix may hold anything but digits and brackets (which
# are read as the brackets around the year).
NUMBER_A = '"><svg onload=window.__pwned=true>〔2020〕1号'
NUMBER_C = "<b onclick=window.__pwned=true>〔2020〕3号"
ISSUERS = [f"<img src=x onerror={PAYLOAD}>机关甲", f'" onmouseover="{PAYLOAD}" x="机关乙']
TOPICS = [f'<iframe src="javascript:{PAYLOAD}"></iframe>主题甲', f"javascript:{PAYLOAD}//主题乙"]
FIELDS = {
    "recipients": f'<a href="javascript:{PAYLOAD}">主送甲</a>',
    "cc": "<style>body{display:none}</style>抄送甲",
    "index_no": f"<details open ontoggle={PAYLOAD}>索引甲",
    "printed_by": f"<svg><script>{PAYLOAD}</script></svg>印发甲",
}
CONTACT = {"name": "<b onclick=alert(1)>联系人甲</b>", "phone": f"javascript:{PAYLOAD}"}
ERRATUM = f"<img src=x onerror={PAYLOAD}>勘误甲"
ATT_PDF_TITLE = f"<img src=x onerror={PAYLOAD}>附件标题甲"
ATT_PDF_NAME = '"><img src=x onerror=alert(1)>.pdf'
ATT_MD_TITLE = f"<script>{PAYLOAD}</script>附件标题乙"
ATT_OMITTED_TITLE = f"<a href=javascript:alert(1)>附件标题丙</a>"
AUTHOR_1 = f'作者甲" onmouseover="{PAYLOAD}" x="甲'       # git drops < and > from names
AUTHOR_2 = f"&lt;script&gt;{PAYLOAD}&lt;/script&gt;作者乙"
SUBJECT_1 = f"<img src=x onerror={PAYLOAD}>新增说明甲"
SUBJECT_2 = f"<script>{PAYLOAD}</script>&lt;/td&gt;更正说明乙"
TERM = "蜜罐词"                      # in every body: what the search tests look for

BODY = f"""# 第一节<img src=x onerror={PAYLOAD}>

{TERM}一。<script>{PAYLOAD}</script>

<img src=x onerror="{PAYLOAD}">

<details open ontoggle="{PAYLOAD}"><summary>点开</summary>内容</details>

<a href="javascript:{PAYLOAD}">链接一</a>

[链接二](javascript:{PAYLOAD})

[链接三](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

<a href="jav&#x09;ascript:{PAYLOAD}">链接四</a> <a href=" JaVaScRiPt:{PAYLOAD}">链接五</a>

[链接六][ref]

[ref]: javascript:{PAYLOAD}

![图](javascript:alert(1)) ![图二](data:image/svg+xml,%3Csvg%20onload%3Dalert(1)%3E)

<iframe src="javascript:{PAYLOAD}"></iframe>

<style>*{{background:url("javascript:{PAYLOAD}")}}</style>

<svg onload="{PAYLOAD}"><circle r="1"/></svg>

<form action="javascript:{PAYLOAD}"><button>提交</button></form>

<object data="javascript:{PAYLOAD}"></object><embed src="javascript:{PAYLOAD}">

<base href="javascript:{PAYLOAD}//"><meta http-equiv="refresh" content="0;url=javascript:{PAYLOAD}">

<math><mtext><table><mglyph><style><img src=x onerror={PAYLOAD}>

<noscript><p title="</noscript><img src=x onerror={PAYLOAD}>"></noscript>

## 第二节 {{ onclick={PAYLOAD} }}

段落甲 {{: onfocus={PAYLOAD} autofocus tabindex=0 }}

## 第三节
{{: #x onmouseover={PAYLOAD} }}

段落乙
{{: onmouseover={PAYLOAD} }}

`<script>{PAYLOAD}</script>`

| 表头<img src=x onerror={PAYLOAD}> | b |
|---|---|
| <a href="javascript:alert(1)">x</a> | <span onclick=alert(1)>y</span> |

<https://example.org/"onmouseover="{PAYLOAD}>

<!-- <script>{PAYLOAD}</script> -->
"""

ATTACHMENT_MD = f"""## 附件一节<svg onload={PAYLOAD}>

{TERM}附件。<script>{PAYLOAD}</script>

段落 {{: onfocus={PAYLOAD} autofocus tabindex=0 }}

[附件链接](javascript:{PAYLOAD})

<details open ontoggle={PAYLOAD}>x</details>
"""


def q(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


def notice_a(body: str = BODY, recipients: str = FIELDS["recipients"]) -> str:
    fields = {**FIELDS, "recipients": recipients}
    lines = [
        "---",
        f"title: {q(T_A)}",
        f"doc_number: {q(NUMBER_A)}",
        f"issuers: [{', '.join(q(i) for i in ISSUERS)}]",
        "date: 2020-01-08",
        "disclosure: 主动公开",
        *(f"{k}: {q(v)}" for k, v in fields.items()),
        f"topics: [{', '.join(q(t) for t in TOPICS)}]",
        f"contact: {{name: {q(CONTACT['name'])}, phone: {q(CONTACT['phone'])}}}",
        "printed_on: 2020-01-08",
        "errata:",
        f"  - {{date: 2020-01-09, note: {q(ERRATUM)}}}",
        "attachments:",
        f"  - title: {q(ATT_PDF_TITLE)}",
        f"    file: {q(ATT_PDF_NAME)}",
        f"  - title: {q(ATT_MD_TITLE)}",
        "    file: fujian.md",
        f"  - title: {q(ATT_OMITTED_TITLE)}",
        "    omitted: true",
        "---",
        "",
        body,
    ]
    return "\n".join(lines)


NOTICE_B = f"""---
title: {q(T_B)}
doc_number: 三府〔2020〕2号
issuers: [{q(ISSUERS[1])}]
date: 2020-01-09
disclosure: 依申请公开
recipients: {q(FIELDS["recipients"])}
index_no: {q(FIELDS["index_no"].replace("甲", "乙"))}
supersedes: [{q(NUMBER_A)}]
topics: [{q(TOPICS[0])}]
---

{TERM}依申请。<script>{PAYLOAD}</script>
"""

NOTICE_C = f"""---
title: {q(T_C)}
doc_number: {q(NUMBER_C)}
issuers: [{q(ISSUERS[0])}]
date: 2020-01-10
disclosure: 主动公开
validity: 废止
repealed_by: {q(NUMBER_A)}
repealed_on: 2020-02-01
---

{TERM}丙。[脚注链接](javascript:{PAYLOAD} "{PAYLOAD}")
"""


def git(repo: Path, *args: str, date: str = "2020-01-08T10:00:00+08:00", author: str = "书记员") -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin",
           "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", f"user.name={author}", "-c", "user.email=clerk@example.org",
                    "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("injection") / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    year = repo / "notices" / "2020"
    (year / "sanfu-2020-1").mkdir(parents=True)
    (year / "sanfu-2020-1.md").write_text(notice_a(), encoding="utf-8")
    (year / "sanfu-2020-1" / ATT_PDF_NAME).write_bytes(b"%PDF-1.4\n%hostile name\n")
    (year / "sanfu-2020-1" / "fujian.md").write_text(ATTACHMENT_MD, encoding="utf-8")
    (year / "sanfu-2020-2.md").write_text(NOTICE_B, encoding="utf-8")
    (year / "sanfu-2020-3.md").write_text(NOTICE_C, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", SUBJECT_1, author=AUTHOR_1)
    # A correction whose diff carries raw markup in the changed words and fields.
    body = BODY.replace(f"{TERM}一。<script>", f"{TERM}一。<img src=y onerror={PAYLOAD}><script>")
    (year / "sanfu-2020-1.md").write_text(
        notice_a(body, recipients=f"<svg onload={PAYLOAD}>主送乙"), encoding="utf-8")
    (year / "sanfu-2020-1" / "fujian.md").write_text(
        ATTACHMENT_MD.replace("附件。", f"附件。<iframe src=javascript:{PAYLOAD}>"), encoding="utf-8")
    git(repo, "commit", "-qam", SUBJECT_2, date="2020-01-09T11:00:00+08:00", author=AUTHOR_2)
    return repo


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    return build_into(repo / "notices", tmp_path_factory.mktemp("injection-site") / "site")


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> Path:
    """The theme's own scripts and handlers: what a clean corpus builds to."""
    return build_into(ROOTS / "basic" / "notices", tmp_path_factory.mktemp("clean") / "site")


# --- reading pages ----------------------------------------------------------------

URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset", "ping", "content"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self.title = ""
        self._script: dict | None = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "script":
            self._script = a
            self.scripts.append((a, ""))
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._script is not None:
            a, text = self.scripts[-1]
            self.scripts[-1] = (a, text + data)
        else:
            self.text.append(data)
        if self._in_title:
            self.title += data


def parse(path: Path) -> _Tags:
    p = _Tags()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def _script_kind(attrs: dict) -> str:
    src = attrs.get("src")
    if src:
        return "src:" + src.rsplit("/", 1)[-1]
    return "inline:" + ",".join(f"{k}={v}" for k, v in sorted(attrs.items()))


def _theme_allowance(clean: Path) -> tuple[set, set, set]:
    """(script kinds, (tag, on* attribute) pairs, tag names) found in the clean build."""
    scripts, handlers, tags = set(), set(), set()
    for page in clean.rglob("*.html"):
        p = parse(page)
        scripts.update(_script_kind(a) for a, _ in p.scripts)
        handlers.update((t, k) for t, a in p.tags for k in a if k.startswith("on"))
        tags.update(t for t, _ in p.tags)
    return scripts, handlers, tags


def _bad_url(value: str) -> bool:
    squashed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squashed.startswith(("javascript:", "data:", "vbscript:")) or re.search(r"url=\s*(javascript|data):", squashed) is not None


def test_the_build_succeeds_with_hostile_values_everywhere(site):
    assert (site / "notices/2020/sanfu-2020-1.html").is_file()
    assert (site / "notices/2020/sanfu-2020-2.html").is_file()
    assert (site / "notices/2020/sanfu-2020-3.html").is_file()


DANGEROUS = {"iframe", "frame", "object", "embed", "base", "form", "style", "svg", "math", "img", "meta", "link"}


def static_problems(site: Path, allowance: tuple[set, set, set]) -> list[str]:
    """Scripts, handlers, URLs and tags in the site's pages that the theme does not make."""
    scripts, handlers, theme_tags = allowance
    problems = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        p = parse(page)
        for attrs, code in p.scripts:
            if _script_kind(attrs) not in scripts:
                problems.append(f"{rel}: a <script> the theme does not have: {attrs} {code[:80]!r}")
            if MARK in code or "alert(" in code:
                problems.append(f"{rel}: a payload inside a <script>: {code[:120]!r}")
        for tag, attrs in p.tags:
            for k, v in attrs.items():
                if k.startswith("on") and (tag, k) not in handlers:
                    problems.append(f"{rel}: <{tag} {k}={v!r}>")
                if k in URL_ATTRS and _bad_url(v):
                    problems.append(f"{rel}: <{tag} {k}={v!r}>")
                if MARK in v and k not in ("title", "aria-label", "alt", "value", "content"):
                    problems.append(f"{rel}: <{tag} {k}={v!r}> (a payload outside a text attribute)")
            if tag in DANGEROUS and tag not in theme_tags:
                problems.append(f"{rel}: <{tag} {attrs}> (the theme has no <{tag}>)")
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"<(script|img|svg|iframe|details|style|object|embed|base|form|math|b|a)\b[^>]*>", text, re.I):
            tag = m[0]
            bare = re.sub(r'="[^"]*"|=\'[^\']*\'', "=''", tag)     # attribute values are not markup
            if MARK in bare or "alert(" in bare or re.search(r"\son[a-z]+\s*=", bare, re.I) \
                    or re.search(r"(href|src|action)\s*=\s*[\"']?\s*(javascript|data):", tag, re.I):
                problems.append(f"{rel}: raw {tag[:160]}")
    return sorted(set(problems))


def test_no_page_has_a_script_handler_url_or_tag_the_theme_does_not_have(site, clean_site):
    assert static_problems(site, _theme_allowance(clean_site)) == []


def test_script_and_json_files_are_data_not_code(site):
    """Every search-index file is one call with a JSON argument (rules.js: one
    assignment of JSON); hostile text stays inside strings."""
    problems = []
    for path in sorted((site / "search-index").rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        m = (re.fullmatch(r"__gz\.(meta|shard|text|more|t2s)\((\d+),(.*)\);\n?", text, re.S)
             or re.fullmatch(r"window\.(__gzRules)=()(.*);\n?", text, re.S))
        if not m:
            problems.append(f"{path.relative_to(site)}: not one __gz call or __gzRules assignment: {text[:120]!r}")
            continue
        try:
            json.loads(m[3])
        except ValueError as e:
            problems.append(f"{path.relative_to(site)}: argument is not JSON ({e})")
    for path in sorted(site.rglob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))
    # No .js file of the site holds a payload outside the search index's JSON strings.
    for path in sorted(site.rglob("*.js")):
        if "search-index" not in path.parts and MARK in path.read_text(encoding="utf-8", errors="replace"):
            problems.append(f"{path.relative_to(site)}: holds {MARK}")
    # No hostile attachment name became a file the browser would run.
    for path in (site / "files").rglob("*"):
        assert path.suffix.lower() not in (".html", ".htm", ".svg", ".xhtml", ".js"), path
    assert problems == []


def test_hostile_values_are_shown_as_text(site):
    a = parse(site / "notices/2020/sanfu-2020-1.html")
    text_a = "".join(a.text)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", (site / "notices/2020/sanfu-2020-1.html").read_text(encoding="utf-8"), re.S)[1]
    assert "<" not in h1 and "&lt;script&gt;" in h1
    assert a.title.strip() == f"{T_A} - 三亚市政府文件库"
    for value in [T_A, *ISSUERS, *TOPICS, FIELDS["cc"], FIELDS["index_no"], FIELDS["printed_by"],
                  f"<svg onload={PAYLOAD}>主送乙", CONTACT["name"], CONTACT["phone"], ERRATUM,
                  ATT_PDF_TITLE, ATT_MD_TITLE, ATT_OMITTED_TITLE, SUBJECT_1, SUBJECT_2, AUTHOR_1, AUTHOR_2,
                  NUMBER_A.replace(" ", "")]:
        assert value in text_a, value
    b = parse(site / "notices/2020/sanfu-2020-2.html")
    assert b.title.strip() == f"{T_B} - 三亚市政府文件库"      # the entities stay entities, as typed
    assert T_B in "".join(b.text)
    c = parse(site / "notices/2020/sanfu-2020-3.html")
    assert c.title.strip() == f"{T_C} - 三亚市政府文件库"
    assert T_C in "".join(c.text) and "49" not in "".join(c.text)
    changes = "".join(parse(site / "changes.html").text)
    for value in (T_A, T_B, T_C, SUBJECT_2):       # the first commit's subject is on the page, as an auditor's detail
        assert value in changes, value
    # The hostile file name is offered for download, percent-encoded.
    assert (site / "files/2020/sanfu-2020-1" / ATT_PDF_NAME).read_bytes().startswith(b"%PDF")
    assert f'href="../../files/2020/sanfu-2020-1/{quote(ATT_PDF_NAME)}"' in (site / "notices/2020/sanfu-2020-1.html").read_text(encoding="utf-8")


def test_commit_subjects_with_gits_own_separators_neither_crash_nor_forge_history(tmp_path):
    """history.py splits `git log` output on \\x1e and \\x1f; a subject may contain both."""
    repo = tmp_path / "repo"
    (repo / "notices" / "2020").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    notice = repo / "notices" / "2020" / "sanfu-2020-1.md"
    notice.write_text("---\ntitle: 测试通知\ndoc_number: 三府〔2020〕1号\nissuers: [三亚市人民政府]\n"
                      "date: 2020-01-08\ndisclosure: 主动公开\n---\n\n正文。\n", encoding="utf-8")
    git(repo, "add", ".")
    forged = "0" * 40
    git(repo, "commit", "-qm", f"新增\x1fX\x1e{forged}\x1f1999-01-01T00:00:00+08:00\x1f伪造作者\x1f伪造说明\x1f",
        author="真作者")
    notice.write_text(notice.read_text(encoding="utf-8") + "\n第二段。\n", encoding="utf-8")
    git(repo, "commit", "-qam", "更正\x1e说明", date="2020-01-09T10:00:00+08:00", author="真作者\x1f乙")
    result = run_build("--notices", str(repo / "notices"), "build", "--site-dir", str(tmp_path / "site"))
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/notices/2020/sanfu-2020-1.html").read_text(encoding="utf-8")
    dates = re.findall(r'<span class="history-date">(.*?)</span>', html)
    authors = re.findall(r'<span class="history-author">(.*?)</span>', html)
    commits = re.findall(r'<code class="history-commit">(.*?)</code>', html)
    assert [d.split()[0] for d in dates] == ["2020年1月9日", "2020年1月8日"]
    assert [a.replace("\x1f", "") for a in authors] == ["真作者乙", "真作者"]
    assert forged[:10] not in commits and len(commits) == 2
    assert "\x1e" not in html and "\x1f" not in html          # control characters never reach a page


# --- in Chromium ------------------------------------------------------------------

PROBE = """() => {
  const bad = [];
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    if (['javascript:', 'data:', 'vbscript:'].includes(a.protocol)) bad.push(a.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('iframe, frame, object, embed, base')) bad.push(el.outerHTML.slice(0, 120));
  return bad;
}"""

POKE = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'animationstart']) {
      el.dispatchEvent(new Event(type, {bubbles: type !== 'mouseenter' && type !== 'focus'}));
    }
    if (el.hasAttribute('onclick') && el.tagName !== 'A') el.click();
  }
}"""


def _pages(site: Path) -> list[str]:
    pages = [p.relative_to(site).as_posix() for p in site.rglob("*.html")]
    pages = sorted(p for p in pages if p != "search.html")
    return pages + [f"search.html?q={quote(TERM)}", f"search.html?q={quote('恶意标题')}",
                    f"search.html?q={quote('<img src=x onerror=' + PAYLOAD + '>')}",
                    f"search.html?q={quote(NUMBER_A)}"]


def browser_problems(page, site: Path, rels: list[str]) -> list[str]:
    """Open each page, tab, hover, open every <details>: did any payload run?"""
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    problems = []
    for rel in rels:
        path, _, query = rel.partition("?")
        page.goto((site / path).as_uri() + (f"?{query}" if query else ""))
        page.wait_for_load_state("load")
        if path == "search.html":
            page.wait_for_function("() => { const s = document.getElementById('gz-status').textContent;"
                                   " return s !== '' && !/正在搜索/.test(s); }", timeout=10_000)
        for _ in range(20):
            page.keyboard.press("Tab")
        page.evaluate(POKE)
        page.wait_for_timeout(50)
        if page.evaluate(f"() => typeof window.{MARK}") != "undefined":
            problems.append(f"{rel}: window.{MARK} was set")
        problems += [f"{rel}: {b}" for b in page.evaluate(PROBE)]
        if dialogs:
            problems.append(f"{rel}: dialog {dialogs}")
            dialogs.clear()
    return problems


def test_nothing_runs_in_chromium(site, page):
    assert browser_problems(page, site, _pages(site)) == []
    assert page.remote_requests == []


def test_the_checks_catch_a_planted_payload(site, clean_site, page, tmp_path):
    """The checks above are not vacuous: a payload planted in a built page is found by each."""
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    target = copy / "notices/2020/sanfu-2020-3.html"
    html = target.read_text(encoding="utf-8")
    target.write_text(html.replace("</h1>", f'</h1><img src=x onerror="{PAYLOAD}"><a href=" javascript:alert(1)">x</a>', 1),
                      encoding="utf-8")
    found = static_problems(copy, _theme_allowance(clean_site))
    assert any("onerror" in p for p in found) and any("javascript:" in p for p in found), found
    found = browser_problems(page, copy, ["notices/2020/sanfu-2020-3.html"])
    assert any("was set" in p for p in found) and any("javascript:" in p for p in found), found


def test_search_results_show_hostile_titles_as_text(site, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((site / "search.html").as_uri() + "?q=" + quote("恶意标题"))
    page.wait_for_selector("#search-results li", timeout=10_000)
    titles = page.locator("#search-results .gz-result__title").all_inner_texts()
    assert sorted(titles) == sorted([T_A, T_B, T_C])
    # The header box on a notice page: results as you type.
    page.goto((site / "notices/2020/sanfu-2020-1.html").as_uri())
    page.locator(".gz-header-search input[name=q]").fill(TERM)
    page.wait_for_selector("#gz-suggest li", timeout=10_000)
    page.evaluate(POKE)
    assert page.evaluate(f"() => typeof window.{MARK}") == "undefined"
    assert page.locator("h1").first.inner_text() == T_A
    assert page.title() == f"{T_A} - 三亚市政府文件库"
    assert dialogs == []
