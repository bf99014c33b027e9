"""The read-only sandbox of `tlake sql`: one query, checked with DuckDB's own parser, on a locked connection
with a memory and a time limit.

What a query may be: exactly one statement that DuckDB parses as a SELECT (``SELECT``, ``WITH``, ``FROM``,
``VALUES``, ``DESCRIBE``, ``SHOW``, ``SUMMARIZE``, ``PRAGMA`` of a read), or ``EXPLAIN`` of such a query (never
``EXPLAIN ANALYZE``, which runs what it explains: ``EXPLAIN ANALYZE COPY ... TO`` writes). Every function the
parse tree calls is checked: functions that write, compact or checkpoint the lake, run SQL given as text
(``query()``), or read files other than the lake's data through a reader that ignores the file-access
settings (the catalog itself: ``sqlite_scan``, ``read_blob``) are refused by name.

What the connection may do (`lock_down`, for every read-only connection of `flows.catalog.connect`): file
access only inside the lake's data folder, which DuckLake reads its Parquet from (``enable_external_access =
false``, so ``read_csv('/etc/passwd')`` or ``COPY ... TO '/tmp/x'`` fail), spilling only into a temporary folder
of its own outside the lake, at most `MEMORY_LIMIT` of memory, and the configuration locked so none of it can
be undone. DuckDB cannot make an allowed folder read-only, so the data folder's safety rests on the query
check: `tlake sql` runs nothing but a checked SELECT. The Python connection gets the same settings but runs
whatever it is given (``COPY`` into the data folder, several statements, another ``ATTACH`` of the catalog): a
guard against accidents, not a sandbox (Python code can write files anyway). ``connect(read_only=True,
trusted=True)`` opts out, for trusted code such as `tlake export`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

# Bounds of a reader's connection and of one `tlake sql` query (TLAKE_SQL_MEMORY, TLAKE_SQL_TIMEOUT_S override).
MEMORY_LIMIT = "2GB"
TIMEOUT_S = 120.0

# Functions no read-only query may call: they write or maintain the lake, run SQL given as a string, or read
# files the attach has opened (the catalog) whatever the file-access settings say.
REFUSED_FUNCTIONS = frozenset(
    """checkpoint force_checkpoint query query_table sqlite_scan sqlite_query sqlite_attach read_blob read_text
    read_csv read_csv_auto sniff_csv read_json read_json_auto read_json_objects read_json_objects_auto read_ndjson
    read_ndjson_auto read_ndjson_objects read_xlsx st_read enable_profiling""".split()
)
# The DuckLake functions that only read; every other ducklake_* function (merge, expire, cleanup, rewrite,
# flush, add files, set option) changes the lake.
READING_DUCKLAKE_FUNCTIONS = frozenset(
    """ducklake_snapshots ducklake_table_info ducklake_list_files ducklake_table_changes ducklake_table_insertions
    ducklake_table_deletions ducklake_current_snapshot ducklake_last_committed_snapshot ducklake_options""".split()
)
_EXPLAIN = re.compile(r"\s*EXPLAIN\b\s*(?P<analyze>ANALY[SZ]E\b)?\s*(?:\([^)]*\))?\s*(?P<inner>.*)", re.I | re.S)


class NotReadOnly(ValueError):
    """A query the sandbox refuses, with the reason a user can act on."""


class QueryTimeout(RuntimeError):
    pass


def check_query(sql: str) -> None:
    """Accept exactly one read-only query; raise NotReadOnly (or duckdb.ParserException) otherwise."""
    parser = _parser()
    try:
        _check(parser, sql)
    finally:
        parser.close()


def _check(parser: duckdb.DuckDBPyConnection, sql: str) -> None:
    try:
        statements = parser.extract_statements(sql)
    except duckdb.PermissionException as exc:  # IMPORT DATABASE reads its folder's schema.sql while parsing
        raise NotReadOnly(f"the statement reads files to be parsed: {str(exc).splitlines()[0]}") from exc
    if len(statements) != 1:
        raise NotReadOnly(f"give exactly one statement ({len(statements)} found)")
    statement = statements[0]
    if statement.type == duckdb.StatementType.EXPLAIN:
        explained = _EXPLAIN.match(statement.query)
        if explained is None or explained.group("analyze"):
            raise NotReadOnly("EXPLAIN ANALYZE runs the statement it explains; use EXPLAIN without ANALYZE")
        _check(parser, explained.group("inner"))
        return
    if statement.type != duckdb.StatementType.SELECT:
        raise NotReadOnly(f"only queries are allowed here, not {statement.type.name}")
    for name in _called_functions(parser, statement.query):
        lowered = name.lower()
        if lowered in REFUSED_FUNCTIONS or (
            lowered.startswith("ducklake_") and lowered not in READING_DUCKLAKE_FUNCTIONS
        ):
            raise NotReadOnly(f"{name}() is not allowed in a read-only query")


def _called_functions(parser: duckdb.DuckDBPyConnection, query: str) -> set[str]:
    """Every function and table function the parse tree of a SELECT calls (in CTEs and subqueries too)."""
    tree = json.loads(parser.execute("SELECT json_serialize_sql(?)", [query]).fetchone()[0])
    if tree.get("error"):
        raise NotReadOnly(f"could not read the query: {tree.get('error_message', 'unsupported statement')}")
    return set(_function_names(tree))


def _parser() -> duckdb.DuckDBPyConnection:
    """An in-memory connection that can touch no file, for parsing (some statements read files as they parse)."""
    return duckdb.connect(config={"enable_external_access": False, "autoload_known_extensions": False})


def _function_names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        name = node.get("function_name")
        if isinstance(name, str):
            yield name
        for value in node.values():
            yield from _function_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _function_names(value)


def lock_down(con: duckdb.DuckDBPyConnection, data_path: Path) -> None:
    """File access only to the lake's data folder (DuckLake reads its Parquet through the file-access
    settings), a spill folder of its own outside the lake, bounded memory, settings locked."""
    spill = Path(tempfile.mkdtemp(prefix="tlake-reader-"))
    weakref.finalize(con, shutil.rmtree, spill, ignore_errors=True)
    con.execute("SET temp_directory = ?", [str(spill)])
    con.execute("SET memory_limit = ?", [os.environ.get("TLAKE_SQL_MEMORY", MEMORY_LIMIT)])
    con.execute("SET allowed_directories = [?]", [f"{data_path}/"])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def execute_bounded(
    con: duckdb.DuckDBPyConnection, sql: str, timeout_s: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Run `sql`, interrupting it after `timeout_s` seconds (QueryTimeout); the caller fetches the results."""
    if timeout_s is None:
        timeout_s = float(os.environ.get("TLAKE_SQL_TIMEOUT_S", TIMEOUT_S))
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.start()
    try:
        return con.execute(sql)
    except duckdb.InterruptException as exc:
        limit = f"the query ran longer than {timeout_s:g} s (set TLAKE_SQL_TIMEOUT_S to allow more)"
        raise QueryTimeout(limit) from exc
    finally:
        timer.cancel()
