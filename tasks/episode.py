"""One input file to an `Episode` document: decode, detect, parse, segment, then every step of
`tasks.steps`. Pure and deterministic: the same bytes and context give the same rows."""

from __future__ import annotations

import hashlib
import re

from tasks.decode import decode
from tasks.document import BuildContext, Episode, Origin, Source
from tasks.formats import detect_and_parse
from tasks.model import InputError, ParsedDocument
from tasks.segment import segment
from tasks.steps import STEPS

__all__ = ["BuildContext", "Episode", "build_episode", "episode_id_for", "path_episode_id"]

_SLUG = re.compile(r"[^a-z0-9]+")


def path_episode_id(source_path: str) -> str:
    """An id stable across edits of a file: from its path relative to the input root."""
    slug = _SLUG.sub("-", source_path.lower()).strip("-")[:60]
    # The slug is cut, so long paths sharing a prefix would collide; 48 bits of hash keep a million
    # files apart with a collision chance of about 1 in 500.
    return f"{slug}-{hashlib.sha256(source_path.encode()).hexdigest()[:12]}"


def episode_id_for(doc: ParsedDocument, source_path: str) -> str:
    """The format's own id where it has one (a YouTube id), else the path's."""
    return f"yt-{doc.source_id}" if doc.source_id else path_episode_id(source_path)


def build_episode(data: bytes, source_path: str, context: BuildContext) -> Episode:
    """The whole episode of one file. Raises InputError for a file that cannot become an episode."""
    decoded = decode(data)
    doc = detect_and_parse(decoded.text, source_path)
    seg = segment(doc)
    if not seg.sentences:
        raise InputError("no_transcript_text", "the file holds no spoken text after cleaning")
    episode = Episode(
        episode_id_for(doc, source_path),
        Origin(source_path, doc.format, doc.confidence, decoded.encoding),
        seg.clean_text,
        findings=decoded.findings + doc.findings + seg.findings,
        source=Source(doc, seg, decoded.text),
    )
    for step in STEPS:
        episode = step(episode, context)
    return episode.without_source()
