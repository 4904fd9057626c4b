"""The compiled extractor (searchkit.ingest.native): used only when current, same results as the sources."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from searchkit.ingest import native
from tests.test_quotes_speed_parity import CASES

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _folder(tmp_path: Path, modules: tuple[str, ...]) -> Path:
    """A package folder whose modules look compiled and are recorded in a current manifest."""
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for m in modules:
        (folder / f"{m}.py").write_text(f"WHERE = {m!r} + ' source'\n")
        (folder / f"{m}{SUFFIX}").write_bytes(b"not a real extension")
    sources = {m: native.digest(folder / f"{m}.py") for m in modules}
    (folder / native.MANIFEST).write_text(json.dumps({"sources": sources}))
    return folder


def test_current_compiled_modules_may_be_used(tmp_path: Path) -> None:
    assert native.stale(_folder(tmp_path, ("a", "b")), ("a", "b")) is None


def test_a_module_edited_after_compiling_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ("a", "b"))
    (folder / "b.py").write_text("WHERE = 'edited'\n")
    assert native.stale(folder, ("a", "b")) == "b.py changed since it was compiled: pip install -e . compiles it again"


def test_an_install_without_sources_uses_the_compiled(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ("a", "b"))
    (folder / "b.py").unlink()
    assert native.stale(folder, ("a", "b")) is None


def test_missing_compiled_module_or_manifest(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ("a", "b"))
    (folder / native.MANIFEST).write_text("{not json")
    assert native.stale(folder, ("a", "b")) == f"no readable {native.MANIFEST}"
    (folder / f"a{SUFFIX}").unlink()
    assert native.stale(folder, ("a", "b")) == "a not compiled"
    (folder / f"b{SUFFIX}").unlink()
    assert native.stale(folder, ("a", "b")) == "not compiled"


def _run(code: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        env={**{k: v for k, v in os.environ.items() if k != native.PURE_ENV}, **(env or {})},
        cwd=cwd,
    )
    return done.stdout


def test_sources_are_imported_past_a_stale_compiled_copy(tmp_path: Path) -> None:
    # The fake compiled files would fail to import: only the finder `choose` installs
    # keeps them from being tried first.
    folder = _folder(tmp_path, ("a", "b"))
    (folder / "a.py").write_text("WHERE = 'edited source'\n")
    code = f"""
        from pathlib import Path
        from searchkit.ingest import native
        print(native.choose("pkg", Path({str(folder)!r}), ("a", "b")))
        import pkg.a, pkg.b
        print(pkg.a.WHERE, "/", pkg.b.WHERE)
        """
    out = _run(code, cwd=tmp_path)
    assert out.splitlines() == [
        "sources (a.py changed since it was compiled: pip install -e . compiles it again)",
        "edited source / b source",
    ]


def test_the_environment_variable_keeps_the_sources() -> None:
    out = _run(
        "from searchkit.ingest import native, names; print(native.STATE); print(names.__file__)",
        env={native.PURE_ENV: "1"},
    )
    state, file = out.splitlines()
    assert state == "sources (SEARCHKIT_PURE_PYTHON is set)"
    assert file.endswith("names.py")


@pytest.mark.skipif(os.environ.get("SEARCHKIT_EXPECT_COMPILED") != "1", reason="CI sets it where a compiler is")
def test_the_installed_extractor_is_compiled() -> None:
    # .ci/run installs with a compiler: a build that silently fell back to the sources
    # would lose the extractor's speed without any test failing.
    assert native.STATE == "compiled"


@pytest.mark.skipif(native.STATE != "compiled", reason="the extractor is not compiled here")
def test_compiled_and_sources_give_the_same_quotes() -> None:
    from searchkit.ingest.quotes import extract_quotes

    articles = [paragraphs for paragraphs, _ in CASES.values()]
    articles.append([p for paragraphs in articles for p in paragraphs])  # one long article of every case
    compiled = repr([extract_quotes(a) for a in articles])
    sources = _run(
        f"""
        from searchkit.ingest.quotes import extract_quotes
        print(repr([extract_quotes(a) for a in {articles!r}]))
        """,
        env={native.PURE_ENV: "1"},
    )
    assert sources.strip() == compiled
