"""The search index: built here at build time, read by search.js in the browser.

Why not Material's search: it segments with jieba when indexing but splits
queries greedily in the browser, so words inside longer words, numbers and
document numbers are not found; offline it rebuilds the index on every page
load.  This index is correct for Chinese first and fast second:

* Terms.  Han text is indexed as overlapping character bigrams plus single
  characters, so any substring is found whatever a dictionary would say; the
  browser splits queries the same way (tokenize() here and in search.js must
  agree; a test checks that they do).  Letters and digits: the whole word plus
  its bigrams and characters, so 2020, 124 and 4S are found inside longer runs.
  jieba words of three or more characters are indexed too, as a ranking boost
  for a query that is a whole word.  A notice's own document number is indexed
  as dedicated terms: n:三府〔2020〕124号 (normalized), p:三府, y:2020, s:124.

* Files.  Everything is a script that calls a function on window.__gz, so it
  loads with <script> tags from file:// as well as from a server:
    search-index/rules.js       the tokenizing rules and the shard count (sets
                                window.__gzRules; every page loads it before
                                search.js, so a query's shards are known at once)
    search-index/meta.js        counts, per-notice year/issuers/serial
    search-index/shards/K.js    postings of every term whose hash falls in K
    search-index/text/ID.js     one notice: address, title, number, issuers,
                                date, and the start of its text for snippets
  A query reads meta.js once and, beside it, the shards of its terms; then
  one text file for each result it shows or reranks.

* Postings.  Per term, a string of (gap, weight) pairs in a 90-letter ASCII
  variable-length code (see _encode), so a shard costs about two bytes per
  posting and needs no decoding library.

The index is made from the Publication (public.py): it indexes whatever a
public notice holds, which for a 依申请公开 notice is its metadata only.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from collections import Counter, defaultdict
from itertools import accumulate
from itertools import count as counting
from operator import add
from pathlib import Path

from . import background, citations, paths, tokens
from . import words as words_of
from .fields import cn_date
from .public import PublicNotice, Publication

SHARD_BYTES = 24_000       # aim for shards about this size
TEXT_LIMIT = 20_000        # characters of a notice's text kept for checking phrases (the longest bundled: 17,979)
SNIPPET_LIMIT = 3_000      # of them, in the file every result loads (text/ID.js); the rest in more/ID.js
MAX_WEIGHT = 44

# Weights of one occurrence, by field; summed and capped at MAX_WEIGHT.
W_NUMBER, W_TITLE, W_ISSUER, W_BODY_CAP, W_DATE_IN_TEXT = MAX_WEIGHT, 16, 2, 8, 2
# A weight of W_TITLE or more can only come from the title (or the notice's
# own number or date): search.js gives such a term a bonus (titleWeight, in rules.js).
assert W_BODY_CAP + 2 * W_ISSUER + W_DATE_IN_TEXT < W_TITLE     # body, issuers, the lines shown, dates


# 90 safe ASCII characters (no quote, backslash, or space): the first 45 end a
# number, the other 45 continue it.
_ALPHABET = "".join(c for c in map(chr, range(33, 127)) if c not in "\"\\<`")[:90]
_END, _MORE = _ALPHABET[:45], _ALPHABET[45:]
assert len(_END) == len(_MORE) == 45


fold = tokens.fold          # the rules are gazette/tokens.py's, shared with search.js
runs = tokens.runs


def grams(run: str) -> list[str]:
    """Bigrams of a run, or the character itself for a one-character run."""
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def trigrams(run: str) -> list[str]:
    return [run[i:i + 3] for i in range(len(run) - 2)]


def quadgrams(run: str) -> list[str]:
    """Of a run of letters and digits: ten digits make trigrams coincide far
    more often than Han characters do (202 and 020 without 2020)."""
    return [run[i:i + 4] for i in range(len(run) - 3)]


def query_terms(text: str) -> tuple[list[str], list[str]]:
    """(required, boost) terms of a query; search.js does the same.

    A run of three or more characters requires its trigrams too, so a
    notice counts only if it holds the run's characters in order (人民政府,
    not 人民 and 民政 and 政府 apart; 124, not 12 and 24) — for a run of three
    exactly, for a longer one up to a coincidence of overlapping trigrams."""
    required, boost = [], []
    for kind, run in tokens.query_runs(tokens.without_dates(text)):
        required += grams(run) + trigrams(run) + (quadgrams(run) if kind == "a" else [])
        if kind == "a" and len(run) > 2:
            boost.append(run)
        if kind == "h" and len(run) > 2:
            boost.append("w:" + run)
    required += tokens.query_date_terms(text)     # a date is its term: d:2020-07-06, d:2020-07, d:07-06
    return list(dict.fromkeys(required)), list(dict.fromkeys(boost))


def index_terms(text: str, words: bool = True) -> dict[str, int]:
    """Every term of a text with its count, as the index stores it."""
    folded = fold(text)
    items: list[str] = []
    for kind, run in tokens.runs(folded, folded=True):
        items += run                                        # each character
        if len(run) > 1:
            items += [run[i:i + 2] for i in range(len(run) - 1)]
        if kind == "a" and len(run) > 2:
            items.append(run)
            items += trigrams(run) + quadgrams(run)     # 124 in 2124, 8827 in 88275370: in order
        if kind == "h" and words and len(run) > 2:
            items += _jieba_words(run)
    # A pair across spaces and quotation marks between Han characters too: a
    # query cut from spaced text (宝 市 of 孙宝 市长) joins differently than its
    # context did, and 十四五规划 is what a reader types for “十四五”规划.
    items += [m[1] + m[2] for m in _ACROSS.finditer(folded)]
    # Trigrams, with spaces and quotation marks between Han characters
    # dropped as a query drops them: what makes a result hold the query.
    for run in tokens.phrase_runs(folded, folded=True):
        items += [run[i:i + 3] for i in range(len(run) - 2)]
    return Counter(items)


_ACROSS = re.compile(f"([{tokens.HAN}])[{tokens.SPACE}{tokens.QUOTES}]+(?=([{tokens.HAN}]))")


@functools.lru_cache(maxsize=200_000)     # a corpus repeats its sentences
def _jieba_words(run: str) -> tuple[str, ...]:
    """w: terms of the dictionary words of three or more characters in a Han run."""
    return tuple("w:" + w for w in words_of.cut(run) if len(w) > 2)


def shard_of(term: str, shards: int) -> int:
    """FNV-1a over UTF-16 code units; search.js computes the same."""
    h = 0x811C9DC5
    data = term.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


def _encode(n: int) -> str:
    out = []
    while n >= 45:
        out.append(_MORE[n % 45])
        n //= 45
    out.append(_END[n])
    return "".join(out)


@functools.cache
def _codes() -> list[str]:
    """Every number of up to three letters, made once, when the index is
    first written (not on import: a build's own process writes none)."""
    return [_encode(n) for n in range(45 ** 3)]


def encode_numbers(numbers: list[int]) -> str:
    codes = _codes()
    small = len(codes)
    return "".join([codes[n] if n < small else _encode(n) for n in numbers])


def _decode(code: str) -> int:
    """One number's letters (any _MORE, then one _END) as the number."""
    n, mul = 0, 1
    for ch in code:
        v = _VALUE[ch]
        if v >= 45:
            n += (v - 45) * mul
            mul *= 45
        else:
            return n + v * mul
    raise ValueError(f"not one number: {code!r}")


class _Codes(dict):
    """letters -> number, made once for numbers of up to two letters (most
    gaps and weights) and decoded on the way for any longer one."""

    def __missing__(self, code: str) -> int:
        return _decode(code)


_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_NUMBER = re.compile(f"[{re.escape(_MORE)}]*[{re.escape(_END)}]")


@functools.cache
def _decoded() -> _Codes:
    return _Codes((_encode(n), n) for n in range(45 ** 2))


def decode_numbers(text: str) -> list[int]:
    """The inverse of encode_numbers (search.js has the same decoder)."""
    return list(map(_decoded().__getitem__, _NUMBER.findall(text)))


def _patched_posting(old: str | None, weights: dict[int, int | None]) -> str:
    """A term's posting list (encode_numbers() of (gap, weight) pairs, by doc
    id) with these docs' weights set, or removed where None.  Only the
    letters around a changed doc are made again; the rest are kept as they
    are, so a common term's long list costs a split and a join."""
    codes = _NUMBER.findall(old) if old else []
    # doc id + 1, ascending: each gap + 1, summed (in C: the list may be ten thousand long)
    ids = list(map(add, accumulate(map(_decoded().__getitem__, codes[0::2])), counting(1)))
    for doc in sorted(weights, reverse=True):        # from the end: the ids before stay as they are
        weight = weights[doc]
        j = bisect.bisect_left(ids, doc + 1)
        here = j < len(ids) and ids[j] == doc + 1
        before = ids[j - 1] if j else 0               # the previous doc's id + 1
        after = ids[j + 1] if here and j + 1 < len(ids) else ids[j] if not here and j < len(ids) else None
        if here and weight is None:                   # removed: the next doc's gap spans both
            codes[2 * j:2 * j + 2] = []
            ids[j:j + 1] = []
            if after is not None:
                codes[2 * j] = _code(after - before - 1)
        elif here:
            codes[2 * j + 1] = _code(weight)
        elif weight is not None:                      # added: it and the next doc get gaps of their own
            if after is not None:
                codes[2 * j] = _code(after - doc - 2)
            codes[2 * j:2 * j] = [_code(doc + 1 - before - 1), _code(weight)]
            ids[j:j] = [doc + 1]
    return "".join(codes)


def _code(n: int) -> str:
    return _encode(n)        # a patch makes a few: not worth the table of them all


def plain_text(markdown: str) -> str:
    """What a reader sees of a Markdown body, as plain text for search."""
    text = re.sub(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", "", markdown)   # tags, not <书名>
    text = re.sub(r"^\s*\|?\s*:?-{3,}.*$", "", text, flags=re.M)       # table rules
    text = re.sub(r"\{[:#.][^}]*\}", "", text)                           # attr lists
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)                # links
    text = re.sub(r"^#{1,6}\s*", "", text, flags=re.M)                    # headings
    text = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", text, flags=re.M)       # list markers
    text = re.sub(r"\*\*|__|`", "", text)
    text = text.replace("|", " ")
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def _shown(notice: PublicNotice) -> str:
    """The metadata table and the lines around the body, as the page shows them."""
    days = [notice.date, notice.published_on, notice.effective, notice.repealed_on, notice.printed_on]
    parts = [cn_date(d) for d in days if d]
    parts += [notice.index_no or "", "、".join(notice.topics), notice.recipients or "", notice.cc or "",
              notice.validity, notice.printed_by or ""]
    if notice.contact:
        parts += [notice.contact.get("name") or "", notice.contact.get("phone") or ""]
    return "\n".join(p for p in parts if p)


def _fields(notice: PublicNotice) -> tuple[str, str, str]:
    """(title, issuers, body) text of a public notice."""
    body = ""
    if notice.body is not None:
        parts = [notice.recipients or "", plain_text(notice.body)]
        for a in notice.attachments:
            parts.append(a.title)
            if a.text:
                parts.append(plain_text(a.text))
        body = "\n".join(p for p in parts if p)
    return notice.title, " ".join(notice.issuers), body


def index_text(notice: PublicNotice) -> str:
    """A notice's text as the index reads it, folded, with its phrase runs:
    a query run is in the notice if it is in this (tests and benchmarks count with it)."""
    title, issuers, body = _fields(notice)
    fields = [title, issuers, _shown(notice), body, str(notice.doc_number or "")]
    return "\n".join(r for f in fields for r in tokens.phrase_runs(f)) + "\n" + fold("\n".join(fields))


def _weights(notice: PublicNotice, words: bool) -> dict[str, int]:
    title, issuers, body = _fields(notice)
    weights: dict[str, int] = defaultdict(int)
    cap = W_BODY_CAP
    weights.update({term: count if count < cap else cap for term, count in index_terms(body, words).items()})
    for term in index_terms(title, words):
        weights[term] += W_TITLE
    for term in index_terms(issuers, words):
        weights[term] += W_ISSUER
    shown = _shown(notice)
    for term in index_terms(shown, words):
        weights[term] += W_ISSUER
    for term in tokens.date_terms(shown):   # the notice's own dates first
        weights[term] += W_TITLE
    for term in tokens.date_terms(title + "\n" + body):    # then the dates its text names
        weights[term] += W_DATE_IN_TEXT
    for issuer in notice.issuers:      # a query naming the issuer in full
        weights["w:" + fold(issuer)] += W_TITLE
    for cited in citations.every(title + "\n" + body):   # a search for a number this notice cites
        weights["c:" + fold(str(cited))] += W_TITLE
    if notice.doc_number:
        n = notice.doc_number
        for term in index_terms(str(n), words):
            weights[term] += W_TITLE
        weights["n:" + fold(str(n))] += W_NUMBER
        weights["p:" + fold(n.prefix)] += W_NUMBER
        weights["y:" + str(n.year)] += W_NUMBER
        weights["s:" + str(n.serial)] += W_NUMBER
    top = MAX_WEIGHT
    return {t: w if w < top else top for t, w in weights.items()}


def _inputs(notice: PublicNotice) -> list:
    """Everything _weights() reads of a notice: the key of its cached postings."""
    title, issuers, body = _fields(notice)
    return [title, issuers, body, _shown(notice), list(notice.issuers),
            str(notice.doc_number) if notice.doc_number else None]


def notice_weights(notices, words: bool = True, cache=None, keys=None, first: int = 0):
    """(doc id, {term: weight}) of each notice in order (ids from first), from the
    cache where it has them (keys: the notices' cache_key(), if known)."""
    if cache is not None and keys is None:
        keys = [cache_key(n, words) for n in notices]
    stored = cache.get_many("postings", keys, raw=True) if cache is not None else {}
    fresh = {}
    for i, notice in enumerate(notices):
        k = keys[i] if cache is not None else None
        text = stored.get(k) if k else None
        weights = _unpack(text) if text is not None else None
        if weights is None:
            weights = _weights(notice, words)
            if k:
                fresh[k] = _pack(weights)
                if len(fresh) >= 500:
                    cache.put_many("postings", fresh, raw=True)
                    fresh = {}
        yield first + i, weights
    if cache is not None:
        cache.put_many("postings", fresh, raw=True)


def _pack(weights: dict[str, int]) -> str:
    """A notice's postings as cached text: the terms, tab-separated, then their weights in the index's code."""
    return "\t".join(weights) + "\n" + encode_numbers(list(weights.values()))


def _unpack(text: str) -> dict[str, int] | None:
    terms, _, numbers = text.partition("\n")
    names = terms.split("\t") if terms else []
    values = decode_numbers(numbers)
    return dict(zip(names, values)) if len(names) == len(values) else None


def cache_key(notice: PublicNotice, words: bool = True) -> str:
    from . import cache

    return cache.key("postings", words, _inputs(notice))


# Postings are streamed to disk in BUCKETS files by term hash while notices
# are read, then each bucket is merged and cut into shards: memory holds one
# bucket, never the whole index.  The output is the same bytes as building
# every posting list in memory (a test compares them).
BUCKETS = 1024
BATCH = 400
SPLIT = 500           # from this many notices, the postings are made in two processes


def _spill(tmp: Path, batch: dict[str, list[int]]) -> None:
    """Append a batch's postings to the bucket files, one line per term:
    'term, first id, last id, the code of [weight, gap, weight, gap, …]', so
    that segments of later batches join on without being decoded."""
    by_bucket: dict[int, list[str]] = defaultdict(list)
    for term, flat in batch.items():
        ids = flat[0::2]
        rest = [flat[1]]
        for k in range(1, len(ids)):
            rest += [ids[k] - ids[k - 1] - 1, flat[2 * k + 1]]
        by_bucket[_bucket(term)].append(f"{term}\t{ids[0]}\t{ids[-1]}\t{encode_numbers(rest)}\n")
    for b, lines in by_bucket.items():
        with open(tmp / f"{b}.txt", "a", encoding="utf-8") as f:
            f.write("".join(lines))
    batch.clear()


_buckets: dict[str, int] = {}


def _bucket(term: str) -> int:
    b = _buckets.get(term)
    if b is None:
        if len(_buckets) > 200_000:      # most lookups are of common terms; a bigger memo costs a process 100 MB
            _buckets.clear()
        b = _buckets[term] = shard_of(term, BUCKETS)
    return b


def _read_bucket(files: list[Path]) -> dict[str, str]:
    """{term: encoded postings} of one bucket's files (in order of doc ids)."""
    out: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    for path in files:
        if not path.is_file():
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                term, first, end, rest = line.rstrip("\n").split("\t")
                gap = int(first) - last.get(term, -1) - 1
                out.setdefault(term, []).append(_encode(gap) + rest)
                last[term] = int(end)
    return {term: "".join(parts) for term, parts in out.items()}


def _shard_count(size: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(size, 1) / SHARD_BYTES)))


def _term_size(term: str, encoded: str) -> int:
    """What one term adds to the index's size, which sets the shard count."""
    return len(encoded) + len(term.encode()) + 6


def stream_index(publication: Publication, site_dir: Path, words: bool = True, cache=None) -> dict:
    """Write the index under site_dir with bounded memory; return its shard
    count, the size that set it and the files written (see patch_index())."""
    import shutil
    import tempfile

    notices = publication.notices      # newest first: a lower id is newer
    site_dir = Path(site_dir)
    (site_dir / paths.SEARCH_META).parent.mkdir(parents=True, exist_ok=True)
    written: list[str] = []

    def write(rel: str, content: str) -> None:
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
        written.append(rel)

    keys = [cache_key(n, words) for n in notices] if cache is not None else None
    if cache is not None:
        cache.used.update(("postings", k) for k in keys)      # both halves' entries are kept

    def part(lo: int, hi: int, folder: Path, store) -> None:
        """The postings of notices lo..hi-1 into folder's bucket files."""
        folder.mkdir()
        batch: dict[str, list[int]] = defaultdict(list)
        for doc_id, weights in notice_weights(notices[lo:hi], words, store, keys[lo:hi] if keys else None, lo):
            for term, weight in weights.items():
                batch[term] += (doc_id, weight)
            if doc_id % BATCH == BATCH - 1:
                _spill(folder, batch)
        _spill(folder, batch)

    with tempfile.TemporaryDirectory(dir=site_dir, prefix=".postings-") as work:
        tmp = Path(work)
        # Two halves, the second in another process: the other core is free
        # once the pages are rendered (gazette/background.py).
        mid = len(notices) // 2 if len(notices) >= SPLIT else len(notices)
        halves = [tmp / "a", tmp / "b"]

        def second_half() -> None:
            from .cache import Cache

            store = Cache(cache.path) if cache is not None else None
            part(mid, len(notices), halves[1], store)
            if store is not None:
                store.close()

        job = background.start(second_half)
        part(0, mid, halves[0], cache)
        job.wait()
        # The shard count depends on the whole index's size: one pass to
        # measure it (each bucket merged and encoded, kept on disk), one to cut.
        size = 0
        for b in range(BUCKETS):
            encoded = _read_bucket([half / f"{b}.txt" for half in halves])
            size += sum(_term_size(k, v) for k, v in encoded.items())
            (tmp / f"{b}.json").write_text(json.dumps(encoded, ensure_ascii=False), encoding="utf-8")
        shards = _shard_count(size)
        if shards <= BUCKETS:        # shard k holds the buckets b with b % shards == k
            for k in range(shards):
                merged: dict[str, str] = {}
                for b in range(k, BUCKETS, shards):
                    merged.update(json.loads((tmp / f"{b}.json").read_text(encoding="utf-8")))
                write(paths.search_shard(k), _call("shard", k, merged))
        else:                        # bucket b splits into the shards k with k % BUCKETS == b
            for b in range(BUCKETS):
                split: dict[int, dict[str, str]] = defaultdict(dict)
                for term, value in json.loads((tmp / f"{b}.json").read_text(encoding="utf-8")).items():
                    split[shard_of(term, shards)][term] = value
                for k in range(b, shards, BUCKETS):
                    write(paths.search_shard(k), _call("shard", k, split.get(k, {})))
        shutil.rmtree(tmp, ignore_errors=True)
    for doc_id, notice in enumerate(notices):
        for rel, content in _doc_files(doc_id, notice).items():
            write(rel, content)
    _write_common(write, notices, shards)
    return {"shards": shards, "size": size, "files": written, "keys": keys}


def _write_common(write, notices, shards: int) -> None:
    """The files every notice's change may change: counts, years, issuers; the rules."""
    write(paths.SEARCH_META, _call("meta", 0, _meta(notices)))
    write(paths.SEARCH_RULES, _rules(shards))
    write(paths.SEARCH_T2S, _call("t2s", 0, tokens.t2s_values()))   # loaded only for a traditional query


PATCH_LIMIT = 200      # changed notices past which the index is made again rather than patched


def patch_index(publication: Publication, site_dir: Path, earlier: Path, last: dict, cache,
                words: bool = True, docs: list[str] | None = None) -> dict | None:
    """Write the index under site_dir as the last one (last: its record, as
    write_index() returns it; earlier: the site holding it), changed only
    where notices changed: their postings leave the terms they were in and
    join the terms they are in now, their text files are written again, and
    every other file is taken from the earlier site as it is (a hard link,
    sitedir.link_kept, only of a file as it was written).  The same bytes as
    stream_index() would write (a test compares them).  None, with nothing
    written, where it cannot: another number or order of notices, other
    code, too many changes, a changed shard count, a file or cached posting
    missing.  docs: each notice's cache.value_digest(), if the caller has them."""
    from . import sitedir
    from .cache import code_fingerprint, value_digest

    notices = publication.notices
    docs = docs if docs is not None else [value_digest(n) for n in notices]
    if (cache is None or not isinstance(last, dict) or last.get("code") != code_fingerprint()
            or last.get("words") != words or len(last.get("docs", ())) != len(docs)
            or len(last.get("keys") or ()) != len(docs)):
        return None
    changed = [i for i, (a, b) in enumerate(zip(last["docs"], docs)) if a != b]
    if len(changed) > PATCH_LIMIT:
        return None
    keys = list(last["keys"])
    stored = cache.get_many("postings", [keys[i] for i in changed], raw=True)
    before = {i: _unpack(stored[keys[i]]) if keys[i] in stored else None for i in changed}
    if any(w is None for w in before.values()):
        return None
    for i in changed:
        keys[i] = cache_key(notices[i], words)
    with words_of.ahead():          # the dictionary, loaded by then in a process of its own (words.py)
        made = notice_weights([notices[i] for i in changed], words, cache, [keys[i] for i in changed])
        after = dict(zip(changed, [w for _, w in made]))       # a list: the generator stores what it made at its end
    cache.used.update(("postings", k) for k in keys)

    files: dict = last.get("files") or {}
    shards, size = last["shards"], last["size"]
    # The terms whose weight changed for some changed notice: a posting list
    # where each keeps its weight stays as it is (a correction of a few
    # characters touches a few terms, not the thousands the notice is in).
    terms = {t for i in changed for t in before[i].keys() | after[i].keys() if before[i].get(t) != after[i].get(t)}
    by_shard: dict[int, list[str]] = defaultdict(list)
    for t in terms:
        by_shard[shard_of(t, shards)].append(t)
    patched: dict[int, dict[str, str]] = {}
    for k, ts in by_shard.items():
        rel = paths.search_shard(k)
        data = _read_shard(Path(earlier) / rel, k, files.get(rel))
        if data is None:
            return None
        for t in ts:
            old = data.pop(t, None)
            if old is not None:
                size -= _term_size(t, old)
            posting = _patched_posting(old, {i: after[i].get(t) for i in changed})
            if posting:
                data[t] = posting
                size += _term_size(t, posting)
        patched[k] = data
    if _shard_count(size) != shards:
        return None

    out = Path(site_dir)
    fresh: dict[str, str] = {paths.search_shard(k): _call("shard", k, data) for k, data in patched.items()}
    dropped = set()
    for i in changed:
        made = _doc_files(i, notices[i])
        fresh.update(made)
        if paths.search_more(i) not in made:
            dropped.add(paths.search_more(i))
    common: dict[str, str] = {}
    _write_common(common.__setitem__, notices, shards)
    fresh.update(common)
    keep = [rel for rel in files if rel not in fresh and rel not in dropped]
    if sitedir.link_kept(earlier, out, keep, files) != set(keep):
        return None              # the caller clears site_dir and makes the index in full
    for rel, content in fresh.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
    return {"shards": shards, "size": size, "files": sorted({*keep, *fresh}), "keys": keys, "docs": docs,
            "patched": len(changed)}


def _read_shard(path: Path, k: int, recorded) -> dict[str, str] | None:
    """A shard file's terms, if it is as its build recorded it (sitedir.stats)."""
    from .sitedir import read_kept

    data = read_kept(path, recorded)
    if data is None:
        return None
    text = data.decode("utf-8")
    head, tail = f"__gz.shard({k},", ");\n"
    if not (text.startswith(head) and text.endswith(tail)):
        return None
    return json.loads(text[len(head):-len(tail)])


def build_index(publication: Publication, words: bool = True) -> dict[str, str]:
    """Every file of the index, as {path under site/: content}, built in memory
    (for tests: stream_index() must write exactly these bytes)."""
    notices = publication.notices
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, weights in notice_weights(notices, words):
        for term, weight in weights.items():
            postings[term].append((doc_id, weight))

    encoded: dict[str, str] = {}
    for term, plist in postings.items():
        last, nums = -1, []
        for doc_id, weight in plist:
            nums += [doc_id - last - 1, weight]
            last = doc_id
        encoded[term] = encode_numbers(nums)

    size = sum(len(v) + len(k.encode()) + 6 for k, v in encoded.items())
    shards = 1 << max(0, math.ceil(math.log2(max(size, 1) / SHARD_BYTES)))
    by_shard: dict[int, dict[str, str]] = defaultdict(dict)
    for term in sorted(encoded):
        by_shard[shard_of(term, shards)][term] = encoded[term]

    files = {}
    for k in range(shards):
        files[paths.search_shard(k)] = _call("shard", k, by_shard.get(k, {}))
    for doc_id, notice in enumerate(notices):
        files.update(_doc_files(doc_id, notice))
    files[paths.SEARCH_META] = _call("meta", 0, _meta(notices))
    files[paths.SEARCH_RULES] = _rules(shards)
    files[paths.SEARCH_T2S] = _call("t2s", 0, tokens.t2s_values())   # loaded only for a traditional query
    return files


def notice_files(publication: Publication, written) -> dict[str, list[str]]:
    """The index files made from each notice alone: notice source -> site paths.
    written: the paths the build wrote (a long text's tail has a file of its
    own, see _doc_files(); asking the site is cheaper than reading every text again)."""
    out = {}
    for i, n in enumerate(publication.notices):
        more = paths.search_more(i)
        out[n.source] = [paths.search_text(i), *([more] if more in written else [])]
    return out


def _doc(n: PublicNotice) -> dict:
    text = _fields(n)[2][:TEXT_LIMIT]
    return {
        "url": paths.html_path(n.page), "title": n.title, "number": str(n.doc_number) if n.doc_number else "",
        "issuers": "、".join(n.issuers), "date": n.date.isoformat(), "text": text[:SNIPPET_LIMIT],
        "more": len(text) > SNIPPET_LIMIT,
    }


def _doc_files(doc_id: int, n: PublicNotice) -> dict[str, str]:
    doc = _doc(n)
    files = {paths.search_text(doc_id): _call("text", doc_id, doc)}
    if doc["more"]:
        files[paths.search_more(doc_id)] = _call("more", doc_id, _fields(n)[2][SNIPPET_LIMIT:TEXT_LIMIT])
    return files


def _meta(notices: tuple[PublicNotice, ...]) -> dict:
    issuers = sorted({i for n in notices for i in n.issuers})
    issuer_id = {name: i for i, name in enumerate(issuers)}
    years = sorted({n.year for n in notices}, reverse=True)
    base = min(years) if years else 0
    doc_years = encode_numbers([n.year - base for n in notices])
    doc_issuers = encode_numbers([x for n in notices for x in [len(n.issuers), *(issuer_id[i] for i in n.issuers)]])
    # Each notice's serial (0 without a number): a number not here finds its neighbours without loading them.
    doc_serials = encode_numbers([n.doc_number.serial if n.doc_number else 0 for n in notices])
    return {
        "count": len(notices),
        "issuers": issuers, "years": years, "yearBase": base,
        "docYears": doc_years, "docIssuers": doc_issuers, "docSerials": doc_serials,
    }


def _rules(shards: int) -> str:
    """rules.js: what search.js needs before any index file to name a query's
    terms and shards (every page loads it before search.js, so a query's
    shards load beside meta.js, not after it)."""
    data = {"alphabet": _ALPHABET, "rules": tokens.rules(), "shards": shards, "titleWeight": W_TITLE}
    return f"window.__gzRules={_json(data)};\n"


def _call(kind: str, key: int, data) -> str:
    return f"__gz.{kind}({key},{_json(data)});\n"


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def start_index(publication: Publication, site_dir: Path, preview: bool = False,
                earlier: Path | None = None, final: Path | None = None, docs: list[str] | None = None) -> background.Job:
    """write_index() under site_dir in a second process (background.py), with
    the build's cache, while the first renders the pages.  For a preview
    (preview.py) at low priority, and the cache is not swept: the page comes first."""
    def work() -> None:
        import os
        import sys
        import time

        from .cache import Cache

        start = time.perf_counter()
        cache = Cache()
        made = write_index(publication, site_dir, cache=cache, earlier=earlier, final=final, docs=docs)
        if os.environ.get("GAZETTE_TIMING"):
            how = f"patched for {made['patched']} notices" if "patched" in made else "in full"
            print(f"[timing] search index (second process, {how}): {time.perf_counter() - start:.1f} s",
                  file=sys.stderr)
        if not preview:
            cache.sweep(("postings",))
        cache.close()

    return background.start(work, yielding=preview)


def write_index(publication: Publication, site_dir: Path, words: bool = True, cache=None,
                earlier: Path | None = None, final: Path | None = None, docs: list[str] | None = None) -> dict:
    """Write the index under site_dir.  With final (the site it is built for)
    and earlier (the site it replaces), the index of the last build of that
    site is patched where it can be (patch_index()), and what was written is
    recorded in the cache for the next build.  Returns that record.  docs:
    each notice's cache.value_digest(), if the caller has them."""
    import shutil

    from . import preview as kept
    from .cache import code_fingerprint, value_digest

    last = kept.stored(cache, final, "search") if cache is not None and final is not None else None
    made = patch_index(publication, site_dir, earlier, last, cache, words, docs) if earlier is not None else None
    if made is None:
        shutil.rmtree(Path(site_dir) / paths.SEARCH_DIR, ignore_errors=True)
        made = stream_index(publication, site_dir, words, cache)
        made["docs"] = (docs if docs is not None else [value_digest(n) for n in publication.notices]) if final else []
    made.update(code=code_fingerprint(), words=words)
    if final is not None and cache is not None:
        from . import sitedir

        made["files"] = sitedir.stats(site_dir, made["files"])
        kept.store(cache, final, "search", made)
    return made
