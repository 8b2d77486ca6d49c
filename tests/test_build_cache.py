"""Reuse what did not change: a cached build writes the same bytes as a cold one.

gazette/cache.py keeps what a build derives from each notice (search
postings, the body's HTML) under a key made of the exact inputs and the code;
gazette/search.py streams the index to disk through hash buckets.  These
tests compare whole sites byte for byte, so a stale entry or a wrong merge
would show as a differing file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, digests

from gazette import cache, search
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
    reused = []
    real = bundle._add_compressed
    monkeypatch.setattr(bundle, "_add_compressed", lambda z, info, *rest: (reused.append(info.filename), real(z, info, *rest)))
    _, digest = bundle.write_bundle(site, earlier, store)
    _, cold = bundle.write_bundle(fresh, None, None)
    assert digest == cold                                      # the same bytes as compressing everything
    assert sorted(reused) == [f"{bundle.FOLDER}/a/{i}.html" for i in (0, 1, 2, 4)]

    # The earlier zip altered on disk: it is not one this build wrote any more.
    data = bytearray(earlier.read_bytes())
    data[len(data) // 3] ^= 0xFF
    earlier.write_bytes(bytes(data))
    reused.clear()
    _, again = bundle.write_bundle(site, earlier, store)
    assert again == cold and reused == []
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
