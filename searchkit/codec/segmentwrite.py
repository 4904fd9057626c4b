"""Posting lists and term-table rows of one field, written in the whoosh3 codec's format.

`Grouped` is a field's postings, grouped by term, as the bulk writer holds
them (`bulkwrite`, `textpostings`). `write_field` writes them through the
codec's field writer: for the whoosh3 codec directly into its postings file and
term table, a window of terms at a time, with the per-posting work (delta
coding, block minima and maxima, weight sums) done by numpy; for any other
field writer through its public one-posting-at-a-time calls. The bytes are
those Whoosh's own writer produces, except that block data is pickled by
`pickleops` (ids and weights at a fixed width, which `postings` reads without
unpickling) and small blocks are left uncompressed; readers honour both. Runs
of terms with a single posting (a paragraph's wire fingerprint) are laid out
as numpy records, the same bytes without a Python loop per term.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length

from searchkit.codec import deflate, pickleops, probe
from searchkit.codec.pickleops import MARK, NONE, STOP, TUPLE, TUPLE3

#: Posting blocks with fewer postings are written uncompressed: zlib costs more
#: time on them than it saves bytes (the block header records the choice, and
#: every reader honours it).
COMPRESS_MIN_POSTINGS = 16
#: Postings per block (Whoosh's writer: 128). Readers take each block's count
#: from its header; fewer, larger blocks cost less per posting to write and to
#: read in bulk (see benchmarks/README.md).
BLOCK_POSTINGS = 1024
#: zlib level of posting blocks (at most the codec's). Measured on 100k
#: paragraphs: level 1 takes a quarter less time than the codec's 3 for an index
#: 0.3% larger.
POSTINGS_LEVEL = 1


class Grouped(NamedTuple):
    """One field's postings grouped by term: term i's are [starts[i], starts[i + 1])."""

    terms: list[bytes]  # in byte order, as the term table needs them
    starts: Any  # numpy int64, len(terms) + 1
    docs: Any  # numpy uint32 docnums, ascending within a term
    weights: Any  # numpy float32
    value_ids: Any  # numpy uint32, indexes into values
    values: Sequence[bytes]  # the distinct encoded posting values (a list, or `pickleops.PushedValues`)
    all_values: bool  # False: some postings have an empty value, which the postings writer drops


def by_term(key: Any, nterms: int) -> Any:
    """The stable order that groups postings by term number (`key`, each < nterms).

    numpy sorts 16-bit keys stably by radix, four times faster than 32-bit ones
    (5M keys: 0.08 s against 0.36 s), so keys are narrowed when they fit.
    """
    if nterms <= 1 << 16:
        key = key.astype(np.uint16)
    return np.argsort(key, kind="stable")


def write_field(fieldwriter: Any, fmt: Any, grouped: Grouped, lens: array[int] | None) -> None:
    if _supports_blocks(fieldwriter):
        _write_w3_terms(fieldwriter, fmt, grouped, lens)
        return
    # Another codec or Whoosh version: the public one-posting-at-a-time calls.
    starts = grouped.starts.tolist()
    for i, tbytes in enumerate(grouped.terms):
        s, e = starts[i], starts[i + 1]
        fieldwriter.start_term(tbytes)
        for docnum, weight, vid in zip(
            grouped.docs[s:e].tolist(), grouped.weights[s:e].tolist(), grouped.value_ids[s:e].tolist()
        ):
            length = byte_to_length(lens[docnum]) if lens is not None and lens[docnum] else 0
            fieldwriter.add(docnum, weight, grouped.values[vid], length)
        fieldwriter.finish_term()


def _supports_blocks(fieldwriter: Any) -> bool:
    """Whether this is the whoosh3 codec's field writer, whose files `_write_w3_terms` writes directly."""
    if not probe.is_w3(fieldwriter, "fieldwriter"):
        return False
    pw = fieldwriter._postwriter
    return (
        probe.is_w3(pw, "postwriter")
        and probe.is_w3(fieldwriter._tindex, "termtable")
        and pw._inlinelimit <= 1  # no posting list is ever inlined in the term info
        and not pw._byteids
    )


#: Postings whose block bytes are made at a time by `_write_w3_terms` (whole terms).
WINDOW_POSTINGS = 1 << 18


def _write_w3_terms(fieldwriter: Any, fmt: Any, g: Grouped, lens: array[int] | None) -> None:
    """Write the field's posting lists and term-table rows in the whoosh3 format, a window at a time.

    The layout is W3PostingsWriter's (a header tag, then blocks of
    `BLOCK_POSTINGS` postings: the pickled block info and the block data, maybe
    compressed), and the term-table row is W3TermInfo's. What Whoosh computes
    per posting in Python (deltas, block minima and maxima, weight sums, the
    pickled data) is computed here with numpy for a window of terms at once
    (`_Window`); the data's pickle opcodes are written directly (`pickleops`),
    so readers unpickle the same tuples Whoosh's would hold.
    """
    level = min(fieldwriter._postwriter._compression, POSTINGS_LEVEL)
    pack_info = W3TermInfo._struct.pack  # a term-table row's statistics
    postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
    prefix = pack_ushort(fieldwriter._fieldid)
    values = _Values(fmt.fixed_value_size(), g.values)
    lengths = np.frombuffer(lens, dtype=np.uint8) if lens is not None else None
    starts = g.starts
    t0 = 0
    while t0 < len(g.terms):
        # Whole terms, about WINDOW_POSTINGS postings (one term may be more).
        t1 = max(t0 + 1, int(np.searchsorted(starts, starts[t0] + WINDOW_POSTINGS, side="right")) - 1)
        window = _Window(g, t0, t1, lengths, values)
        keys = [prefix + t for t in g.terms[t0:t1]]
        blobs, rows = window.lists(keys, postfile.tell(), level, pack_info)
        postfile.write(b"".join(blobs))
        _add_rows(tindex, rows)
        t0 = t1


class _Values:
    """How a field's posting values are pushed in a block's data: not at all, as one byte string, or one by one."""

    def __init__(self, fixed: int | None, values: Sequence[bytes]) -> None:
        self.fixed = fixed  # the format's value size: 0 none, > 0 that many bytes each, else variable
        self.values = values
        self.ops: list[bytes] = []
        self.op_lens: Any = None
        if isinstance(values, pickleops.PushedValues) and (fixed is None or fixed < 0):  # made as opcodes
            self.ops, self.op_lens = values.ops, values.lens
        elif fixed is None or fixed < 0:  # variable-size values, each pushed by its own opcode
            # The postings writer keeps only non-empty values: an empty one pushes nothing.
            self.ops = [pickleops.bytes_op(v) if v else b"" for v in values]
            self.op_lens = np.fromiter(map(len, self.ops), dtype=np.int64, count=len(self.ops))

    def window(self, vids: Any, bounds: Any) -> tuple[bytes | None, list[int] | None]:
        """The opcodes of a window's values (None: no values), and where each block's start (None: fixed width)."""
        fixed = self.fixed
        if fixed == 0:  # no values
            return None, None
        if fixed is not None and fixed > 0:  # one byte string of the block's values, back to back
            return b"".join(map(self.values.__getitem__, vids.tolist())), None
        voff = np.zeros(len(vids) + 1, dtype=np.int64)
        np.cumsum(self.op_lens[vids], out=voff[1:])
        return b"".join(map(self.ops.__getitem__, vids.tolist())), voff[bounds].tolist()


class _Window:
    """A window of whole terms: their postings cut into blocks, each block's statistics and opcodes."""

    def __init__(self, g: Grouped, t0: int, t1: int, lengths: Any, values: _Values) -> None:
        p0, p1 = int(g.starts[t0]), int(g.starts[t1])
        self.tstarts = tstarts = g.starts[t0 : t1 + 1] - p0
        counts = np.diff(tstarts)
        # Every term starts a block; a term with more than BLOCK_POSTINGS postings has several.
        bstarts = tstarts[:-1]
        limit = BLOCK_POSTINGS
        long_terms = np.flatnonzero(counts > limit)
        if len(long_terms):
            extra = [np.arange(tstarts[i] + limit, tstarts[i + 1], limit) for i in long_terms.tolist()]
            bstarts = np.sort(np.concatenate([bstarts, *extra]))
        self.first_block = np.searchsorted(bstarts, tstarts).tolist()  # term -> its first block; [-1] = count
        self.docs = docs = g.docs[p0:p1].astype(np.int64)
        self.weights = weights = g.weights[p0:p1]
        bounds = np.append(bstarts, p1 - p0)
        self.bl = bounds.tolist()
        self.firsts = docs[tstarts[:-1]].tolist()
        self._block_stats(bstarts, bounds, lengths)
        # The window's ids and weights as opcodes, fixed width: block b's are a slice.
        deltas = docs.copy()
        deltas[1:] -= docs[:-1]
        deltas[bstarts] = docs[bstarts]  # each block starts from 0
        self.id_ops = pickleops.fixed_ints(deltas)
        self.weight_ops, self.wide = pickleops.fixed_weights(weights)
        self.fixed = values.fixed
        self.value_ops, self.voff = values.window(g.value_ids[p0:p1], bounds)

    def _block_stats(self, bstarts: Any, bounds: Any, lengths: Any) -> None:
        """Each block's last id, weight minimum, maximum and sum, and length-byte minimum and maximum."""
        docs, weights = self.docs, self.weights
        self.b_last = docs[bounds[1:] - 1].tolist()
        self.b_min = np.minimum.reduceat(weights, bstarts).tolist()
        self.b_max = np.maximum.reduceat(weights, bstarts).tolist()
        self.b_sum = np.add.reduceat(weights.astype(np.float64), bstarts).tolist()
        self.lb = lengths[docs] if lengths is not None else None
        if self.lb is not None:
            self.l_min = np.minimum.reduceat(self.lb, bstarts).tolist()
            self.l_max = np.maximum.reduceat(self.lb, bstarts).tolist()
        else:  # unscored field: no lengths
            self.l_min = self.l_max = [0] * len(bstarts)

    def lists(
        self, keys: list[bytes], offset: int, level: int, pack_info: Callable[..., bytes]
    ) -> tuple[list[bytes], list[tuple[bytes, bytes]]]:
        """The window's posting lists, written from `offset` on, and their term-table rows (`keys`: the terms')."""
        blobs: list[bytes] = []
        rows: list[tuple[bytes, bytes]] = []
        tstarts = self.tstarts
        # Runs of terms in one document each (a wire fingerprint, most article ids) are made in bulk.
        runs = _single_runs(tstarts, self.weights) if self.value_ops is None else {}
        ti, nwin = 0, len(keys)
        while ti < nwin:
            end = runs.get(ti)
            if end is not None:
                p_lo, p_hi = tstarts[ti], tstarts[end]  # their postings, one each
                lens = self.lb[p_lo:p_hi] if self.lb is not None else None
                blob, values = _single_terms(self.docs[p_lo:p_hi], lens, offset)
                rows += zip(keys[ti:end], values)
                ti = end
            else:
                b0, b1 = self.first_block[ti], self.first_block[ti + 1]
                blob = self._posting_list(b0, b1, level)
                info = self._term_info(pack_info, ti, b0, b1)
                rows.append((keys[ti], info + pack_long(offset) + pack_int(len(blob))))
                ti += 1
            blobs.append(blob)
            offset += len(blob)
        return blobs, rows

    def _posting_list(self, b0: int, b1: int, level: int) -> bytes:
        """One term's posting list: the header tag, then blocks b0..b1, each its size, info and data."""
        bl, b_min, b_max, b_last, l_min, l_max = self.bl, self.b_min, self.b_max, self.b_last, self.l_min, self.l_max
        weight_ops, wide, value_ops, voff = self.weight_ops, self.wide, self.value_ops, self.voff
        fixed = self.fixed or 0  # used only for fixed-size values
        parts = [WHOOSH3_HEADER_MAGIC]
        for b in range(b0, b1):
            s, e = bl[b], bl[b + 1]
            lo, hi = b_min[b], b_max[b]
            if lo == hi == 1.0:
                w = NONE
            elif lo == hi:  # one float for the block (Whoosh's readers want a float here)
                w = pickleops.fixed_floats((lo,))
            else:
                w = MARK + weight_ops[wide * s : wide * e] + TUPLE
            if value_ops is None:
                v = NONE
            elif voff is None:
                v = pickleops.bytes_op(value_ops[fixed * s : fixed * e])
            else:
                v = MARK + value_ops[voff[b] : voff[b + 1]] + TUPLE
            data = pickleops.block_data(self.id_ops[5 * s : 5 * e], w, v)
            comp = level if e - s >= COMPRESS_MIN_POSTINGS else 0
            if comp:
                data = deflate.compress(data, comp)
            info = pickleops.block_info(e - s, b_last[b], hi, comp, l_min[b], l_max[b])
            size = len(info) + len(data)
            parts += (pack_int(-size if b == b1 - 1 else size), info, data)  # negative: the last block
        return b"".join(parts)

    def _term_info(self, pack_info: Callable[..., bytes], ti: int, b0: int, b1: int) -> bytes:
        """W3TermInfo's packed statistics of term `ti`, whose blocks are b0..b1."""
        return pack_info(
            0,
            sum(self.b_sum[b0:b1]),
            self.bl[b1] - self.bl[b0],
            min(self.l_min[b0:b1]),
            max(self.l_max[b0:b1]),
            max(self.b_max[b0:b1]),
            self.firsts[ti],
            self.b_last[b1 - 1],
        )


#: Terms in a row that `_single_terms` makes together (fewer go through the general loop).
MIN_SINGLE_RUN = 8

# The posting list of a term in one document with weight 1.0 and no value, as the
# general loop writes it: the list header, one uncompressed block (its info, then
# its data), as one record; and that term's term-table row.
_SINGLE_LIST = np.dtype(
    [
        ("magic", "S4"),
        ("size", ">i4"),
        ("info", pickleops.INFO_RECORD),
        ("d_head", "S2"),
        ("d_id", "<i4"),
        ("d_end", "S5"),  # MARK, the id's BININT, then TUPLE NONE NONE TUPLE3 STOP
    ]
)
_SINGLE_ROW = np.dtype(
    [  # W3TermInfo's "!BfIBBfII", then the offset and length
        ("flags", "u1"),
        ("weight", ">f4"),
        ("df", ">u4"),
        ("minlen", "u1"),
        ("maxlen", "u1"),
        ("maxweight", ">f4"),
        ("first", ">u4"),
        ("last", ">u4"),
        ("offset", ">i8"),
        ("length", ">i4"),
    ]
)


def _single_runs(tstarts: Any, weights: Any) -> dict[int, int]:
    """start -> end of each run of at least `MIN_SINGLE_RUN` terms that `_single_terms` can write.

    Term i's postings are [tstarts[i], tstarts[i + 1]); `weights` are the
    postings'. Such a term has one posting, of weight 1.0 (other weights are
    written as a float).
    """
    single = np.diff(tstarts) == 1
    at = np.flatnonzero(single)
    single[at] = weights[tstarts[at]] == 1.0
    edges = np.flatnonzero(np.diff(np.concatenate(([0], single.view(np.int8), [0]))))
    starts, ends = edges[0::2], edges[1::2]
    long_runs = ends - starts >= MIN_SINGLE_RUN
    return dict(zip(starts[long_runs].tolist(), ends[long_runs].tolist()))


def _single_terms(docs: Any, lens: Any, offset: int) -> tuple[bytes, list[bytes]]:
    """The posting lists of a run of one-posting terms (back to back, from `offset`) and their term-table values."""
    n = len(docs)
    lists = np.zeros(n, dtype=_SINGLE_LIST)
    size = _SINGLE_LIST.itemsize - 8  # what follows the magic number and the size itself
    lists["magic"] = WHOOSH3_HEADER_MAGIC
    lists["size"] = -size  # negative: the last block
    # pickleops.block_info(1, doc, 1.0, 0, len, len), then block_data(J doc, NONE, NONE).
    info = pickleops.info_records(n)
    info["count"], info["last"], info["maxweight"] = 1, docs, 1.0
    lists["d_head"], lists["d_id"], lists["d_end"] = MARK + b"J", docs, TUPLE + NONE + NONE + TUPLE3 + STOP
    rows = np.zeros(n, dtype=_SINGLE_ROW)
    if lens is not None:
        info["minlen"] = info["maxlen"] = rows["minlen"] = rows["maxlen"] = lens
    lists["info"] = info
    rows["weight"] = rows["maxweight"] = 1.0
    rows["df"] = 1
    rows["first"] = rows["last"] = docs
    rows["offset"] = offset + _SINGLE_LIST.itemsize * np.arange(n, dtype=np.int64)
    rows["length"] = _SINGLE_LIST.itemsize
    raw, width = rows.tobytes(), _SINGLE_ROW.itemsize
    return lists.tobytes(), [raw[i : i + width] for i in range(0, len(raw), width)]


def _add_rows(tindex: Any, rows: list[tuple[bytes, bytes]]) -> None:
    """Add rows, keys ascending, to the term table (an OrderedHashWriter) in one write.

    What `tindex.add` does row by row (three writes, a position and a hash
    each), done for a window of rows.
    """
    from whoosh.filedb import filetables

    if rows[0][0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{rows[0][0]!r}")
    dbfile, hashfn, buckets = tindex.dbfile, tindex.hashfn, tindex.buckets
    index_append, pack_lengths = tindex.index.append, filetables._lengths.pack
    pos = dbfile.tell()
    out = []
    for key, value in rows:
        index_append(pos)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        row = pack_lengths(len(key), len(value)) + key + value
        out.append(row)
        pos += len(row)
    dbfile.write(b"".join(out))
    tindex.lastkey = rows[-1][0]
