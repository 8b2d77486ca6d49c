"""Checks a clerk can act on: warnings with stable codes, beside the errors of notice.py.

An error means the notice cannot be published as it is; a warning means it
probably says something other than what was meant, and a person should look.
Warnings never stop a build; `build.py check --strict` makes them fail (for a
team that wants every one looked at before a commit), and `--ignore CODE`
silences one kind deliberately.  Each code is stable: it means the same
check in every version.

    W101  doc_number   not written as GB/T 9704-2012 has it: the year in 〔〕, no 第,
                       no leading zeros, ending in 号
    W102  doc_number   its year is not the year of the date
    W103  issuers      a name no other notice uses, one character away from one
                       that two or more use (三亚市民政厅 for 三亚市民政局)
    W104  title        contains neither 关于 nor the name of an issuer
    W105  supersedes,  a number that is not in the corpus, so it cannot be linked
          repealed_by  (gazette/corpus.py)

A serial repeated under one prefix and year (三府〔2020〕7号 twice, in any
spelling) is an error, not a warning: corpus.py refuses it, and `new` and
`import` refuse to write it.

The checks read notices as the loader made them (any object with the
attributes of gazette.notice.Notice), so this module reads no files.
"""

from __future__ import annotations

import re
from collections import Counter

from . import docnumber
from .problems import Problem

CODES = {
    "W101": "document number not in the form of GB/T 9704-2012",
    "W102": "document number's year is not the date's year",
    "W103": "issuer no other notice uses, one character from one they do",
    "W104": "title contains neither 关于 nor an issuer",
    "W105": "cited number not in the corpus",
}


def clerk_warnings(notices) -> list[Problem]:
    """The clerk warnings every `check` reports (W102–W104; W105 is corpus.py's)."""
    out = []
    for n in sorted(notices, key=lambda n: n.rel):
        out += number_form(n) + number_year(n) + title_words(n)
    out += similar_issuers(notices)
    return out


def strict_warnings(notices) -> list[Problem]:
    """Warnings only `check --strict` adds: none at present (every warning is always shown)."""
    return []


def _warn(n, key: str, message: str, code: str) -> Problem:
    return Problem(n.rel, n.lines.get(key, 1), key, message, warning=True, code=code)


def form_faults(written: str) -> list[str]:
    """What differs in a number as written from the form of GB/T 9704-2012 (7.2.4)."""
    number = docnumber.try_parse(written)
    if number is None:
        return []
    faults = []
    if re.search(r"\s|\u3000", written):
        faults.append("no spaces")
    if not re.search(r"〔\s*[0-9０-９]{4}\s*〕", written):
        faults.append("the year in 〔〕")
    if "第" in written:
        faults.append("no 第 before the serial")
    if re.search(r"[〕\]］)）】}｝〗年第]\s*[0０][0-9０-９]", written):
        faults.append("no leading zeros")
    if not written.rstrip().endswith("号"):
        faults.append("号 at the end")
    return faults


def number_form(n) -> list[Problem]:
    written = getattr(n, "doc_number_text", None)
    if not written or n.doc_number is None:
        return []
    faults = form_faults(written)
    if not faults:
        return []
    return [_warn(n, "doc_number", f"{written} is not written as GB/T 9704-2012 has it ({'; '.join(faults)}): "
                                   f"write {n.doc_number}", "W101")]


def number_year(n) -> list[Problem]:
    if n.doc_number is None or n.doc_number.year == n.date.year:
        return []
    return [_warn(n, "doc_number", f"the number's year {n.doc_number.year} is not the year of the date "
                                   f"{n.date.isoformat()}; a document is numbered in the year it is signed — check both",
                  "W102")]


def title_words(n) -> list[Problem]:
    title = re.sub(r"\s", "", n.title)
    if "关于" in title or any(re.sub(r"\s", "", i) in title for i in n.issuers):
        return []
    return [_warn(n, "title", f"the title contains neither 关于 nor the issuer ({'、'.join(n.issuers)}); "
                              "check that it is the full title as issued", "W104")]


def _one_apart(a: str, b: str) -> bool:
    """Whether two names differ by one character changed, added or left out."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def similar_issuers(notices) -> list[Problem]:
    """An issuer one notice alone uses, that is one character from one others use."""
    users = Counter(i for n in notices for i in set(n.issuers))
    out = []
    for n in sorted(notices, key=lambda n: n.rel):
        for name in n.issuers:
            if users[name] != 1:
                continue
            near = sorted((other for other in users if users[other] >= 2 and _one_apart(name, other)),
                          key=lambda o: (-users[o], o))
            if near:
                known = "、".join(f"{o} (used by {users[o]})" for o in near[:3])
                out.append(_warn(n, "issuers", f"{name} is used by no other notice; did you mean {known}?", "W103"))
    return out

