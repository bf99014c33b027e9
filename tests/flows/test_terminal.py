"""Text from a transcript never reaches the terminal as markup or control codes: titles, speaker names and
sentences holding Rich markup (`[/]`, `[bold]`, `[link=...]`) or ESC sequences print as written, escaped,
through every command, and nothing crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table

from flows.cli import _plain

pytestmark = pytest.mark.flow

HOSTILE = "[/] [bold]loud[/bold] [link=https://x.invalid]click[/link] \x1b[31mred\x1b[0m \x07bell [red"
PAGE = f"""[bold]Episode[/] {HOSTILE}

Transcript

- Hello there, welcome to the show, {HOSTILE} said nobody.
- Thanks [/] for having me. We talk about \x1b]0;owned\x07 terminals.
"""


def test_hostile_text_prints_as_written_through_every_command(tlake, tmp_path: Path) -> None:
    inputs, lake = tmp_path / "in", tmp_path / "lake"
    inputs.mkdir()
    (inputs / "hostile [bold].txt").write_text(PAGE, encoding="utf-8")
    (inputs / "broken [bold].json").write_text('{"segments": [', encoding="utf-8")  # quarantined: its name is shown
    results = {
        "run": tlake("run", "--input", str(inputs), lake=lake),
        "sql": tlake("sql", 'SELECT text AS "[bold]col[/]" FROM sentences', lake=lake),
        "raw": tlake("sql", "SELECT raw_text FROM documents", lake=lake),
        "search": tlake("search", "welcome [/]", lake=lake),
        "status": tlake("status", lake=lake),
        "candidates": tlake("candidates", lake=lake),
        "error": tlake("sql", "SELECT [/] FROM nowhere", lake=lake),
    }
    assert results["run"].exit_code == 1, results["run"].stdout  # one file quarantined, the other published
    for name, result in results.items():
        shown = result.stdout + result.stderr
        assert "Traceback" not in shown and "MarkupError" not in shown, name
        assert "\x1b" not in shown and "\x07" not in shown, name
        if name != "error":
            assert result.exit_code in (0, 1), (name, shown)
    assert "[/]" in results["sql"].stdout and "\\x1b[31mred" in results["raw"].stdout
    assert "[bold]col[/]" in results["sql"].stdout
    assert "broken [bold].json" in results["run"].stdout
    assert "[/]" in results["error"].stderr and results["error"].exit_code == 2


@settings(max_examples=200)
@given(st.lists(st.sampled_from([*"[]/=ab \x1b\x07\x00\r\t\n:#@", "[bold]", "[/]", "[link=x]"])).map("".join))
def test_any_text_renders_in_a_table_without_markup_or_control_codes(text: str) -> None:
    table = Table()
    table.add_column(_plain(text))
    table.add_row(_plain(text))
    console = Console(record=True, width=80, force_terminal=True)
    console.print(table)
    exported = console.export_text()
    assert "\x1b" not in exported and "\x07" not in exported and "\x00" not in exported
