"""Paragraphs: a turn starts one, a long pause of a timed file or a paragraph grown long starts another, and
estimated times never do."""

from __future__ import annotations

import itertools

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.paragraphs import PARAGRAPH_MAX_WORDS, PARAGRAPH_MIN_WORDS, paragraph_indices
from tests.conftest import CORPUS


def _timed(pauses: list[float], words: int = 30, turns: list[int] | None = None, source: str = "given"):
    start, starts, ends = 0.0, [], []
    for pause in pauses:
        start += pause
        starts.append(start)
        start += words / 2.5
        ends.append(start)
    n = len(pauses)
    return paragraph_indices(turns or [0] * n, starts, ends, [words] * n, [source] * n)


def test_a_long_pause_starts_a_paragraph_once_the_paragraph_has_some_words() -> None:
    pauses = [0.0, 0.1, 0.1, 3.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.1]
    assert _timed(pauses, words=20) == [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    # without a long pause, a paragraph ends once it has grown long (here after 200 words)
    assert _timed([0.1] * 12, words=40) == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]
    # the same pause after one short sentence is no paragraph's end
    assert _timed([0.0, 3.0, *[0.1] * 10], words=10)[:2] == [0, 0]


def test_estimated_times_give_no_pauses_and_a_turn_always_starts_a_paragraph() -> None:
    pauses = [0.0, 0.1, 0.1, 3.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
    assert set(_timed(pauses, words=10, source="estimated")) == {0}
    assert _timed([0.0, 0.1, 0.1], turns=[0, 1, 1]) == [0, 1, 1]


@given(
    st.lists(
        st.tuples(st.floats(0, 5), st.integers(1, 60), st.booleans(), st.sampled_from(["given", "estimated"])),
        min_size=1,
        max_size=80,
    )
)
def test_paragraphs_count_up_never_cross_turns_and_stay_bounded(rows: list[tuple[float, int, bool, str]]) -> None:
    turn, turns, starts, ends, t = 0, [], [], [], 0.0
    for pause, words, new_turn, _ in rows:
        turn += new_turn
        turns.append(turn)
        t += pause
        starts.append(t)
        t += words / 2.5
        ends.append(t)
    words = [w for _, w, _, _ in rows]
    got = paragraph_indices(turns, starts, ends, words, [s for *_, s in rows])
    assert got[0] == 0 and all(b - a in (0, 1) for a, b in itertools.pairwise(got))
    for i in range(1, len(got)):
        if turns[i] != turns[i - 1]:
            assert got[i] == got[i - 1] + 1
        if got[i] == got[i - 1]:
            assert turns[i] == turns[i - 1]
    for p in set(got):
        members = [i for i, g in enumerate(got) if g == p]
        assert sum(words[i] for i in members[:-1]) < PARAGRAPH_MAX_WORDS
        if len(members) > 1 and p + 1 in got and turns[members[-1]] == turns[members[-1] + 1]:
            # a paragraph ended inside a turn: long enough, or too long
            assert sum(words[i] for i in members) >= PARAGRAPH_MIN_WORDS


def test_a_caption_file_of_one_long_turn_reads_as_timed_paragraphs() -> None:
    from tasks.episode import build_episode
    from tests.episodes import WITH_PEOPLE

    vtt = CORPUS / "vtt" / "talkpython_001_nicola_iarocci_talk_python_to_me.vtt"
    if not vtt.exists():
        pytest.skip("../shared/corpus absent")
    sentences = build_episode(vtt.read_bytes(), vtt.name, WITH_PEOPLE).layer("sentences")
    sizes = sentences.group_by("paragraph_idx").agg(words=pl.col("n_words").sum()).sort("paragraph_idx")
    assert sizes.height >= 5000 // PARAGRAPH_MAX_WORDS
    assert sizes["words"].max() < PARAGRAPH_MAX_WORDS + 80
    firsts = sentences.group_by("paragraph_idx").agg(pl.col("start_s").min()).sort("paragraph_idx")["start_s"]
    assert firsts.is_sorted() and firsts.n_unique() == firsts.len()
