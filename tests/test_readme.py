"""The README's commands and library example work as written."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_two_commands_are_first() -> None:
    install_run, test = blocks("sh")[:2]
    assert "pip install" in install_run and "searchkit index corpus" in install_run
    assert "searchkit search" in install_run
    assert "pip install" in test and "pytest" in test
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in ci and ".[test]" in ci


def test_ci_runs_the_static_checks_before_the_tests() -> None:
    """ruff (lint and format) and mypy run in CI, before the suite, from the `test` extra."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    checks = ['ruff" check searchkit tests benchmarks', 'ruff" format --check searchkit tests benchmarks', 'mypy"']
    positions = [ci.find(c) for c in checks]
    assert all(p > 0 for p in positions), positions
    assert max(positions) < ci.find("pytest")
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    test_extra = " ".join(project["project"]["optional-dependencies"]["test"])
    assert "ruff" in test_extra and "mypy" in test_extra
    assert project["tool"]["mypy"]["strict"] is True and project["tool"]["mypy"]["files"] == ["searchkit"]


def test_library_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}  # one session, as a reader would type the blocks in order
    for code in blocks("python"):
        exec(compile(code, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "matched: three minutes" in out
    assert "Michael S Smith II" in out


def test_cli_examples_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `searchkit search ...` line in the README runs against the sample index without error."""
    from click.testing import CliRunner

    from searchkit.cli import main

    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["index"]).exit_code == 0
    import shlex

    # A comment is " # ..." after the command; "#5" inside an argument is a paragraph number.
    lines = [shlex.split(re.sub(r"\s+#\s.*$", "", ln)) for b in blocks("sh") for ln in b.splitlines()]
    commands = [args for args in lines if args and args[0] == "searchkit" and not args[1:2] == ["index"]]
    commands = [args for args in commands if "..." not in " ".join(args) and "ARTICLE" not in " ".join(args)]
    assert len(commands) >= 12
    for args in commands:
        res = runner.invoke(main, args[1:], env={"NO_COLOR": "1", **dict(os.environ)})
        assert res.exit_code in (0, 1), (args, res.output)
