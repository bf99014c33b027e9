"""Format readers. Each module exposes FORMAT (name), sniff(text, name) -> float in [0, 1] and
parse(text, name) -> ParsedDocument. Detection picks the reader whose sniff scores highest."""

from __future__ import annotations

from tasks.formats import page_text
from tasks.model import InputError, ParsedDocument

READERS = (page_text,)


def detect_and_parse(text: str, name: str) -> ParsedDocument:
    """Parse `text` (decoded file content) with the reader that recognises it best."""
    scored = sorted(((reader.sniff(text, name), i) for i, reader in enumerate(READERS)), reverse=True)
    best_score, best = scored[0]
    if best_score <= 0:
        raise InputError("unknown_format", "no reader recognises this file's content")
    return READERS[best].parse(text, name)
