"""A name in apposition to a role as the subject of a reporting verb.

``the manager, Alex Ferguson, said`` and ``said the manager, Alex Ferguson``:
the name between commas is the speaker, not the role before it. The role is
lower-case words after a determiner or possessive (``Their lawyer, Jo Bell,``)
and may end in a title (``The new President, Viktor Yushchenko,``); a few
words may stand between the closing comma and the verb (``…, Viktor
Yushchenko, has said``).
"""

from __future__ import annotations

import re
from typing import Final

from searchkit.ingest.names import _valid_name, _word
from searchkit.ingest.words import _ROLES, _TITLES

_NAME: Final = r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)"
# The role may end in a title ("The new President, Viktor Yushchenko, said"), not in any capitalised word.
_TITLE_TAIL: Final = rf"(?:\s+(?:{'|'.join(sorted(_TITLES | _ROLES))})){{0,2}}"
_APPOS_BEFORE_RE: Final = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s+[a-z][a-z\s-]{0,60}"
    + _TITLE_TAIL
    + r",\s*"
    + _NAME
    + r",\s*$"
)
# Words between the apposition's closing comma and its verb: "…, Viktor Yushchenko, has said".
_APPOS_AUX: Final = frozenset("has have had also later earlier then now previously reportedly recently".split())
_APPOS_AFTER_RE: Final = re.compile(r"\s*(?:the|a|an|its|their|his|her)\s+[a-z][a-z\s-]{0,60},\s*" + _NAME)


def apposition(p: str, vs: int, ve: int, subject_only: bool) -> tuple[int, int, str] | None:
    """(start, end, name) of a name in apposition to a role around the verb at p[vs:ve], or None.

    `subject_only`: the verb takes no name after it ("told X": X is the listener).
    """
    lo = max(0, vs - 160)
    k = vs  # the pattern ends in ",\s*$": without that comma it cannot match, and most verbs lack it
    while k > lo and p[k - 1].isspace():
        k -= 1
    w = p.rfind(" ", lo, k) + 1
    if w > lo and p[w:k] in _APPOS_AUX:  # "…, Viktor Yushchenko, has said": the comma is before "has"
        k = w
        while k > lo and p[k - 1].isspace():
            k -= 1
    m, at = None, lo
    if k > lo and p[k - 1] == ",":
        # "role, Name,": neither the role nor the name holds a comma, so a match lies
        # between the comma before the one that opens the name and the end. Searching
        # only there tries far fewer starts (each backtracks over the whole role).
        opens = p.rfind(",", lo, k - 1)
        if opens >= 0:  # no comma opens a name: no match
            at = max(lo, p.rfind(",", lo, opens) + 1)  # after a comma, as at `lo`, \b sees a word start
            m = _APPOS_BEFORE_RE.search(p[at:k])
    if m and _valid_name(m.group(1).split()):
        return at + m.start(1), ve, m.group(1)
    if subject_only:
        return None
    m = _APPOS_AFTER_RE.match(p, ve)
    if m and _valid_name(m.group(1).split()):
        name = m.group(1)
        ends = next((t.end() for t in re.finditer(r"\S+", name) if _word(t.group()).ends), len(name))
        name = name[:ends]  # "Sir Howard Newby. Increasingly": the name ends with its sentence
        if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
            name = name[:-1]  # the sentence's full stop, not an initial
        return vs, m.start(1) + len(name), name
    return None
