"""Sharded indexes without a cluster: local processes build the shards, threads search them.

The sharded index must answer as one index holding the same articles does (same hits,
order, scores within 1e-9, totals, wire-copy folding, facets), whatever the shard count.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from searchkit import Index
from searchkit.errors import DaskNotInstalledError, IndexNotFoundError, SchemaMismatchError, ShardError
from searchkit.shard import ShardedIndex, is_sharded
from searchkit.shard import manifest as manifest_mod
from searchkit.shard.assign import shard_of, shards_of_file
from searchkit.shard.runner import connect
from tests.shard_helpers import assert_same, generated_corpus, queries, quote_questions


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Index, Index]:
    root = tmp_path_factory.mktemp("shard")
    corpus = generated_corpus(root / "corpus")
    single = Index.build([corpus], root / "single", jobs=1)
    sharded = Index.build([corpus], root / "sharded", shards=3)
    return root, single, sharded


def test_assignment_is_stable_and_spreads() -> None:
    assert shard_of("politics/191", 4) == shard_of("politics/191", 4)  # not the salted hash()
    assert len({shard_of(f"a{i}", 4) for i in range(100)}) == 4
    assert shards_of_file("politics/191.txt", 4) == {shard_of("politics/191", 4)}
    assert shards_of_file("feed.jsonl", 4) == {0, 1, 2, 3}


def test_folder_is_shards_and_a_manifest(built: tuple[Path, Index, Index]) -> None:
    root, single, sharded = built
    assert isinstance(sharded, ShardedIndex) and is_sharded(root / "sharded")
    m = manifest_mod.load(root / "sharded")
    assert m.shards == 3 and m.generation == 1 and m.schema_version > 0
    per_shard = []
    for k in range(3):  # every shard is an ordinary index
        with Index.open(m.shard_dir(root / "sharded", k)) as shard:
            per_shard.append(shard.stats().paragraphs)
    assert all(per_shard) and sum(per_shard) == single.stats().paragraphs


@pytest.mark.parametrize("query", queries(200))
def test_top_20_as_one_index(built: tuple[Path, Index, Index], query: str) -> None:
    _, single, sharded = built
    assert_same(single, sharded, query, limit=20)


@pytest.mark.parametrize(
    "options",
    [
        {"per_article": False},
        {"page": 3, "limit": 5},
        {"sort": "date"},
        {"since": "2015-01-01", "until": "2019-12-31"},
        {"source": "courier"},
        {"fuzzy": False},
        {"per_article": False, "sort": "date", "page": 2},
        {"under": "section2"},
        {"under": "section3", "per_article": False, "sort": "date"},
        {"per_article": False, "limit": 50},
    ],
)
def test_options_as_one_index(built: tuple[Path, Index, Index], options: dict[str, object]) -> None:
    _, single, sharded = built
    for query in queries(40, seed=11):
        assert_same(single, sharded, query, **options)  # type: ignore[arg-type]


def test_the_comparison_sees_every_feature(built: tuple[Path, Index, Index]) -> None:
    """The generated queries do reach headline-only hits, own-text counts, respelled phrases and folders."""
    _, single, sharded = built
    seen: set[str] = set()
    for query in queries(200):
        for per_article in (True, False):
            a = sharded.search(query, limit=20, per_article=per_article)
            assert_same(single, sharded, query, limit=20, per_article=per_article)
            seen |= {"headline_only"} if any(h.headline_only for h in a.hits) else set()
            seen |= {"headline_highlights"} if any(h.headline_highlights for h in a.hits) else set()
            seen |= {"more"} if any(h.more_in_article for h in a.hits) else set()
            seen |= {"respelled"} if a.fuzzy and not query.replace(" ", "").isalpha() else set()
            seen |= {"path"} if query.startswith("path:") and a.hits else set()
    assert seen == {"headline_only", "headline_highlights", "more", "respelled", "path"}


def test_quote_seeking_questions_as_one_index(built: tuple[Path, Index, Index]) -> None:
    _, single, sharded = built
    lifted = 0
    for query in quote_questions():
        for options in ({"per_article": False, "limit": 50}, {"limit": 20}, {"sort": "date", "per_article": False}):
            assert_same(single, sharded, query, **options)  # type: ignore[arg-type]
            res = sharded.search(query, explain=True, **options)  # type: ignore[arg-type]
            lifted += sum(1 for h in res if h.explanation is not None and h.explanation.first > 0)
    assert lifted  # the comparison saw paragraphs ranked first


def test_respelled_phrase_and_field_clause(built: tuple[Path, Index, Index]) -> None:
    _, single, sharded = built
    for query in ('"harbur bridge"', "headline:electon", '"regional councl" path:section0', "markt"):
        a = sharded.search(query)
        assert a.fuzzy, query  # the typo was retried
        assert_same(single, sharded, query)
        assert_same(single, sharded, query, per_article=False)


def test_folder_filter_facets_and_sources(built: tuple[Path, Index, Index]) -> None:
    _, single, sharded = built
    assert sharded.sources() == single.sources()
    for under in ("section1", "corpus/section4", "feed.jsonl", "nowhere"):
        a = single.facets("market", under=under, fields=("source", "month", "folder"))
        b = sharded.facets("market", under=under, fields=("source", "month", "folder"))
        assert (a.fields, a.total) == (b.fields, b.total), under
        assert_same(single, sharded, "market growth", under=under)
    assert sharded.search("market", under="section1").total > 0


def test_wire_copies_fold_across_shards(built: tuple[Path, Index, Index]) -> None:
    _, single, sharded = built
    a, b = single.search("harbour bridge repairs spring"), sharded.search("harbour bridge repairs spring")
    assert a.hits[0].also_in and b.hits[0].also_in == a.hits[0].also_in
    copies = {a.hits[0].article_id, *a.hits[0].also_in}
    assert len({shard_of(x, 3) for x in copies}) > 1  # the copies do live in different shards


def test_article_context_and_explain(built: tuple[Path, Index, Index]) -> None:
    _, single, sharded = built
    for query in ("market growth", "storm coast rain"):
        a = single.search(query, per_article=False, explain=True)
        b = sharded.search(query, per_article=False, explain=True)
        assert [(h.article_id, h.paragraph) for h in a.hits] == [(h.article_id, h.paragraph) for h in b.hits]
        for x, y in zip(a.hits, b.hits):
            assert x.explanation is not None and y.explanation is not None
            assert abs(x.explanation.score - y.explanation.score) <= 1e-9


def test_facets_show_similar_stats_quotes(built: tuple[Path, Index, Index]) -> None:
    _, single, sharded = built
    for query in ("market", "election minister", "speaker:lopez"):
        a, b = single.facets(query), sharded.facets(query)
        assert (a.fields, a.total) == (b.fields, b.total)
    hit = single.search("harbour bridge").hits[0]
    assert sharded.show(hit.article_id) == single.show(hit.article_id)
    assert sharded.show(hit.article_id, hit.paragraph, context=1) == single.show(hit.article_id, hit.paragraph, 1)
    a_sim, b_sim = single.similar(hit.article_id, hit.paragraph), sharded.similar(hit.article_id, hit.paragraph)
    assert [(h.article_id, h.paragraph) for h in a_sim.hits] == [(h.article_id, h.paragraph) for h in b_sim.hits]
    sa, sb = single.stats(), sharded.stats()
    assert (sa.articles, sa.paragraphs, sa.files, sa.quotes, sa.speakers) == (
        sb.articles,
        sb.paragraphs,
        sb.files,
        sb.quotes,
        sb.speakers,
    )
    assert sharded.speakers() == single.speakers()
    assert sharded.quotes(speaker="lopez", limit=None) == single.quotes(speaker="lopez", limit=None)


def test_update_rebuilds_only_the_shards_touched(tmp_path: Path) -> None:
    corpus = generated_corpus(tmp_path / "corpus", articles=60)
    (corpus / "feed.jsonl").unlink()  # only text files: each lives in exactly one shard
    sharded = Index.build([corpus], tmp_path / "sharded", shards=4)
    before = manifest_mod.load(tmp_path / "sharded")
    story = sorted(corpus.rglob("*.txt"))[0]
    story.write_text("Harbour ferry strike\n\nThe ferry strike closed the harbour for a week.\n", encoding="utf-8")
    report = sharded.update()
    after = manifest_mod.load(tmp_path / "sharded")
    changed = [k for k in range(4) if before.dirs[k] != after.dirs[k]]
    assert changed == [shard_of(f"{story.parent.name}/{story.stem}", 4)]
    assert report.updated + report.added >= 1
    single = Index.build([corpus], tmp_path / "single", jobs=1)
    for query in ("ferry strike harbour", "market growth", "election"):
        assert_same(single, sharded, query)
    assert Index.build(None, tmp_path / "sharded").report is not None  # nothing changed: no new generation
    assert manifest_mod.load(tmp_path / "sharded").generation == after.generation


def test_missing_or_damaged_shard_is_named(built: tuple[Path, Index, Index], tmp_path: Path) -> None:
    root, _, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(root / "sharded", copy)
    m = manifest_mod.load(copy)
    shutil.rmtree(m.shard_dir(copy, 1))
    with pytest.raises(ShardError, match=r"shard 1 of 3 .* is missing.*rebuild it \(rebuild=True\)"):
        Index.open(copy)
    shutil.copytree(root / "sharded" / m.dirs[1], m.shard_dir(copy, 1))
    for f in m.shard_dir(copy, 2).glob("*.seg"):
        f.write_bytes(b"\0" * 64)
    for f in m.shard_dir(copy, 2).glob("*.trm"):
        f.write_bytes(b"\0" * 64)
    with pytest.raises(ShardError, match=r"shard 2 of 3 .* is damaged"):
        Index.open(copy).search("market")


def test_manifest_errors(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / manifest_mod.MANIFEST_FILE).write_text(
        json.dumps({"format": manifest_mod.FORMAT, "schema_version": -1}), encoding="utf-8"
    )
    with pytest.raises(SchemaMismatchError, match=r"rebuild it \(rebuild=True\)"):
        Index.open(tmp_path / "x")
    with pytest.raises(IndexNotFoundError):
        ShardedIndex(tmp_path / "nothing")


def test_shard_count_is_kept(built: tuple[Path, Index, Index]) -> None:
    root, _, _ = built
    with pytest.raises(ShardError, match="has 3 shards, not 5"):
        Index.build(None, root / "sharded", shards=5)


def test_dask_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(DaskNotInstalledError, match=r"pip install 'searchkit\[dask\]'"):
        connect("tcp://127.0.0.1:1")


def test_cli_builds_and_searches_shards(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from searchkit.cli import main

    corpus = generated_corpus(tmp_path / "corpus", articles=30)
    runner = CliRunner()
    out = runner.invoke(main, ["index", str(corpus), "--index", str(tmp_path / "ix"), "--shards", "2", "-q"])
    assert out.exit_code == 0, out.output
    assert is_sharded(tmp_path / "ix")
    found = runner.invoke(main, ["search", "market", "--index", str(tmp_path / "ix"), "--json"])
    assert found.exit_code == 0 and '"type": "summary"' in found.output


def test_rebuild_changes_the_shard_count(tmp_path: Path) -> None:
    corpus = generated_corpus(tmp_path / "corpus", articles=40)
    Index.build([corpus], tmp_path / "sharded", shards=3).close()
    rebuilt = Index.build([corpus], tmp_path / "sharded", shards=2, rebuild=True)
    m = manifest_mod.load(tmp_path / "sharded")
    assert m.shards == 2 and m.generation == 2  # new folders: the committed ones were never overwritten
    single = Index.build([corpus], tmp_path / "single", jobs=1)
    for query in queries(20, seed=4):
        assert_same(single, rebuilt, query)


def test_cli_commands_read_a_sharded_index(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from searchkit.cli import main

    corpus = generated_corpus(tmp_path / "corpus", articles=30)
    ix = str(tmp_path / "ix")
    runner = CliRunner()
    assert runner.invoke(main, ["index", str(corpus), "--index", ix, "--shards", "2", "-q"]).exit_code == 0
    hit = Index.open(ix).search("market").hits[0]
    for args in (
        ["show", hit.article_id],
        ["similar", f"{hit.article_id}#{hit.paragraph}"],
        ["quotes", "--speaker", "lopez"],
        ["speakers"],
        ["stats", "--json"],
    ):
        out = runner.invoke(main, [*args, "--index", ix])
        assert out.exit_code in (0, 1), (args, out.output)
