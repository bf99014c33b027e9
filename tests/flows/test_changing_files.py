"""Files that change under a run: one removed after discovery is `unreadable_file`, one rewritten after hashing
is recorded with the hash of the bytes actually read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from flows.discover import SourceFile
from flows.pipeline import build_one
from tests.conftest import REFERENCE
from tests.episodes import WITH_PEOPLE

pytestmark = pytest.mark.flow


def _found(path: Path) -> SourceFile:
    data = path.read_bytes()
    return SourceFile(path, path.name, len(data), hashlib.sha256(data).hexdigest())


def test_a_file_removed_after_discovery_is_unreadable_not_an_internal_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    path.write_text(REFERENCE.read_text())
    source = _found(path)
    path.unlink()
    outcome = build_one(source, WITH_PEOPLE)
    assert outcome.episode is None and outcome.error is not None
    assert outcome.error.code == "unreadable_file" and "FileNotFoundError" in outcome.error.message


def test_a_file_rewritten_after_hashing_is_recorded_with_the_bytes_read(tmp_path: Path) -> None:
    path = tmp_path / "moving.txt"
    path.write_text(REFERENCE.read_text())
    source = _found(path)
    path.write_text(REFERENCE.read_text().replace("Jensen, nice glasses.", "Jensen, new glasses."))
    outcome = build_one(source, WITH_PEOPLE)
    assert outcome.episode is not None
    assert outcome.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() != source.sha256
    assert outcome.source.size == path.stat().st_size
    assert "new glasses" in outcome.episode.text
