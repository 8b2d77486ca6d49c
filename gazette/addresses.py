"""Stable ASCII addresses for everything the site publishes.

Addresses survive zipping and unpacking on any operating system, so they are
lower-case ASCII and never differ only in case.  Han text is spelled in pinyin
(三府办 -> sanfuban); where two names spell alike (三府 and 三扶 are both
sanfu) each gets a short, stable suffix taken from a hash of its own name.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict


from .docnumber import DocNumber


def ascii_slug(text: str) -> str:
    """Pinyin for Han characters, ASCII letters and digits kept, rest dropped."""
    from pypinyin import Style, lazy_pinyin     # here: loading it costs every command of build.py 0.15 s

    parts = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))
    slug = "".join(parts).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    return slug or "x"


def notice_slug(number: DocNumber) -> str:
    """The file name (without .md) a new notice with this number gets."""
    return f"{ascii_slug(number.prefix)}-{number.year}-{number.serial}"


def unique_slugs(names: list[str], spelled: dict[str, str] | None = None) -> dict[str, str]:
    """One address per name; names that spell alike all get a suffix.
    spelled: ascii_slug() of names, as far as known (a build keeps them:
    pinyin takes a fifth of a second to load); those made here are added."""
    spelled = {} if spelled is None else spelled
    by_slug: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(names)):
        if name not in spelled:
            spelled[name] = ascii_slug(name)
        by_slug[spelled[name]].append(name)
    result = {}
    for slug, group in by_slug.items():
        for name in group:
            if len(group) == 1:
                result[name] = slug
            else:
                digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
                result[name] = f"{slug}-{digest}"
    return result


def unnumbered_slug(issuer: str, date, title: str) -> str:
    """The file name (without .md) of a new notice that has no document number.

    Work summaries, plans and reports carry no number, so the address is made
    from what identifies them instead: the lead issuer, the date and the start
    of the title (without the issuer's name), e.g. 三亚市民政局 2020-12-31
    三亚市民政局2020年工作总结 → sanyashiminzhengju-20201231-2020niangongzuozongjie.
    Like every address it is made once, when the file is created, and never
    changes with a later correction of the title.
    """
    words = title[len(issuer):] if title.startswith(issuer) else title
    words = re.sub(r"^关于", "", words)
    return f"{ascii_slug(issuer)}-{date:%Y%m%d}-{ascii_slug(words[:10])}"
