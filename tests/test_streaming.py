"""Big JSON Lines files are read a line at a time, with the same result as a whole read."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from searchkit.indexing import indexer
from searchkit.ingest.articles import StreamedJsonl, parse_file
from searchkit.ingest.formats import jsonl
from tests.helpers import compare_indexes as _compare
from tests.helpers import generated_corpus as _corpus
from tests.helpers import search_results as _results

LINES = [
    json.dumps({"id": "a1", "headline": "Storm hits coast", "paragraphs": ["Rain fell.", "Winds rose."]}),
    "",
    "{not json",
    json.dumps(["a", "list"]),
    json.dumps({"headline": "No id here", "body": "First part.\n\nSecond part."}),
    json.dumps({"id": "a1", "headline": "Same id again", "text": "Duplicate ids get the line number."}),
    json.dumps({"id": True, "headline": "Bad id", "paragraphs": ["Kept anyway."], "date": "not a date"}),
    json.dumps({"id": "a#9", "title": "Café owners", "paragraphs": ["Naïve “quotes” stay."], "source": "BBC"}),
    json.dumps({"id": "empty", "headline": "Nothing below", "paragraphs": []}),
]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_streamed_equals_whole_file(tmp_path: Path, newline: str, bom: bytes) -> None:
    data = bom + (newline.join(LINES) + newline).encode("utf-8")
    path = tmp_path / "feed.jsonl"
    path.write_bytes(data)
    whole, warns = parse_file("feed.jsonl", data)
    stream = StreamedJsonl("feed.jsonl", path)
    assert list(stream) == whole
    assert len(whole) == 6  # the headline-only record is indexed too (issue 17)
    assert sorted(map(str, stream.warnings)) == sorted(map(str, warns))
    assert stream.sha256 == hashlib.sha256(data).hexdigest()


def test_a_non_utf8_line_is_read_alone_as_cp1252(tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "headline": "Fine", "paragraphs": ["Plain text."]}, ensure_ascii=False)
    bad = '{"id": "eur", "headline": "Price", "paragraphs": ["It costs € 5."]}'.encode("cp1252")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        (good + "\n").encode() + bad + b"\n" + '{"id": "u", "headline": "Café", "paragraphs": ["Naïve."]}\n'.encode()
    )
    stream = StreamedJsonl("mixed.jsonl", path)
    got = {a.id: a for a in stream}
    assert got["eur"].paragraphs == ("It costs € 5.",)
    assert got["u"].headline == "Café"  # later UTF-8 lines are still UTF-8
    assert [str(w) for w in stream.warnings] == ["mixed.jsonl:2: not valid UTF-8; such lines read as cp1252"]


@pytest.mark.parametrize(("content", "message"), [(b"\x00\x01\x02" * 100, "binary file"), (b"\n  \n", "empty file")])
def test_binary_and_empty_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    stream = StreamedJsonl("x.jsonl", path)
    assert list(stream) == []
    assert [w.message.split(",")[0] for w in stream.warnings] == [message]


def test_indexing_a_streamed_file_builds_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "corpus", articles=60)
    whole = tmp_path / "whole"
    indexer.update(whole, [corpus], jobs=1)
    monkeypatch.setattr(jsonl, "STREAM_BYTES", 1)
    read_bytes = Path.read_bytes

    def no_whole_jsonl(self: Path) -> bytes:
        assert self.suffix != ".jsonl", "a big JSONL file was read whole"
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", no_whole_jsonl)
    streamed = tmp_path / "streamed"
    report = indexer.update(streamed, [corpus], jobs=1)
    assert report.added == 64
    _compare(whole, streamed)
    assert _results(whole) == _results(streamed)
    # Unchanged: nothing read. Touched but equal: hashed, not re-indexed.
    assert not indexer.update(streamed, [corpus], jobs=1).changed
    feed = corpus / "feed.jsonl"
    os.utime(feed, ns=(feed.stat().st_atime_ns, feed.stat().st_mtime_ns + 10**9))
    again = indexer.update(streamed, [corpus], jobs=1)
    assert (again.changed, again.paragraphs, again.unchanged) == (False, 0, 64)
    # Changed: re-read line by line, old articles replaced.
    feed.write_text(feed.read_text(encoding="utf-8").replace('"a003"', '"z003"'), encoding="utf-8")
    changed = indexer.update(streamed, [corpus], jobs=1)
    assert (changed.added, changed.removed) == (1, 1)
