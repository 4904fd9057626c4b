"""Benchmark corpora: the BBC paragraphs and deterministic scale-ups of them.

The BBC set (../shared/data/bbc-fulltext/bbc, 2,225 articles) gives ~10.5k
paragraphs: line 1 of each file is the headline, the rest is split into
paragraphs on blank lines. Larger corpora (100k, 1M paragraphs) are made by
recombining real BBC sentences into new paragraphs of 2-6 sentences, grouped
about five paragraphs to a synthetic article under a real headline, so the
vocabulary and term statistics stay those of real news text.

Corpora are written as JSON Lines, one article per line
(``{"id", "headline", "paragraphs": [...]}``), under ``benchmarks/.work/``
(git-ignored: the data's terms forbid copying it into the repository) and
reused while the file exists.

Query sets are seeded too: 1-3 words drawn from the corpus vocabulary, no stop
words, preferring words of middling document frequency so queries find hits
without matching half the corpus.

    python benchmarks/corpora.py --size 100k     # write (or find) the corpus, print its path
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
WORK_DIR = HERE / ".work"
BBC_SUBDIR = Path("bbc-fulltext") / "bbc"

DEFAULT_SEED = 20240501
PARAGRAPHS_PER_ARTICLE = 5  # mean; each synthetic article gets 3..7
SENTENCES_PER_PARAGRAPH = (2, 6)  # inclusive bounds

# A common English stop list (plus news furniture such as "said"); queries skip these.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say mr mrs ms one two three new year years last
    told like make made may much many still well back first get got even us since per
    don didn doesn isn wasn weren aren hasn haven hadn won wouldn couldn shouldn ll ve re""".split()
)

_SENTENCE_END = re.compile(r"""(?:(?<=[.!?])|(?<=[.!?]["'\u201d\u2019]))\s+(?=["'\u201c\u2018(]?[A-Z0-9])""")
_WORD = re.compile(r"[a-z]+")


# --------------------------------------------------------------------------- reading


def decode(data: bytes) -> str:
    """UTF-8 (BOM tolerated), else cp1252 (sport/199.txt is Latin-1), else latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def split_article(text: str) -> tuple[str, list[str]]:
    """Line 1 is the headline; the rest splits into paragraphs on blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    headline, _, body = text.partition("\n")
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", body):
        para = " ".join(line.strip() for line in block.split("\n") if line.strip())
        if para:
            paragraphs.append(para)
    return headline.strip(), paragraphs


def bbc_dir(data: str | os.PathLike | None = None) -> Path:
    return Path(data or DEFAULT_DATA) / BBC_SUBDIR


def bbc_articles(data: str | os.PathLike | None = None) -> list[dict]:
    """The BBC articles as records, in sorted path order; ids are "topic/NNN"."""
    root = bbc_dir(data)
    if not root.is_dir():
        raise FileNotFoundError(f"BBC data not found at {root}; pass --data DIR (the folder holding bbc-fulltext/)")
    records = []
    for path in sorted(root.glob("*/*.txt")):
        headline, paragraphs = split_article(decode(path.read_bytes()))
        if paragraphs:
            rel = path.relative_to(root).with_suffix("").as_posix()
            records.append({"id": rel, "headline": headline, "paragraphs": paragraphs})
    return records


def split_sentences(paragraph: str) -> list[str]:
    """A simple sentence split: after . ! ? (and a closing quote) before a capital or digit."""
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


# --------------------------------------------------------------------------- synthesis


def synthesize(
    sentences: Sequence[str],
    headlines: Sequence[str],
    n_paragraphs: int,
    seed: int = DEFAULT_SEED,
    id_prefix: str = "syn",
) -> Iterator[dict]:
    """Yield synthetic articles holding exactly `n_paragraphs` paragraphs in total.

    Each paragraph is 2-6 sentences drawn at random from `sentences`; each
    article takes 3-7 paragraphs (mean 5) and a random real headline. The same
    inputs and seed give the same output, byte for byte.
    """
    if not sentences or not headlines:
        raise ValueError("synthesize needs at least one sentence and one headline")
    rng = random.Random(seed)
    lo, hi = SENTENCES_PER_PARAGRAPH
    width = len(str(max(n_paragraphs, 1)))
    made = 0
    number = 0
    while made < n_paragraphs:
        count = min(rng.randint(PARAGRAPHS_PER_ARTICLE - 2, PARAGRAPHS_PER_ARTICLE + 2), n_paragraphs - made)
        paragraphs = [" ".join(rng.choice(sentences) for _ in range(rng.randint(lo, hi))) for _ in range(count)]
        number += 1
        made += count
        yield {"id": f"{id_prefix}/{number:0{width}d}", "headline": rng.choice(headlines), "paragraphs": paragraphs}


def bbc_sentences(articles: Iterable[dict]) -> tuple[list[str], list[str]]:
    """All sentences and all headlines of `articles`, in corpus order."""
    sentences: list[str] = []
    headlines: list[str] = []
    for art in articles:
        headlines.append(art["headline"])
        for para in art["paragraphs"]:
            sentences.extend(split_sentences(para))
    return sentences, headlines


# --------------------------------------------------------------------------- files


def parse_size(label: str) -> int | None:
    """ "bbc" -> None (the real set); "100k" -> 100000; "1m" -> 1000000; "2500" -> 2500."""
    label = label.strip().lower()
    if label == "bbc":
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([km]?)", label)
    if not m:
        raise ValueError(f"bad corpus size {label!r}: use bbc, a number, or a number with k/m (100k, 1m)")
    return int(float(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2)])


def write_jsonl(articles: Iterable[dict], path: Path) -> int:
    """Write articles atomically (temp file, then rename); return the paragraph count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    with open(tmp, "w", encoding="utf-8") as f:
        for art in articles:
            f.write(json.dumps(art, ensure_ascii=False) + "\n")
            n += len(art["paragraphs"])
    os.replace(tmp, path)
    return n


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def corpus_path(
    label: str,
    data: str | os.PathLike | None = None,
    work: str | os.PathLike | None = None,
    seed: int = DEFAULT_SEED,
) -> Path:
    """The JSONL corpus for a size label, generated only if it is missing."""
    work = Path(work or WORK_DIR)
    n = parse_size(label)
    name = "bbc" if n is None else str(n)
    suffix = "" if seed == DEFAULT_SEED or n is None else f"-s{seed}"
    path = work / f"corpus-{name}{suffix}.jsonl"
    if path.exists():
        return path
    articles = bbc_articles(data)
    if n is None:
        write_jsonl(articles, path)
    else:
        sentences, headlines = bbc_sentences(articles)
        write_jsonl(synthesize(sentences, headlines, n, seed, id_prefix=f"syn{name}"), path)
    return path


# --------------------------------------------------------------------------- queries


def document_frequencies(paragraphs: Iterable[str]) -> tuple[Counter, int]:
    df: Counter = Counter()
    n = 0
    for para in paragraphs:
        df.update(set(_WORD.findall(para.lower())))
        n += 1
    return df, n


def make_queries(
    paragraphs: Iterable[str],
    n: int = 300,
    seed: int = DEFAULT_SEED,
    max_words: int = 3,
    df_band: tuple[float, float] = (0.001, 0.03),
) -> list[str]:
    """`n` queries of 1..max_words words from the vocabulary of `paragraphs`.

    Candidate words are 3+ letters, not stop words, and appear in between
    df_band[0] and df_band[1] of the paragraphs (at least 2), so each query word hits.
    If that band is too thin (tiny corpora), every non-stop word is a candidate.
    """
    df, total = document_frequencies(paragraphs)
    lo = max(2, int(total * df_band[0]))
    hi = max(lo, int(total * df_band[1]))
    words = sorted(w for w, c in df.items() if lo <= c <= hi and len(w) >= 3 and w not in STOP_WORDS)
    if len(words) < max_words * 3:
        words = sorted(w for w in df if len(w) >= 3 and w not in STOP_WORDS)
    if not words:
        raise ValueError("no vocabulary to draw queries from")
    rng = random.Random(seed)
    return [" ".join(rng.sample(words, min(rng.randint(1, max_words), len(words)))) for _ in range(n)]


def queries_for(corpus: Path, n: int = 300, seed: int = DEFAULT_SEED) -> list[str]:
    """The query set for a corpus file, cached next to it as queries-<name>.json."""
    path = corpus.with_name(corpus.name.replace("corpus-", "queries-").replace(".jsonl", f"-{n}.json"))
    if path.exists() and path.stat().st_mtime >= corpus.stat().st_mtime:
        return json.loads(path.read_text(encoding="utf-8"))
    queries = make_queries((p for art in read_jsonl(corpus) for p in art["paragraphs"]), n=n, seed=seed)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(queries, indent=0), encoding="utf-8")
    os.replace(tmp, path)
    return queries


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="bbc", help="bbc, 100k, 1m, or a paragraph count")
    ap.add_argument("--data", default=None, help="folder holding bbc-fulltext/ (default ../shared/data)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    path = corpus_path(args.size, args.data, seed=args.seed)
    paragraphs = sum(len(a["paragraphs"]) for a in read_jsonl(path))
    print(f"{path.relative_to(HERE.parent) if path.is_relative_to(HERE.parent) else path}: {paragraphs} paragraphs")


if __name__ == "__main__":
    main()
