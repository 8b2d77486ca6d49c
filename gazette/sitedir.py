"""Putting a new build in place of site/ so that site/ is always a whole site.

A build writes into a staging folder beside the site (`.site.new-*`).  When
it has succeeded, the staging folder and site/ are exchanged in one atomic
step (Linux renameat2 with RENAME_EXCHANGE): a reader, a web server or a sync
job looking at site/ sees either the whole old site or the whole new one,
never a moment without one.  The old site, now under the staging name, is
renamed `.site.old-*` and deleted.  Where the filesystem cannot exchange, the
old site is moved aside and the new one moved in: two renames, with a gap
of microseconds between them.

Only one build at a time may do this: a lock file beside the site
(`.site.lock`) is held for the whole build.  A second build says that it is
waiting and waits.  Folders left behind by a killed build are removed by the
next build, once it holds the lock.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def new_prefix(site_dir: Path) -> str:
    return f".{Path(site_dir).name}.new-"


def old_prefix(site_dir: Path) -> str:
    return f".{Path(site_dir).name}.old-"


def lock_path(site_dir: Path) -> Path:
    site_dir = Path(site_dir)
    return site_dir.parent / f".{site_dir.name}.lock"


@contextmanager
def locked(site_dir: Path, waiting=None) -> Iterator[None]:
    """Hold the site's lock; waiting(), if given, is called once before blocking.

    The lock file is removed when the lock is released, so a finished build
    leaves nothing behind.  That is safe because a build that obtains the
    lock checks that the file it locked is still the one at that path, and
    starts again if the holder removed it meanwhile.
    """
    path = lock_path(site_dir)
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting is not None and not told:
                    waiting()
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
            mine = os.fstat(fd)
            if current is None or (current.st_dev, current.st_ino) != (mine.st_dev, mine.st_ino):
                os.close(fd)          # the previous holder removed it: lock the new one
                continue
        except BaseException:
            os.close(fd)
            raise
        break
    try:
        yield
    finally:
        try:
            os.unlink(path)           # while still holding it, see above
        except OSError:
            pass
        os.close(fd)


def remove_leftovers(site_dir: Path) -> list[Path]:
    """Remove staging folders of builds that were killed, and old sites
    whose remover was (remove_later()); call with the lock held.  An old
    site its remover is still removing is left to it."""
    site_dir = Path(site_dir)
    removed = []
    if not site_dir.parent.is_dir():
        return removed
    for entry in site_dir.parent.iterdir():
        if entry.name.startswith(old_prefix(site_dir)) and _being_removed(entry):
            continue
        if entry.name.startswith((new_prefix(site_dir), old_prefix(site_dir))):
            remove(entry)
            removed.append(entry)
    return removed


def _being_removed(folder: Path) -> bool:
    """Whether a remover holds the folder (remove_later(): a lock on it, held
    while it removes, gone with the remover however it ends)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


def target(staging: Path) -> Path | None:
    """The site a staging folder (staging_folder()) is built to become, if it is one."""
    staging = Path(staging)
    name = staging.name[1:].rpartition(".new-")[0] if staging.name.startswith(".") else ""
    site_dir = staging.parent / name
    if not name or not staging.name.startswith(new_prefix(site_dir)):
        return None
    return site_dir


def replaced(staging: Path) -> Path | None:
    """The site a staging folder is built to replace, if it is one and that site exists."""
    site_dir = target(staging)
    return site_dir if site_dir is not None and site_dir.is_dir() and not site_dir.is_symlink() else None


def _identity(path) -> tuple[int, int, int] | None:
    """(inode, size, mtime_ns) of a file, None if it cannot be read: what a
    build records of each file it wrote, and compares before taking one."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def scan(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file under folder, by sorted path relative to it ('a/b.html'):
    (inode, size, mtime_ns), as stats() gives them; one stat per file, so a
    build's last steps (site.zip, the hashes, its record) share one look."""
    found: dict[str, tuple[int, int, int]] = {}

    def walk(here: str, prefix: str) -> None:
        with os.scandir(here) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, prefix + entry.name + "/")
                elif entry.is_file() and (seen := _identity(entry)) is not None:
                    found[prefix + entry.name] = seen

    walk(os.fspath(folder), "")
    return {rel: found[rel] for rel in sorted(found)}


def files(folder: Path) -> list[str]:
    """Every file under folder, as sorted paths relative to it ('a/b.html')."""
    return list(scan(folder))


def stats(folder: Path, rels) -> dict[str, list[int]]:
    """[inode, size, mtime_ns] of these files under folder (those that exist):
    what link_kept() compares a file with before taking it."""
    top = os.fspath(folder)
    return {rel: list(seen) for rel in rels if (seen := _identity(os.path.join(top, rel))) is not None}


def same(now, recorded) -> bool:
    """Whether a file's (inode, size, mtime_ns) now are those a build recorded."""
    return now is not None and recorded is not None and list(now) == list(recorded[:3])


def unchanged_since(path: Path, recorded, now=None) -> bool:
    """Whether a file is still as a build recorded it (stats(): the same inode,
    size and time, so nothing has written it since); now: its stats, if known
    (scan())."""
    return same(_identity(path) if now is None else now, recorded)


def read_kept(path: Path, recorded) -> bytes | None:
    """A file's bytes, if it is still as a build recorded it (unchanged_since):
    what that build wrote there, to be taken rather than made again."""
    if not unchanged_since(path, recorded):
        return None
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def recorded_hash(path: Path, recorded, now=None) -> str | None:
    """The SHA-256 a build recorded for a file ([inode, size, mtime_ns,
    SHA-256]), if the file is still as it recorded it: no need to read it.
    now: its stats, if known (scan())."""
    if recorded is None or len(recorded) < 4 or not unchanged_since(path, recorded, now):
        return None
    return recorded[3]


def link_kept(earlier: Path, staging: Path, rels, recorded: dict) -> set[str]:
    """Hard-link into the staging folder each of these files of the site it
    replaces that is still as a build recorded it (stats()): the same inode,
    size and time, so nothing has written it since.  The new site shares the
    file; nothing writes a shared file (the build writes only what it did not
    link, and unlinks before writing), and the old site is deleted once the
    new one is in place.  Returns the files linked; any other is made again."""
    linked = set()
    made: set[str] = set()
    old, new = os.fspath(earlier), os.fspath(staging)
    for rel in rels:
        src = os.path.join(old, rel)
        if not unchanged_since(src, recorded.get(rel)):
            continue
        try:
            dest = os.path.join(new, rel)
            if (parent := os.path.dirname(dest)) not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            os.link(src, dest)
        except OSError:
            continue
        linked.add(rel)
    return linked


def staging_folder(site_dir: Path) -> Path:
    site_dir = Path(site_dir)
    return Path(tempfile.mkdtemp(prefix=new_prefix(site_dir), dir=site_dir.parent))


def remove(path: Path) -> None:
    """A file, link or folder, whichever it is; gone already is fine."""
    if path.is_symlink() or not path.is_dir():
        try:
            path.unlink()
        except OSError:
            pass
    else:
        shutil.rmtree(path, ignore_errors=True)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _libc_renameat2():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_renameat2 = _libc_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False if this system or filesystem cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap(new: Path, site_dir: Path, later: bool = False) -> None:
    """Put the folder `new` in place of site_dir; site_dir is never missing
    meanwhile.  later: the previous site is removed by remove_later()."""
    new, site_dir = Path(new), Path(site_dir)
    new.chmod(0o755 & ~umask())   # mkdtemp makes a private folder; a site is for reading
    if not os.path.lexists(site_dir):
        new.rename(site_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=old_prefix(site_dir), dir=site_dir.parent))
    old.rmdir()
    if exchange(new, site_dir):
        try:
            new.rename(old)        # `new` now holds the previous site
        except OSError:
            old = new
    else:
        site_dir.rename(old)       # the fallback: a gap between the two renames
        try:
            new.rename(site_dir)
        except OSError:
            old.rename(site_dir)   # put the previous site back
            raise
    if later:
        remove_later(old)
    else:
        remove(old)


LATER_FROM = 1000     # notices: a site this large goes by remove_later()


def remove_later(path: Path) -> None:
    """remove(path) by a process of its own, which outlives this one: the
    site a large build replaced (30,000 files at 10,000 notices, half a
    second to remove) goes after the build has returned.  That process holds
    none of this one's files (a caller reading the build's output through a
    pipe is not kept waiting), and the next build removes what it has not
    (remove_leftovers(): the folder keeps its name meanwhile, and the lock
    the remover holds on it, taken here before it starts, tells that build
    to leave it be).  Where there is no fork, or it fails, here and now: the
    new site is in place already."""
    try:
        held = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        fcntl.flock(held, fcntl.LOCK_EX)
    except OSError:
        held = -1
    try:
        pid = os.fork()
    except (AttributeError, OSError):    # no fork here, or none now (memory, a limit on processes)
        remove(path)
        if held >= 0:
            os.close(held)
        return
    if pid == 0:
        try:
            if os.fork() == 0:            # the grandchild: nobody waits for it
                os.setsid()
                quiet = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(quiet, fd)
                if held >= 0:             # the lock on the folder, as 3: released when this process ends
                    os.dup2(held, 3)
                os.closerange(3 if held < 0 else 4, max(os.sysconf("SC_OPEN_MAX"), 1 << 16))
                remove(path)
        finally:
            os._exit(0)
    if held >= 0:
        os.close(held)                    # the remover's copy holds the lock
    os.waitpid(pid, 0)


def say_waiting(site_dir: Path) -> None:
    print(f"another build of {site_dir} is running; waiting for it to finish…",
          file=sys.stderr, flush=True)
