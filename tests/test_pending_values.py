"""A non-text field's values kept as they come and made postings in bulk (`PendingValues`)
give exactly the postings `FieldPostings.add` gives one document at a time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pytest
from whoosh import fields as wf

from searchkit.codec.fieldpostings import FieldIndexer, FieldPostings, PendingValues


def _one_by_one(field: Any, values: list[Any]) -> Any:
    indexer, table = FieldIndexer(field), FieldPostings()
    counts = []
    for docnum, value in enumerate(values):
        if value is not None:
            posts = indexer.postings(value)
            table.add(docnum, posts)
            counts.append(len(posts.terms))
    return table.grouped(float(field.format.field_boost)), counts


def _pending(field: Any, values: list[Any]) -> Any:
    table = FieldPostings()
    pending = PendingValues(FieldIndexer(field), table)
    counts = [pending.add(docnum, value) for docnum, value in enumerate(values) if value is not None]
    pending.drain()
    return table.grouped(float(field.format.field_boost)), counts


def _same(a: Any, b: Any) -> None:
    assert a.terms == b.terms
    assert a.all_values == b.all_values
    for name in ("starts", "docs", "weights"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert [a.values[v] for v in a.value_ids.tolist()] == [b.values[v] for v in b.value_ids.tolist()]


DAY = datetime(2005, 3, 1, 12, 30)

CASES = {
    "plain id": (wf.ID(), ["a", "b", "a", None, "é", "b"]),
    "id given a list": (wf.ID(), ["a", "b", ["c", "d"], "a"]),  # not a string: the rest goes straight in
    "numeric, several terms each": (wf.NUMERIC(int), [1, 2, 2, None, 3, 1, 70000]),
    "numeric, one term each": (wf.NUMERIC(int, shift_step=32), [5, 5, 6, 7, 5]),
    "dates": (wf.DATETIME(), [DAY, DAY, None, datetime(2006, 1, 1), DAY]),
    "keywords with repeats (weights)": (wf.KEYWORD(commas=True), ["a, b, a", "b", "a, b, a", "c", "", "b, b"]),
    "keywords, unhashable": (wf.KEYWORD(commas=True), ["a, b", "b", ["a", "a"], "c", "a, b"]),
    "int and bool and float": (wf.NUMERIC(float), [1, 1.0, True, 2.5, 1]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_pending_values_give_the_postings_of_one_by_one(case: str) -> None:
    field, values = CASES[case]
    expected, counts = _one_by_one(field, values)
    got, got_counts = _pending(field, values)
    _same(expected, got)
    assert got_counts == counts  # the memory budget counts the same postings


def test_a_bad_value_fails_when_it_is_added() -> None:
    pending = PendingValues(FieldIndexer(wf.NUMERIC(int)), FieldPostings())
    pending.add(0, 1)
    with pytest.raises(ValueError):
        pending.add(1, "not a number")


@pytest.mark.parametrize("field", [wf.NUMERIC(int), wf.DATETIME()])
def test_a_number_field_given_a_string_is_not_taken_for_a_plain_id(field: Any) -> None:
    # NUMERIC and DATETIME share an ID's analyzer and format, but index a string their own way.
    value = "5" if isinstance(field, wf.NUMERIC) and not isinstance(field, wf.DATETIME) else "2005-03-01"
    assert FieldIndexer(field).postings(value).terms == [t for t, _, _, _ in field.index(value)]
