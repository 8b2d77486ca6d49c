"""What a build derives from one notice, kept for the next build.

A rebuild after one changed notice should cost what the change touches, not
what the corpus holds.  So the expensive per-notice work (search postings,
the body's Markdown → HTML) is stored here under a key made of everything
that work reads: the exact inputs (the notice's text and fields, as given to
the function) and the code that computes it (every file of gazette/, the
templates, synonyms.txt, and the versions of the libraries that shape the
output).  A changed input or a changed line of code is a different key, so a
stale entry can never be found; there is nothing to invalidate by hand.

The cache is one SQLite file outside site/ and outside git (.cache/ at the
project root, or $GAZETTE_CACHE); deleting it only costs time.  Entries a
build did not use are removed when it finishes, so the file holds one build's
worth.  Values are JSON or plain text, never pickle: a cache file is data, not code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import sqlite3
import sys
from importlib import metadata
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent

# Libraries whose version changes what a build writes.
LIBRARIES = ("markdown", "pymdown-extensions", "nh3", "jieba", "opencc", "mkdocs", "mkdocs-material", "jinja2",
             "markupsafe", "pyyaml", "segno", "feedgen", "pypinyin")


def files_digest(*roots: Path) -> str:
    """A digest of every file under these folders (or of these files), by
    path and content: read afresh each time it is asked."""
    h = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for p in files:
            name = p.relative_to(ROOT) if p.is_relative_to(ROOT) else p
            h.update(name.as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the code and data that turn notices into outputs."""
    h = hashlib.sha256(files_digest(ROOT / "gazette", ROOT / "synonyms.txt").encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name}={version}\0".encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def key(*parts) -> str:
    """The key of a value computed from these inputs (JSON-able) by the current code."""
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256((code_fingerprint() + "\0" + data).encode()).hexdigest()


def value_digest(value) -> str:
    """A digest of a value made of our frozen dataclasses, tuples, strings,
    numbers and dates: repr() is every field, in order, with no sets and no
    addresses, so equal values have the same digest in every process."""
    return hashlib.sha256(repr(value).encode()).hexdigest()


def encode_value(value):
    """A value made of the given frozen dataclasses, tuples, lists, dicts,
    strings, numbers, dates and paths as JSON-able data that decode_value()
    turns back into an equal value (equal repr() too: a tuple stays a tuple)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, tuple):
        return {"t": [encode_value(v) for v in value]}
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, dict):
        return {"m": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, PurePath):
        return {"p": str(value)}
    if dataclasses.is_dataclass(value):
        return {"c": type(value).__name__,
                "f": [encode_value(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init]}
    raise TypeError(f"cannot keep a {type(value).__name__} in the cache")


def decode_value(text: str, kinds: dict[str, type], paths: dict[str, Path] | None = None):
    """encode_value()'s data, as JSON text, turned back into the value; kinds:
    the dataclasses it may make, by name (anything else is an error: a cache
    file is data, not code).  Each tagged object is made as the JSON parser
    closes it, so strings and numbers are never visited again in Python.
    paths: Path objects the caller has made already, by their text (a Path
    takes longer to make than the rest of a notice).
    None if the text is not such data (the entry is then treated as absent)."""
    paths = paths or {}

    def made(data: dict):
        if "t" in data:
            return tuple(data["t"])
        if "m" in data:
            return {k: v for k, v in data["m"]}
        if "dt" in data:
            return dt.datetime.fromisoformat(data["dt"])
        if "d" in data:
            return dt.date.fromisoformat(data["d"])
        if "p" in data:
            return paths.get(data["p"]) or Path(data["p"])
        return kinds[data["c"]](*data["f"])

    try:
        return json.loads(text, object_hook=made)
    except (ValueError, KeyError, TypeError, IndexError):
        return None         # a damaged entry is a miss: the value is made again


def location() -> Path:
    return Path(os.environ.get("GAZETTE_CACHE") or ROOT / ".cache") / "gazette.sqlite3"


class Cache:
    """A key → JSON store for one build: get() and put() by namespace and key."""

    def __init__(self, path: Path | None = None):
        self.path = path or location()
        self.used: set[tuple[str, str]] = set()
        self.hits = self.misses = 0
        self._db = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS entries (ns TEXT, key TEXT, value TEXT, PRIMARY KEY (ns, key))")
        except sqlite3.Error:
            self._db = None          # no cache (read-only disk, a broken file): builds are only slower

    def _select(self, ns: str, keys: list[str], columns: str) -> list[tuple]:
        """Rows of these keys (500 at a time: SQLite's limit on parameters), noted as used."""
        rows: list[tuple] = []
        if self._db is not None:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                marks = ",".join("?" * len(chunk))
                try:
                    rows += self._db.execute(f"SELECT {columns} FROM entries WHERE ns=? AND key IN ({marks})",
                                             [ns, *chunk]).fetchall()
                except sqlite3.Error:
                    pass
        self.used.update((ns, k) for k in keys)
        self.hits += len(rows)
        self.misses += len(keys) - len(rows)
        return rows

    def get_many(self, ns: str, keys: list[str], raw: bool = False) -> dict[str, object]:
        """The stored values of these keys (absent keys are left out); raw: text as stored."""
        out: dict[str, object] = {}
        for k, v in self._select(ns, keys, "key, value"):
            try:
                out[k] = v if raw else json.loads(v)
            except ValueError:
                continue
        return out

    @property
    def available(self) -> bool:
        """False when there is no cache file to use (values put are then lost)."""
        return self._db is not None

    def present(self, ns: str, keys: list[str]) -> set[str]:
        """Which of these keys are stored (their values are not read)."""
        return {k for (k,) in self._select(ns, keys, "key")}

    def put_many(self, ns: str, items: dict[str, object], raw: bool = False) -> None:
        """Store values (JSON-able; raw: text, stored as it is)."""
        self.used.update((ns, k) for k in items)
        if self._db is None or not items:
            return
        rows = [(ns, k, v if raw else json.dumps(v, ensure_ascii=False, separators=(",", ":"))) for k, v in items.items()]
        try:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
            self._db.execute("COMMIT")
        except sqlite3.Error:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def sweep(self, namespaces: tuple[str, ...]) -> None:
        """Drop the entries of these namespaces this build did not use."""
        if self._db is None:
            return
        try:
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (ns TEXT, key TEXT)")
            self._db.execute("DELETE FROM kept")
            self._db.executemany("INSERT INTO kept VALUES (?, ?)", sorted(self.used))
            for ns in namespaces:
                self._db.execute("DELETE FROM entries WHERE ns=? AND key NOT IN (SELECT key FROM kept WHERE ns=?)",
                                 (ns, ns))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
