"""The stem function and stop list are parameters of the analysis, never patched globals."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

from searchkit import analysis
from searchkit.indexing.schema import build_schema

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import analyzers  # noqa: E402


def _tokens(analyzer: Any, text: str) -> list[str]:
    return [t.text for t in analyzer(text)]


def test_default_analysis_is_the_shipped_one() -> None:
    text = "The runners were running to the cafés"
    assert analysis.terms(text) == _tokens(analysis.text_analyzer(), text) == ["runner", "run", "cafe"]


def test_stemmer_and_stop_list_are_parameters() -> None:
    text = "The runners were running to the cafés"
    for stem_fn in analyzers.STEMMERS.values():
        for stop in analyzers.STOP_LISTS.values():
            assert analysis.terms(text, stem_fn, stop) == _tokens(analysis.text_analyzer(stem_fn, stop), text)
    assert analysis.terms(text, analyzers.no_stem, frozenset()) == [
        "the",
        "runners",
        "were",
        "running",
        "to",
        "the",
        "cafes",
    ]
    # another analysis does not leak into the shipped one (each has its own cache)
    assert analysis.terms(text) == ["runner", "run", "cafe"]


def test_analysis_of_reads_the_index_analyzer_back() -> None:
    schema = build_schema()
    # the index keeps every word
    assert analysis.analysis_of(schema["body"].analyzer) == (analysis.snowball_stem, analysis.KEEP_ALL)
    other = analysis.text_analyzer(analyzers.porter1_stem, analyzers.LUCENE_STOP_WORDS)
    assert analysis.analysis_of(other) == (analyzers.porter1_stem, analyzers.LUCENE_STOP_WORDS)
    assert analysis.analysis_of(analysis.name_analyzer()) is None


def test_schema_still_pickles_the_same_names() -> None:
    # Existing indexes name searchkit.analysis.snowball_stem in their schema; it must stay there.
    blob = pickle.dumps(build_schema())
    assert b"searchkit.analysis" in blob and b"snowball_stem" in blob
    assert not hasattr(analysis, "_STEM") and not hasattr(analysis, "porter1_stem")
    assert pickle.loads(blob)["body"].analyzer("Running") is not None
