"""Integrity: every commit is on disk before it is visible, with a checksum of each file it names.

A commit becomes visible when Whoosh renames its table of contents
(`_MAIN_<generation>.toc`) into place. `CheckedStorage` is Whoosh's FileStorage
with that one rename extended; before it:

1. the segments the new table of contents names are read from it, and their
   files listed;
2. each file's CRC-32 is computed; a file that the previous commit recorded and
   now reads differently makes the commit fail (IndexCorruptError, rebuild
   advice): an update never commits on top of a damaged file. A rebuild names
   none of the old files, so it is never refused;
3. every file and the table of contents are fsynced, then `MAIN.sums` (file ->
   size and CRC-32, the table of contents included) is written, fsynced and
   renamed into place.

After the rename the folder is fsynced, so after a power loss the index is the
old commit or the new one, both whole. `verify` (``searchkit check``) reads the
latest commit's files against `MAIN.sums`. Files written before checksums existed
have no record and are reported as such, not as damage.
"""

from __future__ import annotations

import json
import os
import re
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage

from searchkit.errors import IndexCorruptError

INDEX_NAME = "MAIN"
#: The checksums of the latest commit's files: {"generation": N, "files": {name: [size, crc32]}}.
SUMS_FILE = f"{INDEX_NAME}.sums"
_TOC = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc$")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class IndexCheck:
    """What `verify` read: files and bytes checked against their checksums, files with none recorded."""

    files: int
    bytes: int
    unrecorded: tuple[str, ...] = ()


def checksum(path: Path) -> tuple[int, int]:
    """(size, CRC-32) of a file, read in pieces."""
    crc = size = 0
    with open(path, "rb") as f:
        while block := f.read(_CHUNK):
            crc = zlib.crc32(block, crc)
            size += len(block)
    return size, crc


def read_sums(folder: Path, *, strict: bool = False) -> dict[str, tuple[int, int]]:
    """The recorded checksums: none when the index has no record; a garbled record is none too,
    or with `strict` an IndexCorruptError."""
    try:
        text = (folder / SUMS_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(text)
        return {str(k): (int(v[0]), int(v[1])) for k, v in data["files"].items()}
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        if strict:
            raise IndexCorruptError(
                f"the index in {folder} is damaged: {SUMS_FILE} is unreadable ({exc}); rebuild it (rebuild=True)"
            ) from exc
        return {}


def _write_sums(folder: Path, generation: int, sums: dict[str, tuple[int, int]]) -> None:
    tmp = folder / (SUMS_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"generation": generation, "files": {k: list(v) for k, v in sorted(sums.items())}}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / SUMS_FILE)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make renames and new names in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def segment_files(folder: Path, segment_ids: set[str]) -> list[Path]:
    """The files of these segments (Whoosh names them `<segment id>.<ext>`)."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.split(".", 1)[0] in segment_ids and "." in p.name
    )


class _TocAlias:
    """A storage whose table of contents `final` is read from the file `temp` (what Whoosh's TOC.read needs)."""

    def __init__(self, storage: Any, final: str, temp: str) -> None:
        self.storage, self.final, self.temp = storage, final, temp

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self.storage.open_file(self.temp if name == self.final else name, *args, **kwargs)


def _segment_ids(storage: Any, generation: int, final: str, temp: str | None = None) -> set[str]:
    from whoosh.index import TOC

    source = storage if temp is None else _TocAlias(storage, final, temp)
    toc = TOC.read(source, INDEX_NAME, generation)
    return {seg.segment_id() for seg in toc.segments}


def _listed(folder: Path, storage: Any, generation: int) -> set[str]:
    """The segments the latest table of contents lists; a table that cannot be read is damage, whatever
    Whoosh raised for it (random bytes can fail as a wrong "architecture", a bad pickle, a short read ...)."""
    try:
        return _segment_ids(storage, generation, "")
    except FileNotFoundError:
        raise  # a commit replaced it: the caller reads again
    except Exception as exc:
        raise IndexCorruptError(
            f"the index in {folder} is damaged: its table of contents cannot be read ({exc}); rebuild it (rebuild=True)"
        ) from exc


def _damaged(folder: Path, names: list[str]) -> IndexCorruptError:
    return IndexCorruptError(
        f"the index in {folder} is damaged: {', '.join(names)} fail their checksums (changed on disk since "
        "they were written); rebuild it (rebuild=True)"
    )


def seal(folder: Path, storage: Any, generation: int, final: str, temp: str) -> None:
    """Steps 1-3 above for the table of contents `temp`, about to become `final`."""
    live = segment_files(folder, _segment_ids(storage, generation, final, temp))
    old = read_sums(folder)
    sums: dict[str, tuple[int, int]] = {}
    bad = []
    for path in live:
        sums[path.name] = checksum(path)
        if path.name in old and old[path.name] != sums[path.name]:
            bad.append(path.name)
    if bad:
        raise _damaged(folder, bad)
    for path in live:
        fsync_file(path)
    fsync_file(folder / temp)
    sums[final] = checksum(folder / temp)  # the table of contents too, under the name it is about to get
    _write_sums(folder, generation, sums)


class CheckedStorage(FileStorage):
    """Whoosh's FileStorage whose table-of-contents rename seals the commit first (see the module)."""

    def __init__(self, path: str) -> None:
        init: Any = FileStorage.__init__  # (untyped in Whoosh)
        init(self, path)

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        found = _TOC.match(newname)
        folder = Path(self.folder)
        if found:
            seal(folder, self, int(found.group(1)), newname, oldname)
        FileStorage.rename_file(self, oldname, newname, safe)
        if found:
            fsync_dir(folder)


#: Tries when a commit replaces the files being verified.
_VERIFY_ATTEMPTS = 5


def verify(folder: Path) -> IndexCheck:
    """Read every file of the latest commit against its recorded checksum (IndexCorruptError if any differs)."""
    from whoosh.index import TOC

    storage = FileStorage(str(folder))
    for attempt in range(_VERIFY_ATTEMPTS):
        try:
            generation = TOC._latest_generation(storage, INDEX_NAME)
            if generation < 0:  # no table of contents: opening the index says what is wrong
                return IndexCheck(files=0, bytes=0)
            return _verify(folder, _listed(folder, storage, generation), f"_{INDEX_NAME}_{generation}.toc")
        except FileNotFoundError:
            if attempt == _VERIFY_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _verify(folder: Path, segment_ids: set[str], toc: str) -> IndexCheck:
    sums = read_sums(folder, strict=True)
    live = segment_files(folder, segment_ids) + [folder / toc]
    missing = sorted(s for s in segment_ids if not any(p.name.startswith(s + ".") for p in live))
    if missing:
        raise IndexCorruptError(
            f"the index in {folder} is damaged: the files of {', '.join(missing)} are missing; "
            "rebuild it (rebuild=True)"
        )
    bad, unrecorded, size = [], [], 0
    for path in live:
        got = checksum(path)
        size += got[0]
        want = sums.get(path.name)
        if want is None:
            unrecorded.append(path.name)
        elif want != got:
            bad.append(path.name)
    if bad:
        raise _damaged(folder, bad)
    return IndexCheck(files=len(live) - len(unrecorded), bytes=size, unrecorded=tuple(unrecorded))
