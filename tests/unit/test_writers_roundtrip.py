"""Our own turns written as VTT and SRT and read back through the whole pipeline give the same rows."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.episode import build_episode
from tasks.writers import Cue, to_srt, to_webvtt
from tests.episodes import BARE as SETTINGS


@pytest.fixture(scope="module")
def reference_turns(reference_bytes: bytes) -> pl.DataFrame:
    frames = build_episode(reference_bytes, "transcript_bUrCR4jQQg8.txt", SETTINGS).tables()
    names = dict(zip(frames["speakers"]["speaker_id"], frames["speakers"]["name"], strict=True))
    return frames["turns"].with_columns(name=pl.col("speaker_id").replace_strict(names, default=None))


def _cues(turns: pl.DataFrame) -> list[Cue]:
    return [Cue(r["start_s"], r["end_s"], r["name"], r["text"]) for r in turns.iter_rows(named=True)]


def _read_back(text: str, name: str) -> dict[str, pl.DataFrame]:
    return build_episode(text.encode(), name, SETTINGS).tables()


def test_vtt_round_trip_keeps_turns_speakers_and_times(reference_turns: pl.DataFrame) -> None:
    frames = _read_back(to_webvtt(_cues(reference_turns)), "export.vtt")
    turns = frames["turns"]
    assert turns["text"].to_list() == reference_turns["text"].to_list()
    assert turns["time_source"].unique().to_list() == ["given"]
    for col in ("start_s", "end_s"):
        assert (turns[col] - reference_turns[col]).abs().max() <= 0.0005
    names = dict(zip(frames["speakers"]["speaker_id"], frames["speakers"]["name"], strict=True))
    read_names = [names.get(s) for s in turns["speaker_id"].to_list()]
    assert read_names == reference_turns["name"].to_list()
    assert set(turns["attribution"].to_list()) <= {"labelled", "inferred", "unknown"}
    labelled = turns.filter(pl.col("attribution") == "labelled")
    assert labelled.height == reference_turns["name"].is_not_null().sum()


def test_srt_round_trip_keeps_turns_and_times(reference_turns: pl.DataFrame) -> None:
    frames = _read_back(to_srt(_cues(reference_turns)), "export.srt")
    turns = frames["turns"]
    assert turns["text"].to_list() == reference_turns["text"].to_list()
    for col in ("start_s", "end_s"):
        assert (turns[col] - reference_turns[col]).abs().max() <= 0.0005


_TEXT = st.text(alphabet=st.sampled_from(list("abc xyz.,?!'&<>0123456789é")), min_size=1, max_size=40).filter(
    lambda t: any(c.isalnum() for c in t)
)


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(st.floats(0.01, 30.0), st.sampled_from(["Ann Lee", "Bob Ray", None]), _TEXT), min_size=1, max_size=8
    )
)
def test_generated_cues_round_trip_through_vtt(items: list) -> None:
    cues, clock = [], 0.0
    for duration, speaker, text in items:
        cues.append(Cue(round(clock, 3), round(clock + duration, 3), speaker, " ".join(text.split())))
        clock += duration + 0.5
    frames = _read_back(to_webvtt(cues), "g.vtt")
    spoken = " ".join(c.text for c in cues).split()
    assert frames["documents"]["clean_text"][0].split() == spoken
