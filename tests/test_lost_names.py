"""Bad names and strings never stop a run (issue 17, item 8).

A file whose name is not valid UTF-8 is indexed under a printable stand-in,
with a warning naming it; lone surrogates in JSON Lines strings (valid JSON
escapes, not text) are replaced when read, with a file:line warning, so `show`
and search work on the article.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import write

from searchkit import Index
from searchkit.indexing import indexer


@pytest.mark.skipif(os.name != "posix", reason="file names as bytes are a POSIX thing")
def test_a_file_name_that_is_not_utf8_is_indexed(tmp_path: Path) -> None:
    corpus, idx = tmp_path / "c", tmp_path / "ix"
    write(corpus, "good.txt", "Good\n\nA story about the council budget.\n")
    os.makedirs(corpus, exist_ok=True)
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"), "wb") as f:
        f.write(b"Cafe story\n\nThe cafe opened on the high street today.\n")
    report = indexer.update(idx, [corpus])  # today: an encoding error naming no file, nothing indexed
    assert report.added == 2
    assert [str(w) for w in report.warnings] == [
        f"{corpus}/caf\\xe9.txt: file name is not valid UTF-8; indexed as caf\\xe9.txt"
    ]
    with Index.open(idx) as ix:
        assert [h.article_id for h in ix.search("cafe")] == ["caf\\xe9"]
        assert ix.show("caf\\xe9").paragraphs[0][1] == "The cafe opened on the high street today."
    assert not indexer.update(idx, [corpus]).changed


def test_lone_surrogates_in_jsonl_are_replaced_with_a_warning(tmp_path: Path) -> None:
    corpus, idx = tmp_path / "c", tmp_path / "ix"
    line = '{"id": "s1", "headline": "Bad \\ud800 head", "paragraphs": ["Body \\udc80 with a lone surrogate."], '
    write(corpus, "s.jsonl", line + '"url": "http://example.org/\\ud800", "extra": "\\ud800 unused"}\n')
    report = indexer.update(idx, [corpus])
    assert [str(w) for w in report.warnings] == [
        's.jsonl:1: lone surrogate escape (\\ud800-\\udfff) in "headline", "paragraphs", "url"; replaced by U+FFFD'
    ]
    with Index.open(idx) as ix:
        hits = ix.search("surrogate")
        assert [h.article_id for h in hits] == ["s1"]
        view = ix.show("s1")
        assert view.headline == "Bad \ufffd head" and view.url == "http://example.org/\ufffd"
        assert view.paragraphs[0][1] == "Body \ufffd with a lone surrogate."


@pytest.mark.skipif(os.name != "posix", reason="file names as bytes are a POSIX thing")
def test_warnings_name_bad_names_printably(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus, "good.txt", "Good\n\nA story about the council budget.\n")
    os.symlink(b"missing.txt", os.path.join(os.fsencode(corpus), b"gone-\xff.txt"))
    report = indexer.update(tmp_path / "ix", [corpus])
    assert [str(w) for w in report.warnings] == [f"{corpus}/gone-\\xff.txt: broken symlink, skipped"]
    assert all(str(w).encode("utf-8") for w in report.warnings)  # printable: no surrogates left
