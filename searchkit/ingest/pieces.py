"""Big text and Markdown files, read and indexed in pieces, so memory does not grow with the file.

A ``.txt``/``.md`` file of at least `STREAM_BYTES` is one article that may hold
hundreds of thousands of paragraphs. It is read `PIECE_BYTES` at a time, cut
only at a blank line (outside a Markdown code fence), and each piece is parsed
by the file's own parser and handed on as an *article part*: the same article
(id, headline, date, ...), the piece's paragraphs, the number of its first
paragraph (`Article.first`) and whether parts follow (`Article.more`: only the
last part has the tail the boilerplate rule looks at).

The paragraphs are those the whole file would give: a piece is parsed as an
article body (after a stand-in headline, so no line of it is taken for a
header), and pieces that are not the last get stand-in closing blocks, so the
furniture rules, which look only at an article's last blocks, apply to the
real end of the article only. Each piece is decoded on its own (UTF-8, else
cp1252 with one warning), as `StreamedJsonl` does for its lines. Quotation
speakers are looked for within a part, so one standing at a cut may go unnamed.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import PurePosixPath
from typing import BinaryIO

from searchkit.ingest.decoding import looks_binary
from searchkit.ingest.formats.markdown import parse_markdown
from searchkit.ingest.formats.txt import parse_txt
from searchkit.ingest.parsing import parse_file
from searchkit.ingest.values import Article, CorpusWarning

#: Text and Markdown files at least this big are read in pieces (as big JSON Lines files are streamed).
STREAM_BYTES = 32 * 1024 * 1024
#: About how much of the file one piece holds.
PIECE_BYTES = 1024 * 1024

_PARSERS: dict[str, Callable[[str, str], tuple[list[Article], list[CorpusWarning]]]] = {
    ".txt": parse_txt,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
}
#: A paragraph no article has: stands in before a piece's body and after a piece that is not the last.
_STAND_IN = "searchkit0piece0stand0in"
_OPEN = f"# {_STAND_IN}\n\n{_STAND_IN}\n\n"
_CLOSE = f"\n\n{_STAND_IN}\n\n{_STAND_IN}\n\n{_STAND_IN}\n"
_BLANK_LINE = re.compile(rb"(?:\r\n|\n|\r)[ \t\f\v]*(?:\r\n|\n|\r)")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.M)


def in_pieces(rel: str, size: int) -> bool:
    """Whether a file is read with `TextPieces`: a big text or Markdown file."""
    return size >= STREAM_BYTES and PurePosixPath(rel).suffix.lower() in _PARSERS


class TextPieces:
    """A big text or Markdown file's article, as parts of at most about `PIECE_BYTES` each.

    Iterating gives the parts; once done, `warnings` says what was wrong and
    `sha256` is the hash of the file's bytes (every byte read is hashed).
    """

    def __init__(self, rel: str, path: str | os.PathLike[str]) -> None:
        self.rel = rel
        self.path = path
        self.parse = _PARSERS[PurePosixPath(rel).suffix.lower()]
        self.warnings: list[CorpusWarning] = []
        self.sha256 = ""
        self._recoded = False

    def __iter__(self) -> Iterator[Article]:
        digest = hashlib.sha256()
        with open(self.path, "rb") as f:
            head = f.read(8192)
            f.seek(0)
            if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 cannot be cut as bytes: read whole (rare)
                data = f.read()
                digest.update(data)
                articles, warns = parse_file(self.rel, data)
                self.warnings.extend(warns)
                yield from articles
            elif looks_binary(head.decode("utf-8", "replace")):
                self.warnings.append(CorpusWarning(self.rel, "binary file, skipped"))
                for block in iter(lambda: f.read(PIECE_BYTES), b""):
                    digest.update(block)
            else:
                yield from self._parts(self._pieces(f, digest.update))
        self.sha256 = digest.hexdigest()

    def _pieces(self, f: BinaryIO, hash_bytes: Callable[[bytes], object]) -> Iterator[tuple[str, bool]]:
        """The file's text in pieces cut at blank lines outside code fences, each with whether it is the last.

        The last piece is the one before the last cut plus the rest, so the
        furniture rules see the article's last blocks together.
        """
        buf, fenced, held = b"", False, ""
        for block in iter(lambda: f.read(PIECE_BYTES), b""):
            hash_bytes(block)
            buf += block
            cut = _last_blank_line(buf)
            if cut <= 0:
                continue
            text = self._decode(buf[:cut])
            inside = fenced ^ (len(_FENCE.findall(text)) % 2 == 1)
            if inside and len(buf) < 16 * PIECE_BYTES:  # never inside a code fence, unless it never ends
                continue
            fenced, buf = inside, buf[cut:]
            if held:
                yield held, False
            held = text
        yield held + (self._decode(buf) if buf else ""), True

    def _decode(self, data: bytes) -> str:
        if not self._recoded and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            if not self._recoded:
                self.warnings.append(CorpusWarning(self.rel, "not valid UTF-8; such parts read as cp1252"))
            self._recoded = True
            return data.decode("cp1252", "replace")

    def _parts(self, pieces: Iterator[tuple[str, bool]]) -> Iterator[Article]:
        """Each piece parsed as a part of the first piece's article, numbered on."""
        article: Article | None = None
        number = 1
        for text, last in pieces:
            if article is None:
                found, warns = self.parse(self.rel, text + ("" if last else _CLOSE))
                self.warnings.extend(warns)
                if not found:
                    return
                article = found[0]
                paragraphs = article.paragraphs
            else:
                found, _ = self.parse(self.rel, _OPEN + text + ("" if last else _CLOSE))
                paragraphs = found[0].paragraphs[1:] if found else ()
            if not last:
                paragraphs = paragraphs[:-3]
            if paragraphs or last:
                yield replace(article, paragraphs=paragraphs, first=number, more=not last)
                number += len(paragraphs)


def _last_blank_line(buf: bytes) -> int:
    """Where the text after the last blank line in `buf` starts (0 if none in its last part)."""
    start = max(0, len(buf) - 4 * PIECE_BYTES)
    end = 0
    for m in _BLANK_LINE.finditer(buf, start):
        end = m.end()
    return end
