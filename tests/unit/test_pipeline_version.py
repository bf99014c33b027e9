"""The pipeline version is derived from everything that shapes rows, so it cannot go stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.discover import Known, SourceFile, plan
from flows.settings import pipeline_version
from tests.conftest import ROOT


@pytest.fixture
def copy(tmp_path: Path) -> tuple[tuple[Path, Path], Path]:
    """A copy of the row-shaping code and the reference data."""
    for name in ("tasks", "expectations"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "seeds" / "reference", tmp_path / "reference")
    return (tmp_path / "tasks", tmp_path / "expectations"), tmp_path / "reference"


def test_a_copy_has_the_same_version_as_the_original(copy) -> None:
    code, reference = copy
    assert pipeline_version(code, reference) == pipeline_version(reference=ROOT / "seeds" / "reference")


@pytest.mark.parametrize(
    "changed",
    [
        "tasks/steps.py",  # a step
        "tasks/formats/vtt.py",  # a reader
        "tasks/speakers/sequence.py",  # a model
        "tasks/params/attribution.json",  # a weight
        "tasks/params/alignment.json",
        "expectations/contracts.py",  # a contract
        "expectations/rules.py",
        "reference/people.csv",  # reference data
        "reference/entities.csv",
    ],
)
def test_changing_what_shapes_rows_changes_the_version(copy, changed: str) -> None:
    code, reference = copy
    before = pipeline_version(code, reference)
    path = code[0].parent / changed
    path.write_bytes(path.read_bytes() + (b"\n" if path.suffix == ".json" else b"\n# changed\n"))
    assert pipeline_version(code, reference) != before


def test_adding_a_module_changes_the_version_and_other_files_do_not(copy) -> None:
    code, reference = copy
    before = pipeline_version(code, reference)
    (code[0] / "notes.md").write_text("not code")
    (code[0] / "__pycache__").mkdir(exist_ok=True)
    (code[0] / "__pycache__" / "x.py").write_text("cache")
    assert pipeline_version(code, reference) == before
    (code[0] / "new_step.py").write_text("X = 1\n")
    assert pipeline_version(code, reference) != before


def test_a_file_published_by_another_version_is_planned_again(tmp_path: Path) -> None:
    source = SourceFile(tmp_path / "a.txt", "a.txt", 3, "f" * 64)
    known = {"a.txt": Known("f" * 64, "published", "0.3+old", "ep-a", 3)}
    assert plan([source], [], known, "0.3+old").unchanged == (source,)
    assert plan([source], [], known, "0.3+new").changed == (source,)


def test_tlake_version_prints_the_pipeline_version() -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == pipeline_version()
