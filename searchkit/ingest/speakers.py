"""Speakers: a name as written, resolved to the person or organisation the article means.

A speaker is named with the fullest form the article gives before it: "said
Gardener" becomes Jason Gardener when the article wrote that name earlier, "Sir
Martin" becomes Sir Martin Ogilvy; courtesy honorifics go (Mr, Dr), peerage
stays (Lord Falconer), and role words in front go ("Treasurer Peter Costello").
Initials are the organisation the article spells out ("the FA" -> Football
Association), else stay as written.
A pronoun or a description ("he", "the 22-year-old") is the person the article
is talking about: whom the nearest sentence before it says spoke, else the
first person it names, skipping sentences whose subject is itself a pronoun or
a description, at most three paragraphs back; never an organisation that spoke
as itself ("the FA said"), though it may be one's spokesman. A role ("the mayor") is
the one person the article gave it (`described`). A candidate that is not a name
at all (a common word the article also writes in lower case, a nationality, a
place, a role alone, "I've") gives no speaker rather than a wrong one.

Names mentioned in passing, capitalised words and sentence starts are read per
paragraph on demand and remembered; a one-word speaker is resolved only when a
quote or a pronoun needs it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from searchkit.ingest.attribution import _CUE_RE
from searchkit.ingest.described import another_office, fits, introduced, role_words
from searchkit.ingest.names import (
    _bare,
    _core,
    _ends_with,
    _initials,
    _key_tokens,
    _mentions,
    _owners,
    _person_like,
)
from searchkit.ingest.namesites import _in_order, _may_end_name, _may_start_name
from searchkit.ingest.outlets import ORG_NOUNS, last_kind, last_outlet
from searchkit.ingest.people import _PERSON_WORDS, _PRONOUN_RE, Known, _Words, caps_at, caps_of, surnames, words_of
from searchkit.ingest.quotemarks import _Key, _Span
from searchkit.ingest.refusals import (
    _COMMON_ENDS,
    NO_ONE,
    ROLE_AFTER,
    _not_a_name,
    _opens_sentence,
    named_without_role,
    opens_only,
    refusal,
)
from searchkit.ingest.sentences import start_before, starts_below
from searchkit.ingest.tags import clause_subject
from searchkit.ingest.words import _PEERAGE, _ROLES, _ROLES_AFTER, _STOP, _TITLES

# A sentence about "the company" or "the band": the noun, then its verb or an aside ("The band - whose …").
_KIND_SUBJECT_RE: Final = re.compile(r"\s*[Tt]he ([a-z]+)(?=\s+(?:[a-z]+ly\s+)?[a-z]+(?:s|ed)\b|\s*[,—–-]\s)")
_PLURAL_INITIALS_RE: Final = re.compile(r"[A-Z]{2,}s")  # "PVRs record …": things, not a speaker
# A sentence opening with a description and its verb: "The mayor accused", "The judges called".
_DESCRIBED_SUBJECT_RE: Final = re.compile(r"[Tt]he ([a-z]+)\s+(?:[a-z]+ly\s+)?([a-z]+)\b")
_BACK: Final = 3  # how many paragraphs before a pronoun's may name whom it means

# A role right after a sentence's first name ("Kelvin MP", "Acme spokeswoman, Jo Bell"): that
# name only describes the subject.
_ROLE_NEXT_RE: Final = re.compile(
    rf"\s+({'|'.join(sorted(_ROLES_AFTER))}|{'|'.join(sorted(r.lower() for r in _ROLES))})\b,?\s*"
)


class _Registry:
    """Names seen in the article, with where they were seen, for resolving speakers."""

    def __init__(self, paras: Sequence[str], spans: Sequence[list[_Span]]) -> None:
        # (key, name) by kind: "speaker", "quoted"
        self.entries: dict[str, list[tuple[_Key, str]]] = {"speaker": [], "quoted": []}
        self._paras = paras
        self._spans = spans
        self._seen: dict[int, list[tuple[int, str, bool]]] = {}
        self._text = ""
        self._common: dict[str, bool] = {}  # `common`'s answers for this article
        self._openers: dict[str, bool] = {}  # `_opener`'s answers
        self._surname_cache: dict[int, dict[str, str]] = {}
        self._word_cache: dict[int, _Words] = {}
        self._cap_cache: dict[int, list[tuple[int, str]]] = {}
        self._owner_cache: dict[int, list[tuple[int, str, bool]]] = {}
        self._spelled: dict[str, list[set[str]]] = {}  # `_spelled_out`'s organisations per paragraph
        self.last_org: str | None = None  # whom "the spokesman" speaks for
        self.orgs: set[str] = set()  # speakers named as organisations ("the FA said"): never "he" or "she"
        self._pending: dict[_Key, str] = {}
        self._settled: dict[_Key, str | None] = {}

    def add(self, key: _Key, name: str, kind: str) -> None:
        self.entries[kind].append((key, name))

    def add_pending(self, key: _Key, raw: str) -> None:
        """A speaker written as one word, resolved on first use (`settle`)."""
        self._pending[key] = raw
        self.entries["speaker"].append((key, raw))

    def settle(self, key: _Key) -> str | None:
        """The resolved name of the speaker added at `key` (a pending one is resolved now)."""
        raw = self._pending.pop(key, None)
        if raw is None:
            return next((n for k, n in self.entries["speaker"] if k == key), None)
        who = self.resolve(raw, key)
        self.entries["speaker"] = [(k, n) for k, n in self.entries["speaker"] if k != key]
        if who:
            self.entries["speaker"].append((key, who))
        self._settled[key] = who
        return who

    def _said(self, key: _Key, name: str) -> str | None:
        """An entry's name, resolving a pending one."""
        if key in self._pending:
            return self.settle(key)
        return self._settled.get(key, name)

    def _owners_in(self, i: int) -> list[tuple[int, str, bool]]:
        found = self._owner_cache.get(i)
        if found is None:
            found = self._owner_cache[i] = [self._trim(m) for m in _owners(self._paras[i], self._spans[i])]
        return found

    def _mentions_in(self, i: int) -> list[tuple[int, str, bool]]:
        found = self._seen.get(i)
        if found is None:
            # only a name of three words or more can lose its first (`_trim`): most are two
            found = self._seen[i] = [
                m if m[1].count(" ") < 2 else self._trim(m) for m in _mentions(self._paras[i], self._spans[i])
            ]
        return found

    def common(self, word: str) -> bool:
        """Is `word` no name: a title, contraction, or a word the article writes in lower case?"""
        found = self._common.get(word)
        if found is None:  # the same words are asked about again and again: each costs a scan of the article
            if not self._text:
                self._text = "\n".join(self._paras)
            found = self._common[word] = _not_a_name(word, self._text)
        return found

    def _named_without_role(self, kt: Sequence[str]) -> bool:
        self._text = self._text or "\n".join(self._paras)
        return named_without_role(self._text, kt)

    def _opens_only(self, word: str) -> bool:
        """Is `word` a plural or an -ing form the article capitalises only where a sentence opens ("Critics")?"""
        if not word.endswith(_COMMON_ENDS) or not self._text:
            return False
        return all(_opens_sentence(self._text, m.start()) for m in re.finditer(rf"\b{re.escape(word)}\b", self._text))

    def _trim(self, mention: tuple[int, str, bool]) -> tuple[int, str, bool]:
        """A mention without a common word capitalised at the start of a sentence ("Double Olympic …")."""
        off, name, person = mention
        toks = name.split()
        if len(toks) > 2 and _bare(toks[0]) not in _PEERAGE and self.common(toks[0]):
            rest = " ".join(toks[1:])
            return off + len(toks[0]) + 1, rest, _person_like(_key_tokens(rest))
        return mention

    def _before(self, key: _Key, tier: tuple[str, ...]) -> list[tuple[_Key, str]]:
        return [(k, n) for kind in tier for k, n in self.entries[kind] if k < key]

    def _named(self, word: str, key: _Key) -> set[str]:
        """Full names written before `key` that end with `word`."""
        cands = {n for _, n in self._before(key, ("speaker", "quoted")) if _ends_with(n, word)}
        if cands:
            return cands
        i, off = key
        for j in range(i + 1):
            if word in self._paras[j] and _may_end_name(self._paras[j], word):  # a name may end with it there
                named = self._mentions_in(j) + self._owners_in(j)  # "Leonardo DiCaprio's award" too
                cands.update(name for o, name, _ in named if (j < i or o < off) and _ends_with(name, word))
        return cands

    def _prefixed(self, word: str, org: bool) -> set[str]:
        """Organisations written in full elsewhere that start with `word` ("Bayern" for Bayern Munich).

        When `word` is known to be an organisation's ("a Bayern spokesman"), a
        name that looks like a person's may be it too.
        """
        out: set[str] = set()
        for j in range(len(self._paras)):
            if word in self._paras[j] and _may_start_name(self._paras[j], word):
                named = self._mentions_in(j) + self._owners_in(j)
                out.update(n for _, n, person in named if (org or not person) and n.split()[0] == word)
        # "Harbour Rovers" before an owner's "Harbour Rovers Athletic's": the fuller form
        return {n for n in out if not any(m.startswith(n + " ") for m in out)}

    def _spelled_out(self, initials: str, i: int) -> str | None:
        """The one organisation named up to paragraph i whose capitalised words' initials these are."""
        per = self._spelled.setdefault(initials, [])  # per paragraph, kept: "the FA" is named again and again
        for j in range(len(per), i + 1):
            if j in self._seen or _in_order(initials, self._paras[j]):  # else no name there has these initials
                per.append(
                    {
                        n
                        for _, n, person in self._mentions_in(j)
                        if not person and "".join(w[0] for w in n.split() if w[:1].isupper()) == initials
                    }
                )
            else:
                per.append(set())
        found = set().union(*per[: i + 1])
        return found.pop() if len(found) == 1 else None

    def resolve(self, raw: str, key: _Key, org: bool = False) -> str | None:
        """The fullest form of `raw` the article gives; None when `raw` is no name.

        `org`: `raw` is known to name an organisation (a spokesman's).
        """
        core = _core(raw)
        kt = _key_tokens(raw)
        refused = refusal(raw) if kt else NO_ONE
        if refused == NO_ONE or (refused == ROLE_AFTER and not self._named_without_role(kt)):
            return None  # "the Planning Minister", "the Ealing North MP": a description
        if len(kt) >= 2:
            return " ".join(core)
        if len(kt) != 1 or not core:
            return None
        word = _bare(kt[0])
        if len(core) == 2 and _bare(core[0]) in _PEERAGE:  # "Sir Martin" for Sir Martin Ogilvy
            short = " ".join(core) + " "
            fuller = {n for _, n in self._before(key, ("speaker", "quoted")) if n.startswith(short)}
            i, off = key
            for j in range(i + 1):
                fuller.update(n for o, n, _ in self._mentions_in(j) if (j < i or o < off) and n.startswith(short))
            if len(fuller) == 1:
                return fuller.pop()
        if len(core) == 1 and _initials(word):  # "FA": the Football Association the article names, else FA
            return self._spelled_out(word, key[0]) or word
        cands = self._named(word, key)
        if len(cands) == 1:
            return cands.pop()
        if cands:
            return " ".join(core)  # ambiguous: keep what the article wrote
        if len(core) == 1 and (self.common(word) or self._opens_only(word)):
            return None
        orgs = self._prefixed(word, org)
        return orgs.pop() if len(orgs) == 1 else " ".join(core)

    def by_role(self, key: _Key, desc: tuple[str, ...]) -> str | None:
        """The one person the article gave the role `desc` ("the mayor") before `key`; if nobody, whom it
        is talking about, unless the article gave them another office ("the prime minister" is no mayor)."""
        given = self._given(key, (desc[-1].lower(), desc[-1].lower().capitalize()))
        held = {n for n, roles in given if n and any(fits(desc, r) for r in roles)}
        if len(held) > 1:  # "the Chester chairman" among chairmen: the one given Chester too
            held = {n for n, roles in given if n in held and any(fits(desc, r, strict=True) for r in roles)}
        if held:
            return held.pop() if len(held) == 1 else None
        who = self.focus(key)
        given = self._given(key, (who.split()[-1],)) if who else []
        return None if not who or any(n == who and another_office(desc, roles) for n, roles in given) else who

    def _given(self, key: _Key, words: tuple[str, ...]) -> list[tuple[str | None, list[list[str]]]]:
        """Each person the article before `key` gives an office (`described.introduced`), resolved, with the roles."""
        named = introduced(self._paras, self._spans, self._mentions_in, key, words)
        return [(self.resolve(n, key), roles) for n, roles in named]

    def of_kind(self, key: _Key, noun: str) -> str | None:
        """The organisation "the company" (`noun`) at `key` means, if the article names one."""
        spoke = []
        for k, n in sorted(self._before(key, ("speaker",))):  # a copy: `_said` may settle a pending name
            name = self._said(k, n)
            if name and (name in self.orgs or not self._person(name, key)):
                spoke.append((k, name))
        return last_kind(self._paras, self._spans, key, noun, spoke)

    def _person(self, name: str, key: _Key) -> bool:
        """Could `name` be a person: two name words that look like one, or a surname named before `key`?"""
        kt = _key_tokens(name)
        if len(kt) != 1:
            return len(kt) >= 2 and _person_like(kt)
        word = _bare(kt[0])
        if _initials(word):
            return False
        if any(_key_tokens(n)[-1:] == kt for _, n in self._before(key, ("speaker",)) if len(_key_tokens(n)) >= 2):
            return True
        for j in range(key[0] + 1):
            if word in self._paras[j] and (
                word in self._surnames(j)
                or any(person and _bare(n.split()[0]) == word for _, n, person in self._mentions_in(j))
            ):
                return True  # a surname, or a first name ("Michelle" of Michelle Duffy)
        return False

    def outlet(self, key: _Key) -> str | None:
        """The outlet "the paper" at `key` means: the one named last before it, if any."""

        def person(word: str) -> bool:  # a surname named before: only paragraphs holding the word can say
            if any(_key_tokens(n) and _bare(_key_tokens(n)[-1]) == word for _, n in self._before(key, ("speaker",))):
                return True
            return any(word in self._surnames(j) for j in range(key[0] + 1) if word in self._paras[j])

        return last_outlet(self._paras, self._spans, key, self.common, person)

    def _surnames(self, j: int) -> dict[str, str]:
        """Last words of the people named in paragraph j, mapped to their full names (cached)."""
        found = self._surname_cache.get(j)
        if found is None:
            found = self._surname_cache[j] = surnames(self._mentions_in(j))
        return found

    def _known(self, key: _Key, paras: range) -> Known:
        """Last words of the people named before `key` (`people.Known`): of the speakers and quoted
        names so far, and of the names mentioned in `paras`, the nearest first."""
        said: dict[str, str] = {}
        for _, n in self._before(key, ("speaker", "quoted")):
            kt = _key_tokens(n)
            if len(kt) >= 2 and _person_like(kt):
                said[_bare(kt[-1])] = n
        i, off = key
        own: dict[str, str] | None = None

        def surnames_in(j: int, read: bool) -> dict[str, str] | None:
            nonlocal own
            if not read and j not in self._seen:
                return None  # its names are not read yet
            if j != i:
                return self._surnames(j)
            if own is None:  # only the names written before `key`: a namesake later in the paragraph is not meant
                own = surnames(self._mentions_in(i), off)
            return own

        return Known(said, paras, self._paras, surnames_in)

    def _words_in(self, j: int) -> _Words:
        """Paragraph j's capitalised words and he/she/description marks outside quotes (cached)."""
        found = self._word_cache.get(j)
        if found is None:
            found = self._word_cache[j] = words_of(self._paras[j], self._spans[j])
        return found

    def _caps_in(self, j: int) -> list[tuple[int, str]]:
        """Paragraph j's capitalised words outside quotes, with their offsets (cached)."""
        found = self._cap_cache.get(j)
        if found is None:
            found = self._cap_cache[j] = caps_of(self._paras[j], self._spans[j])
        return found

    def _people_in(self, j: int, hi: int, known: Known) -> list[tuple[int, str | None]]:
        """People named in paragraph j before `hi`, outside quotes: (offset, name); None marks he/she."""
        if not hi:
            return []  # nothing comes before the paragraph's start: spare reading it
        words = self._words_in(j)
        found: list[tuple[int, str | None]] = [(o, n) for o, n, person in self._mentions_in(j) if person and o < hi]
        found.extend((k[1], n) for k, n in self.entries["speaker"] if k[0] == j and k[1] < hi)
        for w, full in known.among(words.names).items():  # known surnames: "Blair" of Tony Blair
            found.extend((o, full) for o in caps_at(self._paras[j], self._spans[j], w) if o < hi)
        found.extend((o, None) for o in words.marks if o < hi)  # "he", "The prime minister"
        return sorted(found, key=lambda x: x[0])

    def _said_before(self, i: int, hi: int) -> str | None:
        """Whom the sentence before p[i][hi:] (in this paragraph or ending the last) says spoke.

        The common case of `focus`, answered from the attributions alone.
        """
        if hi == 0:
            if i == 0:
                return None
            i, hi = i - 1, len(self._paras[i - 1])
        below = starts_below(self._paras[i], hi)
        if not below:
            return None
        lo = below[-1]
        before = [(k, n) for k, n in self.entries["speaker"] if k[0] == i and lo <= k[1] < hi]
        return self._said(*min(before)) if before else None

    def focus(self, key: _Key) -> str | None:
        """The person a pronoun or description at `key` means: the subject of the nearest sentence naming one.

        An organisation that spoke ("the FA said") is no "he" or "she", nor is a
        name made of words the article also writes in lower case ("his New Year
        message"): then nobody.
        """
        who = self._focus(key)
        if who is None or who in self.orgs or all(self.common(w) for w in who.split()):
            return None
        return who

    def _focus(self, key: _Key) -> str | None:
        i, off = key
        back = range(i, max(-1, i - _BACK - 1), -1)  # the paragraphs read: this one and _BACK before
        hi = start_before(self._paras[i], off)  # not the pronoun's own sentence
        quick = self._said_before(i, hi)
        if quick and quick not in self.orgs:
            return quick
        known = self._known(key, back)
        for j in back:
            hi = hi if j == i else len(self._paras[j])
            people = self._people_in(j, hi, known)
            if not people:
                continue
            said = {k[1]: k for k, n in self.entries["speaker"] if k[0] == j and k[1] < hi}
            for s in reversed(starts_below(self._paras[j], hi) or [0]):
                in_sentence = [(o, n) for o, n in people if s <= o < hi]
                subjects = [(o, n) for o, n in in_sentence if o in said]  # whom the sentence says spoke
                if subjects and subjects[0][1] is not None:
                    who = self._said(said[subjects[0][0]], subjects[0][1])
                elif in_sentence and in_sentence[0][1] is not None:
                    who = self.resolve(in_sentence[0][1], (j, s))
                else:
                    hi = min(hi, s)
                    continue
                if who not in self.orgs:
                    return who
                hi = min(hi, s)  # an organisation that spoke as itself is no "he": look further back
        return None

    def clause_subject(self, i: int, lo: int, hi: int, cue: bool = False) -> str | None:
        """Whom the first clause of p[lo:hi] that opens with a name and its verb names, resolved."""
        found = clause_subject(self._paras[i], self._spans[i], lo, hi, cue)
        if found is None:
            return None
        off, name = found
        words = name.split()
        if not self._text:
            self._text = "\n".join(self._paras)
        if len(words) > 1 and re.search(rf"(?<![\w-]){re.escape(words[0].lower())}(?![\w-])", self._text):
            name = " ".join(words[1:])  # "Yet Rooney is": a common word opens the sentence
        if _bare(name) in _STOP or (len(name.split()) == 1 and _bare(name) in _TITLES):
            return None
        who = self.resolve(name, (i, off))
        if who and " " not in who and not _initials(who):
            # A lone word is a name the article comes back to, not a sentence's
            # opening word before a plural ("More plaudits are given").
            if len(re.findall(rf"(?<![\w-]){re.escape(who)}(?![\w-])", self._text)) < 2 or self._opener(who):
                return None
        return who

    def _opener(self, word: str) -> bool:
        """Is `word` capitalised only where a sentence opens ("Possibly", "Results"): no name (cached)?"""
        if word not in self._openers:
            self._text = self._text or "\n".join(self._paras)
            self._openers[word] = opens_only(self._text, word)
        return self._openers[word]

    def _subject_names(self, i: int, lo: int, hi: int) -> tuple[list[tuple[int, str]], str | None]:
        """The names in p[lo:hi], with known surnames as the full names, and its capitalised first word."""
        names: list[tuple[int, str]] = [(o, n) for o, n, _ in self._mentions_in(i) if lo <= o < hi]
        known = self._known((i, lo), range(i, max(-1, i - _BACK - 1), -1))
        initial = None
        caps = self._caps_in(i)
        full = known.among(frozenset(word for o, word in caps if lo <= o < hi))
        for o, word in caps:
            if lo <= o < hi and word in full:
                names.append((o, full[word]))
            elif o == lo and word not in _STOP:
                initial = word  # "Mourinho claimed …": a subject only if nothing better
        return names, initial

    def subject(self, i: int, lo: int, hi: int) -> str | None:
        """The subject of the sentence p[lo:hi]: its first name, or whom its pronoun means."""
        p = self._paras[i]
        while lo < hi and p[lo].isspace():
            lo += 1  # a sentence after the first starts at the space after the full stop
        # The names are read only when needed: most sentences are answered by their opening.
        # (Nothing below changes what they would be: no branch that goes on settles a name.)
        read: tuple[list[tuple[int, str]], str | None] | None = None
        pron = _PRONOUN_RE.search(p, lo, hi)
        if pron:
            read = self._subject_names(i, lo, hi)
            if not any(o < pron.start() for o, _ in read[0]):
                return self.focus((i, lo))
        kind = _KIND_SUBJECT_RE.match(p, lo, hi)
        if kind and kind.group(1).lower() in ORG_NOUNS:  # "The band - whose LP … - thanked "…""
            return self.of_kind((i, lo), kind.group(1).lower())
        desc = _DESCRIBED_SUBJECT_RE.match(p, lo, hi)
        if desc and _CUE_RE.match(desc.group(2)):  # "The mayor accused Jo Hart of "…"": never the object
            office = role_words(desc.group(1))  # "The mayor": whom the article made mayor
            if office:
                return self.by_role((i, lo), office)
            return self.focus((i, lo)) if desc.group(1) in _PERSON_WORDS else None
        who = self.clause_subject(i, lo, hi, cue=True)
        if who:  # "And like AS, Marca criticises Neville for "…"": Marca, not Neville
            return who
        names, initial = read or self._subject_names(i, lo, hi)
        names.sort()
        if names and p.startswith(names[0][1], names[0][0]):
            role = _ROLE_NEXT_RE.match(p, names[0][0] + len(names[0][1]), hi)
            if role and role.group(1)[0].isupper() and self._named_without_role(_key_tokens(names[0][1])):
                role = None  # "Andrew Tyrie MP demanded": the person
            if role:  # "The Kelvin MP, who …": a description; "The EU's Aid Commissioner, Louis Michel,"
                named = [n for o, n in names if o == role.end()]
                return self.resolve(named[0], (i, lo)) if named else self.focus((i, lo))
        if initial and (_PLURAL_INITIALS_RE.fullmatch(initial) or self._opener(initial)):
            initial = None  # "Possibly as a result", "PVRs record …": no name (asked only when needed)
        for _, n in names + [(hi, initial or "")]:
            who = self.resolve(n, (i, lo))
            if who:
                return who
        return None
