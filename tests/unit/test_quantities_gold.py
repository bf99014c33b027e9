"""The hand-checked number lists of bench/eval_quantities.py stay usable: every row is found in the clean text of
its file as the pipeline builds it today, and every unit is one the lists' rules name."""

from __future__ import annotations

import re

import pytest

from bench.eval_quantities import SETS, SHARED, Gold, load_gold, locate
from tasks.document import BuildContext
from tasks.episode import build_episode

UNITS = re.compile(
    r"usd|eur|gbp|percent|x|year|age_years|fraction|count"
    r"|duration_(?:s|minutes|hours|days|weeks|months|years)|[a-z]+s"  # a physical unit by its plural name
)


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_every_row_has_a_unit_the_rules_name_and_an_ordered_range(set_name: str) -> None:
    rows = load_gold(SETS[set_name])
    assert len(rows) >= 100
    assert all(UNITS.fullmatch(g.unit) and g.value_low <= g.value_high for g in rows)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared not available")
@pytest.mark.parametrize("set_name", sorted(SETS))
def test_every_row_is_located_in_the_clean_text_of_its_file(set_name: str) -> None:
    by_file: dict[str, list[Gold]] = {}
    for g in load_gold(SETS[set_name]):
        by_file.setdefault(g.file, []).append(g)
    for name, rows in by_file.items():
        path = SHARED / name
        text = build_episode(path.read_bytes(), path.name, BuildContext("test", "test")).text
        unlocated = [g.surface for g in rows if locate(g, text) is None]
        assert unlocated == [], name
        assert all(text[a:b] == re.sub(r"\s+", " ", g.surface) for g in rows for a, b in [locate(g, text) or (0, 0)])
