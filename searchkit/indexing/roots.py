"""Roots: the files and folders an index is built from, remembered in the index folder.

The first build records its roots (as given and as absolute paths) in
`searchkit.json`; every later update reads them again, so an update with no
paths refreshes what the index was built from, and an update naming a new path
adds it. Losing articles is always explicit: a root goes only when removed by
name (`remove_roots`) or replaced (`mirror`), and an update that would delete
more than `GUARD_ARTICLES` articles and more than `GUARD_SHARE` of the index
because their files are gone stops with `DeletionRefusedError` unless `prune`
(or `mirror`, or `remove_roots`) says that is wanted.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from searchkit.errors import CorpusError, DeletionRefusedError

#: An update may delete this many articles of vanished files without being told to...
GUARD_ARTICLES = 5
#: ... or this share of the index, whichever is more.
GUARD_SHARE = 0.10


@dataclass(frozen=True)
class Root:
    """One root: the path as the user gave it and as an absolute path (what is read)."""

    given: str
    path: str

    def to_dict(self) -> dict[str, str]:
        return {"given": self.given, "path": self.path}


def _absolute(raw: str | os.PathLike[str]) -> str:
    return os.path.abspath(os.fspath(raw))


def from_meta(meta: dict[str, Any]) -> list[Root]:
    """The roots recorded in an index's `searchkit.json` (none for an index from before roots)."""
    found = meta.get("roots")
    if not isinstance(found, list):
        return []
    return [Root(str(r.get("given", r["path"])), str(r["path"])) for r in found if isinstance(r, dict) and "path" in r]


@dataclass(frozen=True)
class Plan:
    """The roots an update reads and whether it may delete freely."""

    roots: tuple[Root, ...]
    explicit: bool  # deleting is what was asked for (mirror, remove_roots or prune)


def plan(
    recorded: Sequence[Root],
    paths: Sequence[str | os.PathLike[str]] | None,
    *,
    mirror: bool = False,
    prune: bool = False,
    remove_roots: Sequence[str | os.PathLike[str]] = (),
    default: str = "",
) -> Plan:
    """The roots of this update: the recorded ones plus `paths` (only `paths` when `mirror`), minus `remove_roots`.

    With nothing recorded and no paths, `default` is the one root.
    """
    given = [os.fspath(p) for p in paths or ()]
    if mirror and not given:
        raise CorpusError("mirror=True needs the paths the index should hold; pass them")
    roots: list[Root] = [] if mirror else list(recorded)
    for raw in given:
        root = Root(raw, _absolute(raw))
        if all(r.path != root.path for r in roots):
            roots.append(root)
    for name in remove_roots:
        gone = _absolute(name)
        if all(r.path != gone for r in roots):
            listed = ", ".join(r.given for r in roots) or "none"
            raise CorpusError(f"{os.fspath(name)} is not a root of this index (its roots: {listed})")
        roots = [r for r in roots if r.path != gone]
    if not roots and not remove_roots and default:
        roots = [Root(default, _absolute(default))]
    return Plan(tuple(roots), explicit=mirror or prune or bool(remove_roots))


def check_present(roots: Sequence[Root], recorded: Sequence[Root]) -> None:
    """Refuse to update when a recorded root is missing: its articles would all look deleted."""
    for root in roots:
        if root in recorded and not os.path.exists(root.path):
            raise CorpusError(
                f"{root.path}, a root of this index, does not exist (moved, or on a drive not connected?); "
                f"reconnect it, or remove it from the index (remove_roots=[{root.given!r}])"
            )


def guard(deleting: dict[str, int], total: int, plan_: Plan) -> None:
    """Stop an update that would delete many articles of vanished files unless that was asked for.

    `deleting` maps each vanished file to how many articles it held; `total` is
    the number of articles in the index before the update.
    """
    count = sum(deleting.values())
    if plan_.explicit or count <= GUARD_ARTICLES or count <= GUARD_SHARE * total:
        return
    names = sorted(deleting)
    shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    raise DeletionRefusedError(
        f"this update would delete {count} of the index's {total} articles, from {len(names)} files no longer "
        f"under its roots ({shown}); nothing was changed. If they are gone for good, pass prune=True; "
        "to make the index hold only the paths given, mirror=True"
    )
