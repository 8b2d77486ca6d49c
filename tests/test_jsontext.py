"""jsontext.indented() is json.dumps(indent=1, sort_keys=True, ensure_ascii=False), to the character."""

from __future__ import annotations

import json
import random

from conftest import ROOT
from gazette.jsontext import indented


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


def _text(rng: random.Random) -> str:
    alphabet = ['"', "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "\u2028", "\ud800", "é", "通", "知", "𠀋", "a", " ", "/"]
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 8)))


def _value(rng: random.Random, depth: int = 0):
    kinds = ["str", "int", "float", "none", "bool"] + (["dict", "list", "tuple", "int-keys"] if depth < 4 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        return _text(rng)
    if kind == "int":
        return rng.randrange(-10**20, 10**20)
    if kind == "float":
        return rng.choice([0.0, -1.5, 1e300, 3.141592653589793, float("nan"), float("inf")])
    if kind == "none":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "dict":
        return {_text(rng): _value(rng, depth + 1) for _ in range(rng.randrange(0, 4))}
    if kind == "int-keys":                      # json makes the keys text
        return {rng.randrange(100): _value(rng, depth + 1) for _ in range(rng.randrange(1, 3))}
    items = [_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    return items if kind == "list" else tuple(items)


def test_made_up_values_are_written_as_json_writes_them():
    rng = random.Random(20261123)
    for _ in range(3000):
        value = _value(rng)
        assert indented(value) == _dumps(value), value


def test_the_sites_own_files_are_written_as_json_writes_them(bundled_site):
    for name in ("manifest.json", "data/notices.json"):
        value = json.loads((bundled_site / name).read_text(encoding="utf-8"))
        assert indented(value) == _dumps(value)
    schema = json.loads((ROOT / "schemas" / "notice.schema.json").read_text(encoding="utf-8"))
    assert indented(schema) == _dumps(schema)
