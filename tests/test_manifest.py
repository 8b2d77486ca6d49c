"""site/manifest.json and `build.py verify`: prove a site was not altered."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import ROOT, run_build

from gazette import background
from gazette.manifest import git_blob_id, sha256


def test_verify_confirms_a_fresh_build(bundled_site):
    """The hashes alone (tests/test_provenance.py proves a site against a rebuild of its commit)."""
    result = run_build("verify", "--no-rebuild", str(bundled_site))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "files match manifest.json" in result.stdout


def test_verify_names_the_altered_missing_and_added_files(bundled_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(bundled_site, site)
    page = site / "notices/2020/sanfu-2020-124.html"
    data = bytearray(page.read_bytes())
    data[500] ^= 1                                    # one bit of one byte
    page.write_bytes(bytes(data))
    (site / "about.html").unlink()
    (site / "extra.js").write_text("alert(1)", encoding="utf-8")
    result = run_build("verify", str(site))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "missing: about.html",
        "altered: notices/2020/sanfu-2020-124.html",
        "added: extra.js",
    ]
    assert "does not match its manifest: 3 problem(s)" in result.stderr


def test_verify_without_a_manifest_says_so(tmp_path):
    result = run_build("verify", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"Error: {tmp_path}/manifest.json is missing; this folder was not built by build.py\n"


def test_manifest_lists_sources_and_outputs_of_each_public_notice(bundled_site):
    manifest = json.loads((bundled_site / "manifest.json").read_text(encoding="utf-8"))
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert manifest["commit"] == head
    entry = next(n for n in manifest["notices"] if n["doc_number"] == "三府〔2020〕124号")
    source = (ROOT / "notices/2020/sanfu-2020-124.md").read_bytes()
    assert entry["sources"] == [{
        "path": "notices/2020/sanfu-2020-124.md", "git_blob": git_blob_id(source), "sha256": sha256(source),
    }]
    page = (bundled_site / "notices/2020/sanfu-2020-124.html").read_bytes()
    assert entry["outputs"]["notices/2020/sanfu-2020-124.html"] == sha256(page)
    assert len(manifest["notices"]) == 11
    with_attachment = next(n for n in manifest["notices"] if n["doc_number"] == "三府办〔2020〕137号")
    assert [s["path"] for s in with_attachment["sources"]] == [
        "notices/2020/sanfuban-2020-137.md", "notices/2020/sanfuban-2020-137/attachment-1.md",
    ]


def test_git_blob_ids_are_the_ones_git_computes():
    path = ROOT / "notices/2020/sanfu-2020-124.md"
    expected = subprocess.run(["git", "hash-object", str(path)], capture_output=True, text=True).stdout.strip()
    assert git_blob_id(path.read_bytes()) == expected


def test_non_public_notices_appear_only_as_far_as_metadata(basic_site):
    manifest = json.loads((basic_site / "manifest.json").read_text(encoding="utf-8"))
    numbers = {n["doc_number"]: n for n in manifest["notices"]}
    assert "三保密〔2020〕6号" not in numbers                      # 不予公开: not at all
    on_request = numbers["三民字〔2020〕5号"]
    assert "sources" not in on_request                            # no hash of unpublished text
    assert set(on_request["outputs"]) == {"notices/2020/sanminzi-2020-5.html", "search-index/text/0.js", "data/notices/2020/sanminzi-2020-5.json"}


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "without fork"])
def test_the_manifest_made_beside_the_zip_states_the_zip_and_every_file(bundled_site, tmp_path, monkeypatch, fork):
    """The manifest is written by a second process while the zip is written,
    with a stand-in for the zip's hash that the zip's own hash then replaces."""
    import hashlib

    from gazette import manifest, paths

    if not fork:                                      # where there is none, the work runs in place
        monkeypatch.delattr(os, "fork")
    monkeypatch.setenv("GAZETTE_CACHE", str(tmp_path / "cache"))
    site = tmp_path / "site"
    shutil.copytree(bundled_site, site)
    (site / paths.BUNDLE).unlink()
    (site / paths.MANIFEST).unlink()
    (site / "about.html").write_text("<p>关于（改过）</p>", encoding="utf-8")      # no record of it: hashed anew
    files = manifest.bundle_and_manifest(site, bundled_site / paths.BUNDLE, None, None,
                                         lambda hashes: {"format": manifest.FORMAT, "files": hashes, "notices": []})
    written = json.loads((site / paths.MANIFEST).read_text(encoding="utf-8"))
    assert written["files"] == files
    assert files[paths.BUNDLE] == hashlib.sha256((site / paths.BUNDLE).read_bytes()).hexdigest()
    assert files == manifest.file_hashes(site)
    assert "-" * 64 not in (site / paths.MANIFEST).read_text(encoding="utf-8")

    def fails(hashes):
        raise RuntimeError("the manifest could not be made")

    with pytest.raises(background.JobFailed, match="could not be made"):
        manifest.bundle_and_manifest(site, None, None, None, fails)
