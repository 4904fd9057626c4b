"""The command line: exit codes, output formats, errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit.cli import main


def test_index_summary_and_noop(runner: CliRunner, sample_corpus: Path, built: str) -> None:
    res = runner.invoke(main, ["index", str(sample_corpus), "--index", built])
    assert res.exit_code == 0
    assert "0 added, 0 updated, 0 removed, 7 unchanged" in res.output  # the sample corpus: 7 articles
    assert "nothing to do" in res.output


def test_three_minutes_json(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "three minutes", "--json", "--index", built])
    assert res.exit_code == 0
    lines = [json.loads(line) for line in res.output.splitlines()]
    first = lines[0]
    assert first["paragraph"] == 5 and "Walid" in first["snippet"]
    covered = "".join(first["snippet"][s:e] for s, e in first["highlights"])
    assert "three" in covered and "minutes" in covered
    for key in (
        "rank",
        "score",
        "article_id",
        "paragraph",
        "headline",
        "snippet",
        "highlights",
        "quotes",
        "speakers",
        "source",
    ):
        assert key in first


def test_furniture_is_not_indexed(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "Join the Discussion", "--index", built, "--no-fuzzy"])
    assert res.exit_code == 1 and res.stdout == ""


def test_speaker_field(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "speaker:smith", "--index", built, "--json"])
    assert res.exit_code == 0
    hit = json.loads(res.output.splitlines()[0])
    assert "Kronos" in hit["snippet"] or "Kronos" in hit["text"]
    assert hit["speakers"] == ["Michael S Smith II"]


def test_human_output_without_colour(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "three minutes", "--index", built])
    assert res.exit_code == 0
    assert res.output.startswith("1. Twitter Trying To Keep ISIS Accounts Offline")
    assert "¶5" in res.output and "\x1b[" not in res.output


def test_colour_when_forced_and_no_color_wins(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "three minutes", "--index", built, "--color", "always"])
    assert "\x1b[" in res.output
    res = runner.invoke(main, ["search", "three minutes", "--index", built], env={"NO_COLOR": "1"})
    assert "\x1b[" not in res.output


def test_missing_index_is_one_line_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["search", "x", "--index", str(tmp_path / "none")])
    assert res.exit_code == 2
    assert res.output.strip().count("\n") == 0
    assert "Error:" in res.output and "searchkit index" in res.output


def test_env_var_sets_the_index(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "three minutes"], env={"SEARCHKIT_INDEX": built})
    assert res.exit_code == 0


@pytest.mark.parametrize("query", ["", "bogus:field"])
def test_bad_query_exit_2(runner: CliRunner, built: str, query: str) -> None:
    res = runner.invoke(main, ["search", query, "--index", built])
    assert res.exit_code == 2 and res.output.startswith("Error:")


def test_show_and_stats_and_similar(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["show", "twitter-isis-accounts-offline#5", "-C", "1", "--index", built])
    assert res.exit_code == 0
    assert ">¶5" in res.output and "¶4" in res.output and "¶6" in res.output and "¶7" not in res.output
    res = runner.invoke(main, ["stats", "--index", built, "--json"])
    st = json.loads(res.output)
    assert (st["articles"], st["paragraphs"], st["quotes"]) == (7, 33, 15)
    res = runner.invoke(main, ["similar", "nope#1", "--index", built])
    assert res.exit_code == 2
    res = runner.invoke(main, ["show", "x#y", "--index", built])
    assert res.exit_code == 2


def test_rank_option(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "twitter", "--index", built, "--rank", "headline_boost=0", "--json"])
    assert res.exit_code == 0
    res = runner.invoke(main, ["search", "twitter", "--index", built, "--rank", "nonsense=1"])
    assert res.exit_code == 2 and "unknown ranking option" in res.output


def test_typo_note_on_stderr(built: str) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["search", "terorist", "--index", built])
    assert res.exit_code == 0
    assert "searched" in res.stderr and "terorist" in res.stderr


def test_help_does_not_import_whoosh() -> None:
    """`searchkit --help` and completion stay fast: Whoosh loads only when a command needs it."""
    import subprocess
    import sys

    code = "import sys, searchkit.cli; print('whoosh' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_public_name_resolves() -> None:
    import searchkit

    for name in searchkit.__all__:
        assert getattr(searchkit, name) is not None
    with pytest.raises(AttributeError):
        searchkit.nothing_here  # noqa: B018


def test_explain_option(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "three minutes", "--index", built, "--explain"])
    assert res.exit_code == 0
    assert "three" in res.output and "body" in res.output and "(tf 1" in res.output
    res = runner.invoke(main, ["search", "three minutes", "--index", built, "--explain", "--json"])
    ex = json.loads(res.output.splitlines()[0])["explanation"]
    assert {w["word"] for w in ex["words"]} == {"three", "minut"}


def test_show_and_stats_json_are_pinned(runner: CliRunner, built: str) -> None:
    """`show`/`stats --json` print the result types' to_dict(), in the shape 0.1 printed by hand."""
    res = runner.invoke(main, ["show", "twitter-isis-accounts-offline#1", "--json", "--index", built])
    first = (
        "Twitter has launched an all-out-war against ISIS and similar organizations that promote violent "
        "extremism and is actively wiping out all ISIS accounts on its site. ISIS sympathizers, however, are "
        "not intimidated by Twitter's actions and are determined to make their online presence felt even more."
    )
    want = (
        '{"article_id": "twitter-isis-accounts-offline", "headline": "Twitter Trying To Keep ISIS Accounts '
        'Offline, But It\'s No Easy Task", "paragraphs": [{"paragraph": 1, "text": "' + first + '"}], '
        '"total_paragraphs": 7, "source": "", "path": "twitter-isis-accounts-offline.txt", "date": null, "url": ""}\n'
    )
    assert res.stdout == want
    res = runner.invoke(main, ["stats", "--index", built, "--json"])
    st = json.loads(res.stdout)
    assert list(st) == [
        "articles",
        "paragraphs",
        "files",
        "quotes",
        "speakers",
        "top_speakers",
        "size_bytes",
        "last_update",
        "roots",  # issue 17: the paths the index is built from, added at the end
    ]
    assert st["top_speakers"][0] == ["Colin Abernethy", 2]
    assert ["Abu al-Walid", 1] in st["top_speakers"] and ["Michael S Smith II", 1] in st["top_speakers"]
    assert st["last_update"].endswith("+00:00")


def test_library_advice_becomes_the_command(runner: CliRunner, built: str) -> None:
    """Library errors advise in library terms; the CLI's one mapper prints the command instead."""
    from searchkit import errors
    from searchkit.cli import cli_message

    damaged = errors.IndexCorruptError("the index in ix is damaged (EOFError: x); rebuild it (rebuild=True)")
    assert (
        cli_message(damaged) == "the index in ix is damaged (EOFError: x); rebuild it with `searchkit index --rebuild`"
    )
    old = errors.SchemaMismatchError("built with schema version 1; rebuild it (rebuild=True)")
    assert cli_message(old).endswith("rebuild it with `searchkit index --rebuild`")
    assert (
        cli_message(errors.IndexLockedError("busy; wait longer (wait=SECONDS)")) == "busy; wait longer (--wait SECONDS)"
    )
    assert cli_message(errors.QueryError("rebuild it (rebuild=True)")) == "rebuild it (rebuild=True)"


def test_rank_option_errors_are_one_line(runner: CliRunner, built: str) -> None:
    res = runner.invoke(main, ["search", "twitter", "--index", built, "--rank", "k1=abc"])
    assert res.exit_code == 2 and res.stderr == "Error: 'k1=abc': 'abc' is not a number\n"


def test_cli_catches_library_errors_not_every_value_error(
    runner: CliRunner, built: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ValueError that is not a SearchkitError is a bug: it must not be printed as a user error."""
    from searchkit import api

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug, not a user mistake")

    monkeypatch.setattr(api.Index, "search", broken)
    res = runner.invoke(main, ["search", "twitter", "--index", built])
    assert res.exit_code == 1 and isinstance(res.exception, ValueError)


def test_index_command_uses_the_public_api(
    runner: CliRunner, sample_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`searchkit index` goes through Index.build, so the CLI and the library build alike."""
    from searchkit import api

    calls: list[object] = []
    real = api.Index.build.__func__  # type: ignore[attr-defined]  # a classmethod's function

    def spy(cls: type[api.Index], *args: object, **kwargs: object) -> api.Index:
        calls.append(args)
        return real(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(api.Index, "build", classmethod(spy))
    res = runner.invoke(main, ["index", str(sample_corpus), "--index", str(tmp_path / "ix2")])
    assert res.exit_code == 0 and len(calls) == 1


def test_result_types_to_dict_are_json_ready(tmp_path: Path) -> None:
    """Every result type gives a JSON-ready dict; datetimes become ISO 8601 strings."""
    from datetime import datetime, timezone

    import searchkit

    art = searchkit.Article(
        id="a1",
        headline="Storm hits the coast",
        paragraphs=('"The storm was fierce," said Jane Doe.', "Roads closed overnight."),
        date=datetime(2005, 3, 1, tzinfo=timezone.utc),
    )
    with searchkit.Index.from_articles([art], tmp_path / "ix") as ix:
        res = ix.search("storm", explain=True)
        view, stats = ix.show("a1"), ix.stats()
    page = json.loads(json.dumps(res.to_dict()))
    assert page["total"] == 1 and page["hits"] == [json.loads(json.dumps(h.to_dict())) for h in res]
    hit = page["hits"][0]
    assert hit["date"] == "2005-03-01T00:00:00+00:00" and hit["explanation"]["words"][0]["word"] == "storm"
    assert json.loads(json.dumps(view.to_dict()))["date"] == "2005-03-01T00:00:00+00:00"
    assert isinstance(json.loads(json.dumps(stats.to_dict()))["last_update"], str)
    assert res[0].fragments[0].to_dict()["text"] == hit["fragments"][0]["text"]
