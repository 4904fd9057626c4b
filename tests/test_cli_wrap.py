"""Human output wraps to the terminal's width with a hanging indent, and never when piped (issue 18, item 9)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from searchkit import render
from searchkit.cli import main


def test_wrap_hangs_continuation_lines_under_the_text() -> None:
    text = "1. A headline that is rather long  ¶5 politics/191.txt  (3.20)\n   " + "word " * 20 + "end\n"
    lines = render.wrap(text, 40).splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert lines[0].startswith("1. ") and lines[1].startswith("   ") and not lines[1].startswith("    ")
    assert all(line.startswith("   ") for line in lines[1:] if line)
    assert " ".join(render.wrap(text, 40).split()) == " ".join(text.split())  # nothing lost or added


def test_wrap_counts_escape_sequences_as_no_room() -> None:
    on, off = "\x1b[33m\x1b[1m", "\x1b[0m"
    line = "   " + " ".join(f"{on}w{i:02d}{off}" for i in range(12))
    wrapped = render.wrap(line, 35).splitlines()
    assert [len(render._ANSI.sub("", x)) for x in wrapped] == [34, 18]


def test_wrap_aligns_labels_and_leaves_short_lines_and_pipes_alone() -> None:
    facet = "  speaker: Aled Price (1), Colin Abernethy (1), Priya Natarajan (1), Ruth Blair (1)"
    assert render.wrap(facet, 50).splitlines()[1].startswith(" " * len("  speaker: ") + "P")
    assert render.wrap("short\n", 40) == "short\n"
    assert render.wrap(facet, None) == facet  # piped: no wrapping
    assert render.wrap("a " * 30, 10) == "a " * 30  # too narrow to wrap sensibly


@pytest.mark.parametrize("command", [["search", "council harbour"], ["show", "politics/budget-vote"]])
def test_the_commands_wrap_on_a_terminal_only(
    runner: CliRunner, built: str, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = runner.invoke(main, [*command, "--index", built]).stdout
    assert max(len(line) for line in piped.splitlines()) > 60
    monkeypatch.setattr(render, "terminal_width", lambda: 60)
    shown = runner.invoke(main, [*command, "--index", built]).stdout
    assert all(len(line) <= 60 or " " not in line.strip() for line in shown.splitlines())  # a long URL stays whole
    timeless = [line for line in shown.splitlines() if not line.endswith(" ms)")]  # the summary has the time
    assert " ".join(" ".join(timeless).split()) == " ".join(
        " ".join(line for line in piped.splitlines() if not line.endswith(" ms)")).split()
    )
