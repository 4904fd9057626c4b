"""Snippets: sentence-bounded fragments, spans on surface words, phrases, crops, fallbacks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.analysis import TOKEN_PATTERN, stem
from searchkit.search import snippets
from searchkit.search.snippets import make_snippets, match_spans, sentences

PARA = (
    "Twitter has launched an all-out war against accounts that promote violence. "
    "Mr. Smith said the company closed 125,000 accounts since mid-2015. "
    "Sympathisers keep coming back, within three minutes of a ban. "
    "The company declined to comment further on the matter."
)


def terms(*words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


def test_short_paragraph_is_whole() -> None:
    (snip,) = make_snippets("Rain stopped play.", terms("rain"))
    assert snip.text == "Rain stopped play." and snip.highlights == ((0, 4),)
    assert not snip.cut_before and not snip.cut_after


def test_best_sentence_window_is_chosen() -> None:
    (snip,) = make_snippets(PARA, terms("three", "minutes"), width=80)
    assert snip.text == "Sympathisers keep coming back, within three minutes of a ban."
    assert [snip.text[s:e] for s, e in snip.highlights] == ["three minutes"]
    assert snip.cut_before and snip.cut_after
    assert PARA[snip.start : snip.end] == snip.text


def test_abbreviation_does_not_end_a_sentence() -> None:
    starts = [PARA[s:e][:9] for s, e in sentences(PARA)]
    assert "Mr. Smith" in starts


def test_surface_words_highlighted_for_stems() -> None:
    spans = match_spans("Accounts were closed; an account remains.", terms("account"))
    assert len(spans) == 2


def test_several_fragments_in_paragraph_order() -> None:
    frags = make_snippets(PARA, terms("twitter", "comment"), width=80, fragments=2)
    assert len(frags) == 2
    assert frags[0].start < frags[1].start
    assert frags[0].text.startswith("Twitter") and "comment" in frags[1].text


def test_no_match_falls_back_to_the_opening() -> None:
    (snip,) = make_snippets(PARA, frozenset(), width=100)
    assert snip.start == 0 and snip.highlights == ()


def test_long_sentence_is_cropped_at_word_boundaries() -> None:
    words = " ".join(f"word{i}" for i in range(200)) + " target " + " ".join(f"w{i}" for i in range(200))
    (snip,) = make_snippets(words, terms("target"), width=100)
    assert len(snip.text) <= 100
    assert "target" in snip.text
    assert words[snip.start - 1] == " " and (snip.end == len(words) or words[snip.end] == " ")


def test_marked_and_html() -> None:
    (snip,) = make_snippets('Fish & <chips> "rule"', terms("chips"))
    assert snip.marked("[", "]") == 'Fish & <[chips]> "rule"'
    assert snip.to_html() == "Fish &amp; &lt;<mark>chips</mark>&gt; &quot;rule&quot;"


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=600),
    st.lists(st.text(min_size=1, max_size=8), max_size=4),
    st.integers(20, 400),
    st.integers(1, 3),
)
def test_spans_always_inside_the_fragment(text: str, words: list[str], width: int, k: int) -> None:
    for snip in make_snippets(text, terms(*words), width=width, fragments=k):
        assert text[snip.start : snip.end] == snip.text
        for s, e in snip.highlights:
            assert 0 <= s < e <= len(snip.text)


def test_phrase_spans_cross_stop_words_only_for_phrases() -> None:
    text = "If the account is deleted or hacked, I will be back."
    t = terms("account", "deleted")
    assert match_spans(text, t, phrase=True) == [(7, 25)]
    assert len(match_spans(text, t)) == 2


def test_cut_quote_keeps_its_attribution() -> None:
    quote = "We will not stop. The fight goes on in every town and every city until the work is done"
    text = f'"{quote}," said Jane Doe, the party leader, at a rally in the north of the country on Friday evening.'
    (snip,) = make_snippets(text, terms("stop"), width=40, quotes=[(quote, "Jane Doe")])
    assert "Jane Doe" not in snip.text and snip.attribution == "Jane Doe"
    (whole,) = make_snippets(text, terms("stop"), width=400, quotes=[(quote, "Jane Doe")])
    assert whole.attribution == ""


_TRICKY = "abAB9_1 .&/+-'’é£ıſK\nxX"


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=_TRICKY, max_size=40),
    st.frozensets(st.sampled_from(sorted(set(_TRICKY.lower()) - {" ", "\n"})), max_size=4),
)
def test_candidate_words_are_those_of_one_pattern(text: str, firsts: frozenset[str]) -> None:
    """One pattern per first letter, merged, finds what one pattern for all of them found (no per-query compile)."""
    one = [(m.start(), m.end(), m.group()) for m in snippets._candidates(firsts).finditer(text)]
    got = snippets._candidate_words(text, firsts)
    # The same tokens, but for the words the single pattern offered because their first letter upper-cases
    # to that of a wanted word (`ı` -> `I`): lower-casing and stemming keep the first letter, so they never match.
    ascii_firsts = {f for f in firsts if f.isascii()}
    assert got == [c for c in one if not c[2][0].isascii() or c[2][0].lower() in ascii_firsts]


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=_TRICKY, max_size=40),
    st.frozensets(st.sampled_from(sorted(set(_TRICKY.lower()) - {" ", "\n"})), max_size=4),
)
def test_candidate_words_are_the_analyzers_tokens(text: str, firsts: frozenset[str]) -> None:
    """The candidates are exactly the analyzer's tokens that open with a wanted letter (either case) or non-ASCII."""
    got = snippets._candidate_words(text, firsts)
    letters = {f.lower() for f in firsts if f.isascii()}
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN_PATTERN.finditer(text)]
    assert got == [t for t in tokens if not t[2][0].isascii() or t[2][0].lower() in letters]


def test_a_word_after_a_digit_and_slash_is_highlighted() -> None:
    """Only digits join across `/` ("24/7"): the word in "1/x" or "3/fold" is a word of its own, and marked."""
    assert match_spans("The ratio 3/fold, and 1/x.", terms("fold", "x")) == [(12, 16), (24, 25)]


_WORDS = (
    "dying lying tying dies lies ties skies sky news early only gently idly ugly cries cried crying "
    "accounts accounting account Accounted café Café résumé naïve AT&T at&t M&S 9/11 C++ a I x y "
    "the The THE they them whose who WHO being be been byes bye sayings saying says said"
).split()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4),
    st.booleans(),
)
def test_wanted_words_are_the_candidates_looked_up(words: list[str], asked: list[str], surface: bool) -> None:
    """Passing over candidates by their first two letters finds exactly what looking each one up finds."""
    text = " ".join(words) + "."
    wanted = frozenset(w.lower() if surface else stem(w.lower()) for w in asked)
    firsts = frozenset(t[0] for t in wanted)
    each = [c for c in snippets._candidate_words(text, firsts) if snippets._is(c[2], wanted)]
    assert snippets._wanted_words(text, wanted) == each
