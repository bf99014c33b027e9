"""The unmarked-text boundary model of bench/boundaries.py: shape properties and a regression floor on one
labelled corpus file."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.boundaries import boundary_scores, propose_boundaries
from bench.eval_speakers import CORPUS, corpus_files

SENTS = st.lists(
    st.sampled_from(
        [
            "Yeah.",
            "Right.",
            "How are you?",
            "Fine, thanks.",
            "We ship chips.",
            "So what next?",
            "Thanks, Brad.",
            "Well, I think the market is large.",
            "And that is why we built it, isn't that right?",
            "",
            "Robert, what do you remember of the early days?",
        ]
    ),
    max_size=40,
)


@given(SENTS)
def test_indices_increasing_in_range_and_confidences_bounded(sents: list[str]) -> None:
    b = propose_boundaries(sents)
    idx = [i for i, _ in b]
    assert all(a < c for a, c in pairwise(idx))
    assert all(0 <= i < len(sents) for i in idx)
    assert all(0.0 <= c <= 1.0 for _, c in b)
    assert (not sents) or idx[0] == 0


@given(SENTS)
def test_deterministic(sents: list[str]) -> None:
    assert propose_boundaries(sents) == propose_boundaries(list(sents))


def test_question_then_answer_scores_above_continuation() -> None:
    sents = ["We built the first chip in 1993.", "It took years.", "What did you learn from that?", "Well, a lot."]
    conf = dict(propose_boundaries(sents))
    assert conf.get(3, 0.0) > conf.get(1, 0.0)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus absent")
def test_regression_floor_go_time() -> None:
    # bench/eval_speakers.py: go-time-100 held out (trained on the other corpus files) F1 38.6%, shipped 41.7%
    f = next(f for f in corpus_files(CORPUS) if f.key == "go-time-100")
    assert boundary_scores(f)["f1"] >= 0.35
