"""The bulk segment writer builds exactly the index `add_document` builds.

Each comparison indexes the same corpus twice, once through `bulkwrite` and once
through Whoosh's own writer (`bulkwrite.ENABLED = False`), and compares what a
reader sees: terms, postings (documents, weights, positions), term statistics,
field lengths, stored fields, columns, and search results with their scores.
Document numbers differ between the two (the fast path writes paragraphs into
segments of their own), so everything is compared by paragraph id.
"""

from __future__ import annotations

import json
import random
from array import array
from pathlib import Path
from typing import Any

import pytest
from whoosh import writing
from whoosh.qparser import OrGroup, QueryParser

import searchkit
from searchkit import analysis
from searchkit.codec import bulkwrite, deflate, probe, segmentwrite
from searchkit.codec.textpostings import TextField
from searchkit.indexing import indexer, store
from searchkit.indexing.schema import build_schema
from tests.conftest import write

WORDS = (
    "election minister storm coast rain united city derby players running runs ran "
    "market shares bank prices growth mobile phone phones music download court judge "
    "police officers said government plans tax the a of and to in is it U.S 3.5 café "
    "naïve Twitter's don't co-operate e-mail 2005 £40m"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 18))]
    return " ".join(words).capitalize() + "."


def _corpus(folder: Path, articles: int = 40, seed: int = 7) -> Path:
    """JSONL articles with repeated words, stop words first, quotes, dates and sources."""
    rng = random.Random(seed)
    lines = []
    for i in range(articles):
        paras = []
        for _ in range(rng.randint(1, 6)):
            text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.3:
                text += f' "{_sentence(rng)}" said Jane Smith{i % 3}.'
            paras.append(text)
        rec: dict[str, Any] = {
            "id": f"a{i:03d}",
            "headline": "The " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7))),
            "paragraphs": paras,
            "source": rng.choice(["BBC", "Reuters", "AP News"]),
        }
        if i % 4:
            rec["date"] = f"2005-0{1 + i % 9}-1{i % 10}"
        lines.append(json.dumps(rec))
    write(folder, "feed.jsonl", "\n".join(lines) + "\n")
    # Plain-text articles too, with a repeated trailing line (boilerplate, held back and dropped).
    for j in range(4):
        write(
            folder,
            f"txt/{j}.txt",
            f"Story {j} of the day\n\n{_sentence(rng)} {_sentence(rng)}\n\n"
            f"{_sentence(rng)}\n\nShare this story with friends\n",
        )
    return folder


def _build(tmp: Path, corpus: Path, fast: bool, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> Path:
    monkeypatch.setattr(bulkwrite, "ENABLED", fast)
    for k, v in kw.items():
        monkeypatch.setattr(bulkwrite, k, v)
    ix = tmp / ("fast" if fast else "std")
    indexer.update(ix, [corpus], rebuild=True)
    return ix


def _pid(fields: dict[str, Any]) -> str:
    """A document's id: a file or meta document's pid, or a paragraph's article_id#n."""
    return fields.get("pid") or f"{fields['article_id']}#{fields['n']}"


def _snapshot(index_dir: Path) -> dict[str, Any]:
    """Everything a reader sees, keyed by paragraph id instead of document number."""
    ix = store.open_index(index_dir)
    try:
        with ix.searcher() as s:
            r = s.reader()
            pid_of = {dn: _pid(fields) for dn, fields in r.iter_docs()}
            schema = s.schema
            scorable = [n for n in schema.names() if schema[n].scorable]
            out: dict[str, Any] = {
                "doc_count": r.doc_count(),
                "stored": {pid_of[dn]: f for dn, f in r.iter_docs()},
                # None (a segment with a length column, no value) and 0 (no column) both mean "none".
                "lengths": {(pid_of[dn], n): r.doc_field_length(dn, n) or 0 for dn in pid_of for n in scorable},
                # (Not min/max_field_length: Whoosh's MultiReader fails on a segment that
                # lacks the field, as the manifest-only segment of an update does either way.)
                "field_totals": {n: r.field_length(n) for n in scorable},
                "columns": {
                    (pid_of[dn], n): r.column_reader(n, translate=False)[dn]
                    for n in schema.names()
                    if schema[n].column_type
                    for dn in pid_of
                },
            }
            postings: dict[tuple[str, bytes], Any] = {}
            stats: dict[tuple[str, bytes], Any] = {}
            for fieldname, tbytes in r.all_terms():
                ti = r.term_info(fieldname, tbytes)
                stats[(fieldname, tbytes)] = (
                    ti.weight(),
                    ti.doc_frequency(),
                    ti.min_length(),
                    ti.max_length(),
                    ti.max_weight(),
                )
                m = r.postings(fieldname, tbytes)
                fmt = schema[fieldname].format
                rows = []
                while m.is_active():
                    pos = m.value_as("positions") if fmt.supports("positions") else None
                    rows.append((pid_of[m.id()], m.weight(), pos))
                    m.next()
                postings[(fieldname, tbytes)] = sorted(rows)
            out["postings"] = postings
            out["term_stats"] = stats
    finally:
        ix.close()
    return out


def _compare(a: Path, b: Path) -> None:
    sa, sb = _snapshot(a), _snapshot(b)
    assert set(sa["postings"]) == set(sb["postings"])  # the same terms in every field
    for key in sa:
        assert sa[key] == sb[key], key


QUERIES = [
    "election minister",
    "running",
    "mobile phones music",
    '"mobile phone"',
    '"prime minister"',
    "café naive",
    "u.s",
    "3.5",
    "said AND police",
    "storm AND NOT rain",
    "headline:united",
    "speaker:smith1",
    "quote:bank",
    "twitter",
    "phone*",
    "£40m",
    "source:reuters",
]


def _results(index_dir: Path, scores: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with searchkit.Index.open(index_dir) as ix:
        for q in QUERIES:
            res = ix.search(q, limit=1000, per_article=False, fuzzy=False)
            out[q] = sorted((h.article_id, h.paragraph, round(h.score, 5) if scores else 0, h.snippet) for h in res)
    if not scores:
        return out
    # And through a plain Whoosh searcher, with Whoosh's BM25F scores.
    ix = store.open_index(index_dir)
    try:
        with ix.searcher() as s:
            for q in QUERIES[:6]:
                query = QueryParser("body", s.schema, group=OrGroup).parse(q)
                out["whoosh " + q] = sorted((_pid(h.fields()), round(h.score, 5)) for h in s.search(query, limit=None))
    finally:
        ix.close()
    return out


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize("field", ["headline", "body", "quotes", "speakers"])
def test_fast_analyser_matches_the_field_analyzer(field: str) -> None:
    from searchkit.indexing.transaction import TOKEN_RUNS

    schema = build_schema()
    text = TextField.create(schema[field], TOKEN_RUNS)  # with the cutter the indexer gives it
    assert text is not None and text._cut is not None  # searchkit's pattern: cut by token_runs
    texts = [
        "",
        "the",
        "The cat sat on the mat",
        "a an the Election",
        "Twitter's U.S. accounts, 3.5% up",
        "Running runs ran; RUNNING!",
        "café naïve Ärger straße ÉCOLE",
        "I I I a b c go go go",
        "e-mail co-operate don’t it's",
        "İstanbul ǅemal ﬁnance",
        "x" * 50,
        "2005 £40m 1.2.3 .5 5.",
    ]
    text_field = text
    for text in texts:
        want = [(t.text, t.pos) for t in schema[field].analyzer(text, positions=True)]
        terms, first = text_field.terms_of(text)
        assert [(t, first + i) for i, t in enumerate(terms)] == want, text
        if field != "speakers" and hasattr(analysis, "terms"):
            assert analysis.terms(text) == terms, text


#: For tests that check the bulk path itself was taken. With another Whoosh (whoosh-reloaded,
#: a whoosh3 release the codec was not checked against) every write falls back to
#: `add_document` (test_an_unknown_layout_falls_back_to_add_document).
needs_w3 = pytest.mark.skipif(
    not probe.layout_known(), reason="the bulk writer needs the whoosh3 layout it knows; this Whoosh uses add_document"
)


def test_unknown_analyzer_shape_is_declined() -> None:
    from whoosh.analysis import NgramFilter, RegexTokenizer
    from whoosh.fields import TEXT

    assert TextField.create(TEXT(analyzer=RegexTokenizer() | NgramFilter(2))) is None


@needs_w3
def test_fast_build_equals_standard_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "corpus")
    std = _build(tmp_path, corpus, False, monkeypatch)
    # A tiny batch budget: the paragraphs are spread over several fast segments.
    fast = _build(tmp_path, corpus, True, monkeypatch, MAX_POSTINGS=400)
    ix = store.open_index(fast)
    try:
        assert len(ix._segments()) >= 3
    finally:
        ix.close()
    _compare(std, fast)
    assert _results(std) == _results(fast)


def test_an_unknown_layout_falls_back_to_add_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What happens under whoosh-reloaded or an unchecked whoosh3: the probe says no, every
    # bulk path declines, and the index is the one add_document builds.
    corpus = _corpus(tmp_path / "corpus")
    std = _build(tmp_path, corpus, False, monkeypatch)
    monkeypatch.setattr(probe, "layout_known", lambda: False)
    created: list[Any] = []
    real = bulkwrite.BulkWriter.create
    monkeypatch.setattr(bulkwrite.BulkWriter, "create", staticmethod(lambda w, **k: created.append(real(w, **k))))
    fallback = _build(tmp_path, corpus, True, monkeypatch)
    assert created == [None]
    _compare(std, fallback)
    assert _results(std) == _results(fallback)


@needs_w3
def test_every_segment_has_every_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # patches.ensure_columns: Whoosh's MultiReader misreads a column some segment lacks, so
    # every bulk segment, and the writer's own, gets each column, even an update that writes
    # nothing but its manifest record.
    corpus = _corpus(tmp_path / "corpus")
    ix_dir = _build(tmp_path, corpus, True, monkeypatch, MAX_POSTINGS=400)
    indexer.update(ix_dir, [corpus])  # unchanged: a segment holding the boilerplate record only
    ix = store.open_index(ix_dir)
    try:
        with ix.searcher() as s:
            leaves = [r for r, _ in s.reader().leaf_readers()]
            columns = [n for n in s.schema.names() if s.schema[n].column_type]
            assert len(leaves) >= 3 and columns
            assert [(r.doc_count_all(), n) for r in leaves for n in columns if not r.has_column(n)] == []
    finally:
        ix.close()


@needs_w3
def test_stored_fields_and_blocks_are_compressed_by_deflate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Both kinds of zlib stream go through searchkit.codec.deflate (ISA-L where installed),
    # and stock Whoosh reads them back to what the standard build holds.
    corpus = _corpus(tmp_path / "corpus", articles=120, seed=3)
    std = _build(tmp_path, corpus, False, monkeypatch)
    sizes: list[int] = []
    real = deflate.compress

    def counting(data: bytes, level: int = 6) -> bytes:
        sizes.append(len(data))
        return real(data, level)

    monkeypatch.setattr(deflate, "compress", counting)
    fast = _build(tmp_path, corpus, True, monkeypatch)
    ix = store.open_index(fast)
    try:
        stored_docs = ix.doc_count_all()
    finally:
        ix.close()
    assert len(sizes) > stored_docs  # one per document's stored fields, and some posting blocks
    _compare(std, fast)


def test_blocks_of_many_postings_and_the_generic_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Terms in more documents than a postings block holds span several blocks:
    # Whoosh's blocks hold 128, ours BLOCK_POSTINGS (made small here too).
    corpus = _corpus(tmp_path / "corpus", articles=120, seed=3)
    std = _build(tmp_path, corpus, False, monkeypatch)
    fast = _build(tmp_path, corpus, True, monkeypatch)
    _compare(std, fast)
    monkeypatch.setattr(segmentwrite, "BLOCK_POSTINGS", 20)
    small = tmp_path / "small"
    indexer.update(small, [corpus], rebuild=True)
    _compare(std, small)
    # Without the block-filling shortcut (another codec), the public add() path gives the same.
    monkeypatch.setattr(segmentwrite, "_supports_blocks", lambda pw: False)
    slow = tmp_path / "slow"
    indexer.update(slow, [corpus], rebuild=True)
    _compare(std, slow)


def test_updates_and_deletes_after_a_fast_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "corpus")
    monkeypatch.setattr(bulkwrite, "MAX_POSTINGS", 500)
    fast_ix, std_ix = tmp_path / "fast", tmp_path / "std"

    def both() -> None:  # the same update through each path
        indexer.update(fast_ix, [corpus])
        monkeypatch.setattr(bulkwrite, "ENABLED", False)
        indexer.update(std_ix, [corpus])
        monkeypatch.setattr(bulkwrite, "ENABLED", True)

    both()
    # Change one file, remove one, add one, replace an article; update incrementally.
    write(corpus, "txt/0.txt", "Story zero rewritten\n\nThe derby was postponed after heavy rain.\n")
    (corpus / "txt" / "1.txt").unlink()
    write(corpus, "txt/9.txt", "A new story\n\nPolice officers said the court judge ran.\n")
    feed = (corpus / "feed.jsonl").read_text(encoding="utf-8").splitlines()
    feed[5] = json.dumps({"id": "a005", "headline": "Replaced", "paragraphs": ["Mobile phone prices fell."]})
    (corpus / "feed.jsonl").write_text("\n".join(feed) + "\n", encoding="utf-8")
    both()
    a, b = _snapshot(std_ix), _snapshot(fast_ix)
    assert a["stored"] == b["stored"] and a["doc_count"] == b["doc_count"]
    assert "a005#2" not in b["stored"] and b["stored"]["a005#1"]["headline"] == "Replaced"
    # The same paragraphs match. (Not the same scores yet: deleted documents count in
    # Whoosh's statistics until their segment is merged, and MERGE_SMALL merged
    # some of the small fast segments here but not the standard build's one segment.)
    assert _results(std_ix, scores=False) == _results(fast_ix, scores=False)
    # Merging everything into one segment (Whoosh's own merge) drops them, alike in both.
    store.optimize(fast_ix)
    store.optimize(std_ix)
    _compare(std_ix, fast_ix)
    assert _results(std_ix) == _results(fast_ix)


@needs_w3
def test_a_failed_update_leaves_the_last_commit_and_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "corpus")
    ix_dir = tmp_path / "ix"
    indexer.update(ix_dir, [corpus])
    before = _snapshot(ix_dir)
    files_before = sorted(p.name for p in ix_dir.iterdir())
    write(
        corpus,
        "more.jsonl",
        "\n".join(
            json.dumps({"id": f"m{i}", "headline": "More", "paragraphs": ["Extra words here."] * 3}) for i in range(50)
        )
        + "\n",
    )
    monkeypatch.setattr(bulkwrite, "MAX_POSTINGS", 50)  # segments get written before the failure
    calls = {"n": 0}
    real_add = bulkwrite.BulkWriter.add

    def failing_add(self: bulkwrite.BulkWriter, doc: dict[str, Any]) -> None:
        calls["n"] += 1
        if calls["n"] == 120:
            raise RuntimeError("disk on fire")
        real_add(self, doc)

    monkeypatch.setattr(bulkwrite.BulkWriter, "add", failing_add)
    with pytest.raises(RuntimeError):
        indexer.update(ix_dir, [corpus])
    assert _snapshot(ix_dir) == before
    # Our segments are deleted by the cancel; what remains is the files of the
    # writer's own unfinished segment, which Whoosh's cancel leaves too.
    extra = sorted(set(p.name for p in ix_dir.iterdir()) - set(files_before))
    assert len({name.split(".")[0] for name in extra}) <= 1, extra
    assert not any(name.endswith(".seg") for name in extra), extra
    indexer.update(ix_dir, [corpus / "feed.jsonl"])  # the next writer cleans up
    assert all(name not in {p.name for p in ix_dir.iterdir()} for name in extra)


@needs_w3
def test_uncommitted_segments_are_invisible_and_cleaned_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A writer killed after writing fast segments but before its commit: nothing refers to them.
    corpus = _corpus(tmp_path / "corpus")
    ix_dir = tmp_path / "ix"
    indexer.update(ix_dir, [corpus])
    before = _snapshot(ix_dir)
    files_before = {p.name for p in ix_dir.iterdir()}
    ix = store.open_index(ix_dir)
    w = store.acquire_writer(ix, ix_dir, 5.0)
    fw = bulkwrite.BulkWriter.create(w, max_postings=10)
    assert fw is not None
    for i in range(30):
        fw.add({"pid": f"x#{i}", "kind": "p", "article_id": "x", "n": i + 1, "body": "orphan words"})
    fw.flush()
    orphans = [seg.segment_id() for seg in fw.segments]
    assert orphans
    w.writelock.release()  # as the kernel does when the process dies
    ix.close()
    assert {p.name for p in ix_dir.iterdir()} > files_before
    assert _snapshot(ix_dir) == before
    assert any(p.name.startswith(orphans[0]) for p in ix_dir.iterdir())
    indexer.update(ix_dir, [corpus])  # the next writer removes the orphans
    assert not any(p.name.startswith(tuple(orphans)) for p in ix_dir.iterdir())


@needs_w3
def test_write_articles_uses_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.ingest.articles import parse_file

    corpus = _corpus(tmp_path / "corpus")
    arts, _ = parse_file("feed.jsonl", (corpus / "feed.jsonl").read_bytes())
    created = []
    real = bulkwrite.BulkWriter.create

    def spy(writer: Any, *a: Any, **k: Any) -> Any:
        created.append(real(writer, *a, **k))
        return created[-1]

    monkeypatch.setattr(bulkwrite.BulkWriter, "create", staticmethod(spy))
    indexer.write_articles(tmp_path / "fast", arts)
    assert created and created[0] is not None and created[0].documents > 0
    monkeypatch.setattr(bulkwrite, "ENABLED", False)
    indexer.write_articles(tmp_path / "std", arts)
    _compare(tmp_path / "std", tmp_path / "fast")


def test_writer_without_a_codec_is_declined() -> None:
    class Plain:
        schema = build_schema()

    assert bulkwrite.BulkWriter.create(Plain()) is None


@needs_w3
def test_merge_policy_still_applies_to_existing_segments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "corpus")
    ix_dir = tmp_path / "ix"
    monkeypatch.setattr(bulkwrite, "MAX_POSTINGS", 300)
    indexer.update(ix_dir, [corpus])
    ix = store.open_index(ix_dir)
    try:
        n_fast = len(ix._segments())
        w = store.acquire_writer(ix, ix_dir, 5.0)
        fw = bulkwrite.BulkWriter.create(w)
        assert fw is not None
        fw.add({"pid": "z#1", "kind": "p", "article_id": "z", "n": 1, "body": "zebra"})
        fw.commit(mergetype=writing.OPTIMIZE)  # existing segments merged; ours added beside them
    finally:
        ix.close()
    ix = store.open_index(ix_dir)
    try:
        assert n_fast > 2 and len(ix._segments()) == 2
        with ix.searcher() as s:
            assert [_pid(h.fields()) for h in s.search(QueryParser("body", s.schema).parse("zebra"))] == ["z#1"]
    finally:
        ix.close()


@pytest.mark.parametrize("nterms", [300, 70_000])  # 16-bit keys (radix sort) and wider ones
def test_postings_are_grouped_by_term_stably(nterms: int) -> None:
    import numpy as np

    key = np.random.default_rng(1).integers(0, nterms, 50_000).astype(np.int32)
    order = segmentwrite.by_term(key, nterms)
    assert order.tolist() == np.argsort(key, kind="stable").tolist()


@needs_w3
@pytest.mark.parametrize(("name", "scored"), [("wire", False), ("article_id", False), ("wire", True)])
def test_one_document_terms_are_written_in_bulk_byte_for_byte(
    name: str, scored: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Runs of terms with one posting each (wire fingerprints, article ids) are made
    # by numpy records; the files must be the bytes the term-by-term loop writes.
    import numpy as np
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.filedb.filestore import RamStorage

    field = build_schema()[name]
    rng = np.random.default_rng(5)
    counts = rng.choice([1, 1, 1, 1, 2, 40], 3000)  # runs of one-posting terms between others
    counts[100:200] = 1
    docs = np.concatenate([np.sort(rng.choice(5000, c, replace=False)) for c in counts]).astype(np.uint32)
    weights = np.ones(len(docs), dtype=np.float32)
    weights[rng.random(len(docs)) < 0.05] = 2.0  # another weight: a one-posting term written term by term
    grouped = segmentwrite.Grouped(
        [b"t%06d" % i for i in range(len(counts))],
        np.concatenate([[0], np.cumsum(counts)]),
        docs,
        weights,
        np.zeros(len(docs), dtype=np.uint32),
        [b""],
        True,
    )
    # Length bytes, as a scored field's block infos and term rows carry them.
    lens = array("B", rng.integers(1, 256, 5000, dtype=np.uint8).tobytes()) if scored else None
    bulk_terms = []
    real = segmentwrite._single_terms
    monkeypatch.setattr(segmentwrite, "_single_terms", lambda d, *a: bulk_terms.append(len(d)) or real(d, *a))

    def written(min_run: int) -> list[bytes]:
        monkeypatch.setattr(segmentwrite, "MIN_SINGLE_RUN", min_run)
        storage, codec = RamStorage(), W3Codec()
        segment = codec.new_segment(storage, "x")
        fw = codec.field_writer(storage, segment)
        fw.start_field(name, field)
        segmentwrite.write_field(fw, field.format, grouped, lens)
        fw.finish_field()
        fw.close()
        return sorted(storage.open_file(f).read() for f in storage.list())

    one_by_one = written(10**9)
    assert not bulk_terms
    assert written(8) == one_by_one
    assert sum(bulk_terms) > 300
