"""Analyzers: how text becomes index terms.

Text is split into words (`TOKEN_PATTERN`), lower-cased, stripped of stop words
and one-letter words, and each word is reduced to its stem by `stem`: accents
folded (`café` -> `cafe`), then the Snowball English stemmer from PyStemmer.
(`porter1_stem`, Whoosh's Porter stemmer, is kept for the relevance benchmark.)
`terms` is the same chain as a plain function, for code that wants the stems
without Whoosh's token objects; snippets stem the words they highlight with
`stem`, so highlights always agree with the index.

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
from typing import Any

from whoosh.analysis import (
    Analyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang.porter import stem as porter_stem
from whoosh.lang.stopwords import stoplists as _stoplists

#: Words: letters/digits, with inner dots kept ("U.S", "3.5"). An apostrophe,
#: straight or curly, splits, so a possessive ("Twitter's", "Twitter’s") indexes
#: as its word plus a one-letter "s" that is dropped.
TOKEN_PATTERN = re.compile(r"\w+(?:\.\w+)*")


def _keep(chars: str) -> bytes:
    # A bytes.translate table: these bytes stay, every other byte becomes a space.
    return bytes(c if chr(c) in chars else 32 for c in range(256))


_WORD_CHARS = "".join(chr(c) for c in range(128) if re.match(r"\w", chr(c)))
_NON_ASCII = "".join(chr(c) for c in range(128, 256))
_TOKEN_BYTES = _keep(_WORD_CHARS + "." + _NON_ASCII)
_WORD_BYTES = _keep(_WORD_CHARS)


def token_runs(text: str) -> list[bytes]:
    """Candidate tokens of `text`, as UTF-8: for ASCII text, exactly `TOKEN_PATTERN.findall(text)`.

    Three times faster than the regex: bytes.translate turns every ASCII byte
    that is neither a word character nor a dot into a space, and the dots that
    are not between two word characters (sentence ends, runs of dots) become
    spaces too, so every space-separated run left is one match. Non-ASCII
    bytes are kept, so a run that holds any may hold no match, one with other
    characters around it (`“Hello`) or several (`a—b`): the caller checks such
    runs with the regex. A match never spans two runs.
    """
    b = b" " + text.encode("utf-8", "surrogatepass").translate(_TOKEN_BYTES) + b" "  # JSON may hold lone surrogates
    if b"." in b:
        # A run of dots leaves at most one after the first replace; it is then
        # next to a space (dropped) or between two other bytes (kept).
        b = b.replace(b"..", b"  ").replace(b". ", b"  ").replace(b" .", b"  ")
    return b.split()


def ascii_words(text: str) -> list[bytes] | None:
    """The words (`\\w+` matches) of `text` as bytes, for ASCII text; None for any other."""
    if not text.isascii():
        return None
    return text.encode("ascii").translate(_WORD_BYTES).split()


#: Words dropped from text and queries: Lucene's English list (33 words).
LUCENE_STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with".split()
)
#: NLTK's English list (127 words, as Whoosh ships it), the default.
NLTK_STOP_WORDS = frozenset(_stoplists["en"])
STOP = NLTK_STOP_WORDS

#: Shorter words are dropped too.
MIN_LENGTH = 2

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
    return _snowball.stemWord(fold(word))


def porter1_stem(word: str) -> str:
    """Whoosh's Porter stem of a lowercased word, accents folded (searchkit 0.1's stemmer)."""
    return porter_stem(fold(word))


def no_stem(word: str) -> str:
    """The lowercased word itself, accents folded (no stemming)."""
    return fold(word)


#: The stem function the index uses; `stem` calls it. Snowball (PyStemmer), with
#: NLTK's stop words and k1 2.0, ranks best on the test collections (benchmarks/README.md).
_STEM = snowball_stem


def stem(word: str) -> str:
    """The stem the index stores for a lowercased word."""
    return _STEM(word)


_cache: dict[str, str | None] = {}
_CACHE_MAX = 200_000


def terms(text: str) -> list[str]:
    """The index terms of `text` in order, repeats kept: exactly what the analyzer yields."""
    cache = _cache
    out: list[str] = []
    for word in TOKEN_PATTERN.findall(text):
        t = cache.get(word, "")
        if t == "":
            low = word.lower()
            t = None if len(low) < MIN_LENGTH or low in STOP else _STEM(low)
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            cache[word] = t
        if t is not None:
            out.append(t)
    return out


def text_analyzer() -> Analyzer:
    """Headline, body and quotes: tokenize, lowercase, drop stop words, stem."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP, minsize=MIN_LENGTH)
        | StemFilter(stemfn=_STEM, cachesize=100_000)
    )


def name_analyzer() -> Analyzer:
    """Speaker names: tokenize and lowercase, no stemming or stop words."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
