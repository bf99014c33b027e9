"""The four generated forms of each contract agree: Arrow schema, DuckDB table, GX suite, dictionary."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import polars as pl
import pyarrow as pa
import pytest

from expectations.contracts import TABLES, ContractError, cast_to_contract, duckdb_type
from expectations.ddl import all_ddl
from expectations.dictionary import DICTIONARY_PATH, dictionary_rows, render_dictionary
from expectations.rules import check_columns_of
from expectations.suites import expectation_specs

TABLE_NAMES = list(TABLES)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for stmt in all_ddl():
        con.execute(stmt)
    return con


def test_registry_order_is_fixed() -> None:
    assert TABLE_NAMES == [
        "sources",
        "episodes",
        "documents",
        "chapters",
        "speakers",
        "turns",
        "sentences",
        "mentions",
        "quantities",
        "events",
        "keywords",
        "issues",
        "runs",
        "dq_results",
    ]


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_every_column_and_rule_is_described(name: str) -> None:
    table = TABLES[name]
    assert table.description and table.grain
    for c in table.columns:
        assert len(c.description) > 15, (name, c.name)
    for r in table.rules:
        assert r.description, (name, r.name)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_arrow_schema_matches_duckdb_table(name: str, con: duckdb.DuckDBPyConnection) -> None:
    table = TABLES[name]
    schema = table.arrow_schema()
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "WHERE table_name = ? ORDER BY column_index",
        [name],
    ).fetchall()
    expected = [(f.name, duckdb_type(f.type), f.nullable, f.metadata[b"description"].decode()) for f in schema]
    assert rows == expected
    # DuckDB hands back the Arrow types the contract declares (modulo nullability, which Arrow from
    # DuckDB does not carry).
    arrow_back = con.execute(f'SELECT * FROM "{name}" LIMIT 0').to_arrow_table().schema
    for f in schema:
        back = arrow_back.field(f.name).type
        if pa.types.is_list(f.type):
            assert pa.types.is_list(back) and back.value_type in (pa.string(), pa.large_string())
        elif pa.types.is_string(f.type):
            assert back in (pa.string(), pa.large_string(), pa.string_view())
        elif pa.types.is_timestamp(f.type):
            # DuckDB labels TIMESTAMPTZ with the session time zone (machine-dependent): same instant.
            assert pa.types.is_timestamp(back) and back.unit == f.type.unit and back.tz
        else:
            assert back == f.type, (name, f.name, back)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_table_comment_and_no_key_constraints(name: str, con: duckdb.DuckDBPyConnection) -> None:
    table = TABLES[name]
    (comment,) = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()
    assert table.description in comment and table.grain in comment
    assert "PRIMARY KEY" not in table.ddl() and "UNIQUE" not in table.ddl()
    constraints = con.execute(
        "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = ?", [name]
    ).fetchall()
    assert {c for (c,) in constraints} <= {"NOT NULL"}


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_gx_suite_matches_contract(name: str, gx_suites: dict) -> None:
    table = TABLES[name]
    suite = gx_suites[name]
    by_type: dict[str, list] = {}
    for exp in suite.expectations:
        by_type.setdefault(type(exp).__name__, []).append(exp)
    (cols,) = by_type["ExpectTableColumnsToMatchOrderedList"]
    flat = [c.name for c in table.columns if not pa.types.is_nested(c.dtype)]
    assert cols.column_list == flat + [r.check_column for r in table.rules] == check_columns_of(table)
    not_null = {e.column for e in by_type.get("ExpectColumnValuesToNotBeNull", [])}
    assert not_null == {c.name for c in table.columns if not c.nullable and c.name in flat}
    in_set = {e.column: set(e.value_set) for e in by_type.get("ExpectColumnValuesToBeInSet", [])}
    for c in table.columns:
        if c.allowed:
            assert in_set[c.name] == set(c.allowed)
    for r in table.rules:
        assert in_set[r.check_column] == {True}
    if len(table.key) > 1:
        (uniq,) = by_type["ExpectCompoundColumnsToBeUnique"]
        assert list(uniq.column_list) == list(table.key)
    else:
        (uniq,) = by_type["ExpectColumnValuesToBeUnique"]
        assert uniq.column == table.key[0]
    names = [e.meta["name"] for e in suite.expectations]
    assert len(names) == len(set(names)), "expectation names must be unique within a table"
    assert [s.name for s in expectation_specs(table)] == names


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_dictionary_rows_match_contract(name: str) -> None:
    schema = TABLES[name].arrow_schema()
    rows = dictionary_rows(TABLES[name])
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        (f.name, duckdb_type(f.type), f.nullable, f.metadata[b"description"].decode()) for f in schema
    ]
    text = render_dictionary()
    for col, dtype, _nullable, _bounds, _desc in rows:
        assert f"| `{col}` | {dtype} |" in text


def test_committed_dictionary_is_fresh() -> None:
    assert DICTIONARY_PATH.read_text(encoding="utf-8") == render_dictionary(), (
        "expectations/DICTIONARY.md is stale: run `python -m expectations.dictionary`"
    )


def test_expectation_names_and_blocking() -> None:
    specs = {s.name: s for s in expectation_specs(TABLES["sentences"])}
    assert specs["not_null(text)"].blocking
    assert specs["unique(episode_id, sentence_idx)"].blocking
    assert specs["rule(sentence_inside_turn)"].blocking
    assert specs["in_set(question_kind)"].column_name == "question_kind"
    episodes = {s.name: s for s in expectation_specs(TABLES["episodes"])}
    assert not episodes["rule(speaking_rate_plausible)"].blocking


def test_comment_quotes_are_escaped(con: duckdb.DuckDBPyConnection) -> None:
    # "format's" in the episode_id description carries a quote through COMMENT ON.
    (comment,) = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'episodes' AND column_name = 'episode_id'"
    ).fetchone()
    assert "format's own id" in comment


def test_ddl_is_idempotent(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in all_ddl():
        con.execute(stmt)


def _runs_frame(**overrides: object) -> pl.DataFrame:
    import datetime as dt

    row: dict[str, object] = {
        "run_id": "r1",
        "started_at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        "finished_at": dt.datetime(2025, 1, 1, 0, 1, tzinfo=dt.UTC),
        "status": "success",
        **{
            c: 1
            for c in (
                "n_files",
                "n_new",
                "n_changed",
                "n_unchanged",
                "n_missing",
                "n_published",
                "n_quarantined",
                "n_duplicates",
            )
        },
        "snapshot_id": None,
        "pipeline_version": "0.1.0",
    }
    row.update(overrides)
    return pl.DataFrame([row])


def test_cast_to_contract_orders_and_casts() -> None:
    frame = _runs_frame()
    shuffled = frame.select(list(reversed(frame.columns))).with_columns(pl.col("n_files").cast(pl.Int32))
    out = cast_to_contract("runs", shuffled)
    assert out.schema.equals(TABLES["runs"].arrow_schema(), check_metadata=True)
    assert out.column("n_files").to_pylist() == [1]


def test_cast_to_contract_names_missing_and_extra_columns() -> None:
    frame = _runs_frame().drop("status", "n_new").with_columns(pl.lit(1).alias("bogus"))
    with pytest.raises(ContractError) as err:
        cast_to_contract("runs", frame)
    msg = str(err.value)
    assert "missing columns ['status', 'n_new']" in msg and "extra columns ['bogus']" in msg


def test_cast_to_contract_rejects_nulls_in_not_null_columns() -> None:
    with pytest.raises(ContractError, match=r"NOT NULL columns \['status'\]"):
        cast_to_contract("runs", _runs_frame(status=None))


def test_cast_to_contract_rejects_uncastable_values() -> None:
    with pytest.raises(ContractError, match="cannot cast"):
        cast_to_contract("runs", _runs_frame(n_files="many"))


def test_read_only_modules_do_not_import_gx() -> None:
    code = (
        "import sys; import expectations.contracts, expectations.rules, expectations.dictionary, "
        "expectations.ddl, expectations.suites; "
        "assert 'great_expectations' not in sys.modules; assert 'prefect' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(DICTIONARY_PATH.parents[1]))
