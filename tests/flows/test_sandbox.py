"""`tlake sql` is read-only: every escape attempt (writes, maintenance, files outside the lake, the catalog
itself, settings, several statements, EXPLAIN ANALYZE) is refused with a clear message and exit 2, and leaves
the lake, the working folder and the rest of the disk as they were. Queries that only read still work."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.flows.conftest import Seeded

pytestmark = pytest.mark.flow

OUTSIDE = "/tmp/tlake-escape-target"

# {lake} and {catalog} are filled in with the lake's folder and catalog file.
REFUSED_BY_THE_CHECK = [
    # writes and DDL
    "COPY (SELECT 1) TO '{lake}/files/main/episodes/x.parquet'",
    "COPY (SELECT 1) TO '" + OUTSIDE + ".csv'",
    "COPY episodes TO 'escape.csv'",
    "COPY (SELECT 1) TO '{lake}/files/main/turns' (FORMAT parquet, PARTITION_BY (a), OVERWRITE)",
    "COPY episodes FROM '/etc/passwd'",
    "INSERT INTO episodes SELECT * FROM episodes",
    "UPDATE episodes SET title = 'x'",
    "DELETE FROM episodes",
    "CREATE TABLE t AS SELECT 1",
    "CREATE TEMP TABLE t AS SELECT 1",
    "CREATE VIEW v AS SELECT 1",
    "CREATE MACRO m(x) AS x",
    "CREATE SCHEMA s",
    "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
    "CREATE SEQUENCE q",
    "DROP TABLE episodes",
    "DROP MACRO hms",
    "ALTER TABLE episodes ADD COLUMN x INT",
    "ALTER TABLE episodes RENAME TO e2",
    "TRUNCATE episodes",
    # attaching, detaching, switching
    "ATTACH 'ducklake:sqlite:{catalog}' AS rw",
    "ATTACH '{catalog}' AS raw (TYPE sqlite)",
    "ATTACH '" + OUTSIDE + ".duckdb' AS other",
    "DETACH lake",
    "USE memory",
    # settings and extensions
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "SET allowed_directories = ['/']",
    "SET memory_limit = '100GB'",
    "SET temp_directory = '{lake}/files'",
    "RESET enable_external_access",
    "SET VARIABLE x = 1",
    "PRAGMA enable_profiling",
    "PRAGMA memory_limit = '100GB'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "UPDATE EXTENSIONS",
    # maintenance
    "CHECKPOINT",
    "FORCE CHECKPOINT",
    "CHECKPOINT lake",
    "CALL checkpoint()",
    "CALL ducklake_merge_adjacent_files('lake')",
    "CALL ducklake_expire_snapshots('lake', older_than => now())",
    "VACUUM",
    "ANALYZE",
    "EXPORT DATABASE '" + OUTSIDE + "'",
    "IMPORT DATABASE '" + OUTSIDE + "'",
    # transactions and prepared statements
    "BEGIN TRANSACTION",
    "COMMIT",
    "ROLLBACK",
    "PREPARE p AS SELECT 1",
    "EXECUTE p",
    "DEALLOCATE p",
    # EXPLAIN ANALYZE runs what it explains
    "EXPLAIN ANALYZE COPY (SELECT 1) TO '{lake}/files/main/episodes/x.parquet'",
    "EXPLAIN ANALYZE COPY (SELECT 1) TO 'escape.csv'",
    "EXPLAIN ANALYZE INSERT INTO episodes SELECT * FROM episodes",
    "EXPLAIN ANALYZE SELECT 1",
    "explain   analyse select 1",
    "EXPLAIN COPY (SELECT 1) TO 'escape.csv'",
    "EXPLAIN (FORMAT json) COPY (SELECT 1) TO 'escape.csv'",
    # several statements, hidden ones
    "SELECT 1; COPY (SELECT 1) TO 'escape.csv'",
    "SELECT 1; SELECT 2",
    "SELECT 1 -- a comment\n; DROP TABLE episodes",
    "/* SELECT */ COPY (SELECT 1) TO 'escape.csv'",
    "SELECT 1;;DELETE FROM episodes",
    # functions that write, maintain, run SQL text or read the catalog
    "SELECT * FROM checkpoint()",
    "SELECT checkpoint()",
    "SELECT * FROM force_checkpoint()",
    "SELECT * FROM ducklake_merge_adjacent_files('lake')",
    "SELECT * FROM ducklake_expire_snapshots('lake', older_than => now())",
    "SELECT * FROM ducklake_cleanup_old_files('lake', cleanup_all => true)",
    "SELECT * FROM ducklake_rewrite_data_files('lake')",
    "SELECT * FROM ducklake_flush_inlined_data('lake')",
    "SELECT * FROM ducklake_add_data_files('lake', 'episodes', '/etc/passwd')",
    "SELECT * FROM ducklake_set_option('lake', 'parquet_compression', 'none')",
    "SELECT * FROM DUCKLAKE_MERGE_ADJACENT_FILES('lake')",
    "SELECT * FROM query('COPY (SELECT 1) TO ''escape.csv''')",
    "SELECT * FROM query_table('episodes')",
    "SELECT * FROM sqlite_scan('{catalog}', 'ducklake_snapshot')",
    "SELECT * FROM sqlite_query('{catalog}', 'SELECT * FROM ducklake_snapshot')",
    "SELECT * FROM read_blob('{catalog}')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('{catalog}')",
    "SELECT * FROM read_json('/etc/passwd')",
    "SELECT * FROM read_ndjson_objects('{catalog}')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "WITH x AS (SELECT * FROM read_blob('{catalog}')) SELECT * FROM x",
    "SELECT (SELECT count(*) FROM sqlite_scan('{catalog}', 'ducklake_data_file'))",
    "SELECT * FROM episodes WHERE episode_id IN (SELECT content FROM read_text('/etc/passwd'))",
    "SELECT * FROM episodes, LATERAL (SELECT * FROM checkpoint())",
    "SELECT * FROM (SELECT * FROM query('SELECT 1'))",
]

# Parsed as reads, refused by the connection's settings: no file outside the lake's data folder.
REFUSED_BY_THE_CONNECTION = [
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM read_parquet('/etc/passwd')",
    "SELECT * FROM parquet_metadata('/etc/passwd')",
    "SELECT * FROM read_parquet('" + OUTSIDE + "/*.parquet')",
    "SELECT * FROM 'escape.csv'",
    "SELECT * FROM '/etc/passwd'",
]

STILL_ALLOWED = [
    "SELECT count(*) AS n FROM episodes",
    "DESCRIBE episodes",
    "SHOW TABLES",
    "SUMMARIZE turns",
    "EXPLAIN SELECT * FROM turns",
    "WITH t AS (SELECT * FROM turns) SELECT count(*) FROM t",
    "FROM speakers SELECT name",
    "SELECT hms(start_s) FROM turns LIMIT 1",
    "SELECT * FROM ducklake_snapshots('lake')",
    "PRAGMA version",
    "VALUES (1), (2)",
]


def _state(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def escape(reference_lake: Seeded, tlake, tmp_path: Path, monkeypatch):
    lake = reference_lake.lake
    catalog = next(lake.glob("*.sqlite"))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)

    def run(sql: str):
        query = sql.replace("{lake}", str(lake)).replace("{catalog}", str(catalog))
        before = _state(lake)
        result = tlake("sql", query, lake=lake)
        assert _state(lake) == before, f"the lake changed: {query}"
        assert list(cwd.iterdir()) == [], f"files appeared in the working folder: {query}"
        assert not list(Path("/tmp").glob("tlake-escape-target*")), f"a file appeared outside the lake: {query}"
        return result

    return run


@pytest.mark.parametrize("sql", REFUSED_BY_THE_CHECK)
def test_escapes_are_refused_before_they_run(escape, sql: str) -> None:
    result = escape(sql)
    assert result.exit_code == 2, (sql, result.stdout)
    assert "not allowed" in result.stderr or "bad SQL" in result.stderr, (sql, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("sql", REFUSED_BY_THE_CONNECTION)
def test_file_access_outside_the_lake_is_refused_by_the_connection(escape, sql: str) -> None:
    result = escape(sql)
    assert result.exit_code == 2, (sql, result.stdout)
    assert "not allowed" in result.stderr or "unknown table" in result.stderr, (sql, result.stderr)
    assert "root:" not in result.stdout  # nothing of /etc/passwd


@pytest.mark.parametrize("sql", STILL_ALLOWED)
def test_reading_queries_still_work(escape, sql: str) -> None:
    result = escape(sql)
    assert result.exit_code == 0, (sql, result.stderr)
    assert result.stdout.strip()


def test_a_query_without_a_bound_is_stopped_with_a_clear_message(escape, monkeypatch) -> None:
    monkeypatch.setenv("TLAKE_SQL_TIMEOUT_S", "1")
    result = escape("SELECT sum(hash(a.range * b.range)) FROM range(1000000) a, range(1000000) b")
    assert result.exit_code == 2 and "longer than 1 s" in result.stderr, result.stderr


def test_the_suite_tries_at_least_eighty_escapes() -> None:
    assert len(REFUSED_BY_THE_CHECK) + len(REFUSED_BY_THE_CONNECTION) >= 80
