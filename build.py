#!/usr/bin/env python3
"""The one command for publishing staff.

    python build.py                 build the site into site/
    python build.py build           the same
    python build.py serve           preview at http://127.0.0.1:8000, rebuilt on every save
    python build.py check           check every notice and list every problem
    python build.py diff NOTICE [REV1 [REV2]]
                                    what changed in a notice (NOTICE: its file or
                                    its number in any spelling); with no REV, its
                                    last change; with REV1 only, REV1 against
                                    the file as it is now
    python build.py verify [SITE]   check a built site against its manifest.json
    python build.py new             write a new notice at its address (asks for its fields)
    python build.py import FILE...  make notices from text, web page copies and Word files
    python build.py install-hook    check the staged notices before every git commit

A build never leaves a half-written site: it builds into a new folder and only
then puts it in place of site/.  If any notice has a problem, nothing is built
and site/ stays exactly as it was.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from gazette.corpus import load_corpus  # noqa: E402
from gazette.problems import CorpusError, Problem  # noqa: E402


class Failure(Exception):
    """A problem to show the user in plain words, then exit 1."""


def _notices_dir(args) -> Path:
    return Path(args.notices).resolve() if args.notices else ROOT / "notices"


def _check_synonyms() -> None:
    """synonyms.txt is data staff edit: a malformed line is a problem like any other."""
    from gazette import tokens

    try:
        tokens.read_synonyms()
    except tokens.SynonymError as e:
        line, message = e.args
        raise CorpusError([Problem(os.path.relpath(tokens.SYNONYMS, Path.cwd()), line, "synonyms", message)]) from None


def cmd_check(args) -> int:
    from gazette.public import publish

    _known_codes(args)
    _check_synonyms()
    corpus = load_corpus(_notices_dir(args), root=Path.cwd())
    if _warn(corpus, args):
        return 1
    listed = len(publish(corpus, None).notices)
    print(f"{len(corpus.notices)} notices checked, no problems ({listed} will be published).")
    return 0


def _codes(args) -> set[str]:
    """Warning codes silenced with --ignore W103,W104 (or the flag repeated)."""
    return {c.strip().upper() for item in (getattr(args, "ignore", None) or []) for c in item.split(",") if c.strip()}


def _known_codes(args) -> None:
    from gazette.checks import CODES

    unknown = sorted(_codes(args) - CODES.keys())
    if unknown:
        raise Failure(f"--ignore: no warning has the code {', '.join(unknown)}; the codes are "
                      + ", ".join(f"{code} ({what})" for code, what in CODES.items()))


def _warn(corpus, args) -> bool:
    """Print the warnings; True when --strict makes them fail."""
    from gazette import checks

    strict = getattr(args, "strict", False)
    ignore = _codes(args)
    warnings = corpus.warnings + (checks.strict_warnings(corpus.notices) if strict else [])
    warnings = sorted(w for w in warnings if w.code not in ignore)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if strict and warnings:
        noun = "warning" if len(warnings) == 1 else "warnings"
        print(f"{len(warnings)} {noun} found; --strict makes each one fail "
              "(fix it, or silence its kind with --ignore CODE).", file=sys.stderr)
        return True
    return False


def cmd_precommit(args) -> int:
    """Check notices/ as the next commit will hold it (run by the git hook)."""
    import tempfile

    from gazette import precommit

    _known_codes(args)
    try:
        repo = precommit.repo_root(ROOT)
        folder = Path(os.path.relpath(_notices_dir(args), repo)).as_posix()
        if not precommit.staged_changes(repo, folder):
            return 0
        with tempfile.TemporaryDirectory(prefix="gazette-precommit-") as tmp:
            notices = precommit.export_staged(repo, folder, Path(tmp))
            try:
                corpus = load_corpus(notices, root=Path(tmp))
            except CorpusError as e:
                ignore = _codes(args)
                e.problems = [p for p in e.problems if not (p.warning and p.code in ignore)]
                print(e.report(), file=sys.stderr)
                print("The commit was stopped: fix the problems above, `git add` the notices and commit again.",
                      file=sys.stderr)
                return 1
            if _warn(corpus, args):
                print("The commit was stopped.", file=sys.stderr)
                return 1
    except precommit.HookError as e:
        raise Failure(str(e)) from None
    return 0


def cmd_install_hook(args) -> int:
    from gazette import precommit

    _known_codes(args)
    extra = (["--strict"] if args.strict else []) + [f"--ignore={c}" for c in sorted(_codes(args))]
    try:
        path, again = precommit.install(precommit.repo_root(ROOT), extra)
    except precommit.HookError as e:
        raise Failure(str(e)) from None
    print(f"{'Updated' if again else 'Installed'} {path}: every commit that changes notices/ is checked first "
          f"(build.py precommit{''.join(' ' + a for a in extra)}).")
    return 0


def _strictness(parser) -> None:
    parser.add_argument("--strict", action="store_true",
                        help="warnings fail too, and the number's form (W101) is checked")
    parser.add_argument("--ignore", action="append", metavar="CODE",
                        help="silence one kind of warning, e.g. --ignore W104 (several: W103,W104)")


def _mkdocs_config(args, site_dir: Path):
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site_dir))
    if args.notices:
        config.extra["notices_dir"] = os.path.relpath(_notices_dir(args), ROOT)
    return config


def _reproducible_dates() -> None:
    """Dates in the output come from git, not from the clock (see SOURCE_DATE_EPOCH)."""
    from gazette.history import head_time

    if "SOURCE_DATE_EPOCH" not in os.environ:
        when = head_time(ROOT)
        # Without git (a source tarball) use a fixed date rather than the clock.
        os.environ["SOURCE_DATE_EPOCH"] = str(when if when is not None else 0)


def _load_kept(notices_dir: Path):
    """load_corpus() with the build's cache: only changed notices are read again."""
    from gazette import corpus as corpora
    from gazette.cache import Cache

    corpora.hold(None)           # a build in this process before: read afresh
    cache = Cache()
    try:
        corpus = load_corpus(notices_dir, root=notices_dir.parent, cache=cache)
        cache.sweep(("notices",))
    finally:
        cache.close()
    corpora.hold(corpus)         # the hook builds it, without looking at the folder again
    return corpus


def cmd_build(args) -> int:
    from contextlib import ExitStack

    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from gazette import sitedir, words

    # The collector runs less often: a build makes millions of objects and
    # few cycles (a rebuild at 30,000 notices: 40 s → 36 s), and reading the
    # corpus at its usual pace walked every notice read so far four times
    # (a rebuild at 10,000: 0.3 s).
    gc.set_threshold(100_000, 50, 100)
    _check_synonyms()
    notices_dir = _notices_dir(args)
    site_dir = Path(args.site_dir).resolve() if args.site_dir else ROOT / "site"
    words.start_ahead(notices_dir, site_dir)     # the search index's dictionary, while the corpus is read
    corpus = _load_kept(notices_dir)       # fail early, with every problem (the hook reuses it)
    # The corpus lives as long as the build: the garbage collector need not
    # walk it again at every full collection (which grows with the corpus).
    gc.freeze()
    _reproducible_dates()
    with ExitStack() as held:
        try:
            site_dir.parent.mkdir(parents=True, exist_ok=True)
            # One build at a time; the second says so and waits.
            held.enter_context(sitedir.locked(site_dir, waiting=lambda: sitedir.say_waiting(site_dir)))
            sitedir.remove_leftovers(site_dir)        # of builds that were killed
            staging = sitedir.staging_folder(site_dir)
        except OSError as e:
            raise Failure(f"cannot write the site next to {site_dir}: {e.strerror}") from None
        try:
            # Dirty: MkDocs leaves alone the pages the hook took from the site
            # this one replaces (gazette/preview.py); the folder starts empty.
            build(_mkdocs_config(args, staging), dirty=True)
        except (MkDocsException, OSError) as e:
            shutil.rmtree(staging, ignore_errors=True)
            raise Failure(f"the site could not be built: {e}; {site_dir.name}/ was left as it was") from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _swap(staging, site_dir, later=len(corpus.notices) >= sitedir.LATER_FROM)
    print(f"Site built in {site_dir}")
    return 0


def _swap(new: Path, site_dir: Path, later: bool = False) -> None:
    """Put the new build in place of the old one, atomically (see gazette/sitedir.py);
    later: a large old one is removed after the build returns."""
    from gazette import sitedir

    try:
        sitedir.swap(new, site_dir, later)
    except OSError as e:
        shutil.rmtree(new, ignore_errors=True)
        raise Failure(f"the new site could not be put in place of {site_dir}: {e.strerror}; "
                      f"{site_dir.name}/ was left as it was") from None


def cmd_diff(args) -> int:
    from gazette import diff
    from gazette.history import _git, read_history
    from gazette.public import tracked_files

    notices_dir = _notices_dir(args)
    corpus = load_corpus(notices_dir, root=Path.cwd())
    notice = corpus.find(args.notice)
    if notice is None:
        raise Failure(f"no notice has the file or document number {diff.terminal_safe(args.notice)}")
    history = read_history(notices_dir)
    if history is None:
        raise Failure("there is no git history here (not a git checkout, or a shallow clone)")
    repo = history.repo.resolve()
    path, attachments = tracked_files(notice, repo)
    if path is None:
        raise Failure(diff.terminal_safe(f"{notice.rel} is outside the git repository {repo}"))
    paths = [path] + [p for _, p in attachments]
    labels = {}

    def at(rev: str | None, path: str) -> str | None:
        if rev is None:
            file = repo / path
            return file.read_text(encoding="utf-8") if file.is_file() else None
        return _git(repo, "show", f"{rev}:{path}")

    if args.rev1 is None:
        commits = history.revisions(paths)
        if len(commits) < 2:
            print(diff.terminal_safe(f"{notice.rel} has one revision only (its original publication); nothing to compare."))
            return 0
        old_rev, new_rev = commits[-2].sha, commits[-1].sha
        labels = {c.sha: f"{c.short} {c.date:%Y-%m-%d %H:%M} {c.author}: {c.subject}" for c in commits[-2:]}
    else:
        old_rev, new_rev = args.rev1, args.rev2
        for rev in (old_rev, new_rev):
            if rev is not None and _git(repo, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}") is None:
                raise Failure(f"{diff.terminal_safe(rev)} is not a revision in this repository")
    history.close()

    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    old = diff.parse_version(at(old_rev, path))
    new = diff.parse_version(at(new_rev, path))
    number = f" ({notice.doc_number})" if notice.doc_number else ""
    # Every line goes through diff.terminal_safe: a notice, a file name, an
    # author or a commit subject may hold control characters.
    safe = diff.terminal_safe
    lines = [safe(f"{notice.rel}{number}"),
             safe(f"from {labels.get(old_rev, old_rev)}"),
             safe(f"to   {labels.get(new_rev, new_rev or 'the file as it is now')}"), ""]
    fields = diff.field_changes(old, new)
    lines += diff.terminal_fields(fields, color) or ["(no field changed)"]
    body = diff.text_diff(old.body, new.body)
    lines += [""] + (diff.terminal_text(body, color) if diff.changed(body) else ["(the text did not change)"])
    for title, file in attachments:
        before, after = at(old_rev, file) or "", at(new_rev, file) or ""
        if before != after:
            lines += ["", safe(f"附件：{title}")] + diff.terminal_text(diff.text_diff(before.strip(), after.strip()), color)
    print("\n".join(lines))
    return 0


def cmd_verify(args) -> int:
    from gazette.manifest import ManifestError
    from gazette.provenance import find_repo, prove

    site_dir = Path(args.site)
    # The repository at hand: the one holding this build.py, else the current folder's.
    repo = None if args.no_rebuild else find_repo(ROOT, Path.cwd())
    try:
        verdict = prove(site_dir, repo, rebuild=not args.no_rebuild, python=sys.executable)
    except ManifestError as e:
        raise Failure(str(e)) from None
    for line in verdict.problems:
        print(line)
    print(verdict.message, file=sys.stdout if verdict.ok else sys.stderr)
    return 0 if verdict.ok else 1


def _serve_address(addr: str) -> tuple[str, int]:
    """HOST:PORT as MkDocs reads it, checked by binding it now: a busy or
    wrong address is one plain line, not a traceback from inside MkDocs."""
    import ipaddress
    import socket

    host, _, port_text = addr.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        if host != "localhost":
            host = str(ipaddress.ip_address(host))
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError
    except ValueError:
        raise Failure(f"cannot serve on {addr}: not a valid address, expected HOST:PORT") from None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as MkDocs' server does
            probe.bind((host, port))
    except OSError as e:
        raise Failure(f"cannot serve on {addr}: {_bind_problem(e)}") from None
    return host, port


def _bind_problem(e: OSError) -> str:
    import errno

    return {
        errno.EADDRINUSE: "the port is already in use",
        errno.EADDRNOTAVAIL: "that address is not one of this computer's",
        errno.EACCES: "permission denied (ports below 1024 need administrator rights)",
    }.get(e.errno, e.strerror or str(e))


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def cmd_serve(args) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    _serve_address(args.addr)
    notices_dir = _notices_dir(args)
    load_corpus(notices_dir, root=notices_dir.parent)
    # The folder given with --notices is the one served and watched, as `build` builds it.
    extra = dict(_mkdocs_config(args, ROOT / "site").extra)
    # A save writes again only the pages it reaches (gazette/preview.py; a
    # "dirty" build in MkDocs' words).
    extra["preview"] = True
    # Stopped by a service manager or `kill`, as by Ctrl+C: MkDocs then removes its temporary folders.
    signal.signal(signal.SIGTERM, _interrupted)
    print(f"Preview at http://{args.addr}/ (rebuilt whenever a notice is saved); press Ctrl+C to stop.")
    try:
        serve(config_file=str(ROOT / "mkdocs.yml"), dev_addr=args.addr, livereload=True, build_type="dirty",
              extra=extra, watch=[str(notices_dir)] if args.notices else [])
    except OSError as e:      # taken in the moment between the check and MkDocs
        raise Failure(f"cannot serve on {args.addr}: {_bind_problem(e)}") from None
    except MkDocsException as e:
        raise Failure(f"the preview could not be built: {e}") from None
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--notices", help="folder of notices (default: notices/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' own messages")
    sub = parser.add_subparsers(dest="command")
    b = sub.add_parser("build", help="build the site (the default)")
    b.add_argument("--site-dir", help="where to build (default: site/)")
    c = sub.add_parser("check", help="check every notice and list every problem")
    _strictness(c)
    d = sub.add_parser("diff", help="what changed in a notice")
    d.add_argument("notice", help="the notice's file, or its document number in any spelling")
    d.add_argument("rev1", nargs="?", help="older revision (default: the notice's previous revision)")
    d.add_argument("rev2", nargs="?", help="newer revision (default: the file as it is now)")
    v = sub.add_parser("verify", help="check a built site against its manifest.json")
    v.add_argument("site", nargs="?", default=str(ROOT / "site"), help="the built site (default: site/)")
    v.add_argument("--no-rebuild", action="store_true",
                   help="only check the files against manifest.json; do not rebuild the commit to compare")
    s = sub.add_parser("serve", help="preview the site while editing")
    s.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
    from gazette.intake import cli as intake

    intake.add_commands(sub)
    h = sub.add_parser("install-hook", help="check the staged notices before every git commit")
    _strictness(h)
    _strictness(sub.add_parser("precommit", help="check notices/ as staged for the next commit (run by the hook)"))
    args = parser.parse_args(argv)
    args.command = args.command or "build"
    if args.command == "build" and not hasattr(args, "site_dir"):
        args.site_dir = None

    logging.basicConfig(format="%(levelname)s: %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.INFO if args.verbose else logging.WARNING)
    commands = {"check": cmd_check, "build": cmd_build, "serve": cmd_serve, "diff": cmd_diff, "verify": cmd_verify,
                "new": intake.cmd_new, "import": intake.cmd_import, "install-hook": cmd_install_hook,
                "precommit": cmd_precommit}
    args.notices_dir = _notices_dir(args)
    try:
        return commands[args.command](args)
    except CorpusError as e:
        ignore = _codes(args)
        e.problems = [p for p in e.problems if not (p.warning and p.code in ignore)]
        print(e.report(), file=sys.stderr)
        if args.command != "check":
            print("Nothing was built; fix the problems above and build again.", file=sys.stderr)
        return 1
    except Failure as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    code = main()
    # Leave without freeing the build's objects one by one, which at 10,000
    # notices takes the interpreter 1.4 s: everything the build keeps is
    # written and closed by now; the streams and logging are flushed here.
    # A profiler or tracer (pyinstrument, coverage) still gets its normal exit.
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
