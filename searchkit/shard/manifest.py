"""The manifest of a sharded index: `shards.json` in its folder.

It records what a reader needs to trust the folder: the shard count, the rule that
assigns articles to shards, the schema version, and for each shard the folder of its
committed generation. A shard's build writes a NEW folder (`shard-03.g7`); the update
commits by replacing the manifest in one step (`os.replace`) after every shard has
written, so a reader sees all shards' old generations or all new ones, never a mix,
and a failed or killed build leaves the old manifest, hence the old state, in place.

It also keeps what the next update compares against: the roots, each source file's
size and mtime, and the number of files read (a one-machine index counts one record
per file in its statistics; see `stats`).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from searchkit.errors import IndexCorruptError, IndexNotFoundError, SchemaMismatchError
from searchkit.indexing.schema import SCHEMA_VERSION
from searchkit.shard.assign import RULE

#: The manifest's file name in a sharded index folder.
MANIFEST_FILE = "shards.json"

#: The manifest's own format tag.
FORMAT = "searchkit-shards"


@dataclass(frozen=True)
class Manifest:
    """A sharded index's committed state."""

    shards: int
    generation: int = 0
    dirs: tuple[str, ...] = ()  # per shard: the folder (in the index folder) of its committed generation
    roots: tuple[str, ...] = ()  # absolute paths indexed
    files: dict[str, list[int]] = field(default_factory=dict)  # rel -> [size, mtime_ns]
    files_read: int = 0  # source files read and recorded (a one-machine index has a record each)
    articles: dict[str, list[int]] = field(default_factory=dict)  # shard -> [articles, paragraphs]
    rule: str = RULE
    schema_version: int = SCHEMA_VERSION

    def shard_dir(self, root: Path, shard: int) -> Path:
        return root / self.dirs[shard]

    def next(self, dirs: list[str], **changes: Any) -> Manifest:
        """The manifest of the next generation, with these shard folders."""
        return replace(self, generation=self.generation + 1, dirs=tuple(dirs), **changes)


def generation_dir(shard: int, generation: int) -> str:
    """The folder name of one shard's generation."""
    return f"shard-{shard:03d}.g{generation}"


def is_sharded(path: str | os.PathLike[str]) -> bool:
    """True if `path` is a sharded index folder (it has a manifest)."""
    return (Path(path) / MANIFEST_FILE).is_file()


def load(root: Path) -> Manifest:
    """The committed manifest (IndexNotFoundError, IndexCorruptError or SchemaMismatchError)."""
    path = root / MANIFEST_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexNotFoundError(f"no sharded index in {root} (no {MANIFEST_FILE}); build one (Index.build)") from None
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            f"the manifest of the sharded index in {root} is damaged ({exc}); rebuild it (rebuild=True)"
        ) from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise IndexCorruptError(f"{path} is not a sharded index manifest; rebuild it (rebuild=True)")
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise SchemaMismatchError(
            f"the sharded index in {root} was written with schema version {raw.get('schema_version')}, "
            f"this searchkit reads {SCHEMA_VERSION}; rebuild it (rebuild=True)"
        )
    try:
        m = Manifest(
            shards=int(raw["shards"]),
            generation=int(raw["generation"]),
            dirs=tuple(str(d) for d in raw["dirs"]),
            roots=tuple(str(r) for r in raw["roots"]),
            files={str(k): [int(x) for x in v] for k, v in raw["files"].items()},
            files_read=int(raw["files_read"]),
            articles={str(k): [int(x) for x in v] for k, v in raw["articles"].items()},
            rule=str(raw["rule"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexCorruptError(f"the manifest {path} is damaged ({exc!r}); rebuild it (rebuild=True)") from exc
    if m.rule != RULE or len(m.dirs) != m.shards:
        raise IndexCorruptError(
            f"the manifest {path} does not describe its {m.shards} shards; rebuild it (rebuild=True)"
        )
    return m


def save(root: Path, manifest: Manifest) -> None:
    """Commit `manifest`: written beside, flushed, then swapped in one step."""
    data = {"format": FORMAT, **asdict(manifest)}
    tmp = root / (MANIFEST_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, root / MANIFEST_FILE)
