"""The dictionary words of a run of Han characters (jieba), for the search index.

jieba takes half a second or more to load its dictionary, and more when the
machine is busy.  A rebuild after one changed notice needs it for that
notice only, in the process that patches the search index, which starts
late in the build and then has the dictionary to load before anything else.
So a build over a large site it built before has a process of its own load
the dictionary ahead (start_ahead(), before the corpus is read: the second
core is idle then), and the patching process asks it for the words of each
run (ahead()).  Its words are jieba's, loaded from the same files by the
same code as this process would: the same index either way.  Anything amiss
with it (it ended, it answered nonsense) and the words are found here.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
from pathlib import Path

AHEAD_FROM = 1000      # notices: a smaller site's build is over before the dictionary would be of use

_jieba = None
_server: socket.socket | None = None     # the connection to the process holding the dictionary
_pid: int | None = None                  # that process
_replies = None                          # its answers, line by line
_asking = False                          # within ahead()


def cut(run: str) -> tuple[str, ...]:
    """jieba's words of a run, without its guesses at words it does not know
    (HMM=False): the same cut for the same run, in any process."""
    if _asking and _server is not None:
        found = _ask(run)
        if found is not None:
            return found
    return _here(run)


def _here(run: str) -> tuple[str, ...]:
    global _jieba
    if _jieba is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba = jieba
    return tuple(_jieba.cut(run, HMM=False))


def _ask(run: str) -> tuple[str, ...] | None:
    """The server's words of a run, or None (and no more asking) if it cannot say."""
    global _replies
    try:
        if _replies is None:
            _replies = _server.makefile("rb")
        _server.sendall(json.dumps(run, ensure_ascii=False).encode("utf-8") + b"\n")
        found = json.loads(_replies.readline())
        if isinstance(found, list) and all(isinstance(w, str) for w in found) and "".join(found) == run:
            return tuple(found)
    except (OSError, ValueError):
        pass
    _drop()
    return None


def _drop() -> None:
    global _server, _replies
    for f in (_replies, _server):
        if f is not None:
            try:
                f.close()
            except OSError:
                pass
    _server = _replies = None


@contextlib.contextmanager
def ahead():
    """Within it, cut() asks the process that loaded the dictionary ahead,
    if there is one: for a few notices' runs (a rebuild's), not ten
    thousand's (each is a question and an answer)."""
    global _asking
    _asking = True
    try:
        yield
    finally:
        _asking = False


def start_ahead(notices_dir: Path, site_dir: Path) -> None:
    """A build over a site of AHEAD_FROM notices or more that is there
    already (likely a rebuild): a process loads the dictionary now.  It ends
    when every process of the build has ended (its connection closes), and
    holds none of the build's output streams, so nothing waits for it."""
    global _server, _pid
    if _server is not None or not hasattr(os, "fork") or not Path(site_dir).is_dir():
        return
    if _count(Path(notices_dir)) < AHEAD_FROM:
        return
    ours, theirs = socket.socketpair()
    try:
        pid = os.fork()
    except OSError:
        ours.close()
        theirs.close()
        return
    if pid == 0:
        code = 0
        try:
            ours.close()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            quiet = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(quiet, fd)
            _serve(theirs)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    theirs.close()
    _server, _pid = ours, pid


def _serve(connection: socket.socket) -> None:
    _here("")                       # the dictionary, loaded now
    with connection, connection.makefile("rb") as questions, connection.makefile("wb") as answers:
        for line in questions:
            answers.write(json.dumps(list(_here(json.loads(line))), ensure_ascii=False).encode("utf-8") + b"\n")
            answers.flush()


def _count(notices_dir: Path) -> int:
    """About how many notices there are (notices/<year>/*.md), from the folders' listings alone."""
    count = 0
    try:
        with os.scandir(notices_dir) as years:
            for year in years:
                if year.is_dir(follow_symlinks=False):
                    with os.scandir(year.path) as found:
                        count += sum(1 for e in found if e.name.endswith(".md"))
    except OSError:
        return 0
    return count

