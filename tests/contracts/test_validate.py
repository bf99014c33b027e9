"""`validate()` with real Great Expectations: valid batches pass, corruptions name the failing episodes.

Every test that runs GX costs seconds and is marked `slow`; `-m "not slow"` leaves the column check only.
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings

from expectations.contracts import TABLES
from expectations.suites import CheckResult, expectation_specs, validate
from tests.contracts.corruptions import CORRUPTIONS, base_batch, corrupt_each
from tests.strategies import batches, big_batch, frames_from_spec


def _failures(results: list[CheckResult]) -> dict[tuple[str, str], tuple[str, ...]]:
    return {(r.table_name, r.expectation): r.failing_episode_ids for r in results if not r.success}


@pytest.mark.slow
def test_valid_batch_passes_and_results_cover_every_expectation() -> None:
    frames = big_batch(n_episodes=2, turns_per_episode=20)
    results = validate(frames)
    assert _failures(results) == {}
    expected = [(name, s.name) for name, t in TABLES.items() if name in frames for s in expectation_specs(t)]
    assert [(r.table_name, r.expectation) for r in results] == expected
    by_name = {(r.table_name, r.expectation): r for r in results}
    assert by_name[("sentences", "rule(sentence_inside_turn)")].column_name == "chk_sentence_inside_turn"
    assert by_name[("sentences", "not_null(text)")].observed.startswith("0 of ")


@pytest.mark.slow
def test_corruptions_report_exactly_the_failing_episodes() -> None:
    frames, broken = corrupt_each(base_batch(len(CORRUPTIONS) + 1))
    expected = {
        (table, f"rule({chk.removeprefix('chk_')})"): (eid,) for eid, pairs in broken.items() for table, chk in pairs
    }
    results = validate(frames)
    assert _failures(results) == expected
    assert all(r.blocking for r in results if not r.success)


@pytest.mark.slow
def test_duplicate_key_and_bad_value_are_attributed() -> None:
    frames = base_batch(3)
    sents = frames["sentences"]
    dup = sents.filter(pl.col("episode_id") == "ep2").head(1)
    frames["sentences"] = pl.concat([sents, dup])
    frames["turns"] = frames["turns"].with_columns(
        attribution=pl.when(pl.col("episode_id") == "ep0").then(pl.lit("psychic")).otherwise(pl.col("attribution"))
    )
    failures = _failures(validate({k: frames[k] for k in ("episodes", "documents", "turns", "sentences")}))
    assert failures[("sentences", "unique(episode_id, sentence_idx)")] == ("ep2",)
    assert failures[("turns", "in_set(attribution)")] == ("ep0",)


@pytest.mark.slow
def test_speaking_rate_failure_is_not_blocking() -> None:
    frames = base_batch(1)
    frames["episodes"] = frames["episodes"].with_columns(duration_s=pl.lit(3600.0), duration_source=pl.lit("estimated"))
    frames["chapters"] = frames["chapters"].with_columns(
        end_s=pl.when(pl.col("chapter_idx") == pl.col("chapter_idx").max()).then(3600.0).otherwise(pl.col("end_s"))
    )
    results = validate({k: frames[k] for k in ("episodes", "documents", "chapters", "sentences")})
    failing = [r for r in results if not r.success]
    assert {(r.table_name, r.expectation) for r in failing} == {("episodes", "rule(speaking_rate_plausible)")}
    assert not failing[0].blocking and failing[0].failing_episode_ids == ("ep0",)


@pytest.mark.slow
def test_empty_and_absent_frames() -> None:
    empty = frames_from_spec([])
    results = validate({k: empty[k] for k in ("episodes", "turns")})
    assert {r.table_name for r in results} == {"episodes", "turns"}
    assert all(r.success for r in results)
    assert validate({}) == []


def test_wrong_columns_fail_clearly() -> None:
    frames = base_batch(1)
    with pytest.raises(ValueError, match="extra columns"):
        validate({"turns": frames["turns"].with_columns(pl.lit(1).alias("oops"))})


# Each validate() costs ~1-2 s of fixed GX overhead, so few examples; test_rules covers 150.
@pytest.mark.slow
@settings(max_examples=5)
@given(batches(max_episodes=2))
def test_generated_batches_validate(frames: dict[str, pl.DataFrame]) -> None:
    assert _failures(validate(frames)) == {}
