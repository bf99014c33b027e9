"""The contracts' `Rule`s as vectorised polars checks.

`derive_checks` turns a batch's frames into flat frames for GX: the contract's non-list columns plus one
boolean ``chk_<rule>`` column per rule. GX then only has to assert ``chk_* in {True}``; the cross-row and
cross-table logic stays here, where polars does it in one pass (see perf_anchors section 5: hand-written
polars checks are ~50x faster than GX's own, and GX pickles list columns).

A check is True (holds), False (broken) or null (could not be computed because the frame it needs is not
in the batch, e.g. span rules without `documents`); GX map expectations skip nulls, so "not computed"
never blocks.

Offsets are code points: polars ``str.slice``/``str.len_chars`` count code points, like Python ``str``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from expectations.contracts import DURATION_TOLERANCE_S, MAX_WPM, MIN_RATE_SPAN_S, MIN_WPM, TABLES, Table, conform

__all__ = ["MAX_WPM", "MIN_RATE_SPAN_S", "MIN_WPM", "check_columns_of", "derive_checks"]

# Chapter boundaries are copied from one chapter's start to the previous one's end; they are equal
# by construction, so only float noise is tolerated.
TIME_EPS = 1e-6

_TEXT = "__clean_text"
_LEN = "__text_len"
_DUR = "__duration_s"


@dataclass(frozen=True, slots=True)
class _Ctx:
    docs: pl.DataFrame | None  # episode_id, __clean_text, __text_len
    durations: pl.DataFrame | None  # episode_id, __duration_s
    frames: Mapping[str, pl.DataFrame]

    def child(self, name: str) -> pl.DataFrame | None:
        return self.frames.get(name)


def check_columns_of(table: Table) -> list[str]:
    """Columns of the frame `derive_checks` returns for `table`, in order."""
    return [c.name for c in table.flat_columns] + [r.check_column for r in table.rules]


def _with_text(frame: pl.DataFrame, ctx: _Ctx) -> pl.DataFrame:
    if ctx.docs is None:
        return frame.with_columns(pl.lit(None, pl.String).alias(_TEXT), pl.lit(None, pl.Int64).alias(_LEN))
    return frame.join(ctx.docs, on="episode_id", how="left", maintain_order="left")


def _with_duration(frame: pl.DataFrame, ctx: _Ctx) -> pl.DataFrame:
    if ctx.durations is None:
        return frame.with_columns(pl.lit(None, pl.Float64).alias(_DUR))
    return frame.join(ctx.durations, on="episode_id", how="left", maintain_order="left")


def _needs_docs(expr: pl.Expr, ctx: _Ctx) -> pl.Expr:
    # With documents in the batch, a row whose episode has no document breaks the rule (null -> False);
    # without them the rule is not computed (null).
    return expr.fill_null(False) if ctx.docs is not None else pl.lit(None, pl.Boolean)


def _slice(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    return pl.col(_TEXT).str.slice(start, (end - start).clip(lower_bound=0))


def _span_inside(ctx: _Ctx) -> pl.Expr:
    s, e = pl.col("start_char"), pl.col("end_char")
    return _needs_docs((s >= 0) & (s <= e) & (e <= pl.col(_LEN)), ctx)


def _text_matches(column: str, ctx: _Ctx) -> pl.Expr:
    s, e = pl.col("start_char"), pl.col("end_char")
    inside = (s >= 0) & (s <= e) & (e <= pl.col(_LEN))
    return _needs_docs(inside & (_slice(s, e) == pl.col(column)), ctx)


def _ordered(idx: str) -> pl.Expr:
    prev_end = pl.col("end_char").shift(1).over("episode_id", order_by=idx)
    return (prev_end.is_null() | (pl.col("start_char") >= prev_end)).fill_null(False)


def _tiles(idx: str, ctx: _Ctx) -> pl.Expr:
    prev_end = pl.col("end_char").shift(1).over("episode_id", order_by=idx).fill_null(0)
    is_last = pl.col("start_char").shift(-1).over("episode_id", order_by=idx).is_null()
    gap_before = _slice(prev_end, pl.col("start_char"))
    after_end = pl.when(is_last).then(pl.col(_LEN)).otherwise(pl.col("end_char"))
    gap_after = _slice(pl.col("end_char"), after_end)
    return _needs_docs((gap_before.str.strip_chars() == "") & (gap_after.str.strip_chars() == ""), ctx)


def _times_ordered() -> pl.Expr:
    s, e = pl.col("start_s"), pl.col("end_s")
    return (s.is_null() | e.is_null() | (s <= e)).fill_null(False)


def _start_s_non_decreasing(idx: str) -> pl.Expr:
    # forward_fill first so a row without a time does not hide a decrease across it.
    prev = pl.col("start_s").forward_fill().shift(1).over("episode_id", order_by=idx)
    return (pl.col("start_s").is_null() | prev.is_null() | (pl.col("start_s") >= prev)).fill_null(False)


def _within_duration(col: str) -> pl.Expr:
    v, dur = pl.col(col), pl.col(_DUR)
    return v.is_null() | ((v >= 0) & (dur.is_null() | (v <= dur + DURATION_TOLERANCE_S)))


def _times_inside_duration() -> pl.Expr:
    return (_within_duration("start_s") & _within_duration("end_s")).fill_null(False)


def _rate_ok(words: pl.Expr, seconds: pl.Expr, estimated: pl.Expr) -> pl.Expr:
    wpm = words / (seconds / 60.0)
    applies = estimated & (seconds >= MIN_RATE_SPAN_S)
    return ~applies | wpm.is_between(MIN_WPM, MAX_WPM)


def _count_join(
    frame: pl.DataFrame, child: pl.DataFrame | None, keys: list[str], agg: pl.Expr, alias: str
) -> tuple[pl.DataFrame, bool]:
    """Left-join an aggregate of `child` per `keys`; False when the child frame is not in the batch."""
    if child is None:
        return frame.with_columns(pl.lit(None, pl.Int64).alias(alias)), False
    counts = child.group_by(keys).agg(agg.alias(alias))
    joined = frame.join(counts, on=keys, how="left", maintain_order="left", nulls_equal=True)
    return joined.with_columns(pl.col(alias).fill_null(0)), True


# ---- per-table checks -------------------------------------------------------------------------


def _episodes(frame: pl.DataFrame, ctx: _Ctx) -> pl.DataFrame:
    def cnt(name: str, agg: pl.Expr, alias: str) -> None:
        nonlocal frame
        frame, _ = _count_join(frame, ctx.child(name), ["episode_id"], agg, alias)

    cnt("chapters", pl.len().cast(pl.Int64), "__chapters")
    cnt("turns", pl.len().cast(pl.Int64), "__turns")
    cnt("sentences", pl.len().cast(pl.Int64), "__sentences")
    cnt("sentences", pl.col("n_words").sum().cast(pl.Int64), "__words")
    frame = _with_text(frame, ctx)
    has_text = pl.col(_TEXT).str.strip_chars() != ""
    text_has_turns = (~has_text | (pl.col("__turns") > 0)).fill_null(False)
    if ctx.docs is None or ctx.child("turns") is None:
        text_has_turns = pl.lit(None, pl.Boolean)
    rate = _rate_ok(pl.col("n_words"), pl.col("duration_s"), pl.col("duration_source") == "estimated").fill_null(True)
    return frame.with_columns(
        chk_n_chapters_match=pl.col("n_chapters") == pl.col("__chapters"),
        chk_n_turns_match=pl.col("n_turns") == pl.col("__turns"),
        chk_n_sentences_match=pl.col("n_sentences") == pl.col("__sentences"),
        chk_n_words_match=pl.col("n_words") == pl.col("__words"),
        chk_text_has_turns=text_has_turns,
        chk_speaking_rate_plausible=rate,
    )


def _chapters(frame: pl.DataFrame, ctx: _Ctx) -> pl.DataFrame:
    frame, have_sentences = _count_join(
        frame,
        ctx.child("sentences"),
        ["episode_id", "chapter_idx"],
        pl.col("n_words").sum().cast(pl.Int64),
        "__words",
    )
    frame = _with_duration(_with_text(frame, ctx), ctx)
    order = "chapter_idx"
    prev_end = pl.col("end_char").shift(1).over("episode_id", order_by=order)
    is_last = pl.col("start_char").shift(-1).over("episode_id", order_by=order).is_null()
    starts_ok = pl.when(prev_end.is_null()).then(pl.col("start_char") == 0).otherwise(pl.col("start_char") == prev_end)
    ends_ok = ~is_last | (pl.col("end_char") == pl.col(_LEN))
    next_start_s = pl.col("start_s").shift(-1).over("episode_id", order_by=order)
    rate = _rate_ok(pl.col("__words"), pl.col("end_s") - pl.col("start_s"), pl.col("time_source") == "estimated")
    return frame.with_columns(
        chk_span_inside_text=_span_inside(ctx),
        chk_times_ordered=_times_ordered(),
        chk_start_s_non_decreasing=_start_s_non_decreasing(order),
        chk_times_inside_duration=_times_inside_duration(),
        chk_chapters_tile_text=_needs_docs(starts_ok & ends_ok, ctx),
        chk_chapters_contiguous_times=(
            next_start_s.is_null() | ((pl.col("end_s") - next_start_s).abs() <= TIME_EPS)
        ).fill_null(False),
        chk_speaking_rate_plausible=rate.fill_null(True) if have_sentences else pl.lit(None, pl.Boolean),
    )


def _turns(frame: pl.DataFrame, ctx: _Ctx) -> pl.DataFrame:
    frame, have_sentences = _count_join(
        frame,
        ctx.child("sentences"),
        ["episode_id", "turn_idx"],
        pl.col("n_words").sum().cast(pl.Int64),
        "__words",
    )
    frame = _with_duration(_with_text(frame, ctx), ctx)
    words_ok = pl.col("n_words") == pl.col("__words") if have_sentences else pl.lit(None, pl.Boolean)
    return frame.with_columns(
        chk_span_inside_text=_span_inside(ctx),
        chk_text_matches_span=_text_matches("text", ctx),
        chk_turns_ordered=_ordered("turn_idx"),
        chk_turns_tile_text=_tiles("turn_idx", ctx),
        chk_times_ordered=_times_ordered(),
        chk_start_s_non_decreasing=_start_s_non_decreasing("turn_idx"),
        chk_times_inside_duration=_times_inside_duration(),
        chk_n_words_match_sentences=words_ok,
    )


def _sentences(frame: pl.DataFrame, ctx: _Ctx) -> pl.DataFrame:
    turns = ctx.child("turns")
    if turns is None:
        inside_turn = pl.lit(None, pl.Boolean)
        frame = frame.with_columns(pl.lit(None, pl.Int64).alias("__ts"), pl.lit(None, pl.Int64).alias("__te"))
    else:
        # Duplicate keys would multiply rows and break row alignment; duplicates are GX's to report.
        bounds = turns.select("episode_id", "turn_idx", __ts="start_char", __te="end_char").unique(
            ["episode_id", "turn_idx"], keep="first", maintain_order=True
        )
        frame = frame.join(bounds, on=["episode_id", "turn_idx"], how="left", maintain_order="left")
        inside_turn = ((pl.col("__ts") <= pl.col("start_char")) & (pl.col("end_char") <= pl.col("__te"))).fill_null(
            False
        )
    frame = _with_duration(_with_text(frame, ctx), ctx)
    return frame.with_columns(
        chk_span_inside_text=_span_inside(ctx),
        chk_text_matches_span=_text_matches("text", ctx),
        chk_sentences_ordered=_ordered("sentence_idx"),
        chk_sentences_tile_text=_tiles("sentence_idx", ctx),
        chk_sentence_inside_turn=inside_turn,
        chk_times_ordered=_times_ordered(),
        chk_start_s_non_decreasing=_start_s_non_decreasing("sentence_idx"),
        chk_times_inside_duration=_times_inside_duration(),
    )


def _mentions(frame: pl.DataFrame, ctx: _Ctx) -> pl.DataFrame:
    frame = _with_text(frame, ctx)
    return frame.with_columns(
        chk_span_inside_text=_span_inside(ctx),
        chk_surface_matches_span=_text_matches("surface", ctx),
    )


def _quantities(frame: pl.DataFrame, ctx: _Ctx) -> pl.DataFrame:
    return _mentions(frame, ctx).with_columns(
        chk_value_range_ordered=(pl.col("value_low") <= pl.col("value_high")).fill_null(False)
    )


def _events(frame: pl.DataFrame, ctx: _Ctx) -> pl.DataFrame:
    frame = _with_duration(_with_text(frame, ctx), ctx)
    s = pl.col("start_char")
    return frame.with_columns(
        chk_point_inside_text=_needs_docs((s >= 0) & (s <= pl.col(_LEN)), ctx),
        chk_time_inside_duration=_within_duration("start_s").fill_null(False),
    )


_CHECKS: dict[str, Callable[[pl.DataFrame, _Ctx], pl.DataFrame]] = {
    "episodes": _episodes,
    "chapters": _chapters,
    "turns": _turns,
    "sentences": _sentences,
    "mentions": _mentions,
    "quantities": _quantities,
    "events": _events,
}


def derive_checks(frames: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Per table in `frames`: its flat contract columns plus a ``chk_<rule>`` column per rule.

    Rows keep their input order, so row *i* of the result is row *i* of the input frame. Cross-table
    rules use the other frames of the same batch (`documents` for spans, `episodes` for durations,
    children for counts); a rule whose input frame is absent is null. Unknown table names raise KeyError.
    """
    # Cast to the contract's dtypes, so empty frames (often all-Null dtype) and int32/large_string variants
    # behave like real data in the checks below.
    conformed = {name: conform(name, frame) for name, frame in frames.items()}
    # One row per episode in the lookups, or a duplicated episode would duplicate every child row.
    docs = conformed.get("documents")
    docs = None if docs is None else docs.unique("episode_id", keep="first", maintain_order=True)
    episodes = conformed.get("episodes")
    episodes = None if episodes is None else episodes.unique("episode_id", keep="first", maintain_order=True)
    ctx = _Ctx(
        docs=None
        if docs is None
        else docs.select(
            "episode_id",
            pl.col("clean_text").alias(_TEXT),
            pl.col("clean_text").str.len_chars().cast(pl.Int64).alias(_LEN),
        ),
        durations=None if episodes is None else episodes.select("episode_id", pl.col("duration_s").alias(_DUR)),
        frames=conformed,
    )
    out: dict[str, pl.DataFrame] = {}
    for name, frame in conformed.items():
        table = TABLES[name]
        derive = _CHECKS.get(name)
        checked = derive(frame, ctx) if derive is not None else frame
        out[name] = checked.select(check_columns_of(table))
    return out
