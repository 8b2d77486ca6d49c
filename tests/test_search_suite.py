"""The search relevance suite, by kind (tests/search_suite.tsv): one test per query.

Each line of the suite is what a citizen or a journalist types, and the one
bundled notice that must come first, or "-" when nothing may be found.  The
query goes through __gz.search, the function the search page calls with what
is typed in its box (search.js run(): search(input.value.trim(), {issuer,
year})), in headless Chromium from file://.

"No results" includes the engine's answer "there is no document with this
number" (search.js nearest(): the neighbouring numbers it lists are offered as
neighbours, not as matches), and that answer never counts as a notice found at
rank 1.  benchmarks/relevance.py runs the same suite and prints success@1 by
kind.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import ROOT

from gazette.corpus import load_corpus
from gazette.public import publish

SUITE = Path(__file__).with_name("search_suite.tsv")
KINDS = ("title", "topic", "everyday", "traditional", "typo", "date", "person", "number", "cited", "nothing")
NUMBERS = {str(n.doc_number) for n in publish(load_corpus(ROOT / "notices", root=ROOT), None).notices if n.doc_number}


class Case(NamedTuple):
    line: int
    kind: str
    query: str
    expected: str        # a document number as the site shows it, or "-"


def read_suite(path: Path = SUITE) -> tuple[list[Case], list[str]]:
    """The suite's queries, and a message for every malformed line (with its number)."""
    cases: list[Case] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        where = f"{path.name}:{number}: "
        if len(fields) != 3:
            problems.append(where + f"expected kind<TAB>query<TAB>expected, found {len(fields)} field(s): {line!r}")
            continue
        kind, query, expected = fields[0], fields[1], fields[2].strip()
        if kind not in KINDS:
            problems.append(where + f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
        elif not query.strip():
            problems.append(where + "empty query")
        elif expected != "-" and expected not in NUMBERS:
            problems.append(where + f"expected {expected!r} is neither - nor the number of a bundled notice")
        elif query in seen:
            problems.append(where + f"{query!r} is already on line {seen[query]}")
        else:
            seen[query] = number
            cases.append(Case(number, kind, query, expected))
    return cases, problems


CASES, PROBLEMS = read_suite()

FIND = """async (q) => {
  const r = await __gz.search(q.trim(), {issuer: "", year: ""});
  const docs = await Promise.all(r.ids.map(id => __gz.load('text/' + id)));
  return {total: r.total, numbers: docs.map(d => d.number), missing: r.missingNumber || null,
          partial: !!r.partial};
}"""


def find(engine, query: str) -> dict:
    return engine.evaluate(FIND, query)


def matches(found: dict) -> list[str]:
    """The numbers of the notices the engine presents as matches, best first."""
    return [] if found["missing"] else found["numbers"]


def test_the_suite_file_is_well_formed():
    assert not PROBLEMS, "\n".join(PROBLEMS)


def test_the_suite_is_large_enough_in_every_kind():
    per_kind = Counter(c.kind for c in CASES)
    assert len(CASES) >= 150, len(CASES)
    assert {k: per_kind[k] for k in KINDS if per_kind[k] < 12} == {}, per_kind


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}:{c.query}" for c in CASES])
def test_query(engine, case):
    found = find(engine, case.query)
    got = matches(found)
    if case.expected == "-":
        assert got == [], f"line {case.line}: {case.query!r} must find nothing; found {found}"
    else:
        assert got[:1] == [case.expected], f"line {case.line}: {case.query!r} must find {case.expected} first; found {found}"
