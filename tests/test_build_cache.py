"""Reuse what did not change: a cached build writes the same bytes as a cold one.

gazette/cache.py keeps what a build derives from each notice (search
postings, the body's HTML) under a key made of the exact inputs and the code;
gazette/search.py streams the index to disk through hash buckets.  These
tests compare whole sites byte for byte, so a stale entry or a wrong merge
would show as a differing file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT, digests

from gazette import cache, paths, search
from gazette.corpus import load_corpus
from gazette.public import publish


def _build(notices, site, cache_dir):
    env = {**os.environ, "GAZETTE_CACHE": str(cache_dir), "SOURCE_DATE_EPOCH": "1600000000"}
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--notices", str(notices), "build",
                             "--site-dir", str(site)], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return digests(site)


def _differing(a: dict, b: dict) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def test_a_cached_rebuild_is_byte_identical_to_a_cold_build(tmp_path):
    notices = tmp_path / "notices"
    shutil.copytree(ROOT / "notices", notices)
    warm = tmp_path / "warm-cache"
    cold = _build(notices, tmp_path / "cold", tmp_path / "cold-cache")
    _build(notices, tmp_path / "first", warm)
    assert (warm / "gazette.sqlite3").stat().st_size > 100_000           # the first build filled it
    again = _build(notices, tmp_path / "again", warm)
    assert _differing(cold, again) == []

    # One notice changes: the warm cache holds its old postings and HTML under
    # the old key; the rebuild must not serve them.
    water = notices / "2020" / "sanfu-2020-124.md"
    text = water.read_text(encoding="utf-8")
    water.write_text(text.replace("特种用水", "特种龘水", 1), encoding="utf-8")
    # Built over the first site, as staff rebuild site/: its site.zip lends
    # the members that did not change (bundle.py), compressed as they are.
    changed_warm = _build(notices, tmp_path / "first", warm)
    changed_cold = _build(notices, tmp_path / "changed-cold", tmp_path / "another-cold-cache")
    assert _differing(changed_warm, changed_cold) == []
    page = (tmp_path / "first" / "notices/2020/sanfu-2020-124.html").read_text(encoding="utf-8")
    assert "特种龘水" in page
    assert _differing(cold, changed_warm)        # and it did change something


def test_a_rebuilt_zip_takes_only_members_it_can_prove(tmp_path, monkeypatch):
    """site.zip's members come from the zip it replaces only when that zip is
    one this code wrote (its hash is in the cache) and a member inflates to
    the file's bytes; a zip altered on disk lends nothing."""
    from gazette import bundle
    from gazette.cache import Cache

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    for i in range(5):
        (site / "a" / f"{i}.html").write_text(f"<p>第{i}页</p>" * 200, encoding="utf-8")
    store = Cache(tmp_path / "cache.sqlite3")
    first, _ = bundle.write_bundle(site, None, store)
    earlier = tmp_path / "earlier.zip"
    shutil.copy(first, earlier)
    (site / "a" / "3.html").write_text("<p>改过的一页</p>" * 200, encoding="utf-8")
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh)
    (fresh / "site.zip").unlink()
    deflated = []
    real = bundle._deflate
    monkeypatch.setattr(bundle, "_deflate", lambda name, *rest: (deflated.append(name), real(name, *rest))[1])
    _, digest = bundle.write_bundle(site, earlier, store)
    assert deflated == [f"{bundle.FOLDER}/a/3.html"]           # the others taken as they are
    deflated.clear()
    _, cold = bundle.write_bundle(fresh, None, None)
    assert digest == cold                                      # the same bytes as compressing everything
    assert len(deflated) == 5

    # The earlier zip altered on disk: it is not one this build wrote any more.
    data = bytearray(earlier.read_bytes())
    data[len(data) // 3] ^= 0xFF
    earlier.write_bytes(bytes(data))
    deflated.clear()
    _, again = bundle.write_bundle(site, earlier, store)
    assert again == cold and len(deflated) == 5
    store.close()


def test_a_rebuilt_zip_copies_the_runs_of_unchanged_members_and_dates_them_anew(tmp_path, monkeypatch):
    """Members a rebuild did not touch (as the last build recorded them) are
    copied from the last zip a run at a time; a new commit's date is written
    into each, so the zip is a cold build's, byte for byte."""
    from gazette import bundle, sitedir
    from gazette.cache import Cache

    site = tmp_path / "site"
    for i in range(40):
        (site / f"d{i % 3}").mkdir(parents=True, exist_ok=True)
        (site / f"d{i % 3}" / f"{i}.html").write_text(f"<p>第{i}页</p>" * (50 + i), encoding="utf-8")
    store = Cache(tmp_path / "cache.sqlite3")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    _, digest = bundle.write_bundle(site, None, store)
    earlier = tmp_path / "earlier.zip"
    (site / paths.BUNDLE).rename(earlier)
    now = sitedir.scan(site)
    known = {rel: [*st, "-"] for rel, st in now.items()}
    known[paths.BUNDLE] = [*sitedir.stats(tmp_path, ["earlier.zip"])["earlier.zip"], digest]
    (site / "d1" / "7.html").write_text("<p>改过的一页</p>", encoding="utf-8")     # one changed,
    (site / "d2" / "20.html").unlink()                                            # one removed
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")                         # a new commit
    copied, deflated = [], []
    real_copy, real_deflate = bundle._copy_range, bundle._deflate
    monkeypatch.setattr(bundle, "_copy_range", lambda *a: (copied.append(a[-1]), real_copy(*a)))
    monkeypatch.setattr(bundle, "_deflate", lambda name, *rest: (deflated.append(name), real_deflate(name, *rest))[1])
    _, rebuilt = bundle.write_bundle(site, earlier, store, known, sitedir.scan(site))
    assert deflated == [f"{bundle.FOLDER}/d1/7.html"]
    with zipfile.ZipFile(earlier) as z:
        kept = [30 + len(i.filename.encode()) + i.compress_size for i in z.infolist()
                if not i.filename.endswith(("/7.html", "/20.html"))]
    assert 2 <= len(copied) <= 4 and sum(copied) == sum(kept)       # every other member, in a few runs
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh)
    (fresh / paths.BUNDLE).unlink()
    _, cold = bundle.write_bundle(fresh, None, None)
    assert rebuilt == cold
    with zipfile.ZipFile(site / paths.BUNDLE) as z:
        assert z.testzip() is None and {i.date_time for i in z.infolist()} == {bundle._stamp()}
    store.close()


@pytest.mark.parametrize("zip64", [False, True], ids=["plain", "ZIP64"])
def test_the_last_zips_directory_is_read_as_zipfile_reads_it(tmp_path, monkeypatch, zip64):
    """The rebuild reads the central directory of the zip it replaces itself
    (bundle._directory): each member as zipfile finds it, a name in Chinese
    too, and past ZIP64's limits (here made small: more members than a
    plain end record counts, offsets past what its fields hold); and a
    rebuild from such a zip is a cold build's."""
    from gazette import bundle, sitedir
    from gazette.cache import Cache

    if zip64:
        monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 3)
        monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 4000)
    site = tmp_path / "site"
    (site / "files" / "2020").mkdir(parents=True)
    for i in range(12):
        noise = "".join(hashlib.sha256(f"{i}-{j}".encode()).hexdigest() for j in range(8))     # deflates little
        (site / "files" / "2020" / f"附件{i}.txt").write_text(f"第{i}件附件。{noise}", encoding="utf-8")
        (site / f"{i}.html").write_text(f"<p>{i}</p>{noise}", encoding="utf-8")
    store = Cache(tmp_path / "cache.sqlite3")
    first, digest = bundle.write_bundle(site, None, store)
    with open(first, "rb") as f:
        found = bundle._directory(f.fileno())
    with zipfile.ZipFile(first) as z:
        infos = z.infolist()
    if zip64:                          # both kinds of ZIP64 record in use
        assert max(i.header_offset for i in infos) > 4000 and zipfile.stringEndArchive64 in first.read_bytes()
    assert list(found) == [i.filename for i in infos]
    for info in infos:
        was = found[info.filename]
        assert (was.header_offset, was.compress_size, was.CRC, was.file_size, was.flag_bits, was.compress_type) == \
            (info.header_offset, info.compress_size, info.CRC, info.file_size, info.flag_bits, info.compress_type)
    earlier = tmp_path / "earlier.zip"
    first.rename(earlier)
    known = {rel: [*st, "-"] for rel, st in sitedir.scan(site).items()}
    known[paths.BUNDLE] = [*sitedir.stats(tmp_path, ["earlier.zip"])["earlier.zip"], digest]
    (site / "files" / "2020" / "附件3.txt").write_text("改过的附件。", encoding="utf-8")
    deflated = []
    real = bundle._deflate
    monkeypatch.setattr(bundle, "_deflate", lambda name, *rest: (deflated.append(name), real(name, *rest))[1])
    _, rebuilt = bundle.write_bundle(site, earlier, store, known, sitedir.scan(site))
    assert deflated == [f"{bundle.FOLDER}/files/2020/附件3.txt"]
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh)
    (fresh / paths.BUNDLE).unlink()
    assert rebuilt == bundle.write_bundle(fresh, None, None)[1]
    with zipfile.ZipFile(site / paths.BUNDLE) as z:
        assert z.testzip() is None
    # Not a zip this code reads (cut short, a comment): nothing is taken from it.
    data = earlier.read_bytes()
    for damaged in (data[:-10], data + b"x", data[:len(data) // 2]):
        earlier.write_bytes(damaged)
        with open(earlier, "rb") as f, pytest.raises((zipfile.BadZipFile, struct.error)):
            bundle._directory(f.fileno())
    store.close()


def test_a_large_member_is_deflated_again_only_where_it_changed(tmp_path, monkeypatch):
    """The open data's file of all notices is deflated in pieces cut by its
    content (bundle._pieces): a rebuild deflates again only the pieces a
    change touched, takes the rest from the last zip, and the zip is the same
    bytes as a cold build's, and unpacks to the file."""
    from gazette import bundle
    from gazette.cache import Cache

    monkeypatch.setattr(bundle, "LARGE", 50_000)
    records = [json.dumps({"address": f"notices/2020/n-{i}/", "body": f"第{i}号文件的正文。" * 40},
                          ensure_ascii=False, indent=1) for i in range(1500)]

    def write(site, records):
        (site / "data").mkdir(parents=True, exist_ok=True)
        text = "{\n \"notices\": [\n" + ",\n".join("  " + r.replace("\n", "\n  ") for r in records) + "\n ]\n}\n"
        (site / "data" / "notices.json").write_text(text, encoding="utf-8")
        return text.encode()

    site = tmp_path / "site"
    write(site, records)
    store = Cache(tmp_path / "cache.sqlite3")
    deflated = []
    real = bundle._deflate_piece
    monkeypatch.setattr(bundle, "_deflate_piece", lambda piece: (deflated.append(bytes(piece)), real(piece))[1])
    first, _ = bundle.write_bundle(site, None, store)
    pieces = len(deflated)
    assert pieces > 10                                       # cut, by the content
    earlier = tmp_path / "earlier.zip"
    shutil.copy(first, earlier)

    changed = records[:600] + [records[600].replace("正文", "改过的正文")] + records[601:900] + records[901:]
    data = write(site, changed)                              # one record changed, one removed
    deflated.clear()
    _, digest = bundle.write_bundle(site, earlier, store)
    assert 1 <= len(deflated) <= 4 and any("改过的正文".encode() in d for d in deflated)
    fresh = tmp_path / "fresh"
    write(fresh, changed)
    deflated.clear()
    _, cold = bundle.write_bundle(fresh, None, None)
    assert digest == cold and len(deflated) >= pieces - 1
    with zipfile.ZipFile(site / "site.zip") as z:
        assert z.testzip() is None
        assert z.read(f"{bundle.FOLDER}/data/notices.json") == data
    store.close()


def test_a_key_changes_with_the_code_and_with_every_input(monkeypatch):
    first = cache.key("postings", True, ["题", "机关", "正文"])
    assert cache.key("postings", True, ["题", "机关", "正文"]) == first
    assert cache.key("postings", True, ["题", "机关", "正文。"]) != first
    assert cache.key("postings", False, ["题", "机关", "正文"]) != first
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version of the code")
    assert cache.key("postings", True, ["题", "机关", "正文"]) != first


def test_a_broken_cache_file_only_costs_time(tmp_path):
    path = tmp_path / "gazette.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = cache.Cache(path)
    assert store.get_many("postings", ["a"]) == {}
    store.put_many("postings", {"a": {"x": 1}})
    store.close()


@pytest.mark.parametrize("buckets,split", [(search.BUCKETS, search.SPLIT), (2, search.SPLIT), (search.BUCKETS, 2)])
def test_the_streamed_index_is_the_index_built_in_memory(tmp_path, monkeypatch, buckets, split):
    """Both ways of cutting buckets into shards (more shards than buckets, and fewer),
    and the postings made in two processes, halves joined."""
    monkeypatch.setattr(search, "BUCKETS", buckets)
    monkeypatch.setattr(search, "SPLIT", split)
    monkeypatch.setattr(search, "BATCH", 3)
    monkeypatch.setattr(search, "_buckets", {})
    publication = publish(load_corpus(ROOT / "notices", root=ROOT), None)
    expected = search.build_index(publication)
    search.stream_index(publication, tmp_path)
    written = {p.relative_to(tmp_path).as_posix(): p.read_text(encoding="utf-8")
               for p in tmp_path.rglob("*") if p.is_file()}
    assert written == expected
    assert not any(p.name.startswith(".postings") for p in tmp_path.iterdir())   # no work files left


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_patched_search_index_is_the_index_made_in_full(tmp_path, monkeypatch):
    """A rebuild patches the last index where notices changed (search.patch_index):
    a term a notice no longer has loses it, a new term gains it, a weight
    changes, its text file is written again; every other file is the last
    one's.  The result must be the bytes a full build writes, and an index
    altered on disk must not be patched."""
    import dataclasses

    from gazette.cache import Cache

    monkeypatch.setattr(search, "SHARD_BYTES", 4000)        # many shards, most untouched by one notice
    store = Cache(tmp_path / "cache.sqlite3")
    publication = publish(load_corpus(ROOT / "notices", root=ROOT), None)
    site = tmp_path / "site"
    first = search.write_index(publication, site, cache=store, final=site)
    assert "patched" not in first and first["shards"] > 8

    target = next(i for i, n in enumerate(publication.notices) if n.full_text and n.body and len(n.body) > 400)
    n = publication.notices[target]
    changed = dataclasses.replace(n, title=n.title + "（修订稿）", body=n.body[:300] + "\n\n新增龘龘条款，自印发之日起施行。")
    edited = dataclasses.replace(publication, notices=(*publication.notices[:target], changed,
                                                       *publication.notices[target + 1:]))
    patched_dir = tmp_path / "patched"
    made = search.write_index(edited, patched_dir, cache=store, earlier=site, final=site)
    full_dir = tmp_path / "full"
    search.stream_index(edited, full_dir)
    assert made["patched"] == 1
    assert _files(patched_dir) == _files(full_dir)
    assert "龘龘" in (patched_dir / paths.search_text(target)).read_text(encoding="utf-8")
    kept = {rel for rel in made["files"] if (patched_dir / rel).stat().st_ino == (site / rel).stat().st_ino}
    others = {rel for rel in made["files"] if "/shards/" not in rel and rel.count("/") == 2
              and rel.rsplit("/", 1)[1] != f"{target}.js"}
    assert others and others <= kept                   # the other notices' text files were taken, not written

    # Back to the first text, from the patched index: the first index again.
    back = tmp_path / "back"
    again = search.write_index(publication, back, cache=store, earlier=patched_dir, final=site)
    assert again["patched"] == 1
    assert _files(back) == _files(site)

    # A shard altered on disk (the same size, another time): nothing is patched from it.
    shard = next(rel for rel in again["files"] if "/shards/" in rel)
    data = (back / shard).read_bytes()
    (back / shard).unlink()
    (back / shard).write_bytes(data.replace(b'":"', b'":"!', 1)[:len(data)])
    fresh = tmp_path / "fresh"
    redone = search.write_index(edited, fresh, cache=store, earlier=back, final=site)
    assert "patched" not in redone
    assert _files(fresh) == _files(full_dir)
    store.close()


def test_a_rebuild_keeps_only_the_pages_a_change_cannot_reach(tmp_path):
    """build.py build over a site it recorded (gazette/preview.py) takes the
    pages and attachments the change cannot reach from that site, as hard
    links, and writes the rest: the site must be byte for byte a cold build's.
    A title shown on another notice's page changes that page too; a page
    altered on disk since is written again, not kept."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_repository

    notices = make_repository(tmp_path / "repo", 120)
    pub = publish(load_corpus(notices, root=notices.parent), None)
    citing = next(n for n in pub.notices if not n.doc_number and n.cites)
    cited = pub.by_number(citing.cites[0])
    related = {citing.source, cited.source, *cited.cited_by}
    quiet = next(n for n in pub.notices if n.source not in related and not n.cites and not n.cited_by
                 and not n.supersedes and not n.superseded_by and n.downloads)
    warm, site = tmp_path / "warm-cache", tmp_path / "site"
    _build(notices, site, warm)

    def inodes() -> dict[str, int]:
        return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}

    before = inodes()
    # A notice without a number that cites another: the cited page names it by its title.
    source = notices.parent / citing.source
    text = source.read_text(encoding="utf-8")
    assert f"title: {citing.title}\n" in text
    source.write_text(text.replace(f"title: {citing.title}\n", f"title: {citing.title}（修订）\n", 1), encoding="utf-8")
    rebuilt = _build(notices, site, warm)
    assert _differing(rebuilt, _build(notices, tmp_path / "cold", tmp_path / "cold-cache")) == []
    after = inodes()
    page = paths.html_path
    assert after[page(quiet.page)] == before[page(quiet.page)]                   # kept
    assert all(after[uri] == before[uri] for uri, _ in quiet.downloads)
    assert after[paths.notice_data(quiet.year, quiet.slug)] == before[paths.notice_data(quiet.year, quiet.slug)]
    assert after[paths.notice_data(citing.year, citing.slug)] != before[paths.notice_data(citing.year, citing.slug)]
    assert after[page(cited.page)] != before[page(cited.page)]                   # shows the new title
    assert f"{citing.title}（修订）" in (site / page(cited.page)).read_text(encoding="utf-8")
    assert after[page(citing.page)] != before[page(citing.page)]
    # A title is not counted: the statistics of its year are kept.
    statistics = page(paths.statistics_page(citing.year))
    assert after[statistics] == before[statistics]
    kept = sum(after[rel] == before.get(rel) for rel in after)
    assert kept > len(after) // 2

    # A page altered on disk after the build: the next build writes it again.
    altered = site / page(quiet.page)
    altered.write_text(altered.read_text(encoding="utf-8").replace("</body>", "<script>1</script></body>"),
                       encoding="utf-8")
    again = _build(notices, site, warm)
    assert again == rebuilt

    # An attachment replaced by another file of the same size, its time set
    # back to before the last build: the site must have the new one.
    uri, source = quiet.downloads[0]
    old = source.read_bytes()
    st = source.stat()
    new_bytes = bytes(b ^ 0x01 for b in old[:64]) + old[64:]
    source.unlink()
    source.write_bytes(new_bytes)
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    _build(notices, site, warm)
    assert (site / uri).read_bytes() == new_bytes

    # A notice counted as another kind of document: the statistics of its
    # year count it anew, as a cold build does.
    source = notices.parent / quiet.source
    text = source.read_text(encoding="utf-8")
    assert "\ncategory:" not in text and quiet.category == "其他文件"
    before = inodes()
    source.write_text(text.replace("\ndate:", "\ncategory: 规章\ndate:", 1), encoding="utf-8")
    rebuilt = _build(notices, site, warm)
    assert _differing(rebuilt, _build(notices, tmp_path / "cold-again", tmp_path / "cold-cache")) == []
    statistics = page(paths.statistics_page(quiet.year))
    assert inodes()[statistics] != before[statistics]


def test_revisions_from_the_cache_are_the_revisions_read_from_git(tmp_path):
    """publish() keeps each notice's revisions in the build's cache under a key
    of everything they are read from; a new commit that touches a notice, or
    a notice withheld (its number leaves every revision), is a new key."""
    import gazette.public as public
    from gazette.cache import Cache
    from gazette.history import head_commit, read_history

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_repository

    notices = make_repository(tmp_path / "repo", 60)
    store = Cache(tmp_path / "cache.sqlite3")

    def both():
        corpus = load_corpus(notices, root=notices.parent)
        public._remembered.clear()
        public._remembered_at = ()
        plain = publish(corpus, read_history(notices), head_commit(notices))
        public._remembered.clear()
        public._remembered_at = ()
        cached = publish(corpus, read_history(notices), head_commit(notices), cache=store)
        assert [repr(n) for n in cached.notices] == [repr(n) for n in plain.notices]
        return plain

    first = both()
    hits = store.hits
    again = both()
    # Every notice's revisions came from the cache, and the numbers the texts cite (one entry).
    assert store.hits - hits == len(again.notices) + 1
    # A commit correcting one notice's title: its revisions gain one, from git.
    target = next(n for n in first.notices if n.revisions)
    path = notices.parent / target.source
    path.write_text(path.read_text(encoding="utf-8").replace(f"title: {target.title}\n",
                                                             f"title: {target.title}（更正）\n", 1), encoding="utf-8")
    subprocess.run(["git", "-C", str(notices.parent), "commit", "-qam", "更正标题"], check=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "a@example.org",
                        "GIT_COMMITTER_NAME": "办公室", "GIT_COMMITTER_EMAIL": "a@example.org"})
    after = both()
    changed = after.by_source(target.source)
    assert len(changed.revisions) == len(target.revisions) + 1
    assert changed.revisions[0].subject == "更正标题"
    # The same commit amended (the same subject, author and time, another
    # title): the revisions must show the amended change, not the cached one.
    path.write_text(path.read_text(encoding="utf-8").replace("（更正）\n", "（再次更正）\n", 1), encoding="utf-8")
    subprocess.run(["git", "-C", str(notices.parent), "commit", "-qa", "--amend", "--no-edit"], check=True,
                   env={**os.environ, "GIT_COMMITTER_NAME": "办公室", "GIT_COMMITTER_EMAIL": "a@example.org"})
    amended = both().by_source(target.source)
    assert "（再次更正）" in repr(amended.revisions[0].fields)
    store.close()


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "without fork"])
def test_revisions_read_by_two_processes_are_the_revisions_read_by_one(tmp_path, monkeypatch, fork):
    """A build that finds many notices' revisions missing from the cache has a
    second process read the later half from git into the cache: the same
    revisions as one process reads, and the next build finds them all."""
    import gazette.public as public
    from gazette import background
    from gazette.cache import Cache
    from gazette.history import head_commit, read_history

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_repository

    notices = make_repository(tmp_path / "repo", 60)
    corpus = load_corpus(notices, root=notices.parent)
    monkeypatch.setattr(public._Kept, "SHARE_FROM", 10)
    if not fork:                                      # where there is none, the work runs in place
        monkeypatch.delattr(os, "fork")
    started = []
    real = background.start
    monkeypatch.setattr(background, "start", lambda work, **k: started.append(work) or real(work, **k))

    def fresh():
        public._remembered.clear()
        public._remembered_at = ()
        return read_history(notices)

    plain = publish(corpus, fresh(), head_commit(notices))
    store = Cache(tmp_path / "cache.sqlite3")
    shared = publish(corpus, fresh(), head_commit(notices), cache=store)
    assert len(started) == 1 and store.hits >= 20           # the later half, read by the second process
    assert [repr(n) for n in shared.notices] == [repr(n) for n in plain.notices]
    assert sum(len(n.revisions) for n in shared.notices) > len(shared.notices)    # corrections too
    hits = store.hits
    again = publish(corpus, fresh(), head_commit(notices), cache=store)
    assert len(started) == 1 and [repr(n) for n in again.notices] == [repr(n) for n in plain.notices]
    assert store.hits - hits >= len(again.notices)          # every notice's revisions from the cache
    store.close()


def test_notices_from_the_cache_are_the_notices_read_from_disk(tmp_path, monkeypatch):
    """load_corpus() keeps each notice read without a problem in the build's
    cache, under a key of its bytes and its folder's entries: a .md attachment
    changed in place, with its size and time put back, is read again."""
    import gazette.corpus as corpus
    from gazette.cache import Cache

    notices = tmp_path / "notices"
    shutil.copytree(ROOT / "notices", notices)
    store = Cache(tmp_path / "cache.sqlite3")

    def load(cache=None):
        corpus._read.clear()
        corpus._last = None
        return corpus.load_corpus(notices, root=tmp_path, cache=cache)

    plain = load()
    load(store)
    hits = store.hits
    read = []
    monkeypatch.setattr(corpus, "read_notice", lambda *a, read_notice=corpus.read_notice: read.append(a) or read_notice(*a))
    cached = load(store)
    monkeypatch.undo()
    assert store.hits - hits == len(plain.notices) and read == []      # none read again
    assert [repr(n) for n in cached.notices] == [repr(n) for n in plain.notices]
    assert cached.warnings == plain.warnings

    # Kept lean: a body is taken from its file's bytes again, not stored twice.
    longest = max(plain.notices, key=lambda n: len(n.body))
    line = max(longest.body.split("\n"), key=len)[:40]
    assert len(line) == 40 and not any(line in v for (v,) in store._db.execute("SELECT value FROM entries"))
    # A file with Windows line ends: its body is not its bytes as they are (kept whole).
    windows = longest.path
    windows.write_bytes(windows.read_bytes().replace(b"\n", b"\r\n"))
    load(store)
    assert [repr(n) for n in load(store).notices] == [repr(n) for n in load().notices]

    attachment = next(a.source for n in plain.notices for a in n.attachments if a.text and len(a.text) > 20)
    st = attachment.stat()
    data = attachment.read_bytes()
    first = data.decode("utf-8")[0]
    changed = data.replace(first.encode("utf-8"), "龘".encode("utf-8"), 1)
    assert len(changed) == len(data) and changed != data
    attachment.write_bytes(changed)
    os.utime(attachment, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = load(store)
    assert [repr(n) for n in again.notices] == [repr(n) for n in load().notices]
    assert any("龘" in (a.text or "") for n in again.notices for a in n.attachments)

    # A damaged entry (another kind than the cache may make, a truncated text)
    # is a miss: the notice is read from disk again, never made from it.
    store._db.execute("UPDATE entries SET value = '{\"c\":\"Evil\",\"f\":[]}' WHERE ns = 'notices' AND rowid % 2 = 0")
    store._db.execute("UPDATE entries SET value = substr(value, 1, 40) WHERE ns = 'notices' AND rowid % 2 = 1")
    damaged = load(store)
    assert [repr(n) for n in damaged.notices] == [repr(n) for n in load().notices]
    store.close()


def test_a_cold_cache_is_filled_by_two_processes_with_the_notices_one_reads(tmp_path, monkeypatch):
    """A load that finds its first notices missing from the cache (a cold
    build) reads every other chunk in a second process, into the cache, and
    takes them from there: the same corpus as read alone, every notice kept."""
    import gazette.corpus as corpus
    from gazette.cache import Cache

    monkeypatch.setattr(corpus, "_CHUNK", 2)
    notices = tmp_path / "notices"
    shutil.copytree(ROOT / "notices", notices)

    def load(cache=None):
        corpus._read.clear()
        corpus._last = None
        return corpus.load_corpus(notices, root=tmp_path, cache=cache)

    plain = load()
    assert len(plain.notices) >= 8                       # four chunks and more
    started = []
    real = corpus.background.start
    monkeypatch.setattr(corpus.background, "start", lambda work, **k: started.append(work) or real(work, **k))
    store = Cache(tmp_path / "cache.sqlite3")
    both = load(store)
    assert len(started) == 1
    assert store.hits > 0                                 # the second process's chunks, taken from the cache
    assert [repr(n) for n in both.notices] == [repr(n) for n in plain.notices]
    assert both.warnings == plain.warnings
    hits = store.hits
    again = load(store)                                   # warm: all from the cache, no second process
    assert store.hits - hits == len(plain.notices) and len(started) == 1
    assert [repr(n) for n in again.notices] == [repr(n) for n in plain.notices]
    store.close()


def test_the_numbers_a_text_cites_from_the_cache_are_those_found_in_it(tmp_path, monkeypatch):
    """publish() keeps the numbers each text cites under the text's digest:
    another text is another key, and a damaged entry is looked for again."""
    from gazette import citations
    from gazette.cache import Cache

    store = Cache(tmp_path / "cache.sqlite3")
    texts = ["根据《通知》（三府〔2020〕124号）和三府办2019年第3号。", "没有文号。", "经三府〔2021〕1号（三府办〔2017〕136）"]
    plain = [tuple(citations._numbers(t)) for t in texts]
    assert [len(x) for x in plain] == [2, 0, 2]
    assert citations.numbers_in(texts, store) == plain
    made = []
    monkeypatch.setattr(citations, "_numbers", lambda text, real=citations._numbers: made.append(text) or real(text))
    assert citations.numbers_in(texts, store) == plain and made == []        # all three from the cache
    changed = texts[0].replace("124号", "125号")
    assert [x[4] for x in citations.numbers_in([changed, *texts[1:]], store)[0]] == [125, 3] and made == [changed]
    assert citations.numbers_in(texts, store) == plain and made == [changed, texts[0]]  # the entry holds the last texts
    (digest, _), *rest = json.loads(store._db.execute("SELECT value FROM entries WHERE ns = 'citations'").fetchone()[0]).items()
    for damaged in ('{"%s": [[1, 2]]}' % digest, '{"%s": 7}' % digest, '[1]', '{"c": 1'):
        store._db.execute("UPDATE entries SET value = ? WHERE ns = 'citations'", (damaged,))
        assert citations.numbers_in(texts, store) == plain
    # A text named by a key (the key its notice was read under) is kept under
    # the key, not its digest: another key is another entry.
    made.clear()
    keys = ["a" * 64, None, "b" * 64]
    assert citations.numbers_in(texts, store, keys=keys) == plain and made == [texts[0], texts[2]]
    assert citations.numbers_in(texts, store, keys=keys) == plain and made == [texts[0], texts[2]]
    assert citations.numbers_in(texts, store, keys=["c" * 64, None, "b" * 64]) == plain and made[2:] == [texts[0]]
    stored = json.loads(store._db.execute("SELECT value FROM entries WHERE ns = 'citations'").fetchone()[0])
    assert sorted(len(k) for k in stored) == [32, 64, 64] and "c" * 64 in stored
    store.close()


def test_the_manifest_hashes_of_sources_are_the_files_own_whether_kept_or_read(tmp_path):
    """A source git says is the commit's takes its SHA-256 from the cache,
    under its blob id; one changed and not committed is read: either way the
    manifest states each file's own hashes."""
    import hashlib

    from gazette.manifest import git_blob_id

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_repository

    notices = make_repository(tmp_path / "repo", 40)
    warm = tmp_path / "cache"

    def sources_as_stated():
        manifest = json.loads((tmp_path / "site" / paths.MANIFEST).read_text(encoding="utf-8"))
        return {s["path"]: (s["git_blob"], s["sha256"]) for n in manifest["notices"] for s in n.get("sources", [])}

    def as_on_disk(stated):
        return {shown: (git_blob_id(data), hashlib.sha256(data).hexdigest())
                for shown in stated for data in [(tmp_path / "repo" / shown).read_bytes()]}

    _build(notices, tmp_path / "site", warm)
    first = sources_as_stated()
    assert len(first) > 40 and first == as_on_disk(first)
    store = cache.Cache(warm / "gazette.sqlite3")
    assert len(store.present("blobs", [cache.key("sha256 of a blob", b) for b, _ in first.values()])) == len(first)
    store.close()
    notice = next(p for p in first if p.endswith(".md") and p.count("/") == 2)
    attachment = next(p for p in first if p.count("/") == 3 and p.endswith(".md"))
    for shown in (notice, attachment):
        path = tmp_path / "repo" / shown
        path.write_text(path.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    _build(notices, tmp_path / "site", warm)
    again = sources_as_stated()
    assert again == as_on_disk(again)
    assert {p for p in again if again[p] != first[p]} == {notice, attachment}
