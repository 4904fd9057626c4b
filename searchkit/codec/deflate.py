"""zlib streams made fast: ISA-L's deflate when it is installed, zlib's otherwise.

Whoosh compresses each document's stored fields, and searchkit each large
posting block, as a zlib stream that readers open with `zlib.decompress`. Most
of those streams are short (a paragraph's stored fields are under 1 KB), and
zlib spends about 35 µs on each whatever its level, setting up and tearing down
its state; ISA-L (the `isal` package) makes the same-sized stream in about
11 µs and long ones five times faster (benchmarks/README.md). Its output is
an ordinary zlib stream, so every reader, stock Whoosh included, is unchanged.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any


def _isal_zlib() -> Any:
    try:
        from isal import isal_zlib
    except ImportError:  # no wheel for this platform: zlib makes the same format
        return None
    return isal_zlib


isal_zlib = _isal_zlib()

#: ISA-L's level used for any zlib level from 1 up: on paragraphs and posting
#: blocks its level 1 gives zlib level 1-3 sizes (ISA-L's 3 is slower, no smaller).
ISAL_LEVEL = 1


def _isal(data: bytes, level: int = 6) -> bytes:
    assert isal_zlib is not None
    # Level 0 means "store, don't compress" in zlib; ISA-L's 0 does compress.
    return isal_zlib.compress(data, ISAL_LEVEL) if level else zlib.compress(data, 0)


#: `compress(data, level)`, with zlib's signature and output format.
compress: Callable[..., bytes] = zlib.compress if isal_zlib is None else _isal
#: The library doing it, for reports.
BACKEND = "zlib" if isal_zlib is None else "isal"
