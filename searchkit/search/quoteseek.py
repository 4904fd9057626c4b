"""Quote-seeking queries: "what Blair said about Iraq", "Mourinho on Barcelona tie".

A free-text query that opens with a name (after an optional question word) and
has a quoting cue after it ("said", "says", "on", "about", "remarks",
"speech", "warning", …) asks for that person's quotes on the rest. When the
name (its last one to three words before the cue, longest first) is an indexed
speaker, the query becomes

    Or([all the words as free text, Require(the other words, speaker:name)])

so paragraphs where that person is the speaker of a quote about the rest score
their topic words twice, above the other paragraphs about it. A query with no
cue, or whose name is no indexed speaker (or ends in a stop word: the speakers
field indexes "the" too), stays plain free text. The check costs
one speakers-field lookup per candidate name (at most three).
"""

from __future__ import annotations

from whoosh.query.compound import Or, Require
from whoosh.query.positional import Phrase
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import Term
from whoosh.searching import Searcher

from searchkit import analysis
from searchkit.analysis import TOKEN_PATTERN
from searchkit.search import query as query_mod
from searchkit.search.ranking import Ranking

#: Words that open a question before the name ("what Blair said about Iraq").
QUESTION_WORDS = frozenset("what how why when did does do has have had is was".split())
#: Words after a name that say its quotes are wanted; the ones that carry no topic are dropped from it.
CUES = frozenset(
    "said says say saying told tells on about remarks remarked comments commented comment speech statement "
    "warns warned warning thinks thought views view interview reacts reacted responds responded".split()
)
FUNCTION_CUES = frozenset("said says say saying told tells on about".split())
MAX_NAME_WORDS = 3


def rewrite(searcher: Searcher, text: str, ranking: Ranking) -> Query | None:
    """The quote-seeking query for free text `text`, or None when it names no indexed speaker with a cue."""
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
        topic = query_mod.free_text(analysis.terms(" ".join(rest)), ranking)
        everything = query_mod.free_text(analysis.terms(" ".join(words[start:])), ranking)
        if topic is NullQuery or everything is NullQuery:
            return None
        return Or([everything, Require(topic, clause)])
    return None


def _speaker(searcher: Searcher, name: list[str]) -> Query | None:
    """The speakers-field clause for `name` if some paragraph quotes that name, else None."""
    clause: Query = Term("speakers", name[0]) if len(name) == 1 else Phrase("speakers", name)
    if len(name) == 1 and not searcher.reader().doc_frequency("speakers", name[0]):
        return None
    if len(name) > 1 and not any(True for _ in searcher.docs_for_query(clause)):
        return None
    return clause
