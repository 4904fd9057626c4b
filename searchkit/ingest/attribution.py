"""Attributions: the reporting verbs of a paragraph, their subjects, and which quote each tags.

An attribution is a reporting verb outside quotes with its subject (``"…,"
says X`` / ``X said`` / ``according to X`` / ``As X tweets, "…"``): a name, a
pronoun, or nobody named ("the company said"). `speech_kind` tells a quotation
from a title or scare quote; `attribute` picks the attribution of one quote part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from searchkit.ingest.apposition import apposition
from searchkit.ingest.cues import _CUE_RE as _CUE_RE  # re-exported: the speaker rules ask for it here
from searchkit.ingest.cues import _cued, by_initial
from searchkit.ingest.names import (
    _collect,
    _initials,
    _join,
    _key_tokens,
    _quoted_name,
    _sentence_end,
    _Toks,
    _toks_after,
    _toks_before,
    _word,
)
from searchkit.ingest.outlets import ORG_NOUNS, OUTLET_NOUNS
from searchkit.ingest.quotemarks import _outside, _Span
from searchkit.ingest.refusals import _nationality
from searchkit.ingest.roles import _of_org, _possessive_end, org_run, person_after
from searchkit.ingest.sentences import start_before
from searchkit.ingest.words import _AUX, _DETERMINERS, _ROLES

# ---------------------------------------------------------------- attributions

_VERB_WORDS: Final = (
    "say says said tell tells told add adds added tweets tweeted write writes wrote "
    "posts posted explain explains explained warn warns warned argue argues argued claims "
    "claimed insist insists insisted notes noted states stated ask asks asked reply replies "
    "replied admit admits admitted confirm confirms confirmed reveal reveals revealed announce announces "
    "announced stress stresses stressed quip quips quipped joked concede concedes conceded suggest suggests "
    "suggested recalled acknowledged respond responds responded urged commented declared continued"
).split() + ["according to", "According to", "went on", "goes on"]


# The verbs as whole words, like \b(?:say|…)\b. A leading \b would make re attempt a
# match at every character; starting with the non-word character in front of the verb
# lets it skip ahead to the next one (no group: a capture costs at every attempt).
# In ASCII text that character is one of a small set, which re tests much faster than
# the Unicode class \W. A verb at the very start is matched on its own.
_VERB: Final = rf"(?:{by_initial([re.escape(w) for w in _VERB_WORDS])})\b"
_VERB_RE: Final = re.compile(rf"\W{_VERB}")
_VERB_ASCII_RE: Final = re.compile(rf"[\x00-/:-@\[-^`{{-\x7f]{_VERB}")  # ASCII but letters, digits, _
_VERB_AT_START_RE: Final = re.compile(_VERB)


def _verbs(p: str, spans: list[_Span]) -> list[tuple[int, int, str]]:
    """(start, end, verb) of every attribution verb in `p` outside quotes, in text order."""
    verb_re = _VERB_ASCII_RE if p.isascii() else _VERB_RE
    out = []
    for lo, hi in _outside(p, spans):
        if lo == 0:
            m = _VERB_AT_START_RE.match(p, 0, hi)
            if m:
                out.append((0, m.end(), m.group()))
        # The scan may start at `lo` all the same: it cannot match inside that first
        # verb, whose only non-word character is the space of "according to".
        for m in verb_re.finditer(p, lo, hi):
            out.append((m.start() + 1, m.end(), m.group()[1:]))
    return out


_SUBJECT_ONLY: Final = frozenset({"tell", "tells", "told"})  # "told X": X is the listener
# Verbs that are as often plural nouns: "claims of a clash between Muslims and …" names no speaker after it.
_NOUN_LIKE: Final = frozenset({"claims", "notes", "states", "posts"})
# Only unambiguous verbs may stand unnamed ("…," the company said) and block a
# farther, wrong name; "posts"/"notes" are too often nouns.
_ANON_OK: Final = frozenset({"say", "says", "said", "told", "added", "according to"})
_ROLE_RE: Final = re.compile(r",\s*([a-z0-9][^,\"“”«»]{0,120}),\s*$")  # X, chief officer of Y, said


@dataclass(slots=True)  # made for every verb and read in every quote's search: slots are quicker
class _Event:
    start: int  # span covering subject and verb
    end: int
    raw: str | None  # the name as written, or the pronoun
    # "name" | "org" (a spokesman's) | "body" (an organisation itself: "the FA said")
    # | "pronoun" (or description) | "spokes" ("the spokesman") | "outlet" ("the paper") | "anon"
    # | "owner" (a fragment's: Blair's promise of an "…") | "kind" ("the company")
    kind: str
    speaker: str | None = None  # resolved later


_ENDS: Final = frozenset(".!?…")
_COLON_RE: Final = re.compile(r"\s*:")  # "But the FA confirmed:": a verb that introduces a quote
_ROLE_LEAD_RE: Final = re.compile(r",\s*(?:(?:[a-z][\w-]*\s+){1,6}(?:at|of|for|with)|from)\s+(?:[a-z][\w-]*\s+){0,3}$")
_ABBR_BEFORE_RE: Final = re.compile(r"\s*\([A-Z][A-Za-z&.]{1,9}\)\s*$")
_SPOKES: Final = frozenset(
    "spokesman spokeswoman spokesperson spokesmen statement source sources official officials "
    "representative insider lawyers lawyer".split()
)
# Person nouns a description ends with: "the 22-year-old", "the European cross-country champion".
_PERSON_NOUNS: Final = frozenset(
    {r.lower() for r in _ROLES}
    | set(
        "champion player star singer actor actress witness minister chancellor secretary president chairman "
        "teenager youngster veteran boss striker winger midfielder defender keeper goalkeeper captain coach "
        "manager frontman frontwoman rapper guitarist drummer director writer author novelist presenter host "
        "winner runner sprinter hurdler athlete batsman bowler golfer swimmer cyclist driver boxer jockey "
        "businessman businesswoman founder owner chief executive economist analyst irishman frenchman englishman "
        "scotsman welshman dutchman spaniard scot briton mayor governor senator ambassador commissioner "
        "premier".split()
    )
)
_AGE_RE: Final = re.compile(r"\d+-year-old$")
_WHEN: Final = frozenset(  # a time between a subject and its verb; not May (a name, a verb)
    "January February March April June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday".split()
)


# Words that make a clause, not a description, between a verb and a name.
_CLAUSE: Final = frozenset(
    "that was is were are be been has had have will would could should can may might it he she they we i "
    "you by to in on at after before when while if and but or not no there this these those with for as "
    "than about over into from".split()
)


def _described(words: list[str]) -> bool:
    """Do `words` (already lower case) end in a person noun: "the former England captain"?"""
    last = words[-1].rstrip(".")
    return bool(words) and (last in _PERSON_NOUNS or bool(_AGE_RE.search(last)))


def _name_run(words: list[str], backward: bool) -> list[int]:
    """names' `_collect`: the name run at the end (backward) or start of `words`.

    A run ends (backward) or starts at a name token, else `_collect` finds none; the
    word beside a verb is mostly lower case ("he said", "said on Monday"), and this
    answers those at once instead of calling it.
    """
    if not words or not _word(words[-1] if backward else words[0]).name:
        return []
    return _collect(words, backward)


def _name_before(p: str, pos: int, ve: int) -> _Event | None:
    """The name (or "X of Y") ending at `pos`, as the subject of the verb ending at `ve`."""
    toks = _toks_before(p, pos, touch=True)
    run = _collect(toks.words, backward=True)
    if not run:
        return None
    return _Event(toks.start(run[0]), ve, _of_org(list(toks.words), run) or _join([toks.words[k] for k in run]), "name")


def _subject(toks: _Toks) -> tuple[int, str, str] | None:
    """The subject at the end of `toks`, the tokens right before a verb."""
    words = toks.words
    i = len(words) - 1
    if i >= 2 and words[i] in _WHEN and words[i - 1] in ("in", "on"):
        i -= 2  # "Ross Dale in March said"
    while i >= 0 and len(words) - 1 - i < 2 and (words[i] in _AUX or (words[i].endswith("ly") and words[i].islower())):
        i -= 1  # "Smith later said", "he has said"
    if i < 0:
        return None
    w = words[i].lower()
    if w in ("he", "she"):
        return toks.start(i), words[i], "pronoun"
    if w in ("they", "we", "it", "i", "you"):
        return toks.start(i), words[i], "anon"
    if w in OUTLET_NOUNS and i and words[i - 1].lower() == "the":
        return toks.start(i - 1), words[i], "outlet"  # "the paper says": the outlet named last
    if w in ORG_NOUNS and i and words[i - 1].lower() == "the":
        return toks.start(i - 1), w, "kind"  # "the company said": the organisation named last
    if w in _SPOKES:  # "a Vodafone spokesman said": the organisation
        org = org_run(words, i)
        if org:
            return toks.start(org[0]), _join([words[k] for k in org]), "org"
        if i and _initials(words[i - 1]):  # "an FA statement said"
            return toks.start(i - 1), words[i - 1], "org"
        if i and words[i - 1].lower() == "the":  # the attribution starts at "the": "…", the spokesman said
            return toks.start(i - 1), words[i], "spokes"
        return toks.start(i), words[i], "anon"
    if _initials(words[i]) and (i == 0 or words[i - 1].lower() in ("the", "and", "but") or _word(words[i - 1]).ends):
        if not (i >= 2 and words[i - 2] in ("of", "at", "for", "from")):  # not "X of the CMF said"
            return toks.start(i), _join([words[i]]), "body"  # "the FA confirmed:"
    run = _name_run(words[: i + 1], backward=True)
    if len(run) == 1 and run[0] and words[run[0] - 1].lower() == "the" and _nationality(words[run[0]]):
        return toks.start(run[0] - 1), words[i], "pronoun"  # "the Dutchman said": someone named before
    if run:
        whole = _of_org(words, run)
        return toks.start(run[0]), whole or _join([words[k] for k in run]), "name"
    lower = [x.lower() for x in words[max(0, i - 4) : i + 1]]
    if "the" in lower and _described(lower):  # "the 22-year-old told BBC Sport", "the mayor said"
        return toks.start(i), " ".join(words[i - lower[::-1].index("the") : i + 1]), "pronoun"
    return None


def _descriptor_follows(words: list[str], k: int) -> bool:
    """Is the name run ending at words[k] followed by a role word, not a clause ("Biarritz chairman …")?"""
    if k + 1 >= len(words) or _word(words[k]).ends:
        return False
    nxt = words[k + 1]
    return nxt[:1].islower() and nxt.lower() not in _CLAUSE


def _after_verb(toks: _Toks) -> tuple[int, str, str] | None:
    """A name or description after the verb behind role words: "said Biarritz chairman Marcel Martin"."""
    if toks.words and toks.words[0].lower() in _CLAUSE:
        # "said that …", "said on Monday": the first word stays in `words` below and is
        # either part of the run (then no lead) or of the lead, which then holds a clause word.
        return None
    words = list(toks.words)
    for k, t in enumerate(words):
        if _word(t).ends:
            words = words[:k] + [_join([t])]  # the sentence's full stop is not the name's
            break
        if k and t in _CLAUSE and words[k - 1][:1].isupper():
            words = words[:k]  # "according to Gartner analyst Carolina Milanesi is …"
            break
    run = _name_run(words, backward=True)
    lead = [x.lower() for x in (words[: run[0]] if run else words)]
    if not lead or len(lead) > 7 or any(x in _CLAUSE for x in lead) or lead[-1] == "of":
        return None
    if run:
        last = words[run[-1]]
        # "said the Birchfield Harrier": a description of someone named before, not a name
        kind = "pronoun" if lead == ["the"] and len(run) <= 2 and not _initials(words[run[0]]) else "name"
        return toks.start(run[-1]) + len(last), _join([words[k] for k in run]), kind
    if not run and lead[-1].rstrip(".") in _SPOKES and lead[0] in ("a", "an"):
        org = _collect(words[1:-1], backward=True)  # "said a Bayern spokesman"
        if org or (len(words) == 3 and _initials(words[1])):  # "said an FA statement"
            return toks.start(len(words) - 1) + len(words[-1]), _join(words[1:-1]), "org"
    # "said the FA." ends there; "said the NHS was …" starts a clause
    ends = len(toks.words) == 2 or (len(toks.words) > 2 and _word(toks.words[1]).ends)
    if not run and ends and len(words) == 2 and lead[0] == "the" and _initials(words[1]):
        return toks.start(1) + len(words[1]), _join(words[1:]), "body"  # "said the FA."
    if not run and ends and len(words) == 2 and lead[0] == "the" and lead[1].rstrip(".") in OUTLET_NOUNS:
        return toks.start(1) + len(words[1].rstrip(".")), words[1].rstrip("."), "outlet"  # "said the paper."
    if not run and lead[0] == "the" and _described(lead):
        return toks.start(len(words) - 1) + len(words[-1]), " ".join(words), "pronoun"
    return None


def _events(p: str, spans: list[_Span]) -> list[_Event]:
    out: list[_Event] = []
    for vs, ve, verb in _verbs(p, spans):  # words inside a quote are not attributions
        # "The British Chambers of Commerce (BCC) said": the name before the abbreviation
        abbr = _ABBR_BEFORE_RE.search(p, max(0, vs - 16), vs) if p[max(0, vs - 3) : vs].strip()[-1:] == ")" else None
        before = _toks_before(p, abbr.start(), touch=True) if abbr else _toks_before(p, vs)
        if before.words and before.words[-1].lower() in _DETERMINERS:
            continue  # "the said account", "his claims"
        found = apposition(p, vs, ve, verb in _SUBJECT_ONLY)
        ev = _Event(*found, "name") if found else None
        according = verb.lower() == "according to"
        subj = None if according or ev else _subject(before)
        if abbr and subj and subj[2] == "name" and len(_key_tokens(subj[1])) < 2:
            subj = None  # "the British Bankers' Association (BBA)": not "Association"
        if subj:
            ev = _Event(subj[0], ve, subj[1], subj[2])
            lead = None
            comma = p.rfind(",", max(0, subj[0] - 120), subj[0]) if subj[2] == "name" else -1
            if comma >= 0 and p[max(0, subj[0] - 12) : subj[0]].rstrip()[-1:].islower():
                lead = _ROLE_LEAD_RE.match(p, comma, subj[0])  # only lower-case words after the comma
            if lead:  # "Howard Archer, economist at Global Insight said": the person, not the firm
                ev = _name_before(p, lead.start(), ve) or ev
        elif ev is None and not according and not before.words:
            role = _ROLE_RE.search(p[max(0, vs - 250) : vs])
            if role:  # "Lord Hobbs of Kendal, in his report, said"
                ev = _name_before(p, max(0, vs - 250) + role.start(), ve)
        if ev is None and verb not in _SUBJECT_ONLY and verb not in _NOUN_LIKE:
            toks = _toks_after(p, ve)
            words = toks.words
            run = _name_run(words, backward=False)
            after = _after_verb(toks) if run and _descriptor_follows(words, run[-1]) else None
            if after:
                ev = _Event(vs, after[0], after[1], after[2])
            elif run and all(_word(words[k]).stop for k in range(run[0])):
                end = toks.start(run[-1]) + len(words[run[-1]])
                named = person_after(p, _possessive_end(p, end))  # "said Acme's Jo Bell": Jo Bell
                ev = _Event(vs, *named, "name") if named else _Event(vs, end, _join([words[k] for k in run]), "name")
            else:
                after = _after_verb(toks)
                if after:
                    ev = _Event(vs, after[0], after[1], after[2])
        if ev is None and not according and before.words and before.words[-1].lower() in ("and", "but"):
            ev = _Event(vs, ve, None, "pronoun")  # "But told BBC News:": the subject is the one before
        if ev is None and (verb in _ANON_OK or according or _COLON_RE.match(p, ve)):
            ev = _Event(vs, ve, None, "anon")  # someone unnamed: no farther name may claim the quote
        if ev is not None:
            out.append(ev)
    return out


# ---------------------------------------------------------------- speech test

_PUNCT_RE: Final = re.compile(r"[,.?!…]")
_SMALL: Final = frozenset("a an and as at but by for from in is of on or the to with".split())
# Matched in place (pos, endpos): the gaps are often long, and copying them cost more than the match.
_ADJ_AFTER_RE: Final = re.compile(r"[\s,.;:!?—–-]*")
_ADJ_BEFORE_RE: Final = re.compile(r"[\s,;:—–-]*")


_TAG_END_RE: Final = re.compile(r"\s*(?:[.,;:!?—–(]|$)")


def _adjacent(
    p: str, sp: _Span, events: list[_Event], named_only: bool, tagging: bool = False
) -> tuple[_Event | None, int]:
    """The attribution right after or right before a quote, and which side (1 after, 2 before).

    `tagging`: for naming the speaker, an attribution that ends in a colon
    ("Smith added:") introduces the next quote rather than tagging this one;
    it still shows that this quote is someone's words.
    """
    ended = p[sp.end - 1] in _ENDS  # a span is never empty
    for ev in events:
        if ev.start >= sp.after and _ADJ_AFTER_RE.fullmatch(p, sp.after, ev.start):
            # After a quote that ends its sentence, "Smith said." tags it but
            # "Smith said the plan …" starts the writer's next sentence.
            if (ended and not _TAG_END_RE.match(p, ev.end)) or (tagging and _COLON_RE.match(p, ev.end)):
                break
            if not (named_only and ev.kind == "anon"):
                return ev, 1
            break
    for ev in reversed(events):
        if ev.end <= sp.open and _ADJ_BEFORE_RE.fullmatch(p, ev.end, sp.open):
            if not (named_only and ev.kind == "anon"):
                return ev, 2
            break
    return None, 0


# Words that name what follows rather than quote anyone: "the song "Angels"",
# "Marca's headline says it all: "…"", "a dictionary naming "blog" word of the year".
_NAMING_NOUNS: Final = frozenset(
    "headline headlines title titles song songs single singles album film movie book novel play show "
    "programme series slogan motto banner word term phrase expression category nickname label brand "
    "catchphrase hashtag username handle alias pseudonym codename name".split()
)
_NAMING_VERBS: Final = frozenset("called named naming titled entitled nicknamed dubbed so-called".split())
_NAMING_PAIRS: Final = frozenset(
    {("known", "as"), ("billed", "as"), ("user", "name"), ("code", "name")}
    | {(w, "for") for w in "latin greek french german spanish italian arabic slang short shorthand jargon word".split()}
)  # "Latin for "truth"": a gloss, words quoted as words
_READS: Final = frozenset("says said reads read ran proclaims proclaimed".split())


def _names_what_follows(before: str) -> bool:
    """Do the words right before a quote name it ("the song", "called", "the banner read:")?"""
    tail = [w.strip(",:").lower() for w in before.split()[-6:]]
    if not tail:
        return False
    if tail[-1] in _NAMING_VERBS or tail[-1] in _NAMING_NOUNS or tuple(tail[-2:]) in _NAMING_PAIRS:
        return True
    if before.rstrip().endswith(":"):  # "Marca's headline says it all:"
        for k, w in enumerate(tail[:-1]):
            if w in _NAMING_NOUNS and tail[k + 1] in _READS:
                return True
    return False


_FULL, _PARTIAL, _OTHER = 1, 2, 0
_POSSESSIVE_BEFORE_RE: Final = re.compile(r"[A-Z][\w-]*(?:'s?|’s?)\s+$")  # Blair's "unremittingly New Labour"


def _sentence_start(p: str, pos: int) -> int:
    """Start of the sentence holding `pos` (the end of the last sentence before it)."""
    return start_before(p, pos)


def _title_case(words: list[str]) -> bool:
    content = [w for w in words if w.lower() not in _SMALL and w[:1].isalpha()]
    return bool(content) and words[0][:1].isupper() and all(w[0].isupper() for w in content)


def _is_speech(p: str, sp: _Span, events: list[_Event]) -> int:
    """Is a closed quote a full utterance, a fragment of someone's words, or neither?"""
    text = p[sp.start : sp.end]
    if _adjacent(p, sp, events, True, tagging=True)[0] is not None:
        return _PARTIAL if text[:1].islower() else _FULL
    before = p[max(0, sp.open - 80) : sp.open]
    if _names_what_follows(before):
        return _OTHER
    words = text.split(None, 9)  # titles and names are short: ten words tell
    if len(words) < 10 and (_title_case(words) or _quoted_name(text)):
        return _OTHER  # "The Lord of the Rings", "How Soon is Now?", a username "Abu al-Walid"
    if _PUNCT_RE.search(text) and text[:1].isupper():
        return _FULL
    lead = p[_sentence_start(p, sp.open) : sp.open]
    if _possessive_before(lead) or _cued(lead) or _adjacent(p, sp, events, False)[0] is not None:
        return _PARTIAL
    return _OTHER


def _possessive_before(lead: str) -> bool:
    """Does `lead` end in a possessive name and white space (Blair's "…")?"""
    # Only text ending in 's, ' or ’ and white space can match: spare the others the search.
    return lead.rstrip()[-1:] in ("s", "'", "’") and bool(_POSSESSIVE_BEFORE_RE.search(lead))


# Words that are someone's speech when owned, with the fragment as their content: Blair's
# "promise to produce an "…"", "Smith's claim that "…"" (not "Smith's claims were "…"").
_SPEECH_NOUNS: Final = (
    "promise|promises|pledge|pledges|claim|claims|words|comment|comments|remark|remarks|description|warning|"
    "vow|call|calls|criticism|accusation|accusations|allegation|allegations|attack|insistence|assertion|"
    "admission|statement|suggestion|verdict|argument|prediction|boast|threat|demand|plea|appeal|message"
)
# The owner: up to four capitalised words, the last without a dot. Written with the first
# capital outside the repeat ([A-Z](?:[\w.-]*\s+[A-Z]){0,3}: the same words), so that re
# looks for a match only at capitals; behind a repeat it would try every offset.
_OWNER_BEFORE_RE: Final = re.compile(
    r"([A-Z](?:[\w.-]*\s+[A-Z]){0,3}[\w-]*)['’]s\s+(?:[a-z][\w-]*\s+)?(?:" + _SPEECH_NOUNS + r")\b"
    r"(?:\s+(?:that|of|to|as|for|about|on)"  # the fragment is the word's content: "promise to produce an"
    r"(?:\s+(?!(?:was|were|is|are|be|been|had|has|have|and|but|or)\b)[a-z][\w-]*){0,4})?\s*$"
)


def _partial_source(p: str, sp: _Span, events: list[_Event]) -> tuple[_Event | None, int]:
    """The attribution of a fragment: its owner's words, its tag, or its sentence's verb.

    `Blair's promise to produce an "…"` is Blair's; `"…", the spokesman said`
    the spokesman's; `X said the plan was "a disgrace"` X's.
    """
    lo = _sentence_start(p, sp.open)
    owner = _OWNER_BEFORE_RE.search(p, max(lo, sp.open - 120), sp.open)
    if owner:
        return _Event(owner.start(1), owner.end(1), owner.group(1), "owner"), lo
    ev, side = _adjacent(p, sp, events, False, tagging=True)
    if ev is not None and side == 1 and not _ENDS.intersection(p[sp.end - 1 : ev.start]):
        return ev, lo  # "…", the spokesman said (not "…". Smith said, which starts a sentence)
    for ev in reversed(events):
        if lo <= ev.start and ev.end <= sp.open:
            return ev, lo
    return None, lo


def _attribute(p: str, sp: _Span, events: list[_Event], next_open: int) -> tuple[_Event | None, int]:
    """The attribution of one quote part, and how strong the evidence is (lower wins)."""
    ev, rank = _adjacent(p, sp, events, False, tagging=True)
    if ev is not None:
        return ev, rank
    # `"…," he said` tags the quote; after a quote that ends its sentence, the
    # next sentence is the writer's own and may name someone else.
    if p[sp.end - 1] not in _ENDS:
        wend = min(next_open, _sentence_end(p, sp.after))
        for ev in events:
            if sp.after <= ev.start < wend:
                return ev, 3
    for ev in reversed(events):
        if ev.end <= sp.open:
            return ev, 4
    for ev in events:
        if ev.start >= sp.after:
            return ev, 5
    return None, 9
