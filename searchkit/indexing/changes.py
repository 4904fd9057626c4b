"""Change detection: whether a file may differ from its record, by size and mtime, and by content when in doubt.

A file whose size and mtime match its record is taken as unchanged, except when
the record is *racy*: the file's mtime was within the file system's timestamp
granularity of the update that read it. An edit made in that same tick, after
the read, can leave size and mtime exactly as recorded (1-second timestamps on
network shares and some containers, 2 seconds on FAT), so such a file is hashed
every time until an update sees it settled and records it plainly.

Why a fixed 2 s (`RACY_NS`) rather than measuring the granularity: one stat
cannot tell it (a file system with 1-second timestamps can report whole-second
mtimes that look like any other, a network share's server may round differently
from the client, FAT rounds to 2 s), and being generous costs nothing that
matters: only files modified in the last two seconds before an update are
hashed, which is almost always none. Comparing with the update's start (before
the walk) rather than each file's read makes the flag a superset of the truly
racy cases, and a file whose mtime lies in the future (clock skew) is racy too.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from searchkit.ingest.articles import SourceFile

#: Timestamps closer than this to an update are not trusted to show a later edit (FAT's 2 s covers the coarsest).
RACY_NS = 2_000_000_000


def racy(mtime_ns: int, started_ns: int) -> bool:
    """Whether an edit after an update that started at `started_ns` could leave this mtime unchanged."""
    return mtime_ns > started_ns - RACY_NS


def record_meta(meta: dict[str, Any], mtime_ns: int, started_ns: int) -> dict[str, Any]:
    """A file record's meta with `mtime_ns`, flagged "racy" when it is (the flag is absent otherwise)."""
    out = {k: v for k, v in meta.items() if k != "racy"}
    out["mtime_ns"] = mtime_ns
    if racy(mtime_ns, started_ns):
        out["racy"] = True
    return out


def same_stat(old: dict[str, Any] | None, src: SourceFile) -> bool:
    """Whether size and mtime match the record and can be trusted to (the record is not racy)."""
    return old is not None and not old.get("racy") and old["size"] == src.size and old["mtime_ns"] == src.mtime_ns


def unchanged(old: dict[str, Any] | None, src: SourceFile) -> bool:
    """Whether the file is what its record says: by size and mtime, or, for a racy record, by its hash."""
    if same_stat(old, src):
        return True
    if old is None or not old.get("racy") or old["size"] != src.size or old["mtime_ns"] != src.mtime_ns:
        return False
    try:
        return bool(sha256_of(src.path) == old["sha256"])
    except OSError:  # reading it for real says why
        return False


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The hash of a file's bytes, read in blocks; raises OSError."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
