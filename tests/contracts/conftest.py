"""Shared fixtures for the contract tests.

The repository root goes on sys.path so `tests.strategies` and `expectations` import however pytest is
started (pyproject sets no `pythonpath`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def gx_suites() -> dict:
    """One GX suite per table, built once: importing GX costs ~4 s, paid once per session."""
    from expectations.contracts import TABLES
    from expectations.suites import build_suite

    return {name: build_suite(table) for name, table in TABLES.items()}
