"""Properties of the whole parse -> clean -> segment -> rows path, over generated page texts."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from tasks.clean import non_speech_tags, normalise
from tasks.episode import build_episode, path_episode_id
from tasks.formats import page_text
from tasks.model import InputError
from tasks.segment import segment
from tests.episodes import BARE as SETTINGS
from tests.strategies import page_texts

FAST = settings(max_examples=60)


@FAST
@given(page_texts())
def test_turns_and_sentences_tile_the_clean_text(raw: str) -> None:
    try:
        seg = segment(page_text.parse(raw, "p.txt"))
    except InputError:
        return
    text = seg.clean_text
    for spans in ([(t.start, t.end) for t in seg.turns], [(s.start, s.end) for s in seg.sentences]):
        cursor = 0
        for start, end in spans:
            assert cursor <= start < end <= len(text)
            assert text[cursor:start].strip() == ""
            cursor = end
        assert text[cursor:].strip() == ""
    for sentence in seg.sentences:
        turn = seg.turns[sentence.turn_idx]
        assert turn.start <= sentence.start and sentence.end <= turn.end
    assert not non_speech_tags(text), "non-speech tags must leave the clean text"
    assert all(0 <= e.at <= len(text) for e in seg.events)


@FAST
@given(page_texts())
def test_no_words_are_lost(raw: str) -> None:
    try:
        seg = segment(page_text.parse(raw, "p.txt"))
    except InputError:
        return
    body = raw.split("\nTranscript\n", 1)[1]
    for tag in ("(laughing)", "(upbeat music)", "(applause)", "[Music]"):
        body = body.replace(tag, " ")
    spoken = [w for w in body.split() if w not in ("-", ">>")]
    assert seg.clean_text.split() == spoken


@given(st.text(max_size=300))
def test_cleaning_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=15)
@given(page_texts())
def test_reparsing_the_same_bytes_gives_the_same_rows(raw: str) -> None:
    data = raw.encode()
    try:
        first = build_episode(data, "a/p.txt", SETTINGS)
    except InputError as exc:
        try:
            build_episode(data, "a/p.txt", SETTINGS)
        except InputError as again:
            assert (again.code, again.message) == (exc.code, exc.message)
        return
    second = build_episode(data, "a/p.txt", SETTINGS)
    first_tables, second_tables = first.tables(), second.tables()
    assert first_tables.keys() == second_tables.keys()
    for name, frame in first_tables.items():
        assert_frame_equal(frame, second_tables[name], check_exact=True)
    assert first_tables["episodes"]["episode_id"].to_list() == [first.episode_id]
    assert all(frame["episode_id"].eq(first.episode_id).all() for frame in first_tables.values() if frame.height)


@given(st.text(min_size=1, max_size=80), st.text(max_size=80))
def test_path_ids_are_stable_and_depend_only_on_the_path(path: str, other: str) -> None:
    assert path_episode_id(path) == path_episode_id(path)
    if other != path:
        assert path_episode_id(other) != path_episode_id(path)
    assert pl.Series([path_episode_id(path)]).str.contains(r"^[a-z0-9-]+$").all()
