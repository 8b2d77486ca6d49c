"""The loader and the document-number parser never crash, whatever they are given (hypothesis).

Bounded example counts keep `make test` quick; a failure prints the input.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazette import docnumber
from gazette.corpus import load_corpus
from gazette.notice import read_fields
from gazette.problems import CorpusError

# Text that looks like front-matter: keys of the format, YAML punctuation,
# tags, anchors, brackets of every width, Han text and control characters.
PIECES = st.sampled_from([
    "---\n", "title: ", "issuers: ", "date: ", "disclosure: ", "doc_number: ", "attachments:\n", "  - title: ",
    "    file: ", "supersedes: ", "[", "]", "{", "}", ": ", "- ", "!!python/object/apply:os.system ", "!foo ",
    "&a ", "*a ", "'", '"', "\n", "  ", "\t", "主动公开", "不予公开　", "三府〔2020〕1号", "2020-02-30", "2020-01-01",
    "三亚市人民政府", "#", "|", "\x00", "\x1b", "\u2028", "\u202e", "\ufeff", "…", "〔", "〕", "［", "）",
])
FRONT_MATTER = st.lists(PIECES | st.text(max_size=8), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(FRONT_MATTER)
def test_reading_fields_never_raises(text):
    fields = read_fields(text, "notices/2020/x.md")
    for p in fields.problems:
        assert p.path == "notices/2020/x.md" and p.line >= 0 and p.field and p.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | FRONT_MATTER.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_loading_a_corpus_never_raises_anything_but_a_list_of_problems(tmp_path_factory, data):
    notices = tmp_path_factory.mktemp("fuzz") / "notices"
    (notices / "2020").mkdir(parents=True)
    (notices / "2020" / "x.md").write_bytes(data)
    try:
        corpus = load_corpus(notices)
    except CorpusError as e:
        assert e.problems and all(str(p).startswith("notices/2020/x.md:") for p in e.problems)
    else:
        assert [n.rel for n in corpus.notices] == ["notices/2020/x.md"]


NUMBERISH = st.lists(st.sampled_from([
    "三府", "三府办", "琼", "〔", "〕", "[", "]", "［", "］", "(", ")", "（", "）", "2020", "２０２０", "年", "第",
    "124", "０", "号", " ", "\u3000", "\ufeff", "\u00a0", "-", "字", "发",
]) | st.text(max_size=4), max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(NUMBERISH)
def test_document_numbers_parse_or_are_refused_never_crash(text):
    parsed = docnumber.try_parse(text)
    if parsed is not None:
        again = docnumber.try_parse(str(parsed))
        assert again == parsed                      # the normalized form means the same number
        assert str(again) == str(parsed)
