"""The whole collection's statistics, gathered once per query and injected into every shard.

BM25F weighs a word by how many documents hold it (df) among all documents (N), and a
field's length against its average; a shard alone would use its own figures, and the
same paragraph would score differently depending on which articles shared its shard.
As Elasticsearch's `dfs_query_then_fetch`, the parent gathers the figures for every
word the query can touch from all shards (through the federated reader, which sums
them), ships that small table with the query, and each shard scores with it:

- `bm25f.inject_statistics` (searchkit's own BM25F terms) and `GlobalBM25F` (Whoosh's
  scorers, used for phrases, fields and wildcards) read a `CollectionStatistics`;
- N is the one a one-machine index holding the same articles has: every paragraph,
  plus one record per source file read and the boilerplate record (`collection_size`).
"""

from __future__ import annotations

from math import log

from whoosh import scoring
from whoosh.query.qcore import Query
from whoosh.reading import IndexReader
from whoosh.scoring import BaseScorer, BM25FScorer
from whoosh.searching import Searcher

from searchkit.indexing.schema import DEFAULT_FIELDS

#: The text fields whose lengths BM25F reads.
LENGTH_FIELDS = (*DEFAULT_FIELDS, "speakers")

Key = tuple[str, bytes]


def _key(fieldname: str, text: str | bytes) -> Key:
    return (fieldname, text if isinstance(text, bytes) else text.encode("utf-8"))


def collection_size(paragraphs: int, files_read: int) -> int:
    """N of a one-machine index of the same articles: its paragraphs, a record per file, the boilerplate record."""
    return paragraphs + files_read + 1


class GlobalStatistics:
    """N, field length totals and document frequencies of the whole collection (a `CollectionStatistics`).

    Built in the parent for one query (`gather`); on a shard it is the searcher's table,
    to which each query's figures are added (they agree while the manifest's generation does).
    """

    def __init__(self, doc_count: int, lengths: dict[str, int], df: dict[Key, int]) -> None:
        self._doc_count = doc_count
        self.lengths = dict(lengths)
        self.df = dict(df)

    def doc_count(self) -> int:
        return self._doc_count

    def doc_frequency(self, fieldname: str, text: str | bytes) -> int:
        return self.df.get(_key(fieldname, text), 0)

    def avg_field_length(self, fieldname: str) -> float:
        return self.lengths.get(fieldname, 0) / (self._doc_count or 1)

    def add(self, other: GlobalStatistics) -> None:
        """Take in another query's figures (same collection state)."""
        self._doc_count = other.doc_count()
        self.lengths.update(other.lengths)
        self.df.update(other.df)


class ReaderStatistics(GlobalStatistics):
    """The federated reader's own figures with the one-machine N: what the parent scores with."""

    def __init__(self, reader: IndexReader, doc_count: int) -> None:
        lengths = {f: int(reader.field_length(f)) for f in LENGTH_FIELDS if f in reader.schema}
        super().__init__(doc_count, lengths, {})
        self._reader = reader

    def doc_frequency(self, fieldname: str, text: str | bytes) -> int:
        key = _key(fieldname, text)
        found = self.df.get(key)
        if found is None:
            found = self.df[key] = int(self._reader.doc_frequency(fieldname, text))
        return found

    def for_query(self, q: Query) -> GlobalStatistics:
        """The figures of every word `q` can touch (its leaves, wildcards expanded), to send to the shards."""
        reader = self._reader
        table: dict[Key, int] = {}
        for leaf in q.leaves() if not q.is_leaf() else [q]:
            for fieldname, text in leaf.expanded_terms(reader, phrases=True):
                if fieldname in reader.schema:
                    table[_key(fieldname, text)] = self.doc_frequency(fieldname, text)
        return GlobalStatistics(self._doc_count, self.lengths, table)


class GlobalBM25F(scoring.BM25F):
    """Whoosh's BM25F (same formulas) reading idf and average lengths from a `GlobalStatistics`."""

    def __init__(self, stats: GlobalStatistics, B: float, K1: float) -> None:  # noqa: N803 - Whoosh's names
        super().__init__(B=B, K1=K1)
        self.stats = stats

    def idf(self, searcher: Searcher, fieldname: str, text: str) -> float:
        n = self.stats.doc_frequency(fieldname, text)
        return log(self.stats.doc_count() / (n + 1)) + 1

    def scorer(self, searcher: Searcher, fieldname: str, text: str, qf: int = 1) -> BaseScorer:
        found = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(found, BM25FScorer):
            found.avgfl = self.stats.avg_field_length(fieldname) or 1
        return found
