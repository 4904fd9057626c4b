"""Statistics independent of history (issue 17, item 14): updates rank like a clean build; optimize merges."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main
from searchkit.codec import probe
from searchkit.indexing import parallel, store
from tests.helpers import generated_corpus, write

QUERIES = ("election", "market prices", "storm coast", '"prime minister"', "minister", "phone music", "judge court")


def ranked(index_dir: Path) -> list[list[tuple[str, int, float]]]:
    """Every query's hits as (article, paragraph, score), best first (equal scores by id)."""
    with searchkit.Index.open(index_dir) as ix:
        out = []
        for q in QUERIES:
            hits = [(h.article_id, h.paragraph, h.score) for h in ix.search(q, limit=200)]
            out.append(sorted(hits, key=lambda h: (-round(h[2], 6), h[0], h[1])))
        return out


def assert_ranks_alike(a: Path, b: Path) -> None:
    for got, want in zip(ranked(a), ranked(b), strict=True):
        assert [h[:2] for h in got] == [h[:2] for h in want]
        assert all(abs(x[2] - y[2]) <= 1e-6 for x, y in zip(got, want, strict=True)), (got[:3], want[:3])


def segments(index_dir: Path) -> list[tuple[int, int]]:
    """(documents, deleted) of each segment of the last commit."""
    ix = store.open_index(index_dir)
    try:
        with ix.reader() as r:
            return [(s.doc_count_all(), s.deleted_count()) for s in ix._read_toc().segments] or [(r.doc_count_all(), 0)]
    finally:
        ix.close()


def _history(corpus: Path, ix_dir: Path, jobs: int) -> None:
    """Bring the index to the corpus's final content through updates that add, change and delete."""
    searchkit.Index.build([corpus], ix_dir, jobs=jobs).close()
    for step in range(4):
        write(corpus, f"new/{step}.txt", f"Story {step}\n\nThe election and the market, step {step}.\n\nMore text.\n")
        old = corpus / f"txt/{step}.txt"
        if old.exists():
            old.write_text(old.read_text() + f"\nAn added line about the judge, step {step}.\n")
        if step == 2:
            (corpus / "txt/3.txt").unlink()
        searchkit.Index.build([corpus], ix_dir, jobs=jobs, prune=True).close()


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_index_brought_up_by_updates_ranks_like_a_clean_build(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if jobs > 1:
        if not (probe.layout_known() and sys.platform.startswith("linux")):
            pytest.skip("workers need the bulk writer (whoosh3 layout) and fork")
        monkeypatch.setattr(parallel, "MIN_BYTES", 0)
        monkeypatch.setattr(parallel, "CHUNK_PARAGRAPHS", 5)
    corpus = generated_corpus(tmp_path / "corpus", articles=50)
    updated, clean = tmp_path / "updated", tmp_path / "clean"
    _history(corpus, updated, jobs)
    searchkit.Index.build([corpus], clean, jobs=jobs).close()
    assert all(deleted == 0 for _, deleted in segments(updated))
    assert_ranks_alike(updated, clean)


def test_optimize_merges_into_one_segment_and_keeps_the_ranking(tmp_path: Path) -> None:
    corpus = generated_corpus(tmp_path / "corpus", articles=50)
    updated, clean = tmp_path / "updated", tmp_path / "clean"
    _history(corpus, updated, jobs=1)
    searchkit.Index.build([corpus], clean, jobs=1).close()
    with searchkit.Index.open(updated) as ix:
        ix.optimize()
    assert len(segments(updated)) == 1
    assert_ranks_alike(updated, clean)
    res = CliRunner().invoke(main, ["optimize", "--index", str(updated)])
    assert res.exit_code == 0 and "optimized" in res.output
    with searchkit.Index.open(updated) as ix:
        assert ix.check().files > 0
