"""Building episodes in tests: contexts as the pipeline has them, with fixed lineage."""

from __future__ import annotations

from tasks.document import BuildContext
from tasks.reference import Reference, load_people, load_reference
from tests.conftest import ROOT

REFERENCE_DIR = ROOT / "seeds" / "reference"
# No reference data at all: what the page alone gives.
BARE = BuildContext("test", "run-test")
# The show rosters only (no entities): what attribution tests need.
WITH_PEOPLE = BuildContext("test", "run-test", Reference(people_by_show=load_people(REFERENCE_DIR)))
# Everything the pipeline reads.
FULL = BuildContext("test", "run-test", load_reference(REFERENCE_DIR))
