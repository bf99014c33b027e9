"""Export every lake table as one zstd Parquet file, with the data dictionary beside them."""

from __future__ import annotations

from pathlib import Path

import duckdb

from expectations.contracts import TABLES
from expectations.dictionary import render_dictionary
from flows.catalog import sql_string, transaction


def export_lake(con: duckdb.DuckDBPyConnection, out: Path) -> list[tuple[Path, int]]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    # One transaction, so every file comes from the same snapshot even if a run commits meanwhile.
    with transaction(con):
        for name in TABLES:
            path = out / f"{name}.parquet"
            tmp = path.with_suffix(".parquet.tmp")
            con.execute(f'COPY (SELECT * FROM "{name}") TO {sql_string(tmp)} (FORMAT parquet, COMPRESSION zstd)')
            written.append((path, tmp, con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))
    for path, tmp, _ in written:
        tmp.replace(path)
    (out / "DICTIONARY.md").write_text(render_dictionary())
    return [(path, rows) for path, _, rows in written]
