"""The times a file gives, carried to its sentences: from the timed pieces and start-only stamps that
segmentation found to one (start, end, source, error) per sentence and one stamp per sentence."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from tasks.segment import Segmented, TimedPiece
from tasks.times.align import FileTime
from tasks.times.bound import interpolation_error
from tasks.times.params import AlignParams


def sentence_file_times(seg: Segmented, params: AlignParams) -> list[FileTime | None]:
    """Sentence times from the file: interpolated by character position inside a timed piece, with
    the error of that interpolation (0 where the sentence is exactly a piece the file timed)."""
    given: list[FileTime | None] = []
    for sentence in seg.sentences:
        pieces = seg.turns[sentence.turn_idx].timed
        start = _piece_time_at_char(pieces, sentence.start)
        end = _piece_time_at_char(pieces, sentence.end)
        if start is None or end is None:
            given.append(None)
            continue
        exact = any(p.start == sentence.start and p.end == sentence.end for p in pieces)
        if exact:
            given.append(FileTime(start[0], max(start[0], end[0]), "given", 0.0))
            continue
        error = max(interpolation_error(t, piece.start_s, piece.end_s, params) for t, piece in (start, end))
        given.append(FileTime(start[0], max(start[0], end[0]), "interpolated", round(error, 3)))
    return given


def sentence_stamps(seg: Segmented) -> list[tuple[int, float, bool]]:
    """(sentence, start time, exact) for each start-only stamp of the file ("[04:22] 45 minutes.").

    A stamp that falls inside a sentence (a caption line starting mid-sentence) is moved to the start
    of the sentence it falls in when it sits in that sentence's first half, else of the next one, and
    is not exact: off by up to half a sentence, so the alignment gives it an error, not `given`."""
    starts = [s.start for s in seg.sentences]
    out: list[tuple[int, float, bool]] = []
    for turn in seg.turns:
        for char, t in turn.stamps:
            i = max(bisect.bisect_right(starts, char) - 1, 0)
            sentence = seg.sentences[i]
            exact = char == sentence.start
            if not exact and char - sentence.start > (sentence.end - sentence.start) / 2:
                i += 1
            if i < len(starts):
                out.append((i, t, exact))
    return out


def turn_file_times(seg: Segmented) -> list[tuple[float, float] | None]:
    """Per turn, (start, end) where the file timed the turn's own edges (a cue per turn), else None."""
    out: list[tuple[float, float] | None] = []
    for turn in seg.turns:
        edges = turn.timed and turn.timed[0].start == turn.start and turn.timed[-1].end == turn.end
        out.append((turn.timed[0].start_s, turn.timed[-1].end_s) if edges else None)
    return out


def _piece_time_at_char(pieces: Sequence[TimedPiece], char: int) -> tuple[float, TimedPiece] | None:
    for piece in pieces:
        if piece.start <= char <= piece.end:
            span = max(piece.end - piece.start, 1)
            return piece.start_s + (piece.end_s - piece.start_s) * (char - piece.start) / span, piece
    return None
