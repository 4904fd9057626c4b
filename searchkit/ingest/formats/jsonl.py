"""JSON Lines articles: one JSON object per line, read whole or, for a big file, streamed.

A record has ``headline`` (or ``title``), ``paragraphs`` (a list) or ``body``
(or ``text``, blank-line paragraphs), and optional ``id``, ``date``,
``source`` and ``url``. Either the headline or the body may be missing or empty
(wire items and briefs often have no headline; a headline-only record becomes
one paragraph, its headline). A bad line, or a record with neither, is reported
as ``file:line`` saying what was wrong, and skipped. A record without an ``id``
(or with a bad one, or one an earlier line used) gets ``<file>:<hash>``, made
from its text, so it keeps its id whatever happens to other lines.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from searchkit.ingest.cleaning import block_paragraphs, clean, split_lines, text_blocks
from searchkit.ingest.decoding import looks_binary
from searchkit.ingest.formats.common import article_id, make_articles, set_date
from searchkit.ingest.sources import SourceFile
from searchkit.ingest.values import Article, CorpusWarning


class _JsonlReader:
    """JSON Lines, one record at a time: the state a file's records share."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.stem = article_id(rel)
        self.seen: set[str] = set()
        self.warns: list[CorpusWarning] = []

    def record(self, n: int, line: str) -> list[Article]:
        """The article on line `n` ([] for a blank or bad line, with a warning for a bad one)."""
        rel, warns = self.rel, self.warns
        if not line.strip():
            return []
        try:
            rec = _loads(line.lstrip("\ufeff"))  # a BOM starts a line where files were concatenated
        except json.JSONDecodeError as e:
            warns.append(CorpusWarning(rel, f"malformed JSON ({e.msg}, column {e.colno}); line skipped", n))
            return []
        except ValueError:
            warns.append(CorpusWarning(rel, "malformed JSON; line skipped", n))
            return []
        if not isinstance(rec, dict):
            warns.append(CorpusWarning(rel, "not a JSON object; line skipped", n))
            return []
        if "\\u" in line or not line.isascii():  # else no string in it can hold a surrogate
            _replace_surrogates(rec, rel, n, warns)
        title = rec.get("headline") or rec.get("title")
        headline = clean(title) if isinstance(title, str) else ""
        paragraphs = block_paragraphs(_blocks(rec))
        if not headline and not paragraphs:
            warns.append(CorpusWarning(rel, f"record has no text ({_what_is_missing(rec)}); line skipped", n))
            return []
        art_id = self._given_id(rec.get("id"), n)
        if art_id is None:
            art_id = self._content_id(headline, paragraphs)
        self.seen.add(art_id)
        meta: dict[str, object] = {k: rec[k] for k in ("source", "url") if isinstance(rec.get(k), str)}
        if rec.get("date") is not None:
            set_date(meta, rec["date"], rel, warns, n)
        # A headline-only record (a news flash) is its headline, as its one paragraph.
        return make_articles(rel, headline, paragraphs or (headline,), meta, warns, n, art_id)

    def _given_id(self, raw_id: object, n: int) -> str | None:
        """The record's own id, when it has a usable one not used before in this file (else None, with a warning)."""
        if raw_id is None:
            return None
        if not (isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and clean(str(raw_id))):
            what = "must be a non-empty string or integer"
        elif (art_id := clean(str(raw_id)).replace("#", "_")) in self.seen:
            what = f"{art_id!r} is already used by an earlier line of this file"
        else:
            return art_id
        self.warns.append(CorpusWarning(self.rel, f'"id" {what}; its id is made from its text instead', n))
        return None

    def _content_id(self, headline: str, paragraphs: tuple[str, ...]) -> str:
        """``<file>:<hash of the record's text>``: the same whatever other lines are added, edited or deleted.

        Records with the same text get ``-2``, ``-3``, ... in file order.
        """
        text = "\x00".join((headline, *paragraphs)).encode("utf-8", "surrogatepass")
        base = f"{self.stem}:{hashlib.blake2b(text, digest_size=5).hexdigest()}"
        art_id, k = base, 1
        while art_id in self.seen:
            k += 1
            art_id = f"{base}-{k}"
        return art_id


#: Integers longer than this stay strings of digits: Python refuses to convert one of over 4,300 digits.
_MAX_DIGITS = 4000
#: Values nested deeper than this are read as null: json recurses per level and fails past about 1,000.
_MAX_DEPTH = 100


def _int(digits: str) -> int | str:
    return int(digits) if len(digits) <= _MAX_DIGITS else digits


#: What `json.loads(line, parse_int=_int)` would make for each call (a line has no BOM left: `record` strips it).
_DECODER = json.JSONDecoder(parse_int=_int)


def _loads(line: str) -> object:
    """A line's JSON value; valid JSON is never refused for a huge integer or deep nesting in a value searchkit
    does not read (the fields it reads are strings and a list of strings, at the top two levels)."""
    try:
        return _DECODER.decode(line)
    except RecursionError:
        return _DECODER.decode(_shallow(line))


def _shallow(line: str) -> str:
    """The JSON text with every array or object nested deeper than `_MAX_DEPTH` replaced by null (one linear pass)."""
    out: list[str] = []
    depth, start, cut = 0, 0, -1
    in_string = escaped = False
    for i, ch in enumerate(line):
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth == _MAX_DEPTH + 1:
                cut = i
        elif ch in "]}":
            if depth == _MAX_DEPTH + 1 and cut >= 0:
                out.append(line[start:cut] + "null")
                start, cut = i + 1, -1
            depth -= 1
    out.append(line[start:])
    return "".join(out)


#: The record's keys searchkit reads (the others are never looked at, whatever they hold).
_USED = ("headline", "title", "paragraphs", "body", "text", "id", "date", "source", "url")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(rec: dict[str, object], rel: str, n: int, warns: list[CorpusWarning]) -> None:
    """Replace lone surrogates (valid JSON escapes such as ``\\ud800``, but not text: they cannot be
    stored or printed) in the fields read, with U+FFFD, and say where."""
    bad: list[str] = []
    for key in _USED:
        value = rec.get(key)
        if isinstance(value, str) and _SURROGATE.search(value):
            rec[key] = _SURROGATE.sub("\ufffd", value)
            bad.append(key)
        elif isinstance(value, list) and any(isinstance(v, str) and _SURROGATE.search(v) for v in value):
            rec[key] = [_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for v in value]
            bad.append(key)
    if bad:
        where = ", ".join(f'"{k}"' for k in bad)
        warns.append(CorpusWarning(rel, f"lone surrogate escape (\\ud800-\\udfff) in {where}; replaced by U+FFFD", n))


def _blocks(rec: dict[str, object]) -> list[list[str]]:
    """The record's paragraphs (its ``paragraphs`` list, else ``body``/``text`` split on blank lines) as line blocks."""
    paras = rec.get("paragraphs")
    body = rec.get("body") or rec.get("text")
    if isinstance(paras, list):
        return [split_lines(p) for p in paras if isinstance(p, str) and p.strip()]
    return text_blocks(split_lines(body)) if isinstance(body, str) else []


def _what_is_missing(rec: dict[str, object]) -> str:
    """Why a record gave neither a headline nor a paragraph, key by key: missing, not a string, or empty."""

    def state(key: str, kind: type) -> str:
        value = rec[key]
        if not isinstance(value, kind):
            return f'"{key}" is not a {"string" if kind is str else "list of strings"}'
        return f'"{key}" is empty'

    found = [state(k, str) for k in ("headline", "title") if k in rec]
    found += [state(k, list if k == "paragraphs" else str) for k in ("paragraphs", "body", "text") if k in rec]
    if not any(k in rec for k in ("headline", "title")):
        found.insert(0, 'no "headline" or "title"')
    if not any(k in rec for k in ("paragraphs", "body", "text")):
        found.append('no "paragraphs", "body" or "text"')
    return ", ".join(found)


def parse_jsonl(rel: str, text: str) -> tuple[list[Article], list[CorpusWarning]]:
    reader = _JsonlReader(rel)
    articles: list[Article] = []
    for n, line in enumerate(split_lines(text), 1):
        articles += reader.record(n, line)
    return articles, reader.warns


#: JSON Lines files at least this big are read a line at a time (`StreamedJsonl`).
STREAM_BYTES = 32 * 1024 * 1024


def streamable(src: SourceFile) -> bool:
    """Whether a file is read with `StreamedJsonl` rather than whole: a big JSONL file, not UTF-16."""
    if src.size < STREAM_BYTES or PurePosixPath(src.rel).suffix.lower() != ".jsonl" or not src.path.is_file():
        return False
    try:
        with open(src.path, "rb") as f:
            head = f.read(2)
    except OSError:
        return False  # reading it whole reports why
    return head not in (b"\xff\xfe", b"\xfe\xff")  # UTF-16 lines cannot be split as bytes


class StreamedJsonl:
    """A large JSON Lines file, read a line at a time so memory does not grow with the file.

    Iterating gives its articles; once done, `warnings` says what was wrong and
    `sha256` is the hash of the file's bytes. The articles are those
    `parse_file` gives, with one difference: each line is decoded on its own,
    so a file with a few non-UTF-8 lines has just those read as cp1252 (one
    warning names the first), not the whole file.
    """

    def __init__(self, rel: str, path: str | os.PathLike[str]) -> None:
        self.rel = rel
        self.path = path
        self.warnings: list[CorpusWarning] = []
        self.sha256 = ""

    def __iter__(self) -> Iterator[Article]:
        reader = _JsonlReader(self.rel)
        digest = hashlib.sha256()
        with open(self.path, "rb") as f:
            skip = looks_binary(f.read(8192).decode("utf-8", "replace"))
            f.seek(0)
            if skip:
                self.warnings.append(CorpusWarning(self.rel, "binary file, skipped"))
                for raw in f:  # hashed all the same: the update compares hashes
                    digest.update(raw)
            else:
                blank = True
                for n, piece in enumerate(self._lines(f, digest.update), 1):
                    blank = blank and not piece.strip()
                    yield from reader.record(n, piece)
                if blank:
                    self.warnings.append(CorpusWarning(self.rel, "empty file, skipped"))
        self.warnings.extend(reader.warns)
        self.sha256 = digest.hexdigest()

    def _lines(self, f: BinaryIO, hash_bytes: Callable[[bytes], object]) -> Iterator[str]:
        """The file's lines as text, each decoded on its own, every byte read passed to `hash_bytes`."""
        recoded = False
        n = 0
        for number, raw in enumerate(f):
            hash_bytes(raw)
            if number == 0 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("cp1252", "replace")
                if not recoded:
                    recoded = True
                    self.warnings.append(CorpusWarning(self.rel, "not valid UTF-8; such lines read as cp1252", n + 1))
            # The line's own end goes; a bare \r inside it still splits, as in a whole file.
            end = 2 if line.endswith("\r\n") else 1 if line.endswith("\n") else 0
            for piece in split_lines(line[: len(line) - end]):
                n += 1
                yield piece
