"""Times for every sentence: given by the file, interpolated inside a timed cue, or estimated.

Estimation works on anchors, points where both the text position and the time are known:
sentences the file timed (partial given times) and the declared chapters. A podcast page gives a
chapter's start time and title but not where in the text it starts, so all chapters are placed at
once by a small probabilistic model (`_place_chapters`): the speech between consecutive chapters is
a random walk around one speaking rate, whose level is unknown and integrated over; the last
chapter lasts no more than about a chapter; a chapter prefers a turn start, after a question most,
and the place where its title's words start being said. Each chapter goes to the posterior median of
its position, and the posterior's spread is its confidence and its time error.

Between anchors, time is spread over a speaking-time model, not over raw words: every sentence costs
a pause plus its words, a turn change costs more, and a back-channel is spoken over the other speaker,
so it costs little. After the last anchor, time runs at the fitted rate. The error bound grows like a
Brownian bridge between two anchors (speaking rate wanders, the anchors pin it) and like a random walk
plus a rate error after the last one; constants were fitted on real timed files (bench/eval_times.py).

Pure and deterministic; the interface is `align(...) -> Alignment` over word counts, given times and
chapter start times, with optional text, titles and turns that improve the estimate.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_WORDS_PER_SECOND = 2.6  # ~155 words a minute, the middle of conversational English
# The same in word-equivalents of the speaking-time model (words plus pauses), median of the corpus.
DEFAULT_RATE = 3.1
MIN_WPS, MAX_WPS = 80 / 60, 300 / 60

# Speaking-time model in word-equivalents, fitted on the timed corpus (bench/eval_times.py): a
# sentence boundary is a breath, a turn change a longer gap, and back-channels overlap speech.
SENTENCE_PAUSE_WORDS = 1.0
TURN_PAUSE_WORDS = 1.5
BACKCHANNEL_WORD_SHARE = 0.3

# Error bound: BRIDGE_K * sqrt(seconds) of rate wander between anchors, plus, beyond the last
# anchor, a share of the elapsed time for the error in the rate. ANCHOR_FLOOR_S covers the coarse
# truth of a sentence start (caption cues, whole seconds) near an anchor.
BRIDGE_K = 0.9
RATE_ERROR = 0.12
UNMEASURED_RATE_ERROR = 0.25
TAIL_RATE_Z = 1.5
ANCHOR_FLOOR_S = 2.0
UNCONFIRMED_PLACEMENT_ERROR_S = 45.0

# Chapter model. The speech between anchors dt seconds apart is a random walk: its time-equivalent
# has variance RATE_WANDER_Q * dt (s^2), fitted on the corpus. The rate's prior is log-normal around
# the corpus median; the last chapter lasts up to LAST_CHAPTER_MAX_SHARE of the mean chapter, with
# a soft edge. Rates are tried on a log grid of RATE_GRID_STEP, at most MAX_RATES of them.
RATE_WANDER_Q = 1.5
RATE_PRIOR_SD = 0.2
LAST_CHAPTER_MAX_SHARE = 1.0
LAST_CHAPTER_SD_SHARE = 0.25
RATE_GRID_STEP = 0.015
MAX_RATES = 16
MIN_HALF_WINDOW_S, MAX_HALF_WINDOW_S = 60.0, 150.0
# Log-score bonuses: a turn start, a turn start after a question (a host moving on), and per title
# word (times its idf) said within TITLE_WINDOW_S of speech after a sentence, less a share if it was
# said just before (a topic starts where its words start).
TURN_START_BONUS = 0.4
QUESTION_TURN_BONUS = 0.3
TITLE_WEIGHT = 0.8
TITLE_BEFORE_SHARE = 0.5
TITLE_WINDOW_S = 75.0
TITLE_DECAY_SHARE = 0.35
IDF_BLOCK = 10
# A chapter's confidence is the posterior mass within this many seconds of its placement; its error
# is the distance holding PLACEMENT_COVER of the mass.
CONFIDENCE_WINDOW_S = 15.0
PLACEMENT_COVER = 0.85

_WORD = re.compile(r"[a-z0-9][a-z0-9'’\-]*")
_STOPWORDS = frozenset(
    """a an the and or but of to in on at for from by with without about into over under as is are was
    were be been being it its this that these those what which who whom how why when where do does did
    not no yes so than then there their they them we our us you your i me my he she his her him have
    has had will would can could should may might must just very more most less also all any some
    each other new role future impact importance introduction intro conclusion closing thoughts
    part s vs""".split()
)


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
    *,
    sentence_texts: Sequence[str] | None = None,
    chapter_titles: Sequence[str] | None = None,
    sentence_turn: Sequence[int] | None = None,
    backchannel: Sequence[bool] | None = None,
    duration_s: float | None = None,
    stamps: Sequence[tuple[int, float, bool]] = (),
) -> Alignment:
    """Times for sentences with `sentence_words` words each.

    `given[i]` is (start_s, end_s, source) or (start_s, end_s, source, error_s) where the file timed
    sentence i, else None (error_s: of times interpolated inside a cue, default 0); partial given
    times are anchors. `stamps` are (sentence, start_s, exact) where the file gave only the
    time a sentence starts ("[04:22] 45 minutes."; not exact: the stamp fell inside a sentence and was
    moved to a sentence start): anchors too, unless they go back in time. An exact stamp's start is
    given, its end estimated. Sentences between two of the file's times are `interpolated`, the rest
    `estimated`.
    `chapter_starts_s` are the declared chapter start times, ascending.
    Optional: `sentence_texts` and `chapter_titles` (place chapters where their topic starts),
    `sentence_turn` (turn index per sentence: turn changes cost a pause, chapters prefer turn
    starts), `backchannel` (per sentence: short acknowledgements cost little time), `duration_s`
    (a known episode length).
    """
    n = len(sentence_words)
    stamped: dict[int, tuple[float, bool]] = {}  # per sentence: an exact stamp wins over a moved one
    for i, t, exact in stamps:
        if 0 <= i < n and given[i] is None and (i not in stamped or (exact and not stamped[i][1])):
            stamped[i] = (float(t), exact)
    if n and all(g is not None for g in given):
        return _from_given(given, chapter_starts_s)  # type: ignore[arg-type]
    chapters = _ascending([max(float(c), 0.0) for c in chapter_starts_s])
    if n == 0:
        duration = max([duration_s or 0.0, *chapters, 0.0])
        return Alignment((), tuple(ChapterPlacement(0, 0.0) for _ in chapters), duration, "estimated")

    turn_start = _turn_starts(n, sentence_turn)
    begin, end = _positions(sentence_words, turn_start, backchannel)
    total = end[-1]

    # The file's anchors: (sentence index, start time), made monotone in time; a stamp that goes back
    # in time is not believed (given cues keep their times, see below).
    given_anchors: list[tuple[int, float]] = []
    for i, g in enumerate(given):
        earliest = given_anchors[-1][1] if given_anchors else 0.0
        if g is not None:
            given_anchors.append((i, max(float(g[0]), earliest)))
        elif i in stamped:
            if stamped[i][0] < earliest:
                del stamped[i]
            else:
                given_anchors.append((i, stamped[i][0]))

    fit = None
    if chapters:
        fit = _place_chapters(
            chapters,
            begin,
            total,
            given_anchors,
            sentence_texts,
            chapter_titles,
            turn_start,
            sentence_turn is not None,
            duration_s,
            backchannel,
        )
    # Merge: every anchor is (sentence, time, error at the anchor).
    merged: dict[int, tuple[float, float]] = {
        i: (t, 0.0 if i not in stamped or stamped[i][1] else ANCHOR_FLOOR_S) for i, t in given_anchors
    }
    for placed, t in zip(fit.placed if fit else [], chapters, strict=True):
        if placed.sentence < n and placed.sentence not in merged:
            merged[placed.sentence] = (t, placed.error_s)
    anchors = _monotone_anchors(sorted((s, t, e) for s, (t, e) in merged.items()))
    if not anchors or anchors[0][0] != 0:
        # Speech starts at the beginning unless a file says otherwise; intros with music break this.
        first_t = anchors[0][1] if anchors else 0.0
        anchors.insert(0, (0, 0.0 if first_t > 0 else first_t, ANCHOR_FLOOR_S * 2))

    if fit is not None and not given_anchors:
        rate, rate_error = fit.rate, max(TAIL_RATE_Z * fit.rate_sd, RATE_ERROR / 2)
    else:
        rate = _measured_rate(anchors, begin)
        rate_error = RATE_ERROR if len(anchors) >= 2 else UNMEASURED_RATE_ERROR
    last_s, last_t, _ = anchors[-1]
    tail_words = total - begin[last_s]
    duration = duration_s if duration_s else last_t + tail_words / rate
    duration = max(duration, last_t, *(g[1] for g in given if g is not None), *chapters)
    points = [(begin[s], t) for s, t, _ in anchors]
    if points[-1][0] < total:
        points.append((total, max(duration, points[-1][1])))

    positions = [p for p, _ in points]
    file_timed = [i for i, _ in given_anchors]
    timings: list[SentenceTiming] = []
    for i in range(n):
        start = _time_at(points, positions, begin[i])
        stop = max(_time_at(points, positions, end[i]), start)
        g = given[i]
        if g is not None:
            g_start = max(float(g[0]), start if i in merged else 0.0)
            timings.append(SentenceTiming(g_start, max(float(g[1]), g_start), g[2], _given_error(g)))
            continue
        if i in stamped and stamped[i][1]:
            timings.append(SentenceTiming(start, stop, "given", 0.0))
            continue
        error = _error_bound(anchors, i, start, rate_error, duration_s is not None, begin)
        k = bisect.bisect_left(file_timed, i)
        between = 0 < k < len(file_timed)
        timings.append(SentenceTiming(start, stop, "interpolated" if between else "estimated", round(error, 3)))
    timings = _enforce_monotone(timings, duration)
    return Alignment(
        tuple(timings),
        tuple(ChapterPlacement(p.sentence, p.confidence) for p in (fit.placed if fit else [])),
        duration,
        "given" if duration_s else "estimated",
    )


# ---------------------------------------------------------------------------------------------
# Speaking-time model


def _turn_starts(n: int, sentence_turn: Sequence[int] | None) -> list[bool]:
    if sentence_turn is None:
        return [i == 0 for i in range(n)]
    return [i == 0 or sentence_turn[i] != sentence_turn[i - 1] for i in range(n)]


def _positions(
    sentence_words: Sequence[int], turn_start: Sequence[bool], backchannel: Sequence[bool] | None
) -> tuple[list[float], list[float]]:
    """Speech-time positions (in word-equivalents) of each sentence's start and end."""
    begin: list[float] = []
    end: list[float] = [0.0]
    position = 0.0
    for i, words in enumerate(sentence_words):
        words = max(int(words), 0)
        short = backchannel is not None and backchannel[i]
        pause = 0.0 if i == 0 else (TURN_PAUSE_WORDS if turn_start[i] else SENTENCE_PAUSE_WORDS)
        if short:
            pause *= BACKCHANNEL_WORD_SHARE
        position += pause
        begin.append(position)
        position += words * (BACKCHANNEL_WORD_SHARE if short else 1.0)
        end.append(position)
    return begin, end[1:] if end[1:] else [0.0]


def _measured_rate(anchors: Sequence[tuple[int, float, float]], begin: Sequence[float]) -> float:
    """Word-equivalents per second between the first and last anchor, shrunk toward the default
    rate when the anchors span little speech, and kept human."""
    if len(anchors) >= 2:
        span_t = anchors[-1][1] - anchors[0][1]
        span_w = begin[anchors[-1][0]] - begin[anchors[0][0]]
        prior_s = 120.0  # two minutes of pseudo-speech at the default rate
        rate = (span_w + DEFAULT_RATE * prior_s) / (span_t + prior_s)
    else:
        rate = DEFAULT_RATE
    return min(max(rate, MIN_WPS), MAX_WPS)


def _time_at(points: Sequence[tuple[float, float]], positions: Sequence[float], position: float) -> float:
    i = bisect.bisect_right(positions, position) - 1
    if i >= len(points) - 1:
        return points[-1][1]
    i = max(i, 0)
    (p0, t0), (p1, t1) = points[i], points[i + 1]
    if p1 <= p0:
        return t0
    return t0 + (t1 - t0) * (position - p0) / (p1 - p0)


def _error_bound(
    anchors: Sequence[tuple[int, float, float]],
    i: int,
    t: float,
    rate_error: float,
    known_end: bool,
    begin: Sequence[float],
) -> float:
    k = bisect.bisect_right([a[0] for a in anchors], i) - 1
    s0, t0, e0 = anchors[max(k, 0)]
    if k + 1 < len(anchors):
        s1, t1, e1 = anchors[k + 1]
        d0, d1 = max(t - t0, 0.0), max(t1 - t, 0.0)
        span = d0 + d1
        anchor_error = (e0 * d1 + e1 * d0) / span if span > 0 else e0
        # More time between two anchors than their words fill at the slowest human rate: music, a
        # pause or untranscribed talk lies somewhere in between, and the time spread evenly over the
        # words may be off by as much as that slack (all of it before this sentence, or all after).
        slack = max(t1 - t0 - (begin[s1] - begin[s0]) / MIN_WPS, 0.0)
        gap_error = slack * max(d0, d1) / span if span > 0 else 0.0
        return ANCHOR_FLOOR_S + anchor_error + _bridge(d0, d1) + gap_error
    d = max(t - t0, 0.0)
    walk = BRIDGE_K * math.sqrt(d) + rate_error * d
    if known_end:
        walk = min(walk, BRIDGE_K * math.sqrt(d) * 1.5)
    return ANCHOR_FLOOR_S + e0 + walk


def _enforce_monotone(timings: list[SentenceTiming], duration: float) -> list[SentenceTiming]:
    result: list[SentenceTiming] = []
    last = 0.0
    for t in timings:
        start = min(max(t.start_s, last), duration)
        stop = min(max(t.end_s, start), duration)
        result.append(SentenceTiming(start, stop, t.time_source, max(t.time_error_s, 0.0)))
        last = start
    return result


# ---------------------------------------------------------------------------------------------
# Chapter placement: one joint model over all chapters


@dataclass(frozen=True, slots=True)
class _Placed:
    sentence: int
    confidence: float
    error_s: float  # half-width around the placement holding PLACEMENT_COVER of the posterior, seconds


@dataclass(frozen=True, slots=True)
class _Fit:
    placed: list[_Placed]
    rate: float  # posterior mean speaking rate, word-equivalents per second
    rate_sd: float  # its relative spread


def _place_chapters(
    chapters: Sequence[float],
    begin: Sequence[float],
    total: float,
    given_anchors: Sequence[tuple[int, float]],
    texts: Sequence[str] | None,
    titles: Sequence[str] | None,
    turn_start: Sequence[bool],
    has_turns: bool,
    duration_s: float | None,
    backchannel: Sequence[bool] | None = None,
) -> _Fit:
    """Place every chapter at once: a chain over the chapters (and the given anchors next to them)
    where the speech between consecutive anchors is a random walk around one speaking rate, the rate
    is unknown and integrated over a grid, each chapter prefers turn starts and the place where its
    title's words start being said, and the last chapter lasts no more than about a chapter.
    Chapters are put at the posterior median of their position; the spread of the posterior gives
    their confidence and error."""
    n = len(begin)
    B = np.asarray(begin, dtype=float)
    K = len(chapters)
    unary = _unary_scores(B, K, texts, titles, turn_start, has_turns, backchannel)
    if not given_anchors:
        # A chapter at the very start starts with the first sentence, whatever its words.
        unary[[c for c, t in enumerate(chapters) if t <= 1.0], 1:] = -1e9

    # Fixed nodes: the start of the speech, then the given anchors that bracket some chapter (only
    # neighbours constrain a chapter; all of them would only cost time).
    given_t = [t for _, t in given_anchors]
    keep: set[int] = set()
    for t in chapters:
        k = bisect.bisect_right(given_t, t)
        keep.update(j for j in (k - 1, k) if 0 <= j < len(given_anchors))
    fixed = [(0, 0.0)] if not given_anchors or given_anchors[0][0] != 0 else []
    fixed += [given_anchors[j] for j in sorted(keep)]
    nodes: list[tuple[float, int]] = [(t, -1 - j) for j, (_, t) in enumerate(fixed)]
    nodes += [(t, c) for c, t in enumerate(chapters)]
    nodes.sort(key=lambda node: (node[0], node[1] >= 0))

    # chapters less than a second apart say nothing about the speaking rate (and a gap of 1e-233 s
    # would put it at 1e233 words a second)
    gaps = [b - a for a, b in itertools.pairwise(chapters) if b - a >= 1.0]
    mean_gap = statistics.fmean(gaps) if gaps else None
    rates = _rate_grid(chapters, total, fixed, mean_gap, duration_s)
    last_is_chapter = nodes[-1][1] >= 0
    posterior = np.zeros((K, n))
    log_evidence: list[float] = []
    per_rate: list[list[tuple[np.ndarray, np.ndarray]]] = []
    for rate in rates:
        chain = []  # (time, candidate sentences, their positions, unary log-score)
        for t, key in nodes:
            if key < 0:
                s, _ = fixed[-1 - key]
                chain.append((t, np.array([s]), B[[s]], np.zeros(1)))
                continue
            expected = _expected_position(t, fixed, rate, B)
            half = min(max(3.0 * math.sqrt(RATE_WANDER_Q * t), MIN_HALF_WINDOW_S), MAX_HALF_WINDOW_S) * rate
            lo = bisect.bisect_left(begin, expected - half)
            hi = max(bisect.bisect_right(begin, expected + half), lo + 1)
            lo, hi = min(lo, n - 1), min(hi, n)
            idx = np.arange(lo, hi)
            chain.append((t, idx, B[idx], unary[key, idx]))
        end_cost = None
        if duration_s:
            d = max(duration_s - nodes[-1][0], 1.0)
            end_cost = (total - chain[-1][2] - rate * d) ** 2 / (2 * RATE_WANDER_Q * rate * rate * d)
            end_cost = end_cost + 0.5 * math.log(2 * math.pi * RATE_WANDER_Q * d)
        elif last_is_chapter and mean_gap:
            over = np.maximum((total - chain[-1][2]) / rate - LAST_CHAPTER_MAX_SHARE * mean_gap, 0.0)
            end_cost = 0.5 * (over / (LAST_CHAPTER_SD_SHARE * mean_gap)) ** 2
        marginals, log_z = _forward_backward(chain, rate, end_cost)
        # The total is a density in words: a faster rate spreads it over more words.
        prior = 0.5 * (math.log(rate / DEFAULT_RATE) / RATE_PRIOR_SD) ** 2
        log_evidence.append(log_z - (end_cost is not None) * math.log(rate) - prior)
        per_rate.append([(chain[i][1], m) for i, m in enumerate(marginals)])
    weights = np.exp(np.array(log_evidence) - max(log_evidence))
    weights /= weights.sum()
    for w, marg in zip(weights, per_rate, strict=True):
        for (_, key), (idx, m) in zip(nodes, marg, strict=True):
            if key >= 0:
                posterior[key, idx] += w * m
    rate = float(np.dot(weights, rates))
    rate_sd = math.sqrt(float(np.dot(weights, (np.asarray(rates) / rate - 1.0) ** 2)))

    placed: list[_Placed] = []
    previous = 0
    for c in range(K):
        p = posterior[c]
        mass = p.sum()
        if mass <= 0:
            placed.append(_Placed(previous, 0.05, UNCONFIRMED_PLACEMENT_ERROR_S))
            continue
        p = p / mass
        cdf = np.cumsum(p)
        s = max(int(np.searchsorted(cdf, 0.5)), previous)
        s = min(s, n - 1)
        previous = s
        distance = np.abs(B - B[s]) / rate
        near = float(p[distance <= CONFIDENCE_WINDOW_S].sum())
        order = np.argsort(distance, kind="stable")
        covered = np.searchsorted(np.cumsum(p[order]), PLACEMENT_COVER)
        error = float(distance[order[min(int(covered), n - 1)]])
        placed.append(_Placed(s, round(min(max(near, 0.0), 1.0), 3), error))
    return _Fit(placed, rate, rate_sd)


def _expected_position(t: float, fixed: Sequence[tuple[int, float]], rate: float, B: np.ndarray) -> float:
    """Where time t falls: between fixed nodes by their own rate, after the last one at `rate`."""
    k = bisect.bisect_right([ft for _, ft in fixed], t) - 1
    if k < 0:
        return max(B[fixed[0][0]] - (fixed[0][1] - t) * rate, 0.0)
    s0, t0 = fixed[k]
    if k + 1 < len(fixed):
        s1, t1 = fixed[k + 1]
        return float(B[s0] + (B[s1] - B[s0]) * (t - t0) / (t1 - t0)) if t1 > t0 else float(B[s0])
    return float(B[s0] + (t - t0) * rate)


def _rate_grid(
    chapters: Sequence[float],
    total: float,
    fixed: Sequence[tuple[int, float]],
    mean_gap: float | None,
    duration_s: float | None,
) -> np.ndarray:
    """Speaking rates worth trying: where the known length, the given anchors or the last chapter's
    plausible length put the rate, widened by the rate prior where those say little."""
    last_t = max([*chapters, *(t for _, t in fixed)])
    if duration_s and duration_s > 0:
        centre, spread = total / duration_s, 0.08
        lo, hi = centre * (1 - spread), centre * (1 + spread)
    elif mean_gap and last_t >= 1.0:
        lo = total / (last_t + (LAST_CHAPTER_MAX_SHARE + 2 * LAST_CHAPTER_SD_SHARE) * mean_gap)
        hi = total / last_t
    else:
        lo, hi = DEFAULT_RATE * math.exp(-2 * RATE_PRIOR_SD), DEFAULT_RATE * math.exp(2 * RATE_PRIOR_SD)
    lo, hi = max(lo * 0.97, MIN_WPS), min(hi * 1.03, MAX_WPS * 1.2)
    if hi <= lo:
        return np.array([min(max(total / max(last_t, 1.0), MIN_WPS), MAX_WPS * 1.2)])
    steps = int(min(max(math.log(hi / lo) / RATE_GRID_STEP, 1), MAX_RATES)) + 1
    return np.exp(np.linspace(math.log(lo), math.log(hi), steps))


def _forward_backward(
    chain: Sequence[tuple[float, np.ndarray, np.ndarray, np.ndarray]], rate: float, end_cost: np.ndarray | None
) -> tuple[list[np.ndarray], float]:
    """Posterior marginals over each node's candidates and the log evidence of the chain."""
    transitions = []
    for (t0, i0, p0, _), (t1, i1, p1, _) in itertools.pairwise(chain):
        dt = max(t1 - t0, 1.0)
        jump = p1[None, :] - p0[:, None]
        cost = (jump - rate * dt) ** 2 / (2 * RATE_WANDER_Q * rate * rate * dt)
        # A later chapter cannot start before an earlier one; sharing a sentence is allowed.
        cost = np.where(i1[None, :] < i0[:, None], cost + 1e6, cost)
        if len(i1) == 1:
            # Into a given anchor: an observed position, a density in words.
            transitions.append(-cost - math.log(rate * math.sqrt(2 * math.pi * RATE_WANDER_Q * dt)))
        else:
            # Into a chapter: a distribution over its candidate sentences. Normalising per row keeps
            # long sentences (few candidates per standard deviation) from swaying the rate.
            transitions.append(-cost - _logsumexp(-cost, axis=1)[:, None])
    alphas = [chain[0][3].astype(float)]
    for trans, node in zip(transitions, chain[1:], strict=True):
        alphas.append(_logsumexp(alphas[-1][:, None] + trans, axis=0) + node[3])
    final = np.zeros_like(alphas[-1]) if end_cost is None else -end_cost
    betas = [final]
    for trans, node in zip(reversed(transitions), reversed(chain[1:]), strict=True):
        betas.append(_logsumexp(trans + (betas[-1] + node[3])[None, :], axis=1))
    betas.reverse()
    log_z = float(_logsumexp(alphas[-1] + final, axis=0))
    marginals = [np.exp(a + b - log_z) for a, b in zip(alphas, betas, strict=True)]
    return marginals, log_z


def _logsumexp(values: np.ndarray, axis: int) -> np.ndarray:
    top = np.max(values, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(values - top), axis=axis))


def _unary_scores(
    B: np.ndarray,
    n_chapters: int,
    texts: Sequence[str] | None,
    titles: Sequence[str] | None,
    turn_start: Sequence[bool],
    has_turns: bool,
    backchannel: Sequence[bool] | None = None,
) -> np.ndarray:
    """Log-score of every sentence as the start of every chapter: turn starts (after a question
    most of all) and the title's words being said just after it and not just before."""
    n = len(B)
    base = np.zeros(n)
    if has_turns:
        starts = np.asarray(turn_start, dtype=bool)
        if backchannel is not None:
            # "Yeah." starts a turn but not a topic: the question after it does.
            starts &= ~np.asarray(backchannel, dtype=bool)
        base += TURN_START_BONUS * starts
        if texts is not None:
            # A host moving on: a turn that starts right after a question, or that asks one itself.
            after = np.array([i > 0 and "?" in texts[i - 1] for i in range(n)])
            asks = np.array(["?" in text for text in texts])
            base += QUESTION_TURN_BONUS * (starts & after) + QUESTION_TURN_BONUS * (starts & asks)
    scores = np.repeat(base[None, :], n_chapters, axis=0)
    if texts is None or titles is None:
        return scores
    terms = [_terms(titles[c]) if c < len(titles) else [] for c in range(n_chapters)]
    wanted = {w for ts in terms for w in ts}
    if not wanted:
        return scores
    where: dict[str, list[int]] = {w: [] for w in wanted}
    # Only a pair whose first word starts some title word can join into it: stem nothing else.
    prefixes = {w[:k] for w in wanted for k in range(1, len(w) + 1)}
    heads = {w[:3] for w in wanted}  # stemming only cuts endings: a word matches only on its head
    for i, text in enumerate(texts):
        words = _WORD.findall(text.lower())
        # Titles write "OpenAI" where a transcript hears "open AI": adjacent pairs count as one word.
        found = {_stem(w) for w in words if w[:3] in heads}
        found.update(_stem(a + b) for a, b in itertools.pairwise(words) if a in prefixes)
        for w in found & wanted:
            where[w].append(i)
    blocks = max(1, math.ceil(n / IDF_BLOCK))
    window = TITLE_WINDOW_S * DEFAULT_RATE
    for c, ts in enumerate(terms):
        for w in ts:
            hits = where[w]
            if not hits:
                continue
            # A word said all episode long says little about where a chapter starts.
            df = len({i // IDF_BLOCK for i in hits})
            idf = math.log((blocks + 1) / (df + 0.5))
            if idf <= 0:
                continue
            at = B[hits]
            k = np.searchsorted(at, B, side="left")
            ahead = np.where(k < len(at), at[np.minimum(k, len(at) - 1)] - B, np.inf)
            behind = np.where(k > 0, B - at[np.maximum(k - 1, 0)], np.inf)
            scores[c] += TITLE_WEIGHT * idf * (_near(ahead, window) - TITLE_BEFORE_SHARE * _near(behind, window))
    return scores


def _near(distance: np.ndarray, window: float) -> np.ndarray:
    """How likely a word at this distance is to have been said because a topic starts here: half of
    it soon after the start, half anywhere in the window, fading over half a window beyond it."""
    with np.errstate(over="ignore", invalid="ignore"):
        flat = np.where(distance <= window, 1.0, np.exp(-2.0 * (distance - window) / window))
        return 0.5 * np.exp(-distance / (TITLE_DECAY_SHARE * window)) + 0.5 * flat


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    word = word.replace("’", "'")
    for suffix in ("'s", "ies", "ing", "es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _terms(text: str) -> list[str]:
    return sorted({_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2})


# ---------------------------------------------------------------------------------------------
# Helpers


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


def _given_error(g: Sequence) -> float:
    return float(g[3]) if len(g) > 3 else 0.0


def interpolation_error(t: float, piece_start_s: float, piece_end_s: float) -> float:
    """Error of a time interpolated by text position inside a piece the file timed at both ends:
    nothing at the ends, most in the middle, like the speaking-rate bridge between two anchors."""
    return _bridge(max(t - piece_start_s, 0.0), max(piece_end_s - t, 0.0))


def _bridge(d0: float, d1: float) -> float:
    """Brownian-bridge spread d0 s after one pinned time and d1 s before the next."""
    return BRIDGE_K * math.sqrt(d0 * d1 / (d0 + d1)) if d0 + d1 > 0 else 0.0


def _from_given(given: Sequence[tuple], chapter_starts_s: Sequence[float]) -> Alignment:
    timings = []
    last_start = 0.0
    for g in given:
        start, end, source = g[:3]
        # Overlapping cues can give a sentence an earlier start than the one before it.
        start = max(start, last_start)
        end = max(end, start)
        timings.append(SentenceTiming(start, end, source, _given_error(g)))
        last_start = start
    starts = [t.start_s for t in timings]
    placements = [
        ChapterPlacement(0 if i == 0 else bisect.bisect_left(starts, chapter_start), 1.0)
        for i, chapter_start in enumerate(chapter_starts_s)
    ]
    duration = max([t.end_s for t in timings] + list(chapter_starts_s) + [0.0])
    return Alignment(tuple(timings), tuple(placements), duration, "given")
