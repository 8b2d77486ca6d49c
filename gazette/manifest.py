"""site/manifest.json: what the site was built from, and the hash of every file.

An auditor can prove that a published site was built from a given commit and
not altered afterwards: `build.py verify SITE` recomputes every hash, and
every file that is missing, added or altered is named.

It is written from the Publication (public.py) like every other output: a
public notice lists the source files its published text comes from (git blob
id and SHA-256); a 依申请公开 notice has none, because hashes of unpublished
text are derived from it; a 不予公开 notice is not in the publication.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from collections.abc import Callable
from pathlib import Path

from . import paths
from .jsontext import indented
from .public import Publication
from .search import notice_files

NAME = paths.MANIFEST
FORMAT = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def git_blob_id(data: bytes) -> str:
    """The id git gives a file with this content (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Committed:
    """The source files git says are as the commit has them (blobs: path
    from the repository's top -> blob id, those files only): such a file's
    blob id is the commit's, and its SHA-256 is kept in the build's cache
    under that id (the content's own hash: it cannot go stale), so a
    rebuild reads only the sources it has not hashed before."""

    def __init__(self, repo: Path, blobs: dict[str, str], cache):
        self.repo, self.blobs, self.cache = os.path.join(os.fspath(repo), ""), blobs, cache
        self.known: dict[str, str] = {}
        self.fresh: dict[str, str] = {}      # kept, not yet in the cache

    def blob(self, path: Path) -> str | None:
        p = os.fspath(path)
        return self.blobs.get(p[len(self.repo):].replace(os.sep, "/")) if p.startswith(self.repo) else None

    def fetch(self, blobs: list[str]) -> None:
        from .cache import key

        keys = {key("sha256 of a blob", b): b for b in blobs}
        self.known.update((keys[k], v) for k, v in self.cache.get_many("blobs", list(keys)).items() if isinstance(v, str))

    def keep(self, blob: str, digest: str) -> None:
        self.known[blob] = self.fresh[blob] = digest

    def store(self) -> None:
        """Put what keep() was given into the cache, in one go."""
        from .cache import key

        self.cache.put_many("blobs", {key("sha256 of a blob", b): d for b, d in self.fresh.items()})
        self.fresh = {}


def _sources(sources, committed: Committed | None = None) -> list[dict]:
    out = []
    for shown, path in sources:
        blob = committed.blob(path) if committed else None
        if blob is not None and blob in committed.known:
            out.append({"path": shown, "git_blob": blob, "sha256": committed.known[blob]})
            continue
        data = path.read_bytes()
        out.append({"path": shown, "git_blob": git_blob_id(data), "sha256": sha256(data)})
        if blob is not None and blob == out[-1]["git_blob"]:
            committed.keep(blob, out[-1]["sha256"])
    return out


def outputs_of(publication: Publication, files) -> dict[str, list[str]]:
    """Notice source -> the site files made from that notice alone (files: the site's files)."""
    texts = notice_files(publication, files)
    return {
        n.source: [paths.html_path(n.page), *texts[n.source], paths.notice_data(n.year, n.slug)]
        + [uri for uri, _ in n.downloads]
        for n in publication.notices
    }


def file_hashes(site_dir: Path, skip: tuple[str, ...] = (), known: dict | None = None,
                now: dict | None = None) -> dict[str, str]:
    """The SHA-256 of every file of the site but the manifest (and skip).
    known: site path -> [inode, size, mtime_ns, SHA-256] the last build
    recorded; a file still as recorded (sitedir.unchanged_since: a page a
    rebuild kept) is not read again.  now: sitedir.scan() of the site, if taken."""
    from .sitedir import recorded_hash, scan

    site_dir = Path(site_dir)
    known = known or {}
    now = scan(site_dir) if now is None else now
    out = {}
    top = os.fspath(site_dir)
    for rel, st in now.items():
        if rel != NAME and rel not in skip:
            p = os.path.join(top, rel)
            if (found := recorded_hash(p, known.get(rel), st)) is None:
                with open(p, "rb") as f:
                    found = sha256(f.read())
            out[rel] = found
    return out


# The zip's hash in the manifest until the zip is written: not a SHA-256 (no
# file can have it), as long as one, so the hash takes its place byte for byte.
_STAND_IN = "-" * 64


def bundle_and_manifest(site_dir: Path, previous: Path | None, known: dict | None, now: dict | None,
                        manifest: Callable[[dict[str, str]], dict]) -> dict[str, str]:
    """Write site.zip and the manifest; return file_hashes() of the site with
    the zip.  manifest(files) makes the manifest (build_manifest()) from
    those hashes.  Both read every file: a second process (background.py)
    hashes them and writes the manifest, with a stand-in for the zip's hash,
    while this one writes the zip (bundle.write_bundle(): previous, known;
    now: sitedir.scan() of the site); the zip's hash then takes the
    stand-in's place, and the hashes are read back from the manifest."""
    from . import background
    from .bundle import PART, write_bundle
    from .cache import Cache
    from .sitedir import scan

    site_dir = Path(site_dir)
    now = scan(site_dir) if now is None else now

    def hashes_and_manifest() -> None:
        files = file_hashes(site_dir, (paths.BUNDLE, PART), known, now)
        write_manifest(site_dir, manifest({**files, paths.BUNDLE: _STAND_IN}))

    job = background.start(hashes_and_manifest)
    cache = Cache()
    try:
        _, digest = write_bundle(site_dir, previous, cache, known, now)
    except BaseException:
        job.stop()
        raise
    finally:
        cache.close()
    job.wait()
    return _fill_in(site_dir / NAME, digest)


def _fill_in(path: Path, digest: str) -> dict[str, str]:
    """Put the zip's hash in the place of its stand-in; the manifest's files."""
    data = path.read_bytes()
    entry = json.dumps({paths.BUNDLE: _STAND_IN})[1:-1].encode()      # "site.zip": "----…"
    at = data.find(entry)
    if at < 0 or data.find(entry, at + 1) >= 0:
        raise ValueError(f"{path}: the zip's entry is not there once")
    at += len(entry) - len(_STAND_IN) - 1
    with open(path, "r+b") as f:
        f.seek(at)
        f.write(digest.encode("ascii"))
    files = json.loads(data)["files"]
    files[paths.BUNDLE] = digest
    return files


def build_manifest(site_dir: Path, publication: Publication, clean: bool | None, notices_dir: str | None,
                   files: dict[str, str] | None = None, committed: Committed | None = None) -> dict:
    """notices_dir: the notices folder relative to the repository, so verify can rebuild.
    files: file_hashes(site_dir), if the build has them already; committed:
    the sources git says are the commit's."""
    site_dir = Path(site_dir)
    files = file_hashes(site_dir) if files is None else files
    outputs = outputs_of(publication, files)
    if committed is not None:
        committed.fetch([b for n in publication.notices for _, path in n.sources if (b := committed.blob(path))])
    notices = []
    for n in publication.notices:
        entry = {
            "doc_number": str(n.doc_number) if n.doc_number else None,
            "title": n.title,
            "disclosure": n.disclosure,
            "source": n.source,
            "outputs": {path: files.get(path) for path in outputs.get(n.source, [])},
        }
        if n.sources:
            entry["sources"] = _sources(n.sources, committed)
        notices.append(entry)
    if committed is not None:
        committed.store()
    return {
        "format": FORMAT,
        "commit": publication.commit,
        "notices_dir": notices_dir,
        "source_clean": clean,
        "notices": notices,
        "files": files,
    }


def write_manifest(site_dir: Path, manifest: dict) -> None:
    text = indented(manifest) + "\n"
    (Path(site_dir) / NAME).write_text(text, encoding="utf-8")


class ManifestError(Exception):
    """The manifest itself is missing or unreadable."""


def verify(site_dir: Path, tree: dict[str, str] | None = None) -> tuple[list[str], dict]:
    """Problems found in a built site, one line each, and the manifest.

    tree, when given, maps source paths to git blob ids at the manifest's
    commit, so that the sources can be checked against the commit too.
    """
    site_dir = Path(site_dir)
    path = site_dir / NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path} is missing; this folder was not built by build.py") from None
    except (OSError, ValueError) as e:
        raise ManifestError(f"{path} cannot be read: {e}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise ManifestError(f"{path} is not a manifest this version of build.py understands")

    problems = []
    expected: dict[str, str] = manifest["files"]
    present = {p.relative_to(site_dir).as_posix(): p for p in site_dir.rglob("*") if p.is_file()}
    for rel in sorted(expected):
        if rel not in present:
            problems.append(f"missing: {rel}")
        elif sha256(present[rel].read_bytes()) != expected[rel]:
            problems.append(f"altered: {rel}")
    for rel in sorted(present):
        if rel != NAME and rel not in expected:
            problems.append(f"added: {rel}")
    for notice in manifest.get("notices", []):
        for rel, digest in notice.get("outputs", {}).items():
            if expected.get(rel) != digest:
                problems.append(f"inconsistent: {rel} (the manifest's notice entry and file list disagree)")
        if tree is not None:
            # Source paths start at the notices folder's parent; the tree's at the repository.
            prefix = posixpath.dirname(manifest.get("notices_dir") or "notices")
            for source in notice.get("sources", []):
                if tree.get(posixpath.join(prefix, source["path"])) != source["git_blob"]:
                    problems.append(f"source differs from commit {manifest.get('commit')}: {source['path']}")
    return problems, manifest
