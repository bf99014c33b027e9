"""Names the gazetteer does not know: `tlake candidates` lists them, and its `--csv` rows, appended to the
entities CSV, make the next run link them (match_kind no longer `candidate`)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from tasks.reference import load_gazetteer
from tests.conftest import REFERENCE, ROOT
from tests.flows.conftest import query

pytestmark = pytest.mark.flow

# A page about a company and people the gazetteer has never heard of.
PAGE = """Zorvex Dynamics Interview

Transcript

- Welcome back. Today I'm talking with Priya Ramaswamy, who runs Zorvex Dynamics.
- Thanks for having me. At Zorvex Dynamics we build FluxGrid, a scheduler for power plants.
- How did FluxGrid start?
- Priya Ramaswamy here, I mean me: I wrote FluxGrid on a weekend, and we use FluxGrid every day now.
- And Zorvex Dynamics grew from that?
- Yes. Zorvex Dynamics hired twelve people last year, and Priya Ramaswamy is still the one who answers email.
"""


def test_candidates_are_listed_and_once_promoted_are_linked(ingest, tlake, tmp_path: Path, monkeypatch) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "seeds" / "reference", reference)
    monkeypatch.setenv("TLAKE_REFERENCE", str(reference))
    inputs, lake = tmp_path / "in", tmp_path / "lake"
    inputs.mkdir()
    (inputs / "zorvex.txt").write_text(PAGE, encoding="utf-8")
    shutil.copy(REFERENCE, inputs / REFERENCE.name)
    assert ingest([inputs], lake).exit_code == 0

    listed = tlake("candidates", lake=lake)
    assert listed.exit_code == 0, listed.stdout + listed.stderr
    for name in ("Zorvex Dynamics", "Priya Ramaswamy", "FluxGrid"):
        assert name in listed.stdout
    typed = {
        r["canonical"]: r["entity_type"]
        for r in query(lake, "SELECT DISTINCT canonical, entity_type FROM mentions WHERE match_kind = 'candidate'")
    }
    assert typed["Priya Ramaswamy"] == "person"

    rows = tlake("candidates", "--csv", "--limit", "3", lake=lake)
    assert rows.exit_code == 0
    parsed = list(csv.reader(io.StringIO(rows.stdout)))
    assert len(parsed) == 3 and all(len(r) == 6 for r in parsed)
    entities = reference / "entities.csv"
    entities.write_text(entities.read_text(encoding="utf-8") + rows.stdout, encoding="utf-8")
    promoted = {e.canonical for e in load_gazetteer(entities).entities}
    assert {r[1] for r in parsed} <= promoted

    assert ingest([inputs], lake).exit_code == 0
    kinds = query(
        lake,
        "SELECT canonical, min(match_kind) AS kind FROM mentions WHERE canonical IN "
        f"({', '.join(repr(r[1]) for r in parsed)}) GROUP BY canonical",
    )
    assert {r["kind"] for r in kinds} <= {"exact", "alias"} and len(kinds) == 3
