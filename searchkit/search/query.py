"""Query text -> a Whoosh query over headline, body and quotes.

Two kinds of input. Free text (words only, as people type into a search box)
is analysed like the documents and becomes an OR of its terms, each term one
BM25F field across headline, body and quotes. Text with syntax (`"phrases"`,
AND/OR/NOT, parentheses, `field:word`, `word*`, `word~`) goes through Whoosh's
parser, and its plain multi-field words are turned into the same BM25F terms,
so the two kinds rank alike.

Every failure (empty, too long, unknown field) is a `QueryError` whose message
says what to type instead.
"""

from __future__ import annotations

import re
from collections import Counter

from whoosh.fields import Schema
from whoosh.qparser.default import MultifieldParser
from whoosh.qparser.plugins import FieldAliasPlugin, FuzzyTermPlugin, PlusMinusPlugin
from whoosh.qparser.syntax import OrGroup
from whoosh.query.compound import And, AndMaybe, AndNot, Or, Require
from whoosh.query.positional import Phrase
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import Term
from whoosh.query.wrappers import Not

from searchkit import analysis
from searchkit.errors import QueryError
from searchkit.indexing.schema import DEFAULT_FIELDS, QUERY_FIELDS
from searchkit.search.bm25f import CombinedTerm, FreeText
from searchkit.search.ranking import Ranking

MAX_QUERY_CHARS = 10_000
MAX_TERMS = 1_000

_FIELD_REF = re.compile(r"(?<![\w.])([A-Za-z_]\w*):(?=[^\s/])")
# A "?" is a one-letter wildcard only inside a word ("wom?n"); after a word it
# ends a question. Parentheses group nothing without an operator: under OR they
# are no-ops, so "(e.g. ...)" in typed text is not syntax either.
_SYNTAX = re.compile(r'["*~^]|\?(?=\w)|(?:^|\s)[-+]\w|' + _FIELD_REF.pattern)
_OPERATOR = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
_QUESTION_MARK = re.compile(r"\?(?!\w)")
_PLUS = r"(?<![^\s(])\+(?=[\w\"(])"
_MINUS = r"(?<![^\s(])-(?=[\w\"(])"


def _all_capitals(text: str) -> bool:
    """Typed in capitals throughout (caps lock, catalogue style): AND/OR/NOT are then words."""
    return not any(c.islower() for c in text)


def is_free_text(text: str) -> bool:
    """True when the query holds no query syntax: words, punctuation, a closing "?".

    AND, OR and NOT are operators only in a query that is not all capitals.
    """
    if _SYNTAX.search(text):
        return False
    return _all_capitals(text) or _OPERATOR.search(text) is None


def terms_of(text: str) -> list[str]:
    """The index terms (stems) free text searches, in order, without repeats (see `analysis.query_terms`)."""
    return list(dict.fromkeys(analysis.query_terms(text)))


def _check(text: str) -> str:
    text = text.strip()
    if not text:
        raise QueryError("the query is empty; give some words to search for")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}, shorten it")
    for name in _FIELD_REF.findall(_outside_quotes(text)):
        if name.lower() not in QUERY_FIELDS:
            known = ", ".join(f"{f}:" for f in ("headline", "body", "quote", "speaker", "source"))
            raise QueryError(f"unknown field {name}:; the fields are {known}")
    return text


def _outside_quotes(text: str) -> str:
    return re.sub(r'"[^"]*"', " ", text)


def combined(stem: str, ranking: Ranking, boost: float = 1.0) -> Query:
    """One term across the default fields, scored as the ranking model says."""
    boosts = ranking.boosts
    if ranking.model == "bm25f":
        b = {"headline": ranking.headline_b}
        fields_ = [(f, boosts[f], b.get(f, ranking.b)) for f in DEFAULT_FIELDS]
        return CombinedTerm(stem, fields_, ranking.k1, boost=boost)
    return Or([Term(f, stem, boost=boosts[f] * boost) for f in DEFAULT_FIELDS])


def free_text(stems: list[str], ranking: Ranking) -> Query:
    """The query for free-text words, given as their stems in query order, repeats kept.

    Each distinct stem is one term; a repeated one weighs `repeats ** query_tf`.
    """
    counts = Counter(stems)
    if not counts:
        return NullQuery
    parts = [combined(s, ranking, boost=float(n) ** ranking.query_tf) for s, n in counts.items()]
    if ranking.coordination:
        return FreeText(parts, coordination=ranking.coordination)
    return parts[0] if len(parts) == 1 else Or(parts)


def parse(text: str, schema: Schema, ranking: Ranking) -> Query:
    """The Whoosh query for `text` (raises QueryError)."""
    text = _check(text)
    if is_free_text(text):
        stems = analysis.query_terms(text)
        distinct = len(set(stems))
        if distinct > MAX_TERMS:
            raise QueryError(f"the query has {distinct:,} distinct words; the limit is {MAX_TERMS:,}")
        return free_text(stems, ranking)
    parser = MultifieldParser(list(DEFAULT_FIELDS), schema, fieldboosts=ranking.boosts, group=OrGroup)
    parser.add_plugin(FuzzyTermPlugin())
    # +word is required, -word excluded; only at the start of a word, so e-mail stays a word.
    parser.add_plugin(PlusMinusPlugin(plusexpr=_PLUS, minusexpr=_MINUS))
    parser.add_plugin(
        FieldAliasPlugin(
            {
                real: [a for a, r in QUERY_FIELDS.items() if r == real and a != real]
                for real in set(QUERY_FIELDS.values())
            }
        )
    )
    # What is_free_text read as words stays words for the parser.
    text = _QUESTION_MARK.sub(" ", text)
    if _all_capitals(text):
        text = _OPERATOR.sub(lambda m: m.group().lower(), text)
    try:
        q = parser.parse(_lower_fields(text))
    except Exception as exc:  # Whoosh's parser raises assorted errors on odd input
        raise QueryError(f"cannot parse the query ({exc}); check its quotes and parentheses") from exc
    q = _skip_stop_words(q, text)
    if sum(1 for _ in q.iter_all_terms()) > MAX_TERMS * len(DEFAULT_FIELDS):
        raise QueryError(f"the query has too many words; the limit is {MAX_TERMS:,}")
    q = _exclusions(q)
    if not _EXPLICIT_OR.search(_outside_quotes(text)):
        q = _field_filters(q, _typed_fields(text))
    return _repeated_words(_to_bm25f(q, ranking), text, ranking)


#: Fields whose clauses, beside other words, filter instead of adding one more optional word.
FILTER_FIELDS = frozenset({"speakers", "source", "headline"})
_EXPLICIT_OR = re.compile(r"\bOR\b")


def _skip_stop_words(q: Query, text: str) -> Query:
    """The parsed query without its stop-word and one-letter words, unless they are all it has.

    The index keeps those words (`analysis.index_analyzer`), so the parser makes
    terms of them; a query with other words skips them, as free text does
    (`analysis.query_terms`), leaving the query it was before they were indexed.
    Phrases keep every word: the index holds their positions. A word is skipped
    only when no other word of the query has the same stem (`does` -> `doe`).
    A required one (`+1 nucleosomes`) stays required, as a filter that does not
    score: skipping it would leave a requirement of nothing, which matches nothing.
    """
    content = set(analysis.terms(text))
    stops = set(analysis.index_terms(text)) - content
    if not stops or not content:
        return q

    def is_stop(node: Query) -> bool:
        return type(node) is Term and node.fieldname in DEFAULT_FIELDS and node.text in stops

    if all(is_stop(leaf) for leaf in q.leaves()):
        return q

    def skip(node: Query) -> Query:
        if is_stop(node):
            return NullQuery
        if type(node) is AndMaybe and all(is_stop(leaf) for leaf in node.a.leaves()):
            rest = skip(node.b).normalize()
            return node if rest is NullQuery else Require(rest, node.a)
        return node if node.is_leaf() else node.apply(skip)

    return skip(q).normalize()


def _spread(subs: list[Query], i: int) -> int:
    """How many of `subs[i:]` are one typed word or phrase the parser spread over the default fields (0: none).

    A word is `headline:w, body:w, quotes:w` in a row. A word the analyzer splits
    in parts (`zero-one`, `613-641`) is each field's parts in turn:
    `headline:zero, headline:one, body:zero, body:one, quotes:zero, quotes:one`.
    """
    n = len(DEFAULT_FIELDS)
    for k in range(1, (len(subs) - i) // n + 1):
        blocks = [subs[i + j * k : i + (j + 1) * k] for j in range(n)]
        if all(
            getattr(x, "fieldname", None) == f and (x.is_leaf() or isinstance(x, Phrase))
            for f, block in zip(DEFAULT_FIELDS, blocks)
            for x in block
        ):
            said = {tuple(_said(x) for x in block) for block in blocks}
            return n * k if len(said) == 1 else 0
    return 0


def _said(x: Query) -> str:
    return str(getattr(x, "text", "")) + "\0" + " ".join(getattr(x, "words", ()))


def _field_filters(q: Query, typed: frozenset[str]) -> Query:
    """`speaker:`, `source:` and `headline:` clauses mixed with other words are required, not optional.

    `speaker:blair iraq` means Iraq paragraphs quoting Blair, as in every search box
    with field filters: the clauses must match and the other words rank (Whoosh's
    `Require` scores by its first part only). `-word` / NOT still exclude (the
    AndNot around the Or is kept). A typed `OR` keeps every clause optional. Only
    the fields the user typed (`typed`, real field names) filter: the parser's
    own spread of a plain word over the default fields is never a filter.
    """
    if type(q) is AndNot:
        return AndNot(_field_filters(q.a, typed), q.b)
    if type(q) is not Or or q.scale or q.minmatch:
        return q
    subs, filters, rest = list(q.subqueries), [], []  # type: list[Query], list[Query], list[Query]
    i = 0
    while i < len(subs):
        size = _spread(subs, i)
        if size:  # a plain word or phrase, over the default fields
            rest += subs[i : i + size]
            i += size
            continue
        sub = subs[i]
        field = getattr(sub, "fieldname", None) if sub.is_leaf() or isinstance(sub, Phrase) else None
        (filters if field in FILTER_FIELDS and field in typed else rest).append(sub)
        i += 1
    if not filters or not rest:
        return q
    required = filters[0] if len(filters) == 1 else And(filters)
    return Require(rest[0] if len(rest) == 1 else Or(rest, boost=q.boost), required)


def _typed_fields(text: str) -> frozenset[str]:
    """The real names of the fields the query names outside its quotes (`speaker:"tony blair"` -> speakers)."""
    phrases_as_words = re.sub(r'"[^"]*"', "phrase", text)  # a field's quoted phrase still follows its colon
    return frozenset(QUERY_FIELDS[name.lower()] for name in _FIELD_REF.findall(phrases_as_words))


def _exclusions(q: Query) -> Query:
    """`a NOT b` excludes b, as in every search box: an Or's Not parts become an AndNot.

    Whoosh's parser leaves `a NOT b` as `a OR (NOT b)`, which matches nearly
    every paragraph. A query of Nots alone (`NOT said`) keeps its meaning:
    every paragraph but those.
    """
    if q.is_leaf():
        return q
    q = q.apply(_exclusions)
    if type(q) is not Or:
        return q
    keep = [s for s in q.subqueries if not isinstance(s, Not)]
    drop = [s.query for s in q.subqueries if isinstance(s, Not)]
    if not drop:
        return q
    if not keep:  # NOT a NOT b: neither
        return q if len(drop) == 1 else Not(Or(drop))
    positive = (
        keep[0] if len(keep) == 1 and q.boost == 1.0 else Or(keep, boost=q.boost, minmatch=q.minmatch, scale=q.scale)
    )
    return AndNot(positive, drop[0] if len(drop) == 1 else Or(drop))


def _lower_fields(text: str) -> str:
    return _FIELD_REF.sub(lambda m: m.group(1).lower() + ":", text)


def _to_bm25f(q: Query, ranking: Ranking) -> Query:
    """Replace each parser-made "word in every default field" Or with one combined term.

    The parser makes a word `Or([headline:w, body:w, quotes:w])`, but folds those
    three terms into an enclosing Or (`film OR music`), so a word is also three
    consecutive terms inside a bigger Or. Every such word is scored as free text
    scores it, also beside phrases or prefixes (`"a b" word`), so adding a phrase
    to a query does not change how its other words count. (Those words once kept
    Whoosh's per-field scoring, which measured better only while the parser's
    split words were taken for headline filters; benchmarks/README.md.)
    """
    if ranking.model != "bm25f":
        return q
    if type(q) is Or:
        subs = [_to_bm25f(sub, ranking) for sub in q.subqueries]
        out: list[Query] = []
        i = 0
        while i < len(subs):
            size = _spread(subs, i)
            words = _spread_words(subs[i : i + size], ranking) if size else None
            if words is None:
                out.append(subs[i])
                i += 1
            else:
                out += [combined(w, ranking, boost=boost) for w, boost in words]
                i += size
        if len(out) == 1 and q.boost == 1.0:
            return out[0]
        return Or(out, boost=q.boost, minmatch=q.minmatch, scale=q.scale)
    if q.is_leaf():
        return q
    return q.apply(lambda sub: _to_bm25f(sub, ranking))


_FIELD_CLAUSE = re.compile(_FIELD_REF.pattern + r'(?:"[^"]*"|\([^)]*\)|\S+)')


def _repeated_words(q: Query, text: str, ranking: Ranking) -> Query:
    """A word typed more than once beside syntax weighs `repeats ** query_tf`, as in free text.

    The parser keeps one clause per distinct word (Whoosh drops repeated
    subqueries), so without this a phrase or a `-word` in a query made every
    repeat of its other words count once. The words counted are the query's own
    free words: outside quoted phrases and `field:` clauses. Only the words of
    the query's top level are weighed (the Or of its words, inside a `-word`
    exclusion or a field filter); a word the user already typed twice with
    different boosts (`a^2 a`, two clauses) keeps them.
    """
    if ranking.model != "bm25f" or not ranking.query_tf:
        return q
    counts = Counter(analysis.terms(_outside_quotes(_FIELD_CLAUSE.sub(" ", text))))
    if max(counts.values(), default=1) < 2:
        return q
    return _weigh_top(q, counts, ranking)


def _weigh_top(q: Query, counts: Counter[str], ranking: Ranking) -> Query:
    """`q` with its top-level words weighed by their `counts` (see `_repeated_words`)."""
    if isinstance(q, (AndNot, Require)) and type(q) in (AndNot, Require):
        return type(q)(_weigh_top(q.a, counts, ranking), q.b)
    if type(q) is CombinedTerm and isinstance(q, CombinedTerm):
        return _weighed(q, counts[q.text], ranking)
    if type(q) is not Or:
        return q
    typed = Counter(s.text for s in q.subqueries if type(s) is CombinedTerm and isinstance(s, CombinedTerm))
    subs = [
        _weighed(s, counts[s.text], ranking) if isinstance(s, CombinedTerm) and typed[s.text] == 1 else s
        for s in q.subqueries
    ]
    return Or(subs, boost=q.boost, minmatch=q.minmatch, scale=q.scale)


def _weighed(term: CombinedTerm, repeats: int, ranking: Ranking) -> CombinedTerm:
    """The word `term` typed `repeats` times: its boost times `repeats ** query_tf`."""
    if repeats < 2 or type(term) is not CombinedTerm:
        return term
    return CombinedTerm(term.text, term.fields, term.k1, boost=term.boost * float(repeats) ** ranking.query_tf)


def _spread_words(subs: list[Query], ranking: Ranking) -> list[tuple[str, float]] | None:
    """(word, boost) for each part of a word the parser spread over the default fields (`word^2`: 2).

    `subs` is one `_spread` group; None if it is not made of plain terms with one boost factor.
    """
    terms = [s for s in subs if isinstance(s, Term) and type(s) is Term]
    if len(terms) != len(subs) or not terms:
        return None
    boosts = ranking.boosts
    factors = {s.boost / boosts[s.fieldname] if boosts[s.fieldname] else None for s in terms}
    if len(factors) != 1 or None in factors:
        return None
    factor = factors.pop()
    assert factor is not None
    k = len(terms) // len(DEFAULT_FIELDS)
    return [(str(t.text), float(round(factor, 9))) for t in terms[:k]]
