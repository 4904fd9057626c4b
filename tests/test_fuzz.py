"""Fuzzing the parsers and renderers with hypothesis: nothing but SearchkitError escapes.

Targets: the article reader (`parse_file` on arbitrary bytes under every
suffix), the quote extractor, the query parser and `Index.search` on a small
index, and snippet generation (highlight spans always inside the snippet).
Also output safety: `--json` is valid UTF-8 JSON, one object per line, whatever
bytes the articles held, and `Snippet.to_html()` escapes article text.

Examples per target come from the hypothesis profile `searchkit-fuzz`
(default 200 each; `SEARCHKIT_FUZZ_EXAMPLES=N` overrides, which is what
`benchmarks/stress.py --fuzz-examples N` sets).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchkit
from searchkit.cli import main
from searchkit.errors import SearchkitError
from searchkit.indexing.schema import build_schema
from searchkit.ingest import quotes
from searchkit.ingest.articles import SUFFIXES, parse_file
from searchkit.search import query as query_mod
from searchkit.search.ranking import Ranking
from searchkit.search.snippets import Snippet, make_snippets

settings.register_profile(
    "searchkit-fuzz",
    max_examples=int(os.environ.get("SEARCHKIT_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=os.environ.get("SEARCHKIT_FUZZ_EXAMPLES") is None,  # CI: the same examples every run
)
FUZZ = settings.get_profile("searchkit-fuzz")

# Text that looks like news: words, quote marks of every kind, punctuation, markup, odd characters.
NEWSY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(string.ascii_letters + string.digits + " .,;:!?-'\"()[]#*_`~>\n\t")),
        st.sampled_from(list("“”‘’«»…—–©\u00a0\u200b\ufeff\x00\x1b\x85\u2028é漢ß")),
        st.characters(),
    ),
    max_size=400,
)
WORDS = st.sampled_from('the council said budget storm "We will" Smith told BBC “quote” it\'s accounts'.split())
NEWS_TEXT = st.one_of(NEWSY, st.lists(WORDS, max_size=60).map(" ".join))


def _check_articles(rel: str, data: bytes) -> None:
    articles, warnings = parse_file(rel, data)
    for a in articles:
        assert a.paragraphs and "#" not in a.id  # a JSONL record may have no headline (issue 17)
        assert all(p and p == p.strip() for p in a.paragraphs)
        assert all(len(p) <= 10_000 for p in a.paragraphs)
    for w in warnings:
        assert str(w).startswith(rel)


@FUZZ
@given(suffix=st.sampled_from(sorted(SUFFIXES - {".html", ".htm"}) + [".bin"]), data=st.binary(max_size=600))
def test_parse_file_on_any_bytes(suffix: str, data: bytes) -> None:
    _check_articles(f"dir/x{suffix}", data)


@FUZZ
@given(
    suffix=st.sampled_from([".txt", ".md", ".markdown"]),
    text=NEWS_TEXT,
    codec=st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1252"]),
)
def test_parse_file_on_any_text(suffix: str, text: str, codec: str) -> None:
    _check_articles(f"a{suffix}", text.encode(codec, "replace"))


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | NEWSY,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    max_leaves=12,
)
RECORD = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON_VALUE,
        "headline": st.one_of(NEWSY, JSON_VALUE),
        "title": JSON_VALUE,
        "body": st.one_of(NEWSY, JSON_VALUE),
        "paragraphs": st.one_of(st.lists(NEWSY, max_size=4), JSON_VALUE),
        "date": st.one_of(NEWSY, JSON_VALUE),
        "source": JSON_VALUE,
        "url": JSON_VALUE,
    },
)


@FUZZ
@given(records=st.lists(st.one_of(RECORD.map(json.dumps), NEWSY), max_size=5))
def test_parse_jsonl_records(records: list[str]) -> None:
    _check_articles("feed.jsonl", "\n".join(records).encode("utf-8", "surrogatepass"))


@FUZZ
@given(paragraphs=st.lists(NEWS_TEXT, max_size=6))
def test_quote_extractor(paragraphs: list[str]) -> None:
    found = quotes.extract(paragraphs)
    assert len(found) == len(paragraphs)
    for par, qs in zip(paragraphs, found):
        for q in qs:
            assert 0 <= q.start <= q.end <= len(par)
            assert par[q.start : q.end] == q.text
            assert q.speaker is None or isinstance(q.speaker, str)


# Text for the tokenizer's fast paths: dots in every position, marks glued to words, non-ASCII words.
TOKEN_TEXT = st.one_of(
    NEWSY,
    st.lists(
        st.sampled_from(
            [
                "U.S.",
                "3.5",
                "...",
                ".",
                "..",
                "a..b",
                ".5",
                "5.",
                "said.",
                "“Hello",
                "café",
                "£3bn",
                "a—b",
                "—",
                "\u00a0",
                "It's",
                "don’t",
                "x_y",
                "ﬁnance",
                "K",
                " ",
                "\n",
                "AT&T",
                "&",
                "9/11",
                "/",
                "C++",
                "+",
            ]
        ),
        max_size=30,
    ).map("".join),
)


@FUZZ
@given(text=TOKEN_TEXT)
def test_fast_tokenizer_paths_match_the_regex(text: str) -> None:
    from searchkit import analysis
    from searchkit.codec.textpostings import TextField
    from searchkit.indexing import documents
    from searchkit.ingest import cleaning

    want = analysis.TOKEN_PATTERN.findall(text)
    runs = analysis.token_runs(text)
    if text.isascii():
        assert [r.decode("ascii") for r in runs] == want
        assert [w.decode("ascii") for w in analysis.ascii_words(text)] == re.findall(r"\w+", text)
    else:  # a run may hold no token, one inside other characters, or several; never part of one
        assert [t for r in runs for t in analysis.TOKEN_PATTERN.findall(r.decode("utf-8", "surrogatepass"))] == want
    field = build_schema()["body"]
    fast = TextField.create(field)
    assert fast is not None
    tokens = [(t.text, t.pos) for t in field.analyzer(text, positions=True, mode="index")]
    assert fast.terms_of(text) == tokens
    assert cleaning.clean(text) == " ".join(cleaning._CONTROL.sub("", text).split())
    assert cleaning.split_lines(text) == cleaning._NEWLINE.split(text)
    words = re.findall(r"\w+", text.lower())
    expected = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=10).hexdigest() if len(words) >= 8 else ""
    assert documents.wire_key(text) == expected


QUERY_TEXT = st.one_of(
    NEWSY,
    st.lists(
        st.one_of(
            WORDS,
            st.sampled_from(
                [
                    '"',
                    "(",
                    ")",
                    "AND",
                    "OR",
                    "NOT",
                    "*",
                    "~",
                    "^2",
                    "headline:",
                    "speaker:",
                    "quote:",
                    "source:",
                    "nosuch:",
                    "body:",
                    "-",
                    "+",
                    "[a TO z]",
                    "{",
                    "}",
                    "/",
                    "\\",
                    "?",
                    ":",
                ]
            ),
        ),
        max_size=25,
    ).map(" ".join),
)


@FUZZ
@given(text=QUERY_TEXT)
def test_query_parser(text: str) -> None:
    try:
        query_mod.parse(text, build_schema(), Ranking())
    except SearchkitError:
        pass


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    folder = tmp_path_factory.mktemp("fuzz")
    corpus = folder / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        'Council budget agreed\n\nThe council agreed its budget. "We will cut waste," said Jane Smith, the leader.\n\n'
        "Accounts were published on Monday. The storm did not delay them.\n",
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text(
        "Storm hits coast\n\nA storm hit the coast overnight, the BBC reported.\n\n“It was frightening,” "
        "one resident told reporters.\n",
        encoding="utf-8",
    )
    ix = searchkit.Index.build([corpus], folder / "ix")
    yield ix
    ix.close()


@FUZZ
@given(text=QUERY_TEXT, per_article=st.booleans(), fragments=st.integers(1, 3), width=st.integers(0, 300))
def test_index_search(small_index: searchkit.Index, text: str, per_article: bool, fragments: int, width: int) -> None:
    try:
        res = small_index.search(text, per_article=per_article, fragments=fragments, width=width)
    except SearchkitError:
        return
    for hit in res:
        for s, e in hit.highlights:
            assert 0 <= s < e <= len(hit.snippet)
        assert hit.snippet in hit.text or hit.snippet == ""
        json.dumps(hit.to_dict(), ensure_ascii=False).encode("utf-8")


def test_negative_only_query_matches_only_paragraphs(small_index: searchkit.Index) -> None:
    """A NOT-only query matches every paragraph without the word, never the index's own records."""
    res = small_index.search("NOT zebra", per_article=False, limit=1000)
    assert res.total > 0 and all(h.article_id and h.paragraph >= 1 for h in res)


def _check_snippet(text: str, snip: Snippet) -> None:
    assert text[snip.start : snip.end] == snip.text
    last = 0
    for s, e in snip.highlights:
        assert last <= s < e <= len(snip.text), (snip.highlights, len(snip.text))
        last = e


@FUZZ
@given(
    text=NEWS_TEXT,
    terms=st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=5),
    width=st.integers(-5, 300),
    fragments=st.integers(0, 4),
    phrase=st.booleans(),
    attributed=st.lists(st.tuples(NEWSY, NEWSY), max_size=2),
)
def test_snippets(
    text: str, terms: list[str], width: int, fragments: int, phrase: bool, attributed: list[tuple[str, str]]
) -> None:
    stems = {t for w in terms for t in query_mod.terms_of(w)} | {w.lower() for w in terms}
    snips = make_snippets(text, stems, width=width, fragments=fragments, phrase=phrase, quotes=attributed)
    assert len(snips) <= max(fragments, 1)
    for snip in snips:
        _check_snippet(text, snip)
        rendered = snip.to_html()
        assert "<" not in html.unescape(rendered.replace("<mark>", "").replace("</mark>", "")) or "<" in text


# ---------------------------------------------------------------- output safety


def test_to_html_escapes_article_text() -> None:
    text = "Tags <script>alert(\"x\")</script> & 'quotes' in the budget"
    (snip,) = make_snippets(text, {"budget", "script"})
    out = snip.to_html()
    assert "<script>" not in out and "</script>" not in out
    assert out == (
        "Tags &lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; "
        "&#x27;quotes&#x27; in the <mark>budget</mark>"
    )


HOSTILE = [
    b"Invalid \xff\xfe bytes in \xc3\x28 headline\n\nThe budget text has \xed\xa0\x80 a lone surrogate and \x80\x81.\n",
    "Control \x1b[31m red\n\nThe budget \u202e reversed \u0007 bell \x0b and \u2028 separator.\n".encode("utf-8"),
    b'{"id": "s1", "headline": "Lone \\ud800 surrogate", "body": "The budget \\udfff of \\u0000 the year."}\n',
    "UTF-16 budget\n\nThe budget in UTF-16 with \U0001f600 emoji.\n".encode("utf-16"),
]


@pytest.mark.parametrize("data", HOSTILE, ids=["invalid-utf8", "controls", "jsonl-surrogates", "utf16"])
def test_json_output_is_valid_utf8_json_lines(tmp_path: Path, data: bytes) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / ("x.jsonl" if data.startswith(b"{") else "x.txt")).write_bytes(data)
    runner = CliRunner()
    res = runner.invoke(main, ["index", str(corpus), "--index", str(tmp_path / "ix")])
    assert res.exit_code == 0, res.output
    for cmd in (
        ["search", "budget", "--json"],
        ["search", "budget", "--json", "--all-paragraphs", "--fragments", "3"],
        ["stats", "--json"],
    ):
        res = runner.invoke(main, [*cmd, "--index", str(tmp_path / "ix")])
        assert res.exit_code == 0, res.output
        lines = res.stdout_bytes.decode("utf-8").splitlines()  # strict: raises on invalid UTF-8
        assert lines
        for line in lines:
            obj = json.loads(line)
            assert isinstance(obj, dict)
            for value in _strings(obj):
                value.encode("utf-8")  # no lone surrogates survived
    res = runner.invoke(main, ["search", "budget", "--json", "--index", str(tmp_path / "ix")])
    hit = json.loads(res.stdout_bytes.decode("utf-8").splitlines()[0])
    assert "\x1b" not in hit["text"] and "\x00" not in hit["text"]
    doc = runner.invoke(main, ["show", hit["article_id"], "--json", "--index", str(tmp_path / "ix")])
    json.loads(doc.stdout_bytes.decode("utf-8"))


def _strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)] + [k for k in obj if isinstance(k, str)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []
