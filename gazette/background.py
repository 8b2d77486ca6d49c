"""Work done in a second process while the first goes on: the machine has two cores.

The search index is made from the same Publication as the pages, but nothing
of the pages depends on it.  A forked child builds it while MkDocs renders
the pages in the parent; the child sees the parent's memory as it was at the
fork, so nothing is copied or pickled, and it reports only success or the
text of its failure.  Linux (fork) only; elsewhere the work runs in place.
"""

from __future__ import annotations

import gc
import os
import signal
import traceback
from collections.abc import Callable


_children = 0      # children started and not yet waited for, here and in the processes this one came from
_yielding: list = []   # the yielding jobs started here and not yet waited for (stop_yielding())


def _thaw() -> None:
    global _children
    _children -= 1
    if _children == 0:
        gc.unfreeze()


class JobFailed(Exception):
    """The child's work raised: its message and traceback, as text."""


class Job:
    def __init__(self, pid: int | None, reader: int | None, error: str | None = None):
        self.pid, self.reader, self.error = pid, reader, error

    def wait(self) -> None:
        """Wait for the child; raise JobFailed with what it said if it failed."""
        if self.pid is not None:
            with os.fdopen(self.reader, "rb") as f:
                said = f.read().decode("utf-8", "replace")
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            _thaw()
            if self in _yielding:
                _yielding.remove(self)
            if os.waitstatus_to_exitcode(status) != 0:
                self.error = said or f"the background build stopped (status {status})"
        if self.error:
            raise JobFailed(self.error)

    def finish(self) -> None:
        """wait(), for work whose failure only means it is done here instead
        (with_cache(): what it did not put in the cache is made again)."""
        try:
            self.wait()
        except JobFailed:
            pass

    def kill(self) -> None:
        """Ask the child, and any process it started, to end now (see stop())."""
        if self.pid is not None:
            try:
                os.killpg(self.pid, signal.SIGTERM)      # a yielding child leads a group of its own
            except OSError:
                try:
                    os.kill(self.pid, signal.SIGTERM)
                except OSError:
                    pass

    def stop(self) -> None:
        """End the child if it still runs, and wait for it; what it said is dropped.
        Its own children end too: they hold the pipe wait() reads to its end."""
        if self.pid is not None:
            self.kill()
            try:
                self.wait()
            except JobFailed:
                pass


def start(work: Callable[[], None], yielding: bool = False) -> Job:
    """Run work() in a forked child (or here, where fork is unavailable).
    yielding: the child asks for less of the processor (os.nice) and leads a
    process group of its own, which kill() ends whole: a preview's work that
    lets the page it shows go first, and is ended when the next save comes."""
    if not hasattr(os, "fork"):
        try:
            work()
            return Job(None, None)
        except Exception:
            return Job(None, None, traceback.format_exc())
    reader, writer = os.pipe()
    # What exists now is shared with the child until either side writes to
    # it; the collector writes to every object it scans, which would copy
    # all of them into both processes.  Frozen, it leaves them alone; they
    # thaw when the last child started here is done (Job.wait).
    global _children
    gc.freeze()
    _children += 1
    pid = os.fork()
    if pid == 0:                           # the child: work, say how it went, leave at once
        os.close(reader)
        code = 0
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)   # not the parent's handler: kill() ends it
            if yielding:
                os.setpgid(0, 0)
                os.nice(10)
            work()
        except BaseException:
            code = 1
            try:
                os.write(writer, traceback.format_exc().encode("utf-8", "replace"))
            except OSError:
                pass
        finally:
            os._exit(code)                 # no atexit handlers, no flushing the parent's buffers
    os.close(writer)
    job = Job(pid, reader)
    if yielding:
        try:
            os.setpgid(pid, pid)           # as the child does: whichever runs first
        except OSError:
            pass
        _yielding.append(job)
    return job


def with_cache(where, work: Callable[[object], None]) -> Job:
    """work(cache) in a second process (start()), with a connection of its
    own to the build's cache file at where (a connection never crosses a
    fork): what it puts there, this process reads after Job.finish()."""
    def run() -> None:
        from .cache import Cache

        cache = Cache(where)
        try:
            work(cache)
        finally:
            cache.close()

    return start(run)


def stop_yielding() -> None:
    """Ask every yielding job still running to end (a preview that stops):
    they run in process groups of their own, which Ctrl+C does not reach."""
    for job in list(_yielding):
        job.kill()
