"""Speech cues: the reporting and attitude words that make a fragment someone's words.

``called the plan "a disgrace"``, ``attacked the "reckless" cuts``, ``his
allegation that … "cheated"``: a quoted fragment whose sentence holds one of
these words before it is a quotation, not a title or a scare quote. `_CUE_RE`
is the words as a pattern; `_cued` asks whether a text holds one, which the
speech test does for every fragment, so it has patterns of its own made for
that question.
"""

from __future__ import annotations

import re
from typing import Final

_CUE_WORDS: Final = (
    r"s(?:ay|ays|aid|aying)|t(?:ell|ells|old|elling)|add(?:s|ed|ing)|accord(?:ing)|"
    r"claim|insist|warn|argu|call(?:s|ed|ing)\b|describ|brand(?:s|ed|ing)\b|dub(?:s|bed|bing)\b|label|term(?:s|ed)\b|"
    r"critici|condemn|attack|accus|alleg|complain|admit|admission|den(?:y|ied|ies|ial)|prais|laud|hail|thank|"
    r"quip|promis|pledg|vow|urg|found|finding|suggest|predict|announc|confirm|reveal|explain|"
    r"reckon|challeng|dismiss|blam|slam|lambast|reject|welcom|not(?:e|ed|es|ing)\b|"
    r"describ|inform|remark|comment|respon|statement|words|view|verdict|report|rul(?:e|ed|ing)\b|"
    r"express|point(?:s|ed)? out|stress|emphasi|boast|joke|conced|ask|repl|wrote|writ|tweet|post|"
    r"cautio|assert|maintain|declar|recall|agree|hail|tout|decr[iy]|mock|"
    r"ridicul|scorn|brand|insult|labell?|lament|regret|apologi|defend|demand|call for"
)
_CUE_RE: Final = re.compile(rf"\b(?:{_CUE_WORDS})\w*", re.I)


def _alternatives(alternation: str) -> list[str]:
    """The top-level alternatives of an alternation: its bars outside parentheses (it holds no escaped ones)."""
    out, depth, start = [], 0, 0
    for k, c in enumerate(alternation):
        depth += (c == "(") - (c == ")")
        if c == "|" and not depth:
            out.append(alternation[start:k])
            start = k + 1
    return [*out, alternation[start:]]


def by_initial(alternatives: list[str]) -> str:
    """`say|sell|tell` as `s(?:ay|ell)|t(?:ell)`: re then drops most words at their first letter.

    The alternatives are patterns that open with a plain letter (escape words with `re.escape`).
    """
    groups: dict[str, list[str]] = {}
    for a in alternatives:
        groups.setdefault(a[0], []).append(a[1:])
    return "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in groups.items())


# `_cued` only asks whether a cue word is there, so the words may be tried in any order:
# grouped by first letter, and with the non-word character in front matched instead of
# \b, so that re skips to the next such character (see attribution's `_VERB_RE`) and tries few words.
# A cue at the very start of the text is matched on its own.
_CUE_GROUPED: Final = by_initial(_alternatives(_CUE_WORDS))
_CUE_AFTER_RE: Final = re.compile(rf"\W(?:{_CUE_GROUPED})", re.I)
_CUE_AT_START_RE: Final = re.compile(_CUE_GROUPED, re.I)
# The same for text already in lower case (ASCII: its non-word characters are a small set).
_CUE_LOWER_AFTER_RE: Final = re.compile(rf"[\x00-/:-@\[-^`{{-\x7f](?:{_CUE_GROUPED})")
_CUE_LOWER_AT_START_RE: Final = re.compile(_CUE_GROUPED)


def _cued(lead: str) -> bool:
    """Does `lead` hold a reporting or attitude word (`_CUE_RE`)?"""
    # Lower-cased ASCII is searched without re.IGNORECASE, so re rejects most words at their
    # first letter; the same words match (an ASCII letter folds only to its other case).
    if lead.isascii():
        low = lead.lower()
        return bool(_CUE_LOWER_AT_START_RE.match(low) or _CUE_LOWER_AFTER_RE.search(low))
    return bool(_CUE_AT_START_RE.match(lead) or _CUE_AFTER_RE.search(lead))
