"""The index folder: create, open, check and lock it.

A searchkit index is a Whoosh index plus `searchkit.json`, which records the
schema version it was written with. Opening checks that file first, so an index
from another version, a folder that holds no index, and a damaged index each get
their own error with the fix, instead of a Whoosh traceback.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.writing import SegmentWriter

from searchkit.errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    SchemaMismatchError,
)
from searchkit.schema import META_FILE, SCHEMA_VERSION, build_schema

INDEX_NAME = "MAIN"


def _meta_path(index_dir: Path) -> Path:
    return index_dir / META_FILE


def read_meta(index_dir: Path) -> dict[str, Any]:
    """The folder's searchkit.json, or IndexNotFoundError / IndexCorruptError."""
    path = _meta_path(index_dir)
    if not path.exists():
        raise IndexNotFoundError(
            f"no searchkit index in {index_dir}; run `searchkit index` to build one"
        )
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("not an object")
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            f"{path} is unreadable ({exc}); rebuild with `searchkit index --rebuild`"
        ) from exc
    return meta


def check_version(index_dir: Path, meta: dict[str, Any]) -> None:
    found = meta.get("schema_version")
    if found != SCHEMA_VERSION:
        raise SchemaMismatchError(
            f"the index in {index_dir} was built with schema version {found}, this searchkit "
            f"uses {SCHEMA_VERSION}; rebuild it with `searchkit index --rebuild`"
        )


def open_index(index_dir: Path) -> windex.Index:
    """Open an existing index for reading or writing, checking its version."""
    meta = read_meta(index_dir)
    check_version(index_dir, meta)
    try:
        return windex.open_dir(str(index_dir), indexname=INDEX_NAME)
    except windex.EmptyIndexError as exc:
        raise IndexCorruptError(
            f"{index_dir} has searchkit.json but no index files; "
            "rebuild with `searchkit index --rebuild`"
        ) from exc
    except Exception as exc:  # Whoosh raises many kinds on damaged files
        raise IndexCorruptError(
            f"the index in {index_dir} is damaged ({type(exc).__name__}: {exc}); "
            "rebuild it with `searchkit index --rebuild`"
        ) from exc


def create_index(index_dir: Path) -> windex.Index:
    """A new, empty index in `index_dir` (created if needed, old index files replaced)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)
    meta = {"format": "searchkit", "schema_version": SCHEMA_VERSION, "created": time.time()}
    tmp = _meta_path(index_dir).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, _meta_path(index_dir))
    return ix


def has_index(index_dir: Path) -> bool:
    return _meta_path(index_dir).exists()


def acquire_writer(ix: windex.Index, index_dir: Path, wait: float) -> SegmentWriter:
    """A writer, waiting up to `wait` seconds for another process's to finish.

    Whoosh's lock is an fcntl lock: the kernel drops it when its holder dies,
    so a lock left by a killed process never needs removing by hand.
    """
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            return ix.writer(limitmb=256)
        except windex.LockError:
            if time.monotonic() >= deadline:
                raise IndexLockedError(
                    f"the index in {index_dir} is being updated by another process; "
                    "try again when it finishes, or wait longer with --wait SECONDS"
                ) from None
            time.sleep(0.05)
