"""Problems found in notice files, reported as `path:line: field: message`.

A problem always names the file, the line inside the file (not inside the YAML
block) and the field, so that a clerk can go straight to it.  The wording is
part of the interface: tests assert it exactly.  A warning ends in its stable
code, as Sphinx's do (`... [W103]`); gazette/checks.py lists them, and
`check --ignore W103` silences one kind, `check --strict` makes the rest fail.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    warning: bool = False       # reported, but nothing is refused for it
    code: str = ""              # a warning's stable code (W101 …), so a team can silence one kind

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        code = f" [{self.code}]" if self.code else ""
        return f"{self.path}:{self.line}: {self.field}: {kind}{self.message}{code}"


class CorpusError(Exception):
    """The corpus has problems; nothing may be built from it."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        count = sum(1 for p in self.problems if not p.warning)
        noun = "problem" if count == 1 else "problems"
        lines.append(f"{count} {noun} found.")
        return "\n".join(lines)
