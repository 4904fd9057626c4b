"""Which shard an article lives in: a stable hash of its id, modulo the shard count.

Stable means the same on every machine, Python version and run (not `hash()`, which is
salted per process): an article and all its paragraphs live in one shard, and an update
of the article goes to the shard that holds it. A source file other than JSON Lines holds
one article whose id is its path, so its shard is known without reading it; a JSON Lines
file can hold articles of every shard.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from searchkit.ingest.formats.common import article_id

#: The assignment rule, as the manifest records it.
RULE = "blake2b-64(article_id) mod shards"


def shard_of(article: str, shards: int) -> int:
    """The shard of an article id."""
    digest = hashlib.blake2b(article.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def shards_of_file(rel: str, shards: int) -> frozenset[int]:
    """The shards that may hold articles of the source file `rel` (its path under its root)."""
    if PurePosixPath(rel).suffix.lower() == ".jsonl":
        return frozenset(range(shards))  # its records carry their own ids
    return frozenset({shard_of(article_id(rel), shards)})
