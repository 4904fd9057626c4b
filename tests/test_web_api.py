"""The web server through Starlette's test client: JSON API, pages, escaping, errors, live updates."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from searchkit import Article, Index  # noqa: E402
from searchkit.web import create_app  # noqa: E402

NASTY = 'Flood <script>alert("x")</script> "quoted" \'single\' & <b>bold</b>'


def articles() -> list[Article]:
    """Twelve storm articles over two sources, three months and two speakers, plus one hostile article."""
    out = [
        Article(
            id=f"storm-{i}",
            headline=f"Storm {i} reaches the coast",
            paragraphs=(
                f"The storm number {i} closed roads along the coast.",
                f'"We are ready for the floods," said Jane Smith{i % 2}, the mayor.',
                "Railways reopened on Sunday.",
            ),
            source=("Riverside Gazette", "Daily Wire")[i % 2],
            date=datetime(2024, 1 + i % 3, 5),
        )
        for i in range(12)
    ]
    out.append(Article(id="evil", headline=NASTY, paragraphs=(f"Flood water {NASTY} rose.",), source="X<y>"))
    return out


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    Index.from_articles(articles(), tmp_path / "index").close()
    return tmp_path / "index"


@pytest.fixture
def client(index_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(index_dir)) as c:
        yield c


def test_api_search_gives_library_hits_and_summary(client: TestClient, index_dir: Path) -> None:
    body = client.get("/api/search", params={"q": "storm", "limit": 5, "page": 2}).json()
    with Index.open(index_dir) as ix:
        expected = ix.search("storm", limit=5, page=2)
    assert body["hits"] == [h.to_dict() for h in expected]
    summary = body["summary"]
    assert (summary["total"], summary["page"], summary["pages"]) == (12, 2, 3)
    assert summary["took_ms"] >= 0
    facets = summary["facets"]
    # Over all 12 matching articles, not the 5 on the page.
    assert facets["source"] == [{"value": "Daily Wire", "count": 6}, {"value": "Riverside Gazette", "count": 6}]
    assert [m["count"] for m in facets["month"]] == [4, 4, 4]
    assert {s["value"]: s["count"] for s in facets["speaker"]} == {"Jane Smith0": 6, "Jane Smith1": 6}


def test_api_filters_use_the_library_names(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "storm", "source": "daily wire", "since": "2024-02-01"}).json()
    assert body["summary"]["total"] == 4
    assert {h["source"] for h in body["hits"]} == {"Daily Wire"}
    body = client.get("/api/search", params={"q": "storm", "speaker": "Jane Smith1"}).json()
    assert body["summary"]["total"] == 6
    assert all("Jane Smith1" in h["speakers"] for h in body["hits"])
    assert body["summary"]["facets"]["speaker"] == [{"value": "Jane Smith1", "count": 6}]


def test_api_typo_note_and_per_article_toggle(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "stormm"}).json()
    assert body["fuzzy"] == {"stormm": ["storm"]}
    assert body["summary"]["facets"]["source"][0]["count"] == 6
    every = client.get("/api/search", params={"q": "mayor", "per_article": "false", "limit": 100}).json()
    assert every["summary"]["per_article"] is False and every["summary"]["total"] == 12


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/search?q=", 400, "bad_query"),
        ("/api/search?q=nofield:x", 400, "bad_query"),
        ("/api/search?q=storm&limit=0", 400, "bad_query"),
        ("/api/search?q=storm&since=yesterday", 400, "bad_query"),
        ("/api/search?q=storm&sort=random", 400, "bad_query"),
        ("/api/articles/no-such-article", 404, "not_found"),
        ("/api/articles/storm-1?paragraph=9", 404, "not_found"),
        ("/api/similar?article=storm-1&paragraph=9", 404, "not_found"),
    ],
)
def test_api_errors_are_json_with_the_library_message(client: TestClient, url: str, status: int, code: str) -> None:
    r = client.get(url)
    assert r.status_code == status
    body = r.json()
    assert body["error"] == code and body["status"] == status and body["message"]
    assert "Traceback" not in r.text


def test_api_articles_similar_stats_and_openapi(client: TestClient) -> None:
    view = client.get("/api/articles/storm-3", params={"paragraph": 2, "context": 1}).json()
    assert [p["paragraph"] for p in view["paragraphs"]] == [1, 2, 3] and view["total_paragraphs"] == 3
    similar = client.get("/api/similar", params={"article": "storm-3", "paragraph": 1}).json()
    assert similar["hits"] and all(h["article_id"] != "storm-3" for h in similar["hits"])
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 13 and stats["speakers"] == 2
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/search" in spec["paths"]


def test_missing_or_damaged_index_is_503_with_the_fix(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "nothing")) as c:
        r = c.get("/api/search", params={"q": "storm"})
        assert r.status_code == 503 and "searchkit index" in r.json()["message"]
        page = c.get("/", params={"q": "storm"})
        assert page.status_code == 503 and "Traceback" not in page.text
    index = tmp_path / "index"
    Index.from_articles(articles(), index).close()
    for f in index.glob("*.seg"):
        f.write_bytes(b"\0" * 64)
    with TestClient(create_app(index)) as c:
        r = c.get("/api/search", params={"q": "storm"})
        assert r.status_code == 503 and "rebuild" in r.json()["message"]


def test_pages_escape_article_text_headline_and_query(client: TestClient) -> None:
    page = client.get("/", params={"q": 'flood "><script>alert(1)</script>'})
    assert page.status_code == 200
    assert "<script>" not in page.text and "<b>bold" not in page.text
    assert "&lt;script&gt;" in page.text and "<mark>" in page.text
    assert 'value=""><script>' not in page.text
    article = client.get("/articles/evil", params={"q": '"><script>', "paragraph": 1})
    assert "<script>" not in article.text and "&lt;script&gt;alert(" in article.text
    assert "X&lt;y&gt;" in article.text
    marked = client.get("/articles/evil", params={"q": "flood", "paragraph": 1}).text
    assert "<mark>Flood</mark> water" in marked and "&lt;script&gt;alert(" in marked and "<script>" not in marked


def test_search_page_shows_hits_facets_paging_and_notes(client: TestClient) -> None:
    page = client.get("/", params={"q": "stormm", "limit": 5}).text
    assert "No match for “stormm”; searched storm instead." in page
    assert page.count('class="hit"') == 5
    assert "<mark>" in page and "— Jane Smith" in page or "Jane Smith" in page
    assert "By source" in page and "By month" in page and "By speaker" in page
    assert 'rel="next"' in page and "page=2" in page
    article = client.get("/articles/storm-2", params={"q": "storm", "paragraph": 2}).text
    assert 'id="p2" class="para hit"' in article and article.count('class="para') == 3
    assert "The <mark>storm</mark> number 2" in article
    assert "Most quoted" in client.get("/stats").text


def test_server_sees_a_commit_made_between_requests(client: TestClient, index_dir: Path) -> None:
    assert client.get("/api/search", params={"q": "volcano"}).json()["summary"]["total"] == 0
    new = [*articles(), Article(id="volcano", headline="Volcano erupts", paragraphs=("Ash everywhere.",))]
    Index.from_articles(new, index_dir).close()
    body = client.get("/api/search", params={"q": "volcano"}).json()
    assert [h["article_id"] for h in body["hits"]] == ["volcano"]


def test_cli_serve_names_the_extra_when_it_is_missing(tmp_path: Path) -> None:
    # A child interpreter where starlette cannot be imported, as without the extra.
    code = (
        "import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None;"
        f"from searchkit.cli import main; sys.argv = ['searchkit', 'serve', '--index', {str(tmp_path)!r}]; main()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "pip install 'searchkit[serve]'" in out.stderr


def test_api_answers_are_plain_json(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "storm"})
    assert r.headers["content-type"].startswith("application/json")
    json.loads(r.text)


def test_facets_skip_paragraphs_an_update_deleted(tmp_path: Path) -> None:
    """An incremental update deletes the old paragraphs of a changed file; facets must not count them."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def write(sources: list[str]) -> None:
        lines = [
            json.dumps({"id": f"a{i}", "headline": "Tide report", "paragraphs": ["High tide at noon."], "source": s})
            for i, s in enumerate(sources)
        ]
        (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    write(["North Star", "North Star", "South Wind"])
    Index.build([corpus], tmp_path / "index", jobs=1).close()
    write(["South Wind", "South Wind", "South Wind"])
    with Index.build([corpus], tmp_path / "index", jobs=1) as ix:
        facets = ix.facets("tide")
        assert facets.total == 3
        assert [(c.value, c.count) for c in facets["source"]] == [("South Wind", 3)]
        assert ix.facets("tide", per_article=False, fields=("source",)).to_dict()["fields"] == {
            "source": [{"value": "South Wind", "count": 3}]
        }


def test_serve_warns_only_beyond_loopback(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from searchkit.web.app import serve

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    serve(index_dir)
    assert calls[-1]["host"] == "127.0.0.1" and "warning" not in capsys.readouterr().err
    serve(index_dir, host="0.0.0.0", port=9001)
    assert calls[-1] == {"host": "0.0.0.0", "port": 9001, "log_level": "warning"}
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err
