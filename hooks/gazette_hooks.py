"""MkDocs hooks: a thin layer over the gazette package.

All the logic (reading notices, the public view, pages, search, manifest)
lives in gazette/, which knows nothing of MkDocs.  These hooks hand its
finished pages to MkDocs as generated files (each page's HTML is made in
on_page_context, just before MkDocs wraps it in the theme, and let go once
written, so MkDocs only wraps it), copy
attachment files, and write the search index and manifest after the build.
Moving to another engine means rewriting this file and overrides/.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import logging
import os
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `mkdocs serve` does not put the project on the path
    sys.path.insert(0, str(ROOT))

from gazette import background, opendata, paths, preview, sitedir  # noqa: E402
from gazette.cache import Cache  # noqa: E402
from gazette.pages import Markups  # noqa: E402
from gazette.corpus import load_corpus  # noqa: E402
from gazette.feeds import feeds  # noqa: E402
from gazette.history import as_committed, head_commit, read_history, repo_root  # noqa: E402
from gazette.indexes import Site  # noqa: E402
from gazette.manifest import Committed, build_manifest, bundle_and_manifest  # noqa: E402
from gazette.problems import CorpusError  # noqa: E402
from gazette.public import publish  # noqa: E402
from gazette.search import start_index  # noqa: E402
from gazette.sitemap import sitemap  # noqa: E402

# Theme files no page loads: Material's search (we have our own) and the
# source map.  Leaving them out keeps the site ~2 MB smaller on a USB stick.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


class _State:
    """What one build knows: set in on_config, read by the later events."""

    site = None          # gazette.indexes.Site
    pages: dict = {}     # source path -> gazette.render.Page
    hand_written: list = []   # the sources of MkDocs' pages from docs/
    search = None        # (background job, folder) of the search index being built
    outputs = None       # a rebuild: the background job writing its feeds and open data
    cache = None         # gazette.cache.Cache: the notices' HTML, read as their pages are written
    notices_dir: Path | None = None
    site_dir = ""
    preview = False      # `build.py serve`: writes into the folder it serves (gazette/preview.py)
    surroundings = ""    # the digest of everything but the notices that makes the pages
    written: set = set()      # what MkDocs writes in this build (site paths)
    reads: dict = {}          # Page.reads of the notice pages made in this build
    unchanged: set = set()    # our pages the last build wrote as this one would (kept, not made again)
    last = None               # gazette.preview.Record of the last build into this folder
    earlier = None            # a build: the site it replaces (sitedir.replaced), if any
    final = None              # a build: the site it becomes (sitedir.target)
    now: dict = {}            # gazette.preview.digests() of this build's notices
    same_notices: set = set()  # a build: the notices (sources) as the last build had them
    touched = None            # a build: preview.changed() since the last build
    downloads: dict = {}      # attachments: site path -> source file
    kept = False              # a build took files from the site it replaces (sitedir.link_kept)


class _Download(File):
    """An attachment file.  MkDocs copies one in a dirty build only if it is
    newer than the copy; a file moved or unpacked into place keeps an older
    time, so a change of size or of either time counts too."""

    def is_modified(self) -> bool:
        try:
            src, dest = os.stat(self.abs_src_path), os.stat(self.abs_dest_path)
        except OSError:
            return True
        return src.st_size != dest.st_size or max(src.st_mtime_ns, src.st_ctime_ns) > dest.st_mtime_ns

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        # A new file, never written through: the copy there may be one the
        # site being replaced shares (sitedir.link_kept).
        Path(self.abs_dest_path).unlink(missing_ok=True)
        super().copy_file(dirty=False)


class _Generated(File):
    """One of our pages.  MkDocs makes a page again in a dirty build (the
    preview's) only if its file says it is modified; ours say so unless
    gazette/preview.py found the page untouched by the change."""

    def is_modified(self) -> bool:
        return self.src_uri not in _state.unchanged


_state = _State()
_T0 = [0.0]


def _took(what: str) -> None:
    """With GAZETTE_TIMING=1, how long each step of a build took, on stderr (for benchmarks/)."""
    if os.environ.get("GAZETTE_TIMING"):
        import time

        now = time.perf_counter()
        if not _T0[0]:
            _T0[0] = now - _age()
        print(f"[timing] {what}: {now - _T0[0]:.1f} s", file=sys.stderr)
        _T0[0] = now


def _age() -> float:
    """Seconds since this process started (Linux; 0 elsewhere): the first
    step's time then includes starting Python and reading the corpus."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def on_config(config):
    _took("start: Python, the corpus, the configuration")
    _state.preview = bool(config.extra.get("preview"))
    _state.site_dir = str(Path(config.site_dir).resolve())
    config_dir = Path(config.config_file_path).resolve().parent
    notices_dir = _state.notices_dir = config_dir / config.extra.get("notices_dir", "notices")
    try:
        # Paths are shown from the notices folder's parent (notices/2020/x.md)
        # wherever it lies, so no output depends on where the build ran.
        corpus = load_corpus(notices_dir, root=notices_dir.parent)
    except CorpusError as e:
        raise PluginError(e.report()) from None
    _took("corpus")
    history = read_history(notices_dir)
    cache = Cache()
    try:
        code = (config.extra.get("organisation") or {}).get("code")
        withheld = bool((config.extra.get("statistics") or {}).get("count_withheld"))
        # A preview remembers the revisions in the process (public._past): keying
        # ten thousand again for the cache would cost each save two seconds.
        publication = publish(corpus, history, head_commit(notices_dir), index_code=code, count_withheld=withheld,
                              cache=None if _state.preview else cache, remember=_state.preview)
        if not _state.preview:
            cache.sweep(("revisions", "citations"))
    finally:
        cache.close()
        if history is not None:
            history.close()
    # The day the pages state 效力状态 as of: the commit's day in China time.
    # Without a real date (no git: SOURCE_DATE_EPOCH 0) the pages state none
    # rather than a wrong one; the reader's browser still says it as of today.
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    china = dt.timezone(dt.timedelta(hours=8))
    built_on = dt.datetime.fromtimestamp(epoch, china).date() if epoch > 0 else None
    _state.site = _site(publication, config.site_url, built_on)
    _state.pages = {}
    _state.hand_written = []
    _state.outputs = None
    _state.unchanged = set()
    _state.reads = {}
    _state.last = None
    _state.kept = False
    staging = Path(config.site_dir)
    _state.earlier, _state.final = (None, None) if _state.preview else (sitedir.replaced(staging), sitedir.target(staging))
    _took("history and public view")
    if _state.preview:
        preview.stop_later()      # the last save's index and outputs, if still at work
    _quiet_dirty_warning()
    _state.now = preview.digests(publication)      # taken once: the search index and the pages compare them
    if not _state.preview:
        # The publication and the site live as long as the build: the garbage
        # collector need not walk them at every full collection (which grows
        # with the corpus), nor the search index's forked process touch their
        # pages to do so.  Not in a preview, which lives on after each build.
        gc.freeze()
    _start_search_index(publication, Path(config.site_dir))
    _state.surroundings = _surroundings(config)
    _state.same_notices, _state.touched = set(), None
    if not _state.preview:
        _start_outputs(config)
    return config


def _start_outputs(config) -> None:
    """A build over a site a build recorded (gazette/preview.py): which
    notices are as the last build had them; and its feeds and open data,
    written by a second process from now on, beside the index and the pages
    (a full build writes them after the index is made, whose merge is the
    build's peak of memory)."""
    if _state.earlier is None or _state.final is None:
        return
    cache = Cache()
    try:
        last = _state.last = preview.load(cache, _state.final)
    finally:
        cache.close()
    if last is None:
        return
    _state.touched = preview.changed(last, _state.site, _state.surroundings, _state.now)
    if _state.touched is None:        # everything is made again, the index in full: as a full build
        return
    _state.same_notices = set(_state.now) - _state.touched
    _state.outputs = background.start(functools.partial(_write_kept_data, Path(config.site_dir), _state.site,
                                                        config.site_name))


def _site(publication, site_url, built_on) -> Site:
    """Site.of(), with the names' pinyin as the last build spelled them (the build's cache)."""
    from gazette.cache import key

    cache = Cache()
    try:
        k = key("the pinyin of names")
        kept = cache.get_many("slugs", [k]).get(k)
        spelled = dict(kept) if isinstance(kept, dict) and all(isinstance(v, str) for v in kept.values()) else {}
        known = len(spelled)
        site = Site.of(publication, site_url, built_on, spelled)
        if len(spelled) > known:
            cache.put_many("slugs", {k: spelled})
        cache.sweep(("slugs",))
    finally:
        cache.close()
    return site


def _quiet_dirty_warning() -> None:
    """MkDocs warns of every dirty build (ours, on purpose: gazette/preview.py); strict mode would fail it."""
    log = logging.getLogger("mkdocs.commands.build")
    if not any(getattr(f, "gazette_preview", False) for f in log.filters):
        def drop(record) -> bool:
            return "'dirty' build" not in record.getMessage()

        drop.gazette_preview = True
        log.addFilter(drop)


def _start_search_index(publication, site_dir: Path) -> None:
    """The search index, in a second process while MkDocs renders the pages;
    written beside the site, moved in at the end."""
    _stop_search_index()
    target = site_dir.parent / f"{site_dir.name}-search"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(mode=0o700, parents=True)      # beside a preview's private folder: as private
    if _state.preview:
        preview.scratch(target)
    # A build patches the index of the site it replaces where it can (search.patch_index).
    docs = [_state.now[n.source] for n in publication.notices]
    _state.search = (start_index(publication, target, _state.preview, _state.earlier, _state.final, docs), target)


def _stop_search_index() -> None:
    if _state.search is not None:
        job, target = _state.search
        _state.search = None
        job.stop()
        shutil.rmtree(target, ignore_errors=True)


def _close_cache() -> None:
    if _state.cache is not None:
        _state.cache.close()
        _state.cache = None


def on_shutdown() -> None:
    """The preview stops (Ctrl+C, or kill: build.py serve): what it was still
    making is ended and removed."""
    preview.stop_later(wait=True)


def on_build_error(error) -> None:
    _stop_search_index()
    if _state.outputs is not None:
        _state.outputs.stop()
        _state.outputs = None
    _close_cache()
    if _state.preview:
        preview.forget(_state.site_dir)


def on_files(files: Files, config) -> Files:
    site = _state.site
    for f in list(files):
        if f.src_uri.startswith(UNUSED_THEME_FILES) or f.src_uri.endswith(".map"):
            files.remove(f)
    generated: list[File] = []
    _close_cache()
    cache = _state.cache = Cache()
    # A preview's save (not its first build) makes the bodies of the pages it writes only.
    made = Markups(site.publication.notices, cache, _state.now,
                   lazy=_state.preview and preview.last(_state.site_dir) is not None)
    if not _state.preview:     # a preview only adds a few entries, and must not wait on the index's writes
        cache.sweep(("markup",))
    _took("notice bodies (Markdown)")
    for page in site.pages(made):
        _state.pages[page.src] = page
        generated.append(_Generated.generated(config, page.src, content=""))
    downloads = [_Download.generated(config, uri, abs_src_path=str(source))
                 for n in site.publication.notices for uri, source in n.downloads]
    if _state.preview:
        _state.last = preview.last(_state.site_dir)
        touched = preview.changed(_state.last, site, _state.surroundings, _state.now)
        _state.unchanged = preview.unchanged(_state.last, site, _state.pages.values(), touched)
        for f in files.documentation_pages():      # hand-written: few, and they show the nav
            if f.src_uri not in _state.pages:
                Path(f.abs_dest_path).unlink(missing_ok=True)
        if preview.narrowed(_state.site_dir, site):
            # A notice no longer public (or no longer in full) may be in the last
            # index, feeds and open data: they go now, and come back when made again.
            for name in _BACKGROUND_OUTPUTS:
                sitedir.remove(Path(config.site_dir) / name)
    else:
        _keep_unchanged(config, site, generated, downloads)
    generated += downloads
    _state.downloads = {f.dest_uri: f.abs_src_path for f in downloads}

    taken = {f.src_uri for f in files}      # one set, not a path made for each of ten thousand lookups
    for f in generated:
        if f.src_uri in taken:
            raise PluginError(
                f"docs/{f.src_uri}: this hand-written page has the address of a generated page; rename or remove it"
            )
        files.append(f)
        taken.add(f.src_uri)
    _state.written = {f.dest_uri for f in files}
    _state.hand_written = [f.src_uri for f in files.documentation_pages() if f.src_uri not in _state.pages]
    _took("our pages")
    return files


def _keep_unchanged(config, site, generated: list[File], downloads: list[File]) -> None:
    """A build over a site a build recorded (gazette/preview.py): the pages
    and attachments that would be written as they are there are taken from
    it (hard links), and MkDocs, in its dirty build, leaves them alone."""
    last = _state.last          # read by _start_outputs()
    if last is None:
        return
    same = preview.unchanged(last, site, _state.pages.values(), _state.touched)
    pages = {f.dest_uri: f.src_uri for f in generated if f.src_uri in same}
    # An attachment, when its source is the very file the last build copied (sources).
    copies = [f.dest_uri for f in downloads
              if (was := last.sources.get(f.dest_uri)) is not None and preview.source_stat(f.abs_src_path) == was]
    linked = sitedir.link_kept(_state.earlier, config.site_dir, [*pages, *copies], last.files)
    _state.unchanged = {src for dest, src in pages.items() if dest in linked}
    _state.kept = bool(linked)


def on_page_content(html: str, page, config, files) -> str:
    ours = _state.pages.get(page.file.src_uri)
    if ours is None:
        return html
    page.title = ours.title
    if ours.feed:
        page.meta["gazette_feed"] = paths.href(ours.src, ours.feed)
    return ""       # the page itself is rendered when MkDocs writes it (on_page_context)


def on_page_context(context, page, config, nav):
    """Our page's HTML and headings, made just before the theme wraps them and
    let go once written (on_post_page): MkDocs reads every page before it
    writes any, and ten thousand pages held at once cost the build most of its memory."""
    ours = _state.pages.get(page.file.src_uri)
    if ours is not None:
        made = ours.rendered()
        page.content = str(made.html)
        page.toc = get_toc(made.toc)
        if made.reads is not None:
            _state.reads[ours.src] = made.reads
    return context


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri in _state.pages:
        page.content = None
        if _state.kept:        # a new file, never written through one the replaced site shares
            Path(page.file.abs_dest_path).unlink(missing_ok=True)
    return output


def on_post_template(output: str, template_name: str, config) -> str:
    """404.html is served at any depth, so the theme links it from the site root
    (/assets/...); ours sits at the root and must work from disk: relative links."""
    if template_name == "404.html":
        return output.replace('href="/', 'href="').replace('src="/', 'src="')
    return output


@event_priority(-1000)   # last: the bundle and the manifest cover every file the build wrote
def on_post_build(config) -> None:
    site_dir, notices_dir, site = Path(config.site_dir), _state.notices_dir, _state.site
    publication = site.publication
    _took("MkDocs renders the pages")
    _close_cache()
    _unlink_mkdocs_sitemap(site_dir)
    hand_written = _state.hand_written
    if _state.preview:
        _finish_preview(site_dir, site, config.site_name, hand_written, config)
        return
    outputs, _state.outputs = _state.outputs, None
    if outputs is not None:
        try:
            outputs.wait()
        except background.JobFailed as e:
            raise PluginError(f"the feeds and open data could not be written:\n{e}") from None
        _took("waiting for the feeds and open data (second process)")
    job, target = _state.search
    try:
        job.wait()
        _took("waiting for the search index")
    except background.JobFailed as e:
        _stop_search_index()
        raise PluginError(f"the search index could not be built:\n{e}") from None
    (target / paths.SEARCH_DIR).rename(site_dir / paths.SEARCH_DIR)
    _state.search = None
    shutil.rmtree(target, ignore_errors=True)
    if outputs is None:
        _write_data(site_dir, site, config.site_name)
    _write_sitemap(site_dir, site, hand_written)
    _took("feeds, open data, sitemap")
    earlier = _state.earlier        # the site this build replaces: its zip's unchanged members are reused
    known = _state.last.files if earlier is not None and _state.last is not None else None
    now = sitedir.scan(site_dir)     # every file but the zip and the manifest, as written: one look for all three
    repo = repo_root(notices_dir)
    where = notices_dir.resolve().relative_to(repo.resolve()).as_posix() if repo else None

    def manifest(files: dict[str, str]) -> dict:
        # Clean means the whole repository: code and templates make the site too,
        # and verify rebuilds the commit to prove it.
        clean, blobs = as_committed(repo, publication.commit) if publication.commit and repo else (None, None)
        cache = Cache()
        try:
            committed = Committed(repo, blobs, cache) if blobs else None
            made = build_manifest(site_dir, publication, clean, where, files, committed)
            cache.sweep(("blobs",))
        finally:
            cache.close()
        return made

    try:
        files = bundle_and_manifest(site_dir, earlier / paths.BUNDLE if earlier else None, known, now, manifest)
    except background.JobFailed as e:
        raise PluginError(f"the manifest could not be written:\n{e}") from None
    _took("site.zip, the files' hashes and the manifest")
    _record(site_dir, site, files, now)
    _took("the build's record")


def _record(site_dir: Path, site, files: dict[str, str], now: dict) -> None:
    """What this build wrote, for the next build of the same site
    (gazette/preview.py): each file's inode, size, time (now: sitedir.scan(),
    but for the zip written after) and SHA-256 (files)."""
    final = _state.final
    if final is None:          # not built by build.py: nothing is kept from it
        return
    rec = preview.record(site, _state.pages.values(), _state.surroundings, _state.reads, _state.last, _state.now)
    stats = {**{rel: now[rel] for rel in files if rel in now}, **sitedir.stats(site_dir, [paths.BUNDLE])}
    rec.files = {rel: [*st, files[rel]] for rel, st in stats.items()}
    rec.sources = {dest: st for dest, source in _state.downloads.items() if (st := preview.source_stat(source))}
    cache = Cache()
    try:
        preview.save(cache, final, rec)
    finally:
        cache.close()


def _unlink_mkdocs_sitemap(site_dir: Path) -> None:
    for gz in (paths.SITEMAP, paths.SITEMAP + ".gz"):      # MkDocs' own lists every file, dated by the build
        (site_dir / gz).unlink(missing_ok=True)


def _kept_data(site_dir: Path, site) -> tuple[set[str], opendata.Earlier | None]:
    """A build over a site it recorded: the open-data file of each notice as
    the last build had it (it is made from the notice alone), linked from
    there; and the files of all notices as it wrote them (opendata.Earlier)."""
    if _state.earlier is None or _state.last is None or not _state.same_notices:
        return set(), None
    want = [paths.notice_data(n.year, n.slug) for n in site.publication.notices if n.source in _state.same_notices]
    have = sitedir.link_kept(_state.earlier, site_dir, want, _state.last.files)
    return have, opendata.Earlier(*(sitedir.read_kept(_state.earlier / rel, _state.last.files.get(rel))
                                    for rel in (paths.DATA_ALL, paths.DATA_CSV)))


def _write_outputs(site_dir: Path, site, site_name: str, hand_written: list[str]) -> None:
    """Feeds, open data and our sitemap."""
    _write_data(site_dir, site, site_name)
    _write_sitemap(site_dir, site, hand_written)


def _write_data(site_dir: Path, site, site_name: str, have: set[str] = frozenset(),
                earlier: opendata.Earlier | None = None) -> None:
    """Feeds and open data (have: the open-data files already there; earlier: see opendata.files())."""
    data = opendata.files(site.publication, site.site_url, have, earlier)
    _write(site_dir, {**feeds(site, site.site_url, site_name), **data})


def _write_kept_data(site_dir: Path, site, site_name: str) -> None:
    """_write_data() of a rebuild, with what it keeps of the last build's (_kept_data())."""
    _write_data(site_dir, site, site_name, *_kept_data(site_dir, site))


def _write_sitemap(site_dir: Path, site, hand_written: list[str]) -> None:
    """Ours, with the site's address (MkDocs' own is removed: _unlink_mkdocs_sitemap)."""
    if site.site_url:
        _write(site_dir, {paths.SITEMAP: sitemap(site, site.site_url, hand_written)})


def _write(site_dir: Path, outputs: dict[str, bytes]) -> None:
    for rel, data in outputs.items():
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _finish_preview(site_dir: Path, site, site_name: str, hand_written: list[str], config) -> None:
    """A preview's end (gazette/preview.py): the search index, feeds and open
    data are finished in the background, at low priority, and moved in when
    done; anything else in the folder this build did not write (the page of
    a notice removed or no longer public, a file a failed build left) is
    deleted, since a dirty build cleans nothing."""
    job, target = _state.search
    _state.search = None
    outputs = preview.scratch(site_dir.parent / f"{site_dir.name}-outputs")
    shutil.rmtree(outputs, ignore_errors=True)
    outputs.mkdir(mode=0o700)
    made = background.start(functools.partial(_write_outputs, outputs, site, site_name, hand_written), yielding=True)
    preview.later([(job, target), (made, outputs)], site_dir)
    kept = _state.written | set(config.theme.static_templates) | set(config.extra_templates)
    for folder, dirs, names in os.walk(site_dir):
        here = Path(folder).relative_to(site_dir).as_posix()
        if here == ".":
            dirs[:] = [d for d in dirs if d not in _BACKGROUND_OUTPUTS and not d.startswith(".")]
        for name in names:
            rel = name if here == "." else f"{here}/{name}"
            if rel not in kept and not (here == "." and (name in _BACKGROUND_OUTPUTS or name.startswith("."))):
                (site_dir / rel).unlink(missing_ok=True)
    preview.remember(_state.site_dir,
                     preview.record(site, _state.pages.values(), _state.surroundings, _state.reads, _state.last, _state.now))
    _took("preview: pages written; index, feeds and open data follow")


# What a preview makes in the background, by their names at the top of the site.
_BACKGROUND_OUTPUTS = frozenset(p.split("/")[0] for p in (paths.SEARCH_DIR, paths.FEED_ALL, paths.DATA_ALL, paths.SITEMAP))


def _surroundings(config) -> str:
    """A digest of what makes every page besides the notices: the configuration,
    the templates and code, the theme overrides, the hand-written pages."""
    from gazette.cache import files_digest

    here = files_digest(ROOT / "gazette", ROOT / "overrides", ROOT / "hooks", ROOT / "build.py", Path(config.docs_dir),
                        Path(config.config_file_path))
    # What the command line adds to the file (build.py serve: extra, the address).
    return here + json.dumps([dict(config.extra), config.site_url], sort_keys=True, default=str)
