"""Analyzers: how text becomes index terms.

Whoosh pickles the schema, analyzers included, into the index, so everything
here must stay importable at this module path for as long as indexes built with
it exist. The tokenizer expression is set explicitly: Whoosh's default keeps
`*` inside tokens.
"""

from __future__ import annotations

import re

from whoosh.analysis import (
    Analyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang.porter import stem as porter_stem

#: Words: letters/digits, with inner dots kept ("U.S", "3.5"). An apostrophe
#: splits, so a possessive ("Twitter's") indexes as its word plus a dropped "s".
TOKEN_PATTERN = re.compile(r"\w+(?:\.\w+)*")


def stem(word: str) -> str:
    """The stem the index stores for a lowercased word."""
    return porter_stem(word)


def text_analyzer() -> Analyzer:
    """Headline, body and quotes: tokenize, lowercase, drop stop words, stem."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(minsize=2)
        | StemFilter(stemfn=stem, cachesize=100_000)
    )


def name_analyzer() -> Analyzer:
    """Speaker names: tokenize and lowercase, no stemming or stop words."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
