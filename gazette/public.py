"""The public view: the one step that decides what may be published.

publish() turns the checked corpus and its git history into a Publication:
the listed notices, each holding only what may be shown, with its public
revisions.  Every output (notice pages, index pages, search, manifest, and
whatever is added later) is written from a Publication and never sees a raw
Notice, the corpus or git.  This is the only module that reads `disclosure`
to decide anything:

* 主动公开: everything: metadata, body, attachments and their files.
* 依申请公开: the fields marked on_request in fields.FIELDS; no body, no
  attachment (not even its title), no source hashes.
* 不予公开: absent.  Not a page, not a count, not a link target.

History follows the same rule, version by version, read with the same field
reader as the working tree (disclosure_of fails closed: a version whose
disclosure cannot be read counts as 不予公开):

* a version that was 不予公开 does not exist for the site: not its commit,
  subject, author, date, nor that there was one;
* a notice's public history starts at its first listed version (收录);
* a git rename is followed only between two listed versions;
* fields are compared only where both versions showed them, text only
  between 主动公开 versions of a notice that is 主动公开 now.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import citations, paths
from .catalogue import index_numbers
from .corpus import Corpus
from .diff import FieldChange, Segments, as_read, changed, text_diff
from .docnumber import DocNumber
from .fields import BY_KEY, CONTROL, DISCLOSURES, FIELDS, closed, display
from .history import Commit, History
from .notice import Notice, read_fields

LISTED = ("主动公开", "依申请公开")
FULL = "主动公开"


def disclosure_of(value: object) -> str:
    """The disclosure a value stands for; anything unknown is 不予公开 (fail closed)."""
    if isinstance(value, str) and closed(value) in DISCLOSURES:
        return closed(value)
    return "不予公开"


def shows(key: str, disclosure: str) -> bool:
    """Whether a notice with this disclosure shows this field (fields.FIELDS on_request)."""
    f = BY_KEY.get(key)
    return f is not None and (disclosure == FULL or f.on_request)
FIRST = "收录"


@dataclass(frozen=True)
class PublicAttachment:
    title: str
    omitted: bool = False
    text: str | None = None          # Markdown of a .md attachment
    file: str | None = None          # site path of a file offered for download
    source: Path | None = None       # where that file comes from


@dataclass(frozen=True)
class PublicRevision:
    sha: str
    short: str
    date: dt.datetime
    author: str
    subject: str
    kind: str                                      # 收录, 修改, 废止, 失效
    fields: tuple[FieldChange, ...] = ()
    body: tuple[Segments, ...] | None = None       # None: not shown
    attachments: tuple[tuple[str, tuple[Segments, ...]], ...] = ()
    note: str | None = None                        # why a part is not shown
    index: int = 0                                 # order of commits, oldest 0
    change_note: str | None = None                 # the 勘误 this revision added, if any

    @property
    def note_for_readers(self) -> str:
        """What changed, as citizens read it: the erratum where one was recorded, else the commit's subject.

        The first revision only says the notice entered the library: its
        publication date is 发布日期, never the commit's.
        """
        if self.is_first:
            return "收录到本站"
        return self.change_note or self.subject

    @property
    def is_first(self) -> bool:
        return self.kind == FIRST


@dataclass(frozen=True)
class PublicNotice:
    """A notice as it may be published.  Outputs read nothing else."""

    source: str                       # e.g. notices/2020/x.md: names the record
    slug: str
    year: int
    page: str                         # its page (paths.notice_page)
    title: str
    issuers: tuple[str, ...]
    date: dt.date
    published_on: dt.date
    disclosure: str
    full_text: bool                   # body and attachments are published
    body: str | None = None
    doc_number: DocNumber | None = None
    index_no: str | None = None
    topics: tuple[str, ...] = ()
    recipients: str | None = None
    cc: str | None = None
    validity: str = "有效"
    effective: dt.date | None = None
    repealed_on: dt.date | None = None
    repealed_by: DocNumber | None = None
    supersedes: tuple[DocNumber, ...] = ()
    attachments: tuple[PublicAttachment, ...] = ()
    contact: dict | None = None
    printed_by: str | None = None
    printed_on: dt.date | None = None
    errata: tuple[Any, ...] = ()
    category: str = "其他文件"
    sources: tuple[tuple[str, Path], ...] = ()    # (shown path, file) the published text comes from
    revisions: tuple[PublicRevision, ...] | None = None   # newest first; None: no history
    superseded_by: tuple[DocNumber, ...] = ()     # listed notices that replace this one
    repeals: tuple[DocNumber, ...] = ()           # listed notices whose repealed_by names this one
    cites: tuple[DocNumber, ...] = ()             # listed notices its public text cites
    cited_by: tuple[str, ...] = ()          # sources of the listed notices whose public text cites it
    in_force_from: dt.date | None = None          # 施行日期, else 成文日期
    in_force_until: dt.date | None = None         # the first day it no longer applies, if known
    ended: bool = False                           # marked 废止/失效 (the date, if known, is in_force_until)

    def in_force_on(self, day: dt.date) -> bool:
        """Whether it applied on a day (validity.js's inForce says the same in the browser)."""
        if self.in_force_from and day < self.in_force_from:
            return False
        if self.in_force_until:
            return day < self.in_force_until
        return not self.ended             # 废止/失效 recorded without a date: ended

    def status_on(self, day: dt.date) -> str:
        """现行有效 / 已废止（自…起）/ 尚未施行, as of a day."""
        if self.in_force_on(day):
            return "现行有效"
        if self.in_force_from and day < self.in_force_from:
            return "尚未施行"
        word = "已失效" if self.validity == "失效" else "已废止"
        until = self.in_force_until
        return f"{word}（自{until.year}年{until.month}月{until.day}日起）" if until else word

    @property
    def sort_key(self) -> tuple:
        number = self.doc_number.sort_key if self.doc_number else ("", 0, 0)
        return (self.date, number, self.title)

    @property
    def url(self) -> str:
        """The page's address inside the site."""
        return paths.html_path(self.page)

    @property
    def downloads(self) -> list[tuple[str, Path]]:
        """(site path, source) of each attachment file copied into the site."""
        return [(a.file, a.source) for a in self.attachments if a.file and a.source]


@dataclass(frozen=True)
class Publication:
    notices: tuple[PublicNotice, ...]            # newest first
    has_history: bool
    commit: str | None = None
    withheld: dict | None = None          # year -> number of 不予公开 notices, only when the site counts them
    _by_number: dict = field(default_factory=dict, compare=False, repr=False)
    _by_source: dict = field(default_factory=dict, compare=False, repr=False)
    # source -> (the key its notice was read under, the key its revisions are
    # kept under), where the build's cache gave them: each names what it was
    # made from, so preview.notice_digest() may hash the key, not the text.
    keys: dict = field(default_factory=dict, compare=False, repr=False)

    def by_source(self, source: str) -> PublicNotice | None:
        """The listed notice of this source file, or None."""
        return self._by_source.get(source)

    def by_number(self, number: DocNumber | None) -> PublicNotice | None:
        """The listed notice with this number, or None (also for a non-public one)."""
        return self._by_number.get(number) if number is not None else None


# --- the view --------------------------------------------------------------------


def publish(corpus: Corpus, history: History | None, commit: str | None = None,
            index_code: str | None = None, count_withheld: bool = False, cache=None,
            remember: bool = False) -> Publication:
    """The publication: what every output is made from.

    history is None when there is none to trust; commit names what was built;
    index_code, the organisation code, makes 索引号 where none was written;
    count_withheld publishes how many 不予公开 notices each year has (a count,
    never anything else; off unless the site decides otherwise); cache, the
    build's (cache.py), keeps each notice's revisions and the numbers its
    text cites for the next build;
    remember: the process will publish again (`serve`), so each notice's view
    and the numbers its text cites are kept for the next call, which makes
    them again only for a notice read again.
    """
    listed = [n for n in corpus.notices if disclosure_of(n.disclosure) in LISTED]
    # The numbers of 不予公开 notices: they never appear, not even where a
    # public notice names one (supersedes, repealed_by), in any version.
    hidden = frozenset(n.doc_number for n in corpus.notices if n.doc_number and disclosure_of(n.disclosure) not in LISTED)
    replaced: dict[DocNumber, list[DocNumber]] = {}
    for n in listed:                          # newest first
        for old in n.supersedes:
            if n.doc_number is not None:
                replaced.setdefault(old, []).append(n.doc_number)
    notices = []
    seen: dict[int, tuple] = {}
    kept = _Kept(listed, history, hidden, cache) if history is not None and cache is not None else None
    if kept:
        kept.share(listed)
    for n in listed:
        revisions = None if history is None else kept.past(n) if kept else _past(n, history, hidden)
        later = tuple(replaced.get(n.doc_number, ())) if n.doc_number else ()
        args = (n, corpus.root, revisions, later, hidden)
        was = _viewed.get(id(n)) if remember else None
        view = was[1] if was is not None and was[0][0] is n and was[0][1:] == args[1:] else _view(*args)
        if remember:
            seen[id(n)] = (args, view)
        notices.append(view)
    if remember:                    # the notices of this call only (each entry holds its notice: no id is reused)
        _viewed.clear()
        _viewed.update(seen)
    numbers = index_numbers(corpus.notices, index_code)
    notices = _relations(tuple(_with(n, index_no=numbers[n.source]) if n.source in numbers else n
                               for n in notices), cache, remember, corpus.keys)
    if kept:
        kept.store()
    by_number = {n.doc_number: n for n in notices if n.doc_number is not None}
    withheld = None
    if count_withheld:
        withheld = {}
        for n in corpus.notices:
            if disclosure_of(n.disclosure) not in LISTED:
                withheld[n.year] = withheld.get(n.year, 0) + 1
    past = kept.keys if kept else {}
    keys = {n.source: (corpus.keys.get(n.source), past.get(n.source)) for n in notices}
    return Publication(tuple(notices), history is not None, commit or (history.head if history else None),
                       withheld, by_number, {n.source: n for n in notices}, keys)


def _with(n: PublicNotice, **changes) -> PublicNotice:
    """dataclasses.replace(n, **changes) for a PublicNotice, which has no
    __post_init__ to run: its fields are copied as they are rather than passed
    through __init__ one by one (a tenth of the time, twice for every notice
    of a build)."""
    if not changes.keys() <= _NOTICE_FIELDS:
        raise TypeError(f"PublicNotice has no field {sorted(changes.keys() - _NOTICE_FIELDS)}")
    new = object.__new__(PublicNotice)
    new.__dict__.update(n.__dict__)
    new.__dict__.update(changes)
    return new


_NOTICE_FIELDS = frozenset(f.name for f in dataclasses.fields(PublicNotice))
_viewed: dict[int, tuple] = {}     # id(notice) -> (_view()'s arguments, its answer), for publish(remember=True)


def _relations(notices: tuple[PublicNotice, ...], cache=None, remember: bool = False,
               keys: dict[str, str] | None = None) -> tuple[PublicNotice, ...]:
    """Citations, repeals and validity over time, both ways, among listed notices only.

    Only public text is searched for citations (a 依申请公开 notice cites
    nothing the site can show), and only listed notices are linked or counted,
    so no relation hints at a notice that is not published.  keys:
    Corpus.keys, each naming its notice's texts (citations.numbers_in).
    """
    by_number = {n.doc_number: n for n in notices if n.doc_number is not None}
    cites: dict[str, tuple[DocNumber, ...]] = {}
    cited_by: dict[DocNumber, list[str]] = {}
    texts = {n.source: "\n".join([n.body, *(a.text for a in n.attachments if a.text)])
             for n in notices if n.body is not None}
    keys = keys or {}
    numbers = dict(zip(texts, citations.numbers_in(list(texts.values()), cache, remember, [keys.get(s) for s in texts])))
    known = citations.Known(by_number)
    for n in notices:
        if n.body is None:
            continue
        cited = citations.find(texts[n.source], known, numbers[n.source])
        found = tuple(dict.fromkeys(x for _, _, x in cited if x != n.doc_number))
        cites[n.source] = found
        for x in found:
            cited_by.setdefault(x, []).append(n.source)     # numbered or not
    repeals: dict[DocNumber, list[DocNumber]] = {}
    for n in notices:
        if n.repealed_by in by_number and n.doc_number:
            repeals.setdefault(n.repealed_by, []).append(n.doc_number)

    def start(x: PublicNotice) -> dt.date:
        return x.effective or x.date

    out = []
    for n in notices:
        ends = [n.repealed_on] if n.repealed_on else []
        if n.repealed_by in by_number:
            ends.append(start(by_number[n.repealed_by]))
        if n.validity != "有效":
            # supersedes means "in whole or in part": it ends the older notice
            # only where that one is itself marked 废止/失效.
            ends += [start(by_number[s]) for s in n.superseded_by if s in by_number]
        until = min(ends) if ends else None
        out.append(_with(
            n, cites=cites.get(n.source, ()), cited_by=tuple(cited_by.get(n.doc_number, ())) if n.doc_number else (),
            repeals=tuple(repeals.get(n.doc_number, ())) if n.doc_number else (),
            in_force_from=start(n), in_force_until=until, ended=n.validity != "有效",
        ))
    return tuple(out)


def _public_value(key: str, value, hidden: frozenset):
    """A field's value without the numbers of 不予公开 notices."""
    kind = BY_KEY[key].kind if key in BY_KEY else ""
    if kind == "number" and value in hidden:
        return None
    if kind == "numbers" and isinstance(value, list):
        return [v for v in value if v not in hidden]
    return value


def _view(n: Notice, root: Path, revisions, superseded_by, hidden: frozenset) -> PublicNotice:
    disclosure = disclosure_of(n.disclosure)
    full = disclosure == FULL

    def shown(key: str, value):
        value = _public_value(key, value, hidden)
        return value if shows(key, disclosure) else BY_KEY[key].default

    attachments, sources = (), ()
    if full:
        attachments = tuple(
            PublicAttachment(
                title=a.title, omitted=a.omitted, text=a.text,
                file=paths.attachment_file(n.year, n.slug, a.name) if a.source and a.text is None else None,
                source=a.source if a.text is None else None,
            )
            for a in n.attachments
        )
        files = [n.path] + [a.source for a in n.attachments if a.source is not None]
        sources = tuple((_shown(p, root), p) for p in files)
    return PublicNotice(
        source=n.rel, slug=n.slug, year=n.year, page=paths.notice_page(n.year, n.slug),
        title=n.title, issuers=tuple(n.issuers), date=n.date, published_on=n.published or n.date,
        disclosure=disclosure, full_text=full,
        body=n.body if full else None,
        doc_number=n.doc_number, index_no=n.index_no, topics=tuple(n.topics),
        recipients=shown("recipients", n.recipients), cc=shown("cc", n.cc),
        validity=n.validity, effective=n.effective, repealed_on=n.repealed_on,
        repealed_by=shown("repealed_by", n.repealed_by),
        supersedes=tuple(shown("supersedes", n.supersedes)), attachments=attachments,
        contact=shown("contact", n.contact), printed_by=shown("printed_by", n.printed_by),
        printed_on=shown("printed_on", n.printed_on), errata=tuple(n.errata) if full else (),
        category=n.category,
        sources=sources, revisions=revisions, superseded_by=superseded_by,
    )


def _shown(path: Path, root: Path) -> str:
    """The path as shown: from root, where it lies under it (Path.relative_to, on strings: ten thousand a build)."""
    p, r = os.fspath(path), os.fspath(root)
    if p == r:
        return "."
    under = r if r.endswith(os.sep) else r + os.sep
    return p[len(under):].replace(os.sep, "/") if p.startswith(under) else os.path.basename(p)


# --- history ---------------------------------------------------------------------


def tracked_files(notice: Notice, repo: Path, folders: dict | None = None) -> tuple[str | None, list[tuple[str, str]]]:
    """The files whose history is the notice's, relative to the repository.

    (the notice's own path or None if it is outside the repository,
    [(title, path) of each attachment shown inside the page]).  folders: a
    dict kept across calls, so each folder's real path is found once.
    """
    folders = {} if folders is None else folders
    under = _real(str(repo), folders).rstrip(os.sep) + os.sep

    def rel(path: Path) -> str | None:
        real = _real(str(path), folders)      # normalized: the rest is the path under the repository
        return real[len(under):].replace(os.sep, "/") if real.startswith(under) else None

    attachments = [(a.title, rel(a.source)) for a in notice.attachments if a.text is not None]
    return rel(notice.path), [(t, p) for t, p in attachments if p]


def _real(path: str, folders: dict) -> str:
    """os.path.realpath(path), each folder's remembered in folders: a file or
    folder that is no link is where its folder really is (one lstat, not one
    per folder above it)."""
    if path not in folders:
        head, tail = os.path.split(path)
        if tail in ("", ".", "..") or not head or os.path.islink(path):
            return os.path.realpath(path)
        if head not in folders:
            folders[head] = _real(head, folders)
        return os.path.join(folders[head], tail)
    return folders[path]


@dataclass
class _Version:
    commit: Commit
    path: str
    values: dict
    body: str
    disclosure: str

    @property
    def listed(self) -> bool:
        return self.disclosure in LISTED


_remembered: dict[tuple, tuple] = {}    # _past()'s answers for one commit, while the process lives (`serve`)
_remembered_at: tuple = ()


def _past(notice: Notice, history: History, hidden: frozenset) -> tuple[PublicRevision, ...]:
    """_revisions(), remembered for the same commit: they are read from git
    alone, so a preview that rebuilds after a save (no commit) reads them once."""
    global _remembered_at
    at = (str(history.repo), history.head, len(history.commits))
    if at != _remembered_at:           # another commit: what was read of the last one is let go
        _remembered.clear()
        _remembered_at = at
    key = (str(notice.path), notice.disclosure, hidden,
           tuple((a.title, str(a.source), a.text is not None) for a in notice.attachments))
    found = _remembered.get(key)
    if found is None:
        found = _remembered[key] = tuple(_revisions(notice, history, hidden))
    return found


class _Kept:
    """_past() of the listed notices through the build's cache: under a key
    made of everything _revisions() reads (the notice's path, disclosure and
    attachments, the numbers withheld, and each commit that changed its
    files: its metadata and the files' blobs then), so a build reads and
    compares the past versions only of what a commit touched."""

    _KINDS = {"PublicRevision": PublicRevision, "FieldChange": FieldChange}
    SHARE_FROM = 200        # notices new to the cache worth a second process (share())

    def __init__(self, listed: list[Notice], history: History, hidden: frozenset, cache):
        import hashlib

        from . import cache as caching

        self.history, self.hidden, self.cache = history, hidden, cache
        withheld = hashlib.sha256("\0".join(sorted(map(str, hidden))).encode()).hexdigest()
        self.keys: dict[str, str] = {}
        folders: dict[str, str] = {}
        for n in listed:
            path, attachments = tracked_files(n, history.repo, folders)
            if path is None:
                continue
            commits = [[c.sha, c.index, c.date.isoformat(), c.author, c.subject, history.state(path, c),
                        [history.state(p, c) for _, p in attachments]] for c in _commits(path, attachments, history)]
            self.keys[n.rel] = caching.key("revisions", path, n.disclosure, withheld, attachments, commits)
        self.found = cache.get_many("revisions", list(self.keys.values()), raw=True)
        self.fresh: dict[str, object] = {}
        self.helper = None                   # a second process reading some of them (share())
        self.theirs: set[str] = set()

    def share(self, listed: list[Notice]) -> None:
        """With many notices new to the cache (a cold build), a second process
        reads the later half of them from git into the cache, while this one
        reads the first half; past() then takes the later half from the cache."""
        from . import background

        missing = [n for n in listed if self.keys.get(n.rel) not in self.found and n.rel in self.keys]
        if len(missing) < self.SHARE_FROM or not self.cache.available:
            return
        self.theirs = {n.rel for n in missing[len(missing) // 2:]}
        later = [n for n in missing if n.rel in self.theirs]
        self.helper = background.with_cache(self.cache.path, functools.partial(self._fill, later))

    def _fill(self, notices: list[Notice], cache) -> None:
        """In the second process (background.with_cache): these notices' revisions into the cache."""
        from .cache import encode_value

        fresh: dict[str, object] = {}
        for n in notices:
            _keep(cache, fresh, self.keys[n.rel], encode_value(_past(n, self.history, self.hidden)))
        cache.put_many("revisions", fresh)

    def _join(self) -> None:
        """Wait for the second process, and take what it kept (what it did not is read here)."""
        helper, self.helper = self.helper, None
        helper.finish()
        self.found.update(self.cache.get_many("revisions", [self.keys[r] for r in self.theirs], raw=True))

    def past(self, notice: Notice) -> tuple[PublicRevision, ...]:
        from .cache import decode_value, encode_value

        k = self.keys.get(notice.rel)
        if self.helper is not None and notice.rel in self.theirs:
            self._join()
        if k in self.found and (kept := decode_value(self.found[k], self._KINDS)) is not None:
            return kept
        made = _past(notice, self.history, self.hidden)
        if k is not None:
            _keep(self.cache, self.fresh, k, encode_value(made))
        return made

    def store(self) -> None:
        self.cache.put_many("revisions", self.fresh)
        self.fresh = {}


def _keep(cache, fresh: dict, k: str, value) -> None:
    """fresh[k] = value, put in the cache with the rest five hundred at a time
    (a cold build's ten thousand revisions are not held at once)."""
    fresh[k] = value
    if len(fresh) >= 500:
        cache.put_many("revisions", fresh)
        fresh.clear()


def _revisions(notice: Notice, history: History, hidden: frozenset) -> list[PublicRevision]:
    """The notice's public revisions, newest first (see the module's rules)."""
    path, attachments = tracked_files(notice, history.repo)
    if path is None:
        return []
    now = disclosure_of(notice.disclosure)
    out: list[PublicRevision] = []
    last_public: _Version | None = None      # the version the next one is compared with
    previous: _Version | None = None         # the version just before, listed or not
    for commit in _commits(path, attachments, history):
        blob, at = history.state(path, commit)
        if blob is None:
            last_public = previous = None      # deleted: a later file of this name starts anew
            continue
        parsed = read_fields(history.text(path, commit) or "", at)
        version = _Version(commit, at, parsed.values, parsed.body.strip("\n"),
                           disclosure_of(parsed.values.get("disclosure")))
        renamed = previous is not None and previous.path != at
        if renamed and not (previous.listed and version.listed):
            last_public = None                 # a rename across a disclosure boundary is not followed
        previous = version
        if not version.listed:
            continue
        if last_public is None:
            out.append(_revision(commit, FIRST))
        else:
            out.append(_compare(last_public, version, now, attachments, history, hidden))
        last_public = version
    return list(reversed(out))


def _own(attachment_then: str | None, notice_then: str | None) -> bool:
    """Whether an attachment's file then lay in the notice's own folder then.

    An attachment's history counts only while it belonged to this notice: a
    file moved in from another notice's folder brings none of its past.
    """
    return bool(attachment_then and notice_then) and attachment_then.startswith(notice_then.removesuffix(".md") + "/")


def _commits(path: str, attachments, history: History) -> list[Commit]:
    """The commits that changed the notice, or one of its attachments while it was the notice's."""
    commits = {c.index: c for c in history.revisions([path])}
    for _, p in attachments:
        for c in history.revisions([p]):
            if _own(history.state(p, c)[1], history.state(path, c)[1]):
                commits[c.index] = c
    return [commits[i] for i in sorted(commits)]


def _attachment_text(p: str, notice_then: str, commit: Commit, history: History) -> str:
    blob, then = history.state(p, commit)
    data = history.read(blob) if _own(then, notice_then) else None
    return data.decode("utf-8", errors="replace") if data is not None else ""


def _revision(commit: Commit, kind: str, **parts) -> PublicRevision:
    # git allows control characters in authors and subjects; a page shows text.
    author, subject = CONTROL.sub("", commit.author), CONTROL.sub("", commit.subject)
    return PublicRevision(commit.sha, commit.short, commit.date, author, subject, kind, index=commit.index, **parts)


def _compare(old: _Version, new: _Version, now: str, attachments, history: History, hidden: frozenset) -> PublicRevision:
    """What changed between two listed versions, shown only as far as all three (old, new, now) show it."""
    validity = new.values.get("validity")
    before = {(e.get("date"), e.get("note")) for e in old.values.get("errata") or [] if isinstance(e, dict)}
    added = [e["note"] for e in new.values.get("errata") or []
             if isinstance(e, dict) and (e.get("date"), e.get("note")) not in before and shows("errata", new.disclosure)]
    if validity in ("废止", "失效") and old.values.get("validity") != validity:
        kind = validity
    else:
        kind = "更正" if added else "修订"
    changes = []
    for f in FIELDS:
        if not all(shows(f.key, d) for d in (old.disclosure, new.disclosure, now)):
            continue
        a = display(f.key, _public_value(f.key, old.values.get(f.key), hidden)) if f.key in old.values else None
        b = display(f.key, _public_value(f.key, new.values.get(f.key), hidden)) if f.key in new.values else None
        if a != b:
            changes.append(FieldChange(f.key, f.label, a, b))
    body, parts, note = None, [], None
    if old.disclosure == new.disclosure == now == FULL:
        hunks = text_diff(as_read(old.body), as_read(new.body))
        body = tuple(hunks) if changed(hunks) else ()
        for title, p in attachments:
            a = _attachment_text(p, old.path, old.commit, history)
            b = _attachment_text(p, new.path, new.commit, history)
            if a != b:
                parts.append((title, tuple(text_diff(as_read(a.strip("\n")), as_read(b.strip("\n"))))))
    else:
        note = "本文件正文不公开，不显示正文的改动。" if now != FULL else "此前的版本未公开正文，不显示正文的改动。"
    return _revision(new.commit, kind, fields=tuple(changes), body=body, attachments=tuple(parts), note=note,
                     change_note="；".join(added) or None)
