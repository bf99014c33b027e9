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
        text = seg.clean_text[t.start : t.end]
        lines.append(f"{i}\t{int(t.is_interrupted)}\t{_one_line(text[:60])}\t{_one_line(text[-30:])}")
    return "\n".join(lines) + "\n"


def _render_chapters(doc: page_text.ParsedDocument) -> str:
    lines = ["chapter_idx\tstart_s\ttitle"]
    lines += [f"{i}\t{c.start_s:g}\t{c.title}" for i, c in enumerate(doc.chapters)]
    return "\n".join(lines) + "\n"


def _render_events(seg: Segmented) -> str:
    lines = ["event_idx\tkind\tsurface\tturn_idx\ttext_before\ttext_after"]
    for i, e in enumerate(seg.events):
        before, after = seg.clean_text[max(0, e.at - 30) : e.at], seg.clean_text[e.at : e.at + 30]
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


@pytest.fixture(scope="module")
def reference_frames() -> dict:
    from tasks.episode import build_episode
    from tests.episodes import WITH_PEOPLE

    return build_episode(REFERENCE.read_bytes(), REFERENCE.name, WITH_PEOPLE).tables()


def _render_who_and_when(frames: dict) -> str:
    lines = ["turn_idx\tspeaker_id\trole\tconfidence\tstart\terror_s\tfirst_words"]
    roles = dict(zip(frames["speakers"]["speaker_id"], frames["speakers"]["role"], strict=True))
    for t in frames["turns"].iter_rows(named=True):
        start = int(t["start_s"])
        lines.append(
            f"{t['turn_idx']}\t{t['speaker_id'] or '-'}\t{roles.get(t['speaker_id'], '-')}\t"
            f"{t['attribution_confidence']:.2f}\t{start // 60}:{start % 60:02d}\t{t['time_error_s']:.0f}\t"
            f"{_one_line(' '.join(t['text'].split()[:8]))}"
        )
    return "\n".join(lines) + "\n"


def test_who_speaks_and_when(reference_frames) -> None:
    """Every turn's speaker, confidence and time, for a reviewer to read against the source."""
    _check("who_and_when.tsv", _render_who_and_when(reference_frames))


def test_every_sentence_has_a_time_and_the_three_speakers_are_named(reference_frames) -> None:
    sentences = reference_frames["sentences"]
    assert sentences["start_s"].null_count() == 0 and sentences["end_s"].null_count() == 0
    assert set(sentences["time_source"].unique()) == {"estimated"}
    assert (sentences["time_error_s"] > 0).all()
    speakers = reference_frames["speakers"]
    assert set(speakers["name"]) == {"Brad Gerstner", "Clark Tang", "Jensen Huang"}
    assert dict(zip(speakers["name"], speakers["role"], strict=True))["Jensen Huang"] == "guest"


def _render_keywords(frames: dict) -> str:
    lines = ["chapter_idx\trank\tkeyword"]
    for k in frames["keywords"].sort("chapter_idx", "rank", nulls_last=True).iter_rows(named=True):
        lines.append(f"{'-' if k['chapter_idx'] is None else k['chapter_idx']}\t{k['rank']}\t{k['keyword']}")
    return "\n".join(lines) + "\n"


def test_keywords(reference_frames) -> None:
    _check("keywords.tsv", _render_keywords(reference_frames))
