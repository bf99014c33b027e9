"""Chapter placement: a page gives a chapter's start time and title but not where in the text it starts,
so all chapters are placed at once by one small probabilistic model.

The speech between consecutive anchors is a random walk around one speaking rate, whose level is unknown
and integrated over a grid; the last chapter lasts no more than about a chapter; a chapter prefers a turn
start, after a question most, and the place where its title's words start being said. Each chapter goes to
the posterior median of its position, and the posterior's spread is its confidence and its time error.
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

from tasks.times.params import AlignParams
from tasks.times.rate import MAX_WPS, MIN_WPS

# Log-scores that rule a placement out (a chapter at 0 s placed later; a later chapter before an earlier one).
_IMPOSSIBLE = -1e9
_FORBIDDEN = 1e6

_WORD = re.compile(r"[a-z0-9][a-z0-9'’\-]*")
_STOPWORDS = frozenset(
    """a an the and or but of to in on at for from by with without about into over under as is are was
    were be been being it its this that these those what which who whom how why when where do does did
    not no yes so than then there their they them we our us you your i me my he she his her him have
    has had will would can could should may might must just very more most less also all any some
    each other new role future impact importance introduction intro conclusion closing thoughts
    part s vs""".split()
)


# Openers that move to a new topic; hand-listed (English), their weight fitted (topic_opener_bonus).
_TOPIC_OPENER = re.compile(
    r"^\W*(?:-\s*)?(?:(?:and|but|so|okay|ok|alright|all right|right|well)[,.]?\s+)?"
    r"(?:now\b|next\b|moving on|let's (?:talk|move|turn|get|look|start|go|jump|dive)|let me (?:turn|move|ask)|"
    r"speaking of|another\b|the (?:next|final|last|first|second|third) (?:thing|question|topic|point|step|one)|"
    r"(?:first|second|third|finally|lastly)\b|i want to (?:talk|turn|move|ask)|what about|how about|"
    r"our (?:next|final|last) )",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Speech:
    """What placement knows of the sentences: speech-time starts, texts, turn starts and back-channels."""

    begin: Sequence[float]
    texts: Sequence[str] | None
    turn_start: Sequence[bool]
    has_turns: bool
    backchannel: Sequence[bool] | None
    # Word-equivalents of tagged non-speech just before each sentence: a chapter that opens with music
    # starts where the music starts.
    lead: Sequence[float] = ()


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a chapter starts: its first sentence, the confidence of that, and the error in seconds."""

    sentence: int
    confidence: float
    error_s: float  # half-width around the placement holding placement_cover of the posterior, seconds


@dataclass(frozen=True, slots=True)
class ChapterFit:
    """Every chapter placed, and the speaking rate the placement implies."""

    placed: list[Placed]
    rate: float  # posterior mean speaking rate, word-equivalents per second
    rate_sd: float  # its relative spread


def place_chapters(
    chapters: Sequence[float],
    speech: Speech,
    total: float,
    given_anchors: Sequence[tuple[int, float]],
    titles: Sequence[str] | None,
    duration_s: float | None,
    params: AlignParams,
) -> ChapterFit:
    """Place every chapter at once: a chain over the chapters (and the given anchors next to them)
    where the speech between consecutive anchors is a random walk around one speaking rate, the rate
    is unknown and integrated over a grid, each chapter prefers turn starts and the place where its
    title's words start being said, and the last chapter lasts no more than about a chapter.
    Chapters are put at the posterior median of their position; the spread of the posterior gives
    their confidence and error."""
    begin = speech.begin
    n = len(begin)
    B = np.asarray(begin, dtype=float)
    # Where a chapter starting at each sentence starts: before the music that opens it.
    # (the tags after the last sentence, the lead's last entry, open no chapter)
    C = B - np.asarray(speech.lead[:n], dtype=float) if len(speech.lead) >= n else B
    K = len(chapters)
    unary = _unary_scores(B, K, speech, titles, params)
    opening = next((c for c, t in enumerate(chapters) if t <= 1.0), None)
    if not given_anchors:
        # A chapter at the very start starts with the first sentence, whatever its words.
        unary[[c for c, t in enumerate(chapters) if t <= 1.0], 1:] = _IMPOSSIBLE

    # Fixed nodes: the start of the speech, then the given anchors that bracket some chapter (only
    # neighbours constrain a chapter; all of them would only cost time).
    given_t = [t for _, t in given_anchors]
    keep: set[int] = set()
    for t in chapters:
        k = bisect.bisect_right(given_t, t)
        keep.update(j for j in (k - 1, k) if 0 <= j < len(given_anchors))
    from_start = not given_anchors or given_anchors[0][0] != 0
    fixed = [(0, 0.0)] if from_start else []
    fixed += [given_anchors[j] for j in sorted(keep)]
    # where each fixed node is in words: the start of the recording is position 0, before opening music
    fixed_at = [0.0 if from_start and j == 0 else float(B[s]) for j, (s, _) in enumerate(fixed)]
    nodes: list[tuple[float, int]] = [(t, -1 - j) for j, (_, t) in enumerate(fixed)]
    nodes += [(t, c) for c, t in enumerate(chapters)]
    nodes.sort(key=lambda node: (node[0], node[1] >= 0))

    # chapters less than a second apart say nothing about the speaking rate (and a gap of 1e-233 s
    # would put it at 1e233 words a second)
    gaps = [b - a for a, b in itertools.pairwise(chapters) if b - a >= 1.0]
    mean_gap = statistics.fmean(gaps) if gaps else None
    rates = _rate_grid(chapters, total, fixed, mean_gap, duration_s, params)
    last_is_chapter = nodes[-1][1] >= 0
    posterior = np.zeros((K, n))
    log_evidence: list[float] = []
    per_rate: list[list[tuple[np.ndarray, np.ndarray]]] = []
    for rate in rates:
        chain = []  # (time, candidate sentences, their positions, unary log-score)
        for t, key in nodes:
            if key < 0:
                s, _ = fixed[-1 - key]
                # The start of the recording is position 0, before any opening music.
                position = np.zeros(1) if from_start and key == -1 else B[[s]]
                chain.append((t, np.array([s]), position, np.zeros(1)))
                continue
            expected = _expected_position(t, fixed, rate, fixed_at)
            spread_s = params.search_sd * math.sqrt(params.rate_wander_q * t)
            half = min(max(spread_s, params.min_half_window_s), params.max_half_window_s) * rate
            lo = bisect.bisect_left(begin, expected - half)
            hi = max(bisect.bisect_right(begin, expected + half), lo + 1)
            lo, hi = min(lo, n - 1), min(hi, n)
            idx = np.arange(lo, hi)
            position = C[idx]
            if key != opening and idx[0] == 0:
                # the opening music is the opening chapter's: a later chapter on the first sentence
                # starts with its words
                position = position.copy()
                position[0] = B[0]
            chain.append((t, idx, position, unary[key, idx]))
        end_cost = None
        if duration_s:
            d = max(duration_s - nodes[-1][0], 1.0)
            end_cost = (total - chain[-1][2] - rate * d) ** 2 / (2 * params.rate_wander_q * rate * rate * d)
            end_cost = end_cost + 0.5 * math.log(2 * math.pi * params.rate_wander_q * d)
        elif last_is_chapter and mean_gap:
            over = np.maximum((total - chain[-1][2]) / rate - params.last_chapter_max_share * mean_gap, 0.0)
            end_cost = 0.5 * (over / (params.last_chapter_sd_share * mean_gap)) ** 2
        marginals, log_z = _forward_backward(chain, rate, end_cost, params.rate_wander_q)
        # The total is a density in words: a faster rate spreads it over more words.
        prior = 0.5 * (math.log(rate / params.default_rate) / params.rate_prior_sd) ** 2
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

    placed: list[Placed] = []
    previous = 0
    for c in range(K):
        p = posterior[c]
        mass = p.sum()
        if mass <= 0:
            placed.append(
                Placed(previous, params.unconfirmed_placement_confidence, params.unconfirmed_placement_error_s)
            )
            continue
        p = p / mass
        cdf = np.cumsum(p)
        s = max(int(np.searchsorted(cdf, 0.5)), previous)
        s = min(s, n - 1)
        previous = s
        distance = np.abs(B - B[s]) / rate
        near = float(p[distance <= params.confidence_window_s].sum())
        order = np.argsort(distance, kind="stable")
        covered = np.searchsorted(np.cumsum(p[order]), params.placement_cover)
        error = float(distance[order[min(int(covered), n - 1)]])
        placed.append(Placed(s, round(min(max(near, 0.0), 1.0), 3), error))
    return ChapterFit(placed, rate, rate_sd)


def _expected_position(t: float, fixed: Sequence[tuple[int, float]], rate: float, at: Sequence[float]) -> float:
    """Where time t falls: between fixed nodes (at word positions `at`) by their own rate, after the last
    one at `rate`."""
    k = bisect.bisect_right([ft for _, ft in fixed], t) - 1
    if k < 0:
        return max(at[0] - (fixed[0][1] - t) * rate, 0.0)
    t0 = fixed[k][1]
    if k + 1 < len(fixed):
        t1 = fixed[k + 1][1]
        return float(at[k] + (at[k + 1] - at[k]) * (t - t0) / (t1 - t0)) if t1 > t0 else float(at[k])
    return float(at[k] + (t - t0) * rate)


def _rate_grid(
    chapters: Sequence[float],
    total: float,
    fixed: Sequence[tuple[int, float]],
    mean_gap: float | None,
    duration_s: float | None,
    params: AlignParams,
) -> np.ndarray:
    """Speaking rates worth trying: where the known length, the given anchors or the last chapter's
    plausible length put the rate, widened by the rate prior where those say little."""
    last_t = max([*chapters, *(t for _, t in fixed)])
    top = MAX_WPS * params.max_rate_overshoot
    if duration_s and duration_s > 0:
        centre, spread = total / duration_s, params.known_length_rate_spread
        lo, hi = centre * (1 - spread), centre * (1 + spread)
    elif mean_gap and last_t >= 1.0:
        lo = total / (last_t + (params.last_chapter_max_share + 2 * params.last_chapter_sd_share) * mean_gap)
        hi = total / last_t
    else:
        lo = params.default_rate * math.exp(-2 * params.rate_prior_sd)
        hi = params.default_rate * math.exp(2 * params.rate_prior_sd)
    lo, hi = max(lo * (1 - params.rate_grid_margin), MIN_WPS), min(hi * (1 + params.rate_grid_margin), top)
    if hi <= lo:
        return np.array([min(max(total / max(last_t, 1.0), MIN_WPS), top)])
    steps = int(min(max(math.log(hi / lo) / params.rate_grid_step, 1), params.max_rates)) + 1
    return np.exp(np.linspace(math.log(lo), math.log(hi), steps))


def _forward_backward(
    chain: Sequence[tuple[float, np.ndarray, np.ndarray, np.ndarray]],
    rate: float,
    end_cost: np.ndarray | float | None,
    wander_q: float,
) -> tuple[list[np.ndarray], float]:
    """Posterior marginals over each node's candidates and the log evidence of the chain."""
    transitions = []
    for (t0, i0, p0, _), (t1, i1, p1, _) in itertools.pairwise(chain):
        dt = max(t1 - t0, 1.0)
        jump = p1[None, :] - p0[:, None]
        cost = (jump - rate * dt) ** 2 / (2 * wander_q * rate * rate * dt)
        # A later chapter cannot start before an earlier one; sharing a sentence is allowed.
        cost = np.where(i1[None, :] < i0[:, None], cost + _FORBIDDEN, cost)
        if len(i1) == 1:
            # Into a given anchor: an observed position, a density in words.
            transitions.append(-cost - math.log(rate * math.sqrt(2 * math.pi * wander_q * dt)))
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
    B: np.ndarray, n_chapters: int, speech: Speech, titles: Sequence[str] | None, params: AlignParams
) -> np.ndarray:
    """Log-score of every sentence as the start of every chapter: turn starts (after a question
    most of all) and the title's words being said just after it and not just before."""
    n = len(B)
    texts, backchannel = speech.texts, speech.backchannel
    base = np.zeros(n)
    if speech.has_turns:
        starts = np.asarray(speech.turn_start, dtype=bool)
        if backchannel is not None:
            # "Yeah." starts a turn but not a topic: the question after it does.
            starts &= ~np.asarray(backchannel, dtype=bool)
        base += params.turn_start_bonus * starts
        if texts is not None:
            # A host moving on: a turn that starts right after a question, or that asks one itself.
            after = np.array([i > 0 and "?" in texts[i - 1] for i in range(n)])
            asks = np.array(["?" in text for text in texts])
            base += params.question_turn_bonus * (starts & after) + params.question_turn_bonus * (starts & asks)
    if texts is not None:
        # "Now, ...", "Next up", "Let's talk about": how a speaker moves to a new topic, turns or not.
        base += params.topic_opener_bonus * np.array([bool(_TOPIC_OPENER.match(text)) for text in texts])
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
    blocks = max(1, math.ceil(n / params.idf_block))
    window = params.title_window_s * params.default_rate
    for c, ts in enumerate(terms):
        for w in ts:
            hits = where[w]
            if not hits:
                continue
            # A word said all episode long says little about where a chapter starts.
            df = len({i // params.idf_block for i in hits})
            idf = math.log((blocks + 1) / (df + 0.5))
            if idf <= 0:
                continue
            at = B[hits]
            k = np.searchsorted(at, B, side="left")
            ahead = np.where(k < len(at), at[np.minimum(k, len(at) - 1)] - B, np.inf)
            behind = np.where(k > 0, B - at[np.maximum(k - 1, 0)], np.inf)
            near_ahead = _near(ahead, window, params.title_decay_share)
            near_behind = _near(behind, window, params.title_decay_share)
            scores[c] += params.title_weight * idf * (near_ahead - params.title_before_share * near_behind)
    return scores


def _near(distance: np.ndarray, window: float, decay_share: float) -> np.ndarray:
    """How likely a word at this distance is to have been said because a topic starts here: half of
    it soon after the start, half anywhere in the window, fading over half a window beyond it."""
    with np.errstate(over="ignore", invalid="ignore"):
        flat = np.where(distance <= window, 1.0, np.exp(-2.0 * (distance - window) / window))
        return 0.5 * np.exp(-distance / (decay_share * window)) + 0.5 * flat


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
