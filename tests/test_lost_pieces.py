"""Big text and Markdown files are read in pieces and index as if read whole (issue 17, item 9)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from helpers import write

import searchkit
from searchkit.indexing import indexer
from searchkit.ingest import pieces
from searchkit.ingest.articles import TextPieces, parse_file

WORDS = "council budget storm flood court trial minister vote market bank river police school".split()


def _body(rng: random.Random, n: int, markdown: bool) -> str:
    blocks = []
    for i in range(n):
        kind = rng.random()
        if markdown and kind < 0.05:
            blocks.append("```\ncode line one\n\ncode after a blank line\n```")
        elif markdown and kind < 0.1:
            blocks.append(f"## Section {i}")
        elif kind < 0.15:
            blocks.append("Share this article")  # furniture: dropped only at the article's end
        else:
            lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 15))) for _ in range(rng.randint(1, 3))]
            blocks.append("\n".join(lines) + ".")
    return "\n\n".join(blocks) + "\n\nMore to follow.\n\nShare this article\n"


@pytest.mark.parametrize("suffix", [".txt", ".md"])
@pytest.mark.parametrize("seed", range(3))
def test_parts_are_the_whole_files_paragraphs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, seed: int
) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", 512)
    rng = random.Random(seed)
    head = "# Big story\n\n" if suffix == ".md" else "Big story\nDate: 2024-03-01\n\n"
    text = head + _body(rng, 400, suffix == ".md")
    path = write(tmp_path, f"big{suffix}", text)
    (whole,), _ = parse_file(path.name, text.encode())
    stream = TextPieces(path.name, path)
    parts = list(stream)
    assert len(parts) > 5 and [p.more for p in parts] == [True] * (len(parts) - 1) + [False]
    assert [p.first for p in parts] == [1 + sum(len(q.paragraphs) for q in parts[:i]) for i in range(len(parts))]
    assert tuple(par for p in parts for par in p.paragraphs) == whole.paragraphs
    assert {(p.id, p.headline, p.date) for p in parts} == {(whole.id, whole.headline, whole.date)}
    assert stream.sha256 and stream.warnings == []


def test_a_big_file_indexes_as_if_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    corpus = tmp_path / "c"
    write(corpus, "big.txt", "Big story\n\n" + _body(rng, 600, False))
    for i in range(3):  # "More to follow." closes other articles too: boilerplate at the big one's end
        write(corpus, f"s{i}.txt", f"Small {i}\n\nA small story {i} about the river.\n\nMore to follow.\n")
    indexer.update(tmp_path / "whole", [corpus])
    monkeypatch.setattr(pieces, "STREAM_BYTES", 1000)
    monkeypatch.setattr(pieces, "PIECE_BYTES", 700)
    indexer.update(tmp_path / "parts", [corpus])

    def docs(name: str) -> list[tuple[str, int, str, str]]:
        with searchkit.Index.open(tmp_path / name) as ix:
            found = ix.searcher().documents(kind="p")
            return sorted((d["article_id"], d["n"], d["body"], d["headline"]) for d in found)

    assert docs("parts") == docs("whole")
    assert not indexer.update(tmp_path / "parts", [corpus]).changed
