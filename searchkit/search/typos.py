"""Typo tolerance: indexed words near a mistyped one, and "did you mean".

The index holds stems, not words as written, and a typo often changes the stem
more than the word (`minster` -> `minster`, `minister` -> `minist`). So the
neighbours of a query word are found two ways and merged: every spelling one
edit away from the *word* is stemmed and looked up, and Whoosh's fuzzy matching
runs on the *stem*. Allowed distance grows with length, as in Meilisearch:
none below 5 letters, 1 from 5, 2 from 9. Words longer than `MAX_FUZZY_LENGTH`
get no typo tolerance: the one-edit spellings of a word of n letters number
about 54n and each is n long, so the cost grows with n squared (a 10,000-letter
word took minutes and gigabytes); no real word is that long.

A word can also be mistyped into a *rare stem collision*: `goverment` stems to
`gover`, the stem of "governess", so it matches a few governess paragraphs and
nothing tells the user. The rule (`collides`): a word whose stem is rare (in at
most `RARE_DOCS` paragraphs) is treated like a word with no match when it is
never written that way in those paragraphs, every form written there is
farther from it than the typo distance (so `governesses` still finds
"governess": two edits), and an indexed word near it is `SUGGEST_RATIO` times
more frequent (so a rare word typed right and no likelier neighbour stays). It
reads the stored text of at most `RARE_DOCS` paragraphs, only for rare stems.
"""

from __future__ import annotations

import string
import weakref

from whoosh.query.terms import FuzzyTerm
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from searchkit.analysis import TOKEN_PATTERN
from searchkit.indexing.schema import DEFAULT_FIELDS
from searchkit.search import query as query_mod
from searchkit.search.ranking import Ranking

#: How many neighbours replace an unknown word: the most frequent one. More brought noise
#: on the BBC set ("minster" -> ministers, minutes, monster, munster; the rugby lists won).
MAX_NEAR = 1
#: A suggestion must be this many times more frequent than the word typed.
SUGGEST_RATIO = 5
#: A stem in at most this many paragraphs is rare enough to check for a collision.
RARE_DOCS = 10
#: Words longer than this are not checked for a collision (the check is quadratic in length).
MAX_CHECKED = 40


#: Words longer than this get no typo tolerance, so a typo's cost is bounded whatever the query.
MAX_FUZZY_LENGTH = 40


def fuzzy_distance(word: str) -> int:
    """Edit distance allowed for a mistyped word of this length (0 = exact only)."""
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


_lexicons: weakref.WeakKeyDictionary[IndexReader, frozenset[str]] = weakref.WeakKeyDictionary()


def _lexicon(reader: IndexReader) -> frozenset[str]:
    """Every stem of the searched fields, once per reader: candidate checks become set lookups."""
    try:
        return _lexicons[reader]
    except (KeyError, TypeError):
        pass
    words = frozenset(
        t.decode("utf-8") if isinstance(t, bytes) else t for f in DEFAULT_FIELDS for t in reader.lexicon(f)
    )
    try:
        _lexicons[reader] = words
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        pass
    return words


def known(reader: IndexReader, stem: str) -> bool:
    return stem in _lexicon(reader)


def _frequency(reader: IndexReader, stem: str) -> int:
    return max(reader.doc_frequency(f, stem) for f in ("headline", "body"))


def _edits1(word: str) -> set[str]:
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in letters}
        | {a + c + b for a, b in splits for c in letters}
    )


def near(reader: IndexReader, word: str, thorough: bool = True) -> list[str]:
    """Indexed stems within the typo distance of `word`, most frequent first.

    Without `thorough`, only one-edit spellings are tried (no fuzzy walk of the
    term list, which costs up to ~150 ms for a long word): enough for a suggestion.
    """
    if len(word) > MAX_FUZZY_LENGTH:
        return []  # before lowercasing or stemming: nothing here may cost more than the cap
    word = word.lower()
    dist = fuzzy_distance(word)
    stems = query_mod.terms_of(word)
    if not dist or not stems:
        return []
    found: set[str] = set()
    for candidate in _edits1(word):
        if candidate[:1] != word[:1]:
            continue  # first letters are rarely mistyped, and "overment" stems to a common "over"
        for s in query_mod.terms_of(candidate)[:1]:
            if known(reader, s):
                found.add(s)
    for f in DEFAULT_FIELDS if thorough else ():
        fq = FuzzyTerm(f, stems[0], maxdist=dist, prefixlength=1)
        found.update(t.decode("utf-8") if isinstance(t, bytes) else t for _, t in fq.expanded_terms(reader))
    found.discard(stems[0])
    return sorted(found, key=lambda s: (-_frequency(reader, s), s))[:MAX_NEAR]


#: Collision verdicts remembered per reader (word -> verdict); cleared when it grows past this.
COLLIDES_CACHE_SIZE = 10_000
_collisions: weakref.WeakKeyDictionary[IndexReader, dict[str, bool]] = weakref.WeakKeyDictionary()


def collides(searcher: Searcher, word: str) -> bool:
    """True if `word` matches only through a rare stem collision, as the module docstring says.

    The verdict depends on the word and the index only, so it is remembered per
    reader: every query checks each of its words, and a rare stem costs stored-field reads.
    """
    word = word.lower()
    reader = searcher.reader()
    try:
        memo = _collisions.setdefault(reader, {})
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        return _collides(searcher, reader, word)
    got = memo.get(word)
    if got is None:
        got = _collides(searcher, reader, word)
        if len(memo) >= COLLIDES_CACHE_SIZE:
            memo.clear()
        memo[word] = got
    return got


def _collides(searcher: Searcher, reader: IndexReader, word: str) -> bool:
    dist = fuzzy_distance(word)
    stems = query_mod.terms_of(word)
    if not dist or len(word) > MAX_CHECKED or len(stems) != 1 or not known(reader, stems[0]):
        return False
    df = _frequency(reader, stems[0])
    if df > RARE_DOCS:
        return False
    forms = _written_forms(searcher, stems[0])
    if word in forms or any(_distance(word, form, dist) <= dist for form in forms):
        return False
    better = near(reader, word)
    return bool(better) and _frequency(reader, better[0]) > max(SUGGEST_RATIO * df, 2)


def _written_forms(searcher: Searcher, stem: str) -> set[str]:
    """The words as written (lower case) whose stem is `stem`, from the paragraphs holding it."""
    forms: set[str] = set()
    reader = searcher.reader()
    for fieldname in ("headline", "body", "quotes"):
        if (fieldname, searcher.schema[fieldname].to_bytes(stem)) not in reader:
            continue
        for doc in list(searcher.postings(fieldname, stem).all_ids())[:RARE_DOCS]:
            words = {w.lower() for w in TOKEN_PATTERN.findall(str(reader.stored_fields(doc).get(fieldname, "")))}
            forms.update(w for w in words - forms if query_mod.terms_of(w) == [stem])
    return forms


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or `limit + 1` once it is known to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) > limit:
            return limit + 1
    return row[-1]


def surface(searcher: Searcher, stem: str) -> str:
    """A word as written in the articles whose stem is `stem`, for showing to people."""
    for fieldname in ("body", "headline"):
        term = (fieldname, searcher.schema[fieldname].to_bytes(stem))
        m = searcher.postings(fieldname, stem) if term in searcher.reader() else None
        if m is not None and m.is_active():
            text = str(searcher.reader().stored_fields(m.id()).get(fieldname, ""))
            for word in TOKEN_PATTERN.findall(text):
                if query_mod.terms_of(word) == [stem]:
                    return str(word).lower()
    return stem


def suggest(searcher: Searcher, text: str, ranking: Ranking, found: int) -> str | None:
    """A respelled free-text query that matches more paragraphs than `found`, or None."""
    reader = searcher.reader()
    words = TOKEN_PATTERN.findall(text)
    out: list[str] = []
    for word in words:
        stems = query_mod.terms_of(word)
        candidates = near(reader, word, thorough=False) if stems else []
        typed = _frequency(reader, stems[0]) if stems else 0
        if candidates and _frequency(reader, candidates[0]) > max(SUGGEST_RATIO * typed, 2):
            out.append(surface(searcher, candidates[0]))
        else:
            out.append(word)
    if [w.lower() for w in words] == [w.lower() for w in out]:
        return None
    respelled = " ".join(out)
    more = sum(1 for _ in searcher.docs_for_query(query_mod.parse(respelled, searcher.schema, ranking)))
    return respelled if more > found else None
