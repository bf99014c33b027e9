"""The "Whisper page" variant of the page text: `back to index` / title / Chapters /
`Whisper Transcript | Transcript Only Page` / `HH:MM:SS.mmm | text` lines."""

from __future__ import annotations

import re

from tasks.formats import codes
from tasks.formats._cues import Cue, Report, finish, head, require_text, split_lines
from tasks.formats._guard import only_input_errors
from tasks.formats._time import WHISPER_PAGE_CLOCK, parse_clock
from tasks.model import ChapterMark, ParsedDocument

FORMAT = "whisper_page"

LINE = re.compile(rf"^({WHISPER_PAGE_CLOCK}) \| ?(.*)$")
_CHAPTER = re.compile(r"^(\d{1,5}):(\d{1,2}) ?(.*)$")
_BANNER = "Whisper Transcript | Transcript Only Page"


def sniff(text: str, name: str) -> float:
    lines = head(text).lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip().lower() != "back to index":
        return 0.0
    stamped = sum(1 for ln in lines[:200] if LINE.match(ln))
    # page_text scores ~0.9 for every "back to index" page; win only when stamped lines follow
    return 0.95 if stamped >= 1 else 0.0


def _parse(text: str, name: str) -> ParsedDocument:
    lines = split_lines(text.lstrip("\ufeff"))
    report = Report()
    title: str | None = None
    chapters: list[ChapterMark] = []
    cues: list[Cue] = []
    section = "header"
    for no, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if section == "header" and line.lower() == "back to index":
            continue
        if line == "Chapters" and not cues:
            section = "chapters"
            continue
        if line in (_BANNER, "Transcript") and not cues:
            section = "transcript"
            continue
        m = LINE.match(line)
        if m:
            section = "transcript"
            cues.append(Cue(m.group(2).strip(), parse_clock(m.group(1)), None, no, label=f"line {no}"))
            continue
        if section == "header" and title is None:
            title = line
            continue
        if section == "chapters":
            c = _CHAPTER.match(line)
            if c:
                start = int(c.group(1)) * 60 + int(c.group(2))
                chapters.append(ChapterMark(c.group(3).strip(), float(start), no))
                continue
        report.warn(codes.UNPARSED_LINE, f"unexpected line: {line[:80]!r}", f"line {no}")
        cues.append(Cue(line, line=no, label=f"line {no}"))
    segments = finish(cues, report, repair=False)
    require_text(segments, "this Whisper page")
    return ParsedDocument(
        format=FORMAT,
        confidence=sniff(text, name) or 0.5,
        segments=segments,
        title=title,
        chapters=tuple(chapters),
        findings=report.findings(),
    )


parse = only_input_errors("whisper page", _parse)
