"""Real timed pages: a podcast page (the input) beside the Whisper segment times of the same audio (the truth).

The pages of ``../shared/training/times/`` were generated from their Whisper files (segment texts joined
with spaces, bracket-only segments such as ``[MUSIC]`` dropped), so both hold the same ASR words. Each
sentence's true start is found by matching the page's words to the Whisper words in order and taking the
time of the sentence's first matched word, interpolated by characters inside its segment.

Pure apart from reading files; the bench (`bench/eval_times.py`) and the tests use it.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAINING_TIMES = ROOT.parent / "shared" / "training" / "times"

_SEGMENT = re.compile(r"^\[(\d+):(\d\d):(\d\d(?:\.\d+)?) --> (\d+):(\d\d):(\d\d(?:\.\d+)?)\]\s*(.*)$")
_WORD = re.compile(r"[\w']+")
# Whisper segments that are only a sound tag; the page generator drops them.
_TAG_ONLY = re.compile(r"^\s*\[[^\]]*\]\s*$")


@dataclass(frozen=True, slots=True)
class Segment:
    start_s: float
    end_s: float
    text: str

    @property
    def is_tag(self) -> bool:
        return bool(_TAG_ONLY.match(self.text))


@dataclass(frozen=True, slots=True)
class TimedPage:
    """One page of the training set and where its truth is."""

    id: str
    show: str
    title: str
    duration_s: float
    notes: str
    page: Path
    whisper: Path

    @property
    def chapters_mismatch(self) -> bool:
        """The page's chapter list does not match its content (flagged in the manifest: keep out of fitting)."""
        return self.notes.startswith("FLAG")


def read_segments(path: Path) -> list[Segment]:
    """The segments of a whisper.cpp timing file (``[hh:mm:ss.mmm --> hh:mm:ss.mmm]   text``)."""
    segments = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _SEGMENT.match(line.strip())
        if m:
            h0, m0, s0, h1, m1, s1, text = m.groups()
            start = int(h0) * 3600 + int(m0) * 60 + float(s0)
            end = int(h1) * 3600 + int(m1) * 60 + float(s1)
            segments.append(Segment(start, max(end, start), text.strip()))
    return segments


def load_pages(folder: Path = TRAINING_TIMES) -> list[TimedPage]:
    """Every page pair the folder's manifest lists, in manifest order ([] when the folder is absent)."""
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return []
    return [
        TimedPage(
            e["id"],
            e["show"],
            e["title"],
            float(e["duration_s"]),
            e.get("notes", ""),
            folder / f"transcript_{e['id']}.txt",
            folder / f"{e['id']}.txt",
        )
        for e in json.loads(manifest.read_text(encoding="utf-8"))
    ]


def word_times(segments: Sequence[Segment]) -> tuple[list[str], list[float]]:
    """Every Whisper word (lower case) with its time: the segment's start plus its share of the segment's
    characters times the segment's length."""
    words, times = [], []
    for seg in segments:
        if seg.is_tag or not seg.text:
            continue
        span = seg.end_s - seg.start_s
        for m in _WORD.finditer(seg.text):
            words.append(m.group().lower())
            times.append(seg.start_s + span * m.start() / max(len(seg.text), 1))
    return words, times


def sentence_truth(sentence_texts: Sequence[str], segments: Sequence[Segment]) -> list[float | None]:
    """Each sentence's true start: the time of its first word that matches the Whisper words in order
    (None where none of its words match, e.g. a sentence the cleaning rewrote)."""
    truth_words, truth_times = word_times(segments)
    page_words: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(sentence_texts):
        for m in _WORD.finditer(text):
            page_words.append(m.group().lower())
            owner.append(i)
    matcher = difflib.SequenceMatcher(None, page_words, truth_words, autojunk=False)
    truth: list[float | None] = [None] * len(sentence_texts)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            i = owner[a + k]
            if truth[i] is None:
                truth[i] = truth_times[b + k]
    return truth


def _clock(seconds: float) -> str:
    """A chapter time as the pages print it: minutes and seconds, neither padded (``23:6``)."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60}"


def render_page(title: str, chapters: Sequence[tuple[float, str]], segments: Sequence[Segment]) -> str:
    """A page as the site generator writes one from its Whisper segments (`README.md` of the training
    folder): tag-only segments dropped, texts joined with spaces, a paragraph closed at the first sentence
    end after more than 50 words. Tests use it to make pages whose truth is known."""
    header = ["Back to Index", "", title, "", "", "Chapters", ""]
    header += [f"{_clock(t)} {name}".rstrip() for t, name in chapters]
    paragraphs: list[str] = []
    current: list[str] = []
    words = 0
    for seg in segments:
        if seg.is_tag or not seg.text:
            continue
        current.append(seg.text)
        words += len(seg.text.split())
        if words > 50 and seg.text.rstrip().endswith((".", "?", "!")):
            paragraphs.append(" ".join(current))
            current, words = [], 0
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(header) + "\n\nTranscript\n\n" + "\n\n".join(paragraphs) + "\n"
