"""A synthetic corpus for benchmarks, shaped like the bundled notices.

    .venv/bin/python benchmarks/synthetic.py DIR [N] [--git] [--seed S]

make_corpus(target, count) writes `count` notices under target/notices (the
final text, no git) and returns that folder; make_repository(target, count,
seed) writes the same corpus inside a fresh git repository at target: the
notices committed month by month as they were published (author and
committer dates those of the month, China time), then one more commit that
corrects a tenth of them the way NOTICE-FORMAT.md describes a correction (the
wrong character fixed in the text or an attachment, and an `errata` entry).
The same seed gives the same corpus, byte for byte.

The shape follows the bundled notices (measured with shape() below):

* text length (body plus .md attachments) long-tailed like theirs: median
  about 1,000 characters, mean about 3,400, the longest about 18,000;
* 64 % with attachments in the notice's own folder (mostly .md, a few PDF,
  some 附件略), 18 % with Markdown tables, headings and numbered lists in long
  texts, member lists of leading groups;
* every field the format has: recipients (almost all), cc, published,
  index_no, effective, contact, printed_by/on, category, validity, and
  supersedes / repealed_by between numbers of the corpus (a few per cent,
  always a later notice replacing an earlier one, so never a cycle; a few
  cite numbers from before the corpus, which `check` warns about, W105);
* issuers dominated by the city government (about 40 %) and its office
  (about 25 %), the rest spread over bureaus and districts unevenly, 6 %
  jointly issued; disclosure 93 % 主动公开, 5 % 依申请公开, 2 % 不予公开;
* text: sentences of the bundled notices and of the plain-text gazette in
  /work/shared/corpus (when present), with their numbers and dates varied,
  mixed with template sentences naming people, villages, companies, roads and
  projects drawn from a Pitman-Yor process, so the vocabulary keeps growing
  with the corpus (about as the square root of its size) instead of
  stopping at the few thousand words of the sources; notices cite earlier
  notices of the corpus by number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import random
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazette.addresses import notice_slug, unnumbered_slug  # noqa: E402
from gazette.docnumber import DocNumber  # noqa: E402

SHARED = Path("/work/shared/corpus")
CHINA = dt.timezone(dt.timedelta(hours=8))
LAST_YEAR = 2024

# --- issuers -------------------------------------------------------------------

CITY = "三亚市人民政府"
OFFICE = "三亚市人民政府办公室"
# (issuer, prefixes, relative weight among the rest)
DEPARTMENTS = [
    ("三亚市民政局", ["三民字", "三民发"], 9), ("三亚市人力资源和社会保障局", ["三人社发"], 8),
    ("三亚市财政局", ["三财"], 8), ("三亚市教育局", ["三教"], 7), ("三亚市卫生健康委员会", ["三卫健"], 7),
    ("三亚市住房和城乡建设局", ["三住建"], 6), ("三亚市农业农村局", ["三农"], 6),
    ("三亚市发展和改革委员会", ["三发改"], 6), ("三亚市自然资源和规划局", ["三自然资规"], 6),
    ("三亚市交通运输局", ["三交运"], 4), ("三亚市水务局", ["三水务"], 4),
    ("三亚市旅游和文化广电体育局", ["三旅文"], 4), ("三亚市商务局", ["三商务"], 3),
    ("三亚市市场监督管理局", ["三市监"], 4), ("三亚市生态环境局", ["三生态环"], 3),
    ("三亚市应急管理局", ["三应急"], 3), ("三亚市公安局", ["三公"], 2), ("三亚市司法局", ["三司"], 2),
    ("三亚市统计局", ["三统"], 1), ("三亚市医疗保障局", ["三医保"], 2),
    ("三亚市退役军人事务局", ["三退役"], 1), ("三亚市林业局", ["三林"], 1),
    ("三亚市科技工业信息化局", ["三科工信"], 2), ("三亚市审计局", ["三审"], 1),
    ("三亚市综合行政执法局", ["三综执"], 2), ("三亚市扶贫开发领导小组", ["三扶发"], 2),
    ("三亚市金融发展局", ["三金融"], 1), ("三亚市民族宗教事务局", ["三民宗"], 1),
    ("三亚市吉阳区人民政府", ["吉府"], 3), ("三亚市天涯区人民政府", ["天府"], 3),
    ("三亚市海棠区人民政府", ["海府"], 2), ("三亚市崖州区人民政府", ["崖府"], 2),
    ("三亚市育才生态区管理委员会", ["育管"], 1),
]
ISSUER_SHARE = {CITY: 0.40, OFFICE: 0.25}
PREFIXES = {CITY: ["三府", "三府", "三府", "三府函"], OFFICE: ["三府办", "三府办", "三府办", "三府办函"],
            **{name: prefixes for name, prefixes, _ in DEPARTMENTS}}

TOPICS = ["城乡建设", "文化", "民政", "科技", "国民经济管理", "金融", "扶贫", "农业", "劳动就业", "教育",
          "交通", "卫生", "住房", "财政", "环境保护", "旅游", "公安", "安全生产", "市场监管", "自然资源",
          "水利", "体育", "商贸", "人事", "统计", "司法"]
RECIPIENTS = [
    "各区人民政府，各管委会，市政府直属各单位", "各区人民政府，育才生态区管委会，市各有关单位",
    "各区人民政府，育才生态区管委会，市政府直属各单位", "各区民政局，育才生态区管委会民政局",
    "市扶贫开发领导小组各成员单位，各相关单位", "各区教育局，各中小学校", "各有关单位",
    "市直各有关单位", "各区卫生健康委员会，市直各医疗卫生单位", "各区住房和城乡建设局，各有关企业",
    "各区人民政府，各管委会，市直各有关单位", "各乡镇人民政府，各村（居）委会",
]
CC = ["市委办公室，市人大常委会办公室，市政协办公室", "省政府办公厅", "市纪委监委，市中级人民法院，市人民检察院",
      "市委各部门，市人大常委会办公室，市政协办公室，市中级人民法院，市人民检察院"]
CLERKS = ["王丽", "陈海燕", "符小明", "林晓", "吉文婷", "黎少华", "邢美玲", "周俊杰"]

# --- names that keep coming (Pitman-Yor: the vocabulary grows like a real one) ---

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦符邢吉羊麦蒙云黎"
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志海波宁春雪梅"
         "琳文博晓东俊峰浩宇欣怡子涵雨轩思远嘉豪婷婷少华家乐永福德清玉兰亮锐蔚兴倩颖斌")
PLACE = ("南山东岭西岛北坡红沙抱坡羊栏凤凰荔枝沟田独大茅立才林旺海罗港门乐东槟榔吉阳天涯崖城梅山保平"
         "水南塔岭高峰龙江六盘育才那受雅亮椰林鹿回头红土坎新村白鹭月川榆林金鸡岭三更半山竹林")
TRADES = ["旅游开发", "建设工程", "物业服务", "农业科技", "水务", "环境工程", "交通运输", "医药", "热带农业",
          "文化传媒", "酒店管理", "园林绿化", "供电", "信息技术", "海洋渔业"]
FACILITIES = ["污水管网改造工程", "安置房项目", "村道硬化工程", "农贸市场改造项目", "公共停车场项目", "供水管网延伸工程",
              "卫生院迁建项目", "幼儿园建设项目", "防洪排涝工程", "人行天桥项目", "污水处理厂扩建工程", "文化室建设项目",
              "垃圾转运站项目", "充电桩建设项目", "海岸带修复工程", "学校运动场改造项目"]
ROLES = ["市政府副市长", "市政府副秘书长", "市民政局局长", "市财政局副局长", "市发展改革委副主任", "市教育局副局长",
         "市卫生健康委副主任", "市住房和城乡建设局副局长", "市农业农村局副局长", "市自然资源和规划局副局长",
         "市交通运输局副局长", "市公安局副局长", "市司法局副局长", "吉阳区政府副区长", "天涯区政府副区长",
         "海棠区政府副区长", "崖州区政府副区长", "育才生态区管委会副主任", "市人力资源和社会保障局副局长",
         "市市场监督管理局副局长", "市生态环境局副局长", "市应急管理局副局长", "市科协主席", "市总工会副主席"]


class _PitmanYor:
    """Draws names: a new one with probability (theta + d·K)/(n + theta), else one
    already drawn, as often as it was drawn.  K grows like n^d (Heaps' law)."""

    def __init__(self, rng: random.Random, make, d: float = 0.55, theta: float = 5.0):
        self.rng, self.make, self.d, self.theta = rng, make, d, theta
        self.draws: list[str] = []
        self.names: list[str] = []

    def __call__(self) -> str:
        n, k = len(self.draws), len(self.names)
        if n == 0 or self.rng.random() < (self.theta + self.d * k) / (n + self.theta):
            name = self.make(self.rng)
            self.names.append(name)
        else:
            name = self.rng.choice(self.draws)
        self.draws.append(name)
        return name


def _person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))


def _place(rng):
    return rng.choice(PLACE) + rng.choice(PLACE)


def _company(rng):
    return f"三亚{_place(rng)}{rng.choice(TRADES)}有限公司"


def _project(rng):
    return f"{_place(rng)}{rng.choice(('片区', '村', '社区', '路', ''))}{rng.choice(FACILITIES)}"


# --- source text ---------------------------------------------------------------

_ASCII_PUNCT = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"})
_MARKER = re.compile(r"^(?:#+\s*)?(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]\s*|\d+[.、．]\s*|——)")
_SENTENCE = re.compile(r"[^。；！？]+[。；！？]")


@dataclass
class _Material:
    sentences: list[str]
    headings: list[str]
    table_rows: list[list[str]]


_MATERIAL: _Material | None = None


def _source_paragraphs() -> list[str]:
    paras = []
    for path in sorted((ROOT / "notices").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        paras += [p.strip() for p in text.split("\n\n") if p.strip()]
    if SHARED.is_dir():
        for path in sorted(SHARED.glob("*.txt")):
            lines = path.read_text(encoding="utf-8").splitlines()
            paras += [ln.strip() for ln in lines if ln.strip() and "\t" not in ln]
    return paras


def _material() -> _Material:
    global _MATERIAL
    if _MATERIAL is not None:
        return _MATERIAL
    sentences, headings, rows = set(), set(), []
    for p in _source_paragraphs():
        if p.startswith("|"):
            rows += [[c.strip() for c in ln.strip("|").split("|")] for ln in p.splitlines()[2:]]
            continue
        p = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", p.translate(_ASCII_PUNCT))
        if p.startswith("#"):
            h = _MARKER.sub("", p).strip()
            if 2 <= len(h) <= 40:
                headings.add(h)
            continue
        if any(bad in p for bad in ("<", ">", "](", "*", "`", "此件", "附件：", "[")):
            continue
        text = _MARKER.sub("", p)
        for s in _SENTENCE.findall(text):
            s = s.strip()
            if 10 <= len(s) <= 240:
                sentences.add(s)
    headings |= {"总体要求", "工作目标", "主要任务", "保障措施", "职责分工", "实施步骤", "工作要求", "适用范围",
                 "申请条件", "办理程序", "资金管理", "监督检查", "附则", "组织领导", "宣传引导", "考核评估"}
    _MATERIAL = _Material(sorted(sentences), sorted(headings), rows)
    return _MATERIAL


CN_NUM = "一二三四五六七八九十"


def _cn(i: int) -> str:
    if i <= 10:
        return CN_NUM[i - 1]
    return ("十" if i < 20 else CN_NUM[i // 10 - 1] + "十") + (CN_NUM[i % 10 - 1] if i % 10 else "")


# --- the notices -----------------------------------------------------------------


@dataclass
class _Notice:
    index: int
    date: dt.date
    issuers: list[str]
    prefix: str | None
    title: str = ""
    number: DocNumber | None = None
    slug: str = ""
    subject: str = ""
    disclosure: str = "主动公开"
    fields: dict = field(default_factory=dict)      # front-matter keys after the required ones
    body: str = ""
    attachments: list = field(default_factory=list)  # (title, name or None, content bytes or None)
    correction: tuple | None = None                  # (where, wrong text, right text, note)

    @property
    def published(self) -> dt.date:
        return self.fields.get("published") or self.date


class _Writer:
    def __init__(self, rng: random.Random, count: int):
        self.rng = rng
        self.m = _material()
        self.person = _PitmanYor(rng, _person, d=0.6, theta=20)
        self.place = _PitmanYor(rng, _place, d=0.5, theta=10)
        self.company = _PitmanYor(rng, _company, d=0.6, theta=10)
        self.project = _PitmanYor(rng, _project, d=0.6, theta=10)
        self.published: list[_Notice] = []   # earlier notices, to cite

    # numbers, dates and names inside a sentence
    def vary(self, s: str, year: int) -> str:
        rng = self.rng

        def date(m):
            return f"{rng.randint(year - 2, year)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"

        def number(m):
            text = m.group(0)
            if rng.random() < 0.4:
                return text
            if len(text) == 4 and text[:2] in ("19", "20"):
                return str(rng.randint(year - 4, year + 1))
            if "." in text:
                whole, frac = text.split(".", 1)
                return f"{rng.randint(0, 10 ** len(whole) - 1)}.{rng.randint(0, 10 ** len(frac) - 1):0{len(frac)}d}"
            return str(rng.randint(10 ** (len(text) - 1) if len(text) > 1 else 1, 10 ** len(text) - 1))

        s = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日", date, s)
        s = re.sub(r"\d+(?:\.\d+)?", number, s)
        if rng.random() < 0.15:
            s = s.replace("三亚市", f"三亚市{rng.choice(('吉阳区', '天涯区', '海棠区', '崖州区'))}", 1)
        return s

    def templated(self, year: int) -> str:
        rng, p = self.rng, self.place
        day = f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        n, m = rng.randint(3, 400), rng.randint(10, 2000)
        choices = [
            lambda: f"{p()}村委会要在{day}前完成辖区{n}户农户的摸底登记工作，{self.person()}同志负责汇总上报。",
            lambda: f"经核查，{p()}村{self.person()}等{n}户{m}人符合条件，予以纳入保障范围，按月发放补助。",
            lambda: f"{self.company()}承建的{self.project()}总投资{m}万元，计划于{day}前竣工验收。",
            lambda: f"请各单位于{day}前将有关材料报送市{rng.choice(('民政局', '财政局', '教育局', '发展改革委'))}，"
                    f"联系人：{self.person()}，联系电话：8827{rng.randint(1000, 9999)}。",
            lambda: f"{p()}路（{p()}路至{p()}路段）实施{rng.choice(('管线迁改', '路面修复', '雨污分流'))}期间，"
                    f"途经车辆请按交通标志绕行。",
            lambda: f"{p()}社区新增{rng.choice(('便民服务点', '日间照料中心', '健身场地', '充电设施'))}{n}处，服务居民{m}人次。",
            lambda: f"对{p()}、{p()}等{n}个村（居）开展专项检查，发现问题{m}项，已整改到位。",
            lambda: f"{self.project()}由{self.company()}负责实施，{self.person()}为项目负责人。",
        ]
        if self.published and rng.random() < 0.3:
            old = self.published[rng.randrange(max(0, len(self.published) - 2000), len(self.published))]
            if old.number is not None and old.disclosure == "主动公开":
                return f"按照《{old.title}》（{old.number}）要求，{self.vary(rng.choice(self.m.sentences), year)}"
        return rng.choice(choices)()

    def sentence(self, year: int) -> str:
        if self.rng.random() < 0.3:
            return self.templated(year)
        return self.vary(self.rng.choice(self.m.sentences), year)

    def paragraph(self, year: int) -> str:
        return "".join(self.sentence(year) for _ in range(self.rng.choice((1, 2, 2, 3, 3, 4, 5))))

    def members(self, year: int) -> list[str]:
        rng = self.rng
        roles = rng.sample(ROLES, min(len(ROLES), rng.randint(6, 22)))
        lines = [f"组 长：{self.person()} {roles[0]}", f"副组长：{self.person()} {roles[1]}"]
        lines += [("成 员：" if i == 0 else "") + f"{self.person()} {r}" for i, r in enumerate(roles[2:])]
        lines.append(f"领导小组办公室设在{roles[2][:roles[2].find('局') + 1] or '市政府办公室'}，"
                     f"办公室主任由{self.person()}同志兼任。")
        return lines

    def table(self, year: int) -> str:
        rng = self.rng
        kind = rng.randrange(4)
        rows = rng.randint(3, 30)
        if kind == 0:
            head = ["序号", "项目名称", "建设单位", "总投资（万元）", "完成时限"]
            body = [[str(i), self.project(), self.company(), str(rng.randint(50, 90000)),
                     f"{year}年{rng.randint(1, 12)}月"] for i in range(1, rows + 1)]
        elif kind == 1:
            head = ["序号", "姓名", "所在村（社区）", "类别", "补助金额（元）"]
            body = [[str(i), self.person(), f"{self.place()}村", rng.choice(("低保户", "特困户", "边缘户", "脱贫户")),
                     str(rng.randint(3, 60) * 100)] for i in range(1, rows + 1)]
        elif kind == 2:
            head = ["责任单位", "工作任务", "完成时限"]
            body = [[f"市{rng.choice(('民政局', '财政局', '教育局', '卫健委', '住建局', '农业农村局'))}",
                     self.vary(rng.choice(self.m.sentences), year).rstrip("。；"), f"{year}年{rng.randint(1, 12)}月底前"]
                    for _ in range(rows)]
        else:
            source = self.m.table_rows or [["类别", "1.00", "说明"]]
            head = ["类别", "标准（元）", "适用范围"]
            body = [[self.vary(c, year) for c in rng.choice(source)[:3]] for _ in range(min(rows, 8))]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "／") for c in row) + " |" for row in body]
        return "\n".join(lines)

    def document(self, target: int, year: int, table: bool, members: bool = False) -> str:
        """A structured text of about target characters: sections once it is long."""
        rng = self.rng
        blocks: list[str] = []
        size = 0
        if members:
            blocks += self.members(year)
            size += sum(len(b) for b in blocks)
        if table:
            blocks.append(self.table(year))
            size += len(blocks[-1])
        if target < 1500:
            while size < target:
                blocks.append(self.paragraph(year))
                size += len(blocks[-1])
            if len(blocks) > 2 and rng.random() < 0.3:
                blocks = [f"{i}.{b}" for i, b in enumerate(blocks, 1)]
            if table and not members:
                rng.shuffle(blocks)
            return "\n\n".join(blocks)
        sections = max(2, min(12, target // 1200))
        per = (target - size) // sections
        out = blocks[:]
        for i in range(1, sections + 1):
            out.append(f"## {_cn(i)}、{rng.choice(self.m.headings)}")
            subs = rng.choice((0, 0, 2, 3, 4)) if per > 900 else 0
            done = 0
            for j in range(subs + 1):
                if j:
                    out.append(f"### （{_cn(j)}）{rng.choice(self.m.headings)}")
                goal = per * j // subs if j < subs else per
                while done < goal:
                    paragraph = self.paragraph(year)
                    if done + len(paragraph) > goal + 100 and not out[-1].startswith("#"):
                        break
                    out.append(paragraph)
                    done += len(paragraph)
        return "\n\n".join(out)


# title forms: (title after 关于, subject, what the attachment is called, kind)
def _title(w: _Writer, year: int, topic: str) -> tuple[str, str | None, str]:
    rng = w.rng
    thing = rng.choice(["全民科学素质", "历史建筑保护", "脱贫攻坚", "规划编制", "打击和处置非法集资", "农村低收入群体帮扶",
                        "就业创业", "流浪乞讨人员救助管理", "留守儿童关爱保护", "停车收费管理", "城乡环境整治",
                        "危房改造", "农村饮水安全", "食品安全", "安全生产", "森林防火", "防汛防风", "征地拆迁",
                        "营商环境", "政务公开", "垃圾分类", "老旧小区改造", "医疗保障", "义务教育", "公共文化服务",
                        "海岸带保护", "旅游市场整治", "人才引进", "农业保险", "禁毒", "消防安全", "疫情防控"])
    forms = [
        (f"印发《三亚市{thing}实施方案》的通知", f"三亚市{thing}实施方案", "plan"),
        (f"印发《三亚市{year}年{thing}工作要点》的通知", f"三亚市{year}年{thing}工作要点", "plan"),
        (f"印发《三亚市{thing}管理办法》的通知", f"三亚市{thing}管理办法", "plan"),
        (f"调整三亚市{thing}工作领导小组成员的通知", None, "members"),
        (f"成立三亚市{thing}工作领导小组的通知", None, "members"),
        (f"做好{year}年{thing}工作的通知", None, "plain"),
        (f"进一步加强{thing}工作的意见", None, "plain"),
        (f"公布{year}年度{thing}名单的通知", f"{year}年度三亚市{thing}名单", "list"),
        (f"{w.project()}建设用地的批复", None, "plain"),
        (f"同意{w.company()}{rng.choice(('变更经营范围', '开展试点', '参与项目建设'))}的批复", None, "plain"),
        (f"{w.place()}村{thing}情况的通报", None, "plain"),
        (f"表彰{year}年度{thing}先进集体和先进个人的决定", f"{year}年度{thing}先进集体和先进个人名单", "list"),
        (f"开展{thing}专项检查的通知", f"{thing}专项检查工作方案", "plan"),
    ]
    return rng.choice(forms)


def _scalar(text: str) -> str:
    """A YAML scalar: plain as clerks type it where that is safe, else double-quoted."""
    if re.search(r"[:#\[\]{},&*!|>'\"%@`]|^[-?\s]|\s$", text) or text.isdigit():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _flow(items) -> str:
    return "[" + ", ".join(_scalar(str(i)) for i in items) + "]"


class _Corpus:
    """The whole corpus in memory, in the order it was issued."""

    def __init__(self, count: int, seed: int):
        self.rng = rng = random.Random(seed)
        self.writer = w = _Writer(rng, count)
        years = max(2, min(25, round(count / 500)))
        self.first_year = LAST_YEAR - years + 1
        first = dt.date(self.first_year, 1, 1)
        days = (dt.date(LAST_YEAR, 12, 31) - first).days
        rest = [(name, weight) for name, _, weight in DEPARTMENTS]
        rest_total = sum(wt for _, wt in rest)
        notices = []
        for i in range(count):
            date = first + dt.timedelta(days=rng.randint(0, days))
            while date.weekday() >= 5 and rng.random() < 0.9:
                date -= dt.timedelta(days=1)
            date = max(date, first)
            roll = rng.random()
            if roll < ISSUER_SHARE[CITY]:
                lead = CITY
            elif roll < ISSUER_SHARE[CITY] + ISSUER_SHARE[OFFICE]:
                lead = OFFICE
            else:
                lead = rng.choices([n for n, _ in rest], [wt / rest_total for _, wt in rest])[0]
            issuers = [lead]
            if rng.random() < 0.06:
                others = [n for n, _ in rest if n != lead]
                issuers += rng.sample(others, rng.choice((1, 1, 2, 3, 5)))
            prefix = None if rng.random() < 0.05 else rng.choice(PREFIXES[lead])
            notices.append(_Notice(i, date, issuers, prefix))
        notices.sort(key=lambda n: (n.date, n.index))
        self.notices = notices
        self._numbers()
        self._index_codes = {name: f"{rng.randint(10000000, 99999999)}-{rng.randint(0, 9)}"
                             for name in [CITY, OFFICE] + [n for n, _, _ in DEPARTMENTS]}
        self._index_serials: Counter = Counter()
        for n in notices:
            self._fill(n)
            w.published.append(n)
        self._relations()
        self._corrections()

    def _numbers(self) -> None:
        rng = self.rng
        serial: Counter = Counter()
        slugs: set[str] = set()
        for n in self.notices:
            if n.prefix:
                key = (n.prefix, n.date.year)
                serial[key] += rng.choice((1, 1, 1, 2, 3))
                n.number = DocNumber(n.prefix, n.date.year, serial[key])
            n.slug = "x"   # set in _fill once the title is known
        self._slugs = slugs

    def _fill(self, n: _Notice) -> None:
        rng, w = self.rng, self.writer
        year = n.date.year
        roll = rng.random()
        n.disclosure = "不予公开" if roll < 0.02 else "依申请公开" if roll < 0.07 else "主动公开"
        topic = rng.choice(TOPICS)
        lead = n.issuers[0]
        if n.number is None:
            kind = rng.choice(("工作总结", "工作要点", "工作计划"))
            n.title, attachment_title, form = f"{lead}{year}年{kind}", None, "plain"
            if rng.random() < 0.5:
                n.title = f"{lead}{year}年{w.place()}片区{kind}"
        else:
            after, attachment_title, form = _title(w, year, topic)
            joint = " ".join(n.issuers) if len(n.issuers) > 1 and rng.random() < 0.5 else None
            n.title = f"{joint or lead}关于{after}" if rng.random() > 0.08 else f"关于{after}"
        n.slug = notice_slug(n.number) if n.number else unnumbered_slug(lead, n.date, n.title)
        base, k = n.slug, 2
        while n.slug in self._slugs:
            n.slug, k = f"{base}-{k}", k + 1
        self._slugs.add(n.slug)

        f = n.fields
        if rng.random() < 0.3:
            f["published"] = n.date + dt.timedelta(days=rng.randint(0, 12))
        if rng.random() < 0.7:
            code = self._index_codes[lead]
            self._index_serials[(code, year)] += rng.randint(1, 40)
            f["index_no"] = f"{code}/{year}-{self._index_serials[(code, year)]:05d}"
        if rng.random() < 0.95:
            f["topics"] = [topic] + ([rng.choice([t for t in TOPICS if t != topic])] if rng.random() < 0.25 else [])
        if rng.random() < 0.9:
            f["recipients"] = rng.choice(RECIPIENTS)
        if rng.random() < 0.12:
            f["cc"] = rng.choice(CC)
        if year < LAST_YEAR - 3 and rng.random() < 0.06:
            f["validity"] = "失效"
        if rng.random() < 0.25:
            f["effective"] = n.date + dt.timedelta(days=rng.randint(0, 60))
        if rng.random() < 0.12:
            f["contact"] = {"name": w.person(), "phone": f"0898-8827{rng.randint(1000, 9999)}"}
        if rng.random() < 0.15:
            f["printed_by"] = f"{lead}办公室" if not lead.endswith("办公室") else lead
            f["printed_on"] = n.date + dt.timedelta(days=rng.randint(0, 5))
        if lead == CITY and rng.random() < 0.04:
            f["category"] = "规章"
        elif rng.random() < 0.12:
            f["category"] = "规范性文件"
        elif rng.random() < 0.05:
            f["category"] = "其他文件"

        # Length: body plus .md attachments, long-tailed like the bundled notices.
        has_attachment = rng.random() < 0.64
        table = rng.random() < 0.2
        members = form == "members"
        if has_attachment and form == "plain":
            attachment_title = rng.choice([f"{n.title[-20:].lstrip('关于')}相关材料", "申请表", "任务分解表",
                                           "有关情况统计表", f"{w.place()}片区项目清单"])
        if not has_attachment:
            total = self._length(480, 0.8, 12000)
            n.body = self._opening(n, year) + w.document(total, year, table, members) + self._closing(n)
            return
        omitted = rng.random() < 0.28
        attachments = []
        if omitted:
            body_len = self._length(450, 0.8, 4000)
            n.body = self._opening(n, year) + w.document(body_len, year, table, members) + \
                "\n\n（附件详见三亚市人民政府门户网站。）" + self._closing(n)
            n.attachments = [(attachment_title or "附件", None, None)]
            return
        # Half of them short, half long: a cover letter and a plan.
        total = self._length(1100, 0.7, 4000) if rng.random() < 0.5 else rng.randint(4500, 17500)
        body_len = min(int(self._length(260, 0.9, 2000)), total // 3)
        parts = rng.choice((1, 1, 1, 1, 2, 3))
        n.body = self._cover(n, attachment_title, year) + (
            "\n\n" + w.document(body_len, year, False) if body_len > 400 else "") + self._closing(n)
        for k in range(1, parts + 1):
            title = attachment_title if k == 1 else rng.choice(["任务分解表", "申请表", "联系人名单", "项目清单", "评分细则"])
            title = title or "附件"
            if rng.random() < 0.04:
                name = f"attachment-{k}.pdf"
                attachments.append((title, name, self._pdf(rng.randint(2000, 9000))))
                continue
            size = (total - len(n.body)) // parts
            text = w.document(max(size, 200), year, table and k == 1, members and k == 1)
            attachments.append((title, f"attachment-{k}.md", (text + "\n").encode()))
        n.attachments = attachments

    def _length(self, median: float, sigma: float, cap: int) -> int:
        while True:
            x = self.rng.lognormvariate(math.log(median), sigma)
            if 150 <= x <= cap:
                return int(x)

    def _pdf(self, size: int) -> bytes:
        head = b"%PDF-1.4\n% synthetic attachment\n"
        return head + bytes(self.rng.getrandbits(8) for _ in range(size)) + b"\n%%EOF\n"

    def _opening(self, n: _Notice, year: int) -> str:
        w = self.writer
        lead = w.templated(year) if w.rng.random() < 0.5 else w.sentence(year)
        return lead.rstrip("。；") + "，现就有关事项通知如下：\n\n"

    def _cover(self, n: _Notice, title: str | None, year: int) -> str:
        w = self.writer
        what = f"《{title}》" if title else "有关材料"
        return w.rng.choice([f"{what}已经市政府同意，现印发给你们，请认真贯彻执行。",
                             f"现将{what}印发给你们，请结合实际认真组织实施。",
                             f"{what}已经七届市政府第{w.rng.randint(10, 150)}次常务会议审议通过，现印发给你们，请认真组织实施。",
                             w.sentence(year) + f"现将{what}印发给你们，请遵照执行。"])

    def _closing(self, n: _Notice) -> str:
        eff = n.fields.get("effective")
        if eff and self.rng.random() < 0.8:
            return f"\n\n本通知自{eff.year}年{eff.month}月{eff.day}日起施行。"
        return ""

    def _relations(self) -> None:
        """supersedes and repeals: a later notice replaces or repeals an earlier one, never a cycle."""
        rng = self.rng
        numbered = [n for n in self.notices if n.number]
        by_issuer: dict[str, list[_Notice]] = {}
        repealed: set[int] = set()
        for pos, n in enumerate(numbered):
            earlier = by_issuer.setdefault(n.issuers[0], [])
            if earlier and rng.random() < 0.04:
                targets = []
                for _ in range(rng.choice((1, 1, 1, 2))):
                    old = rng.choice(earlier[-300:])
                    if old.date < n.date and old.number not in targets:
                        targets.append(old.number)
                if rng.random() < 0.2:   # a number from before the corpus (W105)
                    targets.append(DocNumber(n.prefix, self.first_year - rng.randint(1, 8), rng.randint(1, 300)))
                if targets:
                    n.fields["supersedes"] = targets
                    n.body += f"\n\n{'、'.join(map(str, targets))}与本通知不一致的，以本通知为准。"
            elif earlier and rng.random() < 0.015:
                old = rng.choice(earlier[-300:])
                if old.date < n.date and old.index not in repealed and "validity" not in old.fields:
                    repealed.add(old.index)
                    old.fields["validity"] = "废止"
                    old.fields["repealed_by"] = n.number
                    if rng.random() < 0.7:
                        old.fields["repealed_on"] = n.fields.get("effective") or n.date
                    named = f"《{old.title}》（{old.number}）" if old.disclosure == "主动公开" else str(old.number)
                    n.body += f"\n\n{named}同时废止。"
            earlier.append(n)

    def _corrections(self) -> None:
        """A tenth of the notices get a wrong character in their first version."""
        rng = self.rng
        wanted = max(1, len(self.notices) // 10)
        chosen = rng.sample(self.notices, len(self.notices))
        wrong = {"的": "得", "在": "再", "做": "作", "已": "以", "制": "治", "部": "布", "和": " and ", "工": "功"}
        for n in chosen:
            if wanted == 0:
                break
            places = [("正文", None, n.body)]
            places += [("附件", i, a[2].decode()) for i, a in enumerate(n.attachments) if a[1] and a[1].endswith(".md")]
            where, which, text = places[-1] if len(places) > 1 and rng.random() < 0.3 else places[0]
            paras = text.split("\n\n")
            candidates = [(k, p) for k, p in enumerate(paras)
                          if not p.startswith(("#", "|")) and any(c in p for c in wrong)]
            if not candidates:
                continue
            k, p = rng.choice(candidates)
            c = rng.choice(sorted({c for c in wrong if c in p}))
            at = [m.start() for m in re.finditer(re.escape(c), p)]
            pos = rng.choice(at)
            context = p[max(0, pos - 6):pos + 7].replace("\n", "")
            bad_para = p[:pos] + wrong[c] + p[pos + 1:]
            bad_text = "\n\n".join(paras[:k] + [bad_para] + paras[k + 1:])
            how = "英文单词" if wrong[c].strip() == "and" else f"“{wrong[c]}”"
            note = f"{where}第{k + 1}段“{context}”中的“{c}”字原误录为{how}，已按印发文本更正。"
            n.correction = (where, which, bad_text, note)
            wanted -= 1

    # --- writing -----------------------------------------------------------------

    def files(self, n: _Notice, version: int, errata_date: dt.date | None = None) -> dict[str, bytes]:
        """The notice's files (relative to notices/) in its first (1) or corrected (2) version."""
        year = n.date.year
        body, attachments = n.body, list(n.attachments)
        if version == 1 and n.correction:
            where, which, bad, _ = n.correction
            if which is None:
                body = bad
            else:
                t, name, _ = attachments[which]
                attachments[which] = (t, name, (bad + ("" if bad.endswith("\n") else "\n")).encode())
        fm = ["---", f"title: {_scalar(n.title)}"]
        if n.number:
            fm.append(f"doc_number: {n.number}")
        fm.append(f"issuers: {_flow(n.issuers)}" if len(n.issuers) < 5 else
                  "issuers:\n" + "\n".join(f"  - {_scalar(i)}" for i in n.issuers))
        fm.append(f"date: {n.date.isoformat()}")
        f = n.fields
        if "published" in f:
            fm.append(f"published: {f['published'].isoformat()}")
        fm.append(f"disclosure: {n.disclosure}")
        for key in ("index_no", "topics", "recipients", "cc", "validity", "effective", "repealed_on",
                    "repealed_by", "supersedes"):
            if key not in f:
                continue
            value = f[key]
            if isinstance(value, list):
                fm.append(f"{key}: {_flow(value)}")
            elif isinstance(value, dt.date):
                fm.append(f"{key}: {value.isoformat()}")
            else:
                fm.append(f"{key}: {_scalar(str(value))}")
        out: dict[str, bytes] = {}
        if attachments:
            fm.append("attachments:")
            for i, (title, name, content) in enumerate(attachments):
                fm.append(f"  - title: {_scalar(title)}")
                if name is None:
                    fm.append("    omitted: true")
                else:
                    fm.append(f"    file: {n.slug}/{name}" if (n.index + i) % 5 else f"    file: {name}")
                    out[f"{year}/{n.slug}/{name}"] = content
        if "contact" in f:
            fm += ["contact:", f"  name: {f['contact']['name']}", f"  phone: \"{f['contact']['phone']}\""]
        if "printed_by" in f:
            fm += [f"printed_by: {_scalar(f['printed_by'])}", f"printed_on: {f['printed_on'].isoformat()}"]
        if version == 2 and n.correction:
            fm += ["errata:", f"  - date: {(errata_date or LAST_CORRECTION).isoformat()}",
                   f"    note: {_scalar(n.correction[3])}"]
        if "category" in f:
            fm.append(f"category: {f['category']}")
        fm.append("---")
        out[f"{year}/{n.slug}.md"] = ("\n".join(fm) + "\n\n" + body.strip("\n") + "\n").encode()
        return out


LAST_CORRECTION = dt.date(LAST_YEAR + 1, 3, 16)


def make_corpus(target: Path, count: int, seed: int = 2020) -> Path:
    """Write `count` notices (their corrected versions) under target/notices; return that folder."""
    corpus = _Corpus(count, seed)
    notices = Path(target) / "notices"
    for n in corpus.notices:
        for rel, data in corpus.files(n, 2).items():
            path = notices / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return notices


def _stamp(day: dt.date, rng: random.Random) -> int:
    moment = dt.datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.randint(0, 59), rng.randint(0, 59),
                         tzinfo=CHINA)
    return int(moment.timestamp())


def make_repository(target: Path, count: int, seed: int = 2020) -> Path:
    """The corpus inside a new git repository at target; return target/notices.

    One commit per month of publication, dated a day or two after the last
    notice it publishes, then one commit that corrects a tenth of them (the
    text and an errata entry).  Written with `git fast-import`, then checked out.
    """
    target = Path(target)
    corpus = _Corpus(count, seed)
    rng = random.Random(seed + 1)
    target.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True, env=env)
    for key, value in (("user.name", "三亚市人民政府办公室"), ("user.email", "gazette@sanya.example"),
                       ("core.quotepath", "off"), ("gc.auto", "0")):
        subprocess.run(["git", "-C", str(target), "config", key, value], check=True, env=env)

    batches: dict[tuple[int, int], list[_Notice]] = {}
    for n in corpus.notices:
        p = n.published
        batches.setdefault((p.year, p.month), []).append(n)
    proc = subprocess.Popen(["git", "-C", str(target), "fast-import", "--quiet", "--done"],
                            stdin=subprocess.PIPE, env=env)
    out = proc.stdin
    last = 0

    def commit(when: dt.date, subject: str, files: dict[str, bytes]) -> None:
        nonlocal last
        stamp = max(_stamp(when, rng), last + 60)
        last = stamp
        clerk = rng.choice(CLERKS)
        who = f"{clerk} <{hashlib.md5(clerk.encode()).hexdigest()[:8]}@sanya.example> {stamp} +0800"
        msg = subject.encode()
        out.write(b"commit refs/heads/main\n")
        out.write(f"author {who}\ncommitter {who}\n".encode())
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        for rel, data in sorted(files.items()):
            out.write(b"M 100644 inline notices/" + rel.encode() + b"\n")
            out.write(b"data %d\n" % len(data) + data + b"\n")

    for (year, month), batch in sorted(batches.items()):
        files: dict[str, bytes] = {}
        for n in batch:
            files.update(corpus.files(n, 1))
        when = max(n.published for n in batch) + dt.timedelta(days=rng.randint(0, 2))
        commit(when, f"发布{year}年{month}月的文件", files)
    corrected = [n for n in corpus.notices if n.correction]
    files = {}
    for n in corrected:
        files.update(corpus.files(n, 2, LAST_CORRECTION))
    commit(LAST_CORRECTION, "更正部分文件正文和附件中的误录文字，并在勘误中说明", files)
    out.write(b"done\n")
    out.close()
    if proc.wait():
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "-C", str(target), "reset", "-q", "--hard", "main"], check=True, env=env)
    return target / "notices"


# --- what a corpus looks like ------------------------------------------------------


def shape(notices: Path) -> dict:
    """Figures to compare a corpus with the bundled one (reads it with the engine's loader)."""
    from gazette.corpus import load_corpus

    corpus = load_corpus(notices, root=Path(notices).parent)
    ns = corpus.notices
    lengths = sorted(len(n.body) + sum(len(a.text or "") for a in n.attachments) for n in ns)
    leads = Counter(n.issuers[0] for n in ns)

    def share(pred) -> float:
        return 100 * sum(1 for n in ns if pred(n)) / len(ns)

    table = re.compile(r"^\|.*\|\s*\n\|[-:| ]+\|", re.M)
    return {
        "notices": len(ns),
        "text mean": round(sum(lengths) / len(ns)),
        "text median": lengths[len(lengths) // 2],
        "text max": lengths[-1],
        "attachments %": round(share(lambda n: bool(n.attachments)), 1),
        "tables %": round(share(lambda n: bool(table.search(n.body) or any(table.search(a.text or "") for a in n.attachments))), 1),
        "recipients %": round(share(lambda n: bool(n.recipients)), 1),
        "supersedes %": round(share(lambda n: bool(n.supersedes)), 1),
        "repealed %": round(share(lambda n: n.validity == "废止"), 1),
        "errata %": round(share(lambda n: bool(n.errata)), 1),
        "index_no %": round(share(lambda n: bool(n.index_no)), 1),
        "city government %": round(100 * leads[CITY] / len(ns), 1),
        "its office %": round(100 * leads[OFFICE] / len(ns), 1),
        "主动/依申请/不予 %": "/".join(f"{share(lambda n, d=d: n.disclosure == d):.0f}"
                                  for d in ("主动公开", "依申请公开", "不予公开")),
        "warnings": len(corpus.warnings),
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target")
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--git", action="store_true", help="make a git repository with history (make_repository)")
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    made = (make_repository if args.git else make_corpus)(Path(args.target), args.count, args.seed)
    print(made)
    print(shape(made))
