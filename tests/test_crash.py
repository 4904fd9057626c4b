"""Crash safety: `searchkit index` killed with SIGKILL at random moments loses nothing.

The harness builds an index of corpus A, changes the corpus to B (articles
added, modified, deleted and renamed), starts the real command
`python -m searchkit index` on B and kills it with SIGKILL at a seeded random
moment. Then the index must open; hold exactly state A or state B (every
(article_id, n, body, headline), never a mix or half an article); answer
searches as that state does; and a re-run must finish and equal a clean build.

To make kills land inside the short commit, the child process gets a
`sitecustomize` (on PYTHONPATH, so the command itself is unchanged) that adds
sleeps around Whoosh's commit steps and records which step it reached; half
the kills are aimed at a step plus a random delay, half at a random time.
The same harness, with more trials, is `benchmarks/stress.py --crash-trials N`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import searchkit
from searchkit.indexing import indexer, store

REPO = Path(__file__).resolve().parent.parent

#: Steps the child records, in order; kills after "commit" and before "done" land in the commit.
PHASES = ("start", "writer", "commit", "segment", "toc", "renamed", "done")
COMMIT_PHASES = frozenset({"commit", "segment", "toc", "renamed"})

SITECUSTOMIZE = """
import os, time
_trace = os.environ.get("SK_CRASH_TRACE")
if _trace:
    _slow = float(os.environ.get("SK_CRASH_SLOW", "0.05"))
    _fd = os.open(_trace, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def _mark(what):
        os.write(_fd, (what + "\\n").encode())

    _mark("start")
    from whoosh import index as _wi, writing as _ww

    _init = _ww.SegmentWriter.__init__
    def _writer_init(self, *a, **k):
        _init(self, *a, **k)
        _mark("writer")
    _ww.SegmentWriter.__init__ = _writer_init

    _add = _ww.SegmentWriter.add_document
    def _add_document(self, **fields):
        time.sleep(_slow / 10)
        return _add(self, **fields)
    _ww.SegmentWriter.add_document = _add_document

    _commit = _ww.SegmentWriter.commit
    def _slow_commit(self, *a, **k):
        _mark("commit")
        time.sleep(_slow)
        _commit(self, *a, **k)
        _mark("done")
    _ww.SegmentWriter.commit = _slow_commit

    def _mark_segment(cls, name):
        _real = getattr(cls, name)
        def _finish(self):
            _mark("segment")
            seg = _real(self)
            time.sleep(_slow)
            return seg
        setattr(cls, name, _finish)

    _mark_segment(_ww.SegmentWriter, "_finalize_segment")
    # searchkit writes its documents as segments of its own (bulkwrite): the same step.
    from searchkit.codec import bulkwrite as _fw
    _mark_segment(_fw._SegmentBatch, "finish")

    _write = _wi.TOC.write
    def _toc_write(self, storage, indexname):
        _mark("toc")
        time.sleep(_slow)
        _write(self, storage, indexname)
        _mark("renamed")
        time.sleep(_slow)
    _wi.TOC.write = _toc_write

    _clean = _wi.clean_files
    def _clean_files(*a, **k):
        time.sleep(_slow)
        return _clean(*a, **k)
    _wi.clean_files = _clean_files
"""

# ---------------------------------------------------------------- corpora

_WORDS = (
    "minister election storm coast match derby rain budget court trial vote market shares bank "
    "river flood police report school union strike hospital doctor energy prices housing"
).split()


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + "."


def _article(rng: random.Random, tag: str, paragraphs: int) -> str:
    body = "\n\n".join(f"{_text(rng, 12)} Paragraph {k} of {tag}." for k in range(1, paragraphs + 1))
    return f"Headline {tag} {_text(rng, 4)}\n\n{body}\n"


def write_corpus_a(folder: Path, articles: int = 14, seed: int = 1) -> None:
    rng = random.Random(seed)
    for i in range(articles):
        path = folder / f"sec{i % 3}" / f"a{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_article(rng, f"a{i}", 3 + i % 4), encoding="utf-8")
    lines = [
        json.dumps({"id": f"wire-{k}", "headline": f"Wire {k}", "paragraphs": [_text(rng, 10), _text(rng, 9)]})
        for k in range(4)
    ]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def change_to_b(folder: Path, seed: int = 2) -> None:
    """Modify, delete, add and rename articles: every kind of change in one update."""
    rng = random.Random(seed)
    files = sorted(p for p in folder.rglob("*.txt"))
    for p in files[:3]:  # modified: one paragraph more, text changed
        p.write_text(_article(rng, p.stem + "-v2", 5), encoding="utf-8")
    for p in files[3:5]:  # deleted
        p.unlink()
    files[5].rename(files[5].with_name("renamed-" + files[5].name))  # renamed: new id
    for i in range(3):  # added
        (folder / "new").mkdir(exist_ok=True)
        (folder / "new" / f"n{i}.txt").write_text(_article(rng, f"n{i}", 4), encoding="utf-8")
    wire = folder / "wire.jsonl"  # one record changed, one dropped
    lines = wire.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace('"Wire 0"', '"Wire 0 updated"')
    wire.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- observing an index

QUERIES = ("minister election", "storm OR flood", '"bank market"', "headline:a1", "paragraph", "wire")


def docset(index_dir: Path) -> frozenset[tuple[str, int, str, str]]:
    with searchkit.Index.open(index_dir) as ix:
        return frozenset((d["article_id"], d["n"], d["body"], d["headline"]) for d in ix.searcher().documents(kind="p"))


def results(index_dir: Path) -> dict[str, list[tuple[str, int, float]]]:
    with searchkit.Index.open(index_dir) as ix:
        return {
            q: [
                (h.article_id, h.paragraph, round(h.score, 4))
                for h in ix.search(q, limit=20, per_article=False, fuzzy=False, snippets=False)
            ]
            for q in QUERIES
        }


def leftovers(index_dir: Path) -> list[str]:
    """Files in the index folder that the committed state does not use."""
    ix = store.open_index(index_dir)
    try:
        toc = ix._read_toc()
        live = {s.segment_id() for s in toc.segments}
    finally:
        ix.close()
    keep = {"searchkit.json", "MAIN_WRITELOCK", "MAIN.sums", f"_MAIN_{toc.generation}.toc"}  # MAIN.sums: checksums
    out = []
    for p in sorted(index_dir.iterdir()):
        if p.name in keep or p.name.split(".")[0] in live:
            continue
        out.extend([f"{p.name}/{c.name}" for c in p.iterdir()] or [p.name + "/"] if p.is_dir() else [p.name])
    return out


# ---------------------------------------------------------------- the harness


@dataclass
class Reference:
    """The two states a killed update may leave, and what each answers."""

    workdir: Path
    corpus: Path
    template: Path  # index of corpus A
    docs_a: frozenset
    docs_b: frozenset
    results_a: dict
    results_b: dict  # after an uninterrupted incremental A -> B update
    clean_b: frozenset


def prepare(workdir: Path) -> Reference:
    corpus_a, corpus = workdir / "corpus-a", workdir / "corpus"
    write_corpus_a(corpus_a)
    shutil.copytree(corpus_a, corpus)
    change_to_b(corpus)
    template = workdir / "ix-a"  # files are named relative to the folder given, so A's names are B's
    indexer.update(template, [corpus_a])
    # The index remembers its roots (issue 17): A's index is made to know `corpus` as its root, so that
    # updating a copy of it from `corpus` brings it to B rather than adding a second root.
    store.record_roots(template, [{"given": str(corpus), "path": str(corpus)}])
    incr = workdir / "ix-b-incremental"
    shutil.copytree(template, incr)
    indexer.update(incr, [corpus])
    clean = workdir / "ix-b-clean"
    indexer.update(clean, [corpus])
    ref = Reference(
        workdir, corpus, template, docset(template), docset(incr), results(template), results(incr), docset(clean)
    )
    assert ref.docs_a != ref.docs_b and ref.docs_b == ref.clean_b
    return ref


def child_env(workdir: Path, trace: Path, slow: float) -> dict[str, str]:
    hook = workdir / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(hook), str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["SK_CRASH_TRACE"] = str(trace)
    env["SK_CRASH_SLOW"] = str(slow)
    return env


def _phases(trace: Path) -> list[str]:
    try:
        return trace.read_text().split()
    except FileNotFoundError:
        return []


def run_killed(ref: Reference, index_dir: Path, rng: random.Random, slow: float, trace: Path) -> str:
    """Run `searchkit index` on B into index_dir and SIGKILL it; return the last step it reached."""
    trace.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "searchkit", "index", str(ref.corpus), "--index", str(index_dir), "-q"]
    proc = subprocess.Popen(
        cmd, env=child_env(ref.workdir, trace, slow), cwd=ref.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if rng.random() < 0.5:  # aim at a step of the update, plus a random part of the step's sleep
        target = rng.choice(("writer", "commit", "segment", "toc", "renamed"))
        deadline = time.monotonic() + 30
        while target not in _phases(trace) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, slow * 1.2))
    else:  # a random moment of the whole run (start-up included)
        time.sleep(rng.uniform(0.05, 1.2))
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=30)
    if proc.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(f"the update failed before the kill: {err.decode(errors='replace')}")
    got = _phases(trace)
    return got[-1] if got else "before-start"


@dataclass
class Tally:
    trials: int = 0
    survived: int = 0
    state: Counter = field(default_factory=Counter)
    phase: Counter = field(default_factory=Counter)

    def line(self) -> str:
        in_commit = sum(n for p, n in self.phase.items() if p in COMMIT_PHASES)
        return (
            f"crash trials survived {self.survived}/{self.trials}; left old state {self.state['A']}, "
            f"new state {self.state['B']}; kills inside the commit {in_commit}; by step {dict(self.phase)}"
        )


def check_trial(ref: Reference, index_dir: Path, tally: Tally) -> None:
    """The index opens, holds state A or B exactly, searches as that state, and a re-run equals a clean build."""
    from click.testing import CliRunner

    from searchkit.cli import main

    got = docset(index_dir)
    assert got in (ref.docs_a, ref.docs_b), (
        f"mixed state: {len(got - ref.docs_a - ref.docs_b)} paragraphs in neither, "
        f"{len(ref.docs_a & ref.docs_b - got)} common paragraphs lost"
    )
    state = "A" if got == ref.docs_a else "B"
    assert results(index_dir) == (ref.results_a if state == "A" else ref.results_b)
    rerun = CliRunner().invoke(main, ["index", str(ref.corpus), "--index", str(index_dir), "-q", "--wait", "0"])
    assert rerun.exit_code == 0, rerun.output
    assert docset(index_dir) == ref.clean_b
    assert leftovers(index_dir) == []
    tally.state[state] += 1
    tally.survived += 1


def run_trials(ref: Reference, trials: int, seed: int, slow: float = 0.05) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    trace = ref.workdir / "trace"
    for i in range(trials):
        index_dir = ref.workdir / f"trial-{i}"
        shutil.copytree(ref.template, index_dir)
        tally.trials += 1
        tally.phase[run_killed(ref, index_dir, rng, slow, trace)] += 1
        check_trial(ref, index_dir, tally)
        shutil.rmtree(index_dir)
    return tally


# ---------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    return prepare(tmp_path_factory.mktemp("crash"))


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_old_or_new_state(ref: Reference) -> None:
    tally = run_trials(ref, trials=32, seed=5)
    print(tally.line())
    assert tally.survived == tally.trials == 32
    assert sum(n for p, n in tally.phase.items() if p in COMMIT_PHASES) >= 5, tally.line()
    assert tally.state["A"] and tally.state["B"], tally.line()


def test_uninterrupted_run_through_the_hook_equals_clean_build(ref: Reference) -> None:
    """The hook only slows the command down: unkilled, it produces exactly state B."""
    index_dir = ref.workdir / "hooked"
    shutil.copytree(ref.template, index_dir)
    trace = ref.workdir / "trace-hooked"
    proc = subprocess.run(
        [sys.executable, "-m", "searchkit", "index", str(ref.corpus), "--index", str(index_dir)],
        env=child_env(ref.workdir, trace, 0.01),
        cwd=ref.workdir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "4 added, 6 updated, 4 removed, 8 unchanged articles" in proc.stdout
    steps = [p for p in _phases(trace) if p != "segment"]  # the write path may or may not finish a segment
    assert steps == ["start", "writer", "commit", "toc", "renamed", "done"]
    assert docset(index_dir) == ref.docs_b
    assert results(index_dir) == ref.results_b


@pytest.mark.slow
def test_repeated_kills_do_not_pile_up_leftovers(ref: Reference) -> None:
    """Each killed writer leaves files; the next writer removes them under the lock before writing."""
    index_dir = ref.workdir / "repeat"
    shutil.copytree(ref.template, index_dir)
    trace = ref.workdir / "trace-repeat"
    rng = random.Random(11)
    counts = []
    previous: set[str] = set()
    for _ in range(6):
        trace.unlink(missing_ok=True)
        proc = subprocess.Popen(
            [sys.executable, "-m", "searchkit", "index", str(ref.corpus), "--index", str(index_dir), "-q"],
            env=child_env(ref.workdir, trace, 0.05),
            cwd=ref.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while "segment" not in _phases(trace) and proc.poll() is None:
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.04))  # inside the segment write, before the table of contents
        proc.kill()
        proc.wait()
        # Files only: a leftover folder (the writer's temporary MAIN.tmp/) is reused by name.
        left = {name for name in leftovers(index_dir) if not name.endswith("/")}
        counts.append(len(left))
        # This writer reached its segment write, so it had already removed what the
        # last killed writer left; how many files it left itself depends on the moment
        # of the kill (a count comparison across kills is timing-dependent and flaky).
        assert not left & previous, f"files of an earlier killed writer survived: {sorted(left & previous)}"
        previous = left
        assert docset(index_dir) == ref.docs_a
    assert counts[0] > 0, "a kill inside the commit should leave unreferenced files"
    # A file from a killed writer that a later writer must not trip over.
    (index_dir / "_MAIN_99.toc.1234.5").write_bytes(b"half a table of contents")
    report = indexer.update(index_dir, [ref.corpus], wait=0)
    assert report.changed
    assert docset(index_dir) == ref.clean_b
    assert leftovers(index_dir) == []


def test_interrupted_first_build_is_rebuilt_not_refused(tmp_path: Path) -> None:
    """A kill between Whoosh's create and searchkit.json leaves only Whoosh files: the next run builds."""
    corpus = tmp_path / "c"
    write_corpus_a(corpus, articles=3)
    ix_dir = tmp_path / "ix"
    indexer.update(ix_dir, [corpus])
    (ix_dir / "searchkit.json").unlink()  # as if killed just before writing it
    assert store.interrupted_create(ix_dir)
    indexer.update(ix_dir, [corpus])
    assert len({a for a, *_ in docset(ix_dir)}) == 3 + 4
    # A folder with anything else in it is still refused.
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    assert not store.interrupted_create(other)


# ---------------------------------------------------------------- the write lock

HOLDER = """
import sys, time
from pathlib import Path
from searchkit.indexing import store
ix = store.open_index(Path(sys.argv[1]))
w = store.acquire_writer(ix, Path(sys.argv[1]), wait=0)
w.add_document(pid="held#1", kind="p", article_id="held", n=1, headline="Held", body="held by a writer")
print("locked", flush=True)
time.sleep(60)
"""


def _start_holder(index_dir: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(index_dir)], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_lock_of_killed_writer_is_free_at_once_and_live_lock_never_stolen(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from searchkit.cli import main
    from searchkit.errors import IndexLockedError

    corpus = tmp_path / "c"
    write_corpus_a(corpus, articles=3)
    ix_dir = tmp_path / "ix"
    indexer.update(ix_dir, [corpus])
    before = docset(ix_dir)
    holder = _start_holder(ix_dir)
    try:
        # A live writer's lock is not taken, however long the other side waits.
        ix = store.open_index(ix_dir)
        started = time.monotonic()
        with pytest.raises(IndexLockedError, match="is being updated by another process"):
            store.acquire_writer(ix, ix_dir, wait=0.5)
        assert time.monotonic() - started >= 0.5
        ix.close()
        res = CliRunner().invoke(main, ["index", str(corpus), "--index", str(ix_dir), "--wait", "0.3"])
        assert res.exit_code == 2
        assert "index is being updated by another process" in res.output
        assert holder.poll() is None  # still alive, still holding it
        assert docset(ix_dir) == before  # and searching works meanwhile
    finally:
        holder.kill()
        holder.wait()
    # The kernel dropped the killed process's lock: a new writer gets it without waiting.
    ix = store.open_index(ix_dir)
    started = time.monotonic()
    w = store.acquire_writer(ix, ix_dir, wait=0)
    assert time.monotonic() - started < 0.5
    w.cancel()
    ix.close()
    assert docset(ix_dir) == before  # the killed writer's uncommitted document never appeared
    assert CliRunner().invoke(main, ["index", str(corpus), "--index", str(ix_dir), "--wait", "0"]).exit_code == 0
