"""Article context: a paragraph is judged together with its article's best match.

Each matching paragraph's score `s` becomes `s + w * (best - s)`, i.e.
`(1 - w) * s + w * best`, where `best` is the best score among the matching
paragraphs of the same article (the "max passage" document score of Callan 1994,
"Passage-level evidence in document retrieval"). So a paragraph that answers a
query whose subject is named only in the headline or another paragraph of its
article still ranks, and an article's best paragraph keeps exactly its own score:
per-article results are unchanged by it, only paragraph results move.

Both scoring paths (the bulk scorer and Whoosh's matchers) apply it with
`interpolate`, over every match of the query after the filter, before ranking.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def article_best(article: NDArray[np.int64], scores: NDArray[np.float64]) -> NDArray[np.float64]:
    """For each match, the best score among the matches of its article (`article`: ordinals)."""
    best = np.full(int(article.max()) + 1, -np.inf)
    np.maximum.at(best, article, scores)
    return best[article]


def interpolate(article: NDArray[np.int64], scores: NDArray[np.float64], weight: float) -> NDArray[np.float64]:
    """Every match's score moved `weight` of the way to its article's best (0: unchanged)."""
    if not weight or not len(scores):
        return scores
    return scores + weight * (article_best(article, scores) - scores)
