"""The index's shape in one place: fields, analyzers, field names and the schema version.

One Whoosh document per paragraph. The article's headline is repeated on each of
its paragraphs, and the quotations the paragraph contains get a field of their
own, so the ranking can weigh a hit in the headline or in a quote above a hit in
plain body text. Everything that decides *how* text is matched (analyzer) is
fixed at index time and versioned; everything that decides *how much* a match
counts (`searchkit.search.ranking.Ranking`) is chosen at search time, no rebuild needed.

Besides paragraphs the index holds one small "file" document per indexed source
file (its size, mtime, hash and article ids). It lives in the same transaction
as the paragraphs it describes, so an incremental update can never disagree
with what was committed, even after a crash.
"""

from __future__ import annotations

from whoosh import fields as wf
from whoosh.analysis.analyzers import Analyzer

from searchkit.analysis import StackedPositions, index_analyzer, name_analyzer

#: Bump whenever a field, analyzer or document layout changes: an index written
#: with another version is refused with a "rebuild" message.
#: 11: a role as the speaker ("the mayor said") is the one person the article gave that role, a
#: name in commas after a titled description ("The new President, X, has said") (issue 15);
#: 10: a name's relative clause with a reporting or attitude verb attributes the quotes it governs
#: (``X, who called it "…"``), a fragment in a later sentence is its subject's, the target of a
#: passive attitude verb or the object of a described subject ("The mayor accused X of") is no
#: speaker (issue 15, quote-seeking queries of issue 16);
#: 9: speakers without role words, nationality words or sentence-opening common words, a person
#: named after an organisation's possessive or role (issue 15, audit on the BBC set);
#: 8: joined words' parts stacked on them (AT&T -> at&t, at, t), not counted in field lengths;
#: 7: every word indexed (stop words, one letters, AT&T, 9/11, C++), and speakers of outlets,
#: organisations by their kind, loose tags (issue 15, second pass); 6: quotes and speakers from the
#: new extractor (chains, partial quotes, resolved names); 5: no pid.
SCHEMA_VERSION = 11

#: Marker file in every index folder (and what `articles.find_sources` skips).
META_FILE = "searchkit.json"

#: Values of the `kind` field.
PARAGRAPH = "p"
FILE = "f"

#: Fields a user may name in a query, and the index field each one means.
QUERY_FIELDS = {
    "headline": "headline",
    "title": "headline",
    "body": "body",
    "text": "body",
    "quote": "quotes",
    "quotes": "quotes",
    "speaker": "speakers",
    "speakers": "speakers",
    "source": "source",
    "article": "article_id",
}

#: Fields searched by a query that names none.
DEFAULT_FIELDS = ("headline", "body", "quotes")


def _text(analyzer: Analyzer) -> wf.TEXT:
    """A stored text field with positions whose length leaves out stacked parts (`StackedPositions`)."""
    field = wf.TEXT(analyzer=analyzer, stored=True)
    field.format = StackedPositions()  # TEXT's own Positions has the default boost too
    return field


def build_schema() -> wf.Schema:
    """The Whoosh schema of a searchkit index."""
    text = index_analyzer()
    return wf.Schema(
        pid=wf.ID(unique=True, stored=True),  # file and meta documents; a paragraph is article_id + n
        kind=wf.ID(stored=True),
        article_id=wf.ID(stored=True, sortable=True),
        # One term per value (Whoosh's default makes eight, for fast range queries, never run on n).
        n=wf.NUMERIC(int, stored=True, sortable=True, shift_step=32),
        headline=_text(text),
        body=_text(text),
        quotes=_text(text),
        speakers=wf.TEXT(analyzer=name_analyzer(), stored=True),
        source=wf.KEYWORD(stored=True, lowercase=True, commas=True),
        date=wf.DATETIME(stored=True, sortable=True),
        url=wf.STORED(),
        path=wf.STORED(),
        wire=wf.ID(stored=True),
        meta=wf.STORED(),
    )
