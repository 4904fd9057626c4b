"""Text fields in bulk: token numbers as documents arrive, postings with numpy when a segment is written.

Whoosh analyses a text value into a stream of Token objects and builds a dict
of positions per word, all in Python, per document. Here a value costs one
bytes.translate pass (a `RunCutter` such as `analysis.token_runs`, or the regex
where that cannot cut it) and one C-level dict lookup per raw token (`TextField.ids`: raw token
-> term number, -1 for a token the analyzer drops), appended to a flat
array. When the segment is written, `TextBatch.grouped` derives everything else
for all documents at once: each kept token's position (Whoosh's StopFilter
numbering: the first kept token keeps its place in the raw stream, the rest
follow it one by one), the postings grouped by term and document, their
weights and encoded position lists. A raw token whose analyzer stacks parts on
it (searchkit's `JoinedParts`: AT&T -> at&t, at, t) is numbered `JOINED - j`
instead, and its parts are inserted after it when the segment is written. The
result is exactly what the field's own analyzer and format would index
(tests/test_fastwrite.py and tests/test_joined_words.py compare the two).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from whoosh import formats
from whoosh.analysis.filters import LowercaseFilter, StopFilter
from whoosh.analysis.morph import StemFilter
from whoosh.analysis.tokenizers import RegexTokenizer
from whoosh.system import pack_uint

from searchkit.codec import pickleops
from searchkit.codec.segmentwrite import Grouped, by_term

#: Raw tokens whose term number is remembered; cleared when it grows past this.
TOKEN_CACHE_SIZE = 1_000_000
#: A run of raw text that is not exactly one token (see TextField).
_NOT_ONE = -2
#: The number of the first token with stacked parts; the next is one less (see TextField).
JOINED = -3
#: The term numbers of an empty value (shared: callers only read them).
_NO_IDS = array("i")
#: The formats whose postings `TextBatch` builds (others go through the field's own code).
KINDS = {formats.Positions: "positions", formats.Frequency: "frequency", formats.Existence: "existence"}


class Chain(NamedTuple):
    """What the bulk path needs of an analyzer: its token pattern, a raw token's term, its stacked parts."""

    pattern: re.Pattern[str]
    term_of: Callable[[str], str]  # raw token -> term, "" if dropped
    parts_of: Callable[[str], list[tuple[int, str]]] | None  # raw token -> (position offset, term) of its parts


def _chain(analyzer: Any) -> Chain | None:
    """The analyzer's `Chain`, or None for an analyzer of another shape.

    Known shapes: a RegexTokenizer, then optionally a LowercaseFilter, a StopFilter,
    a filter that stacks parts on a word (one with a `parts(word)` method giving
    (position offset, part) pairs, as searchkit's `analysis.JoinedParts`), a StemFilter.
    """
    items = list(getattr(analyzer, "items", [analyzer]))
    if not items or type(items[0]) is not RegexTokenizer or items[0].gaps:
        return None
    pattern = items[0].expression
    rest = items[1:]
    lower = bool(rest) and type(rest[0]) is LowercaseFilter
    if lower:
        rest = rest[1:]
    stop = rest.pop(0) if rest and type(rest[0]) is StopFilter else None
    split = rest.pop(0) if rest and callable(getattr(type(rest[0]), "parts", None)) else None
    stem = rest.pop(0) if rest and type(rest[0]) is StemFilter else None
    if rest or (stop is not None and not stop.renumber):
        return None
    stemfn = None
    if stem is not None:
        if stem.lang:
            from whoosh.lang import stemmer_for_language

            stemfn = stemmer_for_language(stem.lang)
        else:
            stemfn = stem.stemfn
    ignore = stem.ignore if stem is not None else frozenset()
    stops = stop.stops if stop is not None else frozenset()
    minsize = stop.min if stop is not None else 0
    maxsize = stop.max if stop is not None else None

    def stemmed(text: str) -> str:
        return stemfn(text) if stemfn is not None and text not in ignore else text

    def term_of(token: str) -> str:
        # The filter chain for one token; "" means the token is dropped.
        text = token.lower() if lower else token
        if stop is not None and (len(text) < minsize or (maxsize is not None and len(text) > maxsize) or text in stops):
            return ""
        return stemmed(text)

    def parts_of(token: str) -> list[tuple[int, str]]:
        # Only a kept token has parts (the stop filter comes first); they are stemmed, never stopped.
        if not term_of(token):
            return []
        assert split is not None
        return [(offset, stemmed(part)) for offset, part in split.parts(token.lower() if lower else token)]

    return Chain(pattern, term_of, parts_of if split is not None else None)


class RunCutter(NamedTuple):
    """A faster way to cut text for one token pattern: `cut(text)` gives runs of UTF-8 bytes.

    Every ASCII run must be exactly one match of `pattern`; a run with other
    characters may hold none, one or several (the regex decides). searchkit's
    own is `analysis.token_runs` for `analysis.TOKEN_PATTERN`, passed in by the
    indexing code (this package knows Whoosh, not searchkit's analysis).
    """

    pattern: re.Pattern[str]
    cut: Callable[[str], list[bytes]]


class TextField:
    """One text field's analysis for a whole build: raw token -> term number, -1 if dropped.

    Given a `RunCutter` for the field's token pattern, a value is cut into runs
    (bytes) by it rather than by the regex: an ASCII run is one
    token; a run with other characters is matched by the regex when first
    seen, and if it holds anything but exactly one token (`a—b`, a lone `—`)
    the value goes through the regex instead (`_NOT_ONE`).
    """

    def __init__(self, chain: Chain, runs: RunCutter | None = None) -> None:
        pattern, term_of, parts_of = chain
        self.terms: list[str] = []  # term number -> term
        self.drops = False  # whether any token was dropped (numbered -1) so far
        # A token with stacked parts is numbered -3 - j: self.joined[j] is its term number and
        # its parts' (position offset, term number), the same for every token with that analysis.
        self.joined: list[tuple[int, tuple[tuple[int, int], ...]]] = []
        joined_codes: dict[tuple[int, tuple[tuple[int, int], ...]], int] = {}
        joined = self.joined
        numbers: dict[str, int] = {}
        findall = pattern.findall if pattern.groups == 0 else None
        owner = self

        def number(term: str) -> int:
            n = numbers.get(term, -1)
            if n < 0:
                n = numbers[term] = len(numbers)
                terms.append(term)
            return n

        class _Cache(dict):  # type: ignore[type-arg]
            # dict.__getitem__ runs in C on a hit; only a new raw token calls Python.
            def __missing__(self, key: str | bytes) -> int:
                if len(self) >= TOKEN_CACHE_SIZE:
                    self.clear()
                if isinstance(key, bytes):  # a run: its one token, if it holds exactly one
                    assert findall is not None  # runs are cut only for a pattern without groups
                    found = findall(key.decode("utf-8", "surrogatepass"))
                    if len(found) != 1:
                        self[key] = _NOT_ONE
                        return _NOT_ONE
                    token: str = found[0]
                else:
                    token = key
                term = term_of(token)
                code = number(term) if term else -1
                if code == -1:
                    owner.drops = True
                parts = parts_of(token) if parts_of is not None and term else None
                if parts:
                    form = (code, tuple((offset, number(part)) for offset, part in parts))
                    code = joined_codes.get(form, 0)
                    if not code:
                        code = joined_codes[form] = JOINED - len(joined)
                        joined.append(form)
                self[key] = code
                return code

        terms = self.terms
        self._lookup = _Cache().__getitem__
        # findall returns group(0) only when the pattern has no capturing groups.
        if findall is not None:
            self._tokenize: Callable[[str], list[str]] = findall
        else:
            self._tokenize = lambda text: [m.group(0) for m in pattern.finditer(text)]
        # A cutter knows its own pattern only (Whoosh pickles the field's into the schema: compare its text).
        same = runs is not None and (pattern.pattern, pattern.flags) == (runs.pattern.pattern, runs.pattern.flags)
        self._cut = runs.cut if runs is not None and same and findall is not None else None
        self._last: tuple[str, array[int]] | None = None
        self._single: list[bytes] = []  # position -> its one-position encoding, as the opcode pushing it

    @classmethod
    def create(cls, field: Any, runs: RunCutter | None = None) -> TextField | None:
        """The bulk analysis of `field`, or None if its analyzer or format is of a shape we don't know.

        `runs` cuts values faster where its pattern is the field's; otherwise the regex does.
        """
        if field.analyzer is None or _kind(field.format) is None:
            return None
        chain = _chain(field.analyzer)
        if chain is None or (chain.parts_of is not None and not _skips_stacked(field.format)):
            return None  # stacked parts counted in the length: not what the bulk path writes
        return cls(chain, runs)

    def ids(self, text: str) -> array[int]:
        """The term number of each raw token of `text` (-1: dropped); a repeated value is analysed once.

        The cache's keys are runs (bytes) and, for values the runs don't cut
        cleanly, the regex's tokens (str).
        """
        if not text:  # a paragraph without quotes or speakers
            return _NO_IDS
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        lookup = self._lookup
        numbers = list(map(lookup, self._cut(text))) if self._cut is not None else None
        if numbers is None or (not text.isascii() and _NOT_ONE in numbers):
            numbers = list(map(lookup, self._tokenize(text)))
        ids = array("i", numbers)  # from a list: 30% faster than from the map
        self._last = (text, ids)
        return ids

    def terms_of(self, text: str) -> list[tuple[str, int]]:
        """The terms of `text` with their positions, in the analyzer's order (for checking the analysis)."""
        batch = TextBatch()
        batch.add(0, self.ids(text))
        terms, _, pos = batch.kept_tokens(self)
        return [(self.terms[t], p) for t, p in zip(terms.tolist(), pos.tolist())]

    def single(self, upto: int) -> list[bytes]:
        """The opcodes pushing the one-position values of positions 0..upto, made once for the build."""
        table = self._single
        while len(table) <= upto:
            table.append(pickleops.bytes_op(_positions_value(1, pickleops.small_ints([len(table)])[0])))
        return table


def _kind(fmt: Any) -> str | None:
    """The postings `TextBatch` builds for a format: one of KINDS, or a Positions
    subclass that changes only the length it counts (`_skips_stacked`); None for others."""
    kind = KINDS.get(type(fmt))
    return "positions" if kind is None and _skips_stacked(fmt) else kind


def _skips_stacked(fmt: Any) -> bool:
    # A format that declares it leaves stacked tokens out of the field length, as
    # searchkit's analysis.StackedPositions does (the length the bulk path writes).
    return isinstance(fmt, formats.Positions) and getattr(type(fmt), "length_skips_stacked", False) is True


def _positions_value(count: int, ops: bytes) -> bytes:
    # Positions.encode's layout, a count and then the pickled list of deltas; the
    # list is written as opcodes: 5 bytes for one small delta, pickle.dumps(deltas, 2) takes 9.
    return pack_uint(count) + pickleops.int_list(ops)


class TextBatch:
    """One text field's tokens in a batch: term numbers, and where each document's value starts."""

    __slots__ = ("tokens", "value_docs", "value_starts")

    def __init__(self) -> None:
        self.tokens = array("i")
        self.value_docs = array("I")
        self.value_starts = array("Q")

    def add(self, docnum: int, ids: array[int]) -> None:
        self.value_docs.append(docnum)
        self.value_starts.append(len(self.tokens))
        self.tokens.extend(ids)

    def __len__(self) -> int:
        return len(self.tokens)

    def grouped(self, field: TextField, fmt: Any) -> Grouped:
        """The batch's postings, as the format would encode them; the token arrays are released."""
        kind = _kind(fmt)
        boost = float(fmt.field_boost)
        # Handed over in a list that _postings empties, so each token array is freed as soon
        # as it has been used (a name held here would keep all three alive: +10% peak memory).
        keyed, tstarts, pdocs, counts, pos, gs = _postings(field, self.kept_tokens(field))
        names = [t for t, _ in keyed]
        if kind == "existence":
            weights = np.full(len(gs), boost, dtype=np.float32)
            return Grouped(names, tstarts, pdocs, weights, np.zeros(len(gs), np.uint32), [b""], True)
        weights = (counts * boost).astype(np.float32)
        if kind == "frequency":
            values = [pack_uint(c) for c in range(int(counts.max(initial=1)) + 1)]
            return Grouped(names, tstarts, pdocs, weights, counts.astype(np.uint32), values, True)
        vids, pushed = _position_values(field, pos, gs, counts)
        return Grouped(names, tstarts, pdocs, weights, vids, pushed, True)

    def kept_tokens(self, field: TextField) -> list[Any]:
        """Term number, document and position of every kept token and stacked part, in the
        analyzer's order; the batch's arrays are released."""
        tok = np.frombuffer(self.tokens, dtype=np.int32)
        starts = np.frombuffer(self.value_starts, dtype=np.uint64).astype(np.int64)
        per_value = np.diff(np.append(starts, len(tok)))
        if not (tok == -1).any():
            return self._all_kept(field, tok, starts, per_value)
        kept = tok != -1
        value_of = np.repeat(np.arange(len(starts), dtype=np.int32), per_value)[kept]
        raw = (np.arange(len(tok), dtype=np.int64) - np.repeat(starts, per_value))[kept]
        terms = tok[kept]
        del kept, tok, per_value
        self.tokens = array("i")
        docs = np.frombuffer(self.value_docs, dtype=np.uint32)[value_of]
        self.value_docs, self.value_starts = array("I"), array("Q")
        # Positions: the first kept token of a value keeps its raw place, the rest follow it.
        first = np.zeros(len(starts), dtype=np.int64)
        np.cumsum(np.bincount(value_of, minlength=len(starts))[:-1], out=first[1:])
        base = first[value_of]
        del value_of, first
        pos = raw[base] + (np.arange(len(terms), dtype=np.int64) - base)
        del raw, base
        if field.joined and terms.min(initial=0) < 0:
            return _with_parts(field, terms, docs, pos)
        return [terms, docs, pos]

    def _all_kept(self, field: TextField, tok: Any, starts: Any, per_value: Any) -> list[Any]:
        """`kept_tokens` when no token is dropped (the index keeps every word): each token's
        position is its place in its value, with no masks or renumbering (and 4-byte positions)."""
        width = np.int32 if len(tok) < 1 << 31 else np.int64
        docs = np.repeat(np.frombuffer(self.value_docs, dtype=np.uint32), per_value)
        pos = np.arange(len(tok), dtype=width)
        pos -= np.repeat(starts.astype(width), per_value)
        terms = tok.copy() if field.joined and tok.min(initial=0) < 0 else tok  # _with_parts writes into it
        self.tokens, self.value_docs, self.value_starts = array("i"), array("I"), array("Q")
        if terms is not tok:
            del tok
            return _with_parts(field, terms, docs, pos)
        return [terms, docs, pos]


def _with_parts(field: TextField, terms: Any, docs: Any, pos: Any) -> list[Any]:
    """Tokens with their stacked parts: each token numbered JOINED - j gets field.joined[j]'s
    term number, and its parts are inserted after it (where the analyzer yields them)."""
    at = np.flatnonzero(terms < 0)
    j = JOINED - terms[at]
    whole = np.array([w for w, _ in field.joined], dtype=np.int32)
    nparts = np.array([len(p) for _, p in field.joined], dtype=np.int64)
    flat = np.array([x for _, p in field.joined for x in p], dtype=np.int64).reshape(-1, 2)
    first = np.cumsum(nparts) - nparts  # where each form's parts start in `flat`
    terms[at] = whole[j]  # a copy already (tok[kept])
    count = nparts[j]
    into = np.repeat(at + 1, count)  # inserted before the next token: right after their word
    k = np.repeat(first[j] - (np.cumsum(count) - count), count) + np.arange(int(count.sum()))
    offsets, numbers = flat[k, 0], flat[k, 1].astype(np.int32)
    return [
        np.insert(terms, into, numbers),
        np.insert(docs, into, docs[into - 1]),
        np.insert(pos, into, pos[into - 1] + offsets),
    ]


def _postings(field: TextField, tokens: list[Any]) -> tuple[list[tuple[bytes, int]], Any, Any, Any, Any, Any]:
    """Tokens grouped into postings by term (UTF-8 byte order), then document.

    Returns the terms present (bytes, number), where each term's postings start,
    each posting's document and token count, the tokens' positions in that
    order, and where each posting's tokens start. `tokens` (term numbers, documents,
    positions) is emptied: the arrays are freed here as soon as they are used.
    """
    terms, docs, pos = tokens
    tokens.clear()
    m = len(terms)
    present = np.flatnonzero(np.bincount(terms, minlength=len(field.terms))).tolist()
    keyed = sorted((field.terms[i].encode("utf-8"), i) for i in present)  # UTF-8 byte order
    rank = np.zeros(len(field.terms), dtype=np.int32)
    rank[[i for _, i in keyed]] = np.arange(len(keyed), dtype=np.int32)
    key = rank[terms]
    del terms, rank
    order = by_term(key, len(keyed))  # stable: documents, then positions, stay in order
    # One array at a time, each original freed before the next is reordered (a tuple would hold all six).
    key = key[order]
    docs = docs[order]
    pos = pos[order]
    del order
    # A posting is a run of equal (term, document).
    new = np.ones(m, dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (docs[1:] != docs[:-1])
    gs = np.flatnonzero(new)
    counts = np.diff(np.append(gs, m))
    tstarts = np.searchsorted(key[gs], np.arange(len(keyed) + 1, dtype=np.int32))
    return keyed, tstarts, docs[gs], counts, pos, gs


def _position_values(field: TextField, pos: Any, gs: Any, counts: Any) -> tuple[Any, pickleops.PushedValues]:
    """Each posting's value number and the values: Positions.encode's bytes of its positions
    (as the opcodes that push them, which is what the block writer wants)."""
    # A one-position value is shared by every posting at that position.
    ops = list(field.single(int(pos.max(initial=0))))
    lens = np.fromiter(map(len, ops), dtype=np.int64, count=len(ops))
    vids = pos[gs].astype(np.uint32)
    repeated = np.flatnonzero(counts > 1)
    if len(repeated):
        # Several positions: the first, then the gaps.
        rpos = pos[np.repeat(counts > 1, counts)]
        rcounts = counts[repeated]
        deltas = rpos.copy()
        deltas[1:] -= rpos[:-1]
        rstarts = np.cumsum(rcounts) - rcounts
        deltas[rstarts] = rpos[rstarts]
        del rpos
        int_ops, offsets = pickleops.small_ints(deltas)
        del deltas
        cut = offsets[np.append(rstarts, len(offsets) - 1)]  # value k's opcodes: cut[k]:cut[k + 1]
        at = len(ops)
        vids[repeated] = np.arange(at, at + len(repeated), dtype=np.uint32)
        more, more_lens = pickleops.pushed_int_lists(rcounts, int_ops, cut)
        ops += more
        lens = np.concatenate((lens, more_lens))
    return vids, pickleops.PushedValues(ops, lens)
