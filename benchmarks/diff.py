"""How long the character diff of one very long paragraph takes.

    .venv/bin/python benchmarks/diff.py [LENGTH]      (default: 300000)

A paragraph of LENGTH characters made of the bundled notices' own sentences
(as one line, the way a long regulation pasted from a word processor
arrives), changed in three places: a few characters replaced, a sentence
inserted and a phrase deleted.  Prints the time text_diff takes and checks
that its segments give back both texts.  Then the worst cases the sentence
step leaves to the character step: two unrelated changed stretches of
gazette.diff.LONG characters each, and a short sentence replaced by a long one.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazette.diff import LONG, text_diff  # noqa: E402


def sample_text(length: int, seed: int = 1) -> str:
    """Real sentences from the bundled notices, shuffled, joined into one line."""
    sentences = []
    for path in sorted((ROOT / "notices").rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for line in body.splitlines():
            if line and not line.startswith(("#", "|", "-", "!")):
                sentences += [s for s in re.findall(r"[^。；！？]*[。；！？]", line) if len(s) > 5]
    rng = random.Random(seed)
    out, size = [], 0
    while size < length:
        s = rng.choice(sentences)
        out.append(s)
        size += len(s)
    return "".join(out)[:length]


def three_edits(text: str) -> str:
    n = len(text)
    a, b, c = n // 5, n // 2, 4 * n // 5
    return text[:a] + "二〇二五年" + text[a + 3:b] + "本条自发布之日起施行。" + text[b:c] + text[c + 12:]


def reconstruct(hunks) -> tuple[str, str]:
    old = "".join(t for h in hunks for op, t in h if op in "=-")
    new = "".join(t for h in hunks for op, t in h if op in "=+")
    return old, new


def timed(label: str, old: str, new: str) -> None:
    start = time.perf_counter()
    hunks = text_diff(old, new)
    took = time.perf_counter() - start
    ok = reconstruct(hunks) == (old, new)
    changed = sum(len(t) for h in hunks for op, t in h if op in "-+")
    print(f"{label:58} {took:8.3f} s   {changed:7} characters marked   {'ok' if ok else 'WRONG'}")


def main() -> None:
    length = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    text = sample_text(length)
    timed(f"one paragraph of {len(text):,} characters, three edits", text, three_edits(text))
    x, y = sample_text(LONG, seed=2), sample_text(LONG, seed=3)
    x, y = x.replace("。", "，"), y.replace("。", "，")   # one sentence each
    timed(f"two unrelated sentences of {LONG:,} characters", x, y)
    long = sample_text(length, seed=4).replace("。", "，")
    timed(f"a short sentence replaced by one of {len(long):,}", "短句。", long + "。")


if __name__ == "__main__":
    main()
