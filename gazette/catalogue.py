"""索引号: the disclosure-catalogue index number, generated where a notice has none.

The gov.cn form is <organisation code>/<year>-<serial>, as in
00817373-1/2019-34596.  The organisation code is configured once
(mkdocs.yml extra.organisation.code); without it nothing is generated and
the table shows —.

The serial is five digits taken from a hash of the notice's address
(year/name), so it never changes when other notices are added, removed or
corrected, and two builds give the same numbers.  A clash with a number
already given or generated takes the next free serial, in address order.

public.publish() calls it, so every output sees the same numbers.
"""

from __future__ import annotations

import dataclasses
import hashlib


def index_numbers(notices: tuple, code: str | None) -> tuple:
    """The notices, each with its index number (generated ones only where none was written)."""
    if not code:
        return notices
    taken = {n.index_no for n in notices if n.index_no}
    generated: dict[str, str] = {}
    for n in sorted((n for n in notices if not n.index_no), key=lambda n: (n.year, n.slug)):
        serial = int(hashlib.sha256(f"{n.year}/{n.slug}".encode()).hexdigest(), 16) % 90000 + 10000
        while (number := f"{code}/{n.year}-{serial:05d}") in taken:
            serial = 10000 if serial == 99999 else serial + 1
        taken.add(number)
        generated[n.source] = number
    return tuple(dataclasses.replace(n, index_no=generated[n.source]) if n.source in generated else n for n in notices)
