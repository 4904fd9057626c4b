"""The relevance benchmark's selection machinery: the grid, leave-one-out, the keep rule, CF parsing."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import loo  # noqa: E402
import more_collections  # noqa: E402


def test_the_grid_passes_article_context_to_the_library() -> None:
    setting = loo.Setting(1.5, 0.4, "shipped", 0.75, 0.3)
    ranking = setting.ranking()
    assert (ranking.k1, ranking.b, ranking.headline_b, ranking.context) == (1.5, 0.4, 0.4, 0.3)
    assert (ranking.headline_boost, ranking.quotes_boost, ranking.query_tf) == (2.0, 1.5, 0.75)


def test_neighbourhood_varies_one_knob_at_a_time() -> None:
    near = loo.neighbourhood(loo.CHOSEN)
    assert loo.CHOSEN in near and loo.STANDARD in near and loo.SHIPPED in near
    for s in near:
        if s not in (loo.STANDARD, loo.SHIPPED):
            assert sum(getattr(s, k) != getattr(loo.CHOSEN, k) for k in loo.GRID) <= 1
    assert len(near) == 1 + sum(len(v) - 1 for v in loo.GRID.values()) + 2


def test_leave_one_out_never_sees_the_held_out_collection() -> None:
    s1, s2 = loo.Setting(1.2, 0.75, "none", 1.0, 0.0), loo.Setting(2.0, 0.75, "none", 1.0, 0.0)
    figures = {"x": {s1: 0.5, s2: 0.9}, "y": {s1: 0.5, s2: 0.6}, "z": {s1: 0.6, s2: 0.1}}
    cv = loo.cross_validate(figures, [s1, s2])
    # z is held out: chosen on x and y -> s2, which is bad on z
    assert cv["z"] == (s2, 0.1)
    # x held out: y and z -> s1 (mean 0.55) over s2 (0.35)
    assert cv["x"] == (s1, 0.5)


def test_keep_rule() -> None:
    ref = {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5}
    assert loo.decide("k", {"a": 0.6, "b": 0.6, "c": 0.48, "d": 0.48}, ref).kept  # two losses allowed
    three = loo.decide("k", {"a": 0.9, "b": 0.48, "c": 0.48, "d": 0.48}, ref)
    assert not three.kept and three.losses == ["b", "c", "d"]
    assert not loo.decide("k", {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5}, ref).kept  # no win, no change


CF = (
    "PN 74001\nRN 00001 \nAN 1\nTI A title\n   on two lines.\nAB An abstract\n   continued.\nMAXIMAL\n\n"
    "PN 74002\nRN 00002 \nTI Second.\nEX An extract.\n"
)


def test_cf_records() -> None:
    recs = more_collections._cf_records(CF)
    assert [r["RN"] for r in recs] == ["00001", "00002"]
    assert recs[0]["TI"] == "A title on two lines."
    assert recs[0]["AB"] == "An abstract continued. MAXIMAL"  # an unindented continuation line
    assert recs[1]["EX"] == "An extract."
