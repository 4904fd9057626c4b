"""Pickle streams built from numpy arrays, and read back without unpickling.

Whoosh stores a posting block as a pickled ``(ids, weights, values)`` tuple
and a position list as a pickled list of ints; its readers call
`pickle.loads`. Making those Python objects only to pickle them costs more
than the rest of writing a segment, so the writer emits the opcodes itself,
for a whole window of postings at a time:

- ids as BININT (``J`` and 4 little-endian bytes): a fixed width, so a reader
  that knows a block's posting count finds the weights and values without
  unpickling anything (`block_ids_weights`);
- weights as BINFLOAT (``G`` and 8 big-endian bytes), or as BININT1 (``K``
  and a byte) when they are all term frequencies below 256: fixed width too;
- position deltas as BININT1/BININT2/BININT (the smallest that fits);
- byte strings as SHORT_BINBYTES/BINBYTES.

A block's info tuple has one fixed opcode per item (`block_info`). Its data
is ``( ids t weights values \\x87 .``: MARK, the ids, TUPLE, the weights
(NONE, one float, or MARK floats TUPLE), the values, TUPLE3, STOP. Every
opcode is one of pickle protocol 3 or lower, which every Python 3 reads.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any, overload

import numpy as np

#: One BININT opcode and its operand, and one BINFLOAT opcode and its operand.
INT_OP = np.dtype([("op", "u1"), ("v", "<i4")])
FLOAT_OP = np.dtype([("op", "u1"), ("v", ">f8")])
#: One BININT1 opcode and its operand (weights that are small whole numbers).
BYTE_OP = np.dtype([("op", "u1"), ("v", "u1")])
_J, _G, _K = ord("J"), ord("G"), ord("K")
MARK, TUPLE, TUPLE3, STOP, NONE = b"(", b"t", b"\x87", b".", b"N"
_LIST = b"l"


def fixed_ints(values: Any) -> bytes:
    """BININT opcodes of `values` (each in -2**31..2**31-1), five bytes each."""
    out = np.empty(len(values), dtype=INT_OP)
    out["op"] = _J
    out["v"] = values
    return out.tobytes()


def fixed_floats(values: Any) -> bytes:
    """BINFLOAT opcodes of `values`, nine bytes each."""
    out = np.empty(len(values), dtype=FLOAT_OP)
    out["op"] = _G
    out["v"] = values
    return out.tobytes()


def fixed_weights(values: Any) -> tuple[bytes, int]:
    """Opcodes of `values` (weights) and their width: BININT1 when all are whole numbers below 256, else BINFLOAT.

    Term frequencies are such numbers: two bytes each instead of nine, and
    loads() gives ints, which are equal to the floats.
    """
    v = np.asarray(values)
    if len(v) and v.min() >= 0 and v.max() < 256 and (v == np.floor(v)).all():
        out = np.empty(len(v), dtype=BYTE_OP)
        out["op"] = _K
        out["v"] = v
        return out.tobytes(), 2
    return fixed_floats(v), 9


def small_ints(values: Any) -> tuple[bytes, Any]:
    """The shortest int opcode for each of `values` (0..2**31-1), and where each starts (len + 1 offsets)."""
    v = np.asarray(values)
    if v.dtype.kind not in "iu":
        v = v.astype(np.int64)
    # One byte per value for the widths and opcodes: the positions of a 100k-paragraph
    # body are millions of values, and int64 widths and opcodes would take 24 bytes each.
    width = np.full(len(v), 5, dtype=np.uint8)
    width[v < 65536] = 3
    width[v < 256] = 2
    offsets = np.zeros(len(v) + 1, dtype=np.int64)
    np.cumsum(width, out=offsets[1:], dtype=np.int64)
    buf = np.zeros(int(offsets[-1]), dtype=np.uint8)
    at = offsets[:-1]
    op = np.full(len(v), _J, dtype=np.uint8)
    op[width == 3] = ord("M")
    op[width == 2] = ord("K")
    buf[at] = op
    del op
    # buf[k:][at] is buf[at + k] without an index array per byte.
    buf[1:][at] = v & 255
    wide = width >= 3
    buf[2:][at[wide]] = (v[wide] >> 8) & 255
    widest = width == 5
    buf[3:][at[widest]] = (v[widest] >> 16) & 255
    buf[4:][at[widest]] = (v[widest] >> 24) & 255
    return buf.tobytes(), offsets


def int_list(ops: bytes) -> bytes:
    """A pickle of the list whose int opcodes are `ops`: what loads() makes a list of ints."""
    return MARK + ops + _LIST + STOP


def bytes_op(value: bytes) -> bytes:
    """The opcode that pushes `value`."""
    n = len(value)
    return (b"C" + bytes((n,)) if n < 256 else b"B" + struct.pack("<I", n)) + value


class PushedValues(Sequence[bytes]):
    """Posting values held as the opcodes that push them (`bytes_op` of each), with those opcodes' lengths.

    The block writer wants the opcodes (`segmentwrite`); a caller that wants a
    value itself gets it by index, the opcode's header cut off.
    """

    __slots__ = ("ops", "lens")

    def __init__(self, ops: list[bytes], lens: Any) -> None:
        self.ops = ops
        self.lens = lens  # numpy int64, len(op) of each

    def __len__(self) -> int:
        return len(self.ops)

    @overload
    def __getitem__(self, i: int) -> bytes: ...

    @overload
    def __getitem__(self, i: slice) -> list[bytes]: ...

    def __getitem__(self, i: int | slice) -> bytes | list[bytes]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        op = self.ops[i]
        return op[2:] if op[:1] == b"C" else op[5:]


#: Values `pushed_int_lists` lays out at a time: its arrays stay small enough to be reused
#: from the heap, not mapped afresh (touching new pages costs more than the work itself).
PUSHED_CHUNK = 1 << 15


def pushed_int_lists(counts: Any, ops: bytes, cut: Any) -> tuple[list[bytes], Any]:
    """The pushing opcode of each position value `pack_uint(counts[k])` + `int_list(ops[cut[k]:cut[k + 1]])`.

    That is `bytes_op(value)` for each value, built with numpy a chunk of
    values at a time (a whoosh Positions value: its count, four bytes
    big-endian, then the pickled list). Returns the opcodes and their lengths.
    """
    counts = np.asarray(counts, dtype=np.int64)
    cut = np.asarray(cut, dtype=np.int64)
    size = np.diff(cut) + 7  # the count, MARK, the ints, LIST, STOP
    total = size + np.where(size < 256, 2, 5)  # SHORT_BINBYTES and a length byte, or BINBYTES and four
    out: list[bytes] = []
    for k in range(0, len(counts), PUSHED_CHUNK):
        e = min(k + PUSHED_CHUNK, len(counts))
        out += _pushed_chunk(counts[k:e], ops[cut[k] : cut[e]], cut[k : e + 1] - cut[k], size[k:e], total[k:e])
    return out, total


def _pushed_chunk(counts: Any, ops: bytes, cut: Any, size: Any, total: Any) -> list[bytes]:
    """`pushed_int_lists` for one chunk (`cut` relative to `ops`)."""
    short = size < 256
    head = total - size
    start = np.cumsum(total) - total
    buf = np.zeros(int(total.sum()), dtype=np.uint8)
    buf[start] = np.where(short, ord("C"), ord("B"))
    long = ~short
    for k in range(4):  # the value's length (little-endian; one byte when short) and its count (big-endian)
        if k == 0:
            buf[start + 1] = size & 255
        else:
            buf[start[long] + 1 + k] = size[long] >> (8 * k) & 255
        buf[start + head + k] = counts >> (8 * (3 - k)) & 255
    value = start + head
    buf[value + 4] = MARK[0]
    oplen = np.diff(cut)
    buf[np.arange(len(ops), dtype=np.int64) + np.repeat(value + 5 - cut[:-1], oplen)] = np.frombuffer(
        ops, dtype=np.uint8
    )
    end = start + total
    buf[end - 2] = _LIST[0]
    buf[end - 1] = STOP[0]
    raw = buf.tobytes()
    return [raw[s:e] for s, e in zip(start.tolist(), end.tolist())]


def block_data(ids: bytes, weights: bytes, values: bytes) -> bytes:
    """A block's data tuple from the opcodes of its ids, its weights and its values (each pushing one object)."""
    return b"".join((MARK, ids, TUPLE, weights, values, TUPLE3, STOP))


# A block's info tuple (count, last id, max weight, compression, min and max
# length byte) with one fixed opcode per item: 26 bytes, read with two unpacks.
_INFO_HEAD = struct.Struct("<2sHci")  # MARK BININT2 count, BININT last id
_INFO_TAIL = struct.Struct(">cdcBcBcB2s")  # BINFLOAT max weight, 3 x BININT1, TUPLE STOP
INFO_SIZE = _INFO_HEAD.size + _INFO_TAIL.size
_INFO_OPS = (b"(M", b"J", b"G", b"K", b"K", b"K", b"t.")


#: The same tuple as a numpy record, to lay out many blocks' infos at once (`info_records`).
INFO_RECORD = np.dtype(
    [
        ("head", "S2"),
        ("count", "<u2"),
        ("j", "S1"),
        ("last", "<i4"),
        ("g", "S1"),
        ("maxweight", ">f8"),
        ("k1", "S1"),
        ("compression", "u1"),
        ("k2", "S1"),
        ("minlen", "u1"),
        ("k3", "S1"),
        ("maxlen", "u1"),
        ("end", "S2"),
    ]
)


def info_records(n: int) -> Any:
    """`n` block infos with their opcodes in place and every item 0, for the caller to fill."""
    out = np.zeros(n, dtype=INFO_RECORD)
    for name, op in zip(("head", "j", "g", "k1", "k2", "k3", "end"), _INFO_OPS):
        out[name] = op
    return out


def block_info(count: int, last: int, maxweight: float, compression: int, minlen: int, maxlen: int) -> bytes:
    """The pickled info tuple of a posting block (count < 65536, the others as W3 keeps them)."""
    return _INFO_HEAD.pack(b"(M", count, b"J", last) + _INFO_TAIL.pack(
        b"G", maxweight, b"K", compression, b"K", minlen, b"K", maxlen, b"t."
    )


def read_block_info(raw: bytes, at: int) -> tuple[int, int, int] | None:
    """(count, last id, compression) of a block info written by `block_info` at `at`; None for any other."""
    if len(raw) < at + INFO_SIZE:
        return None
    mark, count, j, last = _INFO_HEAD.unpack_from(raw, at)
    g, _, k1, compression, k2, _, k3, _, end = _INFO_TAIL.unpack_from(raw, at + _INFO_HEAD.size)
    if (mark, j, g, k1, k2, k3, end) != _INFO_OPS:
        return None
    return count, last, compression


_WEIGHT_OPS = {_G: (_G, FLOAT_OP), _K: (_K, BYTE_OP)}  # a tuple of weights: its opcode -> item layout


def block_ids_weights(raw: bytes, count: int) -> tuple[Any, Any] | None:
    """(ids, weights) of a block laid out as this module writes it, read with numpy; None for any other.

    `raw` need only hold the block's first `block_prefix` bytes. Blocks
    pickled by Whoosh start with a PROTO opcode instead, and return None.
    """
    end = 1 + 5 * count
    if len(raw) < end + 2 or raw[0] != MARK[0] or raw[end] != TUPLE[0]:
        return None
    ids = np.frombuffer(raw, dtype=INT_OP, count=count, offset=1)
    if not (ids["op"] == _J).all():
        return None
    tag = raw[end + 1]
    if tag == NONE[0]:
        weights = np.ones(count)
    elif tag == _G:
        weights = np.full(count, struct.unpack(">d", raw[end + 2 : end + 10])[0])
    elif tag == MARK[0] and len(raw) > end + 2 and raw[end + 2] in _WEIGHT_OPS:
        op, dtype = _WEIGHT_OPS[raw[end + 2]]
        close = end + 2 + dtype.itemsize * count
        if len(raw) <= close or raw[close] != TUPLE[0]:
            return None
        items = np.frombuffer(raw, dtype=dtype, count=count, offset=end + 2)
        if not (items["op"] == op).all():
            return None
        weights = items["v"].astype(np.float64)
    else:
        return None
    return ids["v"].astype(np.int64), weights


def block_head(count: int) -> int:
    """How many bytes of a block tell how long its ids and weights are (`block_prefix`)."""
    return 5 * count + 4  # MARK, the ids, TUPLE, then the weights' first two opcode bytes


def block_prefix(head: bytes, count: int) -> int:
    """How many bytes of a block hold its ids and weights, from its first `block_head(count)` bytes (0: not ours)."""
    at = 5 * count + 2
    if len(head) < at + 1:
        return 0
    tag = head[at]
    if tag == NONE[0]:
        return at + 1
    if tag == _G:
        return at + 9
    if tag == MARK[0] and len(head) > at + 1 and head[at + 1] in _WEIGHT_OPS:
        return at + 2 + _WEIGHT_OPS[head[at + 1]][1].itemsize * count
    return 0
