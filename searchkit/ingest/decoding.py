"""Decoding: a file's bytes -> text, and telling text from binary.

UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such; anything
else falls back to cp1252, then latin-1, with a warning naming the file, so an
oddly encoded article is still read rather than lost. A file whose first 8 KB
hold a NUL or more than 10% control characters is binary and skipped.
"""

from __future__ import annotations

from searchkit.ingest.values import CorpusWarning


def decode(rel: str, data: bytes) -> tuple[str, list[CorpusWarning]]:
    """The text of a file's bytes, with a warning when it was not clean UTF-8 or UTF-16."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be"
        try:
            return data[2:].decode(codec), []
        except UnicodeDecodeError:
            text = data[2:].decode(codec, errors="replace")
            return text, [CorpusWarning(rel, "invalid UTF-16; damaged characters replaced")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [CorpusWarning(rel, "not valid UTF-8; read as cp1252")]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [CorpusWarning(rel, "not valid UTF-8 or cp1252; read as latin-1")]


def looks_binary(text: str) -> bool:
    """Whether decoded text is really a binary file: a NUL, or many control characters, near its start."""
    head = text[:8192]
    controls = sum(1 for ch in head if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\x7f")
    return "\x00" in head or controls * 10 > len(head)
