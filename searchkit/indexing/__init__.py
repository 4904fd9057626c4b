"""Indexing: articles -> a committed index.

The schema, the paragraph documents made from an article, the build and the
incremental update (one transaction each), the worker processes of a parallel build,
and the index folder itself (locking, metadata, the damage guard). Whoosh's on-disk
bytes are written by `searchkit.codec`, never here.
"""
