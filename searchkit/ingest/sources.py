"""Sources: the article files under the paths given to index, each read once.

A folder is walked in name order, skipping hidden entries, documentation files
that sit next to articles in downloaded data sets (README, LICENSE, ...), files
of other types, and searchkit index folders; broken links and link loops are
reported, and a file reachable twice is listed once. A file whose name is not
valid UTF-8 is read all the same, under a printable stand-in for its name. Only a named path that
does not exist raises `~searchkit.errors.CorpusError`; everything else skipped
comes back as a `CorpusWarning`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from searchkit.errors import CorpusError
from searchkit.ingest.values import CorpusWarning

SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".jsonl", ".html", ".htm"})
#: The file in every index folder (`searchkit.indexing.schema.META_FILE`, not imported: no Whoosh in ingest).
INDEX_MARKER = "searchkit.json"
# Documentation files that sit next to articles in downloaded data sets (the BBC
# set has README.TXT); skipped when walking a folder, read when named directly.
_DOC_STEMS = frozenset({"readme", "license", "licence", "changelog", "copying", "notice", "authors", "contributing"})


@dataclass(frozen=True)
class SourceFile:
    """One article file: where it is, its path relative to its root (the article ids' stem), size and mtime.

    `root` is the name of the root it was found under (the folder's name), which
    prefixes its key when an earlier root holds the same `rel` (`searchkit.ingest.identity`).
    """

    path: Path
    rel: str
    size: int
    mtime_ns: int
    root: str = ""


def _walk(root: str, shown: str, warns: list[CorpusWarning]) -> list[tuple[str, str]]:
    """All readable article files under root as (path, posix rel), unsorted."""
    top = os.path.realpath(root)
    stack: list[tuple[str, str, frozenset[str]]] = [(root, "", frozenset({top}))]
    visited = {top}
    found: list[tuple[str, str]] = []
    while stack:
        folder, prefix, ancestors = stack.pop()
        where = os.path.join(shown, prefix) if prefix else shown
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            warns.append(CorpusWarning(where, f"cannot read folder ({e.strerror or e}); skipped", retry=True))
            continue
        if any(e.name == INDEX_MARKER for e in entries):
            if not prefix:  # named directly: say why nothing is read; nested index folders are expected
                warns.append(CorpusWarning(shown, "is a searchkit index folder, not articles; skipped"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel, full = prefix + entry.name, os.path.join(folder, entry.name)
            label = os.path.join(shown, rel)
            try:
                if entry.is_symlink():
                    try:
                        os.stat(full)
                    except OSError as e:
                        what = "symlink loop" if e.errno == errno.ELOOP else "broken symlink"
                        warns.append(CorpusWarning(label, f"{what}, skipped", retry=True))
                        continue
                if entry.is_dir():
                    real = os.path.realpath(full)
                    if real in ancestors:
                        warns.append(CorpusWarning(label, "symlink loop (links to a folder above it), skipped"))
                    elif real in visited:
                        warns.append(CorpusWarning(label, "links to a folder that is already read; skipped"))
                    else:
                        visited.add(real)
                        stack.append((full, rel + "/", ancestors | {real}))
                elif entry.is_file():
                    name = PurePosixPath(entry.name)
                    if name.suffix.lower() in SUFFIXES and name.stem.lower() not in _DOC_STEMS:
                        found.append((full, rel))
            except OSError as e:
                warns.append(CorpusWarning(label, f"cannot read ({e.strerror or e}); skipped"))
    return found


def _printable_name(rel: str, label: str, warns: list[CorpusWarning]) -> str:
    """`rel`, or for a name that is not valid UTF-8 (bytes Python keeps as surrogates) a printable, distinct
    stand-in with its bad bytes as ``\\xNN``: the file is indexed under it, and a warning says so."""
    shown = _printable(rel)
    if shown != rel:
        warns.append(CorpusWarning(_printable(label), f"file name is not valid UTF-8; indexed as {shown}"))
    return shown


def _printable(name: str) -> str:
    """`name`, with the bytes of a name that is not UTF-8 (kept by Python as surrogates) shown as ``\\xNN``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def find_sources(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[SourceFile], list[CorpusWarning]]:
    """List the article files under the given files/folders, sorted, with warnings for what was skipped."""
    if isinstance(paths, (str, os.PathLike)):  # a single path is a common slip; treat it as one
        paths = [paths]
    sources: list[SourceFile] = []
    warns: list[CorpusWarning] = []
    seen: set[str] = set()  # real paths, so a file reachable twice is read once
    for raw in paths:
        shown = os.fspath(raw)
        if not os.path.exists(shown):
            what = "is a broken symlink" if os.path.islink(shown) else "does not exist"
            raise CorpusError(f"{shown} {what}; pass a file or folder of articles")
        if os.path.isdir(shown):
            walked: list[CorpusWarning] = []
            found = _walk(shown, shown, walked)
            warns.extend(replace(w, path=_printable(w.path)) for w in walked)  # they name bad names printably
            root_name = os.path.basename(os.path.normpath(os.path.abspath(shown)))
            found.sort(key=lambda f: f[1].split("/"))
        elif PurePosixPath(os.path.basename(shown)).suffix.lower() in SUFFIXES:
            found = [(shown, os.path.basename(shown))]
            root_name = os.path.basename(os.path.dirname(os.path.abspath(shown)))
        else:
            supported = ", ".join(sorted(SUFFIXES))
            warns.append(CorpusWarning(shown, f"unsupported file type; skipped (searchkit reads {supported})"))
            continue
        for full, rel in found:
            rel = _printable_name(rel, os.path.join(shown, rel), warns)
            try:
                real = os.path.realpath(full)
                st = os.stat(full)
            except OSError as e:
                warns.append(CorpusWarning(rel, f"cannot read ({e.strerror or e}); skipped"))
                continue
            if real not in seen:
                seen.add(real)
                sources.append(SourceFile(Path(os.path.abspath(full)), rel, st.st_size, st.st_mtime_ns, root_name))
    return sources, warns
