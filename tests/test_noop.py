"""A run that changes nothing writes nothing and moves no score (issue 17, item 4)."""

from __future__ import annotations

from pathlib import Path

from helpers import generated_corpus

from searchkit import Index


def _files(index_dir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in index_dir.iterdir() if p.is_file() and p.suffix != ".json"}


def _scores(ix: Index, query: str) -> list[tuple[str, float]]:
    return [(h.article_id, h.score) for h in ix.search(query, limit=20)]


def test_noop_updates_write_nothing_and_keep_scores(tmp_path: Path) -> None:
    corpus = generated_corpus(tmp_path / "corpus")
    idx = tmp_path / "idx"
    with Index.build([corpus], idx, jobs=1) as ix:
        before = _scores(ix, "election minister")
    assert before
    files = _files(idx)
    for _ in range(3):
        with Index.build([corpus], idx, jobs=1) as ix:
            assert ix.report is not None and not ix.report.changed and ix.report.paragraphs == 0
            assert _scores(ix, "election minister") == before
        assert _files(idx) == files  # no segment, no new table of contents
