"""RTTM and UEM files: diarisation references with speaker turns or scoring regions but no words.

They are recognised (so the user gets a precise reason rather than `unknown_format`) and refused
with `no_transcript_text`: a transcript lake row needs words.
"""

from __future__ import annotations

import re

from tasks.formats import codes
from tasks.formats._cues import head
from tasks.model import InputError, ParsedDocument

FORMAT = "rttm"

_RTTM = re.compile(
    r"^(?:SPEAKER|SPKR-INFO|LEXEME|NON-SPEECH|NON-LEX|SEGMENT|NOSCORE|NO_RT_METADATA)\s+\S+\s+\S+\s+\S+\s+\S+"
)
_UEM = re.compile(r"^\S+\s+\S+\s+\d+(?:\.\d+)?\s+\d+(?:\.\d+)?\s*$")


def _kind(text: str, name: str) -> str | None:
    lines = [ln for ln in head(text).split("\n")[:50] if ln.strip() and not ln.startswith(";;")]
    if not lines:
        return None
    if all(_RTTM.match(ln) for ln in lines[:-1] or lines):
        return "RTTM"
    if all(_UEM.match(ln) for ln in lines[:-1] or lines):
        return "UEM"
    return None


def sniff(text: str, name: str) -> float:
    return 0.9 if _kind(text, name) else 0.0


def parse(text: str, name: str) -> ParsedDocument:
    kind = _kind(text, name) or "diarisation"
    what = "speaker turns with times" if kind == "RTTM" else "scoring regions"
    raise InputError(
        codes.NO_TRANSCRIPT_TEXT,
        f"this is a {kind} file: it has {what} but no words, so it is not a transcript",
        "line 1",
    )
