"""A paragraph's stored quotations, and which of them a query's `speaker:` clauses ask for.

Each paragraph document stores its quotations as `[text, speaker, start, end]`
rows (`indexing.documents`); `stored` reads them back as `QuoteSpan`s, tolerating
rows without offsets. A query's `speaker:` clauses (`speaker_clauses`) name a
speaker by one or more of the words of their name, as the speakers field is
indexed (lower-cased words, no stemming): `speaker:blair` is anyone whose name
holds the word "blair", `speaker:"tony blair"` those two words in a row.
`said_by` applies the same rule to one quote, so a hit can show the quotation
its speaker clause asked for (`focus`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from whoosh.query.compound import AndNot
from whoosh.query.positional import Phrase
from whoosh.query.qcore import Query
from whoosh.query.wrappers import Not
from whoosh.reading import IndexReader

from searchkit.analysis import TOKEN_PATTERN
from searchkit.results import QuoteSpan

#: A speaker clause: the words of a name that must follow each other in the speaker's name.
Clause = tuple[str, ...]

SPEAKERS_FIELD = "speakers"


def name_words(name: str) -> Clause:
    """The words of a name as the speakers field indexes them (lower-cased, unstemmed)."""
    return tuple(w.lower() for w in TOKEN_PATTERN.findall(name))


def _located(text: str, quoted: str, offsets: Sequence[Any]) -> tuple[int, int]:
    """The quote's span in `text`: the stored offsets when they hold it, else where it is found."""
    start, end = (offsets[0], offsets[1]) if len(offsets) == 2 else (None, None)
    if isinstance(start, int) and isinstance(end, int) and 0 <= start and text[start:end] == quoted:
        return start, end
    at = text.find(quoted) if quoted else -1
    return (at, at + len(quoted)) if at >= 0 else (-1, -1)


def stored(fields: Mapping[str, Any]) -> tuple[QuoteSpan, ...]:
    """The quotations of a stored paragraph document, in paragraph order.

    Rows are `[text, speaker, start, end]`; an older two-item row `[text, speaker]`
    is located by its text (start and end are -1 when it cannot be found).
    """
    text = str(fields.get("body", ""))
    out: list[QuoteSpan] = []
    for row in fields.get("meta") or ():
        if not isinstance(row, (list, tuple)) or not row or not isinstance(row[0], str):
            continue  # not a quote row: skip it rather than fail a search
        quoted = row[0]
        speaker = row[1] if len(row) > 1 and isinstance(row[1], str) and row[1] else None
        start, end = _located(text, quoted, row[2:4])
        out.append(QuoteSpan(text=quoted, speaker=speaker, start=start, end=end))
    return tuple(out)


def speaker_clauses(q: Query, reader: IndexReader) -> tuple[Clause, ...]:
    """The speaker clauses a query asks for (not those it excludes), in query order."""
    out: list[Clause] = []

    def walk(node: Query) -> None:
        if isinstance(node, Not):
            return
        if isinstance(node, AndNot):
            walk(node.a)
        elif isinstance(node, Phrase):
            if node.fieldname == SPEAKERS_FIELD:
                out.append(tuple(node.words))
        elif node.is_leaf():
            if getattr(node, "fieldname", None) == SPEAKERS_FIELD:
                for _, word in node.expanded_terms(reader):
                    out.append((word.decode("utf-8") if isinstance(word, bytes) else str(word),))
        else:
            for child in node.children():
                walk(child)

    walk(q)
    return tuple(dict.fromkeys(c for c in out if c))


def said_by(speaker: str | None, clauses: Iterable[Clause]) -> bool:
    """True when the speaker's name holds one of the clauses' words, in a row."""
    if not speaker:
        return False
    words = name_words(speaker)
    return any(words[i : i + len(c)] == c for c in clauses for i in range(len(words) - len(c) + 1))


def focus(quotes: Sequence[QuoteSpan], clauses: Sequence[Clause]) -> tuple[QuoteSpan, ...]:
    """The quotations of `quotes` said by a speaker the clauses ask for (placed ones only)."""
    if not clauses:
        return ()
    return tuple(q for q in quotes if q.start >= 0 and said_by(q.speaker, clauses))
