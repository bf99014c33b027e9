"""From a posterior to a calibrated confidence, and the decision to answer or say unknown.

The chosen speaker's posterior is mapped to a calibrated probability by Platt scaling
``sigmoid(a * (logit(p) + c * log(m - 1)) + b)``: the posterior read (partly, ``c = chance_weight``)
against chance among the ``m`` speakers considered (0.4 is a clear lead among four, a loss between two).
``(a, b)`` are fitted by ``bench/eval_speakers.py --fit`` on held-out corpus turns. A turn whose
calibrated confidence is below ``unknown_below`` gets no speaker rather than a low guess; its role is
still given when the role posterior is clear.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from tasks.speakers.model import Attribution, Person
from tasks.speakers.params import AttributionParams
from tasks.speakers.people import slug

# Posteriors are clipped this far from 0 and 1 before the logit, so a certain answer stays finite.
_LOGIT_CLIP = 1e-6
_ANONYMOUS = re.compile(r"S\d+")
# Platt fitting: the logistic's argument is clipped here, and one Newton step moves (a, b) at most this far.
_Z_CLIP = 35.0
_MAX_STEP = 2.0


def _logit(p: float) -> float:
    p = min(max(p, _LOGIT_CLIP), 1 - _LOGIT_CLIP)
    return math.log(p / (1 - p))


def relative_posterior(p: float, n_speakers: int, params: AttributionParams) -> float:
    """The posterior as it would read with two speakers: what `calibrate` scales (the bench fits on it)."""
    return 1.0 / (1.0 + math.exp(-(_logit(p) + params.chance_weight * math.log(max(n_speakers - 1, 1)))))


def calibrate(p: float, n_speakers: int, params: AttributionParams) -> float:
    """A raw posterior as a calibrated probability (Platt scaling of the posterior read against chance)."""
    a, b = params.calibration
    x = _logit(p) + params.chance_weight * math.log(max(n_speakers - 1, 1))
    return 1.0 / (1.0 + math.exp(-(a * x + b)))


def decide(people: Sequence[Person], post: np.ndarray, params: AttributionParams) -> list[Attribution]:
    """One attribution per posterior row: the likeliest speaker if confident enough, else unknown."""
    out: list[Attribution] = []
    anonymous_ids: dict[int, str] = {}
    for row in post.tolist():
        best = max(range(len(people)), key=lambda i: (row[i], -i))
        confidence = round(calibrate(row[best], len(people), params), 4)
        role_p: dict[str, float] = {}
        for i, p in enumerate(people):
            role_p[p.role] = role_p.get(p.role, 0.0) + row[i]
        role = max(sorted(role_p), key=lambda r: role_p[r])
        if role_p[role] < params.role_unknown_below:
            role = "unknown"
        if confidence < params.unknown_below:
            out.append(Attribution(None, None, role, "unknown", confidence))
            continue
        person = people[best]
        if _ANONYMOUS.fullmatch(person.name):
            speaker_id = anonymous_ids.setdefault(best, f"S{len(anonymous_ids) + 1}")
            out.append(Attribution(speaker_id, None, person.role, "inferred", confidence))
        else:
            out.append(Attribution(slug(person.name), person.name, person.role, "inferred", confidence))
    return out


def fit_platt(pairs: Sequence[tuple[float, bool]]) -> tuple[float, float]:
    """Platt scaling's (a, b): 1-D logistic regression of correctness on logit(raw posterior), by Newton
    steps from (1, 0); deterministic. The bench fits `calibration` with it."""
    a, b = 1.0, 0.0
    xs = [_logit(p) for p, _ in pairs]
    ys = [1.0 if ok else 0.0 for _, ok in pairs]
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in zip(xs, ys, strict=True):
            # clipped so a certain answer cannot overflow while Newton finds its feet
            q = 1 / (1 + math.exp(-min(max(a * x + b, -_Z_CLIP), _Z_CLIP)))
            ga += (q - y) * x
            gb += q - y
            w = q * (1 - q) + 1e-9
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab + 1e-12
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        # a damped step: near-separable data would otherwise throw Newton far past the optimum
        scale = min(1.0, _MAX_STEP / max(abs(da), abs(db), 1e-12))
        a, b = a - scale * da, b - scale * db
    return round(a, 4), round(b, 4)
