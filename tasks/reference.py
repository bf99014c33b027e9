"""The reference data of ``seeds/reference/``: shows and their people, filler words, entities.

One CSV dialect for all three: a header row, ``#`` lines are comments (they carry each file's rules for
whoever edits it), blank lines are skipped. Reference data only refines what the page says; see
DESIGN.md §6.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from tasks.entities import Entity, Gazetteer, build_gazetteer
from tasks.speakers.model import Person
from tasks.speakers.people import people_from_rows

DEFAULT_FILLERS = ("um", "uh", "erm", "er", "hmm", "mm", "ah", "you know", "i mean", "sort of", "kind of")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The data rows of a reference CSV, comments and blank lines skipped."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split(";") if p.strip())


def load_people(reference_dir: Path) -> dict[str, list[Person]]:
    """``people.csv`` (show, name, role, aliases): normalised show name -> its regulars. Missing file: {}."""
    path = Path(reference_dir) / "people.csv"
    return people_from_rows(read_rows(path)) if path.is_file() else {}


def load_fillers(path: Path) -> tuple[str, ...]:
    """The `filler` column of ``fillers.csv``, lower-cased."""
    return tuple(row["filler"].strip().lower() for row in read_rows(path) if row["filler"].strip())


def load_gazetteer(path: Path) -> Gazetteer:
    """``entities.csv``: entity_id, canonical, entity_type, aliases and the optional context_aliases and
    context_ids columns, lists ``;``-separated."""
    entities = [
        Entity(
            entity_id=row["entity_id"].strip(),
            canonical=row["canonical"].strip(),
            entity_type=row["entity_type"].strip(),
            aliases=_split(row.get("aliases")),
            context_aliases=_split(row.get("context_aliases")),
            context_ids=_split(row.get("context_ids")),
        )
        for row in read_rows(path)
    ]
    return build_gazetteer(entities)


@dataclass(frozen=True, slots=True)
class Reference:
    """Everything read from the reference folder, once per run."""

    fillers: tuple[str, ...] = DEFAULT_FILLERS
    people_by_show: dict[str, list[Person]] = field(default_factory=dict)
    gazetteer: Gazetteer | None = None


def load_reference(root: Path) -> Reference:
    """The reference folder's three files (people.csv may be absent)."""
    return Reference(
        fillers=load_fillers(root / "fillers.csv"),
        people_by_show=load_people(root),
        gazetteer=load_gazetteer(root / "entities.csv"),
    )
