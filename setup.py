"""The one build step pyproject.toml cannot state: the quotation extractor, compiled with mypyc.

Everything else about the package is in pyproject.toml. The modules listed in
searchkit/ingest/native.py (`COMPILED`) are compiled to C as one group, and a
manifest of their source digests is written beside them, so that a module
edited after the build is not shadowed by its old compiled copy (`native.choose`).
The extensions are optional: without a C compiler, or with SEARCHKIT_PURE_PYTHON
set, the package installs as plain Python and runs the same code, slower.
"""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
INGEST = HERE / "searchkit" / "ingest"
NATIVE = runpy.run_path(str(INGEST / "native.py"))  # standard library only: no searchkit import needed
MODULES: tuple[str, ...] = NATIVE["COMPILED"]


def _extensions() -> list[Any]:
    if os.environ.get(NATIVE["PURE_ENV"], "") not in ("", "0"):
        return []
    from mypyc.build import mypycify  # a build requirement (pyproject.toml)

    extensions = mypycify(
        # Only the extractor is compiled: what the rest of the package imports (whoosh,
        # numpy …) is not installed where this runs, and is not needed to compile it.
        ["--ignore-missing-imports", "--follow-imports=silent"] + [f"searchkit/ingest/{m}.py" for m in MODULES],
        opt_level="3",
        group_name="searchkit.ingest._extractor",
    )
    for extension in extensions:
        extension.optional = True  # a failed compile leaves the sources in use, not a failed install
    return extensions


class _BuildExt(build_ext):
    """build_ext, then the manifest: the digest of each compiled module's source."""

    def run(self) -> None:
        super().run()
        built = [Path(self.get_ext_fullpath(f"searchkit.ingest.{m}")) for m in MODULES]
        if all(path.exists() for path in built):
            sources = {m: NATIVE["digest"](INGEST / f"{m}.py") for m in MODULES}
            manifest = built[0].parent / NATIVE["MANIFEST"]
            manifest.write_text(json.dumps({"sources": sources}, indent=1, sort_keys=True) + "\n", encoding="utf-8")


setup(ext_modules=_extensions(), cmdclass={"build_ext": _BuildExt})
