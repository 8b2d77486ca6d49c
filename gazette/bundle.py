"""site.zip: the whole library in one download, for a USB stick or a slow line.

Reproducible: members in sorted order, every timestamp the build's
SOURCE_DATE_EPOCH (clamped to 1980, the zip format's first year), fixed
permissions, no extra fields.  Unzipped anywhere, index.html opens and search
works from disk.  The zip holds every file of the built site but itself and
the manifest (which lists the zip's own hash).
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

from . import paths

FOLDER = "gazette-site"      # the folder the zip unpacks into
PART = paths.BUNDLE + ".part"   # the zip while it is written, renamed when whole


def _stamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    when = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)   # 1980-01-01
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def write_bundle(site_dir: Path) -> Path:
    site_dir = Path(site_dir)
    target = site_dir / paths.BUNDLE
    skip = {paths.BUNDLE, paths.MANIFEST}
    members = sorted(
        p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*")
        if p.is_file() and p.relative_to(site_dir).as_posix() not in skip
    )
    stamp = _stamp()
    tmp = site_dir / PART
    # zlib's default level: level 9 took a fifth longer for 0.4 % less.
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for rel in members:
            info = zipfile.ZipInfo(f"{FOLDER}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, (site_dir / rel).read_bytes())
    tmp.replace(target)
    return target
