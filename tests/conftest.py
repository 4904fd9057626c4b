"""Shared fixtures: small corpora written by the tests, and the sample corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import SAMPLE, write


@pytest.fixture
def sample_corpus(tmp_path: Path) -> Path:
    """A copy of the repo's sample corpus in a temporary folder."""
    dest = tmp_path / "corpus"
    shutil.copytree(SAMPLE, dest)
    return dest


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """Three small articles: elections, a storm, and a football match."""
    folder = tmp_path / "news"
    write(
        folder,
        "politics/election.txt",
        (
            "Prime minister calls early election\n\n"
            "The prime minister has called an early general election for June.\n\n"
            '"We need a fresh mandate to finish the job," said Theresa May, speaking outside Downing Street.\n\n'
            "Opposition parties welcomed the vote but warned of a short campaign.\n"
        ),
    )
    write(
        folder,
        "weather/storm.txt",
        (
            "Storm batters the coast\n\n"
            "Heavy rain and high winds hit the coast overnight, closing roads and railways.\n\n"
            "Forecasters expect the storm to ease by Sunday, when the election posters will be dry again.\n"
        ),
    )
    write(
        folder,
        "sport/match.txt",
        (
            "United win the derby\n\n"
            "United beat City two goals to one in a tense derby on Saturday.\n\n"
            '"The players were running all afternoon," the manager, Alex Ferguson, said after the match.\n'
        ),
    )
    return folder


@pytest.fixture
def runner() -> CliRunner:
    """The CLI, invoked in-process."""
    return CliRunner()


@pytest.fixture
def built(runner: CliRunner, sample_corpus: Path, tmp_path: Path) -> str:
    """An index of the sample corpus built through the CLI; its folder (modules may override)."""
    from searchkit.cli import main

    ix = str(tmp_path / "ix")
    res = runner.invoke(main, ["index", str(sample_corpus), "--index", ix])
    assert res.exit_code == 0, res.output
    return ix
