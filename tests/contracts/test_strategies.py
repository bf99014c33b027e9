"""The test-data builders of `tests.strategies` follow the contracts, so a new contract column needs no test change.

Every frame they build has exactly its contract's columns, in order, as its dtypes, casts with
`cast_to_contract`, and keeps every column's declaration (nulls, allowed set, bounds).
"""

from __future__ import annotations

import dataclasses

import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

import expectations.contracts as contracts
from expectations.contracts import EPISODE_TABLES, TABLES, Column, Table, cast_to_contract
from expectations.rules import derive_checks
from tests.contracts.corruptions import base_spec, false_checks
from tests.strategies import (
    batches,
    big_batch,
    column_values,
    contract_frames,
    default_value,
    frames_from_spec,
    table_frame,
)

Frames = dict[str, pl.DataFrame]


def violations(table: Table, frame: pl.DataFrame) -> list[str]:
    """What in `frame` breaks `table`'s column declarations: names and order, dtypes, nulls, allowed sets, bounds."""
    if frame.columns != list(table.column_names):
        return [f"{table.name}: columns {frame.columns}, contract {list(table.column_names)}"]
    out = [] if frame.schema == table.polars_schema() else [f"{table.name}: schema {frame.schema}"]
    for c in table.columns:
        column, values = frame[c.name], frame[c.name].drop_nulls()
        if not c.nullable and column.null_count():
            out.append(f"{table.name}.{c.name}: nulls")
        if c.allowed is not None and not values.is_in(list(c.allowed)).all():
            out.append(f"{table.name}.{c.name}: values outside {c.allowed}")
        if c.min_value is not None and (values < c.min_value).any():
            out.append(f"{table.name}.{c.name}: values below {c.min_value}")
        if c.max_value is not None and (values > c.max_value).any():
            out.append(f"{table.name}.{c.name}: values above {c.max_value}")
    return out


def assert_fits(frames: Frames, tables: dict[str, Table] = TABLES) -> None:
    """Every episode table is there, and each frame fits its contract and casts to it."""
    assert list(frames) == list(EPISODE_TABLES)
    for name, frame in frames.items():
        assert violations(tables[name], frame) == []
        assert cast_to_contract(name, frame).schema == tables[name].arrow_schema()


def test_violations_sees_each_broken_declaration() -> None:
    table = TABLES["speakers"]
    good = table_frame("speakers", [{"episode_id": "ep0", "speaker_id": "S1"}])
    assert violations(table, good) == []
    bad = good.with_columns(
        role=pl.lit("boss"), talk_share=pl.lit(1.5), n_turns=pl.lit(-1, pl.Int64), speaker_id=pl.lit(None, pl.String)
    )
    assert len(violations(table, bad)) == 4
    assert violations(table, good.select(reversed(good.columns)))
    assert violations(table, good.with_columns(pl.col("n_turns").cast(pl.Int32)))


# --- the column layer --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(TABLES))
def test_default_values_fit_every_declaration(name: str) -> None:
    frame = table_frame(name, [{}, {}])
    assert violations(TABLES[name], frame) == []
    cast_to_contract(name, frame)
    assert frame.row(0, named=True) == {c.name: default_value(c) for c in TABLES[name].columns}


@settings(max_examples=20)
@given(data=st.data())
@pytest.mark.parametrize("name", list(TABLES))
def test_drawn_frames_fit_every_declaration(name: str, data: st.DataObject) -> None:
    table = TABLES[name]
    frame = data.draw(contract_frames(name))
    assert violations(table, frame) == []
    cast_to_contract(name, frame)
    assert not frame.select(table.key).is_duplicated().any()


def test_defaults_respect_allowed_sets_bounds_and_nullability() -> None:
    assert default_value(Column("x", pa.string(), True, "d", allowed=("a", "b"))) is None
    assert default_value(Column("x", pa.string(), False, "d", allowed=("a", "b"))) == "a"
    assert default_value(Column("x", pa.int64(), False, "d", min_value=1)) == 1
    assert default_value(Column("x", pa.int64(), False, "d", min_value=0.5, max_value=3)) == 1
    assert default_value(Column("x", pa.float64(), False, "d", min_value=-3, max_value=-1)) == -1.0
    assert default_value(Column("x", pa.bool_(), False, "d")) is False
    assert default_value(Column("x", pa.list_(pa.string()), False, "d")) == []


def test_an_unknown_type_fails_in_one_place() -> None:
    column = Column("x", pa.binary(), False, "d")
    with pytest.raises(NotImplementedError, match="binary"):
        column_values(column)
    with pytest.raises(NotImplementedError, match="binary"):
        default_value(column)


def test_a_value_given_wins_over_the_fill() -> None:
    frame = table_frame("speakers", [{"role": "guest", "name": "Ada"}, {}])
    assert frame["role"].to_list() == ["guest", "host"]
    assert frame["name"].to_list() == ["Ada", None]


def test_table_frame_rejects_columns_the_contract_lacks() -> None:
    with pytest.raises(KeyError, match="oops"):
        table_frame("turns", [{"episode_id": "ep0", "oops": 1}])


# --- the episode builders ----------------------------------------------------------------------


def test_spec_frames_fit_their_contracts() -> None:
    assert_fits(frames_from_spec([base_spec(), base_spec()]))
    assert_fits(frames_from_spec([]))
    assert_fits(big_batch(n_episodes=2, turns_per_episode=12))


@settings(max_examples=25)
@given(batches())
def test_generated_batches_fit_their_contracts(frames: Frames) -> None:
    assert_fits(frames)


# --- a column added to a contract --------------------------------------------------------------

NOTE = Column("test_note", contracts.FLOAT, True, "An added nullable column with bounds.", min_value=-1, max_value=1)
MODE = Column("test_mode", contracts.STR, False, "An added NOT NULL column with an allowed set.", allowed=("a", "b"))
ADDED = (NOTE.name, MODE.name)


def _extended() -> dict[str, Table]:
    """Every episode table with NOTE after its first column and MODE at the end."""
    out = dict(TABLES)
    for name in EPISODE_TABLES:
        cols = TABLES[name].columns
        out[name] = dataclasses.replace(TABLES[name], columns=(cols[0], NOTE, *cols[1:], MODE))
    return out


EXTENDED = _extended()


def _assert_fits_extended(frames: Frames) -> None:
    # cast_to_contract reads the registry, so it sees the extended contract while it is patched in. (Only
    # the cast: `conform` and `derive_checks` use a polars schema cached by table name.)
    with pytest.MonkeyPatch.context() as m:
        for name in EPISODE_TABLES:
            m.setitem(contracts.TABLES, name, EXTENDED[name])
        assert_fits(frames, EXTENDED)
    for frame in frames.values():
        assert frame.columns[1] == NOTE.name and frame.columns[-1] == MODE.name


def test_an_added_column_needs_no_builder_change() -> None:
    specs = [base_spec(), base_spec()]
    frames = frames_from_spec(specs, tables=EXTENDED)
    _assert_fits_extended(frames)
    assert all(f[MODE.name].eq(MODE.allowed[0]).all() and f[NOTE.name].is_null().all() for f in frames.values())
    # Apart from the added columns, the frames are the ones the real contract gives, and keep every rule.
    plain = {name: frame.drop(ADDED) for name, frame in frames.items()}
    for name, frame in frames_from_spec(specs).items():
        assert_frame_equal(plain[name], frame)
    assert false_checks(derive_checks(plain)) == set()
    _assert_fits_extended(big_batch(n_episodes=1, turns_per_episode=6, tables=EXTENDED))


@settings(max_examples=25)
@given(batches(tables=EXTENDED))
def test_generated_batches_fill_an_added_column(frames: Frames) -> None:
    _assert_fits_extended(frames)
    assert false_checks(derive_checks({name: frame.drop(ADDED) for name, frame in frames.items()})) == set()
