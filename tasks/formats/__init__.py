"""Format readers. Each module exposes FORMAT (name), sniff(text, name) -> float in [0, 1] and
parse(text, name) -> ParsedDocument. Detection picks the reader whose sniff scores highest, and the
document's `confidence` is that score (a reader with a CONFIDENCE constant reports that instead)."""

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
    mods = []
    for name in _READER_MODULES:
        try:
            mods.append(importlib.import_module(f"tasks.formats.{name}"))
        except ModuleNotFoundError as exc:
            # page_text is written separately; until it lands the other readers still work
            if exc.name != f"tasks.formats.{name}":
                raise
    return tuple(mods)


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
