"""Targeted corruptions of a valid batch, each breaking one rule in one episode.

`base_batch` is the valid batch they are applied to, and `corrupt_each` applies every corruption at once,
each to its own episode, for tests that check one run reports each failure against the right episode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl

from tests.strategies import EpisodeSpec, frames_from_spec

Frames = dict[str, pl.DataFrame]


def base_spec() -> EpisodeSpec:
    """Three turns of two sentences in two chapters, with entities, a number and astral characters."""
    turn = (("we", "café", "GPU"), ("naïve", "東京", "😀", "42"))
    return EpisodeSpec(
        turns=(turn, turn, turn),
        separators=("", " \n", "\n", "\n"),
        sentence_sep=" ",
        n_chapters=2,
        duration_source="given",
        n_speakers=2,
    )


def base_batch(n_episodes: int = 3) -> Frames:
    """`n_episodes` copies of `base_spec()`, as episodes ep0, ep1, ..."""
    return frames_from_spec([base_spec()] * n_episodes)


def _ep(frame: pl.DataFrame, eid: str) -> pl.Expr:
    return pl.col("episode_id") == eid


def overlapping_turns(frames: Frames, eid: str) -> Frames:
    """Turn 0 swallows turn 1 (text kept consistent), so turn 1 starts before turn 0 ends."""
    turns = frames["turns"]
    t1_end = turns.filter(_ep(turns, eid) & (pl.col("turn_idx") == 1))["end_char"].item()
    text = frames["documents"].filter(_ep(turns, eid))["clean_text"].item()
    t0 = _ep(turns, eid) & (pl.col("turn_idx") == 0)
    t0_start = turns.filter(t0)["start_char"].item()
    turns = turns.with_columns(
        end_char=pl.when(t0).then(t1_end).otherwise(pl.col("end_char")),
        text=pl.when(t0).then(pl.lit(text[t0_start:t1_end])).otherwise(pl.col("text")),
    )
    return {**frames, "turns": turns}


def sentence_outside_turn(frames: Frames, eid: str) -> Frames:
    """The first sentence of turn 1 is assigned to turn 0; turn word counts are moved along with it."""
    sents = frames["sentences"]
    target = sents.filter(_ep(sents, eid) & (pl.col("turn_idx") == 1)).sort("sentence_idx").row(0, named=True)
    is_target = _ep(sents, eid) & (pl.col("sentence_idx") == target["sentence_idx"])
    sents = sents.with_columns(turn_idx=pl.when(is_target).then(0).otherwise(pl.col("turn_idx")))
    turns = frames["turns"]
    n = target["n_words"]
    turns = turns.with_columns(
        n_words=pl.col("n_words")
        + pl.when(_ep(turns, eid) & (pl.col("turn_idx") == 0)).then(n).otherwise(0)
        - pl.when(_ep(turns, eid) & (pl.col("turn_idx") == 1)).then(n).otherwise(0)
    )
    return {**frames, "sentences": sents, "turns": turns}


def wrong_n_turns(frames: Frames, eid: str) -> Frames:
    eps = frames["episodes"]
    return {**frames, "episodes": eps.with_columns(n_turns=pl.col("n_turns") + _ep(eps, eid).cast(pl.Int64))}


def mention_past_text_end(frames: Frames, eid: str) -> Frames:
    m = frames["mentions"]
    text_len = len(frames["documents"].filter(_ep(m, eid))["clean_text"].item())
    first = m.filter(_ep(m, eid)).sort("start_char").row(0, named=True)
    hit = _ep(m, eid) & (pl.col("start_char") == first["start_char"])
    return {
        **frames,
        "mentions": m.with_columns(end_char=pl.when(hit).then(text_len + 5).otherwise(pl.col("end_char"))),
    }


def non_whitespace_gap(frames: Frames, eid: str) -> Frames:
    """The whitespace between turns 0 and 1 becomes letters; no offset moves."""
    docs = frames["documents"]
    turns = frames["turns"]
    t0_end = turns.filter(_ep(turns, eid) & (pl.col("turn_idx") == 0))["end_char"].item()
    t1_start = turns.filter(_ep(turns, eid) & (pl.col("turn_idx") == 1))["start_char"].item()
    text = docs.filter(_ep(docs, eid))["clean_text"].item()
    new = text[:t0_end] + "x" * (t1_start - t0_end) + text[t1_start:]
    docs = docs.with_columns(clean_text=pl.when(_ep(docs, eid)).then(pl.lit(new)).otherwise(pl.col("clean_text")))
    return {**frames, "documents": docs}


# corruption -> the (table, chk column) pairs it must turn False, and nothing else
CORRUPTIONS: dict[str, tuple[Callable[[Frames, str], Frames], set[tuple[str, str]]]] = {
    "overlapping_turns": (overlapping_turns, {("turns", "chk_turns_ordered")}),
    "sentence_outside_turn": (sentence_outside_turn, {("sentences", "chk_sentence_inside_turn")}),
    "wrong_n_turns": (wrong_n_turns, {("episodes", "chk_n_turns_match")}),
    "mention_past_text_end": (
        mention_past_text_end,
        {("mentions", "chk_span_inside_text"), ("mentions", "chk_surface_matches_span")},
    ),
    "non_whitespace_gap": (
        non_whitespace_gap,
        {("turns", "chk_turns_tile_text"), ("sentences", "chk_sentences_tile_text")},
    ),
}


def false_checks(derived: dict[str, pl.DataFrame], eid: str | None = None) -> set[tuple[str, str]]:
    """(table, chk column) pairs that are False for some row (of episode `eid`, if given)."""
    out = set()
    for name, frame in derived.items():
        rows = frame if eid is None else frame.filter(pl.col("episode_id") == eid)
        for col in frame.columns:
            if col.startswith("chk_") and rows.filter(pl.col(col) == False).height:  # noqa: E712
                out.add((name, col))
    return out


def corrupt_each(frames: Frames, names: Iterable[str] = CORRUPTIONS) -> tuple[Frames, dict[str, set[tuple[str, str]]]]:
    """The i-th corruption of `names` applied to episode ``ep{i}`` (from ep1; ep0 stays valid).

    Returns the corrupted frames and, per corrupted episode, the (table, chk column) pairs it must break.
    """
    broken: dict[str, set[tuple[str, str]]] = {}
    for i, name in enumerate(names, start=1):
        corrupt, expected = CORRUPTIONS[name]
        frames = corrupt(frames, f"ep{i}")
        broken[f"ep{i}"] = expected
    return frames, broken
