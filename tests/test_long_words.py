"""One very long query word costs no more than its length (issue 17, item 9, first part)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import generated_corpus

from searchkit import Index
from searchkit.search import typos


def _no_fuzzy(*args: object, **kwargs: object) -> set[str]:
    raise AssertionError("the typo machinery ran on an over-long word")


def test_over_long_words_skip_the_typo_machinery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Index.build([generated_corpus(tmp_path / "c")], tmp_path / "idx", jobs=1) as ix:
        reader = ix.searcher().reader()
        monkeypatch.setattr(typos, "_edits1", _no_fuzzy)
        monkeypatch.setattr(typos, "FuzzyTerm", _no_fuzzy)
        assert typos.near(reader, "x" * (typos.MAX_FUZZY_LENGTH + 1)) == []
        started = time.monotonic()
        res = ix.search("q" * 10_000)  # a hang guard only: today this runs for minutes
        assert time.monotonic() - started < 10
        assert res.hits == ()


def test_words_up_to_the_cap_still_get_typo_tolerance(tmp_path: Path) -> None:
    with Index.build([generated_corpus(tmp_path / "c")], tmp_path / "idx", jobs=1) as ix:
        assert ix.search("electon").hits  # one edit from "election"
