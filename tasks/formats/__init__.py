"""Format readers. Each module exposes FORMAT (name), sniff(text, name) -> float in [0, 1] and
parse(text, name) -> ParsedDocument. Detection picks the reader whose sniff scores highest, and the
document's `confidence` is that score (a reader with a CONFIDENCE constant reports that instead).

The sniff-score scale, shared by all readers so that their scores compare:

- 0.98  the format names itself: a file starting "WEBVTT".
- 0.95  unmistakable structure: stamped "HH:MM:SS.mmm | text" lines under "back to index"
        (whisper_page, which must beat page_text's 0.9 on the same header), "[start --> end]" on at
        least half the lines (whisper_cpp), Whisper JSON keys or word lists, SubRip with an index or
        comma milliseconds in a file named .srt.
- 0.9   the format's own markers without a confirming name: a page with its "Transcript" line,
        SubRip with an index or comma milliseconds, RTTM lines, the Congressional Record.
- 0.85-0.7  strong but borrowable patterns: speaker headers and bold labels (0.85), timestamped lines
        (0.8), otter.ai headers (0.75), JSON with "text" keys (0.8), bare SubRip timings (0.7, 0.75 in
        a .srt file).
- 0.6   plausible: a page without "Transcript" in its first 4000 characters, VTT timings in a .vtt file
        without the "WEBVTT" line, "Name: text" paragraphs.
- 0.5-0.3  weak: whisper.cpp lines that are a minority, JSON only named .json or opening like JSON,
        a .srt file whose first cue is not at the top (0.3).
- 0.1-0.02  labelled's prose fallback: words without structure (0.1), lower for files that look like
        another format's ("back to index" 0.05, "-->" or JSON 0.02), so any real reader wins.
- 0       not this format. A file no reader scores above 0 is refused as unknown_format.

Ties break by the order of _READER_MODULES: the earlier reader wins.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from types import ModuleType

from tasks.model import InputError, ParsedDocument

# Order breaks ties: earlier wins when two readers give the same score.
_READER_MODULES = (
    "page_text",
    "whisper_page",
    "vtt",
    "srt",
    "whisper_cpp",
    "whisper_json",
    "rttm",
    "labelled",
)


def _load() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(f"tasks.formats.{name}") for name in _READER_MODULES)


READERS = _load()


def detect_and_parse(text: str, name: str) -> ParsedDocument:
    """Parse `text` (decoded file content) with the reader that recognises it best."""
    scored = sorted(((reader.sniff(text, name), -i) for i, reader in enumerate(READERS)), reverse=True)
    best_score, best = scored[0]
    if best_score <= 0:
        raise InputError("unknown_format", "no reader recognises this file's content")
    reader = READERS[-best]
    doc = reader.parse(text, name)
    return replace(doc, confidence=getattr(reader, "CONFIDENCE", best_score))
