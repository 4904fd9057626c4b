"""Safe to open: every pickle read from an index goes through an allow-list of classes.

Whoosh keeps the schema, the segment list, stored fields, posting blocks and
column blocks of an index as Python pickles, and `pickle.loads` will import and
call anything a pickle names, so an index folder received from someone else
could run code on `search`. `loads`/`load` here are the pickle readers with
`find_class` restricted to `ALLOWED`: exactly the classes and functions the
pickles of an index that searchkit writes name (built, updated, parallel,
every Whoosh fork it runs on; tests/test_safe_open.py proves the list complete).
Anything else raises `pickle.UnpicklingError` before it is imported, which the
damage guard turns into "the index ... is damaged ...; rebuild it".

`install()` makes Whoosh use them: its modules bound `pickle.loads`/`load` (or
the `pickle` module) at import, so those names are rebound in every loaded
`whoosh.*` module that reads index data, and the loaders of pre-2.0 tables of
contents (which bring their own unpickler) are dropped: searchkit never wrote
those. Importing `searchkit.codec` installs it, so in a process that imports
searchkit all Whoosh unpickling is restricted to these classes.
"""

from __future__ import annotations

import importlib
import io
import pickle
import struct
import sys
import types
from typing import Any

#: (module, name) of every global the pickles of a searchkit index may name: the schema's
#: fields, formats, columns and analyzers, the segment list, and stored values (dates,
#: naive or in UTC: `transaction.storable` moves every other time zone to UTC).
#: Calling any of them with any arguments runs no code beyond building that object
#: (`re._compile` compiles a pattern). `__builtin__` names are Python 2 spellings
#: that Whoosh's pickles of ints and sets still use.
ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        ("__builtin__", "frozenset"),
        ("_codecs", "encode"),
        ("__builtin__", "long"),
        ("builtins", "int"),
        ("collections", "defaultdict"),
        ("datetime", "datetime"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("re", "_compile"),
        ("searchkit.analysis", "snowball_stem"),
        ("searchkit.analysis", "JoinedParts"),
        ("searchkit.analysis", "StackedPositions"),
        ("whoosh.analysis.analyzers", "CompositeAnalyzer"),
        ("whoosh.analysis.filters", "LowercaseFilter"),
        ("whoosh.analysis.filters", "StopFilter"),
        ("whoosh.analysis.filters", "StripFilter"),
        ("whoosh.analysis.morph", "StemFilter"),
        ("whoosh.analysis.tokenizers", "IDTokenizer"),
        ("whoosh.analysis.tokenizers", "RegexTokenizer"),
        ("whoosh.codec.whoosh3", "W3Codec"),
        ("whoosh.codec.whoosh3", "W3Segment"),
        ("whoosh.columns", "NumericColumn"),
        ("whoosh.columns", "VarBytesColumn"),
        ("whoosh.fields", "DATETIME"),
        ("whoosh.fields", "ID"),
        ("whoosh.fields", "KEYWORD"),
        ("whoosh.fields", "NUMERIC"),
        ("whoosh.fields", "STORED"),
        ("whoosh.fields", "Schema"),
        ("whoosh.fields", "TEXT"),
        ("whoosh.formats", "Existence"),
        ("whoosh.formats", "Frequency"),
        ("whoosh.formats", "Positions"),
    }
)

#: Whoosh modules that read pickles from an index (imported before their names are rebound).
_READERS = (
    "whoosh.index",
    "whoosh.filedb.fileindex",
    "whoosh.filedb.structfile",
    "whoosh.filedb.filetables",
    "whoosh.filedb.compound",
    "whoosh.filedb.misc",
    "whoosh.filedb.filereading",
    "whoosh.codec.whoosh3",
    "whoosh.codec.whoosh2",
    "whoosh.codec.plaintext",
    "whoosh.columns",
    "whoosh.formats",
    "whoosh.automata.fst",
)

#: Set by tests: every global a pickle names is added here (and then allowed or not as usual).
SEEN: set[tuple[str, str]] | None = None


class SafeUnpickler(pickle.Unpickler):
    """pickle's (C) unpickler, but a global outside `ALLOWED` raises UnpicklingError instead of being imported."""

    def find_class(self, module: str, name: str) -> Any:
        if SEEN is not None:
            SEEN.add((module, name))
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"not a searchkit index: it names {module}.{name}, which is not allowed")
        return super().find_class(module, name)


def load(file: Any, **kwargs: Any) -> Any:
    """`pickle.load` restricted to `ALLOWED`."""
    return SafeUnpickler(file, **kwargs).load()


#: A protocol-4 FRAME opcode; its 8-byte length follows.
_FRAME = b"\x80\x04\x95"
_LENGTH = struct.Struct("<Q")


def loads(data: bytes | bytearray | memoryview, /, **kwargs: Any) -> Any:
    """`pickle.loads` restricted to `ALLOWED`.

    The pickle is wrapped in one frame, so the unpickler reads it from its buffer
    in one go instead of calling the file's read for every opcode (Whoosh's
    protocol-2 pickles have no frames of their own): 3 us more than
    `pickle.loads` per call instead of 25.
    """
    return SafeUnpickler(io.BytesIO(_FRAME + _LENGTH.pack(len(data)) + data), **kwargs).load()


def _safe_pickle_module() -> types.ModuleType:
    """A stand-in for the `pickle` module whose readers are the restricted ones."""
    shim = types.ModuleType("pickle", "pickle, with loads/load/Unpickler restricted (searchkit.codec.safepickle)")
    shim.__dict__.update({k: v for k, v in vars(pickle).items() if not k.startswith("__")})
    shim.__dict__.update(loads=loads, load=load, Unpickler=SafeUnpickler, _loads=loads, _load=load)
    return shim


_INSTALLED = False


def install() -> None:
    """Make every loaded Whoosh reader of index data unpickle through `SafeUnpickler` (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    for name in _READERS:
        try:
            importlib.import_module(name)
        except ImportError:  # a module this Whoosh fork does not have
            continue
    shim = _safe_pickle_module()
    unsafe = {id(pickle.loads): loads, id(pickle.load): load, id(pickle.Unpickler): SafeUnpickler, id(pickle): shim}
    for modname, module in list(sys.modules.items()):
        if modname == "whoosh" or modname.startswith("whoosh."):
            _rebind(module, unsafe)
    index_module = sys.modules.get("whoosh.index")
    toc_loaders = getattr(index_module, "toc_loaders", None)
    if isinstance(toc_loaders, dict):
        toc_loaders.clear()  # pre-2.0 tables of contents: Whoosh's own RenamingUnpickler, never written by searchkit
    _INSTALLED = True


def _rebind(module: types.ModuleType | None, unsafe: dict[int, Any]) -> None:
    if module is None:
        return
    for attr, value in list(vars(module).items()):
        safe = unsafe.get(id(value))
        if safe is not None:
            setattr(module, attr, safe)
