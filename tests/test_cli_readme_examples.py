"""Every `searchkit` example in the README finds something on the sample corpus (issue 18, item 12).

The commands are read from the README's ``sh`` blocks, as a reader would copy them,
and run against an index of `corpus/`: each must exit 0 and print something.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit.cli import main
from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
# Commands that start a server, write the index, or name a placeholder are not examples to run.
_NOT_RUN = ("index", "serve")
_PLACEHOLDERS = ("QUERY", "ARTICLE", "PATH", "...")


def _examples() -> list[list[str]]:
    """The README's `searchkit ...` command lines, comments and output redirections removed."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", line)  # "#5" inside an argument is a paragraph number
            line = re.sub(r"\s+>\s*\S+$", "", line)
            args = shlex.split(line)
            if len(args) < 2 or args[0] != "searchkit" or args[1] in _NOT_RUN:
                continue
            if any(p in a for a in args for p in _PLACEHOLDERS):
                continue
            found.append(args[1:])
    return found


EXAMPLES = _examples()


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "corpus", root / "corpus")
    res = CliRunner().invoke(main, ["index", str(root / "corpus"), "--index", str(root / "index")])
    assert res.exit_code == 0, res.output
    return root / "index"


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("args", EXAMPLES, ids=[" ".join(a) for a in EXAMPLES])
def test_readme_example_finds_something(args: list[str], sample_index: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "SEARCHKIT_INDEX": str(sample_index)}
    res = CliRunner().invoke(main, args, env=env)
    assert res.exit_code == 0, (args, res.stdout, res.stderr)
    assert res.stdout.strip(), (args, res.stderr)


def test_sample_corpus_says_it_is_made_up() -> None:
    note = (REPO / "corpus" / "README.md").read_text(encoding="utf-8")
    assert "made up" in note
