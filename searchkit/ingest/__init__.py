"""Ingest: files -> articles.

Finding the files under the indexed roots, decoding them, parsing each format into
`Article`s, cleaning their text, dropping boilerplate, and finding the quotations in
their paragraphs. Nothing in this stage knows about Whoosh.
"""
