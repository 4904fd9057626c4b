"""Who speaks for an organisation: a person named after it, and its name in full.

* ``said Acme's Jo Bell`` and ``said Acme spokeswoman, Jo Bell``: the person
  named after the organisation's possessive or after its role words (the
  organisation alone would be a fragment of it, or the wrong speaker);
* ``a Department for Farming and Fisheries spokesman``: the organisation's
  whole name, across the small words inside it (``of``, ``for``, ``and``,
  ``the``), not just the capitalised words before the role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from searchkit.ingest.names import _collect, _join, _key_tokens, _person_like, _toks_after, _word

# Small words that join the capitalised words of one organisation's name.
_CONNECTORS: Final = frozenset({"of", "for", "and", "the", "&", "on"})
# Lower-case role words after an organisation, then a comma or not, then a capital.
_ROLE_WORDS_RE: Final = re.compile(r"((?:\s+[a-z][\w-]*){0,4})(,?)\s+(?=[A-Z])")
# The role word that says a person follows: their job for the organisation.
_SPEAKS_FOR: Final = frozenset(
    "spokesman spokeswoman spokesperson representative analyst economist director chairman chief executive "
    "editor manager boss president founder head secretary officer lawyer agent singer guitarist drummer "
    "star player coach captain producer partner researcher engineer scientist minister leader adviser official "
    "chancellor".split()
)
_POSSESSIVE: Final = ("'s", "’s")


def person_after(p: str, pos: int) -> tuple[int, str] | None:
    """The person named at `pos`, right after an organisation: (end, name), or None.

    `pos` is just past the organisation's possessive ("Acme's| Jo Bell") or its
    last word ("Acme| spokeswoman, Jo Bell"). After a possessive role words may
    come first ("Acme's lead singer, Jo Bell"); otherwise a role word that says
    the person works for it must come right before the name.
    """
    m = _ROLE_WORDS_RE.match(p, pos)
    if m is None:
        return None
    roles = m.group(1).split()
    possessive = p[max(0, pos - 2) : pos] in _POSSESSIVE
    if not possessive and (not roles or roles[-1] not in _SPEAKS_FOR):
        return None
    if any(r in ("and", "or", "but", "who", "which", "that", "as", "to", "in", "on", "at") for r in roles):
        return None
    toks = _toks_after(p, m.end() - 1)
    run = _collect(toks.words, backward=False)
    if not run or run[0] != 0:
        return None
    last = toks.words[run[-1]]
    return toks.start(run[-1]) + len(last), _join([toks.words[k] for k in run])


def org_run(words: Sequence[str], end: int) -> list[int]:
    """The indices of the organisation's name ending at words[end - 1], across its small words."""
    run = _collect(words[:end], backward=True)
    while run and run[0] >= 2:
        k = run[0] - 1
        while k >= 1 and words[k].lower() in _CONNECTORS and not _word(words[k - 1]).name:
            k -= 1  # "for the"
        if words[k].lower() not in _CONNECTORS or k < 1:
            break
        head = _collect(words[:k], backward=True)
        if not head:
            break
        run = head + list(range(k, run[0])) + run
    return run


_POSSESSIVE_RE: Final = re.compile(r"\s+[A-Z][\w.&-]*['’]s(?!\w)")


def _possessive_end(p: str, pos: int) -> int:
    """Past an organisation's possessive word right after `pos` ("Velvet| Engine's"), else `pos`."""
    m = _POSSESSIVE_RE.match(p, pos)
    return m.end() if m else pos


def _of_org(words: list[str], run: list[int]) -> str | None:
    """ "Lin Zhao of Acme Telecom": the person before "of"; an organisation "of" a place whole."""
    k = run[0] - 1
    if k < 1 or words[k] not in ("of", "at", "from"):
        return None
    first = _collect(words[:k], backward=True)
    if not first:
        return None
    head = _join([words[x] for x in first])
    tail = _join([words[x] for x in run])
    if _person_like(_key_tokens(head)):
        return head
    return f"{head} of {tail}" if words[k] == "of" else None
