"""Safe to open (issue 17, item 6): a crafted index cannot run code; the pickle allow-list is complete."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.codec import safepickle
from searchkit.errors import IndexCorruptError
from tests.helpers import generated_corpus, snapshot, write

UNIQUE = (
    "Zanzibarian quokkas juggle marmalade beneath the observatory dome tonight, while seven"
    " bewildered astronomers count the jars, argue about the telescope, and write long letters"
    " to the council about the noise, the sticky floors and the curious smell of oranges."
)


class _CreatesFile:
    """Pickles to `open(path, "w")`: unpickling it creates `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.path), "w"))


def _corpus(tmp_path: Path) -> Path:
    folder = generated_corpus(tmp_path / "corpus", articles=12)
    write(folder, "odd/zanzibar.txt", f"Quokkas of Zanzibar\n\n{UNIQUE}\n")
    return folder


def _toc(index_dir: Path) -> Path:
    return max(index_dir.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.split("_")[-1]))


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def replace_schema(index_dir: Path, payload: bytes) -> None:
    """Put `payload` where the latest table of contents keeps the pickled schema."""
    toc = _toc(index_dir)
    data = toc.read_bytes()
    pos = 0
    for _ in range(3):  # int, long and float sizes
        _, pos = _read_varint(data, pos)
    pos += 8  # the byte-order check and the format version (two ints)
    for _ in range(3):  # Whoosh's release
        _, pos = _read_varint(data, pos)
    size, start = _read_varint(data, pos)
    assert pickle.loads(data[start : start + size]).__class__.__name__ == "Schema"  # the real schema, trusted here
    toc.write_bytes(data[:pos] + _varint(len(payload)) + payload + data[start + size :])


def replace_stored_url(index_dir: Path, text: str, marker: Path) -> int:
    """Rewrite the paragraphs holding `text` with Whoosh's writer, their stored url a pickle of `open(marker, "w")`.

    Every field of the schema is stored, so re-adding a paragraph's stored fields
    indexes it as before; only the stored url's pickle is now the attack.
    """
    from whoosh import index as windex

    ix = windex.open_dir(str(index_dir), indexname="MAIN")
    with ix.searcher() as s:
        victims = [dict(fields) for _, fields in s.reader().iter_docs() if text in str(fields.get("body", ""))]
    writer = ix.writer()
    for fields in victims:
        writer.delete_by_term("article_id", fields["article_id"])
    for fields in victims:
        writer.add_document(**{**fields, "url": _CreatesFile(marker)})
    writer.commit()
    ix.close()
    return len(victims)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crafted_schema_runs_nothing_and_says_damaged(tmp_path: Path, jobs: int) -> None:
    ix_dir = tmp_path / "ix"
    searchkit.Index.build([_corpus(tmp_path)], ix_dir, jobs=jobs).close()
    marker = tmp_path / "pwned-schema"
    replace_schema(ix_dir, pickle.dumps(_CreatesFile(marker), 2))
    assert b"open" in _toc(ix_dir).read_bytes()  # the attack is in place (an unrestricted open runs it)

    with pytest.raises(IndexCorruptError, match=r"damaged .*not a searchkit index.*\w+\.open.*rebuild it"):
        searchkit.Index.open(ix_dir)
    assert not marker.exists()


def test_a_crafted_stored_field_runs_nothing_on_search_or_show(tmp_path: Path) -> None:
    ix_dir = tmp_path / "ix"
    searchkit.Index.build([_corpus(tmp_path)], ix_dir, jobs=1).close()
    marker = tmp_path / "pwned-stored"
    assert replace_stored_url(ix_dir, UNIQUE, marker) >= 1

    ix = searchkit.Index.open(ix_dir)  # the schema and segment list are intact
    try:
        with pytest.raises(IndexCorruptError, match=r"damaged .*not a searchkit index.*\w+\.open.*rebuild it"):
            list(ix.search("quokkas marmalade"))
        with pytest.raises(IndexCorruptError, match="not a searchkit index"):
            ix.show("odd/zanzibar")
    finally:
        ix.close()
    assert not marker.exists()


def test_the_command_line_says_damaged_in_one_line(tmp_path: Path) -> None:
    from searchkit.cli import main

    ix_dir = tmp_path / "ix"
    searchkit.Index.build([_corpus(tmp_path)], ix_dir, jobs=1).close()
    marker = tmp_path / "pwned-cli"
    replace_stored_url(ix_dir, UNIQUE, marker)
    res = CliRunner().invoke(main, ["search", "quokkas marmalade", "--index", str(ix_dir)])
    assert res.exit_code == 2, res.output
    assert "not a searchkit index" in res.output and "Traceback" not in res.output
    assert not marker.exists()


def _exercise(index: searchkit.Index) -> None:
    hits = list(index.search("election minister"))
    list(index.search('"prime minister"'))
    index.stats()
    index.facets("election")
    index.speakers(limit=3)
    if hits:
        index.show(hits[0].article_id)


def test_the_allow_list_holds_every_class_of_every_index_searchkit_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built in one process and in two, updated, rebuilt and from articles: every global read is allowed.

    (A missing one would raise IndexCorruptError here; SEEN shows which names were read.)
    """
    seen: set[tuple[str, str]] = set()
    monkeypatch.setattr(safepickle, "SEEN", seen)
    corpus = _corpus(tmp_path)
    write(corpus, "more/a.md", "# A markdown story\n\nSome *markdown* about the election.\n")
    for jobs in (1, 2):
        ix_dir = tmp_path / f"ix{jobs}"
        with searchkit.Index.build([corpus], ix_dir, jobs=jobs) as index:
            _exercise(index)
            write(corpus, f"more/b{jobs}.txt", "Added later\n\nA new story about the election and the storm.\n")
            (corpus / "txt/0.txt").unlink(missing_ok=True)
            index.update(jobs=jobs)
            _exercise(index)
        snapshot(ix_dir)  # every stored field, column and posting, through Whoosh's own readers
        searchkit.Index.build([corpus], ix_dir, jobs=jobs, rebuild=True).close()
        snapshot(ix_dir)
    with searchkit.Index.open(tmp_path / "ix1") as index:
        views = [index.show(h.article_id) for h in index.search("election")]
    articles = [
        searchkit.Article(
            id=v.article_id, headline=v.headline, paragraphs=tuple(t for _, t in v.paragraphs), date=v.date
        )
        for v in views
    ]
    with searchkit.Index.from_articles(articles, tmp_path / "ix3") as index:
        _exercise(index)
    snapshot(tmp_path / "ix3")
    assert seen, "no pickle was read through the restricted unpickler"
    assert seen <= safepickle.ALLOWED


def test_no_whoosh_module_keeps_an_unrestricted_unpickler() -> None:
    import whoosh.index  # noqa: F401  (the readers are loaded by install; make sure whoosh is)

    for name, module in list(sys.modules.items()):
        if name == "whoosh" or name.startswith("whoosh."):
            for attr, value in vars(module).items():
                assert not any(value is u for u in (pickle.loads, pickle.load, pickle.Unpickler, pickle)), (
                    f"{name}.{attr}"
                )


def test_dates_in_any_time_zone_are_stored_readable(tmp_path: Path) -> None:
    """A zone database's tzinfo is not on the allow-list: dates are stored in UTC (the same instant)."""
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    try:
        london = ZoneInfo("Europe/London")
    except Exception:  # no time zone database on this machine
        pytest.skip("no time zone database")
    dates = [datetime(2005, 7, 1, 12, tzinfo=london), datetime(2005, 7, 2, tzinfo=timezone(timedelta(hours=2)))]
    arts = [
        searchkit.Article(id=f"a{i}", headline="Storm", paragraphs=("The storm hit the coast.",), date=d)
        for i, d in enumerate(dates)
    ]
    with searchkit.Index.from_articles(arts, tmp_path / "ix") as index:
        got = {h.article_id: h.date for h in index.search("storm")}
    assert got == {"a0": dates[0], "a1": dates[1]}  # the same instants
    assert all(d is not None and d.tzinfo is timezone.utc for d in got.values())
