"""Fixes for Whoosh behaviour searchkit depends on, each applied where searchkit uses it.

Plain functions, no monkey-patching: a caller asks for the corrected object.

- `exact_exclusions(q)`: Whoosh's `AndNotMatcher` keeps a segment's first match when
  the excluded part's first document lies before it (it compares the two parts'
  current documents only when it starts), so `a NOT b` can return one paragraph per
  segment that holds b. The returned query matches each AndNot with a matcher that
  checks the first match too. Proved by `tests/test_searcher.py::
  test_whoosh_path_excludes_the_first_match_too` (and, against set algebra, by
  `tests/test_fastsearch.py::test_boolean_pages_and_totals_are_the_same`).
"""

from __future__ import annotations

from typing import Any

from whoosh.matching.binary import AndNotMatcher
from whoosh.matching.mcore import Matcher
from whoosh.query.compound import AndNot
from whoosh.query.qcore import Query


class _AndNotMatcher(AndNotMatcher):
    """Whoosh's AndNotMatcher, but the first match is checked against the excluded part too."""

    def __init__(self, a: Matcher, b: Matcher) -> None:
        AndNotMatcher.__init__(self, a, b)

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            whoosh_matcher: Any = self  # whoosh3 leaves AndNotMatcher's helpers unannotated
            whoosh_matcher._find_next()  # skips the excluded part up to the match, then compares


#: The fix leans on AndNotMatcher's own skip-and-compare step; without it Whoosh's matcher is used as is.
_FIXES_AND_NOT = hasattr(AndNotMatcher, "_find_next") and hasattr(AndNotMatcher, "_find_first")


class _AndNot(AndNot):
    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _AndNotMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


def exact_exclusions(q: Query) -> Query:
    """`q` with each AndNot matched by a matcher that excludes the first match too (see above)."""
    if q.is_leaf() or not _FIXES_AND_NOT:
        return q
    q = q.apply(exact_exclusions)
    return _AndNot(q.a, q.b) if type(q) is AndNot else q
