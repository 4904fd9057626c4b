"""Search: query text -> ranked results.

`searcher.run` is the entry: `query` reads the text (free text or syntax) into BM25F
terms (`bm25f`, weighed by `ranking.Ranking`); `bulk` scores free text and AND / OR /
NOT queries over whole posting blocks (`wordscores`, `phrases`, `algebra`, `segments`,
`bulkresult`), Whoosh's matchers everything else; `collapse` keeps one hit per article
and folds wire copies; `typos` retries mistyped words; `snippets` and `explain` describe
each hit; `damage` turns a damaged index met while reading into IndexCorruptError.
Posting lists and field lengths are read through `searchkit.codec`.
"""
