"""Position values made as their pushing opcodes in bulk (`pickleops.pushed_int_lists`) are byte for byte
what `bytes_op(pack_uint(count) + int_list(ops))` makes for each, across chunks and for long values."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh.system import pack_uint

from searchkit.codec import pickleops


@pytest.mark.parametrize("chunk", [3, 1 << 15])
def test_pushed_int_lists_match_one_by_one(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pickleops, "PUSHED_CHUNK", chunk)
    rng = np.random.default_rng(7)
    counts = rng.integers(2, 40, 200)
    counts[5] = 300  # a value over 255 bytes: BINBYTES with a four-byte length
    deltas = rng.integers(0, 1 << 20, int(counts.sum()))  # one-, two- and four-byte ints
    ops, offsets = pickleops.small_ints(deltas)
    cut = offsets[np.append(np.cumsum(counts) - counts, len(offsets) - 1)]
    got, lens = pickleops.pushed_int_lists(counts, ops, cut)
    bounds = cut.tolist()
    values = [pack_uint(c) + pickleops.int_list(ops[bounds[k] : bounds[k + 1]]) for k, c in enumerate(counts.tolist())]
    assert got == [pickleops.bytes_op(v) for v in values]
    assert lens.tolist() == [len(op) for op in got]
    pushed = pickleops.PushedValues(got, lens)
    assert len(pushed) == len(values)
    assert [pushed[k] for k in range(len(values))] == values  # a value itself, for callers that want it
    assert pushed[2:4] == values[2:4]
