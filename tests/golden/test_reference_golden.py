"""Golden files for the reference transcript: turn boundaries, chapters and events, written as
readable TSV so a reviewer can check them against the source. Regenerate after an intended change
with `TLAKE_UPDATE_GOLDEN=1 make test` and read the diff before committing it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tasks.formats import page_text
from tasks.segment import Segmented, segment
from tests.conftest import REFERENCE

GOLDEN = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def reference() -> tuple[page_text.ParsedDocument, Segmented]:
    doc = page_text.parse(REFERENCE.read_text(), REFERENCE.name)
    return doc, segment(doc)


def _one_line(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ⏎ ")


def _render_turns(seg: Segmented) -> str:
    lines = ["turn_idx\tinterrupted\tstart\tend"]
    for i, t in enumerate(seg.turns):
        text = seg.clean_text[t.start:t.end]
        lines.append(f"{i}\t{int(t.is_interrupted)}\t{_one_line(text[:60])}\t{_one_line(text[-30:])}")
    return "\n".join(lines) + "\n"


def _render_chapters(doc: page_text.ParsedDocument) -> str:
    lines = ["chapter_idx\tstart_s\ttitle"]
    lines += [f"{i}\t{c.start_s:g}\t{c.title}" for i, c in enumerate(doc.chapters)]
    return "\n".join(lines) + "\n"


def _render_events(seg: Segmented) -> str:
    lines = ["event_idx\tkind\tsurface\tturn_idx\ttext_before\ttext_after"]
    for i, e in enumerate(seg.events):
        before, after = seg.clean_text[max(0, e.at - 30):e.at], seg.clean_text[e.at:e.at + 30]
        lines.append(f"{i}\t{e.kind}\t{e.surface}\t{e.turn_idx}\t{_one_line(before)}\t{_one_line(after)}")
    return "\n".join(lines) + "\n"


def _check(name: str, rendered: str) -> None:
    path = GOLDEN / name
    if os.environ.get("TLAKE_UPDATE_GOLDEN"):
        path.write_text(rendered)
    assert path.exists(), f"{path} is missing: run with TLAKE_UPDATE_GOLDEN=1 to write it"
    assert rendered == path.read_text(), f"{name} differs from the golden file"


def test_turn_boundaries(reference) -> None:
    _check("turns.tsv", _render_turns(reference[1]))


def test_chapters(reference) -> None:
    _check("chapters.tsv", _render_chapters(reference[0]))


def test_events(reference) -> None:
    _check("events.tsv", _render_events(reference[1]))


def test_golden_facts_a_reader_would_check(reference) -> None:
    """The headline numbers of issue 2, independent of the golden files."""
    doc, seg = reference
    assert len(doc.chapters) == 13
    assert 460 <= len(seg.turns) <= 475
    assert len(seg.events) == 6
    assert sum(t.is_interrupted for t in seg.turns) >= 10
