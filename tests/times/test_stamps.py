"""Times the file gives: start-only stamps ("[04:22] 45 minutes.", one per line) kept as anchors,
and the error of times interpolated inside a cue."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given as hgiven
from hypothesis import strategies as st

from tasks.episode import build_episode
from tasks.times import align
from tests.conftest import corpus_file
from tests.episodes import BARE
from tests.times.test_align import _check


@st.composite
def stamped_episodes(draw: st.DrawFn) -> tuple[list[int], list[tuple[int, float, bool]], list[float]]:
    """Random stamps, mostly increasing, some exact and some moved, some going back in time."""
    n = draw(st.integers(1, 120))
    words = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    stamps, t = [], 0.0
    for i in range(n):
        t += words[i] / draw(st.floats(1.5, 4.0)) + draw(st.floats(0, 3))
        if draw(st.integers(0, 4)) == 0:
            back = draw(st.integers(0, 9)) == 0
            stamps.append((i, round(t / 3 if back else t, 2), draw(st.booleans())))
    k = draw(st.integers(0, 4))
    chapters = sorted(draw(st.lists(st.floats(0, 3000, allow_nan=False), min_size=k, max_size=k)))
    return words, stamps, chapters


def _kept(stamps: list[tuple[int, float, bool]]) -> list[tuple[int, float, bool]]:
    """The stamps align believes: in sentence order, never going back in time."""
    kept: list[tuple[int, float, bool]] = []
    for i, t, exact in stamps:
        if t >= (kept[-1][1] if kept else 0.0):
            kept.append((i, t, exact))
    return kept


@hgiven(stamped_episodes())
def test_stamped_starts_are_kept_and_times_stay_monotone(episode) -> None:
    words, stamps, chapters = episode
    result = align(words, [None] * len(words), chapters, stamps=stamps)
    _check(result, len(words), len(chapters))
    kept = _kept(stamps)
    for i, t, exact in kept:
        timing = result.sentences[i]
        assert timing.start_s == pytest.approx(t, abs=1e-6)
        if exact:
            assert timing.time_source == "given" and timing.time_error_s == 0.0
        else:
            assert timing.time_source != "given" and timing.time_error_s > 0
    anchored = [i for i, _, _ in kept]
    for i, timing in enumerate(result.sentences):
        if i in anchored:
            continue
        between = bool(anchored) and anchored[0] < i < anchored[-1]
        assert timing.time_source == ("interpolated" if between else "estimated")


def test_a_stamp_going_back_in_time_is_not_believed() -> None:
    result = align([10] * 6, [None] * 6, [], stamps=[(1, 100.0, True), (3, 50.0, True)])
    assert result.sentences[1].time_source == "given" and result.sentences[1].start_s == 100.0
    assert result.sentences[3].time_source == "estimated" and result.sentences[3].start_s > 100.0
    assert result.sentences[2].end_s > result.sentences[2].start_s


def test_an_exact_stamp_wins_over_a_moved_one() -> None:
    result = align([10] * 4, [None] * 4, [], stamps=[(2, 10.0, False), (2, 20.0, True)])
    assert result.sentences[2].start_s == 20.0 and result.sentences[2].time_source == "given"


def test_time_between_stamps_follows_the_words() -> None:
    # 10 sentences of 10 words between stamps 0 s and 100 s: about 10 s each, whatever the default rate
    words = [10] * 11
    result = align(words, [None] * 11, [], stamps=[(0, 0.0, True), (10, 100.0, True)])
    starts = [s.start_s for s in result.sentences]
    assert starts[0] == 0.0 and starts[10] == 100.0
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert max(gaps) - min(gaps) < 0.5
    assert all(s.time_error_s > 0 for s in result.sentences[1:10])


def test_go_time_stamps_anchor_the_episode() -> None:
    path = corpus_file("speaker_text/changelog_go-time-100.md")
    sentences = build_episode(path.read_bytes(), path.name, BARE).table("sentences")
    forty_five = sentences.filter(sentences["text"] == "45 minutes.").row(0, named=True)
    assert forty_five["start_s"] == 4 * 60 + 22 and forty_five["time_source"] == "given"
    counts = dict(sentences["time_source"].value_counts().iter_rows())
    # 16 stamps in the file, two on 'Break' lines that hold no words
    assert counts["given"] == 14 and counts["interpolated"] > 400
    # only the opening before [04:22] and the close after [59:53] are estimated
    estimated = sentences.filter(sentences["time_source"] == "estimated")["start_s"].to_list()
    assert estimated and all(t < 4 * 60 + 22 or t > 59 * 60 + 53 for t in estimated)


@pytest.mark.parametrize(
    "relative",
    [
        "speaker_text/talkpython_296-f1.txt",
        "seed_format/berean_whisperpage_dfSYxc-5Eh8.txt",
        "timestamped_txt/diarized-transcriber_sample-transcript.md",
    ],
)
def test_line_stamped_files_have_no_estimated_times(relative: str) -> None:
    # every line carries its start: a line runs until the next one starts
    path = corpus_file(relative)
    sentences = build_episode(path.read_bytes(), path.name, BARE).table("sentences")
    assert set(sentences["time_source"].unique()) <= {"given", "interpolated"}
    assert (sentences["time_source"] == "given").sum() > sentences.height / 2
    starts = sentences["start_s"].to_list()
    assert all(a <= b for a, b in itertools.pairwise(starts))


def test_time_the_words_cannot_fill_widens_the_bound() -> None:
    # 20 words, then a stamp at 4:22: music or untranscribed talk lies somewhere before it, so the
    # evenly spread times may be off by minutes, and the bound says so
    result = align([10, 10, 5], [None] * 3, [], stamps=[(2, 262.0, True)])
    assert result.sentences[1].time_error_s > 100
    # at a human rate there is no slack and the bound stays seconds
    result = align([300, 300, 5], [None] * 3, [], stamps=[(2, 262.0, True)])
    assert result.sentences[1].time_error_s < 20


def test_inline_stamps_in_labelled_text_start_timed_pieces_of_the_same_turn() -> None:
    text = (
        "**Ann:** Hello there, welcome. \\[00:10\\] So today we talk about Go.\n\n"
        "**Bob:** \\[00:20\\] Thanks. I love it. \\[00:31\\] Really.\n"
    )
    frames = build_episode(text.encode(), "x.md", BARE).tables()
    assert frames["turns"]["text"].to_list() == [
        "Hello there, welcome. So today we talk about Go.",
        "Thanks. I love it. Really.",
    ]
    timed = {r["text"]: (r["start_s"], r["time_source"]) for r in frames["sentences"].iter_rows(named=True)}
    assert timed["So today we talk about Go."] == (10.0, "given")
    assert timed["Really."] == (31.0, "given")
    assert timed["Thanks."][0] == 20.0


def test_times_interpolated_inside_a_cue_carry_the_interpolation_error() -> None:
    srt = "1\n00:00:00,000 --> 00:00:20,000\nHello there, and welcome. How are you doing on this fine day?\n"
    sentences = build_episode(srt.encode(), "x.srt", BARE).table("sentences")
    first, second = sentences.iter_rows(named=True)
    assert first["time_source"] == second["time_source"] == "interpolated"
    assert first["start_s"] == 0.0 and second["end_s"] == 20.0
    # both sentences have one end inside the 20 s cue: a bridge error of a few seconds, not 0
    assert 1.0 < first["time_error_s"] < 5.0 and 1.0 < second["time_error_s"] < 5.0
