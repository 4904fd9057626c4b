"""Tests for searchkit.ingest.articles: formats, encodings, furniture, file discovery."""

from __future__ import annotations

import json
import os
import re
import sys
import types
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.errors import CorpusError, SearchkitError
from searchkit.ingest.articles import (
    MAX_PARAGRAPH,
    Article,
    CorpusWarning,
    drop_tail_paragraphs,
    find_repeated_tails,
    find_sources,
    parse_file,
    read_corpus,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "twitter-isis-accounts-offline.txt"
BBC = ROOT.parent / "shared" / "data" / "bbc-fulltext" / "bbc"


def one(rel: str, data: bytes | str) -> tuple[Article, list[CorpusWarning]]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    articles, warnings = parse_file(rel, raw)
    assert len(articles) == 1, warnings
    return articles[0], warnings


def none(rel: str, data: bytes | str) -> list[CorpusWarning]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    articles, warnings = parse_file(rel, raw)
    assert articles == []
    assert warnings
    return warnings


# ---------------------------------------------------------------- .txt


def test_sample_article() -> None:
    art, warnings = one("twitter-isis-accounts-offline.txt", SAMPLE.read_bytes())
    assert warnings == []
    assert art.id == "twitter-isis-accounts-offline"
    assert art.path == "twitter-isis-accounts-offline.txt"
    assert art.headline == "Twitter Trying To Keep ISIS Accounts Offline, But It's No Easy Task"
    assert len(art.paragraphs) == 7
    assert art.paragraphs[-1].startswith("In this day and age")
    for par in art.paragraphs:
        for furniture in ("Join the Discussion", "TECHTIMES", "Real Time Analytics"):
            assert furniture not in par


def test_single_newlines_joined_and_spaces_collapsed() -> None:
    art, _ = one("a/b.txt", "Head  line\n\nfirst line\nsecond   line\n \t \nnext\tpara\n")
    assert art.id == "a/b"
    assert art.headline == "Head line"
    assert art.paragraphs == ("first line second line", "next para")


def test_header_lines() -> None:
    text = "Headline\nDate: 1 March 2024\nSource: BBC\nURL: https://x.test/a\n\nBy Jane Smith\n\nBody text.\n"
    art, warnings = one("x.txt", text)
    assert warnings == []
    assert art.date == datetime(2024, 3, 1)
    assert (art.source, art.url) == ("BBC", "https://x.test/a")
    assert art.paragraphs == ("Body text.",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", datetime(2024, 3, 1)),
        ("March 1, 2024", datetime(2024, 3, 1)),
        ("2024-03-01T12:00:00+02:00", datetime(2024, 3, 1, 10)),
        ("2024-03-01T12:00:00Z", datetime(2024, 3, 1, 12)),
    ],
)
def test_date_formats(value: str, expected: datetime) -> None:
    art, _ = one("x.txt", f"Headline\n\ndate: {value}\n\nBody.\n")
    assert art.date == expected and art.date.tzinfo is None
    assert art.paragraphs == ("Body.",)


def test_bad_date_header_warns() -> None:
    art, warnings = one("x.txt", "Headline\nDate: someday\n\nBody.\n")
    assert art.date is None
    assert any("date" in w.message for w in warnings)


def test_byline_that_is_prose_is_kept() -> None:
    art, _ = one("x.txt", "Headline\n\nBy the time police arrived, it was over.\n")
    assert art.paragraphs == ("By the time police arrived, it was over.",)


def test_copyright_mid_article_is_kept() -> None:
    text = (
        "H\n\nCopyright 2024 law changed a lot, said the court.\n\nA\n\nB\n\nC\n\nD\n\n"
        "(c) 2024 Example Ltd\nShare this\n"
    )
    art, _ = one("x.txt", text)
    assert art.paragraphs == ("Copyright 2024 law changed a lot, said the court.", "A", "B", "C", "D")


def test_widget_lines_at_tail_dropped() -> None:
    art, _ = one("x.txt", "H\n\nReal text.\n\nAdvertisement\n\nFollow us on Twitter\nSign up for our newsletter\n")
    assert art.paragraphs == ("Real text.",)


def test_cp1252_file() -> None:
    art, warnings = one("money.txt", "Price\n\nIt cost \u00a315.\n".encode("cp1252"))
    assert "\u00a315" in art.paragraphs[0]
    assert [str(w) for w in warnings] == ["money.txt: not valid UTF-8; read as cp1252"]


def test_latin1_fallback() -> None:
    _, warnings = one("x.txt", b"Head\n\nbad \x81 byte\n")
    assert "latin-1" in warnings[0].message


def test_utf8_bom() -> None:
    art, warnings = one("x.txt", b"\xef\xbb\xbfCaf\xc3\xa9\n\nBody\n")
    assert art.headline == "Caf\u00e9" and warnings == []


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_bom(codec: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    art, warnings = one("x.txt", bom + "Caf\u00e9\r\n\r\nBody \u00a3\r\n".encode(codec))
    assert (art.headline, art.paragraphs) == ("Caf\u00e9", ("Body \u00a3",)) and warnings == []


def test_binary_skipped() -> None:
    warnings = none("pic.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert [str(w) for w in warnings] == ["pic.txt: binary file, skipped"]
    assert none("ctl.txt", bytes(range(1, 9)) * 50)[0].message == "binary file, skipped"


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf\n"])
def test_empty_skipped(data: bytes) -> None:
    assert "empty" in none("e.txt", data)[0].message


def test_headline_only_skipped() -> None:
    assert "no body" in none("h.txt", "Just a headline\n\n\n")[0].message
    assert "no body" in none("h.txt", "Headline\n\n\u24d2 2024 TECHTIMES.com All rights reserved.\n")[0].message


def test_huge_paragraph_split() -> None:
    sentence = "This is one sentence of a very long paragraph. "
    body = sentence * 1000  # ~47,000 chars
    art, _ = one("big.txt", "Big\n\n" + body)
    assert len(art.paragraphs) >= 5
    assert all(len(p) <= MAX_PARAGRAPH for p in art.paragraphs)
    assert all(p.endswith(".") for p in art.paragraphs)
    assert " ".join(art.paragraphs) == body.strip()
    art, _ = one("nospace.txt", "Big\n\n" + "x" * 25_000)
    assert [len(p) for p in art.paragraphs] == [10_000, 10_000, 5_000]


def test_hash_in_path_id() -> None:
    art, _ = one("c#/news.txt", "H\n\nB\n")
    assert art.id == "c_/news" and "#" not in art.id


# ---------------------------------------------------------------- .jsonl


def jsonl(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def test_jsonl_records() -> None:
    data = jsonl(
        {"id": 7, "headline": "One", "body": "a\nb\n\nc", "url": "u", "source": "S", "date": "2024-03-01"},
        "",
        {"title": "Two", "paragraphs": ["p1", "  ", "p2"], "id": "x#1"},
        {"title": "Three", "text": "t"},
    )
    arts, warnings = parse_file("feed.jsonl", data.encode())
    assert warnings == []
    assert [a.id for a in arts][:2] == ["7", "x_1"]
    assert re.fullmatch(r"feed:[0-9a-f]{10}", arts[2].id)  # made from the record's text (issue 17, item 3)
    assert arts[0].paragraphs == ("a b", "c")
    assert (arts[0].url, arts[0].source, arts[0].date) == ("u", "S", datetime(2024, 3, 1))
    assert arts[1].paragraphs == ("p1", "p2")
    assert arts[2].path == "feed.jsonl"


def test_jsonl_problems() -> None:
    data = jsonl(
        "{not json",
        {"body": "no headline"},
        [1, 2],
        {"headline": "Bad date", "body": "kept", "date": "yesterday"},
        {"headline": "No body"},
        {"headline": "Fine", "body": "ok"},
    )
    arts, warnings = parse_file("f.jsonl", data.encode())
    # issue 17: a record with no headline, or only one, is indexed
    assert [a.headline for a in arts] == ["", "Bad date", "No body", "Fine"]
    assert arts[1].date is None
    assert [w.line for w in warnings] == [1, 3, 4]
    assert str(warnings[0]).startswith("f.jsonl:1: malformed JSON")
    assert "object" in warnings[1].message and "date" in warnings[2].message


# ---------------------------------------------------------------- markdown / html


def test_markdown() -> None:
    text = (
        "Intro line before\n\n# The *Big* Story\n\nFirst **bold** para with [a link](http://x.test)\n"
        "continued here.\n\n## A subheading\n> quoted text\n\n- item one\n- item two\n\n---\n\n```\ncode\n```\n"
    )
    art, _ = one("s.md", text)
    assert art.headline == "The Big Story"
    assert art.paragraphs == (
        "Intro line before",
        "First bold para with a link continued here.",
        "A subheading",
        "quoted text",
        "item one",  # one list item a paragraph, fenced code not indexed (issue 18, item 11)
        "item two",
    )


def test_markdown_without_h1_uses_first_line() -> None:
    art, _ = one("s.markdown", "Plain headline\n\nsnake_case_name stays\n")
    assert (art.headline, art.paragraphs) == ("Plain headline", ("snake_case_name stays",))


def test_html_without_trafilatura_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # makes the import fail
    warnings = none("page.html", "<html><title>T</title><p>x</p></html>")
    assert "pip install 'searchkit[html]'" in str(warnings[0])


def test_html_with_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("trafilatura")
    doc = {"title": "Title", "text": "Para one.\nPara two.", "date": "2024-03-01", "url": "u", "sitename": "Site"}
    fake.bare_extraction = lambda html, **kw: doc  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "trafilatura", fake)
    art, _ = one("page.htm", "<html></html>")
    assert (art.headline, art.paragraphs, art.source) == ("Title", ("Para one.", "Para two."), "Site")
    assert art.id == "page" and art.date == datetime(2024, 3, 1)


PAGE = """<!doctype html><html><head><title>Floods close the valley road | Daily Planet</title>
<meta property="og:title" content="Floods close the valley road">
<meta property="article:published_time" content="2024-02-03T08:00:00Z"></head>
<body><nav>Home | News | Sport</nav><article><h1>Floods close the valley road</h1>
<p>Heavy rain overnight flooded the valley road, and police closed it at dawn while crews pumped water.</p>
<p>"We have never seen the river this high," said Mary Jones, who has farmed beside it for forty years.</p>
<p>The council said the road would reopen on Monday if the rain eased, but more storms are due.</p>
</article><footer>Copyright 2024 Daily Planet. All rights reserved.</footer></body></html>"""


def test_html_with_real_trafilatura() -> None:
    pytest.importorskip("trafilatura", reason="the html extra is not installed")
    art, _ = one("news/page.html", PAGE)
    assert art.headline == "Floods close the valley road"
    assert art.paragraphs[0].startswith("Heavy rain overnight")  # the <h1> is not a paragraph too
    assert len(art.paragraphs) == 3 and not any("Home | News" in p or "Copyright" in p for p in art.paragraphs)
    assert art.date == datetime(2024, 2, 3)


def test_unsupported_suffix_in_parse_file() -> None:
    assert "unsupported" in none("x.pdf", b"H\n\nB")[0].message


# ---------------------------------------------------------------- find_sources


def write(path: Path, text: str = "Headline\n\nBody.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_find_sources_order_and_skips(tmp_path: Path) -> None:
    for rel in [
        "b.txt",
        "a/z.md",
        "a/b/c.jsonl",
        "a-b.txt",
        ".hidden.txt",
        ".git/x.txt",
        "notes.pdf",
        "README.TXT",
        "index/searchkit.json",
        "index/x.txt",
        "C.TXT",
    ]:
        write(tmp_path / rel)
    sources, warnings = find_sources([tmp_path])
    assert [s.rel for s in sources] == ["C.TXT", "a/b/c.jsonl", "a/z.md", "a-b.txt", "b.txt"]
    assert warnings == []
    s = sources[-1]
    assert s.path == tmp_path / "b.txt" and s.path.is_absolute()
    assert s.size == len("Headline\n\nBody.\n") and s.mtime_ns > 0
    again, _ = find_sources([str(tmp_path)])
    assert again == sources


def test_find_sources_named_files(tmp_path: Path) -> None:
    f = write(tmp_path / "deep" / "one.txt")
    pdf = write(tmp_path / "x.pdf")
    sources, warnings = find_sources([f, pdf, f])
    assert [s.rel for s in sources] == ["one.txt"]
    assert len(warnings) == 1 and "unsupported" in warnings[0].message and warnings[0].path == str(pdf)


def test_find_sources_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist; pass a file or folder of articles"):
        find_sources([tmp_path / "nope"])


def test_find_sources_index_folder_named(tmp_path: Path) -> None:
    write(tmp_path / "searchkit.json", "{}")
    write(tmp_path / "a.txt")
    sources, warnings = find_sources([tmp_path])
    assert sources == [] and "index" in warnings[0].message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_find_sources_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "real.txt")
    outside = write(tmp_path / "elsewhere" / "linked.txt")
    (root / "link.txt").symlink_to(outside)
    (root / "broken.txt").symlink_to(tmp_path / "gone.txt")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)
    (root / "self.txt").symlink_to(root / "self.txt")
    sources, warnings = find_sources([root])
    assert [s.rel for s in sources] == ["link.txt", "real.txt"]
    messages = {Path(w.path).name: w.message for w in warnings}
    assert messages["broken.txt"] == "broken symlink, skipped"
    assert messages["self.txt"].startswith("symlink loop")
    assert messages["up"].startswith("symlink loop")


# ---------------------------------------------------------------- whole corpus


def test_repeated_tails_removed(tmp_path: Path) -> None:
    tail = "Follow the author on Mastodon at example.social."
    for i in range(3):
        write(tmp_path / f"{i}.txt", f"Head {i}\n\nStory {i} text.\n\n{tail}\n")
    write(tmp_path / "3.txt", f"Head 3\n\n{tail}\n\nStory 3 ends.\n")
    write(tmp_path / "4.txt", f"Head 4\n\nStory 4 text.\n\n{tail}\n\nOther.\n\nMore.\n")
    warnings: list[CorpusWarning] = []
    arts = {a.id: a for a in read_corpus([tmp_path], warnings.append)}
    assert arts["0"].paragraphs == ("Story 0 text.",)
    assert tail in arts["3"].paragraphs  # not a closing line: the text after it is no boilerplate
    assert tail in arts["4"].paragraphs  # not at the tail there
    assert warnings == []


def test_repeated_tails_threshold_and_first_paragraph() -> None:
    arts = [Article(str(i), f"h{i}", ("only",) if i == 0 else (f"body {i}", "only")) for i in range(3)]
    boiler = find_repeated_tails(arts)
    assert boiler == frozenset({"only"})
    assert find_repeated_tails(arts, min_articles=4) == frozenset()
    assert drop_tail_paragraphs(arts[0], boiler).paragraphs == ("only",)
    assert drop_tail_paragraphs(arts[1], boiler).paragraphs == ("body 1",)
    # Articles are counted by headline: three copies of one story are one article.
    same = [Article(str(i), "h", (f"body {i}", "only")) for i in range(3)]
    assert find_repeated_tails(same) == frozenset()


def test_read_corpus_warnings(tmp_path: Path) -> None:
    write(tmp_path / "good.txt")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    seen: list[CorpusWarning] = []
    assert [a.id for a in read_corpus([tmp_path], seen.append)] == ["good"]
    assert [str(w) for w in seen] == ["bin.txt: binary file, skipped"]
    with pytest.raises(CorpusError):
        read_corpus([tmp_path / "missing"])


# ---------------------------------------------------------------- properties


@pytest.mark.parametrize("suffix", [".txt", ".md", ".markdown", ".jsonl", ".html", ".htm", ".bin"])
@settings(max_examples=200, deadline=None)
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_parse_file_never_crashes(suffix: str, data: bytes) -> None:
    try:
        articles, warnings = parse_file("f" + suffix, data)
    except SearchkitError:
        return
    for art in articles:
        assert art.headline and art.paragraphs
        assert all(p and p == p.strip() for p in art.paragraphs)
        assert "#" not in art.id
    assert all(isinstance(w, CorpusWarning) for w in warnings)


# ---------------------------------------------------------------- the BBC data set


@pytest.mark.bbc
@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/data/bbc-fulltext/bbc")
def test_bbc_corpus() -> None:
    warnings: list[CorpusWarning] = []
    arts = list(read_corpus([BBC], warnings.append))
    assert len(arts) == 2225
    assert 10_400 <= sum(len(a.paragraphs) for a in arts) <= 10_700
    sport = next(a for a in arts if a.id == "sport/199")
    assert any("\u00a3" in p for p in sport.paragraphs)
    cp1252 = [w for w in warnings if "cp1252" in w.message]
    assert [w.path for w in cp1252] == ["sport/199.txt"]
