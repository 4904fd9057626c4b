"""Quote-seeking queries: "what Blair said about Iraq", "Mourinho on Barcelona tie".

A free-text query that opens with a name (after an optional question word) and
has a quoting cue after it ("said", "says", "on", "about", "remarks",
"speech", "warning", …) asks for that person's quotes on the rest. When the
name (its last one to three words before the cue, longest first) is an indexed
speaker, the search becomes a `Seeking`:

- the name and the rest are scored as free text, as any query is (article
  context included); the grammar of the question ("said", "says", "on",
  "about": `FUNCTION_CUES`) is not searched, so `what Blair said about Iraq`
  matches what `Blair Iraq` matches, not every paragraph with "said";
- the paragraphs where that person is a speaker *and* the rest is the subject
  (`about`) rank before all the others, in the same order among themselves:
  their scores are lifted by the most any paragraph can score for the words
  (`lift`, the matchers' upper bound), so a score shown still orders the
  results. The lift comes after article context, so the other paragraphs of
  such an article do not inherit it.

"About" the subject means holding words that carry at least half of the
subject's weight (each word's idf): "climate" makes a paragraph about
"climate change", "change" alone does not, and with two words of equal weight
either one does. The cue words ("speech", "warning") say what kind of
statement is wanted, not what it is about, so they are scored but are not
part of the subject. A query with no cue, or whose name is no indexed speaker
(or ends in a stop word: the speakers field indexes "the" too), stays plain
free text. The check costs one speakers-field lookup per candidate name (at
most three) and one document-frequency lookup per subject word.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from whoosh.query.compound import And, Or, Require
from whoosh.query.positional import Phrase
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import Term
from whoosh.searching import Searcher

from searchkit import analysis
from searchkit.analysis import TOKEN_PATTERN
from searchkit.indexing.schema import DEFAULT_FIELDS
from searchkit.search import algebra, segments
from searchkit.search import query as query_mod
from searchkit.search.bm25f import FreeText, idf
from searchkit.search.ranking import Ranking
from searchkit.search.wordscores import Unsupported

#: Words that open a question before the name ("what Blair said about Iraq").
QUESTION_WORDS = frozenset("what how why when did does do has have had is was".split())
#: Words after a name that say its quotes are wanted; the ones that carry no topic are dropped from it.
CUES = frozenset(
    "said says say saying told tells on about remarks remarked comments commented comment speech statement "
    "warns warned warning thinks thought views view interview reacts reacted responds responded".split()
)
FUNCTION_CUES = frozenset("said says say saying told tells on about".split())
MAX_NAME_WORDS = 3
#: Subject words weighed to decide what a paragraph is about (the heaviest kept): bounds the subsets tried.
MAX_SUBJECT_WORDS = 8
#: The share of the subject's weight a paragraph's words must carry for it to be about the subject.
SUBJECT_SHARE = 0.5


@dataclass(frozen=True)
class Seeking:
    """A quote-seeking search: how its paragraphs score, and which of them rank before the rest."""

    q: Query  # the name and the subject (cue words that carry none dropped) as free text
    first: Query  # paragraphs quoting the person named and about the subject
    lift: float  # added to their scores: the most any paragraph can score for `q`


def rewrite(searcher: Searcher, text: str, ranking: Ranking) -> Seeking | None:
    """The quote-seeking search for free text `text`, or None when it names no indexed speaker with a cue."""
    words = TOKEN_PATTERN.findall(text)
    start = 0
    while start < len(words) and words[start].lower() in QUESTION_WORDS:
        start += 1
    cue = next((i for i in range(start + 1, len(words)) if words[i].lower() in CUES), None)
    if cue is None:
        return None
    for size in range(min(MAX_NAME_WORDS, cue - start), 0, -1):
        name = [w.lower() for w in words[start : start + size]]
        if not analysis.terms(name[-1]):
            continue  # a name ends in a name, not a stop word ("what is the name of X on Y" names nobody)
        clause = _speaker(searcher, name)
        if clause is None:
            continue
        rest = [w for w in words[start + size :] if w.lower() not in FUNCTION_CUES]
        searched = query_mod.free_text(analysis.terms(" ".join(words[start : start + size] + rest)), ranking)
        if not analysis.terms(" ".join(rest)) or searched is NullQuery:
            return None  # "what did Blair say": no topic, a plain search for the name
        subject = analysis.terms(" ".join(w for w in rest if w.lower() not in CUES))
        about = _about(searcher, subject, ranking)
        first = clause if about is None else Require(about, clause)
        return Seeking(searched, first, _ceiling(searcher, searched))
    return None


def first_mask(searcher: Searcher, seeking: Seeking) -> NDArray[np.bool_]:
    """A boolean per docnum: does the question put this paragraph first (`Seeking.first`)?

    Segment by segment as the algebra filters (`algebra.filter_ids`: the subject's words
    read in bulk, the speaker's postings as the filter); Whoosh's matchers over the whole
    index only when a segment's postings cannot be read in bulk.
    """
    view = segments.view(searcher)
    mask = np.zeros(view.size, dtype=bool)
    try:
        for leaf in view.leaves:
            mask[algebra.filter_ids(seeking.first, leaf.sub, leaf.segment) + leaf.offset] = True
    except Unsupported:
        return view.filter_mask(searcher, seeking.first)
    return mask


def _ceiling(searcher: Searcher, q: Query) -> float:
    """The most any paragraph can score for the free text `q`, article context included (it averages scores).

    Each word's matcher knows an upper bound of its scores (`max_quality`: BM25 saturates
    below `weight * (k1 + 1)`); a paragraph scores at most the words' bounds summed, times
    the coordination bonus for matching them all.
    """
    subs = [sub for sub, _ in searcher.leaf_searchers()]
    bound = sum(max(w.matcher(sub).max_quality() for sub in subs) for w in q.leaves())
    if isinstance(q, FreeText):
        bound *= 1 + q.coordination * (len(q.subqueries) - 1)
    return float(bound)


def _about(searcher: Searcher, stems: list[str], ranking: Ranking) -> Query | None:
    """Paragraphs holding words with `SUBJECT_SHARE` of the subject's weight (None: no indexed subject word).

    The query is an OR of the smallest sets of words that reach that share, so it is
    decided once, on the whole index's figures, and any scorer or shard can run it.
    """
    reader = searcher.reader()
    n = reader.doc_count_all()
    weight = {}
    for stem in dict.fromkeys(stems):
        df = max(reader.doc_frequency(f, stem) for f in DEFAULT_FIELDS)
        if df:  # a word no paragraph holds cannot tell what one is about
            weight[stem] = idf(n, df)
    kept = sorted(weight, key=lambda s: (-weight[s], s))[:MAX_SUBJECT_WORDS]
    if not kept:
        return None
    need = SUBJECT_SHARE * sum(weight[s] for s in kept) - 1e-9  # (1.0: all of them, whatever the rounding)
    sets: list[tuple[str, ...]] = []
    for size in range(1, len(kept) + 1):
        for words in itertools.combinations(kept, size):
            if sum(weight[w] for w in words) >= need and not any(set(s) <= set(words) for s in sets):
                sets.append(words)
    parts = [
        And([query_mod.combined(w, ranking) for w in words])
        if len(words) > 1
        else query_mod.combined(words[0], ranking)
        for words in sets
    ]
    return parts[0] if len(parts) == 1 else Or(parts)


def _speaker(searcher: Searcher, name: list[str]) -> Query | None:
    """The speakers-field clause for `name` if some paragraph quotes that name, else None."""
    clause: Query = Term("speakers", name[0]) if len(name) == 1 else Phrase("speakers", name)
    if len(name) == 1 and not searcher.reader().doc_frequency("speakers", name[0]):
        return None
    if len(name) > 1 and not any(True for _ in searcher.docs_for_query(clause)):
        return None
    return clause
