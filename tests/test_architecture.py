"""The design rules, checked on the code itself (DEVELOPERS.md, "The design rules").

* One public view: only gazette/public.py decides disclosure; outputs never
  read raw notices, the corpus or git.
* Engine at the edge: gazette/ never imports MkDocs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GAZETTE = Path(__file__).resolve().parent.parent / "gazette"

RAW = {"notice", "corpus", "history"}                 # what only the view may read
INPUT = RAW | {"fields", "docnumber", "problems", "addresses", "diff", "public", "catalogue", "__init__"}
# Tools around a build that publish nothing themselves: replacing site/
# atomically, and proving a built site against a rebuild of its commit.
TOOLS = {"sitedir", "provenance"}
INPUT |= TOOLS
OUTPUTS = sorted(p.stem for p in GAZETTE.glob("*.py") if p.stem not in INPUT)
DISCLOSURES = {"主动公开", "依申请公开", "不予公开"}


def _tree(name: str) -> ast.Module:
    return ast.parse((GAZETTE / f"{name}.py").read_text(encoding="utf-8"))


def _imports(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:          # from .x import y / from . import x
                found.update([module] if module else [a.name for a in node.names])
            else:
                found.add(module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_the_outputs_are_known():
    # A new module in gazette/ is an output unless it is listed in INPUT on purpose.
    assert {"pages", "indexes", "search", "manifest", "render", "paths"} <= set(OUTPUTS)


@pytest.mark.parametrize("module", OUTPUTS)
def test_an_output_never_reads_raw_notices_or_git(module):
    imported = {name.split(".")[-1] for name in _imports(_tree(module))}
    assert not imported & RAW, f"gazette/{module}.py imports {imported & RAW}; make it from gazette.public.Publication"


@pytest.mark.parametrize("module", sorted(p.stem for p in GAZETTE.glob("*.py")))
def test_only_the_public_view_decides_disclosure(module):
    """No other module compares a disclosure value or names one in code."""
    if module in ("public", "fields"):
        return
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() in DISCLOSURES:
            pytest.fail(f"gazette/{module}.py line {node.lineno} names {node.value}: ask gazette.public instead")
        if isinstance(node, ast.Attribute) and node.attr in ("is_public", "is_listed"):
            pytest.fail(f"gazette/{module}.py line {node.lineno} decides disclosure ({node.attr})")


def test_templates_do_not_decide_disclosure():
    for template in (GAZETTE / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for word in DISCLOSURES:
            assert f'"{word}"' not in text and f"'{word}'" not in text, f"{template.name} compares with {word}"


@pytest.mark.parametrize("module", sorted(p.stem for p in GAZETTE.glob("*.py")))
def test_gazette_knows_nothing_of_mkdocs(module):
    assert not any(name.split(".")[0] in ("mkdocs", "material") for name in _imports(_tree(module)))


def test_no_output_spells_an_address():
    """Output paths live in gazette/paths.py only."""
    for module in OUTPUTS:
        if module == "paths":
            continue
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value
                assert not (value.endswith((".md", ".html", ".js", ".json")) and "/" in value and " " not in value), (
                    f"gazette/{module}.py line {node.lineno} spells the address {value!r}; put it in gazette/paths.py"
                )


def test_every_field_is_documented_and_every_documented_field_exists():
    """The field table and NOTICE-FORMAT.md's table name the same keys and labels."""
    import re

    from gazette.fields import FIELDS

    text = (GAZETTE.parent / "NOTICE-FORMAT.md").read_text(encoding="utf-8")
    table = text[text.index("## Fields"):text.index("## Document numbers")]
    documented = {}
    for row in re.findall(r"^\| (`.+?`) \| (.+?) \|", table, re.M):
        keys = re.findall(r"`(\w+)`", row[0])
        labels = [label.strip() for label in row[1].split(",")]
        documented.update(zip(keys, labels))
    assert documented == {f.key: f.label for f in FIELDS}
