"""One boilerplate rule: `read_corpus` gives exactly the paragraphs `Index.build` indexes.

The corpus below holds one case for each way the rule could be written twice
and differ: a repeated short line followed by real prose, a repeated ending of
syndicated copies (one headline, several files), a line of exactly the length
limit, and an article that is nothing but the repeated line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import searchkit
from searchkit.indexing import parallel
from searchkit.ingest import boilerplate
from searchkit.ingest.articles import Article, read_corpus
from tests.conftest import write

NEWSROOM = "Follow our newsroom"
PROSE = "A long closing paragraph of real reporting, " * 7  # about 300 characters
WIRE_END = "Shares closed lower on the day."
AT_LIMIT = "x" * (boilerplate.MAX_CHARS - 1) + "."
SIGN_OFF = "The Daily Planet, your town paper since 1901"


def _corpus(folder: Path) -> Path:
    for i in range(3):
        write(folder, f"a/{i}.txt", f"Report {i}\n\nStory {i} begins here.\n\n{NEWSROOM}\n\n{PROSE}{i}\n")
        write(folder, f"b/{i}.txt", f"Markets fall\n\nWire copy {i} from one desk.\n\n{WIRE_END}\n")
        write(folder, f"c/{i}.txt", f"Column {i}\n\nColumn {i} has its say.\n\n{AT_LIMIT}\n")
        write(folder, f"d/{i}.txt", f"Local {i}\n\nLocal story {i}.\n\n{SIGN_OFF}\n")
    write(folder, "d/only.txt", f"Masthead\n\n{SIGN_OFF}\n")
    return folder


def _indexed(ix: searchkit.Index, ids: list[str]) -> set[tuple[str, int, str]]:
    return {(aid, n, text) for aid in ids for n, text in ix.show(aid).paragraphs}


def _read(folder: Path) -> dict[str, Article]:
    return {a.id: a for a in read_corpus([folder])}


def test_read_corpus_and_build_index_the_same_paragraphs(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    articles = _read(corpus)
    read = {(a.id, n, text) for a in articles.values() for n, text in enumerate(a.paragraphs, start=1)}
    ids = sorted(articles)
    with searchkit.Index.from_articles(articles.values(), tmp_path / "from_articles") as ix:
        assert _indexed(ix, ids) == read
    with searchkit.Index.build([corpus], tmp_path / "built", jobs=1) as ix:
        assert ix.stats().paragraphs == len(read)
        assert ix.stats().articles == len(articles)
        assert _indexed(ix, ids) == read


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers start by fork")
def test_workers_apply_the_same_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_PARAGRAPHS", 3)
    corpus = _corpus(tmp_path / "corpus")
    articles = _read(corpus)
    read = {(a.id, n, text) for a in articles.values() for n, text in enumerate(a.paragraphs, start=1)}
    with searchkit.Index.build([corpus], tmp_path / "built", jobs=2) as ix:
        assert ix.stats().paragraphs == len(read)
        assert _indexed(ix, sorted(articles)) == read


def test_the_rule(tmp_path: Path) -> None:
    arts = _read(_corpus(tmp_path / "corpus"))
    assert NEWSROOM in arts["a/0"].paragraphs  # followed by prose: not a closing line
    assert WIRE_END in arts["b/0"].paragraphs  # three copies of one story are one article
    assert arts["c/0"].paragraphs == ("Column 0 has its say.",)  # MAX_CHARS itself is short
    assert arts["d/0"].paragraphs == ("Local story 0.",)
    assert arts["d/only"].paragraphs == (SIGN_OFF,)  # never a whole article


def test_kept_counts() -> None:
    rep = frozenset({"x", "y"})
    assert boilerplate.kept(("body", "y", "x"), rep) == 1
    assert boilerplate.kept(("body", "x", "other"), rep) == 3  # only a run at the very end
    assert boilerplate.kept(("x", "y"), rep) == 2  # every paragraph would go: all stay
    assert boilerplate.kept(("x", "body"), rep) == 2
    assert boilerplate.kept(("a" * 300, "x"), rep) == 1
    assert boilerplate.kept((), rep) == 0
    assert boilerplate.tail_count(("p", "a" * (boilerplate.MAX_CHARS + 1), "q")) == 1
