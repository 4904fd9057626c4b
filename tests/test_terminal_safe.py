"""Nothing from the data drives the terminal: control and bidi characters are neutralised (issue 17, item 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write

from searchkit import Index
from searchkit.cli import main
from searchkit.render import safe

EVIL_HEADLINE = "Harbour \x1b]0;pwned\x07 news \u202eevil\u202c"
EVIL_URL = "http://example.com/\x1b[2J\x9b31m"
EVIL_BODY = "The harbour \x1b[31mred\x1b[0m plan was \u2066approved\u2069 today."
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069")


@pytest.fixture
def built(tmp_path: Path) -> str:
    record = {"id": "evil", "headline": EVIL_HEADLINE, "url": EVIL_URL, "body": EVIL_BODY}
    write(tmp_path / "c", "evil\x1b[2J.jsonl", json.dumps(record) + "\n{bad json\n")
    res = CliRunner().invoke(main, ["index", str(tmp_path / "c"), "--index", str(tmp_path / "ix"), "-j1"])
    assert res.exit_code == 0
    assert "malformed JSON" in res.output and not any(c in res.output for c in UNSAFE)  # the warning's file name
    return str(tmp_path / "ix")


def test_safe_keeps_length_tab_and_newline() -> None:
    text = "a\tb\nc\x1b[2Jd\u202ee\x85f\x7f"
    out = safe(text)
    assert len(out) == len(text) and "\t" in out and "\n" in out
    assert not any(c in out for c in ("\x1b", "\u202e", "\x85", "\x7f"))


@pytest.mark.parametrize("colour", ["never", "always"])
def test_search_output_carries_no_terminal_controls(built: str, colour: str) -> None:
    res = CliRunner().invoke(main, ["search", "harbour", "--index", built, "--color", colour])
    assert res.exit_code == 0 and "harbour" in res.output.lower()
    for seq in ("\x1b]", "\x1b[2J", "\x1b[31m", "\x9b", "\u202e", "\u2066"):
        assert seq not in res.output
    if colour == "never":
        assert "\x1b" not in res.output


def test_show_output_carries_no_terminal_controls(built: str) -> None:
    res = CliRunner().invoke(main, ["show", "evil", "--index", built])
    assert res.exit_code == 0 and "example.com" in res.output
    assert not any(c in res.output for c in UNSAFE)


def test_json_output_escapes_them(built: str) -> None:
    with Index.open(built) as ix:
        stored = ix.show("evil")  # reading strips some controls already; JSON must carry what is stored
    for args in (["show", "evil"], ["search", "harbour"]):
        res = CliRunner().invoke(main, [*args, "--index", built, "--json"])
        assert res.exit_code == 0
        assert not any(c in res.output for c in UNSAFE)
        record = json.loads(res.output.splitlines()[0])
        assert record["headline"] == stored.headline and "\u202e" in record["headline"]  # escaped, not altered
    shown = json.loads(CliRunner().invoke(main, ["show", "evil", "--index", built, "--json"]).output)
    assert shown["url"] == stored.url and "\x9b" in shown["url"]
