"""The `new` and `import` commands of build.py: flags, questions and what they print.

The flags are made from the field table: every field of one value or a list
of values (gazette.intake.importer.GIVABLE) can be given as --<key>, with the
field's label in the help, so a field added to the table is a flag at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..fields import BY_KEY
from . import importer
from .importer import ASKED, GIVABLE, IntakeError

_LIST_HELP = "; several: repeat the flag or separate them with ，"
_EXAMPLES = {
    "title": "三亚市人民政府关于调整自来水价格分类范畴的通知",
    "doc_number": "三府〔2020〕124号, in any spelling",
    "issuers": "三亚市人民政府",
    "date": "2020-07-06 or 2020年7月6日",
    "disclosure": None,
}


def _flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def add_field_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fields (from the field table; a value given here wins over the file's)")
    for f in GIVABLE:
        names = [_flag(f.key)] + (["--number"] if f.key == "doc_number" else [])
        many = f.kind in ("texts", "numbers")
        example = _EXAMPLES.get(f.key)
        hint = ("one of " + "、".join(f.choices)) if f.choices else (f"e.g. {example}" if example else "")
        group.add_argument(*names, dest=f"field_{f.key}", action="append" if many else "store", metavar=f.label,
                           help=f"{f.label} ({f.key})" + (f": {hint}" if hint else "") + (_LIST_HELP if many else ""))


def add_commands(sub) -> None:
    n = sub.add_parser("new", help="start a new notice: asks for (or takes) its fields and writes it at its address",
                       description="Write a new notice at its canonical address, with valid front-matter and an "
                                   "empty body.  Asks for what is not given when run in a terminal.")
    add_field_flags(n)
    i = sub.add_parser("import", help="make notices from text, web page copies or Word files staff already have",
                       description="Read text (UTF-8 or GBK/GB18030), a copied disclosure web page or a Word .docx; "
                                   "a gazette with many documents gives one notice per document.  Prints what was "
                                   "found for each and what was not.")
    i.add_argument("files", nargs="+", metavar="FILE", help="a .txt, .html or .docx file")
    i.add_argument("--dry-run", action="store_true", help="print what would be written; write nothing")
    i.add_argument("--force", action="store_true", help="replace a notice file that already exists (same number only)")
    add_field_flags(i)


def _shown(path: Path) -> str:
    try:
        rel = os.path.relpath(path, Path.cwd())
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _given(args) -> tuple[dict[str, object], list[str]]:
    """The values given as flags, read by the loader's rules; and a message for each that is wrong."""
    values, problems = {}, []
    for f in GIVABLE:
        raw = getattr(args, f"field_{f.key}", None)
        if raw is None:
            continue
        value, problem = importer.parse_given(f.key, raw)
        if problem:
            problems.append(f"{_flag(f.key)}: {f.key}: {problem}")
        else:
            values[f.key] = value
    return values, problems


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# --- import -------------------------------------------------------------------------------


def cmd_import(args) -> int:
    given, problems = _given(args)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return 1
    notices_dir = args.notices_dir
    in_use = importer.numbers_in_use(notices_dir)
    failed = 0
    results_all = []
    for name in args.files:
        path = Path(name)
        try:
            results, notes = importer.plan(path, notices_dir, given, shown_as=name)
        except IntakeError as e:
            print(f"{name}:1: file: {e}", file=sys.stderr)
            failed += 1
            continue
        importer.write(results, args.force, args.dry_run, in_use, shown=_shown)
        for r in results:
            number = r.values.get("doc_number")
            if number is not None and r.status.startswith(("wrote", "replaced", "would")):
                in_use[number] = r.path        # a later file in this run may not take it again
        print(f"{name}: {_count(len(results), 'document')}" + "".join(f"\n  note: {n}" for n in notes))
        for r in results:
            print()
            print("\n".join(importer.report(r, shown=_shown)))
        results_all += results
    written = [r for r in results_all if r.status.startswith(("wrote", "replaced", "would"))]
    refused = [r for r in results_all if r not in written]
    to_fill = [r for r in written if r.empty]
    print()
    verb = "would be written" if args.dry_run else "written"
    summary = f"{_count(len(written), 'notice')} {verb}"
    if to_fill:
        summary += f" ({len(to_fill)} with fields left empty to fill in before publishing)"
    if refused:
        summary += f"; {len(refused)} not written"
    if failed:
        summary += f"; {_count(failed, 'file')} could not be read"
    summary += "." + (" Nothing was written (--dry-run)." if args.dry_run else
                      (" Next: edit them, then run build.py check." if written else ""))
    print(summary)
    for r in refused:
        print(f"{r.file}:{r.line}: {r.about}: {r.status.removeprefix('not written: ')}", file=sys.stderr)
    if not args.dry_run:
        _warn_about([r.path for r in written], notices_dir)
    return 1 if refused or failed else 0


def _warn_about(paths: list[Path], notices_dir: Path) -> None:
    """The clerk's warnings (gazette/checks.py) for notices just written, against the whole corpus."""
    from ..checks import clerk_warnings, strict_warnings
    from ..notice import read_notice

    wanted = {p.resolve() for p in paths}
    if not wanted:
        return
    notices = []
    for path in sorted(notices_dir.glob("*/*.md")):
        notice, _ = read_notice(path, Path.cwd())
        if notice is not None:
            notices.append(notice)
    mine = [n for n in notices if n.path.resolve() in wanted]
    for warning in clerk_warnings(notices) + strict_warnings(mine):
        if any(n.rel == warning.path for n in mine):
            print(warning, file=sys.stderr)


# --- new ------------------------------------------------------------------------------------

_QUESTIONS = {
    "title": "标题 title",
    "doc_number": "发文字号 document number (leave empty if it has none)",
    "issuers": "发文机关 issuers (several: separate them with ，)",
    "date": "成文日期 date, under the signature (2020-07-06 or 2020年7月6日)",
    "disclosure": "公开方式 disclosure",
}


def _ask(key: str) -> object:
    """Ask for one field until the answer is valid; None for an optional field left empty."""
    f = BY_KEY[key]
    question = _QUESTIONS.get(key, f"{f.label} {key}")
    if f.choices:
        question += " (" + ", ".join(f"{i} {c}" for i, c in enumerate(f.choices, 1)) + ")"
    while True:
        answer = input(question + ": ").strip()
        if not answer and not f.required:
            return None
        if f.choices and answer.isdigit() and 1 <= int(answer) <= len(f.choices):
            answer = f.choices[int(answer) - 1]
        value, problem = importer.parse_given(key, answer)
        if problem is None:
            return value
        print(f"  {key}: {problem}")


def cmd_new(args) -> int:
    given, problems = _given(args)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return 1
    interactive = sys.stdin.isatty()
    values = dict(given)
    missing = [k for k in ASKED if k not in values]
    if missing and interactive:
        print("A new notice: answer each question (Ctrl+C to stop; nothing is written until the end).")
        for key in missing:
            answer = _ask(key)
            if answer is not None:
                values[key] = answer
    else:
        lacking = [k for k in ASKED if BY_KEY[k].required and k not in values]
        if lacking:
            for key in lacking:
                print(f"{key}: is required; give it with {_flag(key)}", file=sys.stderr)
            print("Nothing was written.", file=sys.stderr)
            return 1
    notices_dir = args.notices_dir
    result = importer.new_notice(values, notices_dir)
    importer.write([result], force=False, dry_run=False, in_use=importer.numbers_in_use(notices_dir), shown=_shown)
    if not result.status.startswith("wrote"):
        print(f"{result.about}: {result.status.removeprefix('not written: ')}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    print(_shown(result.path))
    _warn_about([result.path], notices_dir)
    return 0
