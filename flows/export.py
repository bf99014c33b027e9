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
            # Rows in key order (then every column, for tables whose key is not unique), so the same lake
            # content gives the same bytes, however the batches that wrote it were cut.
            order = ", ".join(f'"{c}" NULLS FIRST' for c in (*TABLES[name].key, *TABLES[name].column_names))
            query = f'SELECT * FROM "{name}" ORDER BY {order}'
            con.execute(f"COPY ({query}) TO {sql_string(tmp)} (FORMAT parquet, COMPRESSION zstd)")
            written.append((path, tmp, con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))
    for path, tmp, _ in written:
        tmp.replace(path)
    (out / "DICTIONARY.md").write_text(render_dictionary())
    return [(path, rows) for path, _, rows in written]
