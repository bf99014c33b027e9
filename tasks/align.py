"""Times for every sentence: given by the file, interpolated inside a timed cue, or estimated.

Estimation works on anchors, points where both the text position and the time are known:
sentences the file timed (partial given times) and the declared chapters, each placed on the
sentence where its topic starts. Between anchors, time is spread over a speaking-time model, not
over raw words: every sentence costs a pause plus its words, a turn change costs more, and a
back-channel is spoken over the other speaker, so it costs little. After the last anchor, time runs
at the rate measured between anchors. The error bound of an estimate grows like a Brownian bridge
between two anchors (speaking rate wanders, the anchors pin it) and like a random walk plus a rate
error after the last one; its constants were fitted on real timed files (bench/eval_times.py).

Pure and deterministic; the interface is `align(...) -> Alignment` over word counts, given times and
chapter start times, with optional text, titles and turns that improve the estimate.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_WORDS_PER_SECOND = 2.6  # ~155 words a minute, the middle of conversational English
# The same in word-equivalents of the speaking-time model (words plus pauses), median of the corpus.
DEFAULT_RATE = 3.1
# Share of an average chapter's length assumed for the last chapter when the episode length is unknown.
LAST_CHAPTER_SHARE = 0.5
MIN_WPS, MAX_WPS = 80 / 60, 300 / 60

# Speaking-time model in word-equivalents, fitted on the timed corpus (bench/eval_times.py): a
# sentence boundary is a breath, a turn change a longer gap, and back-channels overlap speech.
SENTENCE_PAUSE_WORDS = 1.0
TURN_PAUSE_WORDS = 1.5
BACKCHANNEL_WORD_SHARE = 0.3

# Error bound: BRIDGE_K * sqrt(seconds) of rate wander between anchors, plus, beyond the last
# anchor, RATE_ERROR of the elapsed time for the error in the measured rate. ANCHOR_FLOOR_S covers
# the coarse truth of a sentence start (caption cues, whole seconds) near an anchor.
BRIDGE_K = 0.9
RATE_ERROR = 0.12
UNMEASURED_RATE_ERROR = 0.25
ANCHOR_FLOOR_S = 2.0
# A chapter placed from its time alone can be off by about this much speech, in seconds.
UNCONFIRMED_PLACEMENT_ERROR_S = 45.0
PLACEMENT_RATE_ERROR = 0.12
UNMEASURED_RATE_ERROR = 0.25

# Chapter placement: a chapter's start is searched in +-SEARCH_WINDOW_S of speech around where its
# time puts it; PRIOR_SD_S says how far a placement is expected to move for a strong title match.
SEARCH_WINDOW_S = 150.0
PRIOR_SD_S = 60.0
TITLE_LOOKAHEAD_WORDS = 80
TURN_START_BONUS = 0.4
QUESTION_TURN_BONUS = 0.3

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
) -> Alignment:
    """Times for sentences with `sentence_words` words each.

    `given[i]` is (start_s, end_s, source) where the file timed sentence i, else None; partial
    given times are anchors. `chapter_starts_s` are the declared chapter start times, ascending.
    Optional: `sentence_texts` and `chapter_titles` (place chapters where their topic starts),
    `sentence_turn` (turn index per sentence: turn changes cost a pause, chapters prefer turn
    starts), `backchannel` (per sentence: short acknowledgements cost little time), `duration_s`
    (a known episode length).
    """
    n = len(sentence_words)
    if n and all(g is not None for g in given):
        return _from_given(given, chapter_starts_s)  # type: ignore[arg-type]
    chapters = _ascending([max(float(c), 0.0) for c in chapter_starts_s])
    if n == 0:
        duration = max([duration_s or 0.0, *chapters, 0.0])
        return Alignment((), tuple(ChapterPlacement(0, 0.0) for _ in chapters), duration, "estimated")

    turn_start = _turn_starts(n, sentence_turn)
    begin, end = _positions(sentence_words, turn_start, backchannel)
    total = end[-1]

    # Given anchors: (sentence index, start time), made monotone in time.
    given_anchors: list[tuple[int, float]] = []
    for i, g in enumerate(given):
        if g is not None:
            t = max(float(g[0]), given_anchors[-1][1] if given_anchors else 0.0)
            given_anchors.append((i, t))

    placements = _place_chapters(
        chapters, begin, end, given_anchors, sentence_texts, chapter_titles, turn_start, duration_s
    )
    # Merge: every anchor is (sentence, time, error at the anchor).
    merged: dict[int, tuple[float, float]] = {i: (t, 0.0) for i, t in given_anchors}
    for c, ((sentence, confidence), t) in enumerate(zip(placements, chapters, strict=True)):
        if sentence < n and sentence not in merged:
            # A placement from time alone inherits the doubt about the speaking rate up to it.
            # A title-matched placement cannot leave its search window.
            doubt = max(UNCONFIRMED_PLACEMENT_ERROR_S, PLACEMENT_RATE_ERROR * t)
            if chapter_titles is not None and sentence_texts is not None and _terms(chapter_titles[c]):
                doubt = min(doubt, SEARCH_WINDOW_S)
            merged[sentence] = (t, (1.0 - confidence) * doubt)
    anchors = _monotone_anchors(sorted((s, t, e) for s, (t, e) in merged.items()))
    if not anchors or anchors[0][0] != 0:
        # Speech starts at the beginning unless a file says otherwise; intros with music break this.
        first_t = anchors[0][1] if anchors else 0.0
        anchors.insert(0, (0, 0.0 if first_t > 0 else first_t, ANCHOR_FLOOR_S * 2))

    rate = _measured_rate(anchors, begin)
    last_s, last_t, _ = anchors[-1]
    tail_words = total - begin[last_s]
    duration = duration_s if duration_s else last_t + tail_words / rate
    duration = max(duration, last_t, *(g[1] for g in given if g is not None), *chapters)
    points = [(begin[s], t) for s, t, _ in anchors]
    if points[-1][0] < total:
        points.append((total, max(duration, points[-1][1])))

    positions = [p for p, _ in points]
    timings: list[SentenceTiming] = []
    for i in range(n):
        start = _time_at(points, positions, begin[i])
        stop = max(_time_at(points, positions, end[i]), start)
        g = given[i]
        if g is not None:
            g_start = max(float(g[0]), start if i in merged else 0.0)
            timings.append(SentenceTiming(g_start, max(float(g[1]), g_start), g[2], 0.0))
            continue
        error = _error_bound(anchors, begin, i, start, duration_s is not None)
        timings.append(SentenceTiming(start, stop, "estimated", round(error, 3)))
    timings = _enforce_monotone(timings, duration)
    return Alignment(
        tuple(timings),
        tuple(ChapterPlacement(s, round(c, 3)) for s, c in placements),
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
    anchors: Sequence[tuple[int, float, float]], begin: Sequence[float], i: int, t: float, known_end: bool
) -> float:
    k = bisect.bisect_right([a[0] for a in anchors], i) - 1
    _, t0, e0 = anchors[max(k, 0)]
    if k + 1 < len(anchors):
        _, t1, e1 = anchors[k + 1]
        d0, d1 = max(t - t0, 0.0), max(t1 - t, 0.0)
        span = d0 + d1
        bridge = math.sqrt(d0 * d1 / span) if span > 0 else 0.0
        anchor_error = (e0 * d1 + e1 * d0) / span if span > 0 else e0
        return ANCHOR_FLOOR_S + anchor_error + BRIDGE_K * bridge
    d = max(t - t0, 0.0)
    # With one anchor the rate is the corpus default, not measured: people differ by +-20%.
    rate_error = RATE_ERROR if len(anchors) >= 2 else UNMEASURED_RATE_ERROR
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
# Chapter placement


def _place_chapters(
    chapters: Sequence[float],
    begin: Sequence[float],
    end: Sequence[float],
    given_anchors: Sequence[tuple[int, float]],
    texts: Sequence[str] | None,
    titles: Sequence[str] | None,
    turn_start: Sequence[bool],
    duration_s: float | None,
) -> list[tuple[int, float]]:
    """(first sentence, confidence) per chapter: near where its time puts it, at the turn start
    whose following words best match the title, keeping 80-300 wpm between placements."""
    n = len(begin)
    if not chapters:
        return []
    total = end[-1]
    expected = _expected_positions(chapters, total, given_anchors, begin, duration_s)
    titled = texts is not None and titles is not None and any(_terms(t) for t in titles)
    tokens = _sentence_tokens(texts) if titled and texts is not None else None
    idf = _idf(tokens) if tokens is not None else {}
    rate = total / max(_chapter_duration(chapters, total, duration_s), 1.0)
    given_at = dict(given_anchors)

    result: list[tuple[int, float]] = []
    previous, previous_t = 0, None
    for c, t in enumerate(chapters):
        if c == 0 and t <= 1.0 and not given_anchors:
            result.append((0, 1.0))
            previous, previous_t = 0, t
            continue
        target = expected[c]
        lo_pos, hi_pos = target - SEARCH_WINDOW_S * rate, target + SEARCH_WINDOW_S * rate
        if previous_t is not None:
            # Keep the speech between consecutive chapters at a human rate.
            dt = max(t - previous_t, 0.0)
            lo_pos = max(lo_pos, begin[previous] + MIN_WPS * dt)
            hi_pos = min(hi_pos, begin[previous] + MAX_WPS * dt)
        # Never cross a given anchor in the wrong direction.
        lo_i = max(previous + (1 if c else 0), bisect.bisect_left(begin, lo_pos))
        hi_i = min(n - 1, bisect.bisect_right(begin, hi_pos))
        for s, gt in given_anchors:
            if gt <= t:
                lo_i = max(lo_i, s)
            elif gt > t:
                hi_i = min(hi_i, s - 1)
                break
        if lo_i > hi_i:
            near = min(max(bisect.bisect_left(begin, target), previous), n)
            result.append((near, 0.1))
            previous = min(near, n - 1)
            previous_t = t
            continue
        title_terms = _terms(titles[c]) if titles is not None and c < len(titles) else []
        best, best_score, scores = lo_i, -math.inf, []
        for s in range(lo_i, hi_i + 1):
            if s in given_at and abs(given_at[s] - t) > 5.0:
                continue
            deviation = (begin[s] - target) / (PRIOR_SD_S * rate)
            score = -0.5 * deviation * deviation
            if turn_start[s]:
                score += TURN_START_BONUS
                if texts is not None and s > 0 and "?" in texts[s - 1]:
                    score += QUESTION_TURN_BONUS  # a host question just before is a topic change
                if texts is not None and "?" in texts[s]:
                    score += QUESTION_TURN_BONUS
            if tokens is not None and title_terms:
                score += _title_match(title_terms, tokens, idf, s)
            scores.append(score)
            if score > best_score:
                best, best_score = s, score
        result.append((best, _confidence(scores, best_score, bool(title_terms) and tokens is not None)))
        previous, previous_t = best, t
    return result


def _expected_positions(
    chapters: Sequence[float],
    total: float,
    given_anchors: Sequence[tuple[int, float]],
    begin: Sequence[float],
    duration_s: float | None,
) -> list[float]:
    if given_anchors:
        points = [(0.0, 0.0)] if given_anchors[0][1] > 0 else []
        points += [(begin[s], t) for s, t in given_anchors]
        rate = _measured_rate([(s, t, 0.0) for s, t in given_anchors], begin)
        result = []
        for t in chapters:
            k = bisect.bisect_right([p[1] for p in points], t) - 1
            if k < 0:
                result.append(t * rate)
            elif k + 1 < len(points):
                (p0, t0), (p1, t1) = points[k], points[k + 1]
                result.append(p0 + (p1 - p0) * (t - t0) / (t1 - t0) if t1 > t0 else p0)
            else:
                result.append(min(points[k][0] + (t - points[k][1]) * rate, total))
        return result
    rate = total / max(_chapter_duration(chapters, total, duration_s), 1.0)
    return [min(t * rate, total) for t in chapters]


def _chapter_duration(chapters: Sequence[float], total: float, duration_s: float | None) -> float:
    if duration_s:
        duration = duration_s
    elif len(chapters) >= 2 and chapters[-1] > 0:
        # The last chapter lasts about as long as the average chapter before it.
        duration = chapters[-1] + LAST_CHAPTER_SHARE * chapters[-1] / (len(chapters) - 1)
    else:
        duration = total / DEFAULT_RATE
    return min(max(duration, total / MAX_WPS), max(total / MIN_WPS, 1.0))


def _stem(word: str) -> str:
    word = word.replace("’", "'")
    for suffix in ("'s", "ies", "ing", "es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _terms(text: str) -> list[str]:
    return sorted({_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2})


def _sentence_tokens(texts: Sequence[str]) -> list[list[str]]:
    result = []
    for text in texts:
        words = _WORD.findall(text.lower())
        # Titles write "OpenAI" where a transcript hears "open AI": adjacent pairs count as one word.
        result.append([_stem(w) for w in words] + [_stem(a + b) for a, b in itertools.pairwise(words)])
    return result


def _idf(tokens: Sequence[Sequence[str]]) -> dict[str, float]:
    # Document frequency over blocks of ~10 sentences: a word said all episode long says little.
    block = 10
    df: Counter[str] = Counter()
    blocks = max(1, math.ceil(len(tokens) / block))
    for b in range(blocks):
        df.update({w for sentence in tokens[b * block:(b + 1) * block] for w in sentence})
    return {w: math.log((blocks + 1) / (f + 0.5)) for w, f in df.items()}


def _title_match(
    terms: Sequence[str], tokens: Sequence[Sequence[str]], idf: dict[str, float], s: int
) -> float:
    """How much the words just after sentence s talk about the title, minus how much the words just
    before it already did (a topic starts where its words start)."""
    after = _window_words(tokens, s, 1)
    before = _window_words(tokens, s - 1, -1)
    score = 0.0
    for term in terms:
        weight = max(idf.get(term, 0.0), 0.0)
        if term in after:
            score += weight * (1.0 + 1.0 / (1 + after[term] / 20))  # earlier mention, more weight
            if term in before:
                score -= 0.5 * weight
    return score


def _window_words(tokens: Sequence[Sequence[str]], s: int, step: int) -> dict[str, int]:
    """First word offset of each word within TITLE_LOOKAHEAD_WORDS words from sentence s on."""
    seen: dict[str, int] = {}
    offset = 0
    while 0 <= s < len(tokens) and offset < TITLE_LOOKAHEAD_WORDS:
        for w in tokens[s]:
            seen.setdefault(w, offset)
            offset += 1
        s += step
    return seen


def _confidence(scores: Sequence[float], best: float, titled: bool) -> float:
    """Share of the softmax mass on the chosen sentence and its neighbours' scores, damped when no
    title could be matched: a placement from time alone is a guess of +-a minute."""
    if not scores or best == -math.inf:
        return 0.1
    mass = sum(math.exp(s - best) for s in scores)
    share = 1.0 / mass
    confidence = 0.2 + 0.75 * share if titled else 0.1 + 0.3 * share
    return min(max(confidence, 0.05), 0.95)


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
