"""The pipeline's entry to speaker attribution (tasks.attribute holds the model)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SpeakerInput:
    text: str
    n_words: int
    label: str | None
    is_backchannel: bool


@dataclass(frozen=True, slots=True)
class SpeakerOutput:
    speaker_id: str | None
    name: str | None
    role: str
    attribution: str
    confidence: float


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "speaker"


def attribute(
    turns: Sequence[SpeakerInput],
    *,
    show: str | None,
    hosts: list[str],
    guests: list[str],
    people_by_show: dict,
    title: str | None,
) -> list[SpeakerOutput]:
    """Labelled turns keep the file's label; unlabelled turns stay unknown (confidence 0)."""
    out = []
    for turn in turns:
        if turn.label:
            out.append(SpeakerOutput(slug(turn.label), turn.label, "unknown", "labelled", 1.0))
        else:
            out.append(SpeakerOutput(None, None, "unknown", "unknown", 0.0))
    return out
