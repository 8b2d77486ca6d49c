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

A large member (the open data's file of all notices, 100 MB at 10,000
notices) is deflated in pieces, each on its own and ended by a full flush,
so that the pieces a rebuild did not change are taken from the last zip as
they are (see _pieces): a zip member is one deflate stream, and one change
would otherwise mean deflating all of it again (two seconds, for about 2 %
more bytes).  A cold build cuts and deflates the same way, so the zip is the
same either way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path
from operator import itemgetter

from . import paths

FOLDER = "gazette-site"      # the folder the zip unpacks into
PART = paths.BUNDLE + ".part"   # the zip while it is written, renamed when whole
LEVEL = 6       # zlib's default: level 9 took a fifth longer for 0.4 % less


LARGE = 4 << 20     # a member this large is deflated in pieces (_pieces)
_CUT = re.compile(rb"\n  \{\n")   # where a piece may begin: a record of the open data's list of notices
_END = b"\x03\x00"                # a deflate stream's last block, empty: after the pieces


def _stamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    when = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)   # 1980-01-01
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def _made_by() -> dict:
    """What decides a member's compressed bytes, besides this code (in the cache key)."""
    return {"zlib": zlib.ZLIB_RUNTIME_VERSION, "level": LEVEL}


def _pieces(data: bytes) -> list[tuple[int, int]]:
    """Where a large member is cut: (start, end) of each piece.  A piece
    begins where a line opens an object two spaces in (a record of the open
    data's list of notices, its address first) and the 128 bytes from there
    hash to 0 modulo 64: a place chosen by the content alone, so changing one
    record changes the piece it is in, and no other (inserting or removing
    one moves no other cut).  Pieces average 64 records; a member with no
    such place is one piece."""
    cuts = [0]
    for m in _CUT.finditer(data):
        at = m.start() + 1
        if zlib.crc32(data[at:at + 128]) & 63 == 0 and at > cuts[-1]:
            cuts.append(at)
    cuts.append(len(data))
    return list(zip(cuts, cuts[1:]))


def _deflate_piece(piece) -> bytes:
    """A piece deflated on its own, ended by a full flush (byte-aligned, no last block)."""
    z = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return z.compress(piece) + z.flush(zlib.Z_FULL_FLUSH)


def _deflate_large(data: bytes, spans, lend) -> tuple[bytes, list]:
    """A large member's deflated bytes, piece by piece, and its table
    ([SHA-256 of the piece, offset in the deflated bytes, length]): a piece
    the last zip has (lend(SHA-256) -> its deflated bytes) is taken from it."""
    view = memoryview(data)
    out, table, at = [], [], 0
    for start, end in spans:
        digest = hashlib.sha256(view[start:end]).hexdigest()
        raw = lend(digest) or _deflate_piece(view[start:end])
        out.append(raw)
        table.append([digest, at, len(raw)])
        at += len(raw)
    out.append(_END)
    return b"".join(out), table


def _digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class _Member(tuple):
    """A member of the zip being replaced: its entry in the central
    directory, as _CENTRAL unpacks it (a tuple made in C, not a NamedTuple's
    __new__: ten thousand notices make 37,000 of them)."""

    __slots__ = ()
    flag_bits = property(itemgetter(5))
    compress_type = property(itemgetter(6))
    dated = property(itemgetter(7, 8))          # its DOS time and date
    CRC = property(itemgetter(9))
    compress_size = property(itemgetter(10))
    file_size = property(itemgetter(11))
    header_offset = property(itemgetter(18))


class _Old:
    """The zip being replaced, one this code wrote (_earlier): its members
    by name, read from its central directory in one pass (zipfile makes a
    ZipInfo of each, 0.2 s for a rebuild at 10,000 notices, to be used once)."""

    def __init__(self, path: Path):
        self.fp = open(path, "rb")
        try:
            self.members = _directory(self.fp.fileno())
        except BaseException:
            self.fp.close()
            raise

    def close(self) -> None:
        self.fp.close()


_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")       # zipfile's structCentralDir
_END_RECORD = struct.Struct("<4s4H2LH")          # structEndArchive
_END64 = struct.Struct("<4sQ2H2L4Q")             # structEndArchive64
_LOCATOR = struct.Struct("<4sLQL")               # structEndArchive64Locator


def _directory(fd: int) -> dict[str, _Member]:
    """The central directory of a zip ZipFile wrote without a comment
    (ZIP64 where it needed it): zipfile.BadZipFile if it is not one."""
    size = os.fstat(fd).st_size
    end = os.pread(fd, _END_RECORD.size, size - _END_RECORD.size) if size >= _END_RECORD.size else b""
    if len(end) != _END_RECORD.size:
        raise zipfile.BadZipFile("too short")
    sig, _, _, _, count, length, offset, comment = _END_RECORD.unpack(end)
    if sig != zipfile.stringEndArchive or comment:
        raise zipfile.BadZipFile("no end record")
    if count == 0xFFFF or length == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        at = size - _END_RECORD.size - _LOCATOR.size
        sig, _, where, _ = _LOCATOR.unpack(os.pread(fd, _LOCATOR.size, at)) if at >= 0 else (b"", 0, 0, 0)
        record = os.pread(fd, _END64.size, where) if sig == zipfile.stringEndArchive64Locator else b""
        if len(record) != _END64.size or record[:4] != zipfile.stringEndArchive64:
            raise zipfile.BadZipFile("no ZIP64 end record")
        *_, count, length, offset = _END64.unpack(record)
    data = os.pread(fd, length, offset)
    if len(data) != length:
        raise zipfile.BadZipFile("the central directory is cut short")
    members: dict[str, _Member] = {}
    at = 0
    unpack, new = _CENTRAL.unpack_from, tuple.__new__
    for _ in range(count):
        entry = unpack(data, at)
        if entry[0] != zipfile.stringCentralDir:
            raise zipfile.BadZipFile("a damaged central directory")
        start, name_length, extra_length = at + _CENTRAL.size, entry[12], entry[13]
        name = data[start:start + name_length].decode("utf-8" if entry[5] & 0x800 else "cp437")
        if extra_length:
            entry = list(entry)
            entry[11], entry[10], entry[18] = _zip64(data[start + name_length:start + name_length + extra_length],
                                                     entry[11], entry[10], entry[18])
        members[name] = new(_Member, entry)
        at = start + name_length + extra_length + entry[14]
    return members


def _zip64(extra: bytes, *values: int) -> tuple[int, ...]:
    """(file size, compressed size, header offset), those too large for their
    field (0xFFFFFFFF there) taken from the ZIP64 extra field, in that order."""
    out, at = list(values), 0
    while at + 4 <= len(extra):
        kind, length = struct.unpack_from("<HH", extra, at)
        if kind == 1:
            large = iter(struct.unpack_from(f"<{length // 8}Q", extra, at + 4))
            out = [next(large) if v == 0xFFFFFFFF else v for v in out]
        at += 4 + length
    return tuple(out)


def _earlier(previous: Path | None, cache, known: dict) -> tuple[_Old | None, bool, dict]:
    """The zip being replaced, if this code made it with this zlib; whether
    it is still as the last build recorded it (known); and the tables of its
    large members (_deflate_large), by member name."""
    if previous is None or cache is None or not previous.is_file():
        return None, False, {}
    from . import cache as store
    from .sitedir import recorded_hash

    recorded = recorded_hash(previous, known.get(paths.BUNDLE))
    k = store.key("bundle", recorded or _digest(previous))
    made = cache.get_many("bundle", [k]).get(k)
    if not isinstance(made, dict) or made.get("made_by") != _made_by():
        return None, False, {}
    try:
        return _Old(previous), recorded is not None, made.get("pieces") or {}
    except (OSError, zipfile.BadZipFile, struct.error, UnicodeDecodeError, StopIteration):
        return None, False, {}


def _lender(old: _Old | None, name: str, tables: dict):
    """lend(SHA-256) for _deflate_large(): a piece's deflated bytes in the old zip's member, or None."""
    found = _raw(old, name) if old is not None and name in tables else None
    if found is None:
        return lambda digest: None
    raw = memoryview(found[1])
    pieces = {}
    for digest, at, length in tables[name]:
        if isinstance(at, int) and isinstance(length, int) and 0 <= at and at + length <= len(raw):
            pieces.setdefault(digest, (at, length))
    return lambda digest: bytes(raw[pieces[digest][0]:sum(pieces[digest])]) if digest in pieces else None


def _raw(old: _Old, name: str) -> tuple[_Member, bytes] | None:
    """A member's entry in the old zip and its compressed bytes, as they are."""
    info = old.members.get(name)
    if info is None or info.compress_type != zipfile.ZIP_DEFLATED:
        return None
    fd = old.fp.fileno()
    header = os.pread(fd, 30, info.header_offset)
    if len(header) != 30 or header[:4] != zipfile.stringFileHeader:
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw = os.pread(fd, info.compress_size, info.header_offset + 30 + name_length + extra_length)
    return (info, raw) if len(raw) == info.compress_size else None


def _compressed(old: _Old, name: str, data: bytes) -> tuple[bytes, int] | None:
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


class _Run:
    """Members taken from the old zip as they are, one run of them copied at
    once (the kernel copies; a rebuild's zip is a few such runs): a member
    joins the run if it lies right after the last in the old zip.  The old
    zip is one this code wrote (_earlier: its hash is in the cache), so a
    member's local header there is what _add_compressed() would write of its
    entry, but for the date (the build's, patched after the copy)."""

    def __init__(self, old: _Old | None, z: zipfile.ZipFile, stamp):
        self.old, self.z = old, z
        self.fd = old.fp.fileno() if old is not None else -1
        # (info, offset in the old zip, the date there)
        self.members: list[tuple[zipfile.ZipInfo, int, tuple]] = []
        self.start = self.end = 0          # the run's bytes in the old zip
        dated = _info("", stamp)
        dated.CRC = dated.compress_size = dated.file_size = 0
        self.dated = struct.unpack("<2H", dated.FileHeader(False)[10:14])     # the date as zipfile writes it

    def add(self, info: zipfile.ZipInfo, size: int) -> bool:
        """Take the member of this name from the old zip (size: the file's), if it is there as it would be written."""
        was = self.old.members.get(info.filename) if self.old is not None else None
        if was is None or was.compress_type != zipfile.ZIP_DEFLATED or was.file_size != size \
                or was.flag_bits != (0 if info.filename.isascii() else 0x800):      # as ZipInfo marks a UTF-8 name
            return False
        info.file_size, info.compress_size, info.CRC, info.flag_bits = size, was.compress_size, was.CRC, 0
        if self.members and was.header_offset != self.end:
            self.copy()
        if not self.members:
            self.start = was.header_offset
        self.members.append((info, was.header_offset, was.dated))
        self.end = was.header_offset + 30 + len(info.filename.encode("utf-8")) + was.compress_size
        return True

    def copy(self) -> None:
        """Write the run into the new zip, and enter its members."""
        if not self.members:
            return
        z = self.z
        z.fp.flush()
        at = z.fp.tell()
        _copy_range(self.fd, z.fp.fileno(), self.start, at, self.end - self.start)
        out = z.fp.fileno()
        stamp = struct.pack("<2H", *self.dated)
        for info, offset, dated in self.members:
            info.header_offset = at + offset - self.start
            if dated != self.dated:                  # another build's date
                os.pwrite(out, stamp, info.header_offset + 10)
            z.filelist.append(info)
            z.NameToInfo[info.filename] = info
        z.fp.seek(at + self.end - self.start)
        z.start_dir = z.fp.tell()
        z._didModify = True
        self.members = []


def _copy_range(src: int, dst: int, start: int, at: int, length: int) -> None:
    """length bytes of src from start to dst at at (in the kernel where it can)."""
    done = 0
    while done < length:
        try:
            n = os.copy_file_range(src, dst, length - done, start + done, at + done)
        except (AttributeError, OSError):
            n = 0
        if n <= 0:       # no such call here, or it would not: through this process
            n = os.pwrite(dst, os.pread(src, min(length - done, 1 << 24), start + done), at + done)
        if n <= 0:
            raise OSError(f"site.zip: could not copy {length - done} bytes from the last zip")
        done += n


def _info(rel: str, stamp) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"{FOLDER}/{rel}", date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


def _deflate(name: str, data: bytes, spans, lend=lambda digest: None) -> tuple[bytes, list | None]:
    """A member's deflated bytes, and the table of its pieces if it is large
    (spans: _pieces(), lend: see _deflate_large)."""
    if len(spans) > 1:
        return _deflate_large(data, spans, lend)
    z = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)        # as ZipFile.writestr() deflates
    return z.compress(data) + z.flush(), None


def _deflated(name: str, path: str) -> tuple[int, int, bytes, list | None]:
    """A file's (size, CRC, deflated bytes, table of its pieces if it is large)."""
    with open(path, "rb") as f:
        data = f.read()
    raw, table = _deflate(name, data, _spans(data))
    return len(data), zlib.crc32(data), raw, table


def _spans(data: bytes) -> list[tuple[int, int]]:
    """_pieces() of a large member; none for another."""
    return _pieces(data) if len(data) >= LARGE else []


def _write_fresh(z: zipfile.ZipFile, site_dir: Path, members: list[str], stamp, large: dict) -> None:
    """Every member deflated (a cold build): on both cores, a few files at a
    time (zlib lets go of the GIL), written in order."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    top = os.fspath(site_dir)
    with ThreadPoolExecutor(2) as pool:
        ahead: deque = deque()
        for rel in [*members, None]:
            if rel is not None:
                info = _info(rel, stamp)
                ahead.append((info, pool.submit(_deflated, info.filename, os.path.join(top, rel))))
            while ahead and (rel is None or len(ahead) > 16):
                info, made = ahead.popleft()
                size, crc, raw, table = made.result()
                _add_compressed(z, info, size, crc, raw)
                if table is not None:
                    large[info.filename] = table


def _write_reusing(z: zipfile.ZipFile, site_dir: Path, members: list[str], stamp, large: dict,
                   old: _Old, tables: dict, unchanged: dict) -> None:
    """Every member, taken from the old zip where it can be (a rebuild):
    unchanged, what the last build recorded of each file still as it wrote
    it, are copied a run at a time (_Run); the others are compared."""
    run = _Run(old, z, stamp)
    for rel in members:
        info = _info(rel, stamp)
        was = unchanged.get(rel)
        if was is not None and run.add(info, was[1]):
            if info.filename in tables:       # deflated in pieces: taken whole, its table holds
                large[info.filename] = tables[info.filename]
            continue
        run.copy()
        data = (site_dir / rel).read_bytes()
        spans = _spans(data)
        made = _compressed(old, info.filename, data) if len(spans) <= 1 else None
        if made is not None:
            _add_compressed(z, info, len(data), made[1], made[0])
            continue
        raw, table = _deflate(info.filename, data, spans, _lender(old, info.filename, tables))
        _add_compressed(z, info, len(data), zlib.crc32(data), raw)
        if table is not None:
            large[info.filename] = table
    run.copy()


def write_bundle(site_dir: Path, previous: Path | None = None, cache=None, known: dict | None = None,
                 now: dict | None = None) -> tuple[Path, str]:
    """Write site.zip; return it and its SHA-256.  previous: the site.zip this
    build replaces, whose unchanged members are reused (with the build's
    cache); known: what the last build recorded of its files (see above);
    now: sitedir.scan() of the site, if taken."""
    from .sitedir import same, scan

    site_dir = Path(site_dir)
    target = site_dir / paths.BUNDLE
    skip = {paths.BUNDLE, paths.MANIFEST, PART}
    now = scan(site_dir) if now is None else now
    members = [rel for rel in now if rel not in skip]
    stamp = _stamp()
    tmp = site_dir / PART
    known = known or {}
    old, recorded, tables = _earlier(previous, cache, known)
    large: dict[str, list] = {}       # this zip's large members' tables, for the next build
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as z:
            if old is None:
                _write_fresh(z, site_dir, members, stamp, large)
            else:
                # The files still as the last build recorded them, with the zip it wrote.
                unchanged = {rel: was for rel in members if (was := known.get(rel)) is not None and same(now[rel], was)} \
                    if recorded else {}
                _write_reusing(z, site_dir, members, stamp, large, old, tables, unchanged)
    finally:
        if old is not None:
            old.close()
    digest = _digest(tmp)
    tmp.replace(target)
    if cache is not None:
        from . import cache as store

        cache.put_many("bundle", {store.key("bundle", digest): {"made_by": _made_by(), "pieces": large}})
        cache.sweep(("bundle",))
    return target, digest
