"""Concurrency: searches in other threads and processes while a writer commits 50 times.

The writer (a separate process) rewrites `live.jsonl` 50 times, each time with
every paragraph carrying the same generation word `genN`, and runs the real
update after each rewrite. Readers search all the while, some keeping one open
`Index` (refreshed after each commit), some opening the index for every
search. Each answer must be one committed state: exactly the 15 live
paragraphs, all of one generation, generations never going backwards for a
reader. Meanwhile other `searchkit index --wait` processes contend for the
lock: each either succeeds or exits 2 saying the index is being updated.
`benchmarks/stress.py --concurrency-commits N` runs the same with more commits.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import searchkit
from searchkit.indexing import indexer

REPO = Path(__file__).resolve().parent.parent
ARTICLES, PARAGRAPHS = 5, 3
_GEN = re.compile(r"\bgen(\d+)\b")


def live_lines(gen: int) -> str:
    recs = [
        {
            "id": f"live-{a}",
            "headline": f"Live article {a}",
            "paragraphs": [
                f"Marker gen{gen} paragraph {p} of live article {a} about the council budget."
                for p in range(1, PARAGRAPHS + 1)
            ],
        }
        for a in range(ARTICLES)
    ]
    return "".join(json.dumps(r) + "\n" for r in recs)


def write_live(corpus: Path, gen: int) -> None:
    """Replace live.jsonl in one step, so no update ever reads half of it."""
    tmp = corpus / ".live.jsonl.tmp"
    tmp.write_text(live_lines(gen), encoding="utf-8")
    os.replace(tmp, corpus / "live.jsonl")


WRITER = """
import os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from tests.test_concurrency import write_live
from searchkit.indexing import indexer
corpus, ix, commits = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
for gen in range(1, commits + 1):
    write_live(corpus, gen)
    indexer.update(ix, [corpus], wait=30)
print("done", flush=True)
"""

READER = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from tests.test_concurrency import check_once
import searchkit
ix_dir, stop = Path(sys.argv[1]), Path(sys.argv[2])
queries, errors, gens, last = 0, [], set(), 0
with searchkit.Index.open(ix_dir) as ix:
    while not stop.exists():
        try:
            g = check_once(ix, last)
            gens.add(g); last = g
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        queries += 1
print(json.dumps({"queries": queries, "errors": errors[:5], "error_count": len(errors), "gens": len(gens)}))
"""


def check_once(ix: searchkit.Index, last: int) -> int:
    """One search; it must see one committed generation, not older than `last`. Returns it."""
    res = ix.search("marker", limit=50, per_article=False, fuzzy=False, snippets=False)
    gens = {int(m.group(1)) for h in res for m in [_GEN.search(h.text)] if m}
    assert len(res) == ARTICLES * PARAGRAPHS, f"{len(res)} live paragraphs, expected {ARTICLES * PARAGRAPHS}"
    assert len(gens) == 1, f"paragraphs of several commits at once: {sorted(gens)}"
    gen = gens.pop()
    assert gen >= last, f"went back from generation {last} to {gen}"
    view = ix.show("live-2")
    assert view.total_paragraphs == PARAGRAPHS and all("gen" in t for _, t in view.paragraphs)
    return gen


@dataclass
class Outcome:
    queries: int = 0
    errors: list[str] = field(default_factory=list)
    gens_seen: set[int] = field(default_factory=set)
    contenders: dict[int, int] = field(default_factory=dict)  # exit code -> count

    def line(self, commits: int) -> str:
        return (
            f"concurrency: {commits} commits, {self.queries} searches in threads and processes, "
            f"{len(self.errors)} errors, {len(self.gens_seen)} generations seen; "
            f"second writers by exit code {self.contenders}"
        )


def run_concurrency(workdir: Path, commits: int = 50, threads: int = 3, processes: int = 2) -> Outcome:
    corpus, ix_dir, stop = workdir / "corpus", workdir / "ix", workdir / "stop"
    corpus.mkdir(parents=True)
    (corpus / "static.txt").write_text(
        "Static story\n\nNothing changes in this council budget story.\n", encoding="utf-8"
    )
    write_live(corpus, 0)
    indexer.update(ix_dir, [corpus])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    out = Outcome()
    lock = threading.Lock()
    done = threading.Event()

    def reader(reopen: bool) -> None:
        last, n, errs, gens = 0, 0, [], set()
        held = None if reopen else searchkit.Index.open(ix_dir)
        try:
            while not done.is_set():
                try:
                    if reopen:
                        with searchkit.Index.open(ix_dir) as ix:
                            last = check_once(ix, last)
                    else:
                        last = check_once(held, last)
                    gens.add(last)
                except Exception as exc:  # every failure is counted and reported
                    errs.append(f"{type(exc).__name__}: {exc}")
                n += 1
        finally:
            if held is not None:
                held.close()
        with lock:
            out.queries += n
            out.errors += errs
            out.gens_seen |= gens

    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(ix_dir), str(stop), str(REPO)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(processes)
    ]
    workers = [threading.Thread(target=reader, args=(i % 2 == 1,)) for i in range(threads)]
    for t in workers:
        t.start()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(corpus), str(ix_dir), str(commits), str(REPO)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    # Second writers: wait briefly for the lock, then give up with exit code 2.
    while writer.poll() is None:
        second = subprocess.run(
            [sys.executable, "-m", "searchkit", "index", str(corpus), "--index", str(ix_dir), "--wait", "0.05", "-q"],
            capture_output=True,
            text=True,
            env=env,
            cwd=workdir,
            timeout=120,
        )
        out.contenders[second.returncode] = out.contenders.get(second.returncode, 0) + 1
        if second.returncode == 2:
            if "index is being updated by another process" not in second.stderr:
                out.errors.append("second writer: " + second.stderr.strip())
        elif second.returncode != 0:
            out.errors.append(f"second writer exit {second.returncode}: {second.stderr.strip()}")
    w_out, w_err = writer.communicate()
    if writer.returncode != 0 or "done" not in w_out:
        out.errors.append(f"writer failed: {w_err.strip()[-500:]}")
    time.sleep(0.2)  # let every reader see the final commit
    done.set()
    stop.touch()
    for t in workers:
        t.join()
    for p in readers:
        r_out, r_err = p.communicate(timeout=60)
        try:
            got = json.loads(r_out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            out.errors.append(f"reader process failed: {r_err.strip()[-500:]}")
            continue
        out.queries += got["queries"]
        out.errors += got["errors"] + ["…"] * (got["error_count"] - len(got["errors"]))
    with searchkit.Index.open(ix_dir) as ix:  # the end state is the writer's last commit
        if check_once(ix, 0) != commits:
            out.errors.append("the final state is not the last commit")
    return out


def test_a_refreshed_searcher_sees_only_the_new_commit(tmp_path: Path) -> None:
    # patches.FreshReaderIndex: Whoosh's refresh would keep merged-away segments and reuse
    # segment readers whose deletions changed, showing old paragraphs beside new ones.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    ix_dir = tmp_path / "ix"
    write_live(corpus, 0)
    indexer.update(ix_dir, [corpus])
    (corpus / "other.jsonl").write_text(json.dumps({"id": "o", "headline": "O", "paragraphs": ["Other."]}) + "\n")
    indexer.update(ix_dir, [corpus])  # a second segment
    with searchkit.Index.open(ix_dir) as ix:
        assert check_once(ix, 0) == 0
        for gen in (1, 2, 3):  # each commit deletes the live paragraphs and merges small segments
            write_live(corpus, gen)
            indexer.update(ix_dir, [corpus])
            assert check_once(ix, gen) == gen


@pytest.mark.slow
def test_searches_see_only_committed_states_while_a_writer_commits_50_times(tmp_path: Path) -> None:
    out = run_concurrency(tmp_path, commits=50)
    print(out.line(50))
    assert out.errors == []
    assert out.queries >= 100
    assert len(out.gens_seen) >= 10, "readers should have seen many commits"
    assert sum(out.contenders.values()) >= 1 and set(out.contenders) <= {0, 2}


def test_second_writer_waits_then_exits_2(tmp_path: Path) -> None:
    """A writer blocked for longer than --wait exits 2 with the message; one that waits long enough succeeds."""
    from tests.test_crash import _start_holder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_live(corpus, 0)
    ix_dir = tmp_path / "ix"
    indexer.update(ix_dir, [corpus])
    holder = _start_holder(ix_dir)
    cmd = [sys.executable, "-m", "searchkit", "index", str(corpus), "--index", str(ix_dir)]
    try:
        started = time.monotonic()
        blocked = subprocess.run(cmd + ["--wait", "1"], capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert blocked.returncode == 2
    assert blocked.stdout == ""
    assert blocked.stderr.startswith("Error: index is being updated by another process")
    assert "--wait SECONDS" in blocked.stderr and len(blocked.stderr.strip().splitlines()) == 1
    assert waited >= 1.0
    with searchkit.Index.open(ix_dir) as ix:
        assert check_once(ix, 0) == 0  # untouched
    # With the holder gone, the same command succeeds, so the index was never damaged.
    again = subprocess.run(cmd + ["--wait", "0"], capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
