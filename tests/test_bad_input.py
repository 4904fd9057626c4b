"""Bad input through the command: one line naming the file and what to do, the documented exit code,
and every other article indexed.

Exit codes (README): 0 done or found, 1 a search found nothing, 2 an error.
A skipped file is a warning (`warning: <file>: ...` on stderr) and exit 0;
an index or query that cannot be used is an error (`Error: ...`) and exit 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli import main
from searchkit.indexing import store

GOOD = "Council budget agreed\n\nThe council agreed its budget for the coming year after a long debate.\n"


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.stdout, res.stderr


def index_folder(folder: Path, ix: Path, *extra: str) -> tuple[int, str, str]:
    return run("index", str(folder), "--index", str(ix), *extra)


def article_ids(ix: Path) -> set[str]:
    with searchkit.Index.open(ix) as index:
        return {d["article_id"] for d in index.searcher().documents(kind="p")}


def warning_for(stderr: str, name: str) -> str:
    lines = [line for line in stderr.splitlines() if name in line]
    assert len(lines) == 1, f"expected one line about {name}, got {lines!r}"
    assert lines[0].startswith("warning: ")
    return lines[0]


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# ---------------------------------------------------------------- files


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("binary.txt", bytes(range(256)) * 20, "binary file, skipped"),
    ("empty.txt", b"", "empty file, skipped"),
    ("blank.txt", b"  \n\n\t \r\n   \n", "empty file, skipped"),
    ("headline.txt", b"Only a headline\n", "has a headline but no body paragraphs; skipped"),
    ("nul.md", b"# Title\n\nText\x00with a NUL byte\n", "binary file, skipped"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_skipped_with_a_warning_and_the_rest_indexed(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    corpus = tmp_path / "c"
    _write(corpus, "good.txt", GOOD)
    _write(corpus, name, data)
    code, out, err = index_folder(corpus, tmp_path / "ix")
    assert code == 0
    assert warning_for(err, name) == f"warning: {name}: {message}"
    assert "1 added" in out
    assert article_ids(tmp_path / "ix") == {"good"}


def test_cp1252_and_latin1_are_read_with_a_warning(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _write(corpus, "good.txt", GOOD)
    _write(corpus, "cp.txt", "Café prices\n\nThe café charged “£3” for crème brûlée.\n".encode("cp1252"))
    _write(corpus, "latin.txt", "Ñandú news\n\nThe ñandú ran across the pampa \x85 fast.\n".encode("latin-1"))
    code, _, err = index_folder(corpus, tmp_path / "ix")
    assert code == 0
    assert warning_for(err, "cp.txt") == "warning: cp.txt: not valid UTF-8; read as cp1252"
    assert warning_for(err, "latin.txt") == "warning: latin.txt: not valid UTF-8; read as cp1252"
    with searchkit.Index.open(tmp_path / "ix") as ix:
        assert ix.show("cp").paragraphs[0][1] == "The café charged “£3” for crème brûlée."
        assert [h.article_id for h in ix.search("ñandú")] == ["latin"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_utf16_with_bom_and_utf8_bom_are_read_silently(tmp_path: Path, codec: str) -> None:
    corpus = tmp_path / "c"
    text = "Naïve voters\n\nThe naïve voters queued “early” at the polls.\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    _write(corpus, "u.txt", data)
    code, _, err = index_folder(corpus, tmp_path / "ix")
    assert (code, err) == (0, "")
    with searchkit.Index.open(tmp_path / "ix") as ix:
        assert ix.show("u").headline == "Naïve voters"


def test_jsonl_malformed_line_and_missing_fields(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    lines = [
        {"id": "ok-1", "headline": "Fine", "body": "A body about the council."},
        "{not json",
        {"id": "no-head", "body": "text"},
        {"id": "no-body", "headline": "Headline only"},
        [1, 2],
        {"id": "ok-2", "title": "Also fine", "paragraphs": ["One.", "Two."]},
    ]
    _write(corpus, "recs.jsonl", "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    code, out, err = index_folder(corpus, tmp_path / "ix")
    assert code == 0
    assert err.splitlines() == [
        "warning: recs.jsonl:2: malformed JSON (Expecting property name enclosed in double quotes, column 2); "
        "line skipped",
        "warning: recs.jsonl:5: not a JSON object; line skipped",
    ]
    # issue 17: a record without a headline, or with only one, is indexed
    assert article_ids(tmp_path / "ix") == {"ok-1", "ok-2", "no-head", "no-body"}


def test_one_megabyte_paragraph_is_split_and_searchable(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    sentence = "The committee examined the harbour accounts in detail. "
    _write(corpus, "big.txt", "Harbour inquiry\n\n" + sentence * (1_000_000 // len(sentence)) + "Zanzibar ends it.\n")
    _write(corpus, "good.txt", GOOD)
    started = time.monotonic()
    code, _, err = index_folder(corpus, tmp_path / "ix")
    assert (code, err) == (0, "")
    assert time.monotonic() - started < 60
    with searchkit.Index.open(tmp_path / "ix") as ix:
        view = ix.show("big")
        assert view.total_paragraphs >= 100 and max(len(t) for _, t in view.paragraphs) <= 10_000
        hit = ix.search("zanzibar")[0]
        assert len(hit.snippet) <= 240 and hit.snippet[slice(*hit.highlights[0])] == "Zanzibar"


#: Size of the "huge file" case. 100 MB takes minutes to index, too long for CI (which runs the
#: suite twice), so CI uses 10 MB; `benchmarks/stress.py --big-file-mb 100` runs the full size.
BIG_FILE_MB = int(os.environ.get("SEARCHKIT_BIG_FILE_MB", "10"))


@pytest.mark.slow
def test_huge_file_indexes_in_bounded_memory(tmp_path: Path) -> None:
    """A huge text file: indexed (in a child process, to measure its peak memory), other articles too."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    para = ("Paragraph {n} reports on the regional water board and its spending on pipes. " * 3).strip()
    with open(corpus / "huge.txt", "w", encoding="utf-8") as f:
        f.write("A very long file\n\n")
        n = 0
        while f.tell() < BIG_FILE_MB * 1_000_000:
            f.write("\n\n".join(para.format(n=n + k) for k in range(1000)) + "\n\n")
            n += 1000
    _write(corpus, "good.txt", GOOD)
    code = (
        "import resource, sys; from searchkit.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n"
        "    print('maxrss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); raise\n"
    )
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", code, "index", str(corpus), "--index", str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-2000:]
    rss_mb = int(proc.stderr.split("maxrss_kb")[1].split()[0]) / 1024
    print(f"{BIG_FILE_MB} MB file: {seconds:.0f} s, peak RSS {rss_mb:.0f} MB; {proc.stdout.strip()}")
    assert "2 added" in proc.stdout
    # Whoosh holds a segment's postings in memory until it is written; sane = a small multiple of the file.
    assert rss_mb < 300 + 25 * BIG_FILE_MB, f"peak memory {rss_mb:.0f} MB for a {BIG_FILE_MB} MB file"
    with searchkit.Index.open(tmp_path / "ix") as ix:
        assert ix.show("good").total_paragraphs == 1
        assert ix.search("paragraph 12345 water", limit=1)[0].article_id == "huge"


def test_unreadable_file_as_any_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads any file, so the permission error is simulated at the read; the message is the real one."""
    corpus = tmp_path / "c"
    _write(corpus, "good.txt", GOOD)
    locked = _write(corpus, "locked.txt", GOOD.replace("Council", "Secret"))
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, err = index_folder(corpus, tmp_path / "ix")
    assert code == 0
    assert (
        warning_for(err, "locked.txt") == "warning: locked.txt: cannot be read (Permission denied); fix its permissions"
    )
    assert article_ids(tmp_path / "ix") == {"good"}
    assert locked.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions (see the simulated test)")
def test_unreadable_file_by_permissions(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _write(corpus, "good.txt", GOOD)
    _write(corpus, "locked.txt", GOOD).chmod(0)
    code, _, err = index_folder(corpus, tmp_path / "ix")
    assert code == 0
    assert "locked.txt: cannot be read (Permission denied); fix its permissions" in err


def test_fifo_and_directory_named_like_files(tmp_path: Path) -> None:
    """Unreadable even for root: a FIFO would block a read forever; a folder named x.txt is walked."""
    corpus = tmp_path / "c"
    _write(corpus, "good.txt", GOOD)
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "folder.txt").mkdir()
    _write(corpus, "folder.txt/inner.txt", GOOD.replace("Council", "Inner"))
    code, _, err = index_folder(corpus, tmp_path / "ix")
    assert code == 0
    assert article_ids(tmp_path / "ix") == {"good", "folder.txt/inner"}
    # Named directly, the FIFO is refused instead of blocking the update.
    code, out, err = run("index", str(corpus / "pipe.txt"), str(corpus / "good.txt"), "--index", str(tmp_path / "ix2"))
    assert code == 0
    assert (
        warning_for(err, "pipe.txt")
        == "warning: pipe.txt: is not a regular file (a pipe or device?); skipped, pass a file"
    )
    assert article_ids(tmp_path / "ix2") == {"good"}


def test_broken_symlink_and_symlink_loop(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _write(corpus, "good.txt", GOOD)
    (corpus / "broken.txt").symlink_to(corpus / "missing.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "up").symlink_to(corpus, target_is_directory=True)
    code, _, err = index_folder(corpus, tmp_path / "ix")
    assert code == 0
    assert warning_for(err, "broken.txt").endswith("broken.txt: broken symlink, skipped")
    assert warning_for(err, "loop.txt").endswith("loop.txt: symlink loop, skipped")
    assert warning_for(err, "sub/up").endswith("sub/up: symlink loop (links to a folder above it), skipped")
    assert article_ids(tmp_path / "ix") == {"good"}
    # Named directly: an error, exit 2.
    code, _, err = run("index", str(corpus / "broken.txt"), "--index", str(tmp_path / "ix2"))
    assert (
        code == 2 and err == f"Error: {corpus / 'broken.txt'} is a broken symlink; pass a file or folder of articles\n"
    )


def test_folder_of_ten_thousand_files(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    for i in range(10_000):
        _write(corpus, f"d{i // 1000}/a{i}.txt", f"Story {i}\n\nReport number {i} on the county fair.\n")
    started = time.monotonic()
    code, out, err = index_folder(corpus, tmp_path / "ix")
    first = time.monotonic() - started
    assert (code, err) == (0, "")
    assert out.startswith("10000 added, 0 updated, 0 removed, 0 unchanged articles; 10,000 paragraphs written")
    started = time.monotonic()
    code, out, _ = index_folder(corpus, tmp_path / "ix")
    again = time.monotonic() - started
    assert out.startswith("0 added, 0 updated, 0 removed, 10000 unchanged articles") and out.rstrip().endswith(
        "nothing to do"
    )
    print(f"10k files: first build {first:.1f} s, unchanged re-run {again:.1f} s")
    assert first < 120 and again < 30


# ---------------------------------------------------------------- the index


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "c"
    _write(corpus, "good.txt", GOOD)
    _write(corpus, "other.txt", "Storm warning\n\nA storm is expected on the coast tonight.\n")
    assert index_folder(corpus, tmp_path / "ix")[0] == 0
    return corpus, tmp_path / "ix"


def _toc(ix: Path) -> Path:
    return next(ix.glob("_MAIN_*.toc"))


DAMAGE = {
    "truncated-toc": lambda ix: _toc(ix).write_bytes(_toc(ix).read_bytes()[:40]),
    "garbage-toc": lambda ix: _toc(ix).write_bytes(os.urandom(300)),
    "truncated-segment": lambda ix: [p.write_bytes(p.read_bytes()[:100]) for p in ix.glob("MAIN_*.seg")],
    "missing-segment": lambda ix: [p.unlink() for p in ix.glob("MAIN_*.seg")],
    "missing-toc": lambda ix: _toc(ix).unlink(),
    "garbage-meta": lambda ix: (ix / "searchkit.json").write_text("{not json", encoding="utf-8"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_index_clear_error_and_rebuild_fixes_it(built: tuple[Path, Path], damage: str) -> None:
    corpus, ix = built
    DAMAGE[damage](ix)
    for cmd in (["search", "council"], ["stats"], ["show", "good"], ["index", str(corpus)]):
        code, out, err = run(*cmd, "--index", str(ix))
        assert code == 2, (cmd, code, out, err)
        assert out == ""
        assert err.startswith("Error: ") and err.count("\n") == 1, err
        assert "searchkit index --rebuild" in err, err
    code, out, err = run("index", str(corpus), "--index", str(ix), "--rebuild")
    assert code == 0, err
    assert run("search", "council", "--index", str(ix))[0] == 0
    assert article_ids(ix) == {"good", "other"}


def test_index_of_another_schema_version(built: tuple[Path, Path]) -> None:
    corpus, ix = built
    meta = json.loads((ix / "searchkit.json").read_text(encoding="utf-8"))
    meta["schema_version"] = 1
    (ix / "searchkit.json").write_text(json.dumps(meta), encoding="utf-8")
    from searchkit.indexing.schema import SCHEMA_VERSION

    want = (
        f"Error: the index in {ix} was built with schema version 1, this searchkit uses {SCHEMA_VERSION}; "
        "rebuild it with `searchkit index --rebuild`\n"
    )
    assert run("search", "council", "--index", str(ix)) == (2, "", want)
    assert run("index", str(corpus), "--index", str(ix)) == (2, "", want)
    code, _, _ = run("index", str(corpus), "--index", str(ix), "--rebuild")
    assert code == 0
    assert run("search", "council", "--index", str(ix))[0] == 0


def test_folder_that_is_not_an_index(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    _write(corpus, "good.txt", GOOD)
    other = tmp_path / "mine"
    _write(other, "notes.txt", "keep me")
    assert run("index", str(corpus), "--index", str(other)) == (
        2,
        "",
        f"Error: {other} exists and is not a searchkit index; choose an empty folder with --index\n",
    )
    assert (other / "notes.txt").read_text() == "keep me"
    assert run("search", "x", "--index", str(tmp_path / "none")) == (
        2,
        "",
        f"Error: no searchkit index in {tmp_path / 'none'}; run `searchkit index` to build one\n",
    )


# ---------------------------------------------------------------- queries


QUERY_CASES = [
    ("", 2, "Error: the query is empty; give some words to search for"),
    ("   \t ", 2, "Error: the query is empty; give some words to search for"),
    ("nosuch:budget", 2, "Error: unknown field nosuch:; the fields are headline:, body:, quote:, speaker:, source:"),
    ('"council budget', 0, ""),
    ("(council OR storm", 0, ""),
    ("council)) AND (", 0, ""),
    ('"', 1, "no match for '\"'"),
    ("((((", 1, "no match for '(((('"),
    ("AND OR NOT", 1, "no match for 'AND OR NOT'"),
    ("title:", 1, "no match for 'title:'"),
]


@pytest.mark.parametrize(("query", "code", "message"), QUERY_CASES, ids=[repr(q[0]) for q in QUERY_CASES])
def test_odd_queries(built: tuple[Path, Path], query: str, code: int, message: str) -> None:
    _, ix = built
    got_code, out, err = run("search", query, "--index", str(ix))
    assert got_code == code, (out, err)
    assert err.strip() == message
    if code == 0:
        assert "Council budget agreed" in out or "Storm warning" in out


def test_ten_thousand_term_query(built: tuple[Path, Path]) -> None:
    _, ix = built
    words = " ".join(f"w{i}x" for i in range(10_000))
    code, out, err = run("search", words, "--index", str(ix))
    assert (code, out) == (2, "")
    assert err == f"Error: the query is {len(words):,} characters long; the limit is 10,000, shorten it\n"
    # Within the character limit but over the word limit (distinct words after analysis).
    many = " ".join(f"{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}q" for i in range(1_500))
    code, out, err = run("search", many, "--index", str(ix))
    assert (code, out) == (2, "")
    assert err == "Error: the query has 1,500 distinct words; the limit is 1,000\n"
    # And 10,000 terms through the library, which is what --json users hit too.
    with searchkit.Index.open(ix) as index, pytest.raises(searchkit.QueryError):
        index.search(" OR ".join(["council"] * 10_000))


def test_store_helpers_refuse_to_open_what_is_not_an_index(tmp_path: Path) -> None:
    with pytest.raises(searchkit.IndexNotFoundError):
        store.open_index(tmp_path)


@pytest.mark.parametrize("method", ["search", "show", "similar", "stats"])
def test_every_reading_method_is_behind_the_damage_guard(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Damage met while reading (here: when the searcher is refreshed) is an IndexCorruptError
    advising a rebuild in library terms, whichever method met it."""
    _, ix = built

    def damaged(self: searchkit.Index) -> None:
        raise EOFError("Ran out of input")

    calls = {
        "search": lambda index: index.search("council"),
        "show": lambda index: index.show("good"),
        "similar": lambda index: index.similar("good", 1),
        "stats": lambda index: index.stats(),
    }
    with searchkit.Index.open(ix) as index:
        monkeypatch.setattr(searchkit.Index, "_current", damaged)
        with pytest.raises(searchkit.IndexCorruptError) as err:
            calls[method](index)
    assert str(err.value).endswith("is damaged (EOFError: Ran out of input); rebuild it (rebuild=True)")
    assert "searchkit index" not in str(err.value)


def test_searcher_is_public_and_guarded(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _, ix = built
    with searchkit.Index.open(ix) as index:
        assert {d["article_id"] for d in index.searcher().documents(kind="p")} == {"good", "other"}
        monkeypatch.setattr(searchkit.Index, "_current", lambda self: (_ for _ in ()).throw(OSError("gone")))
        with pytest.raises(searchkit.IndexCorruptError, match=r"rebuild it \(rebuild=True\)$"):
            index.searcher()
