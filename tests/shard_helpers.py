"""A generated corpus and result comparisons for the sharded-index tests (tests/test_shard*.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from searchkit import Index

VOCAB = (
    "election minister storm coast rain city derby players market shares bank prices growth mobile phone music "
    "download court judge police officers government plans tax budget council school teacher hospital doctor "
    "nurse railway station airport flight harbour ferry fishing farmers harvest drought flood bridge tunnel "
    "museum gallery concert festival theatre novel author poet league cup final striker keeper manager "
    "referee injury transfer contract union strike wages pension inflation energy power wind solar nuclear "
    "climate carbon emissions science research university student exam grades village town county region"
).split()

#: A paragraph syndicated word for word into several articles (folded as wire copy).
WIRE = "The regional council confirmed on Tuesday that the harbour bridge will close for repairs until spring."
#: A closing line repeated at the end of many articles (dropped as boilerplate).
FURNITURE = "Follow the Gazette newsroom for more stories."
SPEAKERS = ("Maria Lopez", "John Carter", "Aisha Khan", "Peter Novak")


def _paragraph(rng: random.Random) -> str:
    words = [rng.choice(VOCAB) for _ in range(rng.randint(6, 30))]
    text = " ".join(words).capitalize() + "."
    if rng.random() < 0.2:
        quote = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(4, 10))).capitalize()
        text += f' "{quote}," said {rng.choice(SPEAKERS)}.'
    return text


def _article(rng: random.Random, i: int) -> tuple[str, list[str], str | None, str]:
    headline = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(3, 7))).capitalize()
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(1, 7))]
    if i % 9 == 0:
        paragraphs.insert(rng.randint(0, len(paragraphs)), WIRE)
    if i % 5 == 0:
        paragraphs.append(FURNITURE)
    day = None if i % 7 == 0 else f"20{10 + i % 12:02d}-{1 + i % 12:02d}-{1 + i % 27:02d}"
    return headline, paragraphs, day, rng.choice(("Gazette", "Courier", "Herald"))


def generated_corpus(folder: Path, articles: int = 240, seed: int = 20) -> Path:
    """Text files in folders and one JSON Lines file: wire copy, furniture, quotes, dates, sources."""
    rng = random.Random(seed)
    records = []
    for i in range(articles):
        headline, paragraphs, day, source = _article(rng, i)
        if i % 4 == 0:  # a quarter of the articles are records of one JSON Lines file
            records.append(
                {"id": f"wire-{i:04d}", "headline": headline, "paragraphs": paragraphs, "source": source}
                | ({"date": day} if day else {})
            )
            continue
        head = [headline] + ([f"Date: {day}"] if day else []) + [f"Source: {source}"]
        path = folder / f"section{i % 6}" / f"story-{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(head) + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


def queries(n: int = 200, seed: int = 3) -> list[str]:
    """Free text (some mistyped), phrases (some mistyped), AND / NOT, field clauses (some mistyped),
    speaker queries and `path:` folder clauses."""
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(n):
        words = rng.sample(VOCAB, rng.randint(1, 3))
        kind = i % 10
        if kind in (1, 8, 9):
            w = words[0]
            words[0] = w[:2] + w[3:] if len(w) > 5 else w  # a typo: one letter dropped
        if kind in (2, 8) and len(words) > 1:
            out.append(f'"{words[0]} {words[1]}"')
        elif kind == 3 and len(words) > 1:
            out.append(f"{words[0]} AND {words[1]}")
        elif kind == 4 and len(words) > 1:
            out.append(f"{words[0]} NOT {words[1]}")
        elif kind in (5, 9):
            out.append(f"headline:{words[0]} {' '.join(words[1:])}".strip())
        elif kind == 6:
            out.append(f"speaker:{rng.choice(SPEAKERS).split()[1].lower()} {words[0]}")
        elif kind == 7:
            out.append(f"path:section{rng.randrange(6)} {' '.join(words)}")
        else:
            out.append(" ".join(words))
    return out + ["harbour bridge repairs", "gazette newsroom stories", *quote_questions()]


def quote_questions() -> list[str]:
    """Quote-seeking questions, one per speaker: their paragraphs on the topic are lifted first."""
    return [f"what {name.split()[1]} said about {VOCAB[5 * i]} {VOCAB[5 * i + 3]}" for i, name in enumerate(SPEAKERS)]


def key(results: Any) -> tuple[Any, ...]:
    """What must be identical: hits (ids, paragraphs, wire folding, own-text match counts, headline-only,
    snippets and highlights, headline highlights), totals, the words retried or respelled, a suggestion."""
    hits = tuple(
        (
            h.article_id,
            h.paragraph,
            h.also_in,
            h.more_in_article,
            h.headline_only,
            h.snippet,
            h.highlights,
            h.fragments,
            h.headline_highlights,
        )
        for h in results.hits
    )
    # A retried word is shown as the first paragraph holding it writes it (`typos.surface`), and the first
    # paragraph depends on document order, which sharding changes: the words retried are compared, and
    # whether a respelling was suggested (the query they search for is the same: the hits say so).
    retried = tuple(word for word, _ in results.fuzzy)
    return (hits, results.total, retried, results.suggestion is None, results.notes, results.query)


def assert_same(single: Index, sharded: Index, query: str, **kwargs: Any) -> None:
    a, b = single.search(query, **kwargs), sharded.search(query, **kwargs)
    assert key(b) == key(a), (query, kwargs)
    for x, y in zip(a.hits, b.hits):
        assert abs(x.score - y.score) <= 1e-9, (query, kwargs, x.article_id, x.score, y.score)
