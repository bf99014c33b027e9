"""Shared fixtures for the contract tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def gx_suites() -> dict:
    """One GX suite per table, built once: importing GX costs ~4 s, paid once per session."""
    from expectations.contracts import TABLES
    from expectations.suites import build_suite

    return {name: build_suite(table) for name, table in TABLES.items()}
