"""Search: query text -> ranked results.

Reading the query, BM25F ranking, the bulk scorer, collapsing paragraphs to articles,
typo retry, snippets and score explanations. Posting lists and field lengths are read
through `searchkit.codec`.
"""
