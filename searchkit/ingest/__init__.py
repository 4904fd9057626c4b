"""Ingest: files -> articles.

Finding the files under the indexed roots, decoding them, parsing each format into
`Article`s, cleaning their text, dropping boilerplate, and finding the quotations in
their paragraphs. Nothing in this stage knows about Whoosh.

    articles     read_corpus: the stage end to end, and the names the indexer imports
    values       Article, CorpusWarning (a leaf: every module below may use them)
    sources      which files under the paths are articles (SourceFile, find_sources)
    identity     one key per file and one id per article, whatever the roots hold
    parsing      one file's bytes -> articles: decoding, then the parser for its suffix
    decoding     bytes -> text (UTF-8, UTF-16, cp1252 fallback), binary detection
    formats/     one parser per format: txt, markdown, jsonl (whole or streamed), html
    pieces       big text and Markdown files read in pieces, as parts of one article
    cleaning     raw lines -> clean paragraphs, site furniture dropped
    boilerplate  the one rule for short closing lines repeated across articles
    quotes       quotations and their speakers in a paragraph (`Quote`, `extract_quotes`);
                 the work is in `extraction` and the modules its docstring names
    memo         the extractor's bounded per-word caches
    native       the extractor compiled with mypyc, or its sources (`choose`)
"""

from searchkit.ingest import native

# Before any extractor module is imported: the compiled copies, or the sources if
# they are missing, out of date or SEARCHKIT_PURE_PYTHON is set.
native.choose()
