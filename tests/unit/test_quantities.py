"""Numbers said, on the phrasings real pages use (the figures on hand-checked pages are in
bench/results/eval_quantities.json)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.quantities import quantities


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They did 26 billion of revenue last year.", [("26 billion", 26e9, 26e9, "usd")]),
        ("We raised 100 million from them.", [("100 million", 1e8, 1e8, "usd")]),
        ("It has 250 million weekly users.", [("250 million", 2.5e8, 2.5e8, "count")]),
        ("It is two or three times faster.", [("two or three times", 2, 3, "x")]),
        ("That is a factor of four.", [("a factor of four", 4, 4, "x")]),
        ("He ran twice as fast.", [("twice", 2, 2, "x")]),
        ("It was three to four years ago.", [("three to four years", 3, 4, "duration_years")]),
        ("I have three kids and one dog.", [("three", 3, 3, "count")]),
        ("We work 24/7 on it.", []),
        ("That was a couple of days.", []),
        ("GPT-4 came out in 2023.", [("2023", 2023, 2023, "year")]),
        ("It was six and a half billion dollars.", [("six and a half billion dollars", 6.5e9, 6.5e9, "usd")]),
        ("We expect 2 1/2 to 3% growth.", [("2 1/2 to 3%", 2.5, 3, "percent")]),
        ("About three hundred and forty two people came.", [("three hundred and forty two", 342, 342, "count")]),
        ("Twenty-five percent of people agree.", [("Twenty-five percent", 25, 25, "percent")]),
        ("It reached half a million people.", [("half a million", 5e5, 5e5, "count")]),
    ],
)
def test_numbers_people_say(sentence: str, expected: list[tuple[str, float, float, str]]) -> None:
    assert [(q.surface, q.value_low, q.value_high, q.unit) for q in quantities(sentence)] == expected


@given(st.text(max_size=300))
def test_every_quantity_is_a_span_of_its_sentence_with_an_ordered_range(text: str) -> None:
    found = quantities(text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    for q in found:
        assert text[q.start : q.end] == q.surface and q.value_low <= q.value_high
