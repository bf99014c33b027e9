"""The podcast page-text format of the reference transcript.

    Back to Index            (or "back to index" in older pages)
    <title>                  e.g. "Ep17. Welcome Jensen Huang | BG2 w/ Bill Gurley & Brad Gerstner"
    Chapters                 optional; "M:S Title" lines, seconds unpadded, minutes past 59, titles may be empty
    Whisper Transcript | Transcript Only Page   (optional, older pages)
    Transcript
    <paragraphs>             speaker changes marked "- " or ">>", non-speech in parentheses

One Segment per paragraph; turn markers stay in the text for the cleaning step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tasks.formats import codes
from tasks.formats._time import CHAPTER_CLOCK
from tasks.formats.titles import read_title
from tasks.model import ChapterMark, Finding, InputError, ParsedDocument, Segment

FORMAT = "page_text"
# A page that parses has its "Transcript" section, however far down it starts, so it is reported with
# this confidence rather than its sniff score (0.6 when the section lies past the first 4000 characters).
CONFIDENCE = 0.9

_INDEX_LINE = re.compile(r"^\s*back to index\s*$", re.IGNORECASE)
_CHAPTER_LINE = re.compile(rf"^\s*({CHAPTER_CLOCK})(?:\s+(.*?))?\s*$")
_WHISPER_PAGE_LINE = re.compile(r"^\s*whisper transcript\s*\|\s*transcript only page\s*$", re.IGNORECASE)
# Page files are saved as `transcript_<11-character YouTube id>.txt`, Whisper pages as
# `whisperpage_<id>.txt`; any other 11-character stem (`episode_012.txt`) is not an id.
_YOUTUBE_ID_IN_NAME = re.compile(r"(?:^|[/_-])(?:transcript|whisperpage)_([A-Za-z0-9_-]{11})\.[A-Za-z0-9]+$")


def sniff(text: str, name: str) -> float:
    head = text[:4000].lstrip("\ufeff").splitlines()
    first = next((line for line in head if line.strip()), "")
    if not _INDEX_LINE.match(first):
        return 0.0
    return 0.9 if any(line.strip() == "Transcript" for line in head) else 0.6


def youtube_id_from_name(name: str) -> str | None:
    """Page files are named after their YouTube video (`transcript_<11-char id>.txt`, `whisperpage_<id>.txt`)."""
    match = _YOUTUBE_ID_IN_NAME.search(name)
    return match.group(1) if match else None


@dataclass(frozen=True)
class PageHeader:
    """What the lines above a page's transcript say; page_text and whisper_page both read it."""

    title: str | None
    chapters: tuple[ChapterMark, ...]
    metadata: dict[str, str]  # show, hosts, guests, episode number read from the title
    source_id: str | None  # the YouTube id in the file name
    findings: tuple[Finding, ...]
    body_start: int | None  # index in `lines` of the first transcript line; None when none begins

    def document(
        self, format: str, confidence: float, segments: tuple[Segment, ...], findings: tuple[Finding, ...]
    ) -> ParsedDocument:
        """The page's document: these segments under this header's title, chapters, metadata and id."""
        return ParsedDocument(
            format=format,
            confidence=confidence,
            segments=segments,
            title=self.title,
            chapters=self.chapters,
            metadata=self.metadata,
            findings=findings,
            source_id=self.source_id,
        )


def read_header(lines: list[str], name: str, starts_body: Callable[[str], bool] | None = None) -> PageHeader:
    """The page header: a 'Back to Index' line, the title, optional "Chapters" (times checked, out-of-order
    chapters dropped) and banner lines, up to the 'Transcript' line or the first stripped line that
    `starts_body` accepts (that line is the body's). Other lines become findings, kept out of the transcript."""
    findings: list[Finding] = []
    i = _skip_blank(lines, 0)
    if i >= len(lines) or not _INDEX_LINE.match(lines[i]):
        raise InputError("unknown_format", "page text must start with a 'Back to Index' line", "line 1")

    def opens_body(stripped: str) -> bool:
        return starts_body is not None and starts_body(stripped)

    i = _skip_blank(lines, i + 1)
    title = lines[i].strip() if i < len(lines) else None
    if title in ("Chapters", "Transcript") or (title and (_WHISPER_PAGE_LINE.match(title) or opens_body(title))):
        title = None
    if title is not None:
        i += 1

    chapters: list[ChapterMark] = []
    body_start: int | None = None
    in_chapters = False
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped == "Transcript":
            body_start = i + 1
            break
        if opens_body(stripped):
            body_start = i
            break
        if stripped == "Chapters":
            in_chapters = True
        elif not stripped or _WHISPER_PAGE_LINE.match(stripped):
            pass
        elif in_chapters and (match := _CHAPTER_LINE.match(stripped)):
            stamp, chapter_title = match.groups()
            minutes, seconds = stamp.split(":")
            if int(seconds) >= 60:
                findings.append(
                    Finding(
                        codes.MALFORMED_TIME,
                        "warning",
                        f"chapter time {minutes}:{seconds} has seconds past 59",
                        f"line {i + 1}",
                    )
                )
            chapters.append(ChapterMark((chapter_title or "").strip(), int(minutes) * 60.0 + int(seconds), i + 1))
        else:
            findings.append(
                Finding(
                    codes.UNPARSED_LINE,
                    "warning",
                    f"header line not understood and kept out of the transcript: {stripped[:80]!r}",
                    f"line {i + 1}",
                )
            )
        i += 1
    ordered = _ordered_chapters(chapters, findings)
    return PageHeader(
        title=title,
        chapters=tuple(ordered),
        metadata=read_title(title).metadata(),
        source_id=youtube_id_from_name(name),
        findings=tuple(findings),
        body_start=body_start,
    )


def parse(text: str, name: str) -> ParsedDocument:
    lines = text.lstrip("\ufeff").split("\n")
    header = read_header(lines, name)
    if header.body_start is None:
        raise InputError("no_transcript_text", "page text has no 'Transcript' section", f"line {len(lines)}")
    segments = tuple(_paragraphs(lines, header.body_start))
    if not segments:
        raise InputError("no_transcript_text", "the 'Transcript' section is empty", f"line {header.body_start}")
    return header.document(FORMAT, CONFIDENCE, segments, header.findings)


def _skip_blank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _ordered_chapters(chapters: list[ChapterMark], findings: list[Finding]) -> list[ChapterMark]:
    ordered: list[ChapterMark] = []
    for chapter in chapters:
        if ordered and chapter.start_s < ordered[-1].start_s:
            findings.append(
                Finding(
                    "malformed_time",
                    "warning",
                    f"chapter {chapter.title!r} starts before the chapter above it; dropped",
                    f"line {chapter.line}",
                )
            )
            continue
        ordered.append(chapter)
    return ordered


def _paragraphs(lines: list[str], start: int) -> list[Segment]:
    segments: list[Segment] = []
    buffer: list[str] = []
    first_line = start
    for index in range(start, len(lines) + 1):
        line = lines[index] if index < len(lines) else ""
        if line.strip():
            if not buffer:
                first_line = index + 1
            buffer.append(line.strip())
        elif buffer:
            segments.append(Segment(" ".join(buffer), line=first_line))
            buffer = []
    return segments
