"""What a preview (`build.py serve`) must write again after a save.

A clerk who saves one notice wants to see it at once, not after the whole
site is made again.  The preview keeps what the last build knew (this
module, for the life of the process) and writes again only the pages the
change can reach:

* a notice's page shows the notice itself and, by title and number, the
  notices it names or is named by (supersedes, superseded_by, repeals,
  repealed_by, cites, cited_by): it is written again when it or one of
  those changed, before or after the save;
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
import threading
from dataclasses import dataclass
from pathlib import Path

from . import background
from .public import PublicNotice, Publication


@dataclass
class _Last:
    signature: tuple
    publication: Publication
    written: frozenset        # the site paths the build wrote for notices (pages, downloads)
    lists: dict               # index page source -> Page.lists


_last: dict[str, _Last] = {}      # site folder -> what the last preview build there knew


def signature(site) -> tuple:
    """What every page may show of the site as a whole (indexes.Site)."""
    pub = site.publication
    return (
        site.site_url, site.today, pub.commit, pub.has_history,
        tuple(sorted((kind, tuple(sorted(keys.items()))) for kind, keys in site.slugs.items())),
        tuple((str(n.doc_number) if n.doc_number else "", n.source, n.page) for n in pub.notices),
    )


def _neighbours(pub: Publication, n: PublicNotice) -> set[str]:
    """Sources of the notices n's page names (the template's number_link and notice_link)."""
    numbers = [*n.cites, *n.supersedes, *n.superseded_by, *n.repeals, *([n.repealed_by] if n.repealed_by else [])]
    out = {other.source for x in numbers if (other := pub.by_number(x)) is not None}
    out.update(n.cited_by)
    return out


def unchanged(site_dir: str, site, pages) -> set[str]:
    """The pages (their sources, Page.src) the last preview build into
    site_dir wrote exactly as this one would: none if there was none."""
    last = _last.get(site_dir)
    if last is None or last.signature != signature(site):
        return set()
    old, new = last.publication, site.publication
    before = {n.source: n for n in old.notices}
    now = {n.source: n for n in new.notices}
    changed = {s for s, n in now.items() if before.get(s) != n} | (before.keys() - now.keys())
    reached = set(changed)
    for pub in (old, new):
        for n in pub.notices:
            if n.source not in reached and not changed.isdisjoint(_neighbours(pub, n)):
                reached.add(n.source)
    out = {n.page for s, n in now.items() if s not in reached}
    out.update(p.src for p in pages
               if p.lists is not None and last.lists.get(p.src) == p.lists and changed.isdisjoint(p.lists[0]))
    return out


def remember(site_dir: str, site, pages, written: set[str]) -> set[str]:
    """Keep what this build knew; return what the last one wrote that this
    one did not (a notice removed or no longer public): the preview deletes it."""
    last = _last.get(site_dir)
    gone = set(last.written - written) if last is not None else set()
    _last.clear()                      # one preview at a time: let the old publication go
    lists = {p.src: p.lists for p in pages if p.lists is not None}
    _last[site_dir] = _Last(signature(site), site.publication, frozenset(written), lists)
    return gone


def forget(site_dir: str) -> None:
    """After a failed build nothing is known of what the folder holds."""
    _last.pop(site_dir, None)


_lock = threading.Lock()
_later: tuple | None = None      # (jobs, the thread waiting for them) of the outputs a preview lets finish


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
            except background.JobFailed:
                continue           # stopped by the next save, or failed: the preview keeps the last one
            with _lock:
                if _later is None or _later[0] is not jobs:
                    continue
                for new in sorted(folder.iterdir()):
                    old, aside = site_dir / new.name, site_dir / f".{new.name}-old"
                    _remove(aside)
                    if old.exists():
                        old.rename(aside)
                    new.rename(old)
                    _remove(aside)
            _remove(folder)
        with _lock:
            if _later is not None and _later[0] is jobs:
                _later = None

    waiter = threading.Thread(target=finish, name="gazette-preview-later", daemon=True)
    with _lock:
        _later = (jobs, waiter)
    waiter.start()


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def stop_later(wait: bool = False) -> None:
    """End what a preview is still making (a new save makes it again); its
    folders are removed in the background, or at once with wait (at the end)."""
    global _later
    with _lock:
        held, _later = _later, None
    if held is None:
        return
    jobs, waiter = held
    for job, _ in jobs:
        job.kill()
    waiter.join()
    for _, folder in jobs:                 # sixteen thousand files: removed while the next build goes on
        if wait:
            shutil.rmtree(folder, ignore_errors=True)
        elif folder.exists():
            aside = folder.with_name(f".{folder.name}-stopped-{id(folder)}")
            folder.rename(aside)
            threading.Thread(target=shutil.rmtree, args=(aside,), kwargs={"ignore_errors": True}, daemon=True).start()


def settle() -> None:
    """Wait until what a preview lets finish is in place (tests; benchmarks)."""
    with _lock:
        held = _later
    if held is not None:
        held[1].join()
