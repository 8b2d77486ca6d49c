"""Problems found in notice files, reported as `path:line: field: message`.

A problem always names the file, the line inside the file (not inside the YAML
block) and the field, so that a clerk can go straight to it.  The wording is
part of the interface: tests assert it exactly.
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

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {self.field}: {kind}{self.message}"


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
