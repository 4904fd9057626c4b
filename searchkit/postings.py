"""Reading postings and field lengths in bulk, for vectorised scoring.

Whoosh hands out postings one at a time through matcher objects. For the W3
codec this module reads a term's postings a whole block at a time (document
numbers and term frequencies, never the positions, which are most of a block's
bytes) and a field's one-byte length column in one piece. Anything laid out
differently is read through the public, one-at-a-time API instead, so other
Whoosh versions still give the same arrays, only slower.
"""

from __future__ import annotations

import pickle
import zlib
from typing import Any

try:
    import numpy as np
except ImportError:  # pragma: no cover - fastsearch then leaves every query to Whoosh
    np = None
from whoosh.matching.wrappers import FilterMatcher

_W3_ATTRS = ("_postfile", "_dataoffset", "_nextoffset", "_compression", "_goto", "_lastblock", "_blocklength",
             "_maxid")


def read_postings(m: Any) -> tuple[np.ndarray, np.ndarray]:
    """All (docnum, weight) pairs of a leaf matcher, deletions *not* removed."""
    if type(m) is FilterMatcher:  # the deletion filter; deletions are a mask here
        m = m.child
    if type(m).__name__ == "W3LeafMatcher" and all(
        hasattr(m, a) for a in _W3_ATTRS
    ):
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


#: Where a W3 posting block's pickled values (positions) start: the tuple of
#: `_codecs.encode(...)` calls protocol 2 writes for bytes. Only ids and weights
#: are needed, so the block is unpickled up to there (and decompressed no
#: further), which is most of the cost of reading a block.
_VALUES_START = b"(c_codecs\nencode\n"
_NO_VALUES = b"N\x87."  # push None, make the (ids, weights, values) 3-tuple, stop


def _w3_block(m: Any) -> tuple[Any, Any]:
    """(delta-coded ids, weights) of the W3 block the matcher is on."""
    data = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
    if m._compression:
        unzip = zlib.decompressobj()
        raw = unzip.decompress(data, 4096)
        cut = raw.find(_VALUES_START)
        while cut < 0 and unzip.unconsumed_tail:
            raw += unzip.decompress(unzip.unconsumed_tail, 4096)
            cut = raw.find(_VALUES_START)
        if cut < 0:
            raw += unzip.flush()
    else:
        raw = data
        cut = raw.find(_VALUES_START)
    block = pickle.loads(raw[:cut] + _NO_VALUES if cut >= 0 else raw)
    return block[0], block[1]


def _w3_postings(m: Any) -> tuple[np.ndarray, np.ndarray]:
    """Block by block: never step through single postings, never decode positions."""
    m.reset()
    deltas: list[int] = []
    weights: list[float] = []
    last = 0
    while True:
        ids, ws = _w3_block(m)
        count = m._blocklength
        if len(ids) != count:
            raise ValueError("unexpected posting block")
        start = len(deltas)
        deltas.extend(ids)
        deltas[start] -= last  # a block's first id is absolute; make it a delta
        last = m._maxid
        if ws is None:
            weights.extend([1.0] * count)
        elif isinstance(ws, float):
            weights.extend([ws] * count)
        else:
            weights.extend(ws)
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    return np.cumsum(np.array(deltas, dtype=np.int64)), np.array(weights, dtype=np.float64)


def length_bytes(reader: Any, fieldname: str, size: int) -> np.ndarray | None:
    """The one-byte length column of a field, read in one piece when the codec allows."""
    perdoc = getattr(reader, "_perdoc", None)
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if col is None:
            return None
        raw = col._dbfile.get(col._basepos, col._count * col._fixedlen)
        out = np.zeros(size, dtype=np.uint8)
        out[: col._count] = np.frombuffer(raw, dtype=np.uint8)
        return out
    except (AttributeError, ImportError, TypeError):
        pass
    values = [0] * size
    for d in range(size):  # portable, slow: one call per paragraph
        length = reader.doc_field_length(d, fieldname, None)
        values[d] = 0 if length is None else _byte_of_length(length)
    return np.array(values, dtype=np.uint8)


def _byte_of_length(length: int) -> int:
    from whoosh.util.numeric import length_to_byte

    return length_to_byte(length)
