"""Who is quoted across the index: speakers counted, with the variants of one name merged.

The extractor names each speaker as fully as *their article* does, so one person
can appear under several names across the index. Two rules merge them:

- a full name (two words or more) with words in front of a full name that is also
  indexed is that person: "Tory Liam Fox" is Liam Fox (the words in front are
  descriptors the extractor kept), and a full name given with a title as well is
  the titled name ("Alex Ferguson" is Sir Alex Ferguson), peerage and knighthood
  being kept as the extractor keeps them;
- a surname alone, or a title and one name, is counted as the one person in the
  index whose full name it ends ("Blair" -> Tony Blair, "Falconer" -> Lord
  Falconer) or, for a title, begins ("Sir Peter" -> Sir Peter Marsh). A short
  form that fits two or more people ("Blair" with both Tony Blair and Sir Ian
  Blair indexed) stays a name of its own.

Names that differ only in case, accents or dots are one name. A merged speaker is
shown by the name its variants resolve to, in its most quoted spelling.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from searchkit.analysis import fold
from searchkit.results import SpeakerCount
from searchkit.search.quotations import stored

#: Words that make a title and a first name a name of their own ("Sir Peter").
_TITLES = frozenset({"sir", "lord", "lady", "dame", "baroness", "baron"})

Key = tuple[str, ...]


def _key(name: str) -> Key:
    """A name compared without case, accents or punctuation."""
    return tuple(fold(name).casefold().replace(".", " ").split())


class Tally:
    """Counts per speaker name over stored paragraph documents; `add` each, then `counts`."""

    def __init__(self) -> None:
        self.quotes: Counter[str] = Counter()
        self.paragraphs: Counter[str] = Counter()
        self.articles: dict[str, set[str]] = defaultdict(set)

    def add(self, fields: Mapping[str, Any]) -> None:
        """Count one stored paragraph document's quotations."""
        names = [q.speaker for q in stored(fields) if q.speaker]
        self.quotes.update(names)
        for name in dict.fromkeys(names):
            self.paragraphs[name] += 1
            self.articles[name].add(str(fields.get("article_id", "")))

    def counts(self) -> tuple[SpeakerCount, ...]:
        """Every speaker, variants merged: most quoted first, then by name.

        A merged speaker is shown by the shortest full form of the name (see `merged`).
        """
        target = merged(self.quotes)
        groups: dict[str, list[str]] = defaultdict(list)
        for name in self.quotes:
            groups[target[name]].append(name)
        out = []
        for person, names in groups.items():
            names.sort(key=lambda n: (-self.quotes[n], n))
            shown = _shown(person, names, self.quotes)
            out.append(
                SpeakerCount(
                    name=shown,
                    quotes=sum(self.quotes[n] for n in names),
                    paragraphs=sum(self.paragraphs[n] for n in names),  # a paragraph names one person once
                    articles=len(set().union(*(self.articles[n] for n in names))),
                    variants=tuple(n for n in names if n != shown),
                )
            )
        return tuple(sorted(out, key=lambda c: (-c.quotes, c.name)))


def _shown(target: str, names: list[str], quotes: Mapping[str, int]) -> str:
    """The name a group is shown by: the name its variants resolve to, in its most quoted spelling."""
    same = [n for n in names if _key(n) == _key(target)]
    return min(same, key=lambda n: (-quotes[n], n))


def merged(names: Iterable[str]) -> dict[str, str]:
    """Each name -> a representative of the person it is counted as (see the module docstring)."""
    every = list(names)
    by_key: dict[Key, str] = {}
    for name in every:
        by_key.setdefault(_key(name), name)
    final = {k: _full_form(k, by_key) for k in by_key if len(k) >= 2}
    for k in by_key:
        if len(k) == 1 or (len(k) == 2 and k[0] in _TITLES):
            people = {f for full, f in final.items() if len(full) > len(k) and _shortens(k, full)}
            final[k] = people.pop() if len(people) == 1 else k
    return {name: by_key[final.get(_key(name), _key(name))] for name in every}


def _full_form(k: Key, keys: Mapping[Key, str]) -> Key:
    """A full name's form in the index: its shortest indexed full-name ending ("Earlier Tony
    Blair" is Tony Blair when "Tony Blair" is indexed: words in front are descriptors), with
    its title when the index gives that name with exactly one (Alex Ferguson is Sir Alex
    Ferguson when "Sir Alex Ferguson" is indexed)."""
    short = next((k[-n:] for n in range(2, len(k)) if k[-n:] in keys), k)
    titled = [(t, *short) for t in sorted(_TITLES) if (t, *short) in keys]
    return titled[0] if len(titled) == 1 else short


def _shortens(short: Key, full: Key) -> bool:
    """True when `short` is a short form of `full`: its last words, or a title and the words after it."""
    if full[-len(short) :] == short:
        return True
    return short[0] in _TITLES and full[: len(short)] == short
