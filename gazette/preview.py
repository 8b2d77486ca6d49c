"""What a build must write again after a change, and what it may keep.

A clerk who saves one notice wants to see it at once, not after the whole
site is made again; a rebuild of ten thousand notices after one change
should cost what the change touches.  So a build notes what it wrote (a
Record) and the next build into the same folder writes again only the
pages the change can reach:

* a notice's page shows the notice itself and, by title, number or
  address, the other notices it names: the page notes which as it is made
  (Page.reads, pages.notice_page), and is written again when it or one of
  those changed (a notice is compared by a digest of everything it holds);
* everything a page links by name (which page a number or an index key
  leads to), the site's address, the day the pages state their status as
  of, and the code, templates and configuration that make them are the
  site's signature: when it changes, every page is written;
* an index page lists notices by their own fields: it is written again when
  one of them changed or its list is not the last one (Page.lists); a
  year's statistics, when what it counts of any notice changed (the same);
* the other pages (home, overviews, recent changes) are few and always
  written.

A preview (`build.py serve`) keeps its Record in the process and writes
into the folder it serves; its search index, feeds and open data are made
in the background, at low priority, and moved in when done (until then the
preview has the last ones): the page comes first.  It makes no site.zip or
manifest.json: a preview is not published.

`build.py build` keeps its Record in the build's cache (cache.py), writes a
new site beside the old one as always (sitedir.py), and takes each page it
may keep from the old site as a hard link (sitedir.link_kept): only a file
the Record names with the same inode, size and time, so a site changed or
replaced since is made again in full.  A test compares every such rebuild
with a cold build of the same notices, byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass, field, fields
from pathlib import Path

from . import background, sitedir
from .cache import code_fingerprint
from .cache import value_digest as _digest


@dataclass
class Record:
    """What a build into one folder knew, for the next build there."""

    signature: str | None     # None after a failed build: nothing is taken as unchanged
    notices: dict             # notice source -> digest of its PublicNotice
    full: dict                # notice source -> shown in full (PublicNotice.full_text)
    lists: dict               # index page source -> digest of its Page.lists
    reads: dict               # notice page source -> sorted sources of Page.reads, when it was last made
    files: dict = field(default_factory=dict)   # build: site path -> [inode, size, mtime_ns, SHA-256] as written
    sources: dict = field(default_factory=dict)  # build: an attachment's site path -> source_stat() of what it copied

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}       # not asdict(): no deep copy

    @classmethod
    def from_json(cls, data) -> Record | None:
        try:
            return cls(**data)
        except TypeError:
            return None


def signature(site, surroundings: str) -> str:
    """What every page may show of the site as a whole (indexes.Site), and
    surroundings: a digest of what else makes every page (the configuration,
    templates, theme overrides, code), from the caller."""
    pub = site.publication
    return _digest((
        surroundings, code_fingerprint(), site.site_url, site.today, pub.has_history,
        tuple(sorted((kind, tuple(sorted(keys.items()))) for kind, keys in site.slugs.items())),
        tuple((str(n.doc_number) if n.doc_number else "", n.source, n.page) for n in pub.notices),
    ))


def source_stat(path) -> list[int] | None:
    """What identifies a file's content without reading it: device, inode,
    size, and both times (the change time no program can set back)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def notice_digest(n, keys: tuple = (None, None)) -> str:
    """A digest of every field of a notice (a PublicNotice), as value_digest()
    of it would be, but its texts (the body, each attachment's) are hashed as
    UTF-8, with their lengths, not as repr(): a third of the time.  keys:
    Publication.keys of it: the key its notice was read under stands for its
    texts, and its revisions' key for them (each is made of all it was made
    from, so the same key means the same texts, the same revisions)."""
    read, past = keys
    h = hashlib.sha256()
    texts = [n.body, *(a.text for a in n.attachments)]
    rest = tuple(getattr(n, name) for name in _names(type(n), ("body", "attachments", "revisions") if past else ("body", "attachments")))
    attachments = tuple(tuple(getattr(a, name) for name in _names(type(a), ("text",))) for a in n.attachments)
    h.update(repr((type(n).__name__, rest, attachments)).encode("utf-8", "surrogatepass"))
    if read:
        # Whether the texts are shown is in rest (full_text); what they are, in the key.
        h.update(b"\0read:" + read.encode() + b"".join(b"-" if t is None else b"+" for t in texts))
    else:
        for text in texts:
            data = b"-" if text is None else text.encode("utf-8", "surrogatepass")
            h.update(b"\0%d:" % (-1 if text is None else len(data)) + data)
    if past:
        h.update(b"\0past:" + past.encode())
    return h.hexdigest()


@functools.cache
def _names(kind: type, skip: tuple[str, ...]) -> tuple[str, ...]:
    """The fields of a dataclass but these, in order (dataclasses.fields() makes its answer anew each time)."""
    return tuple(f.name for f in fields(kind) if f.name not in skip)


_digested: dict[str, tuple] = {}     # source -> (the notice, its digest) of the last digests() in this process


def digests(publication) -> dict[str, str]:
    """Each notice's digest, by source: what unchanged() and record() compare.
    A notice equal (==, field by field: the same types, so the same repr())
    to the one the last call in this process digested keeps that digest:
    `serve` digests again only what a save changed."""
    out = {}
    keys = publication.keys
    for n in publication.notices:
        was = _digested.get(n.source)
        out[n.source] = was[1] if was is not None and was[0] == n else notice_digest(n, keys.get(n.source, (None, None)))
    _digested.clear()
    _digested.update((n.source, (n, out[n.source])) for n in publication.notices)
    return out


def changed(last: Record | None, site, surroundings: str, now: dict[str, str]) -> set[str] | None:
    """The notices (sources) that differ from the last build's, or left it;
    None if the site's signature changed (or there was no last build): then
    everything is made again.  now: digests()."""
    if last is None or last.signature != signature(site, surroundings):
        return None
    return {s for s, d in now.items() if last.notices.get(s) != d} | (last.notices.keys() - now.keys())


def unchanged(last: Record | None, site, pages, touched: set[str] | None) -> set[str]:
    """The pages (their sources, Page.src) the build last into this folder
    wrote exactly as this one would: none if there was none.  touched: changed()."""
    if last is None or touched is None:
        return set()
    out = {n.page for n in site.publication.notices
           if n.source not in touched and (seen := last.reads.get(n.page)) is not None and touched.isdisjoint(seen)}
    out.update(p.src for p in pages
               if p.lists is not None and last.lists.get(p.src) == _digest(p.lists) and touched.isdisjoint(p.lists[0]))
    return out


def record(site, pages, surroundings: str, reads: dict, last: Record | None, now: dict[str, str]) -> Record:
    """What this build knew, for the next one (reads: Page.reads of the
    notice pages this build made; the others' are kept from when they were made;
    now: digests())."""
    known = {**(last.reads if last is not None and last.signature is not None else {}),
             **{src: sorted(seen) for src, seen in reads.items()}}
    pages = list(pages)
    notices = site.publication.notices
    return Record(signature(site, surroundings), dict(now),
                  {n.source: n.full_text for n in notices},
                  {p.src: _digest(p.lists) for p in pages if p.lists is not None},
                  {p.src: known[p.src] for p in pages if p.src in known})


# What a build wrote, in its cache: one entry per site folder and part
# ("pages": a Record; "search": search.write_index()'s), replaced by each build there.
_NS = "built"


def _cache_key(site_dir: Path, part: str) -> str:
    return hashlib.sha256(f"{part}\0{Path(site_dir).resolve()}".encode()).hexdigest()


def stored(cache, site_dir: Path, part: str):
    return cache.get_many(_NS, [_cache_key(site_dir, part)]).get(_cache_key(site_dir, part))


def store(cache, site_dir: Path, part: str, data) -> None:
    cache.put_many(_NS, {_cache_key(site_dir, part): data})


def load(cache, site_dir: Path) -> Record | None:
    data = stored(cache, site_dir, "pages")
    return Record.from_json(data) if isinstance(data, dict) else None


def save(cache, site_dir: Path, rec: Record) -> None:
    store(cache, site_dir, "pages", rec.to_json())


_last: dict[str, Record] = {}      # a preview's folder -> what the last preview build there knew


def last(site_dir: str) -> Record | None:
    return _last.get(site_dir)


def narrowed(site_dir: str, site) -> bool:
    """Whether a notice the folder may still show in its search index, feeds
    or open data (made in the background, so still the last ones) is no
    longer public, or no longer in full: those must go before anything is served."""
    rec = _last.get(site_dir)
    if rec is None:
        return False               # the first build: the folder holds none
    now = {n.source: n for n in site.publication.notices}
    return any((m := now.get(s)) is None or (full and not m.full_text) for s, full in rec.full.items())


def remember(site_dir: str, rec: Record) -> None:
    _last.clear()                      # one preview at a time
    _last[site_dir] = rec


def forget(site_dir: str) -> None:
    """After a failed build nothing is taken as unchanged (what was public is
    kept: narrowed() still compares with what the folder may hold)."""
    if site_dir in _last:
        _last[site_dir].signature = None


_lock = threading.Lock()
_later: tuple | None = None      # (jobs, the thread waiting for them) of the outputs a preview lets finish
_removing: list[threading.Thread] = []     # folders of stopped jobs, being deleted
_scratch: set[Path] = set()      # the folders the background jobs write into (removed at the end)


def scratch(folder: Path) -> Path:
    """Note a folder a background job writes into: stop_later(wait=True) removes it."""
    _scratch.add(Path(folder))
    return folder


def later(jobs: list[tuple[background.Job, Path]], site_dir: Path) -> None:
    """Let jobs finish after the pages are served: each writes into its own
    folder, and each thing at the top of that folder (the search index's
    folder, data/, feeds/) then takes the place of the same in site_dir,
    whole, so nothing stale is left in it.  Only the thread started here
    waits for the jobs; stop_later() ends them."""
    global _later

    def finish() -> None:
        global _later
        for job, folder in jobs:
            try:
                job.wait()
            except background.JobFailed as e:
                if _current(jobs):     # not stopped by a new save: it failed, say so
                    print(f"The preview's search index, feeds or open data could not be made; "
                          f"they are the last ones until the next save:\n{e}", file=sys.stderr)
                continue
            try:
                with _lock:
                    if not _current(jobs):
                        continue
                    for new in sorted(folder.iterdir()):
                        old, aside = site_dir / new.name, site_dir / f".{new.name}-old"
                        sitedir.remove(aside)
                        if old.exists():
                            old.rename(aside)
                        new.rename(old)
                        sitedir.remove(aside)
                sitedir.remove(folder)
            except OSError as e:
                print(f"The preview could not put its new search index, feeds or open data in place: {e}",
                      file=sys.stderr)
        with _lock:
            if _current(jobs):
                _later = None

    waiter = threading.Thread(target=finish, name="gazette-preview-later", daemon=True)
    with _lock:
        _later = (jobs, waiter)
    waiter.start()


def _current(jobs) -> bool:
    return _later is not None and _later[0] is jobs


def stop_later(wait: bool = False) -> None:
    """End what a preview is still making (a new save makes it again); its
    folders are removed in the background, or at once with wait (at the end,
    when the deletions still going on are waited for too)."""
    global _later
    with _lock:
        held, _later = _later, None
    if held is not None:
        jobs, waiter = held
        for job, _ in jobs:
            job.kill()
        waiter.join()
        for _, folder in jobs:             # sixteen thousand files: removed while the next build goes on
            if wait:
                shutil.rmtree(folder, ignore_errors=True)
            elif folder.exists():
                aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}-stopped-", dir=folder.parent))
                folder.rename(aside / folder.name)
                remover = threading.Thread(target=shutil.rmtree, args=(aside,), kwargs={"ignore_errors": True},
                                           daemon=True)
                remover.start()
                _removing.append(remover)
    if wait:
        background.stop_yielding()        # a job of a build still under way, not yet handed here
        for folder in _scratch:
            shutil.rmtree(folder, ignore_errors=True)
        for remover in _removing:
            remover.join()
        _removing.clear()


def settle() -> None:
    """Wait until what a preview lets finish is in place (tests; benchmarks)."""
    with _lock:
        held = _later
    if held is not None:
        held[1].join()
