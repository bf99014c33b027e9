"""Scoring estimated times against true ones: the scorer beside the model (the bench and the tests use it).

Errors are |estimated - true| start times in seconds, summarised as median and 90th percentile; coverage
is the share of sentences whose true start lies within the stated ``time_error_s``.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def summarise(
    errors: Sequence[float],
    covered: Sequence[bool],
    conf: Sequence[float] | None = None,
    hit: Sequence[bool] | None = None,
) -> dict[str, float | int | None]:
    """Median and p90 of the errors, the coverage of the stated bound, and (for chapter placements) the
    mean confidence beside the share placed within 15 s."""
    if not errors:
        return {"n": 0, "median_s": None, "p90_s": None, "coverage": None}
    ordered = sorted(errors)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    out: dict[str, float | int | None] = {
        "n": len(errors),
        "median_s": round(statistics.median(ordered), 2),
        "p90_s": round(p90, 2),
        "coverage": round(sum(covered) / len(covered), 3) if covered else None,
    }
    if conf:
        # Calibration of align_confidence: its mean against the share of chapters placed within 15 s.
        out["confidence_mean"] = round(statistics.fmean(conf), 3)
        out["placed_within_15s"] = round(sum(bool(h) for h in hit or []) / len(conf), 3)
    return out
