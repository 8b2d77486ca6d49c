#!/usr/bin/env python3
"""The one command for publishing staff.

    python build.py                 build the site into site/
    python build.py build           the same
    python build.py serve           preview at http://127.0.0.1:8000, rebuilt on every save
    python build.py check           check every notice and list every problem

A build never leaves a half-written site: it builds into a new folder and only
then puts it in place of site/.  If any notice has a problem, nothing is built
and site/ stays exactly as it was.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from gazette.corpus import load_corpus  # noqa: E402
from gazette.problems import CorpusError  # noqa: E402


class Failure(Exception):
    """A problem to show the user in plain words, then exit 1."""


def _notices_dir(args) -> Path:
    return Path(args.notices).resolve() if args.notices else ROOT / "notices"


def cmd_check(args) -> int:
    corpus = load_corpus(_notices_dir(args), root=Path.cwd())
    listed = len(corpus.listed)
    print(f"{len(corpus.notices)} notices checked, no problems ({listed} will be published).")
    return 0


def _mkdocs_config(args, site_dir: Path):
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site_dir))
    if args.notices:
        config.extra["notices_dir"] = os.path.relpath(_notices_dir(args), ROOT)
    return config


def cmd_build(args) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    load_corpus(_notices_dir(args), root=Path.cwd())   # fail early, with every problem
    site_dir = Path(args.site_dir).resolve() if args.site_dir else ROOT / "site"
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    try:
        build(_mkdocs_config(args, staging))
    except (MkDocsException, OSError) as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise Failure(f"the site could not be built: {e}; {site_dir.name}/ was left as it was") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, site_dir)
    print(f"Site built in {site_dir}")
    return 0


def _swap(new: Path, site_dir: Path) -> None:
    """Put the new build in place of the old one; the old one goes last."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    new.rename(site_dir)
    new_mode = 0o755 & ~_umask()
    site_dir.chmod(new_mode)   # mkdtemp makes a private folder; a site is for reading
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def cmd_serve(args) -> int:
    from mkdocs.commands.serve import serve

    load_corpus(_notices_dir(args), root=Path.cwd())
    serve(config_file=str(ROOT / "mkdocs.yml"), dev_addr=args.addr, livereload=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--notices", help="folder of notices (default: notices/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' own messages")
    sub = parser.add_subparsers(dest="command")
    b = sub.add_parser("build", help="build the site (the default)")
    b.add_argument("--site-dir", help="where to build (default: site/)")
    sub.add_parser("check", help="check every notice and list every problem")
    s = sub.add_parser("serve", help="preview the site while editing")
    s.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
    args = parser.parse_args(argv)
    args.command = args.command or "build"
    if args.command == "build" and not hasattr(args, "site_dir"):
        args.site_dir = None

    logging.basicConfig(format="%(levelname)s: %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.INFO if args.verbose else logging.WARNING)
    commands = {"check": cmd_check, "build": cmd_build, "serve": cmd_serve}
    try:
        return commands[args.command](args)
    except CorpusError as e:
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
    sys.exit(main())
