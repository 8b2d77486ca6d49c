"""The corpus: every file under notices/, read and checked as a whole.

Every file is accounted for: a notice (notices/<year>/<name>.md), an
attachment listed by the notice whose folder it lies in, or a problem.  A
file nobody lists, a misspelt extension, a symbolic link or a folder that
belongs to no notice is reported, never silently skipped.  Names starting
with a dot (.gitkeep, .DS_Store) are not part of the record and are ignored.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import background, checks
from .notice import Notice, read_notice
from .problems import CorpusError, Problem

_YEAR = re.compile(r"^\d{4}$")


@dataclass
class Corpus:
    root: Path                 # the project folder; paths are shown relative to it
    notices_dir: Path
    notices: list[Notice]      # every notice, 不予公开 included, newest first
    warnings: list[Problem] = field(default_factory=list)   # reported by check; nothing is refused for them
    # A notice read through the build's cache: its rel -> the key it is kept
    # under there, made of everything it is read from (_content_key), so the
    # same key means the same notice, field for field.
    keys: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def find(self, number_or_path: str) -> Notice | None:
        from . import docnumber

        wanted = docnumber.try_parse(number_or_path)
        path = Path(number_or_path).resolve()
        for n in self.notices:
            if wanted and n.doc_number == wanted:
                return n
            if n.rel == number_or_path or n.path == path:
                return n
        return None


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


class _Entry(NamedTuple):
    """One entry of a folder, as one look at it found it (_scan)."""

    name: str
    path: str
    is_dir: bool        # a link to a folder is a folder, as os.walk() sorts them
    is_file: bool
    is_symlink: bool


class _Scan(NamedTuple):
    """One look at everything under notices/ (_scan)."""

    files: dict                    # every entry's path -> (size, times, inode): equal only if nothing changed
    folders: dict                  # folder -> its entries by name (_Entry), for _walk
    inside: dict                   # a notice's own folder (year, name) -> [(path, its stats)] of what is under it


def _scan(notices_dir: Path) -> _Scan:
    """Each folder is read once (os.scandir: an entry knows whether it is a
    folder or a link without asking again), top down, into every folder
    that is no link, as os.walk() would; a folder it cannot read is passed over."""
    folders: dict[str, list[_Entry]] = {}
    files: dict[str, tuple] = {}
    inside: dict[tuple[str, str], list] = defaultdict(list)

    def visit(folder: str, depth: int, owner: tuple[str, str] | None) -> None:
        try:
            with os.scandir(folder) as found:
                scanned = sorted(found, key=lambda e: e.name)
        except OSError:
            return
        entries = folders[folder] = []
        below = []
        for e in scanned:
            is_dir, is_symlink = _is_dir(e), e.is_symlink()
            entries.append(_Entry(e.name, e.path, is_dir, not is_dir and _is_file(e), is_symlink))
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            stats = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            files[e.path] = stats
            if owner is not None:
                inside[owner].append((e.path, stats))
            if is_dir and not is_symlink:
                below.append((e.path, owner or ((os.path.basename(folder), e.name) if depth == 1 else None)))
        for path, under in below:
            visit(path, depth + 1, under)

    visit(os.fspath(notices_dir), 0, None)
    return _Scan(files, folders, inside)


def _walk(notices_dir: Path, root: Path, folders: dict[str, list[_Entry]]) -> tuple[list[Path], list[Path], list[Problem]]:
    """(notice files, other files inside notice folders, problems) under
    notices/, from _scan()'s folders."""
    notices, others, problems = [], [], []

    def problem(path: str, message: str) -> None:
        problems.append(Problem(_rel(Path(path), root), 1, "file", message))

    def visit(folder: str, depth: int) -> None:
        entries = folders.get(folder)
        if entries is None:
            return                           # as os.walk(): a folder it cannot read is passed over
        by_name = {e.name: e for e in entries}
        below = []
        for e in entries:
            if not e.is_dir:
                continue
            name = e.name
            if name.startswith("."):
                continue
            if e.is_symlink:
                problem(e.path, "is a symbolic link to a folder; put the files themselves here")
            elif depth == 0 and not _YEAR.match(name):
                problem(e.path, "expected only year folders such as notices/2020/ here")
            elif depth == 1 and name.lower().endswith(".md"):
                problem(e.path, "is a folder named like a notice file; a notice is a file notices/<year>/<name>.md, and its attachments go in the folder notices/<year>/<name>/")
            elif depth == 1 and not ((md := by_name.get(f"{name}.md")) is not None and md.is_file):
                problem(e.path, f"this folder belongs to no notice: expected {name}.md beside it (a notice's attachments go in the folder named after it)")
            else:
                below.append(e.path)
        for e in entries:
            name = e.name
            if e.is_dir or name.startswith("."):
                continue
            if e.is_symlink:
                target = "a missing file" if not os.path.exists(e.path) else "another file"
                problem(e.path, f"is a symbolic link to {target}; put the file itself here")
            elif depth == 0:
                problem(e.path, "expected notices/<year>/<name>.md; move the file into its year's folder")
            elif depth == 1 and name.endswith(".md"):
                notices.append(Path(e.path))
            elif depth == 1 and name.lower().endswith((".md", ".markdown", ".mdown", ".txt")):
                problem(e.path, f"expected a notice named <name>.md, with .md in lower case; rename it to {Path(name).stem.lower()}.md")
            elif depth == 1:
                problem(e.path, f"expected only notices (.md) in a year folder; an attachment goes in the folder of its notice, notices/{os.path.basename(folder)}/<name>/")
            else:
                others.append(Path(e.path))
        for path in below:
            visit(path, depth + 1)

    visit(os.fspath(notices_dir), 0)
    return sorted(notices), sorted(others), problems


def _is_dir(entry) -> bool:
    """As os.walk() sorts a folder's entries: a link to a folder is a folder."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


_last: tuple | None = None      # (notices_dir, root, _Scan.files, corpus) of the last read
_held: Corpus | None = None     # the one corpus this process builds (hold())


def hold(corpus: Corpus | None) -> None:
    """This process builds this corpus, once (build.py build): a later
    load_corpus() of its folder (the hook's) returns it without looking at
    the folder again; the build is of the notices as they were when read."""
    global _held
    _held = corpus


def load_corpus(notices_dir: Path, root: Path | None = None, cache=None) -> Corpus:
    """Read every notice; raise CorpusError listing every problem found.

    A process reads a corpus once: asked again for an unchanged folder (`serve`
    after a save that changed nothing under notices/), it returns the same
    Corpus; any change to any file under notices/ means a fresh read.
    cache: the build's (cache.py), which keeps each notice as read (see _read_all)."""
    global _last
    notices_dir = Path(notices_dir).resolve()
    root = Path(root).resolve() if root else notices_dir.parent
    if _held is not None and (_held.notices_dir, _held.root) == (notices_dir, root):
        return _held
    if not notices_dir.is_dir():
        raise CorpusError([Problem(str(notices_dir), 0, "notices", "the folder does not exist")])
    scan = _scan(notices_dir)
    if _last is not None and _last[:3] == (notices_dir, root, scan.files):
        return _last[3]
    corpus = _read_corpus(notices_dir, root, scan, cache)
    _last = (notices_dir, root, scan.files, corpus)
    return corpus


_CHUNK = 500        # notices read at a time: a cold build holds few bytes
_read: dict[tuple, tuple] = {}     # (file, root, its and its folder's stats) -> read_notice()'s answer, and its key


def _read_all(paths: list[Path], root: Path, files: dict, inside: dict, cache) -> list[tuple]:
    """read_notice() of each file, remembered while the file and its
    attachments folder are unchanged: `serve` re-reads only the notice that
    was saved (files, inside: _scan()).  With the build's cache, a notice
    read without a problem is kept there under a key of its path, its bytes
    and its folder's entries (a .md attachment by its bytes, any other file
    by its size, times and inode: only its name and kind are read), so a
    build reads and checks again only the notices that changed."""
    memo = [(path, root, files.get(str(path)), tuple(sorted(inside.get((path.parent.name, path.stem), ()))))
            for path in paths]
    if len(_read) > 200_000:
        _read.clear()
    todo = [i for i, m in enumerate(memo) if m not in _read]
    chunks = [todo[at:at + _CHUNK] for at in range(0, len(todo), _CHUNK)] if cache is not None else []
    helper = theirs = None
    for n, chunk in enumerate(chunks):
        if helper is not None and n % 2:
            continue                   # the second process reads this one
        made = _read_chunk(chunk, paths, root, memo, cache)
        if n == 0 and made > len(chunk) // 2 and len(chunks) >= 4 and cache.available:
            # Mostly new to the cache (a cold build): a second process reads every
            # other chunk into the cache meanwhile, and this one takes them from there.
            theirs = chunks[1::2]
            helper = background.with_cache(cache.path, functools.partial(_fill, theirs, paths, root, memo))
    if helper is not None:
        helper.finish()                # what it did not keep is read here
        for chunk in theirs:
            _read_chunk(chunk, paths, root, memo, cache)
    for i in todo:
        if memo[i] not in _read:
            _read[memo[i]] = (*read_notice(paths[i], root), None)
    return [_read[m] for m in memo]


def _read_chunk(chunk: list[int], paths: list[Path], root: Path, memo: list, cache) -> int:
    """read_notice() of these files (indexes into paths) into _read, through
    the cache; how many were read rather than taken from it."""
    from .cache import key

    data: dict[int, bytes] = {}
    texts: dict[int, dict[str, bytes]] = {}
    stored: dict[int, str | None] = {}
    for i in chunk:
        try:
            data[i] = paths[i].read_bytes()
        except OSError:
            continue
        texts[i] = {}
        stored[i] = _content_key(paths[i], root, data[i], memo[i][3], key, texts[i])
    found = cache.get_many("notices", [k for k in stored.values() if k], raw=True)
    fresh = {}
    made = 0
    for i in chunk:
        k = stored.get(i)
        if (notice := _unpacked(found.pop(k), data[i], texts[i], paths[i]) if k in found else None) is not None:
            _read[memo[i]] = (notice, [], k)
        elif i in data:
            # The notice is made from the very bytes its key was made from; its
            # attachments are read again after, and kept only if the key still holds.
            made += 1
            answer = read_notice(paths[i], root, data[i])
            again: dict[str, bytes] = {}
            if k and answer[0] is not None and not answer[1] and _content_key(paths[i], root, data[i], memo[i][3], key, again) == k:
                fresh[k] = _packed(answer[0], data[i], again)
            else:
                k = None              # not what the key was made from
            _read[memo[i]] = (*answer, k)
    cache.put_many("notices", fresh)
    return made


def _fill(chunks: list[list[int]], paths: list[Path], root: Path, memo: list, cache) -> None:
    """In a second process (background.with_cache): read these chunks into the cache."""
    for chunk in chunks:
        _read_chunk(chunk, paths, root, memo, cache)


def _content_key(path: Path, root: Path, data: bytes, entries: tuple, key, texts: dict[str, bytes]) -> str | None:
    """The key of a notice read from data, with these entries in its folder;
    texts: filled with the bytes of each .md file the key was made from."""
    import hashlib

    try:
        parts = [hashlib.sha256(data).hexdigest()]
        for entry, stats in entries:
            if entry.endswith(".md") and os.path.isfile(entry) and not os.path.islink(entry):
                texts[entry] = Path(entry).read_bytes()
                parts.append([entry, hashlib.sha256(texts[entry]).hexdigest()])
            else:
                parts.append([entry, stats])
    except OSError:
        return None
    return key("notices", str(path), str(root), parts)


# A notice is kept without the texts its key's own files hold (the body, a .md
# attachment's text): each is [start, end] in its file's text, when found there
# as it is, and taken from the bytes just read again (a tenth of the bytes to
# keep and read back).  Anything else is kept whole.
def _packed(notice: Notice, data: bytes, texts: dict[str, bytes]):
    from .cache import encode_value

    def at(value: str | None, raw: bytes | None):
        if not value or raw is None:
            return None
        try:
            start = raw.decode("utf-8").find(value)
        except UnicodeDecodeError:
            return None
        return [start, start + len(value)] if start >= 0 else None

    body = at(notice.body, data)
    parts = [at(a.text, texts.get(str(a.source))) for a in notice.attachments]
    lean = dataclasses.replace(
        notice, body="" if body else notice.body,
        attachments=[dataclasses.replace(a, text="") if part else a for a, part in zip(notice.attachments, parts)])
    return encode_value((lean, body, parts))


def _span(at) -> slice:
    if not (isinstance(at, list) and len(at) == 2 and all(type(x) is int for x in at)):
        raise ValueError(at)
    return slice(*at)


def _unpacked(text: str, data: bytes, texts: dict[str, bytes], path: Path) -> Notice | None:
    """_packed()'s value (JSON text) as the notice (read from path), or None (a miss) if it is not one."""
    from .cache import decode_value

    try:
        notice, body, parts = decode_value(text, _KINDS, {str(path): path})
        if not isinstance(notice, Notice) or not isinstance(parts, list) or len(parts) != len(notice.attachments):
            return None
        if body:
            notice.body = data.decode("utf-8")[_span(body)]
        if any(parts):
            notice.attachments = [dataclasses.replace(a, text=texts[str(a.source)].decode("utf-8")[_span(part)])
                                  if part else a for a, part in zip(notice.attachments, parts)]
    except (TypeError, KeyError, ValueError, UnicodeDecodeError, AttributeError):
        return None
    return notice


def _kinds() -> dict[str, type]:
    from .docnumber import DocNumber
    from .notice import Attachment, Erratum

    return {"Notice": Notice, "Attachment": Attachment, "Erratum": Erratum, "DocNumber": DocNumber}


_KINDS = _kinds()


def _read_corpus(notices_dir: Path, root: Path, scan: _Scan, cache=None) -> Corpus:
    files, others, problems = _walk(notices_dir, root, scan.folders)
    stat_of, inside = scan.files, scan.inside
    notices: list[Notice] = []
    listed: set[Path] = set()
    owners: dict[Path, Path] = {}   # a notice's own folder -> the notice file
    keys: dict[str, str] = {}
    for path, (notice, found, k) in zip(files, _read_all(files, root, stat_of, inside, cache)):
        problems.extend(found)
        owners[path.parent / path.stem] = path
        if notice:
            notices.append(notice)
            if k is not None:
                keys[notice.rel] = k
            listed.update(a.source for a in notice.attachments if a.source is not None)
    read_ok = {n.path for n in notices}
    for other in others:
        if other in listed:
            continue
        folder = other.relative_to(notices_dir).parts[:2]
        owner = owners.get(notices_dir.joinpath(*folder))
        if owner is not None and owner not in read_ok:
            continue   # its notice has problems of its own; its list cannot be trusted yet
        problems.append(Problem(
            _rel(other, root), 1, "file",
            f"no notice lists this file; add it under attachments: in {_rel(owner, root) if owner else 'its notice'}, or remove it",
        ))

    problems.extend(_check_unique(notices))
    problems.extend(_check_relations(notices))
    if any(not p.warning for p in problems):
        raise CorpusError(problems)
    # The clerk's checks (gazette/checks.py) speak once the errors are fixed:
    # a warning about a number's form is noise beside the error it repeats.
    problems.extend(checks.clerk_warnings(notices))
    notices.sort(key=lambda n: n.sort_key, reverse=True)
    return Corpus(root=root, notices_dir=notices_dir, notices=notices, warnings=sorted(problems), keys=keys)


def _check_relations(notices: list[Notice]) -> list[Problem]:
    """supersedes and repealed_by: a number missing from the corpus (a warning), a cycle (an error)."""
    by_number = {n.doc_number: n for n in notices if n.doc_number}
    out = []
    replaces: dict = {}          # number -> numbers it replaces or repeals
    for n in sorted(notices, key=lambda n: n.rel):
        for key, numbers in (("supersedes", n.supersedes), ("repealed_by", [n.repealed_by] if n.repealed_by else [])):
            for number in numbers:
                if number not in by_number:
                    out.append(Problem(n.rel, n.lines[key], key, f"{number} is not in the corpus, so it cannot be linked", warning=True, code="W105"))
        if n.doc_number:
            replaces.setdefault(n.doc_number, set()).update(n.supersedes)
        if n.repealed_by and n.doc_number:
            replaces.setdefault(n.repealed_by, set()).add(n.doc_number)
    reported = set()
    for start in sorted(replaces, key=str) if not _acyclic(replaces) else ():
        path, seen = [start], {start}
        cycle = _cycle(start, replaces, path, seen)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            chain = " → ".join(str(x) for x in cycle + [cycle[0]])
            for number in cycle:
                n = by_number.get(number)
                if n is not None:
                    key = "supersedes" if "supersedes" in n.lines else "repealed_by" if "repealed_by" in n.lines else "doc_number"
                    out.append(Problem(n.rel, n.lines[key], key, f"notices replace or repeal each other in a circle: {chain}"))
    return out


def _acyclic(edges: dict) -> bool:
    """Whether no path of edges (node -> the nodes it points to) leads back
    to where it started: one pass over them all (Kahn's ordering), where
    looking for a cycle from every node in turn walks what each reaches."""
    indegree: dict = {}
    for node, targets in edges.items():
        indegree.setdefault(node, 0)
        for t in targets:
            indegree[t] = indegree.get(t, 0) + 1
    ready = [node for node, d in indegree.items() if d == 0]
    done = 0
    while ready:
        node = ready.pop()
        done += 1
        for t in edges.get(node, ()):
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return done == len(indegree)


def _cycle(node, edges, path, seen):
    for nxt in sorted(edges.get(node, ()), key=str):
        if nxt == path[0]:
            return list(path)
        if nxt not in seen:
            seen.add(nxt)
            path.append(nxt)
            found = _cycle(nxt, edges, path, seen)
            if found:
                return found
            path.pop()
    return None


def _check_unique(notices: list[Notice]) -> list[Problem]:
    """Document numbers and index numbers name one notice each."""
    problems = []
    for key, label in (("doc_number", "document number"), ("index_no", "index number")):
        first: dict[object, Notice] = {}
        for n in sorted(notices, key=lambda n: n.rel):
            value = getattr(n, key)
            if value is None:
                continue
            if value in first:
                problems.append(Problem(
                    n.rel, n.lines[key], key,
                    f"the {label} {value} is already used by {first[value].rel}",
                ))
            else:
                first[value] = n
    return problems
