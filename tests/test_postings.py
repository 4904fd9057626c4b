"""Posting blocks written as pickle opcodes read back the same, through pickle and through numpy."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.codec import bulkwrite, pickleops, postings, probe, segmentwrite
from searchkit.indexing import indexer, store
from tests.helpers import generated_corpus as _corpus


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    ids=st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=40),
    weights=st.one_of(
        st.none(),
        st.floats(0, 1e6, allow_nan=False),
        st.lists(st.floats(0, 1e6), min_size=1),
        st.lists(st.integers(0, 255).map(float), min_size=1),
    ),  # term frequencies
    values=st.lists(st.binary(max_size=300), max_size=40),
)
def test_a_block_unpickles_to_what_whoosh_would_pickle(ids: list[int], weights: Any, values: list[bytes]) -> None:
    if isinstance(weights, list):
        weights = (weights * len(ids))[: len(ids)]
        ops, width = pickleops.fixed_weights(weights)
        assert width == (2 if all(x.is_integer() and x < 256 for x in weights) else 9)
        w = pickleops.MARK + ops + pickleops.TUPLE
    elif isinstance(weights, float):
        w = pickleops.fixed_floats([weights])
    else:
        w = pickleops.NONE
    v = pickleops.MARK + b"".join(pickleops.bytes_op(x) for x in values) + pickleops.TUPLE
    block = b"".join(
        (pickleops.MARK, pickleops.fixed_ints(ids), pickleops.TUPLE, w, v, pickleops.TUPLE3, pickleops.STOP)
    )
    want_w = tuple(weights) if isinstance(weights, list) else weights
    assert pickle.loads(block) == (tuple(ids), want_w, tuple(values))
    head = block[: pickleops.block_head(len(ids))]
    got = pickleops.block_ids_weights(block[: pickleops.block_prefix(head, len(ids))], len(ids))
    assert got is not None
    assert got[0].tolist() == ids
    n = len(ids)
    expected = list(weights) if isinstance(weights, list) else [1.0 if weights is None else weights] * n
    assert got[1].tolist() == expected


@given(st.lists(st.integers(0, 2**31 - 1), max_size=50))
def test_small_int_opcodes(values: list[int]) -> None:
    ops, offsets = pickleops.small_ints(np.array(values, dtype=np.int64))
    assert pickle.loads(pickleops.int_list(ops)) == values
    assert offsets.tolist() == [0, *np.cumsum([2 if v < 256 else 3 if v < 65536 else 5 for v in values]).tolist()]


def test_block_info_is_whoosh_s_tuple() -> None:
    raw = pickleops.block_info(128, 70_000, 2.5, 1, 3, 200)
    assert len(raw) == pickleops.INFO_SIZE
    assert pickle.loads(raw) == (128, 70_000, 2.5, 1, 3, 200)
    assert pickleops.read_block_info(b"xx" + raw, 2) == (128, 70_000, 1)
    assert pickleops.read_block_info(pickle.dumps((128, 70_000, 2.5, 1, 3, 200), 2), 0) is None


def test_other_layouts_are_not_mistaken_for_ours() -> None:
    for proto in (2, 4):
        block = pickle.dumps(((1, 2, 3), None, (b"a", b"b", b"c")), proto)
        assert pickleops.block_ids_weights(block, 3) is None


def _every_posting_list(index_dir: Path) -> dict[tuple[str, bytes], tuple[list[int], list[float]]]:
    """Each text field's posting lists, read in bulk, checked against Whoosh's matcher one posting at a time."""
    out = {}
    ix = store.open_index(index_dir)
    try:
        with ix.searcher() as s:
            for sub, _ in s.leaf_searchers():
                r = sub.reader()
                for field, term in r.all_terms():
                    if field not in ("headline", "body", "quotes", "speakers"):
                        continue
                    ids, weights = postings.read_postings(r.postings(field, term))
                    m = r.postings(field, term)
                    one_by_one = []
                    while m.is_active():
                        one_by_one.append((m.id(), m.weight()))
                        m.next()
                    assert list(zip(ids.tolist(), weights.tolist())) == one_by_one, (field, term)
                    out[(field, term)] = (ids.tolist(), weights.tolist())
    finally:
        ix.close()
    return out


@pytest.mark.parametrize("fast", [True, False])
def test_bulk_postings_read_equals_whoosh_s_matcher(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    # 120 articles: the common words span several blocks (Whoosh's hold 128, ours 64 here), some compressed.
    corpus = _corpus(tmp_path / "corpus", articles=120, seed=3)
    monkeypatch.setattr(bulkwrite, "ENABLED", fast)
    monkeypatch.setattr(segmentwrite, "BLOCK_POSTINGS", 64)
    whole = []
    real = postings._w3_list
    monkeypatch.setattr(postings, "_w3_list", lambda m: whole.append(real(m)) or whole[-1])
    indexer.update(tmp_path / "ix", [corpus], rebuild=True)
    lists = _every_posting_list(tmp_path / "ix")
    assert max(len(ids) for ids, _ in lists.values()) > 128
    if not probe.layout_known():
        pytest.skip("the same postings were read one at a time; reading in bulk needs the whoosh3 layout it knows")
    # Lists searchkit wrote are read whole; Whoosh's own go block by block.
    assert whole and all((w is not None) == fast for w in whole)


def test_info_records_are_block_infos() -> None:
    # The numpy layout of a block's info (many at once) is byte for byte block_info's.
    infos = pickleops.info_records(3)
    infos["count"], infos["last"], infos["maxweight"] = [1, 300, 1024], [0, 70_000, 2**31 - 1], [1.0, 2.5, 7.0]
    infos["compression"], infos["minlen"], infos["maxlen"] = [0, 1, 1], [0, 3, 9], [0, 200, 255]
    expected = [
        pickleops.block_info(1, 0, 1.0, 0, 0, 0),
        pickleops.block_info(300, 70_000, 2.5, 1, 3, 200),
        pickleops.block_info(1024, 2**31 - 1, 7.0, 1, 9, 255),
    ]
    assert infos.tobytes() == b"".join(expected)
    assert all(pickleops.read_block_info(b, 0) is not None for b in expected)
