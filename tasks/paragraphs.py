"""Paragraphs: where a reader would start a new one, from the pauses a timed file gives and the length said.

A turn always starts a paragraph. Inside a turn a paragraph ends before a sentence that follows one of the
episode's longer pauses (at least its `PAUSE_QUANTILE` pause and `MIN_PAUSE_S`), once it holds
`PARAGRAPH_MIN_WORDS`, and in any case once it holds `PARAGRAPH_MAX_WORDS`. Only times the file gave or
interpolated count as pauses: an estimated time's pause is the speaking-rate model's, no evidence. The
thresholds are for reading (a paragraph of a few sentences up to about a minute and a half of speech), not
fitted to any data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

PARAGRAPH_MIN_WORDS = 40
PARAGRAPH_MAX_WORDS = 200
PAUSE_QUANTILE = 0.9
MIN_PAUSE_S = 0.4
TIMED_SOURCES = frozenset({"given", "interpolated"})


def paragraph_indices(
    turn_idx: Sequence[int],
    start_s: Sequence[float],
    end_s: Sequence[float],
    n_words: Sequence[int],
    time_source: Sequence[str],
) -> list[int]:
    """The paragraph (0, 1, ... over the episode) of each sentence, in sentence order."""
    n = len(turn_idx)
    pauses: list[float | None] = [None] * n
    for i in range(1, n):
        timed = time_source[i] in TIMED_SOURCES and time_source[i - 1] in TIMED_SOURCES
        if timed and turn_idx[i] == turn_idx[i - 1]:
            pauses[i] = start_s[i] - end_s[i - 1]
    said = sorted(p for p in pauses if p is not None)
    threshold = max(MIN_PAUSE_S, _quantile(said, PAUSE_QUANTILE)) if said else math.inf
    out: list[int] = []
    paragraph, words = 0, 0
    for i in range(n):
        if i:
            paused = (pauses[i] or 0.0) >= threshold and words >= PARAGRAPH_MIN_WORDS
            if turn_idx[i] != turn_idx[i - 1] or paused or words >= PARAGRAPH_MAX_WORDS:
                paragraph, words = paragraph + 1, 0
        out.append(paragraph)
        words += n_words[i]
    return out


def _quantile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values, by linear interpolation (numpy's default)."""
    at = q * (len(ordered) - 1)
    low = math.floor(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)
