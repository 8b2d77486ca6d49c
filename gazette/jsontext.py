"""JSON text as the site writes it for people to read: one space of indent
per level, keys sorted, non-ASCII as it is.

json.dumps() with an indent encodes in Python, value by value (its C
encoder knows no indent): the manifest of 10,000 notices took it 0.3 s,
each build.  indented() makes the same text three times as fast, the
strings still encoded in C; a value of any other kind than it knows is left
to json.dumps() (a test compares the two on the site's own files and on
made-up values).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring


def indented(value) -> str:
    """json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True), to the character."""
    out: list[str] = []
    _put(value, "\n", out.append)
    return "".join(out)


def _put(value, indent: str, put) -> None:
    kind = type(value)
    if kind is str:
        put(encode_basestring(value))
    elif kind is dict and all(type(k) is str for k in value):
        if not value:
            put("{}")
            return
        inner = indent + " "
        put("{")
        first = True
        for key in sorted(value):
            put(inner if first else "," + inner)
            first = False
            put(encode_basestring(key))
            put(": ")
            _put(value[key], inner, put)
        put(indent)
        put("}")
    elif kind is list or kind is tuple:
        if not value:
            put("[]")
            return
        inner = indent + " "
        put("[")
        first = True
        for item in value:
            put(inner if first else "," + inner)
            first = False
            _put(item, inner, put)
        put(indent)
        put("]")
    else:
        # Numbers, None, booleans, and anything else json knows: as it writes
        # them, deeper by this level (its text has no line break inside a string).
        put(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).replace("\n", indent))
