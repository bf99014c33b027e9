"""Sentence boundaries on the cases measured in ../shared/research/perf_anchors.md §2."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.sentences import sentence_spans

CASES = [
    ("Mr. Smith said hello to Dr. Jones. He left.", ["Mr. Smith said hello to Dr. Jones.", "He left."]),
    (
        "It costs 2.5 dollars... It is 1.8% up. Really?! Yes.",
        ["It costs 2.5 dollars...", "It is 1.8% up.", "Really?!", "Yes."],
    ),
    ("We went to the U.S. in Jan. 5th. Then back.", ["We went to the U.S. in Jan. 5th.", "Then back."]),
    (
        "Look into X. Does it work? J. K. Rowling wrote. No. 1 is here.",
        ["Look into X.", "Does it work?", "J. K. Rowling wrote.", "No. 1 is here."],
    ),
    ('He said, "Take a week." Then left.', ['He said, "Take a week."', "Then left."]),
    ("We use v3.1 and e.g. GPT-4. Fine.", ["We use v3.1 and e.g. GPT-4.", "Fine."]),
    ("talking about this flywheel--", ["talking about this flywheel--"]),
    ("so we-- we did it. And then -- well, yes.", ["so we-- we did it.", "And then -- well, yes."]),
    ("No. But do I always love it?", ["No.", "But do I always love it?"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_tricky_sentences(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


@given(st.text(alphabet=st.sampled_from(list("ab .?!\"')(A1-\u2026\u201d")), max_size=80))
def test_spans_cover_every_non_space_character_once(text: str) -> None:
    spans = sentence_spans(text)
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert text[previous_end:start].strip() == ""
        previous_end = end
        for i in range(start, end):
            covered[i] = True
    assert text[previous_end:].strip() == ""
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))
