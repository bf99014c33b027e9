"""What the speaker model reads and says: turns as it sees them, people, and one attribution per turn."""

from __future__ import annotations

from dataclasses import dataclass

# The roles a person can have; `unknown` is an answer, never a candidate's role.
ROLES = ("host", "guest", "other")


@dataclass(frozen=True, slots=True)
class TurnView:
    """One turn: its text, word count, the raw label the file gave (or None) and whether it is a back-channel."""

    text: str
    n_words: int
    label: str | None
    is_backchannel: bool


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who may speak: a name, a role and other spellings of the name."""

    name: str
    role: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who says one turn: speaker_id None means unknown (attribution 'unknown')."""

    speaker_id: str | None
    name: str | None
    role: str
    attribution: str
    confidence: float
