"""Quotations in news paragraphs, and who said them: `extract_quotes`.

What counts as a quotation: words between *double* marks (straight ``"…"``,
curly ``“…”``, guillemets ``«…»``) that someone said or wrote:

* a full utterance, with its attribution (``"…," said X`` / ``X said: "…"`` /
  ``according to X``) or without one when it follows that person's quotes;
* a quotation in several parts: left open at the end of an original paragraph
  and reopened at the next, inside one block (archives merge paragraphs) or
  across blocks; every part is a `Quote` with the same speaker;
* a fragment built into the writer's sentence under a reporting or attitude
  word (``called the plan "a disgrace"``, ``attacked the "reckless" cuts``,
  ``said the result was "fair"``): ``Quote.partial`` is true.

Titles, names and usernames (``the song "Angels"``, ``a username "Abu
al-Walid"``), words quoted as words and scare quotes no one is said to have
said are not quotations. Single marks are never quote marks, which keeps every
apostrophe out of the way.

How speakers are named (`speakers`): the fullest form of the name the article
gives (``said Calder`` -> Finlay Calder), courtesy honorifics dropped (Mr, Mrs,
Ms, Dr), peerage kept (Lord Falconer, Sir Alan Budd), role words and titles in
front stripped (``said chief executive Steven Theede`` -> Steven Theede); an
unnamed spokesperson is their organisation; ``X of Acme said`` is X; pronouns
and descriptions (``he``, ``the 19-year-old``, ``said the American``) are the
person the article is talking about, but a role (``the mayor said``) is the
one person the article gave it (`described`); ``the paper says`` is the outlet named
last and ``the company said`` the organisation (`outlets`); a verb of any kind
right after a quote tags it and a clause ending in a colon introduces one
(`tags`). When no name can be trusted the speaker is None: a wrong name is
worse than none.

The extractor is pure: every span satisfies ``paragraph[q.start:q.end] ==
q.text``. It runs on every paragraph at indexing time, so the scans skip text
inside quotes, per-word and per-name answers are cached, and names mentioned
in passing are read only when a pronoun or surname needs them. The work is
split by stage: `quotemarks` (marks and chains), `names` (tokens and name
runs), `sentences` (sentence starts, found once per paragraph),
`attribution` (reporting verbs, subjects, quotation or not), `cues` (the
reporting and attitude words of a fragment's sentence), `tags`
(attributions by other verbs), `outlets` (which paper or company), `roles`
(a person named after an organisation, an organisation's whole name),
`refusals` (candidates that name no one), `speakers` (resolution) and
`words` (the word lists they share). `extraction` puts them together;
this module gives its spans the public `Quote` type.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from searchkit.ingest.extraction import spans

__all__ = ["Quote", "QuoteWarning", "extract", "extract_quotes"]


@dataclass(frozen=True)
class Quote:
    """One quotation (or one part of a quotation in several parts) in one paragraph.

    ``paragraph[start:end] == text``; the marks are outside the span.
    """

    text: str  # the quoted words, without the marks
    start: int  # character span of `text` inside its paragraph
    end: int
    speaker: str | None  # the person or organisation, named as fully as the article does; None if unknown
    partial: bool = False  # a fragment built into the writer's sentence: called it "a disgrace"


class QuoteWarning(UserWarning):
    """Quote extraction failed on one article, which is indexed without quotes."""


def _extract(paragraphs: list[str]) -> list[tuple[Quote, ...]]:
    # `extract_quotes` has made every paragraph a string (a non-string is "").
    return [
        tuple(Quote(p[start:end], start, end, speaker, partial) for start, end, speaker, partial in found)
        for p, found in zip(paragraphs, spans(paragraphs))
    ]


def extract_quotes(paragraphs: Sequence[str], article: str | None = None) -> list[tuple[Quote, ...]]:
    """The quotations of one article: one tuple of `Quote` per paragraph, in text order.

    Pass all of an article's paragraphs at once: a quotation may run over
    several of them, and speakers are resolved across the article. `article`
    (an id or path) only names the article in a warning: if extraction fails
    on some odd text, a `QuoteWarning` says so and every paragraph gets ``()``.
    """
    items = [p if isinstance(p, str) else "" for p in paragraphs]
    try:
        return _extract(items)
    except Exception as exc:  # a heuristic slip on one odd article must not stop indexing
        where = f"article {article!r}" if article is not None else "an article"
        warnings.warn(
            f"quote extraction failed on {where} ({type(exc).__name__}: {exc}); it is indexed without quotes",
            QuoteWarning,
            stacklevel=2,
        )
        return [() for _ in items]


def extract(paragraphs: Sequence[str], article: str | None = None) -> list[tuple[Quote, ...]]:
    """The same as `extract_quotes` (the name the indexer has always used)."""
    return extract_quotes(paragraphs, article)
