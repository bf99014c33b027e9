"""The speaking-time model: where each sentence starts and ends in speech time, and the rate that turns
speech time into seconds.

Time is spread over a speaking-time model, not over raw words: every sentence costs a pause plus its
words, a turn change costs more, and a back-channel is spoken over the other speaker, so it costs little.
Positions are in word-equivalents (words plus pauses).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from expectations.contracts import MAX_WPM, MIN_WPM
from tasks.times.params import AlignParams

# The plausible human speaking rates of the contract, in word-equivalents a second.
MIN_WPS, MAX_WPS = MIN_WPM / 60, MAX_WPM / 60
_WORD = re.compile(r"[\w']+")


def turn_starts(n: int, sentence_turn: Sequence[int] | None) -> list[bool]:
    if sentence_turn is None:
        return [i == 0 for i in range(n)]
    return [i == 0 or sentence_turn[i] != sentence_turn[i - 1] for i in range(n)]


def nonspeech_seconds(sung_words: Sequence[int], params: AlignParams) -> float:
    """Seconds the tags before one sentence take: a tag its measured length, a sung line (``♪ ... ♪``)
    at least its words at a singing pace."""
    return sum(max(params.nonspeech_tag_s, words * params.sung_word_s) for words in sung_words)


def repeats_before(texts: Sequence[str] | None, params: AlignParams) -> list[bool]:
    """Per sentence: the same words (at least `repeat_min_words`) as one of the `repeat_lookback`
    sentences before it. Whisper repeats a sentence in a loop, one segment each, over speech it cannot
    read: its words do not take their time. ("Right." said twice is speech: too short to count.)"""
    if texts is None:
        return []
    words = [_WORD.findall(t.lower()) for t in texts]
    keys = [" ".join(w) if len(w) >= params.repeat_min_words else "" for w in words]
    return [bool(k) and k in keys[max(i - params.repeat_lookback, 0) : i] for i, k in enumerate(keys)]


def positions(
    sentence_words: Sequence[int],
    turn_start: Sequence[bool],
    backchannel: Sequence[bool] | None,
    params: AlignParams,
    repeated: Sequence[bool] = (),
    nonspeech_tags: Sequence[Sequence[int]] = (),
) -> tuple[list[float], list[float]]:
    """Speech-time positions (in word-equivalents) of each sentence's start and end.

    A `repeated` sentence (a Whisper loop) costs `repeat_sentence_s` whatever its words; each of the
    `nonspeech_tags` just before a sentence (music, applause, laughter; each given as the number of
    words it sings, 0 for a plain tag) costs `nonspeech_seconds` at the default rate."""
    begin: list[float] = []
    end: list[float] = [0.0]
    position = 0.0
    for i, words in enumerate(sentence_words):
        words = max(int(words), 0)
        short = backchannel is not None and backchannel[i]
        pause = 0.0 if i == 0 else (params.turn_pause_words if turn_start[i] else params.sentence_pause_words)
        if short:
            pause *= params.backchannel_word_share
        if i < len(nonspeech_tags):
            pause += nonspeech_seconds(nonspeech_tags[i], params) * params.default_rate
        if i < len(repeated) and repeated[i]:
            cost = params.repeat_sentence_s * params.default_rate
        else:
            cost = words * (params.backchannel_word_share if short else 1.0)
        position += pause
        begin.append(position)
        position += cost
        end.append(position)
    return begin, end[1:] if end[1:] else [0.0]


def measured_rate(anchors: Sequence[tuple[int, float, float]], begin: Sequence[float], params: AlignParams) -> float:
    """Word-equivalents per second between the first and last anchor, shrunk toward the default
    rate when the anchors span little speech, and kept human."""
    if len(anchors) >= 2:
        span_t = anchors[-1][1] - anchors[0][1]
        span_w = begin[anchors[-1][0]] - begin[anchors[0][0]]
        prior_s = params.rate_prior_s
        rate = (span_w + params.default_rate * prior_s) / (span_t + prior_s)
    else:
        rate = params.default_rate
    return min(max(rate, MIN_WPS), MAX_WPS)


def time_at(points: Sequence[tuple[float, float]], at: Sequence[float], position: float) -> float:
    """Seconds at a speech position, linear between the (position, seconds) points; `at` their positions."""
    i = bisect.bisect_right(at, position) - 1
    if i >= len(points) - 1:
        return points[-1][1]
    i = max(i, 0)
    (p0, t0), (p1, t1) = points[i], points[i + 1]
    if p1 <= p0:
        return t0
    return t0 + (t1 - t0) * (position - p0) / (p1 - p0)
