"""Export every lake table as one zstd Parquet file, with the data dictionary beside them."""

from __future__ import annotations

from pathlib import Path

import duckdb

from expectations.contracts import TABLES
from expectations.dictionary import render_dictionary


def export_lake(con: duckdb.DuckDBPyConnection, out: Path) -> list[tuple[Path, int]]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        path = out / f"{name}.parquet"
        tmp = path.with_suffix(".parquet.tmp")
        con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
        tmp.replace(path)
        written.append((path, con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))
    (out / "DICTIONARY.md").write_text(render_dictionary())
    return written
