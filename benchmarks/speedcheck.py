"""Checks beside the speed figures: the same results as another commit, and phrases of stop words.

`python benchmarks/speed.py --same REV` is the check a latency change must pass:
the real BBC articles are indexed once (by this tree), then REV's searchkit (taken
with `git archive`) and this tree's each answer the same few hundred queries in
their own process (the speed queries plus phrases, stop-word phrases, boolean and
field queries, paragraph lists, later pages, several fragments) and every result
list is compared: hits in order, scores to 1e-9, counts, snippets, highlights and
attributions. `python benchmarks/speed.py --sizes 100k --phrases` times phrases of
stop words on searchkit's index of a corpus.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import corpora

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


#: Queries beyond the speed set: the shapes whose paths differ (phrases, stop words, booleans, fields).
SAME_EXTRA = (
    '"to be or not to be"',
    '"the who"',
    "the who",
    "it",
    '"in the"',
    '"of the year"',
    '"one of the"',
    '"prime minister"',
    '"chancellor gordon brown"',
    "blair iraq",
    "what blair said about iraq",
    "brown said about tax",
    "speaker:blair",
    "speaker:blair iraq",
    "headline:economy growth",
    "economy AND growth",
    "economy OR shares",
    "film -oscar",
    "+music chart",
    "gold NOT medal",
    '"mobile phone" sales',
    "govermnent",
    "econmy growth",
    "musc",
    "micro*",
    "quotes:election",
    '"labour party" -conservative',
    "at&t",
    "m&s",
    "9/11",
    "e-mail",
    "the of and",
)

#: Request variations each query is also asked with (beyond the defaults).
SAME_VARIANTS: tuple[dict, ...] = (
    {},
    {"per_article": False},
    {"page": 2},
    {"fragments": 3, "width": 120},
)

_SAME_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
import searchkit
ix = searchkit.Index.open(sys.argv[2])
asks = json.load(open(sys.argv[3], encoding="utf-8"))
def frag(f):
    return [f.text, [list(h) for h in f.highlights], f.attribution or "", [list(h) for h in f.attribution_highlights]]
def hit(h):
    return [h.rank, h.article_id, h.paragraph, h.score, h.more_in_article, list(h.also_in), h.headline_only,
            h.snippet, [list(x) for x in h.highlights], [frag(f) for f in h.fragments],
            [list(x) for x in h.headline_highlights]]
out = []
for text, kw in asks:
    try:
        r = ix.search(text, **kw)
    except Exception as exc:
        out.append(["error", type(exc).__name__, str(exc)])
        continue
    out.append([r.total, r.suggestion, [list(map(str, f)) for f in r.fuzzy], [hit(h) for h in r.hits]])
json.dump(out, open(sys.argv[4], "w", encoding="utf-8"))
"""


def _tree_at(rev: str, into: Path) -> Path:
    """The searchkit package of commit `rev`, unpacked under `into`."""
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "searchkit"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(into, filter="data")
    return into


def _differs(a, b) -> bool:
    """True when two dumped answers differ beyond 1e-9 in a score."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) > 1e-9
    if isinstance(a, list) and isinstance(b, list):
        return len(a) != len(b) or any(_differs(x, y) for x, y in zip(a, b))
    return a != b


def same(rev: str, data: str | None) -> int:
    """Compare REV's answers with this tree's on the BBC articles; the number of answers that differ."""
    queries = corpora.queries_for(corpora.corpus_path("bbc", data)) + list(SAME_EXTRA)
    asks = [(q, kw) for q in queries for kw in SAME_VARIANTS]
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "index"
        import speed  # (speed.py imports this module: its helpers are taken when called)

        searchkit, why = speed.import_searchkit()
        if searchkit is None:
            raise SystemExit(why)
        searchkit.Index.build([str(corpora.bbc_dir(data))], str(target), rebuild=True).close()
        (Path(tmp) / "asks.json").write_text(json.dumps(asks), encoding="utf-8")
        answers = {}
        for label, tree in (("old", _tree_at(rev, Path(tmp) / "old")), ("new", ROOT)):
            dst = Path(tmp) / f"{label}.json"
            cmd = [sys.executable, "-c", _SAME_CHILD, str(tree), str(target), str(Path(tmp) / "asks.json"), str(dst)]
            subprocess.run(cmd, check=True)
            answers[label] = json.loads(dst.read_text(encoding="utf-8"))
    diff = [i for i, (a, b) in enumerate(zip(answers["old"], answers["new"])) if _differs(a, b)]
    hits = sum(len(a[3]) for a in answers["new"] if a and a[0] != "error")
    print(
        f"same as {rev}: {len(asks)} searches ({len(queries)} queries x {len(SAME_VARIANTS)} requests), "
        f"{hits} hits, {len(diff)} differ"
    )
    for i in diff[:5]:
        print(f"  {asks[i]}:\n    {rev}: {answers['old'][i]}\n    now: {answers['new'][i]}")
    return len(diff)


#: Phrases of stop words (indexed with positions since schema 7), and two ordinary ones beside them.
STOP_PHRASES = (
    '"to be or not to be"',
    '"in the"',
    '"to be"',
    '"it is"',
    '"one of the"',
    '"of the year"',
    '"at the end of the"',
    '"as well as"',
    '"prime minister"',
    '"chancellor gordon brown"',
)


def phrase_times(label: str, args) -> None:
    """CPU ms per search (with snippets) of `STOP_PHRASES` on searchkit's index of `label` (median of 3)."""
    import speed  # (speed.py imports this module: its helpers are taken when called)

    searchkit, why = speed.import_searchkit()
    if searchkit is None:
        raise SystemExit(why)
    corpus = corpora.corpus_path(label, args.data)
    target = speed.target_for("searchkit", corpus.stem.replace("corpus-", ""))
    if not target.exists():
        speed.build_searchkit(corpus, target)
    ix = searchkit.Index.open(str(target))
    for q in STOP_PHRASES:
        ix.search(q)
        cpu = []
        for _ in range(3):
            c = time.process_time()
            found = ix.search(q).total
            cpu.append((time.process_time() - c) * 1000)
        print(f"{label} {q:28s} {statistics.median(cpu):8.1f} ms CPU, {found} articles")
    ix.close()
    if not args.keep:
        speed.remove(target)
