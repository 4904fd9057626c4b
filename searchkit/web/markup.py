"""Highlighted text as safe HTML: the library's highlight offsets become `<mark>` elements.

Every piece of text between, inside and around the marks is escaped on its own, so
whatever an article holds (`<script>`, quotes, ampersands) arrives as text; only
the `<mark>` tags this module writes are markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape


def marked(text: str, spans: Sequence[Sequence[int]]) -> Markup:
    """`text` with each (start, end) span wrapped in <mark>, everything escaped."""
    out: list[str] = []
    last = 0
    for start, end in sorted((int(s), int(e)) for s, e in spans):
        start, end = max(start, last), min(end, len(text))
        if start >= end:
            continue
        out.append(str(escape(text[last:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
