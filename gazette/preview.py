"""What a preview (`build.py serve`) must write again after a save.

A clerk who saves one notice wants to see it at once, not after the whole
site is made again.  The preview keeps what the last build knew (this
module, for the life of the process) and writes again only the pages the
change can reach:

* a notice's page shows the notice itself and, by title, number or
  address, the other notices it names: the page notes which as it is made
  (Page.reads, pages.notice_page), and is written again when it or one of
  those changed;
* everything a page links by name (which page a number or an index key
  leads to), the site's address and the day the pages state their status
  as of is the site's signature: when it changes, every page is written;
* an index page lists notices by their own fields: it is written again when
  one of them changed or its list is not the last one (Page.lists);
* the other pages (home, overviews, statistics, recent changes) are few and
  always written.

The search index, the feeds and the open data are made in the background,
at low priority, and moved in when done (until then the preview has the last
ones): the page comes first.  site.zip and manifest.json are not made: a
preview is not published.

Only the preview works this way.  `build.py build` makes every page of a
published site from nothing (or from the cache, cache.py), so that what is
published never rests on this reasoning.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from . import background, sitedir
from .public import Publication


@dataclass
class _Last:
    signature: tuple | None   # None after a failed build: nothing is taken as unchanged
    publication: Publication
    lists: dict               # index page source -> Page.lists
    reads: dict               # notice page source -> Page.reads, when it was last made


_last: dict[str, _Last] = {}      # site folder -> what the last preview build there knew


def signature(site, surroundings: str) -> tuple:
    """What every page may show of the site as a whole (indexes.Site), and
    surroundings: a digest of what else makes every page (the configuration,
    templates, theme overrides, code), from the caller."""
    pub = site.publication
    return (
        surroundings, site.site_url, site.today, pub.commit, pub.has_history,
        tuple(sorted((kind, tuple(sorted(keys.items()))) for kind, keys in site.slugs.items())),
        tuple((str(n.doc_number) if n.doc_number else "", n.source, n.page) for n in pub.notices),
    )


def unchanged(site_dir: str, site, pages, surroundings: str) -> set[str]:
    """The pages (their sources, Page.src) the last preview build into
    site_dir wrote exactly as this one would: none if there was none."""
    last = _last.get(site_dir)
    if last is None or last.signature != signature(site, surroundings):
        return set()
    old, new = last.publication, site.publication
    before = {n.source: n for n in old.notices}
    now = {n.source: n for n in new.notices}
    changed = {s for s, n in now.items() if before.get(s) != n} | (before.keys() - now.keys())
    out = {n.page for s, n in now.items()
           if s not in changed and (seen := last.reads.get(n.page)) is not None and changed.isdisjoint(seen)}
    out.update(p.src for p in pages
               if p.lists is not None and last.lists.get(p.src) == p.lists and changed.isdisjoint(p.lists[0]))
    return out


def narrowed(site_dir: str, site) -> bool:
    """Whether a notice the folder may still show in its search index, feeds
    or open data (made in the background, so still the last ones) is no
    longer public, or no longer in full: those must go before anything is served."""
    last = _last.get(site_dir)
    if last is None:
        return False               # the first build: the folder holds none
    now = {n.source: n for n in site.publication.notices}
    return any((m := now.get(n.source)) is None or (n.full_text and not m.full_text) for n in last.publication.notices)


def remember(site_dir: str, site, pages, surroundings: str, reads: dict) -> None:
    """Keep what this build knew, for the next one (reads: Page.reads of the
    notice pages this build made; the others' are kept from when they were made)."""
    last = _last.get(site_dir)
    known = {**(last.reads if last is not None and last.signature is not None else {}), **reads}
    pages = list(pages)
    lists = {p.src: p.lists for p in pages if p.lists is not None}
    _last.clear()                      # one preview at a time: let the old publication go
    _last[site_dir] = _Last(signature(site, surroundings), site.publication, lists,
                            {p.src: known[p.src] for p in pages if p.src in known})


def forget(site_dir: str) -> None:
    """After a failed build nothing is taken as unchanged (the publication is
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
