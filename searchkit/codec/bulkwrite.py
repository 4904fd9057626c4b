"""Bulk indexing: write ordinary Whoosh segments without `writer.add_document`.

Whoosh's own write path costs Python work per token and per posting: the
analyzer chain runs a generator of Token objects through four filters, every
posting goes through a sorting pool and one `add()` call on the postings
writer, and each document's stored fields, lengths and columns go through
several per-field calls. This module does the same work in bulk, one batch
(a future segment) at a time:

- **Text fields** (`textpostings.py`): per value, one bytes.translate pass
  and a term number per raw token; positions, postings, weights and position
  encodings for the whole batch with numpy when the segment is written.
- **Other indexed fields** (IDs, numbers, dates, keywords; `fieldpostings.py`): the field's own
  `index()` (remembered for repeated values; a plain ID value is its own term),
  kept as flat arrays of term, document and value numbers. An unscored one's
  values are only collected as documents arrive (`PendingValues`), and their
  postings laid out per distinct value when the batch finishes.
- **Writing a segment** runs without numpy's huge-page advice (`hugepages.py`).
- **Stored fields and columns** go straight to the per-document writer's
  column writers as each document arrives (stored fields compressed by
  `deflate`, in the same format); field lengths are kept as one byte
  per document and written as their columns when the batch finishes.
- **Postings and the term table** are written by `segmentwrite.py`.
- **Memory** is bounded: after `max_postings` postings (raw tokens, for text
  fields) the batch is written out as a finished segment and a new one starts.

The result is a normal segment in the index's own codec: searching,
highlighting, deleting and merging treat it like any other. The segments stay
invisible until the enclosing SegmentWriter commits — `commit()` adds them to
the segment list that the writer's TOC records — so an exception (or a crash)
before that leaves the last committed index as it was; files of segments no
TOC names are removed by the next commit (`whoosh.index.clean_files`).

Only the whoosh3 codec's layout is written this way (`probe.is_w3`); with any
other codec or Whoosh, term vectors or spelling fields `BulkWriter.create` returns None
and the caller keeps using `add_document`. A field whose analyzer has another
shape goes through its own `index()`.
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from whoosh.columns import CompressedBytesColumn, NumericColumn, PickleColumn
from whoosh.util.numeric import length_to_byte

from searchkit.codec import deflate, hugepages, patches, probe
from searchkit.codec.columnbytes import BytesSink
from searchkit.codec.fieldpostings import FieldIndexer, FieldPostings, PendingValues, merged
from searchkit.codec.segmentwrite import write_field
from searchkit.codec.textpostings import RunCutter, TextBatch, TextField

#: Set to False to make `BulkWriter.create` decline (tests compare both paths).
ENABLED = True

#: Postings (raw tokens, for text fields) held in memory before the batch is
#: written as a segment: 4 bytes a token and 12 a posting while documents
#: arrive, a few tens of bytes a token while the segment is being written.
MAX_POSTINGS = 10_000_000

#: Column values remembered per field (a value's column value is made once).
COLUMN_VALUES = 4096
_UNKNOWN = object()

#: Field lengths below this are turned into their length byte by a table lookup.
_LENGTH_TABLE = 4096
_LENGTH_BYTE = [length_to_byte(n) for n in range(_LENGTH_TABLE)]

# ------------------------------------------------------------- the segment


class _FieldPlan(NamedTuple):
    """What adding a value of one field involves, worked out once per build."""

    field: Any
    indexed: bool
    scorable: bool
    stored: bool
    column: Any  # the field's column type, or None
    text: TextField | None  # the bulk analysis of a text field
    indexer: FieldIndexer | None  # its own index() for other values (and a text field's non-strings)
    deferred: bool  # a non-text field without lengths: values kept as they come, postings made at the end


class _Route(NamedTuple):
    """Where the fields of documents with one set of keys go, worked out once per set (`BulkWriter.route`)."""

    texts: tuple[tuple[str, TextField, bool], ...]  # bulk-analysed text fields: name, analysis, scored
    pending: tuple[tuple[str, _FieldPlan], ...]  # deferred fields (`_FieldPlan.deferred`)
    others: tuple[tuple[str, _FieldPlan], ...]  # other indexed fields, through their own index()
    columns: tuple[tuple[str, _FieldPlan], ...]  # fields with a column
    stored: tuple[str, ...]  # stored fields, sorted (add_document's order)


def _route(plans: dict[str, _FieldPlan], names: Iterable[str]) -> _Route:
    ordered = sorted(names)
    indexed = [(name, plans[name]) for name in ordered if plans[name].indexed]
    return _Route(
        tuple((name, plan.text, plan.scorable) for name, plan in indexed if plan.text is not None),
        tuple((name, plan) for name, plan in indexed if plan.text is None and plan.deferred),
        tuple((name, plan) for name, plan in indexed if plan.text is None and not plan.deferred),
        tuple((name, plans[name]) for name in ordered if plans[name].column is not None),
        tuple(name for name in ordered if plans[name].stored),
    )


class _SegmentBatch:
    """One segment being built: stored fields and columns streamed, postings held in memory.

    Stored fields and column values go straight to the column writers of the
    codec's per-document writer (what its start_doc/add_field/finish_doc would
    do, minus the per-call bookkeeping); field lengths, known per document as
    it arrives, are written as their columns when the batch finishes.
    """

    def __init__(self, owner: BulkWriter) -> None:
        w = owner.writer
        self.owner = owner
        self.segment = w.codec.new_segment(w.storage, w.indexname)
        self.perdoc = w.codec.per_document_writer(w.storage, self.segment)
        patches.ensure_columns(self.perdoc, owner.schema)
        stored = self.perdoc._get_column("_stored")
        child = getattr(stored, "_child", None)  # PickleColumn's writer wraps the compressing one
        if type(child) is CompressedBytesColumn.Writer and child._compress is zlib.compress:
            child._compress = deflate.compress  # the same zlib streams, made faster
        self.add_stored: Callable[[int, dict[str, Any]], None] = stored.add
        # Byte columns' values are handed to their writers a chunk at a time (flushed before they close).
        self.sinks: list[BytesSink] = []
        if type(stored) is PickleColumn.Writer and child is not None:
            # Pickled at protocol 4, not Whoosh's 2, which writes a date's bytes through
            # codecs.encode: 40% less time a document; every reader's loads() takes either.
            add_bytes = self._sink(child).add
            self.add_stored = lambda docnum, fields: add_bytes(docnum, pickle.dumps(fields, 4))
        self.columns: dict[str, Any] = {}
        # field -> (type, value) -> its column value, for ints and strings (paragraph numbers, article ids)
        self.column_values: dict[str, dict[tuple[type, Any], Any]] = {}
        # field -> (value, its column value) of the last document, for other values (dates)
        self.last_column_value: dict[str, tuple[Any, Any]] = {}
        self.doccount = 0
        self.npostings = 0  # postings of other fields plus raw tokens of text fields: the memory budget
        self.text: dict[str, TextBatch] = {}
        self.postings: dict[str, FieldPostings] = {}
        self.pending: dict[str, PendingValues] = {}  # the deferred fields' values (`_FieldPlan.deferred`)
        # field -> length byte per docnum (for the length column and the block statistics), and the total
        self.lengths: dict[str, array[int]] = {}
        self.totals: dict[str, int] = {}

    def _sink(self, writer: Any) -> Any:
        """What takes `writer`'s values: a `BytesSink` for a byte column's, else the writer itself."""
        sink = BytesSink.create(writer)
        if sink is None:
            return writer
        self.sinks.append(sink)
        return sink

    def _column(self, name: str, column: Any) -> Any:
        writer = self.columns.get(name)
        if writer is None:
            if not self.perdoc._has_column(name):
                self.perdoc._create_column(name, column)
            writer = self.columns[name] = self._sink(self.perdoc._get_column(name))
        return writer

    def add(self, doc: dict[str, Any]) -> None:
        docnum = self.doccount
        route = self.owner.route(doc)
        for name, text, scorable in route.texts:
            value = doc[name]
            if value is None:
                continue
            if not isinstance(value, str):  # a text field's other values go through its own code
                self._length(name, docnum, self._add_other(name, self.owner.plans[name], docnum, value))
                continue
            ids = text.ids(value)
            batch = self.text.get(name)
            if batch is None:
                batch = self.text[name] = TextBatch()
            batch.add(docnum, ids)
            self.npostings += len(ids)
            if scorable:
                # Only an analyzer that drops tokens numbers any -1 (the index's keeps every word).
                length = len(ids) - ids.count(-1) if text.drops else len(ids)
                if length:
                    self._length(name, docnum, length)
        for name, plan in route.pending:
            value = doc[name]
            if value is not None:
                pending = self.pending.get(name)
                if pending is None:
                    pending = self._pending(name, plan)
                self.npostings += pending.add(docnum, value)
        for name, plan in route.others:
            value = doc[name]
            if value is not None:
                self._length(name, docnum, self._add_other(name, plan, docnum, value))
        for name, plan in route.columns:
            value = doc[name]
            if value is not None:
                self._add_column(name, plan, docnum, value)
        # add_document's order (the fields sorted), so stored dicts come out the same.
        stored = {name: value for name in route.stored if (value := doc[name]) is not None}
        if stored:
            self.add_stored(docnum, stored)
        self.doccount += 1

    def _length(self, name: str, docnum: int, length: int) -> None:
        """Record the length a document's value adds to a scored field (nothing for 0)."""
        if not length:
            return
        lens = self.lengths.get(name)
        if lens is None:
            lens = self.lengths[name] = array("B")
            self.totals[name] = 0
        if len(lens) < docnum:
            lens.extend(bytes(docnum - len(lens)))
        lens.append(_LENGTH_BYTE[length] if length < _LENGTH_TABLE else length_to_byte(length))
        self.totals[name] += length

    def _add_column(self, name: str, plan: _FieldPlan, docnum: int, value: Any) -> None:
        kind = type(value)
        if kind is int or kind is str:  # paragraph numbers, article ids: remembered by value
            known = self.column_values.get(name)
            if known is None:
                known = self.column_values[name] = {}
            cvalue = known.get((kind, value), _UNKNOWN)
            if cvalue is _UNKNOWN:
                cvalue = plan.field.to_column_value(value)
                if len(known) >= COLUMN_VALUES:
                    known.clear()
                known[(kind, value)] = cvalue
        else:
            # Others only when they repeat the last document's: equal dates in two time zones
            # make two column values (Whoosh's datetime_to_long drops the zone).
            last = self.last_column_value.get(name)
            if last is not None and last[0] == value and type(last[0]) is kind:
                cvalue = last[1]
            else:
                cvalue = plan.field.to_column_value(value)
                self.last_column_value[name] = (value, cvalue)
        self._column(name, plan.column).add(docnum, cvalue)

    def _pending(self, name: str, plan: _FieldPlan) -> PendingValues:
        assert plan.indexer is not None
        table = self.postings[name] = FieldPostings()
        pending = self.pending[name] = PendingValues(plan.indexer, table)
        return pending

    def _add_other(self, name: str, plan: _FieldPlan, docnum: int, value: Any) -> int:
        """Add a non-text value's postings; return the length it adds to the field."""
        assert plan.indexer is not None
        posts = plan.indexer.postings(value)
        table = self.postings.get(name)
        if table is None:
            table = self.postings[name] = FieldPostings()
        table.add(docnum, posts)
        self.npostings += len(posts.terms)
        return posts.length

    def _close_documents(self) -> None:
        """Write the length columns and close the per-document writer, as its own close would after finish_doc."""
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        perdoc = self.perdoc
        for sink in self.sinks:
            sink.flush()
        for name in self.lengths:
            writer = self._column(_lenfield(name), LENGTHS_COLUMN)
            lens = self.lengths[name]
            if len(lens) < self.doccount:  # documents at the end without this field
                lens.extend(bytes(self.doccount - len(lens)))
            if type(writer) is NumericColumn.Writer and writer._fixedlen == 1 and writer._count == 0:
                # The bytes its add() would write, one per document, defaults (0) included.
                writer._dbfile.write(lens.tobytes())
                writer._count = len(lens)
            else:
                for docnum, byte in enumerate(lens):
                    if byte:
                        writer.add(docnum, byte)
            perdoc._fieldlengths[name] += self.totals[name]
        perdoc._doccount = self.doccount
        perdoc.close()

    def finish(self) -> Any:
        """Write the postings, close the files and return the finished segment."""
        with hugepages.small_pages():  # its big arrays are each used once (see hugepages)
            return self._finish()

    def _finish(self) -> Any:
        w = self.owner.writer
        schema = self.owner.schema
        self._close_documents()
        self.segment.set_doc_count(self.doccount)
        for pending in self.pending.values():
            pending.drain()
        self.pending.clear()
        fieldwriter = w.codec.field_writer(w.storage, self.segment)
        for name in sorted({*self.postings, *self.text}):
            field = schema[name]
            fieldwriter.start_field(name, field)
            # A field may have both: a text field's non-text values go through its own code.
            parts = []
            if name in self.text:
                text = self.owner.plans[name].text
                assert text is not None
                parts.append(self.text.pop(name).grouped(text, field.format))
            if name in self.postings:
                parts.append(self.postings.pop(name).grouped(float(field.format.field_boost)))
            write_field(fieldwriter, field.format, merged(parts), self._lengths_of(name))
            fieldwriter.finish_field()
        fieldwriter.close()
        if self.segment.should_assemble():  # one compound file, as SegmentWriter makes
            self.segment.create_compound_file(w.storage)
        return self.segment

    def _lengths_of(self, name: str) -> array[int] | None:
        lens = self.lengths.get(name)
        if lens is not None and len(lens) < self.doccount:
            lens.extend(bytes(self.doccount - len(lens)))
        return lens

    def discard(self) -> None:
        """Close and delete whatever this batch wrote."""
        try:
            if not self.perdoc.is_closed:
                self.perdoc.close()
        except Exception:  # noqa: BLE001 - best effort on the way out; the files go next
            pass
        _delete_segment_files(self.owner.writer.storage, self.segment)


def _delete_segment_files(storage: Any, segment: Any) -> None:
    prefix = segment.make_filename("")
    for name in list(storage.list()):
        if name.startswith(prefix):
            try:
                storage.delete_file(name)
            except OSError:
                pass


def _plan(field: Any, runs: RunCutter | None) -> _FieldPlan:
    text = TextField.create(field, runs) if field.indexed else None
    return _FieldPlan(
        field,
        bool(field.indexed),
        bool(field.scorable),
        bool(field.stored),
        field.column_type or None,
        text,
        FieldIndexer(field) if field.indexed else None,
        bool(field.indexed) and not field.scorable and text is None,
    )


# -------------------------------------------------------------- the writer


class BulkWriter:
    """Adds documents as pre-built segments of an open SegmentWriter's transaction.

    Use `add(doc)` instead of `writer.add_document(**doc)`, then
    `commit(mergetype=...)` instead of `writer.commit(mergetype=...)`, or
    `cancel()` instead of `writer.cancel()`. Deletes
    and other documents keep going through the writer itself.
    """

    def __init__(self, writer: Any, max_postings: int | None = None, runs: RunCutter | None = None) -> None:
        self.writer = writer
        self.schema = writer.schema
        self.max_postings = MAX_POSTINGS if max_postings is None else max_postings
        self.runs = runs  # how text fields' values are cut (see textpostings.RunCutter)
        self.segments: list[Any] = []
        self.documents = 0
        self._batch: _SegmentBatch | None = None
        self.plans = {name: _plan(field, runs) for name, field in self.schema.items()}
        self._routes: dict[tuple[str, ...], _Route] = {}  # a document's keys -> its _Route

    def route(self, doc: dict[str, Any]) -> _Route:
        """Where `doc`'s fields go: the same for every document with the same keys (most have)."""
        keys = tuple(doc)
        found = self._routes.get(keys)
        if found is None:
            found = self._routes[keys] = _route(self.plans, keys)
        return found

    @classmethod
    def create(cls, writer: Any, max_postings: int | None = None, runs: RunCutter | None = None) -> BulkWriter | None:
        """A BulkWriter for `writer`, or None where only add_document is safe."""
        if not ENABLED:
            return None
        needed = ("codec", "storage", "indexname", "schema", "commit")
        if not all(hasattr(writer, a) for a in needed):
            return None
        if not probe.is_w3(writer.codec, "codec"):
            return None
        for name in writer.schema.names():
            field = writer.schema[name]
            # Vectors and spelling words need extra per-document work we don't replicate.
            if field.vector or field.separate_spelling():
                return None
        return cls(writer, max_postings, runs)

    def add(self, doc: dict[str, Any]) -> None:
        """Add one document (the keyword arguments add_document would get)."""
        if not doc.keys() <= self.plans.keys():  # one C-level check for the usual case
            if any(k.startswith("_") for k in doc):
                raise ValueError("boosts and custom stored values (_-prefixed keys) are not supported")
            from whoosh.fields import UnknownFieldError

            unknown = [k for k in doc if k not in self.plans]
            raise UnknownFieldError(f"No field named {unknown[0]!r} in {self.schema}")
        if self._batch is None:
            self._batch = _SegmentBatch(self)
        self._batch.add(doc)
        self.documents += 1
        if self._batch.npostings >= self.max_postings:
            self.flush()

    def flush(self) -> None:
        """Write the current batch as a segment (not yet part of the index)."""
        batch, self._batch = self._batch, None
        if batch is None or batch.doccount == 0:
            if batch is not None:
                batch.discard()
            return
        try:
            self.segments.append(batch.finish())
        except BaseException:
            batch.discard()
            raise

    def adopt(self, segments: Iterable[Any]) -> None:
        """Commit (or cancel) these finished segments, written by other processes, with ours."""
        self.segments.extend(segments)

    def commit(self, mergetype: Callable[[Any, list[Any]], list[Any]]) -> None:
        """Commit the writer with our segments added to the segment list it records.

        `mergetype` is the merge policy the writer's commit would get (CLEAR,
        MERGE_SMALL, ...); it still decides about the index's existing segments.
        """
        try:
            self.flush()
        except BaseException:
            self.cancel()
            raise
        ours = list(self.segments)
        # The writer's own segment gets documents if its merge policy merges
        # segments into it; it then needs every column too. (Unused, it is dropped.)
        patches.ensure_columns(getattr(self.writer, "perdocwriter", None), self.schema)

        def policy(writer: Any, segments: list[Any]) -> list[Any]:
            # The writer's merge policy decides about the existing segments;
            # ours are new and already the size we want.
            return list(mergetype(writer, segments)) + ours

        self.writer.commit(mergetype=policy)

    def cancel(self) -> None:
        """Cancel the writer and delete every segment file this object wrote."""
        if self._batch is not None:
            self._batch.discard()
            self._batch = None
        for segment in self.segments:
            _delete_segment_files(self.writer.storage, segment)
        self.segments.clear()
        if not getattr(self.writer, "is_closed", False):
            self.writer.cancel()
