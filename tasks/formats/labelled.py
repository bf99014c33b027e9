"""Speaker-labelled and timestamped plain text / Markdown.

Variants (chosen from the first few KB, reported in metadata["variant"]):

- ``congressional_record``: ``  Ms. WASSERMAN SCHULTZ. text`` paragraphs (two-space indent starts a
  paragraph, hard-wrapped continuation lines, ``[[Page H6910]]`` and ``{time}  1045`` markers)
- ``header``: a label line then the paragraph(s): ``Name (MM:SS):``, ``[Speaker 1 00:00]``,
  ``Name  0:03`` (otter.ai style)
- ``bold``: Markdown ``**Name:** text`` paragraphs, ``\\[HH:MM:SS\\]`` stamps as start times
- ``timestamped``: one segment per ``HH:MM:SS text`` / ``[MM:SS] text`` line, optionally
  ``HH:MM:SS Name: text``
- ``plain``: ``Name: text`` paragraphs
- ``prose``: anything else with words, one segment per paragraph (low confidence)

YAML front matter becomes metadata; a Markdown ``# H1`` becomes the title.
Speakers are the raw labels; paragraphs a file does not label get speaker None and new_turn False
(except under a header, whose label covers its block).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from tasks.formats import codes
from tasks.formats._cues import Cue, Report, finish, head, require_text, split_lines
from tasks.formats._guard import only_input_errors
from tasks.formats._time import LABEL_CLOCK, parse_clock
from tasks.formats.vtt import join_cue_lines
from tasks.model import InputError, ParsedDocument

FORMAT = "labelled_text"

H_PAREN = re.compile(rf"^\s*(?:\*\*)?([^()\[\]*\n]{{0,80}}?)\s*\(({LABEL_CLOCK})\)\s*:?(?:\*\*)?\s*:\s*(.*)$")
H_BRACKET = re.compile(rf"^\s*\[([^\[\]\n]{{1,80}}?)\s+({LABEL_CLOCK})\]\s*:?\s*(.*)$")
H_OTTER = re.compile(rf"^([^\W\d_][\w.'’ -]{{0,60}}?)\s{{1,4}}({LABEL_CLOCK})\s*$")
BOLD = re.compile(r"^\*\*([^*\n]{1,80}?)\*\*\s*(.*)$")
TS_LINE = re.compile(rf"^\s*([\[(]?)({LABEL_CLOCK})([\])]?)(?:\s+|\s*[-–—]\s+)(?!-->)(.*)$")
PLAIN = re.compile(r"^([^\W\d_][\w.'’&-]*(?: [\w.'’&()-]+){0,4}?)\s?:\s+(\S.*)$")
LEAD_STAMP = re.compile(rf"^\s*\\?[\[(]({LABEL_CLOCK})\\?[\])]\s*(.*)$")
INLINE_STAMP = re.compile(rf"\s*\\?\[({LABEL_CLOCK})\\?\]")
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")

CR_LABEL = re.compile(
    r"^  (The (?:SPEAKER|CHAIR|CHAIRMAN|CHAIRWOMAN|PRESIDING OFFICER"
    r"|ACTING PRESIDENT PRO TEMPORE|ACTING PRESIDENT|VICE PRESIDENT|PRESIDENT|CLERK|ACTING CHAIR)"
    r"(?: pro tempore)?"
    r"|(?:Mr|Ms|Mrs|Miss|Dr)\. [A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+){0,3}"
    r"(?: of [A-Z][a-z]+(?: [A-Z][a-z]+){0,2})?)"
    r"\. ?(.*)$"
)
_CR_PAGE = re.compile(r"^\s*\[\[Page [^\]]{1,40}\]\]\s*$")
_CR_TIME = re.compile(r"^\s*\{time\}\s+(\d{3,4})\s*$")


# Words that open a "Word: text" line without naming a speaker.
_NOT_NAMES = frozenset(
    {
        "note",
        "update",
        "edit",
        "source",
        "warning",
        "example",
        "http",
        "https",
        "tl;dr",
        "ps",
        "p.s",
        "transcript",
        "summary",
        "chapter",
        "title",
        "date",
        "link",
        "links",
    }
)
_CONNECTORS = frozenset(
    {
        "de",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "du",
        "la",
        "le",
        "of",
        "the",
        "and",
        "&",
        "bin",
        "al",
        "y",
        "del",
        "dos",
        "das",
        "st.",
        "mc",
        "pro",
        "tempore",
    }
)


def _is_name(label: str, freq: int) -> bool:
    label = label.strip()
    if not label or len(label) > 60 or label.lower() in _NOT_NAMES or label.lower().startswith("http"):
        return False
    words = label.split()
    if len(words) > 6 or not words[0][:1].isupper():
        return False
    for w in words:
        core = w.strip("()")
        if not core or not (core[0].isupper() or core[0].isdigit() or core.lower() in _CONNECTORS):
            return False
    # one capitalised word ("However: ...") is a name only if the file uses it as a label again
    return len(words) > 1 or freq >= 2


@dataclass(frozen=True, slots=True)
class _Variant:
    name: str
    score: float


def _detect(text: str, name: str) -> _Variant:
    """The variant, from the head of the file only. sniff and parse both need it: the last head seen is
    remembered, so parse after detect_and_parse's sniff does not detect again."""
    return _detect_head(head(text).lstrip("\ufeff"))


@lru_cache(maxsize=1)
def _detect_head(h: str) -> _Variant:
    lines = [ln for ln in h.split("\n") if ln.strip()]
    if not lines:
        return _Variant("none", 0.0)
    if sum(1 for ln in lines if ln.lstrip().startswith("|")) * 3 >= len(lines):
        return _Variant("none", 0.0)  # a Markdown table (a README, a sources list) is not speech
    if lines[0].strip().lower() == "back to index":
        return _Variant("prose", 0.05)  # page-text formats own these
    if lines[0].strip() == "WEBVTT" or any("-->" in ln for ln in lines[:30]):
        return _Variant("prose", 0.02)
    if lines[0].lstrip().startswith(("{", "[[")):
        return _Variant("prose", 0.02)
    body = [ln for ln in lines if not ln.startswith(("---", "#"))]
    n = max(len(body), 1)
    if "[Congressional Record" in h or sum(1 for ln in h.split("\n") if CR_LABEL.match(ln)) >= 1:
        return _Variant("congressional_record", 0.9)
    headers = sum(1 for ln in body if H_PAREN.match(ln) or H_BRACKET.match(ln))
    if headers >= 2 or (headers == 1 and n <= 3):
        return _Variant("header", 0.85)
    bold = sum(1 for ln in body if BOLD.match(ln) and _bold_label(ln) is not None)
    if bold >= 2:
        return _Variant("bold", 0.85)
    stamped = sum(1 for ln in body if TS_LINE.match(ln) and "|" not in ln[:20])
    if stamped >= 2 and stamped * 2 >= n:
        return _Variant("timestamped", 0.8)
    otter = sum(1 for ln in body if H_OTTER.match(ln))
    if otter >= 2:
        return _Variant("header", 0.75)
    freq = Counter(m.group(1) for ln in body if (m := PLAIN.match(ln)))
    if sum(c for lab, c in freq.items() if _is_name(lab, c)) >= 2 and any(c >= 2 for c in freq.values()):
        return _Variant("plain", 0.6)
    if any(ch.isalpha() for ch in h):
        return _Variant("prose", 0.1)
    return _Variant("none", 0.0)


def _bold_label(line: str) -> tuple[str, str] | None:
    m = BOLD.match(line)
    if not m:
        return None
    label, rest = m.group(1).strip(), m.group(2)
    if label.endswith(":"):
        return label[:-1].strip(), rest
    if rest.startswith(":"):
        return label, rest[1:].lstrip()
    return None


def sniff(text: str, name: str) -> float:
    return _detect(text, name).score


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    meta: dict[str, str] = {}
    last = ""
    for i in range(1, min(len(lines), 500)):
        s = lines[i].rstrip()
        if s.strip() in ("---", "..."):
            return meta, i + 1
        if s.lstrip().startswith("- ") and last:
            item = s.lstrip()[2:].strip().strip("'\"")
            meta[last] = f"{meta[last]}, {item}" if meta.get(last) else item
            continue
        key, sep, value = s.partition(":")
        if sep and key.strip() and not key.startswith(" "):
            last = key.strip()
            meta[last] = value.strip().strip("'\"")
    return {}, 0  # no closing fence: not front matter after all


class _Builder:
    """Accumulates the lines of one paragraph into a Cue."""

    def __init__(self, out: list[Cue], markdown: bool) -> None:
        self.out = out
        self.markdown = markdown
        self.cue: Cue | None = None
        self.parts: list[str] = []

    def start(self, no: int, text: str, speaker: str | None, new_turn: bool, start: float | None) -> None:
        self.flush()
        self.cue = Cue("", start, None, no, speaker, new_turn, f"line {no}")
        self.parts = [text] if text.strip() else []

    def add(self, no: int, text: str) -> None:
        if self.cue is None:
            self.start(no, text, None, False, None)
        else:
            self.parts.append(text)

    def flush(self) -> None:
        if self.cue is None:
            return
        text = join_cue_lines([p.strip() for p in self.parts])
        lead = LEAD_STAMP.match(text)
        if lead:
            if self.cue.start is None:
                self.cue.start = parse_clock(lead.group(1))
            text = lead.group(2)
        # a stamp inside the text ("... it was Bill. \\[08:23\\] So we ...") is no speech: it starts a
        # piece of the same turn at that time
        pieces = INLINE_STAMP.split(text) if "[" in text else [text]
        cue: Cue | None = None
        for k in range(0, len(pieces), 2):
            piece = pieces[k].strip()
            if self.markdown and "\\" in piece:
                piece = MD_ESCAPE.sub(r"\1", piece)
            if not piece:
                continue
            stamp = parse_clock(pieces[k - 1]) if k else None
            if cue is None:  # the first words keep the cue's turn start, speaker and time
                cue = self.cue
                cue.text, cue.start = piece, cue.start if cue.start is not None else stamp
            else:
                cue = Cue(piece, stamp, None, cue.line, cue.speaker, False, cue.label)
            self.out.append(cue)
        self.cue, self.parts = None, []


def _parse(text: str, name: str) -> ParsedDocument:
    variant = _detect(text, name)
    if variant.score <= 0:
        raise InputError(codes.NO_TRANSCRIPT_TEXT, "no transcript text found")
    lines = split_lines(text.lstrip("\ufeff"))
    report = Report()
    metadata, first = _front_matter(lines)
    title = metadata.get("title")
    metadata["variant"] = variant.name
    cues: list[Cue] = []
    if variant.name == "congressional_record":
        title = _congressional(lines, first, cues, metadata, report) or title
    else:
        markdown = name.lower().endswith((".md", ".markdown")) or variant.name == "bold"
        title = _generic(lines, first, variant.name, markdown, cues, report) or title
    segments = finish(cues, report, repair=False)
    require_text(segments, "this file")
    return ParsedDocument(
        format=FORMAT,
        confidence=variant.score,
        segments=segments,
        title=title,
        metadata=metadata,
        findings=report.findings(),
    )


HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def _generic(lines: list[str], first: int, variant: str, markdown: bool, cues: list[Cue], report: Report) -> str | None:
    title: str | None = None
    freq: Counter[str] = Counter()
    if variant in ("plain", "timestamped"):
        for ln in lines:
            m = TS_LINE.match(ln) if variant == "timestamped" else None
            rest = m.group(4) if m else ln
            p = PLAIN.match(rest)
            if p:
                freq[p.group(1)] += 1
    b = _Builder(cues, markdown)
    block_speaker: str | None = None
    for no in range(first + 1, len(lines) + 1):
        line = lines[no - 1]
        s = line.strip()
        if not s:
            b.flush()
            continue
        if markdown and (hm := HEADING.match(s)):
            b.flush()
            if hm.group(1) == "#" and title is None:
                title = hm.group(2).strip()
            continue
        if variant == "header":
            m = H_PAREN.match(line) or H_BRACKET.match(line) or H_OTTER.match(line)
            if m:
                speaker = m.group(1).strip() or None
                rest = m.group(3) if m.re is not H_OTTER else ""
                b.start(no, rest, speaker, True, parse_clock(m.group(2)))
                block_speaker = speaker
                continue
            if b.cue is None:
                b.start(no, s, block_speaker, False, None)
            else:
                b.add(no, s)
        elif variant == "timestamped":
            m = TS_LINE.match(line)
            if m and "|" not in s[:20]:
                rest, speaker = m.group(4), None
                p = PLAIN.match(rest)
                if p and _is_name(p.group(1), freq[p.group(1)]):
                    speaker, rest = p.group(1).strip(), p.group(2)
                b.start(no, rest, speaker, speaker is not None, parse_clock(m.group(2)))
            else:
                b.add(no, s)
        elif variant in ("bold", "plain"):
            label = _bold_label(s) if variant == "bold" else None
            if (
                label is None
                and (p := PLAIN.match(s))
                and _is_name(p.group(1), freq[p.group(1)] or 2 * (variant == "bold"))
            ):
                label = (p.group(1), p.group(2))
            if label is not None:
                # A speaker's label starts a turn even without a blank line before it ("Ann: hi\nBob: hey").
                b.start(no, label[1], label[0] or None, bool(label[0]), None)
            elif b.cue is not None:
                b.add(no, s)
            else:
                b.start(no, s, None, False, None)
        else:
            b.add(no, s)
    b.flush()
    return title


def _congressional(
    lines: list[str], first: int, cues: list[Cue], metadata: dict[str, str], report: Report
) -> str | None:
    title: str | None = None
    headings = 0
    cur: Cue | None = None

    def close() -> None:
        nonlocal cur
        if cur is not None and cur.text.strip():
            cues.append(cur)
        cur = None

    for no in range(first + 1, len(lines) + 1):
        line = lines[no - 1].rstrip()
        s = line.strip()
        if not s or _CR_PAGE.match(line) or set(s) == {"_"}:
            continue  # page breaks and rules do not end a paragraph: hard wraps continue across them
        if (tm := _CR_TIME.match(line)) is not None:
            metadata.setdefault("clock_times", "")
            metadata["clock_times"] = ", ".join(filter(None, [metadata["clock_times"], tm.group(1)]))
            continue
        if cur is None and not cues and s.startswith("[") and s.endswith("]"):
            inner = s[1:-1].strip()
            key = (
                "record"
                if inner.startswith("Congressional Record")
                else "pages"
                if inner.startswith("Page")
                else "chamber"
            )
            metadata[key] = inner
            continue
        if cur is None and not cues and s.startswith("From the Congressional Record"):
            metadata["source"] = re.sub(r"<[^<>]{0,200}>", "", s)
            continue
        if line.startswith("  ") and not line.startswith("   "):
            close()
            m = CR_LABEL.match(line)
            if m:
                cur = Cue(m.group(2).strip(), line=no, speaker=m.group(1), new_turn=True, label=f"line {no}")
            else:
                cur = Cue(s, line=no, label=f"line {no}")
            continue
        if line.startswith("   "):
            # centred lines: the title, later section headings
            close()
            if title is None:
                title = s
            else:
                headings += 1
                metadata[f"heading_{headings}"] = s
            continue
        if cur is None:
            report.warn(codes.UNPARSED_LINE, f"text outside a paragraph: {s[:80]!r}", f"line {no}")
            cur = Cue(s, line=no, label=f"line {no}")
            continue
        # hard-wrapped continuation; a line ending in a hyphen ("evidence-" / "based") joins without space
        cur.text = cur.text + s if cur.text.endswith("-") else f"{cur.text} {s}"
    close()
    return title


parse = only_input_errors("labelled-text", _parse)
