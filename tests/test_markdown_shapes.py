"""Markdown that is not prose stays readable (issue 18, item 11): lists, tables, footnotes, code."""

from __future__ import annotations

from datetime import datetime

from searchkit.ingest.formats.markdown import parse_markdown

TEXT = """---
title: The front matter title
date: 2024-02-01T10:00:00+02:00
---

# The heading title

Repairs begin[^1] on Monday.

- the north pontoon
  and its fuel berth
- the slipway
1. first step
2. second step

| Berth | Boats |
|:------|------:|
| North | 12 |
| South | 7 |

```python
print("not prose")
```

~~~
more code
~~~

[^1]: Weather permitting.
"""


def test_lists_tables_footnotes_and_code() -> None:
    (art,), warnings = parse_markdown("harbour.md", TEXT)
    assert warnings == []
    assert art.paragraphs == (
        "Repairs begin on Monday.",
        "the north pontoon and its fuel berth",
        "the slipway",
        "first step",
        "second step",
        "Berth; Boats",
        "North; 12",
        "South; 7",
        "Weather permitting.",
    )


def test_the_heading_wins_over_front_matter_and_dates_become_utc() -> None:
    (art,), _ = parse_markdown("harbour.md", TEXT)
    assert art.headline == "The heading title"
    assert art.date == datetime(2024, 2, 1, 8, 0)  # +02:00 converted to UTC, stored without a zone
    (untitled,), _ = parse_markdown("x.md", TEXT.replace("# The heading title\n", ""))
    assert untitled.headline == "The front matter title"
