"""Times for every sentence: given by the file, interpolated inside a timed cue, or estimated.

Estimation places the declared chapters on the text and spreads time over words between those
anchors at a constant speaking rate. It is deliberately simple and replaceable: the interface is
`align(...) -> Alignment`, pure, over word counts and given times only.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_WORDS_PER_SECOND = 2.6  # ~155 words a minute, the middle of conversational English
MIN_WPS, MAX_WPS = 80 / 60, 300 / 60
# Speaking rate varies by about +-30% around its mean over minutes of speech, so an estimate's
# error grows with its distance from the nearest anchor; 10 s covers placement of the anchor itself.
ERROR_PER_SECOND_FROM_ANCHOR = 0.3
ANCHOR_ERROR_S = 10.0
PROPORTIONAL_PLACEMENT_CONFIDENCE = 0.3


@dataclass(frozen=True, slots=True)
class SentenceTiming:
    start_s: float
    end_s: float
    time_source: str  # given | interpolated | estimated
    time_error_s: float


@dataclass(frozen=True, slots=True)
class ChapterPlacement:
    first_sentence: int  # index of the sentence the chapter starts with (len(sentences) if none)
    confidence: float


@dataclass(frozen=True, slots=True)
class Alignment:
    sentences: tuple[SentenceTiming, ...]
    chapters: tuple[ChapterPlacement, ...]
    duration_s: float
    duration_source: str


def align(
    sentence_words: Sequence[int],
    given: Sequence[tuple[float, float, str] | None],
    chapter_starts_s: Sequence[float],
) -> Alignment:
    """Times for sentences with `sentence_words` words each.

    `given[i]` is (start_s, end_s, source) where the file timed sentence i, else None.
    `chapter_starts_s` are the declared chapter start times, ascending.
    """
    n = len(sentence_words)
    if n and all(g is not None for g in given):
        return _from_given(given, chapter_starts_s)  # type: ignore[arg-type]
    cumulative = [0]
    for words in sentence_words:
        cumulative.append(cumulative[-1] + max(words, 0))
    total_words = cumulative[-1]
    duration = _estimated_duration(total_words, chapter_starts_s)
    rate = total_words / duration if duration > 0 else DEFAULT_WORDS_PER_SECOND

    placements: list[ChapterPlacement] = []
    anchors: list[tuple[int, float]] = []  # (word position, time)
    previous = 0
    for i, start_s in enumerate(chapter_starts_s):
        target = rate * start_s if i else 0
        sentence = _nearest_sentence_start(cumulative, target, previous)
        previous = sentence
        placements.append(ChapterPlacement(sentence, 1.0 if i == 0 else PROPORTIONAL_PLACEMENT_CONFIDENCE))
        anchors.append((cumulative[sentence], start_s))
    if not anchors or anchors[0][0] != 0:
        anchors.insert(0, (0, 0.0))
    anchors.append((total_words, max(duration, anchors[-1][1])))
    anchors = _monotone(anchors)

    timings = []
    for i in range(n):
        start = _time_at(anchors, cumulative[i])
        end = _time_at(anchors, cumulative[i + 1])
        if given[i] is not None:
            g_start, g_end, source = given[i]  # type: ignore[misc]
            timings.append(SentenceTiming(g_start, g_end, source, 0.0))
            continue
        error = ANCHOR_ERROR_S + ERROR_PER_SECOND_FROM_ANCHOR * _distance_to_anchor(anchors, start)
        timings.append(SentenceTiming(start, end, "estimated", round(error, 3)))
    return Alignment(tuple(timings), tuple(placements), duration, "estimated")


def _from_given(given: Sequence[tuple[float, float, str]], chapter_starts_s: Sequence[float]) -> Alignment:
    timings = []
    last_start = 0.0
    for start, end, source in given:
        # Overlapping cues can give a sentence an earlier start than the one before it.
        start = max(start, last_start)
        end = max(end, start)
        timings.append(SentenceTiming(start, end, source, 0.0))
        last_start = start
    starts = [t.start_s for t in timings]
    placements = [
        ChapterPlacement(0 if i == 0 else bisect.bisect_left(starts, chapter_start), 1.0)
        for i, chapter_start in enumerate(chapter_starts_s)
    ]
    duration = max([t.end_s for t in timings] + list(chapter_starts_s) + [0.0])
    return Alignment(tuple(timings), tuple(placements), duration, "given")


def _estimated_duration(total_words: int, chapter_starts_s: Sequence[float]) -> float:
    spoken = total_words / DEFAULT_WORDS_PER_SECOND
    if len(chapter_starts_s) >= 2 and chapter_starts_s[-1] > 0:
        last = chapter_starts_s[-1]
        # The last chapter lasts about as long as the average chapter before it.
        duration = last + last / (len(chapter_starts_s) - 1)
    else:
        duration = spoken
    # Keep the implied speaking rate human.
    return min(max(duration, total_words / MAX_WPS), max(total_words / MIN_WPS, 1.0))


def _nearest_sentence_start(cumulative: list[int], target: float, lowest: int) -> int:
    i = bisect.bisect_left(cumulative, target, lo=lowest)
    candidates = [c for c in (i - 1, i) if lowest <= c < len(cumulative)]
    if not candidates:
        return min(lowest, len(cumulative) - 1)
    return min(candidates, key=lambda c: abs(cumulative[c] - target))


def _monotone(anchors: list[tuple[int, float]]) -> list[tuple[int, float]]:
    result: list[tuple[int, float]] = []
    for position, time in anchors:
        if result and position <= result[-1][0]:
            # Two chapters on one word position (little text): keep the earlier time there.
            continue
        result.append((position, max(time, result[-1][1]) if result else time))
    return result


def _time_at(anchors: list[tuple[int, float]], position: int) -> float:
    positions = [a[0] for a in anchors]
    i = bisect.bisect_right(positions, position) - 1
    if i >= len(anchors) - 1:
        return anchors[-1][1]
    (p0, t0), (p1, t1) = anchors[max(i, 0)], anchors[max(i, 0) + 1]
    return t0 + (t1 - t0) * (position - p0) / (p1 - p0)


def _distance_to_anchor(anchors: list[tuple[int, float]], time: float) -> float:
    return min(abs(time - t) for _, t in anchors[:-1]) if len(anchors) > 1 else time
