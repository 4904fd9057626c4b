"""Reading postings and field lengths in bulk, for vectorised scoring.

Whoosh hands out postings one at a time through matcher objects. For the W3
codec this module reads a term's postings a whole block at a time (document
numbers and term frequencies, never the positions, which are most of a block's
bytes) and a field's one-byte length column in one piece. Blocks searchkit
wrote (`pickleops`) are read with numpy, without unpickling. Anything laid out
differently is read through the public, one-at-a-time API instead, so other
Whoosh versions still give the same arrays, only slower. Positions, which
only phrases need, are read for chosen documents (`read_positions`).
"""

from __future__ import annotations

import pickle
import struct
import zlib
from itertools import chain
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import length_to_byte

from searchkit.codec import pickleops, probe, safepickle


def read_postings(m: Any) -> tuple[np.ndarray, np.ndarray]:
    """All (docnum, weight) pairs of a leaf matcher, deletions *not* removed."""
    if type(m) is FilterMatcher:  # the deletion filter; deletions are a mask here
        m = m.child
    if probe.is_w3(m, "matcher"):
        try:
            return _w3_postings(m)
        except (AttributeError, TypeError, ValueError, IndexError, pickle.UnpicklingError, zlib.error):
            pass  # another layout than the one this was written for: step through it
    ids: list[int] = []
    weights: list[float] = []
    m.reset()
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


#: Where a W3 posting block's pickled values (positions) start in a block
#: Whoosh pickled (protocol 2): the tuple of `_codecs.encode(...)` calls it
#: writes for bytes. Only ids and weights are needed, so such a block is
#: unpickled up to there (and decompressed no further).
_VALUES_START = b"(c_codecs\nencode\n"
_NO_VALUES = b"N\x87."  # push None, make the (ids, weights, values) 3-tuple, stop


_BLOCK_SIZE = struct.Struct("!i")  # a block's byte length; negative for the last block


def _w3_list(m: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """A whole posting list searchkit wrote, in one read and a few numpy calls a block; None for any other."""
    start, length = getattr(m, "_startoffset", None), getattr(m, "_length", None)
    if type(length) is tuple and len(length) == 1:  # W3TermInfo.from_bytes keeps unpack_int's tuple
        length = length[0]
    if type(start) is not int or type(length) is not int or length <= 0:
        return None
    raw = m._postfile.get(start, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:  # a posting list starts with it
        return None
    pos, end = 4, len(raw)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    last = 0
    final = False
    while not final and pos + 4 <= end:
        size = _BLOCK_SIZE.unpack_from(raw, pos)[0]
        pos += 4
        final = size < 0
        size = -size if final else size
        info = pickleops.read_block_info(raw, pos)
        if info is None:
            return None
        count, maxid, compression = info
        data, _ = _ids_and_weights(raw[pos + pickleops.INFO_SIZE : pos + size], count, compression)
        block = pickleops.block_ids_weights(data, count)
        if block is None:
            return None
        block[0][0] -= last  # a block's first id is absolute; make it a delta
        ids.append(block[0])
        weights.append(block[1])
        last = maxid
        pos += size
    if not final or not ids:
        return None
    return _joined(ids, weights)


def _ids_and_weights(data: bytes, count: int, compressed: int) -> tuple[bytes, Any]:
    """A block's bytes, inflated only as far as the ids and weights of a block searchkit wrote.

    The positions are most of a block's bytes. Returns the bytes and the
    decompressor, to inflate further a block laid out otherwise (None: not compressed).
    """
    if not compressed:
        return data, None
    unzip = zlib.decompressobj()
    raw = unzip.decompress(data, pickleops.block_head(count))
    more = pickleops.block_prefix(raw, count) - len(raw)
    if more > 0:
        raw += unzip.decompress(unzip.unconsumed_tail, more)
    return raw, unzip


def _joined(deltas: list[np.ndarray], weights: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Docnums and weights of a posting list from its blocks' delta-coded ids and weights."""
    if len(deltas) == 1:
        return np.cumsum(deltas[0]), weights[0]
    return np.cumsum(np.concatenate(deltas)), np.concatenate(weights)


def _w3_block(m: Any) -> tuple[Any, Any]:
    """(delta-coded ids, weights) of the W3 block the matcher is on, as numpy arrays."""
    data = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
    count = m._blocklength
    raw, unzip = _ids_and_weights(data, count, m._compression)
    ours = pickleops.block_ids_weights(raw, count)
    if ours is not None:
        return ours
    cut = raw.find(_VALUES_START)
    if unzip is not None:  # Whoosh's layout: inflate up to its values
        while cut < 0 and unzip.unconsumed_tail:
            raw += unzip.decompress(unzip.unconsumed_tail, 4096)
            cut = raw.find(_VALUES_START)
        if cut < 0:
            raw += unzip.flush()
    ids, weights = safepickle.loads(raw[:cut] + _NO_VALUES if cut >= 0 else raw)[:2]
    if weights is None:
        weights = 1.0
    if isinstance(weights, float):
        weights = [weights] * count
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def _w3_postings(m: Any) -> tuple[np.ndarray, np.ndarray]:
    """Block by block: never step through single postings, never decode positions."""
    whole = _w3_list(m)
    if whole is not None:
        return whole
    m.reset()
    deltas: list[Any] = []
    weights: list[Any] = []
    last = 0
    while True:
        ids, ws = _w3_block(m)
        if len(ids) != m._blocklength or len(ws) != len(ids):
            raise ValueError("unexpected posting block")
        ids[0] -= last  # a block's first id is absolute; make it a delta
        deltas.append(ids)
        weights.append(ws)
        last = m._maxid
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    return _joined(deltas, weights)


def length_bytes(reader: Any, fieldname: str, size: int) -> np.ndarray | None:
    """The one-byte length column of a field, read in one piece when the codec allows."""
    perdoc: Any = getattr(reader, "_perdoc", None)  # a SegmentReader's
    if probe.is_w3(perdoc, "perdoc"):
        try:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

            col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if col is None:
                return None
            raw = col._dbfile.get(col._basepos, col._count * col._fixedlen)
            out = np.zeros(size, dtype=np.uint8)
            out[: col._count] = np.frombuffer(raw, dtype=np.uint8)
            return out
        except (AttributeError, TypeError):
            pass  # a column laid out otherwise: read it document by document
    values = [0] * size
    for d in range(size):  # portable, slow: one call per paragraph
        length = reader.doc_field_length(d, fieldname, _NO_COLUMN)
        if length == _NO_COLUMN:  # the segment has no lengths for this field, as None above
            return None
        values[d] = 0 if length is None else length_to_byte(length)
    return np.array(values, dtype=np.uint8)


#: What the public `doc_field_length` answers when a segment has no length column for the field.
_NO_COLUMN = -1


def read_positions(m: Any, ids: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(docnum, position) of every occurrence in `docs`, flat arrays.

    `ids` are the matcher's docnums (`read_postings`) and `docs` a sorted
    subset of them. Blocks holding none of `docs` are skipped, the others
    unpickled whole (C speed), and only the values of `docs` are decoded, all
    in one more `pickle.loads`: each value is Whoosh's Positions encoding, a
    4-byte count and a pickled list of position deltas.
    """
    if type(m) is FilterMatcher:
        m = m.child
    index = np.searchsorted(ids, docs)  # each doc's place in the posting list
    try:
        values = _block_values(m, index)
    except (AttributeError, TypeError, ValueError, IndexError, pickle.UnpicklingError, zlib.error):
        values = _stepped_values(m, docs)
    # Each value's pickle without its STOP, inside one MARK ... TUPLE: one loads for all.
    lists = safepickle.loads(b"(" + b"".join([v[4:-1] for v in values]) + b"t.")
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    deltas = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    positions = np.cumsum(deltas)
    ends = np.cumsum(counts)
    before = np.zeros(len(counts), dtype=np.int64)  # each list's deltas restart from 0
    before[1:] = positions[ends[:-1] - 1]
    positions -= np.repeat(before, counts)
    return np.repeat(docs, counts), positions


def _block_values(m: Any, index: np.ndarray) -> list[bytes]:
    """The values at these (sorted) places of a W3 posting list, reading only the blocks that hold them."""
    if not probe.is_w3(m, "matcher"):
        raise TypeError("not a W3 matcher")
    m.reset()
    out: list[bytes] = []
    start = k = 0  # the block's first place in the list; the next wanted place
    while k < len(index):
        end = start + m._blocklength
        upto = int(np.searchsorted(index, end))
        if upto > k:
            m._read_values()
            values = m._values
            if len(values) != m._blocklength:
                raise ValueError("unexpected posting block")
            out += map(values.__getitem__, (index[k:upto] - start).tolist())
            k = upto
        if k < len(index):
            if m._lastblock:
                raise ValueError("places past the end of the posting list")
            m._goto(m._nextoffset)
            start = end
    return out


def _stepped_values(m: Any, docs: np.ndarray) -> list[bytes]:
    m.reset()
    out = []
    for d in docs.tolist():
        m.skip_to(d)
        out.append(m.value())
    return out
