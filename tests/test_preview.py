"""`build.py serve` writes again only the pages a save reaches (gazette/preview.py).

After each save the preview's folder must hold exactly what a full build of
the same notices holds (but site.zip and manifest.json, which a preview does
not make), and the pages the save cannot reach must not have been written
again: that is what makes the preview fast.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_into
from gazette import paths
from gazette.corpus import load_corpus
from gazette.public import publish

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import make_repository  # noqa: E402

NOT_IN_PREVIEW = {paths.BUNDLE, paths.MANIFEST}


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _stamps(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


class _Preview:
    """One preview process (tests/preview_driver.py), building on request."""

    def __init__(self, notices: Path, site: Path):
        self.site = site
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "preview_driver.py"), str(notices), str(site)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def build(self, command: str = "build", expect: str = "built") -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line == expect + "\n", self.proc.stderr.read() if self.proc.poll() is not None else line

    def close(self) -> str:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        return self.proc.stderr.read()


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return make_repository(tmp_path_factory.mktemp("preview") / "repo", 120)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_each_save_leaves_the_preview_as_a_full_build_and_rewrites_only_what_it_reaches(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    notices = repo
    root = notices.parent
    pub = publish(load_corpus(notices, root=root), None)
    # A notice without a number that cites another: the cited page names it by its title.
    citing = next(n for n in pub.notices if not n.doc_number and n.cites)
    cited = pub.by_number(citing.cites[0])
    related = {citing.source, cited.source, *cited.cited_by}
    quiet = next(n for n in pub.notices if n.source not in related and not n.cites and not n.cited_by
                 and not n.supersedes and not n.superseded_by and n.year != citing.year)
    attached = next(n for n in pub.notices if n.source not in related and n is not quiet
                    and any(a.text for a in n.attachments) and list((root / n.source).with_suffix("").glob("*.md")))
    withheld = next(n for n in pub.notices if n.source not in related and n not in (quiet, attached) and not n.cited_by
                    and not n.superseded_by and n.disclosure == "主动公开")
    page = {n.source: paths.html_path(n.page) for n in pub.notices}

    preview = _Preview(notices, tmp_path / "preview")
    try:
        def same_as_full_build(step: str) -> None:
            full = build_into(notices, tmp_path / f"full-{step}")
            shown, built = _files(preview.site), _files(full)
            expected = {k: v for k, v in built.items() if k not in NOT_IN_PREVIEW}
            assert sorted(shown) == sorted(expected), step
            assert [k for k in expected if shown[k] != expected[k]] == [], step

        preview.build()
        same_as_full_build("first")

        # A new title: the notice's page and the page naming it change; a page apart is not written again.
        before = _stamps(preview.site)
        _edit(root / citing.source, f"title: {citing.title}", f"title: {citing.title}（修订稿）")
        preview.build()
        after = _stamps(preview.site)
        assert after[page[citing.source]] != before[page[citing.source]]
        assert after[page[quiet.source]] == before[page[quiet.source]]
        assert f"{citing.title}（修订稿）" in (preview.site / page[cited.source]).read_text(encoding="utf-8")
        # Index pages: the one listing the notice is written again, one of another year is not.
        year, other = paths.index_page("years", str(citing.year)), paths.index_page("years", str(quiet.year))
        assert citing.year != quiet.year
        assert after[paths.html_path(year)] != before[paths.html_path(year)]
        assert after[paths.html_path(other)] == before[paths.html_path(other)]
        same_as_full_build("title")

        # An attachment's text saved: the page showing it is written again.
        attachment = sorted((root / attached.source).with_suffix("").glob("*.md"))[0]
        attachment.write_text(attachment.read_text(encoding="utf-8") + "\n附件修改预览。\n", encoding="utf-8")
        preview.build()
        assert "附件修改预览。" in (preview.site / page[attached.source]).read_text(encoding="utf-8")

        # Saving with nothing changed writes no notice page again.
        before = _stamps(preview.site)
        preview.build()
        after = _stamps(preview.site)
        assert [p for p in page.values() if after[p] != before[p]] == []

        # A downloadable file replaced by one with an older time (moved or unpacked into place).
        pdf = sorted(root.glob("notices/*/*/*.pdf"))[0]
        published = preview.site / "files" / pdf.relative_to(root / "notices")
        assert published.read_bytes() == pdf.read_bytes()
        pdf.write_bytes(pdf.read_bytes() + b"\n% replaced\n")
        os.utime(pdf, ns=(10**18, 10**18))           # 2001: older than the copy
        preview.build()
        assert published.read_bytes() == pdf.read_bytes()

        # A save that fails (a disclosure value with a typo), then the notice
        # withdrawn from publication: its page is gone, and so is its text in
        # the search index, feeds and open data from the moment the pages are
        # served, before those are made again.
        _edit(root / withheld.source, "disclosure: 主动公开", "disclosure: 不予公 开")
        preview.build(expect="failed")
        _edit(root / withheld.source, "disclosure: 不予公 开", "disclosure: 不予公开")
        preview.build("pages")
        assert not (preview.site / page[withheld.source]).exists()
        for p in preview.site.rglob("*"):
            if p.is_file() and p.suffix in (".html", ".js", ".json", ".csv", ".xml"):
                assert withheld.title not in p.read_text(encoding="utf-8"), p
        preview.build("settle", expect="settled")
        same_as_full_build("withheld")
    finally:
        errors = preview.close()
    assert "Traceback" not in errors, errors
    assert not re.search(r"(?m)^(WARNING|ERROR)", errors), errors


def test_a_notice_digest_changes_with_every_field_and_every_text():
    """preview.notice_digest(): what decides whether a page is made again.
    Equal notices, equal digests; a field, the body or an attachment's text
    changed, or text moved from the body into an attachment: another digest."""
    import dataclasses

    from gazette.preview import notice_digest
    from gazette.public import publish

    corpus = load_corpus(ROOT / "notices", root=ROOT)
    notices = publish(corpus, None).notices
    n = next(x for x in notices if any(a.text for a in x.attachments))
    again = publish(corpus, None).notices
    assert [notice_digest(x) for x in notices] == [notice_digest(x) for x in again]
    assert len({notice_digest(x) for x in notices}) == len(notices)
    i = next(i for i, a in enumerate(n.attachments) if a.text)
    texts = dataclasses.replace(n.attachments[i], text=n.attachments[i].text + "。")
    variants = [
        dataclasses.replace(n, title=n.title + "（修订）"),
        dataclasses.replace(n, body=n.body + "。"),
        dataclasses.replace(n, attachments=(*n.attachments[:i], texts, *n.attachments[i + 1:])),
        dataclasses.replace(n, body=n.body + n.attachments[i].text[0], attachments=(*n.attachments[:i], dataclasses.replace(
            n.attachments[i], text=n.attachments[i].text[1:]), *n.attachments[i + 1:])),      # the same text, moved
        dataclasses.replace(n, attachments=(*n.attachments[:i], dataclasses.replace(n.attachments[i], title="另一个附件"),
                                            *n.attachments[i + 1:])),
    ]
    assert len({notice_digest(x) for x in [n, *variants]}) == len(variants) + 1


def test_a_notice_read_through_the_cache_is_digested_by_its_keys(tmp_path, monkeypatch):
    """A build's notices come with the keys the cache knows them by
    (Publication.keys): the digest hashes them instead of the texts and the
    revisions, and still changes with every field, and with either key."""
    import dataclasses

    from gazette.cache import Cache
    from gazette.history import read_history
    from gazette.preview import digests, notice_digest
    from gazette.public import publish

    monkeypatch.setenv("GAZETTE_CACHE", str(tmp_path / "cache"))
    notices = make_repository(tmp_path / "repo", 12)
    history = read_history(notices)
    cache = Cache()
    try:
        corpus = load_corpus(notices, root=notices.parent, cache=cache)
        pub = publish(corpus, history, cache=cache)
    finally:
        cache.close()
        history.close()
    assert set(pub.keys) == {n.source for n in pub.notices}
    assert all(read and past for read, past in pub.keys.values())
    n = pub.notices[0]
    keys = pub.keys[n.source]
    assert digests(pub)[n.source] == notice_digest(n, keys) != notice_digest(n)
    variants = [notice_digest(dataclasses.replace(n, title=n.title + "（修订）"), keys),
                notice_digest(dataclasses.replace(n, full_text=not n.full_text), keys),
                notice_digest(n, ("another" + keys[0][7:], keys[1])),
                notice_digest(n, (keys[0], "another" + keys[1][7:]))]
    assert len({notice_digest(n, keys), *variants}) == len(variants) + 1
