"""From a ParsedDocument to one clean text and the spans over it: turns, sentences, events.

The clean text holds one speaker turn per line, normalised, without turn markers, speaker
labels or non-speech tags. Everything else is a half-open span of character offsets into it, so
every row of every table can be checked against the text it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tasks.clean import NORMALISERS, TURN_MARKER, NonSpeech, non_speech_tags, normalise
from tasks.formats import codes
from tasks.formats._cues import loop_reason
from tasks.model import Finding, ParsedDocument, Segment
from tasks.sentences import sentence_spans


@dataclass(frozen=True, slots=True)
class TimedPiece:
    """A stretch of clean text whose times the file gave."""

    start: int
    end: int
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class Turn:
    start: int
    end: int
    label: str | None
    is_interrupted: bool
    flag: str | None
    timed: tuple[TimedPiece, ...]
    # (offset in clean text, seconds): where the file stamped a start but no end ("[04:22] ...")
    stamps: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Sentence:
    turn_idx: int
    start: int
    end: int
    flag: str | None


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    surface: str
    at: int
    turn_idx: int | None
    start_s: float | None


@dataclass(frozen=True, slots=True)
class Segmented:
    clean_text: str
    turns: tuple[Turn, ...]
    sentences: tuple[Sentence, ...]
    events: tuple[Event, ...]
    steps: tuple[str, ...] = field(default=())
    findings: tuple[Finding, ...] = ()


CLEANING_STEPS = (
    *(name for name, _ in NORMALISERS),
    "remove_non_speech_tags",
    "split_turn_markers",
    "remove_speaker_labels",
    "one_turn_per_line",
)

_CUT_OFF = re.compile(r"(?:--|\w-)$")


@dataclass
class _TurnBuilder:
    label: str | None
    words: list[str] = field(default_factory=list)
    length: int = 0
    flagged: list[tuple[int, int, str]] = field(default_factory=list)
    timed: list[tuple[int, int, float, float]] = field(default_factory=list)
    stamps: list[tuple[int, float]] = field(default_factory=list)
    events: list[tuple[int, NonSpeech, float | None]] = field(default_factory=list)

    def add(self, text: str) -> tuple[int, int]:
        """Append text (already normalised) and return its span within the turn."""
        if not text:
            return self.length, self.length
        if self.words:
            self.length += 1
        start = self.length
        self.words.append(text)
        self.length += len(text)
        return start, self.length


def segment(doc: ParsedDocument) -> Segmented:
    """Split the document into turns at speaker changes and turn markers, then into sentences."""
    builders: list[_TurnBuilder] = []
    current: _TurnBuilder | None = None

    def new_turn(label: str | None) -> _TurnBuilder:
        builder = _TurnBuilder(label)
        builders.append(builder)
        return builder

    ends = _ends(doc.segments)
    for seg, end_s in zip(doc.segments, ends, strict=True):
        text = normalise(seg.text)
        starts_turn = current is None or seg.new_turn or (seg.speaker is not None and seg.speaker != current.label)
        if starts_turn:
            current = new_turn(seg.speaker)
        assert current is not None
        pieces = _pieces(text)
        # Time runs over the spoken characters only: markers and tags take no time of their own.
        total = max(1, sum(len(piece) for piece in pieces if isinstance(piece, str)))
        spoken = 0
        for piece in pieces:
            time_at = _time_at(seg.start_s, end_s, spoken / total)
            if piece is _BREAK:
                current = new_turn(seg.speaker if seg.speaker is not None else None)
            elif isinstance(piece, NonSpeech):
                current.events.append((current.length, piece, time_at))
            else:
                value = str(piece)
                span = current.add(value)
                if seg.flag:
                    current.flagged.append((span[0], span[1], seg.flag))
                spoken += len(value)
                if seg.start_s is not None and end_s is not None and span[1] > span[0]:
                    end_at = _time_at(seg.start_s, end_s, spoken / total)
                    current.timed.append((span[0], span[1], time_at or seg.start_s, end_at or end_s))
                elif seg.start_s is not None and span[1] > span[0] and spoken == len(value):
                    current.stamps.append((span[0], seg.start_s))

    return _assemble(builders)


def _ends(segments: Sequence[Segment]) -> list[float | None]:
    """Each segment's end time: as the file gives it, else, for a segment stamped with a start only,
    the start of the segment right after it when that one is stamped too (a line-stamped transcript:
    a line runs until the next line starts). Otherwise None: the stamp is a point, not a span."""
    ends: list[float | None] = []
    for k, seg in enumerate(segments):
        end = seg.end_s
        if end is None and seg.start_s is not None and k + 1 < len(segments):
            following = segments[k + 1].start_s
            if following is not None and following >= seg.start_s:
                end = following
        ends.append(end)
    return ends


def _time_at(start_s: float | None, end_s: float | None, fraction: float) -> float | None:
    if start_s is None:
        return None
    if end_s is None:
        return start_s
    return start_s + (end_s - start_s) * min(1.0, max(0.0, fraction))


class _Break:
    """A turn marker: the next words start a new turn."""


_BREAK = _Break()
# What a segment's text is made of, in order: spoken words, non-speech tags and turn markers.
Piece = str | NonSpeech | _Break


def _pieces(text: str) -> list[Piece]:
    """The text as a sequence of spoken text (whitespace collapsed), tags and turn markers."""
    pieces: list[Piece] = []
    cursor = 0
    for tag in [*non_speech_tags(text), None]:
        stop = tag.start if tag else len(text)
        _split_markers(text[cursor:stop], pieces)
        if tag:
            pieces.append(tag)
            cursor = tag.end
    return pieces


def _split_markers(chunk: str, pieces: list[Piece]) -> None:
    cursor = 0
    for match in TURN_MARKER.finditer(chunk):
        _add_text(chunk[cursor : match.start()], pieces)
        pieces.append(_BREAK)
        cursor = match.end()
    _add_text(chunk[cursor:], pieces)


def _add_text(text: str, pieces: list[Piece]) -> None:
    stripped = text.strip()
    if stripped:
        pieces.append(" ".join(stripped.split()))


def _assemble(builders: list[_TurnBuilder]) -> Segmented:
    parts: list[str] = []
    turns: list[Turn] = []
    sentences: list[Sentence] = []
    events: list[Event] = []
    base = 0
    pending_events: list[tuple[NonSpeech, float | None]] = []
    for builder in builders:
        if not builder.words:
            # A turn that held only non-speech: its events sit where the text resumes.
            pending_events.extend((tag, at) for _, tag, at in builder.events)
            continue
        if parts:
            base += 1  # the newline between turns
        turn_idx = len(turns)
        for tag, at in pending_events:
            events.append(Event(tag.kind, tag.surface, base, turn_idx, at))
        pending_events = []
        text = " ".join(builder.words)
        parts.append(text)
        timed = tuple(TimedPiece(base + a, base + b, s, e) for a, b, s, e in builder.timed)
        stamps = tuple((base + a, t) for a, t in builder.stamps)
        turn_flag = builder.flagged[0][2] if builder.flagged else None
        turns.append(Turn(base, base + len(text), builder.label, False, turn_flag, timed, stamps))
        for at, tag, time_at in builder.events:
            events.append(Event(tag.kind, tag.surface, base + at, turn_idx, time_at))
        for start, end in sentence_spans(text):
            # Only the sentences that overlap a suspect segment carry its flag, not the whole turn.
            flag = next((f for a, b, f in builder.flagged if a < end and start < b), None)
            sentences.append(Sentence(turn_idx, base + start, base + end, flag))
        base += len(text)
    for tag, at in pending_events:
        events.append(Event(tag.kind, tag.surface, base, len(turns) - 1 if turns else None, at))
    clean_text = "\n".join(parts)
    turns = [
        Turn(
            t.start,
            t.end,
            t.label,
            i + 1 < len(turns) and bool(_CUT_OFF.search(clean_text[t.start : t.end])),
            t.flag,
            t.timed,
            t.stamps,
        )
        for i, t in enumerate(turns)
    ]
    sentences, findings = flag_loops(clean_text, sentences)
    return Segmented(clean_text, tuple(turns), tuple(sentences), tuple(events), CLEANING_STEPS, findings)


# A decoder stuck on a window writes one sentence again and again ("The sixth step is to create a system that
# can control the AI." 78 times on a training page). People echo short lines and repeat a point once or twice,
# so only a sentence of LOOP_MIN_WORDS or more, said for the LOOP_MIN_RUN-th time among the sentences just
# before it, is a loop; its repeats are flagged, not its first saying.
LOOP_MIN_WORDS = 5
LOOP_MIN_RUN = 3
LOOP_LOOKBACK = 3
_LOOP_WORD = re.compile(r"\w+(?:'\w+)?")


def flag_loops(clean_text: str, sentences: Sequence[Sentence]) -> tuple[list[Sentence], tuple[Finding, ...]]:
    """Sentences of a hallucination loop flagged ``hallucination`` (text is kept), with one warning per loop.

    Two kinds, as Whisper writes them: a phrase repeated back to back inside a sentence ("you you you you",
    the readers' own test), and one sentence written over and over (see ``LOOP_MIN_RUN``)."""
    keys = [" ".join(_LOOP_WORD.findall(clean_text[s.start : s.end].lower())) for s in sentences]
    flags: list[str | None] = [s.flag for s in sentences]
    findings: list[Finding] = []
    seen_at: dict[str, list[int]] = {}
    loop_key: str | None = None
    for i, (sentence, key) in enumerate(zip(sentences, keys, strict=True)):
        text = clean_text[sentence.start : sentence.end]
        if flags[i] is None and (why := loop_reason(text)):
            flags[i] = "hallucination"
            findings.append(Finding(codes.HALLUCINATION, "warning", f"possible hallucination: {why}", f"sentence {i}"))
        if len(key.split()) < LOOP_MIN_WORDS:
            continue
        recent = [k for k in seen_at.get(key, []) if k >= i - LOOP_LOOKBACK * LOOP_MIN_RUN]
        recent.append(i)
        seen_at[key] = recent
        if len(recent) >= LOOP_MIN_RUN and i - recent[-2] <= LOOP_LOOKBACK:
            for k in recent[1:]:  # the first saying is most often the real one
                flags[k] = "hallucination"
            if loop_key != key:
                findings.append(
                    Finding(
                        codes.HALLUCINATION,
                        "warning",
                        f"possible hallucination: the sentence {text[:60]!r} repeats {len(recent)} or more times",
                        f"sentence {recent[0]}",
                    )
                )
                loop_key = key
    flagged = [Sentence(s.turn_idx, s.start, s.end, f) for s, f in zip(sentences, flags, strict=True)]
    return flagged, tuple(findings)
