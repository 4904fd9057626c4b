"""Analyzers: how text becomes index terms, and which of them a query searches.

Text is split into words (`TOKEN_PATTERN`), lower-cased, and each word is
reduced to its stem by `stem`: accents folded (`café` -> `cafe`), then the
Snowball English stemmer from PyStemmer. The index keeps every word, stop words
and one-letter words included, with their positions (`index_analyzer`), so a
query made only of such words (`The Who`, `WHO`, `IT`, `"to be or not to be"`)
finds them. A query with other words skips them (`query_terms`: NLTK's stop
words and one-letter words, `STOP` and `MIN_LENGTH`), as the ranking did when
the index dropped them. A few joined forms are one word: `AT&T`, `M&S`, `R&D`
(letters or digits joined by `&`), `9/11`, `24/7` (digits joined by `/`),
`C++`. A query's joined word is that one term; the index holds it whole and,
stacked on it, its parts (`JoinedParts`: `at` and `t`, `9` and `11`, `c`), so
`11` finds "9/11" and `"AT&T wireless"` still matches as a phrase. The parts
do not count in the field's length (`StackedPositions`), as Lucene's
overlapping tokens do not, so a paragraph's length and every other word's
position are what they would be without them.

`terms` is the analysis chain as a plain function, for code that wants the
stems without Whoosh's token objects; snippets stem the words they highlight
with `stem`, so highlights always agree with the index.

The stem function and the stop list are parameters of `text_analyzer` and
`terms` (the defaults are the shipped query analysis), so other analyses (the
relevance benchmark's, in benchmarks/analyzers.py) are passed in, never
patched into this module; `analysis_of` reads them back from an index's own
analyzer.

Whoosh pickles the schema, analyzers included, into the index, so everything
the analyzer refers to must stay importable at this module path for as long as
indexes built with it exist: the stem functions are module-level functions,
and PyStemmer's stemmer object (which cannot be pickled) is made on first use,
so PyStemmer is only needed by an index built with `snowball_stem`.
The tokenizer expression is set explicitly: Whoosh's default keeps `*` inside
tokens. The choices here were measured; see benchmarks/README.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

from whoosh import formats
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import Analyzer
from whoosh.analysis.filters import Filter, LowercaseFilter, StopFilter
from whoosh.analysis.morph import StemFilter
from whoosh.analysis.tokenizers import RegexTokenizer
from whoosh.lang.stopwords import stoplists as _stoplists

#: Words: letters/digits, with inner dots kept ("U.S", "3.5"), an inner "&"
#: ("AT&T", "M&S"), a "/" between digits ("9/11", "24/7") and a closing "++"
#: ("C++"). An apostrophe, straight or curly, splits, so a possessive
#: ("Twitter's", "Twitter’s") is its word plus a one-letter "s" (indexed,
#: skipped by queries with other words).
TOKEN_PATTERN = re.compile(r"\w+(?:(?:[.&]|(?<=\d)/(?=\d))\w+)*(?:\+\+(?!\w))?")


def _keep(chars: str) -> bytes:
    # A bytes.translate table: these bytes stay, every other byte becomes a space.
    return bytes(c if chr(c) in chars else 32 for c in range(256))


_WORD_CHARS = "".join(chr(c) for c in range(128) if re.match(r"\w", chr(c)))
_NON_ASCII = "".join(chr(c) for c in range(128, 256))
_TOKEN_BYTES = _keep(_WORD_CHARS + "." + _NON_ASCII)
_WORD_BYTES = _keep(_WORD_CHARS)


#: Runs cut by `plain_runs` that `token_runs` has not been asked for yet: text -> its runs.
#: A paragraph is cut for its wire fingerprint, then for its postings (one cut, not two).
_recent: dict[str, list[bytes]] = {}
_RECENT_MAX = 1024


def token_runs(text: str) -> list[bytes]:
    """Candidate tokens of `text`, as UTF-8: for ASCII text, exactly `TOKEN_PATTERN.findall(text)`.

    Three times faster than the regex: bytes.translate turns every ASCII byte
    that is neither a word character nor a dot into a space, and the dots that
    are not between two word characters (sentence ends, runs of dots) become
    spaces too, so every space-separated run left is one match. Non-ASCII
    bytes are kept, so a run that holds any may hold no match, one with other
    characters around it (`“Hello`) or several (`a—b`): the caller checks such
    runs with the regex. A match never spans two runs. Text holding a `&`, `/`
    or `+` (joined forms such as `AT&T`, rare in prose) is cut by the regex itself.
    """
    if _recent:
        kept = _recent.pop(text, None)
        if kept is not None:
            return kept
    raw = text.encode("utf-8", "surrogatepass")  # JSON may hold lone surrogates
    if b"&" in raw or b"/" in raw or b"+" in raw:
        return [t.encode("utf-8", "surrogatepass") for t in TOKEN_PATTERN.findall(text)]
    return _cut(raw)


def _cut(raw: bytes) -> list[bytes]:
    # token_runs' translate path, for UTF-8 without `&`, `/` or `+`.
    b = b" " + raw.translate(_TOKEN_BYTES) + b" "
    if b"." in b:
        # A run of dots leaves at most one after the first replace; it is then
        # next to a space (dropped) or between two other bytes (kept).
        b = b.replace(b"..", b"  ").replace(b". ", b"  ").replace(b" .", b"  ")
    return b.split()


def plain_runs(text: str) -> list[bytes] | None:
    """`token_runs(text)` for ASCII text without `&`, `/` or `+` (None for other text), kept for
    the next `token_runs(text)`: the runs are `\\w+` words joined by single inner dots.

    The indexer fingerprints a paragraph's words (`indexing.documents.wire_key`)
    just before the bulk writer cuts it into tokens: both use this one cut.
    """
    if not text.isascii():
        return None
    raw = text.encode("ascii")
    if b"&" in raw or b"/" in raw or b"+" in raw:
        return None
    runs = _cut(raw)
    if len(_recent) >= _RECENT_MAX:  # runs never asked for (a paragraph dropped as boilerplate)
        _recent.clear()
    _recent[text] = runs
    return runs


def ascii_words(text: str) -> list[bytes] | None:
    """The words (`\\w+` matches) of `text` as bytes, for ASCII text; None for any other."""
    if not text.isascii():
        return None
    return text.encode("ascii").translate(_WORD_BYTES).split()


#: Words a query with other words skips: NLTK's English list (127 words, as
#: Whoosh ships it), the default. The index keeps them (`KEEP_ALL`).
NLTK_STOP_WORDS = frozenset(_stoplists["en"])
STOP = NLTK_STOP_WORDS
#: The index's stop list: none, every word is indexed.
KEEP_ALL: frozenset[str] = frozenset()

#: A stem function: a lowercased word in, its index term out.
StemFn = Callable[[str], str]

#: Shorter words are skipped by queries too; the index keeps words of any length (`INDEX_MIN_LENGTH`).
MIN_LENGTH = 2
INDEX_MIN_LENGTH = 1

_snowball: Any = None  # PyStemmer's Stemmer, made on first use (it cannot be pickled)


def fold(word: str) -> str:
    """`word` without accents or other combining marks (`café` -> `cafe`)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def snowball_stem(word: str) -> str:
    """Snowball English ("Porter 2") stem of a lowercased word, accents folded."""
    global _snowball
    if _snowball is None:
        import Stemmer

        _snowball = Stemmer.Stemmer("english")
    stemmed: str = _snowball.stemWord(fold(word))
    return stemmed


def stem(word: str) -> str:
    """The stem the shipped index stores for a lowercased word.

    Snowball (PyStemmer) with NLTK's stop words ranks best on the test
    collections (benchmarks/README.md).
    """
    return snowball_stem(word)


# word as found -> its term (None: dropped), one cache per (stem function, stop list, minimum length).
_caches: dict[tuple[StemFn, frozenset[str], int], dict[str, str | None]] = {}
_cache: dict[str, str | None] = {}  # the shipped query analysis's, the one every search uses
_CACHE_MAX = 200_000


def _cache_for(stem_fn: StemFn, stop: frozenset[str], min_length: int) -> dict[str, str | None]:
    if stem_fn is snowball_stem and stop is STOP and min_length == MIN_LENGTH:
        return _cache
    return _caches.setdefault((stem_fn, stop, min_length), {})


def terms(
    text: str, stem_fn: StemFn = snowball_stem, stop: Collection[str] = STOP, min_length: int = MIN_LENGTH
) -> list[str]:
    """The terms of `text` in order, repeats kept: exactly what `text_analyzer(stem_fn, stop, min_length)` yields.

    The defaults skip stop words and one-letter words, as a query with other words does.
    """
    stops = stop if isinstance(stop, frozenset) else frozenset(stop)
    cache = _cache_for(stem_fn, stops, min_length)
    out: list[str] = []
    for word in TOKEN_PATTERN.findall(text):
        t = cache.get(word, "")
        if t == "":
            low = word.lower()
            t = None if len(low) < min_length or low in stops else stem_fn(low)
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            cache[word] = t
        if t is not None:
            out.append(t)
    return out


def index_terms(text: str) -> list[str]:
    """The words' terms the shipped index holds for `text`: every word, stop words and one letters
    included (a joined word whole; its stacked parts are not listed)."""
    return terms(text, snowball_stem, KEEP_ALL, INDEX_MIN_LENGTH)


def query_terms(text: str) -> list[str]:
    """The terms a free-text query searches: its words without stop words and one letters,
    or all of them when nothing else is left (`The Who`, `IT`, `to be or not to be`)."""
    return terms(text) or index_terms(text)


_stop_terms: frozenset[str] | None = None


def skipped_term(term: str) -> bool:
    """True for an index term that queries with other words skip: a stop word's stem or a one-letter word."""
    global _stop_terms
    if _stop_terms is None:
        _stop_terms = frozenset(index_terms(" ".join(STOP)))
    return len(term) < MIN_LENGTH or term in _stop_terms


# A joined word's joints: `&`, `/` and a closing `++` (TOKEN_PATTERN joins nothing else but dots).
_JOINTS = re.compile(r"[&/]|\+\+$")


def joined_parts(word: str) -> list[tuple[int, str]]:
    """The parts indexed with a joined word, each with its offset from the word's position.

    `at&t` -> `at` at 0 and `t` at 1; `9/11` -> `9`, `11`; `c++` -> `c`; any other word -> [].
    The first part stands at the word's position and every later one at the next
    (deduplicated), never further: so `"9 11"` is a phrase of "9/11", the word after
    it keeps its position, and each term's positions stay in order.
    """
    if "&" not in word and "/" not in word and not word.endswith("++"):
        return []
    pieces = [p for p in _JOINTS.split(word) if p]
    if not pieces:
        return []
    return [(0, pieces[0])] + [(1, p) for p in dict.fromkeys(pieces[1:])]


class JoinedParts(Filter):
    """Indexing only: after a joined word (`joined_parts`), its parts, stacked (`Token.stacked`).

    Queries keep the joined word whole (a query analyses in "query" mode), so
    `AT&T` searches the term `at&t`, never `at` or `t`. The parts keep the whole
    word's characters, so anything that highlights from them marks the whole word.
    The bulk writer (`codec.textpostings`) calls `parts` for the same result.
    """

    def parts(self, word: str) -> list[tuple[int, str]]:
        """The parts of a (lower-cased) word, with their position offsets: `joined_parts`."""
        return joined_parts(word)

    # whoosh3's stubs: Filter.__call__(tokens) overrides Composable.__call__(value, **kwargs); Filter's it is.
    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for t in tokens:
            flags = vars(t)  # Token takes any attribute; `stacked` is ours
            flags["stacked"] = False  # the tokenizer reuses one Token: say it of every word
            # Read before yielding: the filters after this one (the stemmer) change the token.
            word, pos, split = t.text, getattr(t, "pos", 0), t.mode == "index" and t.positions
            yield t
            if not split:
                continue
            for offset, part in joined_parts(word):
                t.text, t.pos, flags["stacked"] = part, pos + offset, True
                yield t


class StackedPositions(formats.Positions):
    """Positions whose frequencies, and so the field's length, leave out stacked tokens (`JoinedParts`).

    Whoosh counts a document's field length as the sum of the frequencies this
    method reports (used for nothing else), so "AT&T" counts one word, as it did
    before its parts were indexed. Weights and positions count every token.
    """

    #: What the bulk writer (`codec.textpostings`) checks to write the same lengths.
    length_skips_stacked = True

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        fb = self.field_boost
        poses: dict[Any, list[int]] = defaultdict(list)
        counted: dict[Any, int] = defaultdict(int)
        kwargs["positions"] = True
        kwargs["boosts"] = True
        weights: dict[Any, float] = defaultdict(float)
        for t in formats.tokens(value, analyzer, kwargs):
            poses[t.text].append(t.pos)
            weights[t.text] += t.boost
            counted[t.text] += not getattr(t, "stacked", False)
        for w, poslist in poses.items():
            yield (w, counted[w], weights[w] * fb, self.encode(poslist))


def text_analyzer(
    stem_fn: StemFn = snowball_stem, stop: Collection[str] = STOP, min_length: int = MIN_LENGTH, parts: bool = False
) -> Analyzer:
    """Tokenize, lowercase, drop the words of `stop` and those shorter than `min_length`, stem.

    With `parts`, a joined word's parts are indexed with it (`JoinedParts`).
    The defaults are the query analysis; the index's own is `index_analyzer`.
    Whoosh pickles `stem_fn` by name into the schema: pass a module-level
    function that stays importable where it is for as long as the index lives.
    """
    chain = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | StopFilter(stoplist=frozenset(stop), minsize=min_length)
    if parts:
        chain = chain | JoinedParts()
    return chain | StemFilter(stemfn=stem_fn, cachesize=100_000)


def index_analyzer() -> Analyzer:
    """Headline, body and quotes in the index: every word kept, with its position (`index_terms`),
    and joined words' parts stacked on them (`JoinedParts`)."""
    return text_analyzer(snowball_stem, KEEP_ALL, INDEX_MIN_LENGTH, parts=True)


def analysis_of(analyzer: Analyzer) -> tuple[StemFn, frozenset[str]] | None:
    """The stem function and stop list of a `text_analyzer` (read back from an index's schema).

    None for an analyzer of another shape (no stop or no stem filter).
    """
    stem_fn: StemFn | None = None
    stops: frozenset[str] | None = None
    for item in getattr(analyzer, "items", ()):
        if isinstance(item, StemFilter):
            stem_fn = item.stemfn
        elif isinstance(item, StopFilter):
            stops = frozenset(item.stops)
    if stem_fn is None or stops is None:
        return None
    return stem_fn, stops


def name_analyzer() -> Analyzer:
    """Speaker names: tokenize and lowercase, no stemming or stop words."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
