"""Times for every sentence: given by the file, interpolated inside a timed cue, or estimated.

Estimation works on anchors, points where both the text position and the time are known: sentences the
file timed (partial given times), start-only stamps, and the declared chapters, which `chapters` places in
the text first. Between anchors, time is spread over the speaking-time model of `rate`; after the last
anchor it runs at the measured (or chapter-implied) rate. `bound` gives each estimate its error.

Pure and deterministic; the interface is `align(...) -> Alignment` over word counts, given times and
chapter start times, with optional text, titles and turns that improve the estimate.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from tasks.times.bound import error_bound
from tasks.times.chapters import ChapterFit, Speech, place_chapters
from tasks.times.params import AlignParams
from tasks.times.rate import (
    MIN_WPS,
    measured_rate,
    nonspeech_seconds,
    positions,
    repeats_before,
    time_at,
    turn_starts,
)

# A chapter list whose last chapter starts after more time than all the words fill at this share of the
# slowest human rate (MIN_WPM) is not these words' (hand-set: the slowest training page speaks at 113 wpm;
# a coding tutorial of the corpus types in silence for minutes at about 40 wpm, so only a fifth counts),
# judged only from a minute on.
MISFIT_MIN_SPAN_S = 60.0
MISFIT_SLOW_SHARE = 0.2


class FileTime(NamedTuple):
    """A sentence's times as the file gives them: source `given` or `interpolated` (inside a cue), and the
    error of that interpolation (0 where the file timed the sentence itself)."""

    start_s: float
    end_s: float
    source: str
    error_s: float = 0.0


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
    # Chapters that start after more time than all the words could fill (the last one, if any).
    misfit_chapters: tuple[int, ...] = ()


def align(
    sentence_words: Sequence[int],
    given: Sequence[tuple[float, float, str] | tuple[float, float, str, float] | None],
    chapter_starts_s: Sequence[float],
    *,
    params: AlignParams | None = None,
    sentence_texts: Sequence[str] | None = None,
    chapter_titles: Sequence[str] | None = None,
    sentence_turn: Sequence[int] | None = None,
    backchannel: Sequence[bool] | None = None,
    duration_s: float | None = None,
    stamps: Sequence[tuple[int, float, bool]] = (),
    nonspeech_tags: Sequence[Sequence[int]] = (),
) -> Alignment:
    """Times for sentences with `sentence_words` words each.

    `given[i]` is a `FileTime` (or a plain (start_s, end_s, source[, error_s]) tuple) where the file timed
    sentence i, else None; partial given times are anchors. `stamps` are (sentence, start_s, exact) where the
    file gave only the time a sentence starts ("[04:22] 45 minutes."; not exact: the stamp fell inside a
    sentence and was moved to a sentence start): anchors too, unless they go back in time. An exact stamp's
    start is given, its end estimated. Sentences between two of the file's times are `interpolated`, the
    rest `estimated`.
    `chapter_starts_s` are the declared chapter start times, ascending.
    Optional: `sentence_texts` and `chapter_titles` (place chapters where their topic starts),
    `sentence_turn` (turn index per sentence: turn changes cost a pause, chapters prefer turn
    starts), `backchannel` (per sentence: short acknowledgements cost little time), `duration_s`
    (a known episode length), `nonspeech_tags` (per sentence and one more for after the last,
    the tags of music, applause or laughter just before it, each as the number of words it sings).
    `params` default to the shipped ones (``tasks/params/alignment.json``).
    """
    params = params or AlignParams.shipped()
    file_times = [None if g is None else FileTime(*g) for g in given]
    n = len(sentence_words)
    stamped: dict[int, tuple[float, bool]] = {}  # per sentence: an exact stamp wins over a moved one
    for i, t, exact in stamps:
        if 0 <= i < n and file_times[i] is None and (i not in stamped or (exact and not stamped[i][1])):
            stamped[i] = (float(t), exact)
    if n and all(g is not None for g in file_times):
        return _from_given([g for g in file_times if g is not None], chapter_starts_s)
    chapters = _ascending([max(float(c), 0.0) for c in chapter_starts_s])
    if n == 0:
        duration = max([duration_s or 0.0, *chapters, 0.0])
        return Alignment((), tuple(ChapterPlacement(0, 0.0) for _ in chapters), duration, "estimated")

    turn_start = turn_starts(n, sentence_turn)
    repeated = repeats_before(sentence_texts, params)
    begin, end = positions(sentence_words, turn_start, backchannel, params, repeated, nonspeech_tags)
    # Tags after the last sentence's start (closing music) still take time before the recording ends.
    trailing = nonspeech_tags[n] if len(nonspeech_tags) > n else ()
    total = end[-1] + nonspeech_seconds(trailing, params) * params.default_rate

    # The file's anchors: (sentence index, start time), made monotone in time; a stamp that goes back
    # in time is not believed (given cues keep their times, see below).
    given_anchors: list[tuple[int, float]] = []
    for i, g in enumerate(file_times):
        earliest = given_anchors[-1][1] if given_anchors else 0.0
        if g is not None:
            given_anchors.append((i, max(float(g.start_s), earliest)))
        elif i in stamped:
            if stamped[i][0] < earliest:
                del stamped[i]
            else:
                given_anchors.append((i, stamped[i][0]))

    # Tagged music before the first words (an opening song) is time before the speech starts.
    speech_start_s = begin[0] / params.default_rate
    fit: ChapterFit | None = None
    if chapters:
        lead = [nonspeech_seconds(tags, params) * params.default_rate for tags in nonspeech_tags]
        speech = Speech(begin, sentence_texts, turn_start, sentence_turn is not None, backchannel, lead)
        fit = place_chapters(chapters, speech, total, given_anchors, chapter_titles, duration_s, params)
    # Merge: every anchor is (sentence, time, error at the anchor).
    merged: dict[int, tuple[float, float]] = {
        i: (t, 0.0 if i not in stamped or stamped[i][1] else params.anchor_floor_s) for i, t in given_anchors
    }
    placements = list(zip(fit.placed if fit else [], chapters, strict=True))
    for k, (placed, t) in enumerate(placements):
        if k + 1 < len(placements) and placements[k + 1][0].sentence == placed.sentence:
            continue  # two chapters start at one sentence: the first is non-speech, the later one the words
        if placed.sentence < n and placed.sentence not in merged:
            shared = k > 0 and placements[k - 1][0].sentence == placed.sentence
            # A chapter that opens with music starts at the music: its first words come after it.
            lead_s = 0.0
            if nonspeech_tags and not shared:
                lead_s = nonspeech_seconds(nonspeech_tags[placed.sentence], params)
            merged[placed.sentence] = (t + lead_s, placed.error_s)
    anchors = _monotone_anchors(sorted((s, t, e) for s, (t, e) in merged.items()))
    if not anchors or anchors[0][0] != 0:
        # Speech starts at the beginning unless a file says otherwise; intros with music break this.
        first_t = anchors[0][1] if anchors else speech_start_s
        anchors.insert(
            0,
            (
                0,
                min(speech_start_s, first_t),
                params.anchor_floor_s * params.start_anchor_error_factor + speech_start_s / 2,
            ),
        )

    if fit is not None and not given_anchors:
        rate, rate_error = fit.rate, max(params.tail_rate_z * fit.rate_sd, params.rate_error / 2)
    else:
        rate = measured_rate(anchors, begin, params)
        rate_error = params.rate_error if len(anchors) >= 2 else params.unmeasured_rate_error
    last_s, last_t, _ = anchors[-1]
    tail_words = total - begin[last_s]
    duration = duration_s if duration_s else last_t + tail_words / rate
    duration = max(duration, last_t, *(g.end_s for g in file_times if g is not None), *chapters)
    points = [(begin[s], t) for s, t, _ in anchors]
    if points[-1][0] < total:
        points.append((total, max(duration, points[-1][1])))

    at = [p for p, _ in points]
    file_timed = [i for i, _ in given_anchors]
    timings: list[SentenceTiming] = []
    for i in range(n):
        start = time_at(points, at, begin[i])
        stop = max(time_at(points, at, end[i]), start)
        g = file_times[i]
        if g is not None:
            g_start = max(float(g.start_s), start if i in merged else 0.0)
            timings.append(SentenceTiming(g_start, max(float(g.end_s), g_start), g.source, float(g.error_s)))
            continue
        if i in stamped and stamped[i][1]:
            timings.append(SentenceTiming(start, stop, "given", 0.0))
            continue
        # The scale is calibrated on pages timed by their chapters alone; between the file's own times the
        # bound keeps its shape.
        scale = params.bound_scale if not given_anchors else 1.0
        error = scale * error_bound(anchors, i, start, rate_error, duration_s is not None, begin, params)
        k = bisect.bisect_left(file_timed, i)
        between = 0 < k < len(file_timed)
        timings.append(SentenceTiming(start, stop, "interpolated" if between else "estimated", round(error, 3)))
    timings = _enforce_monotone(timings, duration)
    return Alignment(
        tuple(timings),
        tuple(ChapterPlacement(p.sentence, p.confidence) for p in (fit.placed if fit else [])),
        duration,
        "given" if duration_s else "estimated",
        misfit_chapters(chapters, total) if not given_anchors else (),
    )


def misfit_chapters(chapters: Sequence[float], total: float) -> tuple[int, ...]:
    """The last chapter, when it starts after more time than all the words fill at a fifth of the
    slowest human rate: such a chapter list does not belong to these words (or the words miss most of
    the audio). Spans between chapters are not judged: placements squeeze them, and a coding tutorial
    types in silence for minutes."""
    if chapters and chapters[-1] >= MISFIT_MIN_SPAN_S and total / chapters[-1] < MISFIT_SLOW_SHARE * MIN_WPS:
        return (len(chapters) - 1,)
    return ()


def _enforce_monotone(timings: list[SentenceTiming], duration: float) -> list[SentenceTiming]:
    result: list[SentenceTiming] = []
    last = 0.0
    for t in timings:
        start = min(max(t.start_s, last), duration)
        stop = min(max(t.end_s, start), duration)
        result.append(SentenceTiming(start, stop, t.time_source, max(t.time_error_s, 0.0)))
        last = start
    return result


def _ascending(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in values:
        out.append(max(v, out[-1]) if out else v)
    return out


def _monotone_anchors(anchors: list[tuple[int, float, float]]) -> list[tuple[int, float, float]]:
    result: list[tuple[int, float, float]] = []
    for sentence, time, error in anchors:
        if result and time < result[-1][1]:
            # A later sentence cannot start earlier: keep the anchor with less doubt.
            if error < result[-1][2]:
                while result and result[-1][1] > time and result[-1][2] > error:
                    result.pop()
                if result and result[-1][1] > time:
                    continue
            else:
                continue
        result.append((sentence, time, error))
    return result


def _from_given(given: Sequence[FileTime], chapter_starts_s: Sequence[float]) -> Alignment:
    timings = []
    last_start = 0.0
    for g in given:
        # Overlapping cues can give a sentence an earlier start than the one before it.
        start = max(g.start_s, last_start)
        end = max(g.end_s, start)
        timings.append(SentenceTiming(start, end, g.source, float(g.error_s)))
        last_start = start
    starts = [t.start_s for t in timings]
    placements = [
        ChapterPlacement(0 if i == 0 else bisect.bisect_left(starts, chapter_start), 1.0)
        for i, chapter_start in enumerate(chapter_starts_s)
    ]
    duration = max([t.end_s for t in timings] + list(chapter_starts_s) + [0.0])
    return Alignment(tuple(timings), tuple(placements), duration, "given")
