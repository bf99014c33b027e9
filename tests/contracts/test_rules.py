"""`derive_checks` on valid generated batches and on targeted corruptions (polars only, no GX)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given

from expectations.contracts import TABLES
from expectations.rules import check_columns_of, derive_checks
from tests.contracts.corruptions import CORRUPTIONS, base_batch, corrupt_each, false_checks
from tests.strategies import batches, frames_from_spec


@given(batches())
def test_valid_batches_pass_every_rule(frames: dict[str, pl.DataFrame]) -> None:
    derived = derive_checks(frames)
    assert false_checks(derived) == set()
    for name, frame in derived.items():
        assert frame.columns == check_columns_of(TABLES[name])
        assert frame.height == frames[name].height
        # every rule is computable when the whole batch is present
        for col in frame.columns:
            if col.startswith("chk_"):
                assert frame[col].null_count() == 0, (name, col)


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_corruption_breaks_exactly_its_rule(corruption: str) -> None:
    corrupt, expected = CORRUPTIONS[corruption]
    frames = corrupt(base_batch(), "ep1")
    derived = derive_checks(frames)
    assert false_checks(derived, "ep1") == expected
    assert false_checks(derived, "ep0") == set() and false_checks(derived, "ep2") == set()


def test_all_corruptions_in_one_batch_stay_in_their_episodes() -> None:
    frames, broken = corrupt_each(base_batch(len(CORRUPTIONS) + 1))
    derived = derive_checks(frames)
    assert false_checks(derived, "ep0") == set()
    assert {eid: false_checks(derived, eid) for eid in broken} == broken


def test_offsets_are_code_points() -> None:
    frames = base_batch()
    text = frames["documents"]["clean_text"][0]
    assert any(ord(ch) > 0xFFFF for ch in text), "the base batch must contain astral characters"
    assert false_checks(derive_checks(frames)) == set()


def test_empty_frames() -> None:
    empty = frames_from_spec([])
    derived = derive_checks(empty)
    assert all(f.height == 0 for f in derived.values())
    assert derived["sentences"].columns == check_columns_of(TABLES["sentences"])


def test_span_rules_are_null_without_documents() -> None:
    frames = {k: v for k, v in base_batch().items() if k not in ("documents", "episodes")}
    derived = derive_checks(frames)
    assert derived["turns"]["chk_span_inside_text"].null_count() == derived["turns"].height
    assert derived["turns"]["chk_turns_ordered"].all()


def test_duplicate_lookup_keys_keep_row_alignment() -> None:
    frames = base_batch()
    frames["documents"] = pl.concat([frames["documents"], frames["documents"].head(1)])
    frames["turns"] = pl.concat([frames["turns"], frames["turns"].head(1)])
    derived = derive_checks(frames)
    assert derived["sentences"].height == frames["sentences"].height
    assert derived["turns"].height == frames["turns"].height


def test_speaking_rate_is_a_warning() -> None:
    frames = base_batch()
    frames["episodes"] = frames["episodes"].with_columns(duration_s=pl.lit(3600.0), duration_source=pl.lit("estimated"))
    derived = derive_checks(frames)
    assert not derived["episodes"]["chk_speaking_rate_plausible"].any()
    assert not next(r for r in TABLES["episodes"].rules if r.name == "speaking_rate_plausible").blocking


def test_missing_column_is_named() -> None:
    frames = base_batch()
    frames["turns"] = frames["turns"].drop("text")
    with pytest.raises(ValueError, match=r"missing columns \['text'\]"):
        derive_checks(frames)
