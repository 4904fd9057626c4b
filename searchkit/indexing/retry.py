"""Retries: files skipped for a reason that can change are read again on every update until they index.

A file can be skipped because of something the user can fix without touching
it: the ``html`` extra is not installed, its permissions forbid reading, it
vanished while the update ran. Such a skip is a `CorpusWarning` with
``retry=True``; the update then writes no record for the file (so nothing
marks it as done: a later update reads it again even when its size and mtime
did not change), keeps whatever the index held for it, and records the
skipped files in the index (the ``meta:retry`` document, committed with the
rest, so it always matches the index). An update that would otherwise change
nothing tries those files again without writing: if they still fail, the
warnings are repeated and nothing is written; if one now reads, the update
runs and indexes it. Broken links and unreadable folders need no record: the
walk of the roots meets them, and warns, every time.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Sequence
from typing import Any

from whoosh.searching import Searcher

from searchkit.ingest.articles import CorpusWarning, SourceFile, parse_file

#: The document that lists the files skipped for a reason that can change, as [key, message] pairs.
RETRY_PID = "meta:retry"


def recorded(searcher: Searcher) -> dict[str, str]:
    """The files the last update skipped for a reason that can change: key -> message."""
    for fields_ in searcher.documents(pid=RETRY_PID):
        return {str(key): str(message) for key, message in fields_["meta"]}
    return {}


def record_doc(skipped: Sequence[CorpusWarning]) -> dict[str, Any]:
    """The ``meta:retry`` document for the files this update skipped for a reason that can change."""
    return {"pid": RETRY_PID, "kind": "m", "meta": sorted({(w.path, w.message) for w in skipped})}


def read(src: SourceFile) -> tuple[bytes | None, str, CorpusWarning | None]:
    """A file's bytes and their hash, or (None, "", why not)."""
    try:
        st = os.stat(src.path)
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device named on the command line would block or never end
            return None, "", CorpusWarning(src.rel, "is not a regular file (a pipe or device?); skipped, pass a file")
        data = src.path.read_bytes()
    except OSError as exc:
        return None, "", unreadable(src, exc)
    return data, hashlib.sha256(data).hexdigest(), None


def unreadable(src: SourceFile, exc: OSError) -> CorpusWarning:
    """Why a file found by the walk could not be read; both reasons can change, so it is retried."""
    if exc.errno == errno.ENOENT:
        return CorpusWarning(src.rel, "vanished while being indexed (deleted or moved); skipped", retry=True)
    return CorpusWarning(src.rel, f"cannot be read ({exc.strerror or exc}); fix its permissions", retry=True)


def still_failing(src: SourceFile) -> list[CorpusWarning] | None:
    """The warnings of a file skipped last time when it would be skipped again, or None when it would index."""
    data, _, why = read(src)
    if data is None:
        return [why] if why is not None and why.retry else None
    _, warns = parse_file(src.rel, data)
    again = [w for w in warns if w.retry]
    return again or None
