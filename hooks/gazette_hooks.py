"""MkDocs hooks: a thin layer over the gazette package.

All the logic (reading notices, disclosure, index pages) lives in gazette/,
which knows nothing of MkDocs.  These hooks only hand its Markdown pages to
MkDocs as generated files, so moving to another MkDocs 1.x fork or successor
means rewriting this file and nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `mkdocs serve` does not put the project on the path
    sys.path.insert(0, str(ROOT))

from gazette import revisions  # noqa: E402
from gazette.corpus import load_corpus  # noqa: E402
from gazette.history import head_commit, is_clean  # noqa: E402
from gazette.indexes import Site  # noqa: E402
from gazette.manifest import build_manifest, write_manifest  # noqa: E402
from gazette.pages import downloads, notice_src, render_notice  # noqa: E402
from gazette.problems import CorpusError  # noqa: E402
from gazette.search import write_index  # noqa: E402

# Material's offline plugin puts a CDN copy of the iframe-worker shim on every
# page unless a local one is listed in extra.polyfills; this is that local
# copy, installed from the npm registry (package.json), never fetched online.
SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
SHIM_URI = "assets/vendor/iframe-worker/shim.js"

# Theme files no page loads: Material's search (we have our own) and the
# source map.  Leaving them out keeps the site ~2 MB smaller on a USB stick.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")

_site: Site | None = None
_notices_dir: Path | None = None
_revisions: dict | None = None     # notice path -> revisions, None without history


def on_config(config):
    global _site, _notices_dir
    config_dir = Path(config.config_file_path).resolve().parent
    notices_dir = _notices_dir = config_dir / config.extra.get("notices_dir", "notices")
    try:
        corpus = load_corpus(notices_dir, root=config_dir)
    except CorpusError as e:
        raise PluginError(e.report()) from None
    global _revisions
    _site = Site.of(corpus)
    _revisions = revisions.read_all(corpus, notices_dir)
    return config


def on_files(files: Files, config) -> Files:
    assert _site is not None
    site = _site
    for f in list(files):
        if f.src_uri.startswith(UNUSED_THEME_FILES) or f.src_uri.endswith(".map"):
            files.remove(f)
    by_number = {n.doc_number: n for n in site.corpus.listed if n.doc_number}
    generated: list[File] = []
    for notice in site.corpus.listed:
        history = None if _revisions is None else _revisions[notice.rel]
        content = render_notice(notice, site.page_of, by_number.get, history, site.superseded_by(notice))
        generated.append(File.generated(config, notice_src(notice), content=content))
        for uri, source in downloads(notice):
            generated.append(File.generated(config, uri, abs_src_path=str(source)))
    for src, content in site.pages(_revisions):
        generated.append(File.generated(config, src, content=content))

    if not SHIM.is_file():
        raise PluginError(f"{SHIM.relative_to(ROOT)} is missing; run `make site` (it installs it with npm)")
    generated.append(File.generated(config, SHIM_URI, abs_src_path=str(SHIM)))

    for f in generated:
        if files.get_file_from_path(f.src_uri) is not None:
            raise PluginError(
                f"docs/{f.src_uri}: this hand-written page has the address of a generated page; rename or remove it"
            )
        files.append(f)
    return files


@event_priority(-1000)   # last: the manifest hashes every file the build wrote
def on_post_build(config) -> None:
    assert _site is not None and _notices_dir is not None
    corpus, site_dir = _site.corpus, Path(config.site_dir)
    write_index(corpus, site_dir)
    commit = head_commit(_notices_dir)
    manifest = build_manifest(site_dir, corpus, commit, is_clean(_notices_dir) if commit else None)
    write_manifest(site_dir, manifest)
