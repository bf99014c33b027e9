"""DuckDB connections to the lake: extensions from their PyPI packages, the DuckLake catalog in
SQLite, table DDL from the contracts, analyst macros, and a locked-down read-only mode.

    from flows.catalog import connect
    con = connect(read_only=True)
    con.sql("select speaker_id, sum(n_words) from turns group by all").show()
"""

from __future__ import annotations

import contextlib
import importlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from expectations.contracts import EPISODE_TABLES
from flows.settings import lake_dir

__all__ = ["EPISODE_TABLES", "connect"]

_EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "fts": "duckdb_extension_fts",
}

MACROS = (
    # Seconds as H:MM:SS, for reading times next to text.
    # floor(), not // or a cast: on DOUBLE, // divides and ::INT rounds, so 30.6 s would read 0:01:31.
    "CREATE OR REPLACE TEMP MACRO hms(s) AS CASE WHEN s IS NULL THEN NULL ELSE "
    "format('{}:{:02d}:{:02d}', floor(s / 3600)::INT, floor((s % 3600) / 60)::INT, floor(s % 60)::INT) END",
    # The clean text of a span, for checking any row against the text it came from.
    "CREATE OR REPLACE TEMP MACRO span_text(ep, a, b) AS "
    "(SELECT substr(clean_text, a + 1, b - a) FROM lake.documents d WHERE d.episode_id = ep)",
    # Everything said by one speaker, in order.
    "CREATE OR REPLACE TEMP MACRO speaker_turns(ep, spk) AS TABLE "
    "SELECT turn_idx, hms(start_s) AS at, text FROM lake.turns WHERE episode_id = ep AND speaker_id = spk "
    "ORDER BY turn_idx",
    # One episode's keywords against the rest of the lake: its keyness times how rare the keyword is among
    # the other episodes' keywords (stored scores are against general English, so they never depend on
    # what else is in the lake).
    "CREATE OR REPLACE TEMP MACRO lake_keywords(ep) AS TABLE "
    "WITH spread AS (SELECT lower(keyword) AS k, count(DISTINCT episode_id) AS n FROM lake.keywords "
    "WHERE chapter_idx IS NULL GROUP BY ALL), total AS (SELECT count(*) AS n FROM lake.episodes) "
    "SELECT k.keyword, round(k.score * ln((1 + total.n) / spread.n), 4) AS lake_score, "
    "spread.n - 1 AS other_episodes_with_it FROM lake.keywords k JOIN spread ON lower(k.keyword) = spread.k, total "
    "WHERE k.episode_id = ep AND k.chapter_idx IS NULL ORDER BY lake_score DESC, k.keyword",
)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: COMMIT on success, ROLLBACK on any error (then re-raised)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


class LakeMissing(RuntimeError):
    pass


def extension_path(name: str) -> Path:
    package = importlib.import_module(_EXTENSION_PACKAGES[name])
    found = sorted(Path(package.__path__[0]).glob(f"extensions/v{duckdb.__version__}/{name}.duckdb_extension"))
    if not found:
        raise RuntimeError(
            f"the {name} extension for DuckDB {duckdb.__version__} is not installed "
            f"(package {_EXTENSION_PACKAGES[name]}); run `make` to install the pinned versions"
        )
    return found[0]


def sql_string(value: object) -> str:
    """A SQL string literal (ATTACH, LOAD and COPY take no parameters), quotes doubled."""
    return "'" + str(value).replace("'", "''") + "'"


def load_extensions(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    for name in names:
        con.execute(f"LOAD {sql_string(extension_path(name))}")


def catalog_path(lake: Path) -> Path:
    return lake / "catalog.sqlite"


def new_connection() -> duckdb.DuckDBPyConnection:
    # Nothing is downloaded at run time: extensions come only from the pinned PyPI packages.
    return duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})


def use_wal_journal(catalog: Path) -> None:
    """Keep the SQLite catalog in write-ahead-log mode, in which readers never block the writer: in SQLite's
    default mode a reader holding a read transaction (an analyst's open DuckDB transaction) makes the writer's
    COMMIT fail with "database is locked". A new catalog is created empty in WAL mode for DuckLake to fill;
    the mode is stored in the file, so this is a no-op on later runs."""
    try:
        with contextlib.closing(sqlite3.connect(catalog, timeout=30)) as db:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass  # an old lake a reader holds open: this run keeps the old mode, the next one switches


def connect(
    lake: Path | str | None = None, *, read_only: bool = True, trusted: bool = False
) -> duckdb.DuckDBPyConnection:
    """A connection with the lake attached as `lake` and selected, plus the macros.

    A read-only connection is locked down (`flows.sandbox.lock_down`: no file access beyond the lake it
    reads, bounded memory, settings locked) unless `trusted`, for code that must write elsewhere (an export)."""
    root = lake_dir(Path(lake) if lake else None)
    catalog = catalog_path(root)
    if read_only and not catalog.exists():
        raise LakeMissing(f"no lake at {root}: run `tlake run` first (or pass --lake / set TLAKE_LAKE)")
    con = new_connection()
    load_extensions(con, "ducklake", "sqlite_scanner")
    if read_only:
        con.execute(f"ATTACH {sql_string(f'ducklake:sqlite:{catalog}')} AS lake (READ_ONLY)")
    else:
        root.mkdir(parents=True, exist_ok=True)
        use_wal_journal(catalog)
        # Inlining would keep small inserts inside the SQLite catalog; analysts get Parquet files.
        data_path = f"{root / 'files'}/"
        con.execute(
            f"ATTACH {sql_string(f'ducklake:sqlite:{catalog}')} AS lake "
            f"(DATA_PATH {sql_string(data_path)}, DATA_INLINING_ROW_LIMIT 0)"
        )
        con.execute("CALL lake.set_option('parquet_compression', 'zstd')")
    con.execute("USE lake")
    if not read_only:
        ensure_tables(con)
    for macro in MACROS:
        con.execute(macro)
    if read_only and not trusted:
        from flows.sandbox import lock_down

        lock_down(con, root / "files")
    return con


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every contract table (with comments) that the lake does not have yet."""
    from expectations.contracts import TABLES

    existing: dict[str, set[str]] = {}
    for table_name, column_name in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = 'lake'"
    ).fetchall():
        existing.setdefault(table_name, set()).add(column_name)
    missing = [table for name, table in TABLES.items() if name not in existing]
    # A lake written before a contract gained a column: the column is added (null in the old rows, which the
    # next run rebuilds, since the pipeline version changed with the contract).
    added = [
        (table, column)
        for name, table in TABLES.items()
        if name in existing
        for column in table.columns
        if column.name not in existing[name]
    ]
    if not missing and not added:
        return
    with transaction(con):
        for table in missing:
            con.execute(table.ddl())
            for statement in table.comments_sql():
                con.execute(statement)
        for table, column in added:
            con.execute(table.add_column_sql(column.name))
