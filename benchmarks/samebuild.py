"""Does this tree build the same index as another commit? Byte for byte, segment by segment.

    python benchmarks/samebuild.py REV [--size 100k] [--jobs 1]

builds the corpus `speed.py` builds (corpora.py; `--size`) twice, each in a
fresh process: once with REV's searchkit (taken with `git archive`) and once
with this tree's, then compares the two index folders. Whoosh names each
segment with a random id, so every segment's id is replaced by its place in
the TOC before comparing; everything else must be the same bytes: every
segment file (postings, term table, stored fields, columns, field lengths),
the TOC (the schema, the segments' document counts) and the names the
checksum file lists (its sums cover the raw files). A
compound segment file is compared part by part (its directory records each
part's modification time). Posting blocks are compared decompressed, and the
term table without each term's postings offset and length, and stored fields
decompressed: ISA-L's deflate does not always give the same stream for the
same input, so two builds by the same tree can differ there (`_plain_postings`).
Only `searchkit.json`'s creation time and the folder it names may differ.

A change to the build's speed that should not change its output (the sixth
speed pass, benchmarks/README.md) must print `same` for `--jobs 1` and the
default `--jobs 2`.
"""

from __future__ import annotations

import argparse
import io
import json
import pickle
import re
import struct
import subprocess
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpora  # noqa: E402

# Run in a child process with the tree to build with first on sys.path.
_BUILD = """
import sys
sys.path.insert(0, sys.argv[1])
import searchkit
searchkit.Index.build([sys.argv[2]], sys.argv[3], jobs=int(sys.argv[4])).close()
"""

_SEGMENT_FILE = re.compile(r"MAIN_([0-9a-z]+)\.seg$")


def _tree_at(rev: str, into: Path) -> Path:
    """The searchkit package of commit `rev`, unpacked under `into`."""
    tar = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev, "searchkit"], check=True, capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as t:
        t.extractall(into, filter="data")
    return into


def _segment_ids(folder: Path) -> list[bytes]:
    """The segments' ids (of their files) in the order the newest TOC lists them."""
    toc = max(folder.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.rsplit("_", 1)[1])).read_bytes()
    ids = [m.group(1).encode() for p in folder.iterdir() if (m := _SEGMENT_FILE.match(p.name))]
    return sorted(ids, key=lambda sid: (toc.find(sid) < 0, toc.find(sid)))


def _normalised(folder: Path) -> dict[str, bytes]:
    """Every file of the index, its name and bytes with each segment id replaced by its place."""
    place = {sid: b"%0*d" % (len(sid), k) for k, sid in enumerate(_segment_ids(folder))}

    def norm(data: bytes) -> bytes:
        for sid, k in place.items():
            data = data.replace(sid, k)
        return data

    out = {}
    from whoosh import index

    ix = index.open_dir(str(folder))
    try:
        doccounts = {seg.make_filename(".seg"): seg.doc_count_all() for seg in ix._segments()}
    finally:
        ix.close()
    for path in sorted(folder.iterdir()):
        if path.name.endswith("WRITELOCK"):
            continue
        if path.suffix == ".seg":  # a compound file: its directory records each part's mtime
            for part, data in _parts(path, doccounts[path.name]):
                out[norm(f"{path.name}:{part}".encode()).decode()] = norm(data)
            continue
        data = path.read_bytes()
        if path.name.endswith(".sums"):  # checksums of the raw files (segment ids, mtimes): the names are kept
            sums = json.loads(data)
            sums["files"] = sorted(norm(name.encode()).decode() for name in sums["files"])
            data = json.dumps(sums, sort_keys=True).encode()
        if path.name == "searchkit.json":
            meta = json.loads(data)
            meta.pop("created", None)
            meta.pop("roots", None)
            data = json.dumps(meta, sort_keys=True).encode()
        out[norm(path.name.encode()).decode()] = norm(data)
    return out


def _parts(path: Path, doccount: int) -> list[tuple[str, bytes]]:
    """A compound segment file's parts, by name: postings, term table and stored fields made plain."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    store = CompoundStorage(FileStorage(str(path.parent)).open_file(path.name), use_mmap=False)
    try:
        parts = [(name, store.open_file(name).read()) for name in sorted(store.list())]
    finally:
        store.close()
    out = []
    for name, data in parts:
        if name.endswith(".pst"):
            data = _plain_postings(data)
        elif name.endswith(".trm"):
            data = _plain_terms(data)
        elif name.endswith("._stored.col"):
            data = _plain_stored(data, doccount)
        out.append((name, data))
    return out


def _plain_postings(raw: bytes) -> bytes:
    """A postings file with every compressed block's data decompressed.

    ISA-L's deflate, which writes the blocks, does not always give the same
    stream for the same input (a 10k build by one tree, run twice, differs in a
    block or two): what must be the same is what the streams hold. Each block
    becomes whether it is a list's last, its info pickle and its plain data.
    """
    out = []
    pos = 0
    while pos < len(raw):
        if raw[pos : pos + 4] != b"W3Bl":
            raise ValueError(f"no posting list at {pos}")
        pos += 4
        last = False
        while not last:
            (size,) = struct.unpack(">i", raw[pos : pos + 4])
            last = size < 0
            block = raw[pos + 4 : pos + 4 + abs(size)]
            f = io.BytesIO(block)
            info = pickle.Unpickler(f).load()
            head, data = block[: f.tell()], block[f.tell() :]
            if info[3]:  # its compression level
                data = zlib.decompress(data)
            out += (struct.pack(">?II", last, len(head), len(data)), head, data)
            pos += 4 + abs(size)
    return b"".join(out)


def _plain_stored(raw: bytes, doccount: int) -> bytes:
    """The stored-fields column as its documents' decompressed values (each compressed by ISA-L too)."""
    from whoosh.columns import VarBytesColumn
    from whoosh.filedb.structfile import BufferFile

    reader = VarBytesColumn.Reader(BufferFile(raw), 0, len(raw), doccount)
    values = [zlib.decompress(v) if v else b"" for v in (reader[i] for i in range(doccount))]
    return b"".join(struct.pack(">I", len(v)) + v for v in values)


def _plain_terms(raw: bytes) -> bytes:
    """A term table with each term's postings offset and length (its value's last 12 bytes) zeroed:
    they follow from the compressed sizes. Every other byte (terms, statistics, hash tables) is kept."""
    from whoosh.filedb.filetables import HashReader
    from whoosh.filedb.structfile import BufferFile

    out = bytearray(raw)
    reader = HashReader(BufferFile(raw), len(raw))
    for _, _, datapos, datalen in reader._ranges():
        out[datapos + datalen - 12 : datapos + datalen] = bytes(12)
    return bytes(out)


def compare(a: Path, b: Path) -> list[str]:
    """What differs between two index folders (an empty list: the same index)."""
    fa, fb = _normalised(a), _normalised(b)
    diffs = [f"{name}: only in one" for name in sorted(fa.keys() ^ fb.keys())]
    for name in sorted(fa.keys() & fb.keys()):
        x, y = fa[name], fb[name]
        if x != y:
            first = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            diffs.append(f"{name}: {len(x)} vs {len(y)} bytes, first difference at byte {first}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rev", help="commit to compare with")
    ap.add_argument("--size", default="100k", help="corpus (corpora.py sizes; default 100k)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes of both builds (default 1)")
    ap.add_argument("--data", default=str(corpora.DEFAULT_DATA), help="folder holding bbc-fulltext/")
    a = ap.parse_args(argv)
    corpus = corpora.corpus_path(a.size, a.data)
    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        for label, tree in (("rev", _tree_at(a.rev, Path(tmp) / "rev")), ("now", HERE.parent)):
            folders[label] = Path(tmp) / f"index-{label}"
            cmd = [sys.executable, "-c", _BUILD, str(tree), str(corpus), str(folders[label]), str(a.jobs)]
            subprocess.run(cmd, check=True)
        diffs = compare(folders["rev"], folders["now"])
        files = len(_normalised(folders["now"]))
    print(f"{a.size}, jobs {a.jobs}: {a.rev} vs this tree, {files} files: " + ("same" if not diffs else "DIFFERENT"))
    for line in diffs:
        print("  " + line)
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
