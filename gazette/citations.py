"""Document numbers cited in a notice's text: found once, here, for the view and the pages.

Typically 《title》（三府〔2020〕124号）.  Any bracket the parser knows
(tokens.OPEN/CLOSE), or the 年 form (三府2020年第1号); the prefix is the longest tail of the Han
run before the bracket that names a known number, so 经三府〔2020〕1号 finds
三府〔2020〕1号 and never 经三府.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable

from . import tokens
from .docnumber import DocNumber

# The brackets, Han ranges and spaces are tokens.py's (the parser's own); in
# running text the number must end in 号, so 2020年1月 is never read as one.
_S = f"[{tokens.SPACE}]*"
# A number is a run of 1 to 12 Han characters, then this tail.  A bracketed
# number inside parentheses may lack its 号: （三府办〔2017〕136）.
_TAIL = re.compile(
    f"{_S}(?:[{re.escape(tokens.OPEN)}]{_S}([0-9０-９]{{4}}){_S}[{re.escape(tokens.CLOSE)}]"
    f"{_S}第?{_S}([0-9０-９]{{1,6}}){_S}(?:号|(?=[)）]))"
    f"|([0-9０-９]{{4}}){_S}年{_S}第?{_S}([0-9０-９]{{1,6}}){_S}号)"
)
_RUN = re.compile(f"[{tokens.HAN}]{{1,12}}$")
_RUN_MAX = 12


def _numbers(text: str):
    """(start of the Han run, end, run, year, serial) of every number in text, left to right.

    The tail is looked for first and the run read backwards from it: a
    pattern that begins with the run is tried at every character of a Chinese
    text, which cost five seconds per 10,000 notices.  The matches are those
    of that pattern (leftmost, not overlapping): a run never reaches back into
    the number before, and a tail with no run before it is passed by one
    character only.
    """
    pos = done = 0
    while (m := _TAIL.search(text, pos)) is not None:
        start = m.start()
        run = _RUN.search(text, max(done, start - _RUN_MAX), start)
        if run is None:
            pos = start + 1
            continue
        year, serial = (m[1], m[2]) if m[1] else (m[3], m[4])
        yield (run.start(), m.end(), run[0],
               int(unicodedata.normalize("NFKC", year)), int(unicodedata.normalize("NFKC", serial)))
        pos = done = m.end()


_seen: dict[bytes, tuple] = {}     # a digest of a text -> its _numbers(), for numbers_in(remember=True)


def numbers_in(texts: list[str], cache=None, remember: bool = False, keys: list[str | None] | None = None) -> list[tuple]:
    """_numbers() of each text, for find(): looked for once per text.

    cache: the build's (cache.py), which keeps them for the next build, all
    in one entry, by the text's digest (ten thousand small entries took a
    quarter of a second to read back); remember: keep them for the life of
    the process (`serve`, which publishes again on every save); keys: for
    each text, a key that names it (the key its notice was read under,
    Corpus.keys), which stands for its digest (a key is 64 characters, a
    digest 32: one is never taken for the other), or None."""
    from . import cache as caching

    keys = keys or [None] * len(texts)
    digests = [k or hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
               for t, k in zip(texts, keys)]
    k = caching.key("the numbers texts cite") if cache is not None else None
    stored = cache.get_many("citations", [k]).get(k) if cache is not None else None
    stored = stored if isinstance(stored, dict) else {}
    out, kept, made = [], {}, False
    for text, digest in zip(texts, digests):
        found = _seen.get(digest) if remember else None
        if found is None and digest in stored:
            found = _kept(stored[digest])
        if found is None:
            found, made = tuple(_numbers(text)), True
        if remember:
            if len(_seen) > 100_000:
                _seen.clear()
            _seen[digest] = found
        kept[digest] = found
        out.append(found)
    if cache is not None and (made or kept.keys() != stored.keys()):
        cache.put_many("citations", {k: kept})        # this build's texts only
    return out


_SHAPE = (int, int, str, int, int)


def _kept(value) -> tuple | None:
    """_numbers() as the cache kept it (JSON: lists), or None if it is not that."""
    if not isinstance(value, list):
        return None
    if not all(isinstance(x, list) and len(x) == 5 and all(map(isinstance, x, _SHAPE)) for x in value):
        return None          # a damaged entry is a miss
    return tuple(map(tuple, value))


class Known:
    """The numbers find() looks for, by year and serial: a run's tails are
    tried against those prefixes only, with no number made for each try."""

    def __init__(self, numbers: Iterable[DocNumber]):
        self.by: dict[tuple[int, int], dict[str, DocNumber]] = {}
        for x in numbers:
            self.by.setdefault((x.year, x.serial), {})[x.prefix] = x

    def longest(self, run: str, year: int, serial: int) -> tuple[int, DocNumber] | None:
        """(length, number) of the longest tail of run that is a known prefix of this year and serial."""
        prefixes = self.by.get((year, serial))
        if prefixes:
            for k in range(len(run), 0, -1):
                if (x := prefixes.get(run[-k:])) is not None:
                    return k, x
        return None


def find(text: str, known: Known | Iterable[DocNumber], numbers: tuple | None = None) -> list[tuple[int, int, DocNumber]]:
    """(start, end, number) of every cited number in text that is known
    (a Known, or the numbers themselves).

    numbers: numbers_in() of text, if it was asked for."""
    known = known if isinstance(known, Known) else Known(known)
    out = []
    for start, end, run, year, serial in (_numbers(text) if numbers is None else numbers):
        if (found := known.longest(run, year, serial)) is not None:
            out.append((start + len(run) - found[0], end, found[1]))
    return out


def every(text: str) -> list[DocNumber]:
    """Every number text cites, known or not, under each tail of its prefix
    of two or more characters (根据民发〔2020〕14号 → 根据民发…, 据民发…, 民发…):
    for search, which cannot know where the prefix begins."""
    out = []
    for _, _, run, year, serial in _numbers(text):
        out += [DocNumber(run[-k:], year, serial) for k in range(len(run), 1, -1)]
    return list(dict.fromkeys(out))


def link_numbers(html: str, href: Callable[[DocNumber], str | None]) -> str:
    """Clean HTML with every resolvable cited number made a link (never inside a link).

    href(number) is the address of the cited notice's page, or None to leave
    the number as text (not in the corpus, not public, or the notice itself).
    """
    out, in_link = [], 0
    for part in re.split(r"(<[^>]+>)", html):
        if part.startswith("<"):
            tag = part[1:].split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            in_link += 1 if tag == "a" else -1 if tag == "/a" else 0
            out.append(part)
            continue
        if in_link or not part:
            out.append(part)
            continue
        last, pieces = 0, []
        for start, end, number in find(part, _Resolvable(href)):
            pieces += [part[last:start], f'<a class="citation" href="{href(number)}">{part[start:end]}</a>']
            last = end
        out.append("".join(pieces) + part[last:])
    return "".join(out)


class _Resolvable(Known):
    """The numbers href() can link (asked one by one: href knows no list)."""

    def __init__(self, href):
        self.href = href

    def longest(self, run: str, year: int, serial: int) -> tuple[int, DocNumber] | None:
        for k in range(len(run), 0, -1):
            if self.href(number := DocNumber(run[-k:], year, serial)) is not None:
                return k, number
        return None
