"""JSON Lines records: lone surrogates are looked for only where one can be (a \\u escape or a non-ASCII line)."""

from __future__ import annotations

import json

import pytest

from searchkit.ingest.formats import jsonl


def _parse(lines: list[str]) -> tuple[list[str], list[str]]:
    articles, warns = jsonl.parse_jsonl("f.jsonl", "\n".join(lines))
    return [p for a in articles for p in a.paragraphs], [w.message for w in warns]


def test_escaped_surrogates_are_still_replaced() -> None:
    line = '{"headline": "H", "paragraphs": ["a \\ud800 b", "ok"]}'
    paragraphs, warns = _parse([line])
    assert paragraphs == ["a \ufffd b", "ok"]
    assert any("lone surrogate" in w for w in warns)


def test_an_escaped_backslash_is_not_a_surrogate() -> None:
    line = json.dumps({"headline": "H", "paragraphs": ["path \\ud800 here"]})  # a backslash, then "ud800"
    paragraphs, warns = _parse([line])
    assert paragraphs == ["path \\ud800 here"]
    assert warns == []


def test_plain_lines_skip_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(jsonl, "_replace_surrogates", lambda *a: calls.append(a))
    ascii_line = json.dumps({"headline": "H", "paragraphs": ["plain text"]})
    escaped = json.dumps({"headline": "H", "paragraphs": ["caf\u00e9"]})  # ensure_ascii: a \u escape
    raw = json.dumps({"headline": "H", "paragraphs": ["caf\u00e9"]}, ensure_ascii=False)
    _parse([ascii_line])
    assert calls == []
    _parse([escaped, raw])
    assert len(calls) == 2  # each may hold one: scanned as before
