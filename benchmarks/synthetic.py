"""A synthetic corpus for benchmarks, made from the bundled notices.

Every notice is built from real material: paragraphs sampled from the bundled
notices and their attachments, titles from real title patterns, issuers and
topics from the bundled ones plus a few dozen invented district bureaus so the
index pages have a realistic spread.  Numbers are unique per prefix and year.
About 5% are 依申请公开 and 2% 不予公开.  The same seed gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazette.addresses import notice_slug  # noqa: E402
from gazette.corpus import load_corpus  # noqa: E402
from gazette.docnumber import DocNumber  # noqa: E402

PREFIXES = ["三府", "三府办", "三府函", "三民字", "三人社发", "三财", "三教", "三卫健", "三住建", "三农"]
SUBJECTS = ["自来水价格", "历史建筑保护", "脱贫攻坚", "科学素质", "规划编制", "非法集资", "低收入群体帮扶",
            "就业创业", "救助管理", "留守儿童关爱", "停车收费", "公交线路", "危房改造", "饮水安全"]
FORMS = ["{issuer}关于{subject}工作的通知", "{issuer}关于印发《三亚市{subject}实施方案》的通知",
         "{issuer}关于调整{subject}领导小组成员的通知", "{issuer}关于进一步加强{subject}的意见"]


def _paragraphs() -> list[str]:
    corpus = load_corpus(ROOT / "notices", root=ROOT)
    paras = []
    for n in corpus.notices:
        texts = [n.body] + [a.text for a in n.attachments if a.text]
        for text in texts:
            paras += [p for p in text.split("\n\n") if len(p) > 30 and not p.startswith(("#", "|"))]
    return paras, corpus


def make_corpus(target: Path, count: int, seed: int = 2020) -> Path:
    """Write `count` notices under target/notices; return that folder."""
    rng = random.Random(seed)
    paras, corpus = _paragraphs()
    issuers = sorted({i for n in corpus.notices for i in n.issuers})
    issuers += [f"三亚市{d}区{b}局" for d in ("吉阳", "天涯", "海棠", "崖州") for b in
                ("教育", "民政", "财政", "住建", "农业农村", "卫健", "交通", "水务")]
    topics = sorted({t for n in corpus.notices for t in n.topics}) + ["教育", "交通", "卫生", "住房"]
    notices = target / "notices"
    serials: dict[tuple[str, int], int] = {}
    for _ in range(count):
        year = rng.randint(2015, 2024)
        prefix = rng.choice(PREFIXES)
        serials[(prefix, year)] = serials.get((prefix, year), 0) + rng.randint(1, 3)
        number = DocNumber(prefix, year, serials[(prefix, year)])
        date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        lead = rng.choice(issuers)
        joint = [lead] + ([rng.choice(issuers)] if rng.random() < 0.1 else [])
        joint = list(dict.fromkeys(joint))
        roll = rng.random()
        disclosure = "不予公开" if roll < 0.02 else "依申请公开" if roll < 0.07 else "主动公开"
        title = rng.choice(FORMS).format(issuer="、".join(joint), subject=rng.choice(SUBJECTS))
        body = "\n\n".join(rng.sample(paras, rng.randint(3, 12)))
        folder = notices / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        fm = [
            "---",
            f"title: {title}",
            f"doc_number: {number}",
            f"issuers: [{', '.join(joint)}]",
            f"date: {date.isoformat()}",
            f"disclosure: {disclosure}",
            f"topics: [{rng.choice(topics)}]",
            "---",
            "",
        ]
        (folder / f"{notice_slug(number)}.md").write_text("\n".join(fm) + body + "\n", encoding="utf-8")
    return notices


if __name__ == "__main__":
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(make_corpus(out, count))
