"""DuckDB DDL for the whole lake, generated from the contracts."""

from __future__ import annotations

from expectations.contracts import TABLES

__all__ = ["all_ddl"]


def all_ddl() -> list[str]:
    """``CREATE TABLE IF NOT EXISTS`` for every table, then its ``COMMENT ON`` statements, in registry order.

    Each string is one statement without a trailing semicolon, so callers can execute them one by one.
    """
    out: list[str] = []
    for table in TABLES.values():
        out.append(table.ddl())
        out.extend(table.comments_sql())
    return out
