"""Search: right for Chinese, numbers first, and only public text.

The engine runs in the browser (docs/assets/javascripts/search.js) over the
index gazette/search.py writes; these tests drive it in headless Chromium
from file://, as a citizen's phone would.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from conftest import ROOT, build_into
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from gazette import docnumber, search
from gazette.corpus import load_corpus
from gazette.public import publish

CORPUS = publish(load_corpus(ROOT / "notices", root=ROOT), None)

FIND = """async ([q, filters]) => {
  const r = await __gz.search(q, filters || {});
  const docs = await Promise.all(r.ids.map(id => __gz.load('text/' + id)));
  return {total: r.total, partial: !!r.partial, tolerated: r.tolerated || null, numbers: docs.map(d => d.number), urls: docs.map(d => d.url)};
}"""


def find(engine, query: str, **filters) -> dict:
    return engine.evaluate(FIND, [query, filters])


# --- the same terms on both sides ---------------------------------------------

SAMPLES = [
    "三亚市人民政府关于调整自来水价格分类范畴的通知", "三府〔2020〕124号", "三府２０２０年１２４号",
    "KTV、歌舞厅", "4S店", "每户每月28立方米以上-36立方米", "水", "（一）指导思想", "ＡＢＣ def",
    "“十四五”规划", "2020年9月1日", "政府信息公开", "124号", "三府 2020 124",
]


def test_browser_splits_queries_exactly_as_the_index_does(engine):
    for text in SAMPLES:
        required, boost = search.query_terms(text)
        assert engine.evaluate("t => __gz.tokenize(t)", text) == {"required": required, "boost": boost}, text
        for term in required + boost + ["n:三府〔2020〕124号"]:
            assert engine.evaluate("([t, n]) => __gz.shardOf(t, n)", [term, 97]) == search.shard_of(term, 97)


NUMBERS = [0, 1, 44, 45, 89, 90, 2024, 2025, 44 * 45 + 44, 91124, 10**6, 2**31 - 1]


def test_postings_code_round_trips_in_python_and_in_the_browser(engine):
    text = search.encode_numbers(NUMBERS)
    assert search.decode_numbers(text) == NUMBERS
    assert text.isascii() and '"' not in text and "\\" not in text
    assert engine.evaluate("t => __gz.decode(t)", text) == NUMBERS


@given(st.lists(st.integers(0, 10**7), max_size=50))
def test_postings_code_round_trips_any_numbers(numbers):
    assert search.decode_numbers(search.encode_numbers(numbers)) == numbers


@pytest.mark.parametrize("text", [
    "三府〔2020〕124号", "三府[2020]124号", "三府［2020］124号", "三府(2020)124号", "三府（2020）124号",
    "三府〔2020〕124 号", "三府2020年124号", "三府 2020 124", "三府〔２０２０〕１２４号", "三府〔2020〕0124号",
])
def test_browser_reads_document_numbers_as_python_does(engine, text):
    assert engine.evaluate("t => __gz.parseNumber(t)", text) == docnumber.normalize(text)


# --- relevance over the bundled notices ------------------------------------------

# (query, the notice expected, how high it must rank)
RELEVANCE = [
    # whole and partial words
    ("自来水价格", "三府〔2020〕124号", 1),
    ("自来水", "三府〔2020〕124号", 3),
    ("特种用水", "三府〔2020〕124号", 3),
    ("洗车业", "三府〔2020〕124号", 3),
    ("历史建筑", "三府办〔2020〕118号", 3),
    ("历史建筑名录", "三府办〔2020〕118号", 3),
    ("行业协会商会", "三府办〔2020〕127号", 3),
    ("脱钩", "三府办〔2020〕127号", 3),
    ("全民科学素质", "三府办〔2020〕136号", 3),
    ("十四五规划", "三府办〔2020〕137号", 3),
    ("规划编制", "三府办〔2020〕137号", 3),
    ("非法集资", "三府办〔2020〕140号", 3),
    ("农村低收入群体", "三府办〔2020〕141号", 3),
    ("创业脱贫致富之星", "三人社发〔2020〕162号", 3),
    ("流浪乞讨", "三民字〔2020〕92号", 3),
    ("寻亲", "三民字〔2020〕92号", 3),
    ("留守儿童", "三民字〔2020〕115号", 3),
    ("政策宣讲", "三民字〔2020〕115号", 3),
    ("光伏扶贫", "三扶发〔2020〕4号", 3),
    ("返贫", "三扶发〔2020〕4号", 3),
    # words inside longer words (a dictionary would not split them out)
    ("报告", "三府办〔2020〕137号", 3),          # inside 前期研究报告
    ("集资", "三府办〔2020〕140号", 3),          # inside 非法集资
    ("贴息", "三府办〔2020〕141号", 3),          # inside 贷款贴息
    ("饮水", "三扶发〔2020〕4号", 3),            # inside 饮水安全
    ("乞讨", "三民字〔2020〕92号", 3),           # inside 流浪乞讨人员
    ("收入群体", "三府办〔2020〕141号", 3),      # across 低收入 / 群体
    # issuers
    ("三亚市人民政府", "三府〔2020〕124号", 1),
    ("三亚市人力资源和社会保障局", "三人社发〔2020〕162号", 3),
    ("中共三亚市政法委员会", "三民字〔2020〕92号", 1),
    ("三亚市扶贫开发领导小组", "三扶发〔2020〕4号", 1),
    ("三亚市民政局", "三民字〔2020〕115号", 3),
    # document numbers, typed any way: the notice comes first
    ("三府〔2020〕124号", "三府〔2020〕124号", 1),
    ("三府[2020]124号", "三府〔2020〕124号", 1),
    ("三府2020年124号", "三府〔2020〕124号", 1),
    ("三府 2020 124", "三府〔2020〕124号", 1),
    ("124号", "三府〔2020〕124号", 1),
    ("三府办〔2020〕118号", "三府办〔2020〕118号", 1),
    ("三府办[2020]141号", "三府办〔2020〕141号", 1),
    ("三府办（２０２０）１３６号", "三府办〔2020〕136号", 1),
    ("三人社发(2020)162 号", "三人社发〔2020〕162号", 1),
    ("三民字2020年115号", "三民字〔2020〕115号", 1),
    ("三民字〔2020〕92号", "三民字〔2020〕92号", 1),
    ("三扶发〔2020〕4号", "三扶发〔2020〕4号", 1),
    ("162号", "三人社发〔2020〕162号", 1),
    # mixed Chinese and digits, Latin
    ("4S店", "三府〔2020〕124号", 1),
    ("KTV", "三府〔2020〕124号", 1),
    ("28立方米", "三府〔2020〕124号", 1),
    ("2020年9月1日", "三府〔2020〕124号", 3),
    ("第一批历史建筑", "三府办〔2020〕118号", 1),
    ("21处", "三府办〔2020〕118号", 1),
    # traditional characters fold to simplified (the table is loaded for such queries only)
    ("自來水價格", "三府〔2020〕124号", 1),
    ("脫貧攻堅", "三扶发〔2020〕4号", 3),
    ("歷史建築", "三府办〔2020〕118号", 3),
    ("行業協會商會", "三府办〔2020〕127号", 3),
    ("非法集資", "三府办〔2020〕140号", 3),
    ("三府［２０２０］１２４號", "三府〔2020〕124号", 1),
    # names set with alignment spaces in the text, typed without them
    ("周俊", "三府办〔2020〕127号", 1),
    ("周 俊", "三府办〔2020〕127号", 1),
    # what the page shows around the text: dates as written there, the contact person
    ("2020年3月24日", "三扶发〔2020〕4号", 1),
    ("2020年6月12日", "三民字〔2020〕92号", 1),
    ("林晓", "三扶发〔2020〕4号", 1),
    ("88275370", "三扶发〔2020〕4号", 1),
    # a decimal is one term
    ("6.10元", "三府〔2020〕124号", 1),
    # one character
    ("水", "三府〔2020〕124号", 3),
    ("钩", "三府办〔2020〕127号", 3),
    ("乞", "三民字〔2020〕92号", 3),
    ("星", "三人社发〔2020〕162号", 3),
]


@pytest.mark.parametrize("query,expected,top", RELEVANCE, ids=[r[0] for r in RELEVANCE])
def test_relevance(engine, query, expected, top):
    found = find(engine, query)
    assert expected in found["numbers"][:top], found["numbers"][:5]


def test_the_relevance_suite_is_large_enough():
    assert len(RELEVANCE) >= 65


def test_a_month_brings_that_months_notices_first(engine):
    found = find(engine, "2020年6月")
    assert set(found["numbers"][:2]) == {"三民字〔2020〕92号", "三民字〔2020〕115号"}, found["numbers"][:5]
    found = find(engine, "2020年3月")
    assert found["numbers"][0] == "三扶发〔2020〕4号"


def test_the_traditional_table_is_loaded_only_for_a_traditional_query(bundled_site, page):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto((bundled_site / "search.html").as_uri() + "?q=自来水价格")
    page.locator(".gz-result__title").first.wait_for(timeout=10_000)
    assert not any(u.endswith("t2s.js") for u in requested)
    page.goto((bundled_site / "search.html").as_uri() + "?q=自來水價格")
    page.locator(".gz-result__title").first.wait_for(timeout=10_000)
    assert any(u.endswith("t2s.js") for u in requested)
    assert "自来水价格" in page.locator(".gz-result__title").first.inner_text()


def test_ties_are_broken_newest_first(tmp_path, page):
    """Notices alike but for their date come newest first."""
    for serial, day in [(1, "2018-03-01"), (2, "2020-03-01"), (3, "2019-03-01")]:
        folder = tmp_path / "notices" / day[:4]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"sanfu-{day[:4]}-{serial}.md").write_text(
            f"---\ntitle: 关于同一事项的通知\ndoc_number: 三府〔{day[:4]}〕{serial}号\n"
            f"issuers: [三亚市人民政府]\ndate: {day}\ndisclosure: 主动公开\n---\n\n同样的正文。\n",
            encoding="utf-8",
        )
    site = build_into(tmp_path / "notices", tmp_path / "site")
    results = _open_results(page, site, "同样的正文")
    assert [a.get_attribute("href") for a in results.all()] == [
        "notices/2020/sanfu-2020-2.html", "notices/2019/sanfu-2019-3.html", "notices/2018/sanfu-2018-1.html",
    ]


def test_filters_by_issuer_and_year(engine):
    found = find(engine, "通知", issuer="三亚市民政局")
    assert sorted(found["numbers"]) == ["三民字〔2020〕115号", "三民字〔2020〕92号"]
    assert find(engine, "通知", year="2019")["total"] == 0
    assert find(engine, "通知", year="2020")["total"] == 11


def test_text_that_is_nowhere_finds_nothing(engine):
    assert find(engine, "量子计算机")["total"] == 0


# --- any substring finds its notice -------------------------------------------

TEXTS = [(n.url, search._fields(n)[2]) for n in CORPUS.notices]


@st.composite
def substrings(draw):
    url, text = draw(st.sampled_from(TEXTS))
    size = draw(st.integers(2, 6))
    start = draw(st.integers(0, len(text) - size))
    return url, text[start:start + size]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(substrings())
def test_any_substring_of_a_body_finds_its_notice(engine, case):
    url, piece = case
    if not search.runs(piece):      # punctuation and spaces only: nothing to search
        return
    assert url in find(engine, piece)["urls"], piece


# --- the page, as a person uses it ----------------------------------------------


def _open_results(page, site, query):
    page.goto((site / "search.html").as_uri() + "?q=" + urllib.parse.quote(query))
    page.wait_for_selector("#search-results a")
    return page.locator("#search-results a")


def test_search_page_from_disk_shows_the_water_price_notice_first(bundled_site, page):
    for query in ("自来水价格", "三府[2020]124号"):
        results = _open_results(page, bundled_site, query)
        assert results.first.get_attribute("href") == "notices/2020/sanfu-2020-124.html"
        first = results.first.inner_text()
        assert "三亚市人民政府关于调整自来水价格分类范畴的通知" in first
        assert "三府〔2020〕124号" in first and "2020年7月6日" in first
    assert page.remote_requests == [] and page.errors == []


def test_matched_text_is_highlighted_in_title_and_snippet(bundled_site, page):
    results = _open_results(page, bundled_site, "自来水价格")
    marks = results.first.locator("mark").all_inner_texts()
    assert marks and set(marks) == {"自来水价格"}


def test_typing_in_the_header_box_leads_to_the_notice(bundled_site, page):
    page.goto((bundled_site / "years" / "2020.html").as_uri())
    box = page.locator("header input[name=q]")
    box.fill("流浪乞讨")
    box.press("Enter")
    page.wait_for_selector("#search-results a")
    assert page.locator("#gz-q").input_value() == "流浪乞讨"
    page.locator("#search-results a").first.click()
    expect(page).to_have_url(re.compile(r"/notices/2020/sanminzi-2020-92\.html$"))
    expect(page.locator("h1")).to_have_text(re.compile("^关于印发《三亚市开展生活无着的流浪乞讨人员"))
    assert page.remote_requests == [] and page.errors == []


def test_the_header_box_shows_results_as_you_type_on_any_page(bundled_site, page):
    page.goto((bundled_site / "notices" / "2020" / "sanminzi-2020-92.html").as_uri())
    page.locator("header input[name=q]").type("自来水", delay=30)
    suggestion = page.locator("#gz-suggest a").first
    expect(suggestion).to_have_attribute("href", "../../notices/2020/sanfu-2020-124.html")
    expect(page.locator("#gz-suggest")).to_contain_text("查看全部 1 件结果")
    suggestion.click()
    expect(page).to_have_url(re.compile(r"/notices/2020/sanfu-2020-124\.html$"))
    expect(page.locator("h1")).to_have_text("三亚市人民政府关于调整自来水价格分类范畴的通知")
    assert page.remote_requests == [] and page.errors == []


def test_results_update_as_you_type(bundled_site, page):
    page.goto((bundled_site / "search.html").as_uri())
    page.locator("#gz-q").type("留守儿童", delay=30)
    # Partial queries (留, 留守 …) show their own results on the way.
    page.wait_for_function("() => document.getElementById('gz-status').textContent === '找到 1 件文件'")
    page.wait_for_selector("#search-results a")
    assert page.locator("#search-results a").first.get_attribute("href") == "notices/2020/sanminzi-2020-115.html"
    assert page.locator("#search-results a").count() == 1


def test_non_public_text_is_never_found(basic_site, page):
    page.goto((basic_site / "search.html").as_uri() + "?q=" + urllib.parse.quote("金丝雀"))
    page.wait_for_function("() => document.getElementById('gz-status').textContent.includes('没有')")
    assert page.locator("#search-results a").count() == 0
    # The metadata of a 依申请公开 notice is public, and findable.
    results = _open_results(page, basic_site, "内部核查安排")
    assert results.first.get_attribute("href") == "notices/2020/sanminzi-2020-5.html"


# --- everyday words: the staff's synonym table (synonyms.txt) -------------------

EVERYDAY = [
    ("水费", "三府〔2020〕124号", 1),
    ("自来水收费标准", "三府〔2020〕124号", 1),
    ("乞丐", "三民字〔2020〕92号", 1),
    ("集资诈骗", "三府办〔2020〕140号", 1),
    ("留守孩子", "三民字〔2020〕115号", 1),
    ("人社局", "三人社发〔2020〕162号", 3),     # after 92号 and 4号, which say 人社局 as typed
]


@pytest.mark.parametrize("query,expected,top", EVERYDAY, ids=[q for q, _, _ in EVERYDAY])
def test_everyday_words_find_the_notice_that_says_it_officially(engine, query, expected, top):
    found = find(engine, query)
    assert expected in found["numbers"][:top], found["numbers"][:5]
    assert not found["partial"]


def test_words_as_typed_rank_above_what_the_table_adds(engine):
    """扶贫 ↔ 脱贫: every notice that says 扶贫 itself comes before those found only through 脱贫."""
    texts = engine.evaluate("""async q => {
        const r = await __gz.search(q);
        const docs = await Promise.all(r.ids.map(id => __gz.load('text/' + id)));
        return docs.map(d => d.title + '\\n' + d.issuers + '\\n' + d.text);
    }""", "扶贫")
    says = [("扶贫" in t) for t in texts]
    assert True in says and False in says, says            # both kinds are found
    assert says == sorted(says, reverse=True), says         # as typed first
    assert all("脱贫" in t for t, s in zip(texts, says) if not s)


def test_a_malformed_synonym_line_is_a_problem_with_its_line(tmp_path):
    import shutil
    import subprocess
    import sys

    from conftest import copy_project

    project = copy_project(tmp_path / "p")
    (project / "synonyms.txt").write_text("# 注释\n人社局 人力资源和社会保障局\n水费 >\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(project / "build.py"), "check"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.startswith("synonyms.txt:3: synonyms: expected one word, then >, then the words it also finds")
    shutil.rmtree(project)


# --- a result page that helps -------------------------------------------------------


def _search_page(page, site, query_string):
    page.goto((site / "search.html").as_uri() + query_string)
    page.wait_for_function("() => !document.getElementById('gz-status').textContent.startsWith('正在')")
    page.wait_for_function("() => document.getElementById('gz-status').textContent.length > 0")
    return page.locator("#gz-status").inner_text()


def test_a_number_that_is_not_in_the_library_says_so_and_offers_its_neighbours(bundled_site, page):
    status = _search_page(page, bundled_site, "?q=三府办〔2020〕999号")
    assert status.startswith("没有发文字号为 三府办〔2020〕999号 的文件")
    metas = page.locator(".gz-result__meta").all_inner_texts()
    assert metas and all(m.startswith("三府办〔2020〕") for m in metas)
    assert metas[0].startswith("三府办〔2020〕141号")                   # the nearest serial first


def test_the_matched_number_is_highlighted_and_no_stray_digits(bundled_site, page):
    _search_page(page, bundled_site, "?q=三府〔2020〕124号")
    first = page.locator(".gz-result").first
    assert first.locator(".gz-result__meta mark").inner_text() == "三府〔2020〕124号"
    marks = page.locator(".gz-result__snippet mark, .gz-result__title mark").all_inner_texts()
    assert all(len(m) > 1 for m in marks), marks


def test_no_result_offers_a_way_on(bundled_site, page):
    status = _search_page(page, bundled_site, "?q=火星殖民 月球基地")
    assert status.startswith("没有找到包含“火星殖民 月球基地”的文件")
    assert page.locator("#gz-status a", has_text="按发文机关").count() == 1
    assert page.locator("#gz-status a", has_text="火星殖民").count() == 1       # drop a word


def test_a_filter_alone_lists_the_notices(bundled_site, page):
    status = _search_page(page, bundled_site, "?year=2020&issuer=" + "三亚市民政局")
    assert status.startswith("共 2 件文件")
    assert sorted(m.split(" · ")[0] for m in page.locator(".gz-result__meta").all_inner_texts()) == [
        "三民字〔2020〕115号", "三民字〔2020〕92号"]


def test_a_link_with_words_and_a_filter_keeps_the_filter(bundled_site, page):
    # Words alone start before meta.js arrives; with a filter the page waits for its lists.
    status = _search_page(page, bundled_site, "?q=通知&issuer=" + "三亚市民政局")
    assert status.startswith("找到 2 件文件")          # of the 11 notices with 通知, the two of 民政局
    assert page.locator("#gz-issuer").input_value() == "三亚市民政局"
    metas = page.locator(".gz-result__meta").all_inner_texts()
    assert len(metas) == 2 and all(m.startswith("三民字〔2020〕") for m in metas), metas
    assert "issuer=" in page.url


def test_back_returns_to_the_previous_query(bundled_site, page):
    _search_page(page, bundled_site, "?q=自来水")
    box = page.locator("#gz-q")
    box.fill("非法集资")
    box.press("Enter")
    page.wait_for_url("**q=%E9%9D%9E*")
    page.go_back()
    page.wait_for_function("() => document.getElementById('gz-q').value === '自来水'")
    page.wait_for_function("() => document.querySelector('.gz-result__title') && document.querySelector('.gz-result__title').textContent.includes('自来水')")


def test_the_partial_match_notice_appears_only_when_true(engine):
    # The title says “十四五”规划: typed without the quotation marks it is a full match.
    found = find(engine, "十四五规划")
    assert found["numbers"][0] == "三府办〔2020〕137号" and not found["partial"]
    found = find(engine, "十四五规划编制工作龘")      # a character nowhere: read as one wrong character, and it says so
    assert found["tolerated"] == ["十四五规划编制工作方"], found
    found = find(engine, "历史建筑名录")    # the title has 历史建筑（21处）名录: every word, not as one phrase
    assert found["numbers"][:1] == ["三府办〔2020〕118号"] and found["partial"], found


# --- forgiving a wrong character, and a question typed as a sentence ---------------

FORGIVING = [
    ("非法急资", "三府办〔2020〕140号", "非法集资"),
    ("脱贫功坚", "三扶发〔2020〕4号", "脱贫攻坚"),
    ("历使建筑", "三府办〔2020〕118号", "历史建筑"),
    ("自来水价咯", "三府〔2020〕124号", "自来水价格"),
]


@pytest.mark.parametrize("query,expected,form", FORGIVING, ids=[q for q, _, _ in FORGIVING])
def test_one_wrong_character_is_forgiven_and_the_right_form_is_shown(engine, query, expected, form):
    found = engine.evaluate("""async q => { const r = await __gz.search(q);
        const docs = await Promise.all(r.ids.map(id => __gz.load('text/' + id)));
        return {numbers: docs.map(d => d.number), tolerated: r.tolerated || null}; }""", query)
    assert found["numbers"][:1] == [expected], found
    assert found["tolerated"] == [form]


def test_a_question_typed_as_a_sentence(engine):
    found = find(engine, "我想查一下非法集资领导小组组长是谁")
    assert found["numbers"][:1] == ["三府办〔2020〕140号"], found


@pytest.mark.parametrize("query", ["火星殖民计划", "量子计算机芯片", "足球世界杯冠军", "区块链金融监管沙盒"])
def test_nothing_relevant_still_answers_nothing(engine, query):
    assert find(engine, query)["total"] == 0


def test_one_strong_term_no_longer_outweighs_the_other(engine):
    """民政局 救助: the plan about 救助 (98 times, jointly issued by 民政局) before the
    民政局 notice that mentions 救助 once (each term's weight saturates)."""
    assert find(engine, "民政局 救助")["numbers"][0] == "三民字〔2020〕92号"


# --- counts that are true -------------------------------------------------------------

def _holding(query: str) -> set[str]:
    """Numbers of the notices whose text, as the index reads it, holds every run of the query."""
    from gazette import tokens

    out = set()
    for n in CORPUS.notices:
        text = search.index_text(n)
        if all(run in text for _, run in tokens.query_runs(query)):
            out.add(str(n.doc_number))
    return out


@pytest.mark.parametrize("query", ["人民政府", "三亚市人民政府办公室", "自来水价格", "建筑", "信息公开", "政府信息公开",
                                   "2020年", "124"])
def test_every_result_holds_the_query_and_the_count_is_true(engine, query):
    """Not only the first page: the count and every result (人民政府 never for 人民, 民政 and 政府 apart)."""
    found = find(engine, query)
    if found["partial"] or found["tolerated"]:     # said on the page: and true, no notice holds every word
        assert _holding(query) == set(), found
    else:
        assert set(found["numbers"]) == _holding(query) and found["total"] == len(found["numbers"]), found


def test_a_number_cited_but_not_here_lists_the_notices_citing_it(bundled_site, page):
    page.goto((bundled_site / "search.html").as_uri() + "?q=" + urllib.parse.quote("琼扶发(2020)3号"))
    page.locator(".gz-result__title").first.wait_for(timeout=10_000)
    assert "本站没有发文字号为 琼扶发〔2020〕3号 的文件。以下 1 件文件引用了它" in page.locator("#gz-status").inner_text()
    assert page.locator(".gz-result__meta").first.inner_text().startswith("三扶发〔2020〕4号")


def test_material_starts_after_the_first_results_on_the_search_page_only(bundled_site, page):
    """overrides/main.html holds Material's bundle back on the search page until
    search.js announces its first answer; then the bundle runs, once, and works."""
    page.add_init_script("""(() => {
      window.__order = [];
      document.addEventListener('gazette:results', () => window.__order.push(
        'results:' + document.querySelectorAll('#search-results a').length + ':' + typeof window.component$));
    })();""")
    _search_page(page, bundled_site, "?q=自来水")
    page.wait_for_function("() => typeof window.component$ === 'object'")
    order = page.evaluate("() => window.__order")
    assert order and order[0].startswith("results:") and order[0].endswith(":undefined"), order
    assert int(order[0].split(":")[1]) > 0                     # the results were on screen first
    assert page.evaluate("() => document.querySelectorAll('script[src*=\"bundle.\"]').length") == 1
    assert not page.errors, page.errors
    # The bundle works: scrolled down and a little back up, its "back to top" button shows.
    top = "() => !document.querySelector('[data-md-component=top]').hidden"
    assert not page.evaluate(top)
    page.set_viewport_size({"width": 390, "height": 300})
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(200)
    page.mouse.wheel(0, -200)
    page.wait_for_function(top)
    # The search page with no query starts it too, and says so once only, however much is typed after.
    page.goto((bundled_site / "search.html").as_uri())
    page.wait_for_function("() => typeof window.component$ === 'object'", timeout=2500)
    page.locator("#gz-q").fill("非法集资")
    page.wait_for_function("() => document.querySelector('#search-results a')")
    assert page.evaluate("() => window.__order.length") == 1, page.evaluate("() => window.__order")
    # Other pages load it as usual.
    page.goto((bundled_site / "index.html").as_uri())
    assert page.evaluate("() => document.querySelectorAll('script[type=\"text/x-gazette-later\"]').length") == 0
    page.wait_for_function("() => typeof window.component$ === 'object'")


def test_the_rules_have_one_home_in_the_index(bundled_site):
    """rules.js carries gazette/tokens.py's rules and the shard count; meta.js no longer does."""
    import json
    import re

    from gazette import tokens

    index = bundled_site / "search-index"
    rules = json.loads(re.fullmatch(r"window\.__gzRules=(.*);\n", (index / "rules.js").read_text(encoding="utf-8"), re.S)[1])
    assert rules["rules"] == json.loads(json.dumps(tokens.rules()))
    assert rules["shards"] == len(list((index / "shards").glob("*.js")))
    meta = json.loads(re.fullmatch(r"__gz\.meta\(0,(.*)\);\n", (index / "meta.js").read_text(encoding="utf-8"), re.S)[1])
    assert not {"rules", "alphabet", "shards", "titleWeight"} & set(meta)
    assert meta["count"] > 0


def test_without_its_rules_the_search_page_says_so_and_the_theme_still_starts(bundled_site, page):
    page.route("**/search-index/rules.js", lambda route: route.abort())
    page.goto((bundled_site / "search.html").as_uri() + "?q=自来水")
    expect(page.locator("#gz-status")).to_have_text(re.compile("^无法读取搜索索引 .*rules.js$"))
    page.wait_for_function("() => typeof window.component$ === 'object'", timeout=2500)
    assert not page.errors, page.errors
