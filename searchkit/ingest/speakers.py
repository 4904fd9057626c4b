"""Speakers: a name as written, resolved to the fullest form the article gives.

Names seen so far in the article, with where they were seen: speakers, quoted
names, and (read on demand) names mentioned in passing.
"""

from __future__ import annotations

from collections.abc import Sequence

from searchkit.ingest.names import _bare, _core, _ends_with, _key_tokens, _mentions
from searchkit.ingest.quotemarks import _Key, _Span


class _Registry:
    """Names seen so far in the article, with where they were seen.

    Speakers and quoted names are added as they are found. Names merely
    mentioned in passing are only consulted when a surname or pronoun finds no
    speaker, and then only some paragraphs' are needed, so a paragraph's
    (`_mentions`: (offset, name, person-like)) are read on demand and
    remembered: a surname can only be the end of a mention in a paragraph whose
    text holds it, and a pronoun wants the last person-like mention, which the
    nearest paragraph that has one holds.
    """

    def __init__(self, paras: Sequence[str], spans: Sequence[list[_Span]]) -> None:
        # (key, name) by kind: "speaker", "quoted"
        self.entries: dict[str, list[tuple[_Key, str]]] = {"speaker": [], "quoted": []}
        self._paras = paras
        self._spans = spans
        self._seen: dict[int, list[tuple[int, str, bool]]] = {}

    def add(self, key: _Key, name: str, kind: str) -> None:
        self.entries[kind].append((key, name))

    def _mentions_in(self, i: int) -> list[tuple[int, str, bool]]:
        found = self._seen.get(i)
        if found is None:
            found = self._seen[i] = _mentions(self._paras[i], self._spans[i])
        return found

    def _before(self, key: _Key, tier: tuple[str, ...]) -> list[tuple[_Key, str]]:
        return [(k, n) for kind in tier for k, n in self.entries[kind] if k < key]

    def resolve(self, raw: str, key: _Key) -> str:
        core = _core(raw)
        kt = _key_tokens(raw)
        if len(kt) >= 2:
            return " ".join(core)
        if len(kt) != 1:
            return raw
        surname = _bare(kt[0])
        cands = {n for _, n in self._before(key, ("speaker", "quoted")) if _ends_with(n, surname)}
        if not cands:
            i, off = key
            for j in range(i + 1):
                if surname in self._paras[j]:  # a name that ends with it is written there
                    cands.update(
                        name for o, name, _ in self._mentions_in(j) if (j < i or o < off) and _ends_with(name, surname)
                    )
        if len(cands) == 1:
            return cands.pop()
        return raw  # none, or ambiguous: keep what the article wrote

    def pronoun(self, key: _Key) -> str | None:
        best = self._before(key, ("speaker",))
        if best:
            return max(best)[1]
        best = self._before(key, ("quoted",))
        i, off = key
        for j in range(i, -1, -1):  # the last person-like mention before `key`
            people = [((j, o), name) for o, name, person in self._mentions_in(j) if person and (j < i or o < off)]
            if people:
                best.append(max(people))
                break
        return max(best)[1] if best else None
