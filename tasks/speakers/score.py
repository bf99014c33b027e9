"""Scoring attributions against known speakers: the scorer beside the model (the bench and the tests use
it, so both count the same way).

Accuracy is weighted by words and counts an `unknown` answer as wrong; the share answered is reported
beside it. Calibration is read from a reliability table over answered turns and its expected calibration
error (ECE).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tasks.speakers.model import Attribution
from tasks.speakers.people import slug


@dataclass(frozen=True, slots=True)
class Truth:
    """Who really says a turn; `certain` False where the label itself is a judgement call (name not scored)."""

    name: str
    role: str
    n_words: int
    certain: bool = True


def score_rows(truths: Sequence[Truth | None], attributions: Sequence[Attribution]) -> list[dict[str, object]]:
    """Per scored turn (truth not None): words, name ok, role ok, whether the name counts, confidence, answered."""
    rows: list[dict[str, object]] = []
    for truth, a in zip(truths, attributions, strict=True):
        if truth is None:
            continue
        rows.append(
            {
                "w": truth.n_words,
                "name_ok": a.speaker_id == slug(truth.name),
                "role_ok": a.role == truth.role,
                "name_scored": truth.certain,
                "conf": a.confidence,
                "answered": a.speaker_id is not None,
            }
        )
    return rows


def accuracy(rows: Sequence[dict], key: str) -> float | None:
    """Word-weighted share of rows where `key` holds (names only where the name is scored)."""
    sel = [r for r in rows if key != "name_ok" or r["name_scored"]]
    w = sum(r["w"] for r in sel)
    return round(sum(r["w"] for r in sel if r[key]) / w, 4) if w else None


def reliability(rows: Sequence[dict], bins: int = 5) -> tuple[list[dict], float | None]:
    """Reliability table over answered, name-scored turns (turn-weighted) and the ECE."""
    sel = [r for r in rows if r["answered"] and r["name_scored"]]
    table = []
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inb = [r for r in sel if lo <= r["conf"] < hi or (b == bins - 1 and r["conf"] == 1.0)]
        if not inb:
            continue
        mc = sum(r["conf"] for r in inb) / len(inb)
        ac = sum(r["name_ok"] for r in inb) / len(inb)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inb), "mean_conf": round(mc, 4), "accuracy": round(ac, 4)})
        ece += len(inb) / len(sel) * abs(mc - ac)
    return table, (round(ece, 4) if sel else None)
