"""Full-text search over sentences: a DuckDB FTS index kept beside the lake, rebuilt after each
publishing run and swapped in atomically, so searches never see a half-built index."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from flows.catalog import connect, load_extensions, new_connection, sql_string


def index_path(lake: Path) -> Path:
    return lake / "search.duckdb"


def indexed_snapshot(lake: Path) -> int | None:
    """The lake snapshot the search index was built from, or None if there is no usable index."""
    path = index_path(lake)
    if not path.exists():
        return None
    con = new_connection()
    try:
        con.execute(f"ATTACH {sql_string(path)} AS idx (READ_ONLY)")
        return con.execute("SELECT snapshot_id FROM idx.meta").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def rebuild_index(lake: Path, snapshot_id: int) -> None:
    """Build the index beside the lake and move it into place. Called under the writer lock, so any other
    half-built index in the folder is a killed run's leftover, removed here."""
    for leftover in lake.glob("search.duckdb.*.building"):
        leftover.unlink(missing_ok=True)
    building = lake / f"search.duckdb.{os.getpid()}.building"
    source = connect(lake, read_only=True)
    try:
        sentences = source.execute(
            """SELECT s.episode_id, s.sentence_idx, s.turn_idx, s.start_s, s.text, t.speaker_id,
                      sp.name AS speaker_name, e.title
               FROM sentences s
               JOIN turns t USING (episode_id, turn_idx)
               LEFT JOIN speakers sp ON sp.episode_id = t.episode_id AND sp.speaker_id = t.speaker_id
               JOIN episodes e USING (episode_id)"""
        ).arrow()
    finally:
        source.close()
    con = new_connection()
    load_extensions(con, "fts")
    con.execute(f"ATTACH {sql_string(building)} AS idx")
    con.execute("USE idx")
    con.register("incoming", sentences)
    con.execute("CREATE TABLE docs AS SELECT row_number() OVER () AS doc_id, * FROM incoming")
    con.execute("PRAGMA create_fts_index('docs', 'doc_id', 'text', stemmer='english', stopwords='english')")
    con.execute("CREATE TABLE meta AS SELECT ?::BIGINT AS snapshot_id", [snapshot_id])
    con.close()
    os.replace(building, index_path(lake))


def search(lake: Path, text: str, limit: int = 10) -> list[dict]:
    path = index_path(lake)
    if not path.exists():
        raise FileNotFoundError(f"no search index at {path}: run `tlake run` first")
    con = new_connection()
    load_extensions(con, "fts")
    con.execute(f"ATTACH {sql_string(path)} AS idx (READ_ONLY)")
    con.execute("USE idx")
    rows = con.execute(
        """SELECT score, episode_id, title, sentence_idx, start_s, coalesce(speaker_name, speaker_id) AS speaker, text
           FROM (SELECT *, fts_main_docs.match_bm25(doc_id, ?) AS score FROM docs)
           WHERE score IS NOT NULL ORDER BY score DESC, episode_id, sentence_idx LIMIT ?""",
        [text, limit],
    ).fetchall()
    con.close()
    keys = ("score", "episode_id", "title", "sentence_idx", "start_s", "speaker", "text")
    return [dict(zip(keys, row, strict=True)) for row in rows]
