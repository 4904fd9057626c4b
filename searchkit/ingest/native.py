"""The compiled extractor: which modules are compiled, and whether this process uses them.

Quotation extraction runs on every paragraph at indexing time, and it is plain
Python: word tests, small lists, many short calls. `setup.py` compiles the
modules in `COMPILED` to C with mypyc (same code, same results, about 1.5x
faster; benchmarks/README.md) when the package is installed, and writes
`MANIFEST`: each compiled module's source digest. A compiled module sits beside
its `.py` and Python imports it first, so `choose` (run by `searchkit.ingest`
before any of them is imported) keeps the sources in use instead when

* the environment variable `PURE_ENV` is set (to debug, or to test the sources), or
* any source no longer matches the digest it was compiled from: a module edited
  since the last `pip install -e .` must not be shadowed by its old compiled copy.

Without a compiler the package installs uncompiled and simply runs the sources.
This module only uses the standard library: `setup.py` reads `COMPILED` from it.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

__all__ = ["COMPILED", "MANIFEST", "PURE_ENV", "STATE", "choose", "digest", "stale"]

#: The extractor's modules (searchkit.ingest.X) that setup.py compiles, in one group.
COMPILED = (
    "apposition",
    "attribution",
    "cues",
    "described",
    "extraction",
    "names",
    "namesites",
    "outlets",
    "people",
    "quotemarks",
    "refusals",
    "roles",
    "sentences",
    "speakers",
    "tags",
    "words",
)
#: The file beside the compiled modules: {"sources": {module: sha256 of its .py}}.
MANIFEST = "native-build.json"
#: Set (to anything but "" or "0") to run the extractor's Python sources.
PURE_ENV = "SEARCHKIT_PURE_PYTHON"
#: What this process runs, after `choose`: "compiled", or "sources (why)".
STATE = "sources (not chosen yet)"

_HERE = Path(__file__).resolve().parent


def digest(source: Path) -> str:
    """The sha256 of a module's source file, as the manifest holds it."""
    return hashlib.sha256(source.read_bytes()).hexdigest()


def stale(folder: Path, modules: Sequence[str] = COMPILED) -> str | None:
    """Why the compiled modules in `folder` must not be used (None: they may).

    They may if every one of `modules` has a compiled file and the manifest
    records the digest of its current source.
    """
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    missing = [m for m in modules if not any((folder / f"{m}{s}").exists() for s in suffixes)]
    if missing:
        return "not compiled" if len(missing) == len(modules) else f"{missing[0]} not compiled"
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["sources"]
    except (OSError, ValueError, KeyError, TypeError):
        return f"no readable {MANIFEST}"
    # A source that cannot be read (an install without .py files) cannot have changed.
    changed = [m for m in modules if (folder / f"{m}.py").exists() and recorded.get(m) != digest(folder / f"{m}.py")]
    if changed:
        return f"{changed[0]}.py changed since it was compiled: pip install -e . compiles it again"
    return None


class _Sources(importlib.abc.MetaPathFinder):
    """Finds the compiled modules' `.py` files, ahead of Python's own finder (which prefers the compiled)."""

    def __init__(self, package: str, folder: Path, modules: Sequence[str]) -> None:
        self.package = package
        self._files = {f"{package}.{m}": folder / f"{m}.py" for m in modules}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        source = self._files.get(fullname)
        return importlib.util.spec_from_file_location(fullname, source) if source is not None else None


def choose(package: str = "searchkit.ingest", folder: Path = _HERE, modules: Sequence[str] = COMPILED) -> str:
    """Use the compiled modules if they are there and current, else the sources; return `STATE`.

    Must run before any of `COMPILED` is imported (compiled modules call each
    other directly, so the two kinds cannot be mixed).
    """
    global STATE
    why = "SEARCHKIT_PURE_PYTHON is set" if os.environ.get(PURE_ENV, "") not in ("", "0") else stale(folder, modules)
    if why is None:
        STATE = "compiled"
    else:
        if not any(isinstance(f, _Sources) and f.package == package for f in sys.meta_path):
            sys.meta_path.insert(0, _Sources(package, folder, modules))
        STATE = f"sources ({why})"
    return STATE
