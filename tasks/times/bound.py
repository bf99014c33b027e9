"""The error bound of an estimated time.

It grows like a Brownian bridge between two anchors (the speaking rate wanders, the anchors pin it), and
like a random walk plus a rate error after the last one. Between two anchors with more time than their
words fill at the slowest human rate, it also grows by that slack: music, a pause or untranscribed talk
lies somewhere in between.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

from tasks.times.params import AlignParams
from tasks.times.rate import MIN_WPS


def bridge(d0: float, d1: float, params: AlignParams) -> float:
    """Brownian-bridge spread d0 s after one pinned time and d1 s before the next."""
    return params.bridge_k * math.sqrt(d0 * d1 / (d0 + d1)) if d0 + d1 > 0 else 0.0


def interpolation_error(t: float, piece_start_s: float, piece_end_s: float, params: AlignParams) -> float:
    """Error of a time interpolated by text position inside a piece the file timed at both ends:
    nothing at the ends, most in the middle, like the speaking-rate bridge between two anchors."""
    return bridge(max(t - piece_start_s, 0.0), max(piece_end_s - t, 0.0), params)


def error_bound(
    anchors: Sequence[tuple[int, float, float]],
    i: int,
    t: float,
    rate_error: float,
    known_end: bool,
    begin: Sequence[float],
    params: AlignParams,
) -> float:
    """Seconds either side of sentence i's estimated start `t` that hold its true start, from the anchors
    (sentence, time, error) around it."""
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
        return params.anchor_floor_s + anchor_error + bridge(d0, d1, params) + gap_error
    d = max(t - t0, 0.0)
    walk = params.bridge_k * math.sqrt(d) + rate_error * d
    if known_end:
        walk = min(walk, params.bridge_k * math.sqrt(d) * params.known_end_walk_factor)
    return params.anchor_floor_s + e0 + walk
