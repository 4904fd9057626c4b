"""The index remembers its roots: updates without paths, added paths, explicit deletion (issue 17, item 1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write

from searchkit import Index
from searchkit.cli import main
from searchkit.errors import CorpusError, DeletionRefusedError


def _folder(base: Path, name: str, count: int) -> Path:
    for i in range(count):
        write(base / name, f"{name}{i}.txt", f"{name} headline {i}\n\nThe {name} story number {i} is here.\n")
    return base / name


def _ids(ix: Index) -> set[str]:
    return {d["article_id"] for d in ix.searcher().documents(kind="p")}


def test_update_without_paths_reads_the_recorded_roots(tmp_path: Path) -> None:
    jan = _folder(tmp_path, "jan", 8)
    idx = tmp_path / "idx"
    Index.build([jan], idx, jobs=1).close()
    with Index.build(None, idx, jobs=1) as ix:  # today: ./corpus, and every article deleted
        assert ix.report is not None and ix.report.removed == 0 and ix.report.unchanged == 8
        assert ix.stats().roots == (str(jan.resolve()),)
    meta = json.loads((idx / "searchkit.json").read_text(encoding="utf-8"))
    assert meta["roots"] == [{"given": str(jan), "path": os.path.abspath(jan)}]


def test_a_new_path_is_added_to_the_roots(tmp_path: Path) -> None:
    jan, feb = _folder(tmp_path, "jan", 3), _folder(tmp_path, "feb", 3)
    idx = tmp_path / "idx"
    Index.build([jan], idx, jobs=1).close()
    with Index.build([feb], idx, jobs=1) as ix:
        assert ix.stats().roots == (os.path.abspath(jan), os.path.abspath(feb))
        assert ix.stats().articles == 6
        # and an update of the open index reads both roots again
        report = ix.update()
        assert (report.added, report.removed, report.unchanged) == (0, 0, 6)


def test_removing_a_root_or_mirroring_is_explicit(tmp_path: Path) -> None:
    jan, feb = _folder(tmp_path, "jan", 3), _folder(tmp_path, "febx", 3)
    idx = tmp_path / "idx"
    Index.build([jan, feb], idx, jobs=1).close()
    with Index.build(None, idx, remove_roots=[feb], jobs=1) as ix:
        assert ix.stats().roots == (os.path.abspath(jan),)
        assert ix.stats().articles == 3
    with Index.build([feb], idx, mirror=True, jobs=1) as ix:
        assert ix.stats().roots == (os.path.abspath(feb),)
        assert ix.stats().articles == 3
    with pytest.raises(CorpusError, match="not a root"):
        Index.build(None, idx, remove_roots=[jan], jobs=1)


def test_mass_deletion_stops_unless_pruned(tmp_path: Path) -> None:
    jan = _folder(tmp_path, "jan", 10)
    idx = tmp_path / "idx"
    Index.build([jan], idx, jobs=1).close()
    for i in range(6):
        (jan / f"jan{i}.txt").unlink()
    with pytest.raises(DeletionRefusedError, match=r"delete 6 of the index's 10 articles.*prune=True"):
        Index.build(None, idx, jobs=1)
    with Index.open(idx) as ix:
        assert ix.stats().articles == 10  # nothing was changed
    with Index.build(None, idx, prune=True, jobs=1) as ix:
        assert ix.stats().articles == 4


def test_a_few_deletions_need_no_flag(tmp_path: Path) -> None:
    jan = _folder(tmp_path, "jan", 10)
    idx = tmp_path / "idx"
    Index.build([jan], idx, jobs=1).close()
    for i in range(5):
        (jan / f"jan{i}.txt").unlink()
    with Index.build(None, idx, jobs=1) as ix:
        assert ix.report is not None and ix.report.removed == 5


def test_a_missing_root_is_an_error_not_a_deletion(tmp_path: Path) -> None:
    jan = _folder(tmp_path, "jan", 3)
    idx = tmp_path / "idx"
    Index.build([jan], idx, jobs=1).close()
    jan.rename(tmp_path / "moved")
    with pytest.raises(CorpusError, match=r"does not exist.*remove_roots="):
        Index.build(None, idx, jobs=1)
    with Index.open(idx) as ix:
        assert len(_ids(ix)) == 3


def test_cli_index_without_paths_updates_and_stats_lists_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _folder(tmp_path, "jan", 8)
    _folder(tmp_path, "feb", 8)
    runner = CliRunner()
    assert runner.invoke(main, ["index", "jan", "--index", "idx", "-j1"]).exit_code == 0
    res = runner.invoke(main, ["index", "feb", "--index", "idx", "-j1"])
    assert res.exit_code == 0 and "0 removed" in res.output and "8 unchanged" in res.output
    res = runner.invoke(main, ["index", "--index", "idx", "-j1"])
    assert res.exit_code == 0 and "0 removed, 16 unchanged" in res.output
    stats = runner.invoke(main, ["stats", "--index", "idx"])
    assert "roots" in stats.output and os.path.abspath("jan") in stats.output and os.path.abspath("feb") in stats.output
    as_json = json.loads(runner.invoke(main, ["stats", "--index", "idx", "--json"]).output)
    assert as_json["roots"] == [os.path.abspath("jan"), os.path.abspath("feb")]


def test_cli_refuses_mass_deletion_with_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    jan = _folder(tmp_path, "jan", 8)
    runner = CliRunner()
    assert runner.invoke(main, ["index", "jan", "--index", "idx", "-j1"]).exit_code == 0
    for i in range(7):
        (jan / f"jan{i}.txt").unlink()
    res = runner.invoke(main, ["index", "--index", "idx", "-j1"])
    assert res.exit_code == 2
    assert "would delete 7" in res.output and "jan0.txt" in res.output and "--prune" in res.output
    res = runner.invoke(main, ["index", "--index", "idx", "-j1", "--prune"])
    assert res.exit_code == 0 and "7 removed" in res.output
    res = runner.invoke(main, ["index", "--index", "idx", "--remove-root", "jan"])
    assert res.exit_code == 0 and "1 removed" in res.output
