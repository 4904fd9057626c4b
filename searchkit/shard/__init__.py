"""Sharded indexes: N ordinary searchkit indexes (shards) behind one manifest, built and searched on Dask.

- `manifest`: what the folder holds (shard count, assignment rule, schema version, each
  shard's committed generation), replaced in one step as an update's last act;
- `assign`: which shard an article lives in (a stable hash of its id);
- `tasks`: the work one shard does (read its articles, write its index), run on a worker;
- `runner`: where tasks run (a Dask client, or local processes) and which shard failed;
- `build`: a build or update of every shard, atomic across shards;
- `stats`: the whole collection's statistics, gathered for a query and injected into a shard;
- `shardsearch`: one shard's ranked window for a query, scored with those statistics;
- `merge`: the shards' windows merged, collapsed, folded and paged as one index would;
- `sharded`: `ShardedIndex`, the `Index` API over a sharded folder.
"""

from searchkit.shard.manifest import MANIFEST_FILE, is_sharded
from searchkit.shard.sharded import ShardedIndex

__all__ = ["MANIFEST_FILE", "ShardedIndex", "is_sharded"]
