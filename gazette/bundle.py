"""site.zip: the whole library in one download, for a USB stick or a slow line.

Reproducible: members in sorted order, every timestamp the build's
SOURCE_DATE_EPOCH (clamped to 1980, the zip format's first year), fixed
permissions, no extra fields.  Unzipped anywhere, index.html opens and search
works from disk.  The zip holds every file of the built site but itself and
the manifest (which lists the zip's own hash).

A rebuild takes each member that did not change from the site.zip it
replaces, compressed as it is, instead of compressing it again (most of the
time the zip takes).  Only from a zip this code wrote with this zlib (the
build's cache knows its hash) and only for a member whose bytes, inflated,
are the file's: so the zip is the same, byte for byte, as a cold build's.
Where the last build recorded the zip and the file (known: both still as it
wrote them, sitedir.unchanged_since, a page the rebuild kept), the member is
taken without reading the file or inflating it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import struct
import zipfile
import zlib
from pathlib import Path

from . import paths

FOLDER = "gazette-site"      # the folder the zip unpacks into
PART = paths.BUNDLE + ".part"   # the zip while it is written, renamed when whole
LEVEL = 6       # zlib's default: level 9 took a fifth longer for 0.4 % less


def _stamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    when = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)   # 1980-01-01
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def _made_by() -> dict:
    """What decides a member's compressed bytes, besides this code (in the cache key)."""
    return {"zlib": zlib.ZLIB_RUNTIME_VERSION, "level": LEVEL}


def _digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _earlier(previous: Path | None, cache, known: dict) -> tuple[zipfile.ZipFile | None, bool]:
    """The zip being replaced, if this code made it with this zlib; and
    whether it is still as the last build recorded it (known)."""
    if previous is None or cache is None or not previous.is_file():
        return None, False
    from . import cache as store
    from .sitedir import recorded_hash

    recorded = recorded_hash(previous, known.get(paths.BUNDLE))
    k = store.key("bundle", recorded or _digest(previous))
    if cache.get_many("bundle", [k]).get(k) != _made_by():
        return None, False
    try:
        return zipfile.ZipFile(previous), recorded is not None
    except (OSError, zipfile.BadZipFile):
        return None, False


def _raw(old: zipfile.ZipFile, name: str) -> tuple[zipfile.ZipInfo, bytes] | None:
    """A member's entry in the old zip and its compressed bytes, as they are."""
    info = old.NameToInfo.get(name)
    if info is None or info.compress_type != zipfile.ZIP_DEFLATED:
        return None
    fp = old.fp
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + 30 + name_length + extra_length)
    raw = fp.read(info.compress_size)
    return (info, raw) if len(raw) == info.compress_size else None


def _compressed(old: zipfile.ZipFile, name: str, data: bytes) -> tuple[bytes, int] | None:
    """The old zip's compressed bytes of this member (and data's CRC), if they inflate to data."""
    found = _raw(old, name)
    if found is None or found[0].file_size != len(data) or found[0].CRC != zlib.crc32(data):
        return None
    try:
        same = zlib.decompress(found[1], -15) == data
    except zlib.error:
        return None
    return (found[1], found[0].CRC) if same else None


def _add_compressed(z: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, crc: int, raw: bytes) -> None:
    """What ZipFile.writestr(info, data) writes, with the compressed bytes given (data: size bytes, this CRC)."""
    info.file_size, info.compress_size, info.CRC, info.flag_bits = size, len(raw), crc, 0
    info.header_offset = z.fp.tell()
    z.fp.write(info.FileHeader(False))
    z.fp.write(raw)
    z.filelist.append(info)
    z.NameToInfo[info.filename] = info
    z.start_dir = z.fp.tell()
    z._didModify = True


def write_bundle(site_dir: Path, previous: Path | None = None, cache=None, known: dict | None = None) -> tuple[Path, str]:
    """Write site.zip; return it and its SHA-256.  previous: the site.zip this
    build replaces, whose unchanged members are reused (with the build's
    cache); known: what the last build recorded of its files (see above)."""
    from .sitedir import files, unchanged_since

    site_dir = Path(site_dir)
    target = site_dir / paths.BUNDLE
    skip = {paths.BUNDLE, paths.MANIFEST}
    members = [rel for rel in files(site_dir) if rel not in skip]
    stamp = _stamp()
    tmp = site_dir / PART
    known = known or {}
    old, recorded = _earlier(previous, cache, known)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as z:
            for rel in members:
                info = zipfile.ZipInfo(f"{FOLDER}/{rel}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                was = known.get(rel) if recorded else None
                if was is not None and unchanged_since(site_dir / rel, was):
                    found = _raw(old, info.filename)
                    if found is not None and found[0].file_size == was[1]:
                        _add_compressed(z, info, was[1], found[0].CRC, found[1])
                        continue
                data = (site_dir / rel).read_bytes()
                made = _compressed(old, info.filename, data) if old is not None else None
                if made is not None:
                    _add_compressed(z, info, len(data), made[1], made[0])
                else:
                    z.writestr(info, data)
    finally:
        if old is not None:
            old.close()
    digest = _digest(tmp)
    tmp.replace(target)
    if cache is not None:
        from . import cache as store

        cache.put_many("bundle", {store.key("bundle", digest): _made_by()})
        cache.sweep(("bundle",))
    return target, digest
