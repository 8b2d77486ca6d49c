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
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `mkdocs serve` does not put the project on the path
    sys.path.insert(0, str(ROOT))

from gazette.corpus import load_corpus  # noqa: E402
from gazette.indexes import Site  # noqa: E402
from gazette.pages import attachment_src, notice_src, render_notice  # noqa: E402
from gazette.problems import CorpusError  # noqa: E402
from gazette.search import write_index  # noqa: E402

# The iframe-worker shim lets Material's search worker run from file://.  It is
# installed from the npm registry (package.json), never fetched by the browser.
SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
SHIM_URI = "assets/vendor/iframe-worker/shim.js"

_site: Site | None = None


def on_config(config):
    global _site
    config_dir = Path(config.config_file_path).resolve().parent
    notices_dir = config_dir / config.extra.get("notices_dir", "notices")
    try:
        corpus = load_corpus(notices_dir, root=config_dir)
    except CorpusError as e:
        raise PluginError(e.report()) from None
    _site = Site.of(corpus)
    return config


def on_files(files: Files, config) -> Files:
    assert _site is not None
    site = _site
    by_number = {n.doc_number: n for n in site.corpus.listed if n.doc_number}
    generated: list[File] = []
    for notice in site.corpus.listed:
        content = render_notice(notice, site.page_of, by_number.get)
        generated.append(File.generated(config, notice_src(notice), content=content))
        if notice.is_public:
            for a in notice.attachments:
                if a.source is not None and a.text is None:
                    uri = attachment_src(notice, a.file)
                    generated.append(File.generated(config, uri, abs_src_path=str(a.source)))
    for src, content in site.pages():
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


def on_post_build(config) -> None:
    assert _site is not None
    write_index(_site.corpus, Path(config.site_dir))
