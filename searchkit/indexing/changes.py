"""Change detection: whether a file may differ from its record, by size and mtime, and by content when in doubt.

A file whose size and mtime match its record is taken as unchanged, except when
its mtime is within the file system's timestamp granularity of the index's last
commit (`racy`): an edit made in the tick in which the update read it can leave
size and mtime exactly as recorded (1-second timestamps on network shares and
some containers, 2 seconds on FAT), so such a file is hashed instead. Nothing
is stored for it: the reference is the time of the last commit (the table of
contents' mtime, `Index.last_modified`), which is after every read of that
update, so the test flags a superset of the truly racy files; a run that
changes nothing leaves it as it is, and a file modified in the future (clock
skew) is racy too. (An `optimize` also commits: a same-tick edit made before
it and after the update that read the file can go unseen.)

Why a fixed 2 s (`RACY_NS`) rather than measuring the granularity: one stat
cannot tell it (a file system with 1-second timestamps reports whole-second
mtimes that look like any other, a network share's server may round
differently from the client, FAT rounds to 2 s), and being generous costs
nothing that matters: only files modified within two seconds before the last
commit are hashed, which is almost always none.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from searchkit.ingest.articles import SourceFile

#: Timestamps closer than this to an update are not trusted to show a later edit (FAT's 2 s covers the coarsest).
RACY_NS = 2_000_000_000


def racy(mtime_ns: int, committed_ns: int | None) -> bool:
    """Whether an edit after the update whose commit was at `committed_ns` could have left this mtime unchanged."""
    return committed_ns is not None and mtime_ns > committed_ns - RACY_NS


def same_stat(old: dict[str, Any] | None, src: SourceFile, committed_ns: int | None) -> bool:
    """Whether size and mtime match the record and can be trusted to (the file is not racy)."""
    return (
        old is not None
        and old["size"] == src.size
        and old["mtime_ns"] == src.mtime_ns
        and not racy(src.mtime_ns, committed_ns)
    )


def unchanged(old: dict[str, Any] | None, src: SourceFile, committed_ns: int | None) -> bool:
    """Whether the file is what its record says: by size and mtime, or, when racy, by its hash."""
    if old is None or old["size"] != src.size or old["mtime_ns"] != src.mtime_ns:
        return False
    if not racy(src.mtime_ns, committed_ns):
        return True
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
