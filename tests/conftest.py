"""Shared paths and the suite's hypothesis profile. Corpus tests read ../shared/corpus and skip cleanly
when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# One profile for the suite: no per-example deadline (the machine is shared, timings are not asserted) and
# examples that build whole episodes may be slow to generate. A test sets max_examples only where one
# example is costly. HYPOTHESIS_PROFILE=thorough runs ten times the default examples.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100)
settings.register_profile("thorough", parent=settings.get_profile("suite"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
REFERENCE = ROOT / "seeds" / "transcripts" / "transcript_bUrCR4jQQg8.txt"


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"corpus file {relative} is not available (../shared/corpus absent)")
    return path


@pytest.fixture(scope="session")
def reference_bytes() -> bytes:
    return REFERENCE.read_bytes()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Flow tests run last: the fast tests report first, and the Prefect client's background threads the
    flows start (they use `random` for retry jitter) never run beside a hypothesis test's draws."""
    items.sort(key=lambda item: item.get_closest_marker("flow") is not None)
