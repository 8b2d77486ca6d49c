"""Text copied from a government disclosure page: its metadata block, and the page around it.

A provincial disclosure page puts a metadata table above the document:

    索  引 号: 000014349/2020-00123      主题分类: 城乡建设
    发文机关: 海南省人民政府办公厅          成文日期: 2020年05月12日
    标      题: 海南省人民政府办公厅关于……的通知
    文       号: 琼府办〔2020〕21号          发布日期: 2020年05月14日

Copied as text, labels come spaced for alignment, several to a line, or
split from their values by tabs.  The labels are read through the field
table (fields.LABELS: 索引号, 主题分类, 发文机关 …) plus the few other words
disclosure sites use for the same fields (文号, 发布机构 …); labels that name
no field (主题词, 生成日期) are reported with their values, never dropped in
silence and never guessed into a field.

The page chrome (breadcrumbs 首页 > 规划计划, 扫一扫在手机打开当前页, 打印本页,
关闭窗口, 版权所有, ICP numbers, 网站标识码, visit counters, related links) is
dropped, and how much was dropped is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..fields import LABELS
from . import patterns as p

# Words disclosure sites use for our fields, beside the field table's own labels.
_ALSO = {
    "文号": "doc_number", "发文字号": "doc_number", "名称": "title", "文件名称": "title",
    "发布机构": "issuers", "发文单位": "issuers", "发布单位": "issuers", "发文机构": "issuers", "制发机关": "issuers",
    "发文日期": "date", "印发日期": "printed_on", "公开日期": "published", "发布时间": "published",
    "时效性": "validity", "效力状态": "validity", "时效": "validity", "公开属性": "disclosure",
    "分类": "topics", "主题": "topics",
}
# Labels that name no field: read so that values are cut right, then reported.
_UNUSED = ("主题词", "关键词", "生成日期", "信息来源", "来源", "体裁分类", "组配分类", "服务对象分类", "公文种类",
           "文种", "统一编号", "登记号", "信息类别", "所属机构", "更新时间", "浏览次数", "访问次数", "规范性文件登记号")
# Closed vocabularies as sites word them, beside the field table's own values.
_WORDING = {"现行有效": "有效", "已失效": "失效", "已废止": "废止"}

KEYS: dict[str, str | None] = {label: key for key, label in LABELS.items()} | _ALSO | {w: None for w in _UNUSED}


def _spaced(word: str) -> str:
    return f"[{p.SPACES}]*".join(re.escape(c) for c in word)


_LABEL = re.compile(
    "(?:^|(?<=[" + p.SPACES + "]))(" + "|".join(_spaced(w) for w in sorted(KEYS, key=len, reverse=True))
    + f")[{p.SPACES}]*[:：]"
)

_CHROME_LINE = [re.compile(x) for x in (
    r"首页.*[>»＞›]|[>»＞›].*首页|^(当前位置|您现在的位置|您的位置|所在位置)",
    r"扫一扫|手机(上)?打开|在手机上查看|二维码",
    r"打印本页|打印此页|关闭窗口|关闭本页|【\s*(打印|关闭)\s*】|^\s*(打印|关闭|收藏|分享)\s*$",
    r"字号[:：]?\s*[大中小]|【\s*字体|^\s*[【\[]?\s*大\s*中\s*小\s*[】\]]?\s*$|分享到",
    r"版权所有|[Cc]opyright|©",
    r"ICP\s*(备|证)|网站标识码|公网安备|政府网站找错",
    r"(访问量|浏览次数|访问次数|点击数|阅读次数|浏览量|阅读量)\s*[:：]?\s*[0-9]",
    r"^\s*(主办单位|承办单位|技术支持|运行维护|网站地图|联系我们|返回顶部|无障碍|长者模式|网站声明|隐私声明)",
    r"^\s*(上一篇|下一篇)\s*[:：]",
)]
# Headings after which a page lists links, not the document.
_TRAILER = re.compile(r"^\s*[【\[]?\s*(相关链接|相关文件|相关解读|政策解读|相关新闻|相关信息|相关阅读|附件下载|相关附件)\s*[】\]]?\s*[:：]?\s*$")
_FRAGMENT = re.compile(r"【[^】]{0,12}(打印|关闭|字体|大\s*中\s*小)[^】]{0,12}】")


@dataclass
class Page:
    lines: list[str]                         # the document, without metadata and chrome
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)   # key -> (value as written, label)
    unused: list[str] = field(default_factory=list)    # label: value that name no field
    dropped: list[str] = field(default_factory=list)   # chrome lines


def _labels(line: str) -> list[re.Match]:
    return list(_LABEL.finditer(line))


def _metadata_line(line: str) -> bool:
    found = _labels(line)
    return bool(found) and not p.strip(line[:found[0].start()])


def _chrome(line: str) -> bool:
    return any(c.search(line) for c in _CHROME_LINE)


def read(lines: list[str]) -> Page | None:
    """The page's metadata and document, or None when the text is not a copied page."""
    start, end, keys = _metadata_block(lines)
    if len(keys - {None}) < 2:
        return None
    page = Page([])
    # Above the metadata: the site's banner and menus.
    page.dropped += [p.strip(line) for line in lines[:start] if p.strip(line)]
    i, in_trailer = start, False
    while i < len(lines):
        line = _FRAGMENT.sub("", lines[i])
        if in_trailer or _TRAILER.match(line):
            in_trailer = True
            if p.strip(line):
                page.dropped.append(p.strip(line))
            i += 1
            continue
        if _chrome(line):
            page.dropped.append(p.strip(lines[i]))
            i += 1
            continue
        if i < end and _metadata_line(line):
            i = _read_metadata(lines, i, line, page)
            continue
        page.lines.append(line)
        i += 1
    return page


def _metadata_block(lines: list[str]) -> tuple[int, int, set]:
    """Where the metadata block at the top starts and ends, and the labels it holds.

    The block is the metadata lines among the page's first lines, with
    chrome and blank lines between them; it ends at the first line of the
    document itself, so a 联系人： in the text is never read as metadata.
    """
    keys: set = set()
    start, end, i = None, 0, 0
    while i < min(len(lines), 80):
        line = _FRAGMENT.sub("", lines[i])
        if _metadata_line(line):
            start = i if start is None else start
            found = _labels(line)
            keys |= {_key(m[1]) for m in found}
            if not p.strip(line[found[-1].end():]):
                i += 1              # the value stands on the next line
            end = i + 1
        elif p.strip(line) and not _chrome(line) and keys:
            break
        i += 1
    return start or 0, end, keys


def _key(label: str) -> str | None:
    return KEYS.get(re.sub(f"[{p.SPACES}]", "", label))


def _read_metadata(lines: list[str], i: int, line: str, page: Page) -> int:
    """Read the label: value pairs of one line (a value may stand on the next line)."""
    found = _labels(line)
    nxt = i + 1
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(line)
        value = p.strip(line[m.end():end])
        label = re.sub(f"[{p.SPACES}]", "", m[1])
        if not value and k == len(found) - 1 and nxt < len(lines) and p.strip(lines[nxt]) \
                and not _metadata_line(lines[nxt]) and not _chrome(lines[nxt]):
            value = p.strip(lines[nxt])
            nxt += 1
        key = _key(label)
        if not value:
            continue
        if key is None:
            page.unused.append(f"{label}：{value}")
        elif key not in page.fields:
            page.fields[key] = (value, label)
    return nxt


def wording(value: str) -> str:
    """A closed vocabulary's value as the field table spells it (现行有效 → 有效)."""
    return _WORDING.get(re.sub(f"[{p.SPACES}]", "", value), value)


def html_text(source: str) -> str:
    """The text of a saved HTML page: one line per block, table cells split by tabs, no scripts."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
                  "article", "header", "footer", "ul", "ol", "dt", "dd", "title", "hr"}
        SKIP = {"script", "style", "noscript", "template", "head"}

        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.out: list[str] = []
            self.skipping = 0

        def handle_starttag(self, tag, attrs):
            if tag in self.SKIP:
                self.skipping += 1
            elif tag in self.BLOCKS:
                self.out.append("\n")
            elif tag in ("td", "th"):
                self.out.append("\t")

        def handle_endtag(self, tag):
            if tag in self.SKIP:
                self.skipping = max(0, self.skipping - 1)
            elif tag in self.BLOCKS:
                self.out.append("\n")

        def handle_data(self, data):
            if not self.skipping:
                self.out.append(re.sub(r"[\r\n]+", " ", data))

    parser = _Text()
    parser.feed(source)
    parser.close()
    lines = [line.removeprefix("\t") for line in "".join(parser.out).split("\n")]   # the row's first cell
    return "\n".join(lines)
