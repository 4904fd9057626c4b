"""The README's commands and library example work as written."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

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


def test_library_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
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

    lines = [ln.split("#")[0].strip() for b in blocks("sh") for ln in b.splitlines()]
    searches = [ln for ln in lines if ln.startswith("searchkit search")]
    assert len(searches) >= 5
    for line in searches:
        args = shlex.split(line)[1:]
        res = runner.invoke(main, args, env={"NO_COLOR": "1", **dict(os.environ)})
        assert res.exit_code in (0, 1), (line, res.output)
