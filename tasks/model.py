"""The intermediate document every format reader returns, and the findings it reports.

Readers turn decoded text into a `ParsedDocument`; they never clean, split sentences or
attribute speakers. Everything after the reader works on this model only, so a new format
is a new reader and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in an input: one row of the `issues` table.

    `code` is a stable, documented identifier (README lists every code); `location` says where
    (for example ``line 12`` or ``cue 40``), so a user can find it in the file.
    """

    code: str
    severity: Severity
    message: str
    location: str = ""


@dataclass(frozen=True, slots=True)
class ChapterMark:
    """A chapter the file declares, with its start time in seconds."""

    title: str
    start_s: float
    line: int = 0


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of transcript text as the file gives it.

    `text` is the spoken text, possibly still containing turn markers (``- ``, ``>>``) and
    non-speech tags (``(laughing)``, ``[Music]``): the cleaning step removes those and records
    them. `speaker` is the raw label the file gives (``JENSEN HUANG``, ``Speaker 1``), or None.
    `start_s`/`end_s` are times the file gives, or None. `new_turn` is True where the file
    itself says a new turn starts here even if the speaker label repeats. `flag` marks text
    the reader judged suspect (for example ``hallucination``).
    """

    text: str
    speaker: str | None = None
    start_s: float | None = None
    end_s: float | None = None
    line: int = 0
    new_turn: bool = False
    flag: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """What a reader understood of one file."""

    format: str
    confidence: float
    segments: tuple[Segment, ...]
    title: str | None = None
    chapters: tuple[ChapterMark, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    source_id: str | None = None
    language: str | None = None


class InputError(Exception):
    """An input that cannot become an episode. Carries the `issues` code and a clear message."""

    def __init__(self, code: str, message: str, location: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.location = location

    def finding(self) -> Finding:
        return Finding(self.code, "error", self.message, self.location)
