"""The Markdown data dictionary, generated from the contracts (committed as `expectations/DICTIONARY.md`).

Regenerate with ``python -m expectations.dictionary``; a test fails when the committed file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from expectations.contracts import TABLES, Column, Table, duckdb_type

__all__ = ["DICTIONARY_PATH", "dictionary_rows", "render_dictionary"]

DICTIONARY_PATH = Path(__file__).with_name("DICTIONARY.md")


def _cell(text: str) -> str:
    # A pipe or newline inside a cell would break the Markdown table.
    return text.replace("|", "\\|").replace("\n", " ")


def _bounds(c: Column) -> str:
    parts = []
    if c.allowed is not None:
        parts.append(", ".join(f"`{v}`" for v in c.allowed))
    if c.min_value is not None and c.max_value is not None:
        parts.append(f"{c.min_value:g} to {c.max_value:g}")
    elif c.min_value is not None:
        parts.append(f">= {c.min_value:g}")
    elif c.max_value is not None:
        parts.append(f"<= {c.max_value:g}")
    return "; ".join(parts)


def dictionary_rows(table: Table) -> list[tuple[str, str, bool, str, str]]:
    """(column, DuckDB type, nullable, allowed values/range, description) per column, as rendered."""
    return [(c.name, duckdb_type(c.dtype), c.nullable, _bounds(c), c.description) for c in table.columns]


def _render_table(table: Table) -> list[str]:
    lines = [
        f"## `{table.name}`",
        "",
        table.description,
        "",
        f"- **Grain:** {table.grain}",
        f"- **Key:** {', '.join(f'`{k}`' for k in table.key)} (unique; checked by the validation suite)",
        "",
    ]
    if table.rules:
        lines += ["**Rules** (checked on every batch before publishing):", ""]
        for r in table.rules:
            kind = "blocking" if r.blocking else "warning"
            lines.append(f"- `{r.name}` ({kind}): {r.description}")
        lines.append("")
    lines += [
        "| column | type | nullable | allowed values / range | description |",
        "|---|---|---|---|---|",
    ]
    for name, dtype, nullable, bounds, desc in dictionary_rows(table):
        lines.append(f"| `{name}` | {dtype} | {'yes' if nullable else 'no'} | {_cell(bounds)} | {_cell(desc)} |")
    lines.append("")
    return lines


def render_dictionary() -> str:
    """The whole data dictionary as Markdown, tables in registry order."""
    lines = [
        "# Transcript Lake data dictionary",
        "",
        "Generated from `expectations/contracts.py` by `python -m expectations.dictionary`; do not edit.",
        "",
        "Spans are half-open character offsets `[start_char, end_char)` into `documents.clean_text`, counted",
        "in Unicode code points (Python string indices). Times are seconds from the start of the recording.",
        "",
        "Tables: " + ", ".join(f"`{name}`" for name in TABLES),
        "",
    ]
    for table in TABLES.values():
        lines += _render_table(table)
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    DICTIONARY_PATH.write_text(render_dictionary(), encoding="utf-8")
    sys.stdout.write(f"wrote {DICTIONARY_PATH}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
