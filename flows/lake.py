"""Writing to the lake: one DuckLake transaction per batch, all or nothing, one writer at a time."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from expectations.contracts import EPISODE_TABLES, TABLES, cast_to_contract
from flows.catalog import transaction
from flows.discover import Known


class LakeBusy(RuntimeError):
    pass


# The lakes whose writer lock this process holds, with how many holders: `tlake run` takes the lock before
# Prefect starts (so a second writer hears at once), and the flow takes it again inside. An flock belongs to an
# open file, so a second open in the same process would conflict with the first: the count makes it reentrant.
_HELD: dict[Path, int] = {}
_HELD_GUARD = threading.Lock()


@contextmanager
def writer_lock(lake: Path) -> Iterator[None]:
    """One writer per lake; a second `tlake run` fails at once instead of waiting or conflicting."""
    key = lake.resolve()
    with _HELD_GUARD:
        if _HELD.get(key):
            _HELD[key] += 1
            handle = None
        else:
            lake.mkdir(parents=True, exist_ok=True)
            handle = os.open(lake / ".writer.lock", os.O_CREAT | os.O_RDWR, 0o644)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                os.close(handle)
                raise LakeBusy(f"another `tlake run` is writing to {lake}; try again when it has finished") from exc
            _HELD[key] = 1
    try:
        yield
    finally:
        with _HELD_GUARD:
            _HELD[key] -= 1
            if not _HELD[key]:
                del _HELD[key]
                if handle is not None:
                    os.close(handle)


def known_sources(con: duckdb.DuckDBPyConnection) -> dict[str, Known]:
    rows = con.execute(
        "SELECT source_path, source_sha256, status, pipeline_version, episode_id, bytes FROM sources"
    ).fetchall()
    return {r[0]: Known(r[1], r[2], r[3], r[4], r[5]) for r in rows}


def episode_owners(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """episode_id -> source_path of the file that published it."""
    return dict(con.execute("SELECT episode_id, source_path FROM episodes").fetchall())


def named_speakers(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    """(show, episode_id, name, role) of every named speaker of an episode whose show is known: what show
    rosters are learnt from (tasks/speakers/rosters.py)."""
    return con.execute(
        "SELECT e.show, s.episode_id, s.name, s.role FROM speakers s JOIN episodes e USING (episode_id) "
        "WHERE e.show IS NOT NULL AND s.name IS NOT NULL ORDER BY e.show, s.episode_id, s.name"
    ).fetchall()


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')").fetchone()[0]


def _insert(con: duckdb.DuckDBPyConnection, table: str, frames: Sequence[pl.DataFrame]) -> None:
    frames = [f for f in frames if f.height]
    if not frames:
        return
    arrow = cast_to_contract(table, pl.concat(frames, how="diagonal_relaxed"))
    con.register("incoming", arrow)
    try:
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming')
    finally:
        con.unregister("incoming")


def publish(
    con: duckdb.DuckDBPyConnection,
    *,
    episode_frames: Sequence[dict[str, pl.DataFrame]],
    replace_episode_ids: Sequence[str],
    sources: Sequence[dict],
    issues: Sequence[dict],
    delete_sources: Sequence[str] = (),
    retire_sources: Sequence[str] = (),
    run: dict | None = None,
) -> None:
    """One transaction: drop every row of the replaced episodes (and of the episodes published by
    `retire_sources`), insert the new ones, upsert sources, append issues, and write the `run` row as it
    stands (so a run killed after this batch still has one). A crash or error before COMMIT leaves the
    previous snapshot untouched."""
    with transaction(con):
        if retire_sources:
            retired = con.execute(
                "SELECT episode_id FROM episodes WHERE source_path IN (SELECT unnest(?::VARCHAR[]))",
                [list(retire_sources)],
            ).fetchall()
            replace_episode_ids = [*replace_episode_ids, *(row[0] for row in retired)]
        if replace_episode_ids:
            ids = list(dict.fromkeys(replace_episode_ids))
            for table in EPISODE_TABLES:
                con.execute(f'DELETE FROM "{table}" WHERE episode_id IN (SELECT unnest(?::VARCHAR[]))', [ids])
        for table in EPISODE_TABLES:
            _insert(con, table, [frames[table] for frames in episode_frames])
        if sources or delete_sources:
            paths = [s["source_path"] for s in sources] + list(delete_sources)
            con.execute("DELETE FROM sources WHERE source_path IN (SELECT unnest(?::VARCHAR[]))", [paths])
            if sources:
                _insert(con, "sources", [pl.DataFrame(list(sources), schema=_schema("sources"))])
        if issues:
            _insert(con, "issues", [pl.DataFrame(list(issues), schema=_schema("issues"))])
        if run is not None:
            _put_run(con, run)


def record_run(con: duckdb.DuckDBPyConnection, run: dict, dq_results: Sequence[dict]) -> None:
    """The run's final row (replacing the `interrupted` one its batches wrote) and its data-quality results."""
    with transaction(con):
        _put_run(con, run)
        if dq_results:
            _insert(con, "dq_results", [pl.DataFrame(list(dq_results), schema=_schema("dq_results"))])


def _put_run(con: duckdb.DuckDBPyConnection, run: dict) -> None:
    con.execute("DELETE FROM runs WHERE run_id = ?", [run["run_id"]])
    _insert(con, "runs", [pl.DataFrame([run], schema=_schema("runs"))])


def _schema(table: str) -> dict[str, pl.DataType]:
    return dict(TABLES[table].polars_schema())
