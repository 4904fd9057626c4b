"""Formats: one module per article file format, each `parse_<format>(rel, text)`.

A parser takes a file's decoded text and its path relative to the indexed root,
and returns the articles in it plus warnings for what it skipped; it never
raises for bad input. `common` holds what they share (dates, ids, building the
`Article`); `searchkit.ingest.parsing` picks the parser by suffix.
"""
