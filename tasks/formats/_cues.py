"""Shared reader machinery: finding collection, cue repair and hallucination flags.

Everything here is linear in the number of segments/words, so a reader built on it stays linear.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tasks.formats import codes
from tasks.formats._time import format_clock
from tasks.model import Finding, InputError, Segment

# Longer than any real transcript line (a 2-hour talk on one line is ~150 KB); a longer line is
# either a hostile file or not a transcript, and regexes over it would waste time.
MAX_LINE_CHARS = 2_000_000
# A file can produce thousands of identical findings (43 empty cues is real); list this many
# per code and count the rest so the issues table stays readable.
MAX_FINDINGS_PER_CODE = 200
SNIFF_CHARS = 8192
# The confidence a reader's parse() reports by itself, unscored against the other readers;
# detect_and_parse replaces it with the winning sniff score, so readers never sniff twice.
UNSCORED = 0.5


class Report:
    """Collects warnings for one file, capped per code."""

    def __init__(self) -> None:
        self._items: list[Finding] = []
        self._counts: Counter[str] = Counter()

    def warn(self, code: str, message: str, location: str = "") -> None:
        assert code in codes.CODES, code
        self._counts[code] += 1
        if self._counts[code] <= MAX_FINDINGS_PER_CODE:
            self._items.append(Finding(code, "warning", message, location))

    def extend(self, findings: Sequence[Finding]) -> None:
        for f in findings:
            self.warn(f.code, f.message, f.location)

    def findings(self) -> tuple[Finding, ...]:
        extra = [
            Finding(codes.TOO_MANY_FINDINGS, "warning", f"{n - MAX_FINDINGS_PER_CODE} more '{code}' not listed")
            for code, n in sorted(self._counts.items())
            if n > MAX_FINDINGS_PER_CODE
        ]
        return (*self._items, *extra)


@dataclass(slots=True)
class Cue:
    """A mutable segment under construction (Segment is frozen)."""

    text: str
    start: float | None = None
    end: float | None = None
    line: int = 0
    speaker: str | None = None
    new_turn: bool = False
    label: str = ""
    flag: str | None = None
    no_speech_prob: float | None = None

    def where(self) -> str:
        if not self.label or self.label.startswith("line "):
            return f"line {self.line}"
        return f"{self.label} (line {self.line})"

    def segment(self) -> Segment:
        return Segment(
            text=self.text,
            speaker=self.speaker,
            start_s=self.start,
            end_s=self.end,
            line=self.line,
            new_turn=self.new_turn,
            flag=self.flag,
        )


def split_lines(text: str) -> list[str]:
    """Lines of decoded text; refuses absurdly long lines before any regex touches them."""
    lines = text.split("\n")
    longest = max(map(len, lines), default=0)
    if longest > MAX_LINE_CHARS:
        idx = next(i for i, ln in enumerate(lines) if len(ln) == longest)
        raise InputError(
            codes.LINE_TOO_LONG,
            f"line {idx + 1} is {longest} characters long (limit {MAX_LINE_CHARS})",
            f"line {idx + 1}",
        )
    return lines


def head(text: str) -> str:
    return text[:SNIFF_CHARS]


def repair_cues(cues: list[Cue], report: Report) -> list[Cue]:
    """Drop empty cues, fix impossible times, trim overlaps; every change is a warning finding."""
    out: list[Cue] = []
    for c in cues:
        span = f"{format_clock(c.start)} --> {format_clock(c.end)}"
        if not c.text.strip():
            report.warn(codes.EMPTY_CUE, f"dropped empty cue {span}", c.where())
            continue
        if c.start is not None and c.end is not None:
            if c.end < c.start:
                report.warn(codes.CUE_END_BEFORE_START, f"cue {span} ends before it starts; end dropped", c.where())
                c.end = None
            elif c.end == c.start:
                report.warn(codes.ZERO_LENGTH_CUE, f"cue {span} has zero length; text kept", c.where())
        prev = out[-1] if out else None
        if prev is not None and prev.end is not None and c.start is not None and c.start < prev.end:
            if prev.start is None or c.start >= prev.start:
                report.warn(
                    codes.OVERLAPPING_CUE,
                    f"cue starts at {format_clock(c.start)} before the previous cue ends at "
                    f"{format_clock(prev.end)}; previous end trimmed",
                    c.where(),
                )
                prev.end = c.start
            else:
                report.warn(
                    codes.OVERLAPPING_CUE,
                    f"cue starts at {format_clock(c.start)} before the previous cue starts at "
                    f"{format_clock(prev.start)}; times kept as given",
                    c.where(),
                )
        out.append(c)
    return out


# --- hallucinations -------------------------------------------------------------------------

# What Whisper writes over silence or music (its training captions' sign-offs): alone in a file, or
# repeated at its end, these are not speech.
_STOCK_PHRASES = frozenset(
    {
        "thanks for watching",
        "thank you for watching",
        "thanks for watching and see you next time",
        "thank you for watching and see you next time",
        "please subscribe",
        "please subscribe to my channel",
        "subscribe to my channel",
        "like and subscribe",
        "thank you",
        "thank you so much for watching",
        "subtitles by the amara org community",
        "thank you very much",
        "bye",
        "you",
    }
)
_WORD_STRIP = re.compile(r"^\W+|\W+$")
_TAG_ONLY = re.compile(r"\s*[\[(<][^\[\]()<>]*[\])>]\s*")
NO_SPEECH_THRESHOLD = 0.4


def _norm_words(text: str) -> list[str]:
    return [w for w in (_WORD_STRIP.sub("", t.lower()) for t in text.split()) if w]


# A phrase said LOOP_REPEATS times back to back is a decoder loop when the repeats fill most of the text or end it
# ("... you you you you"); inside speech people do say "my boss's boss's boss's boss's radar" and "and and and and",
# so there it takes LOOP_REPEATS_INSIDE. A word repeated with punctuation ("Wait, wait, wait, wait.") is emphasis
# unless it goes on to LOOP_REPEATS_INSIDE.
LOOP_REPEATS = 4
LOOP_REPEATS_INSIDE = 8
LOOP_MAX_PHRASE = 6
# longer than a caption cue or a Whisper segment (about 30 words at most)
LOOP_SEGMENT_WORDS = 60


def loop_reason(text: str) -> str | None:
    """A phrase of 1-6 words repeated back to back: the classic decoder loop."""
    raw = text.split()
    if len(raw) < LOOP_REPEATS:
        return None
    toks = [_WORD_STRIP.sub("", t.lower()) for t in raw]
    for n in range(1, LOOP_MAX_PHRASE + 1):
        run = 0
        for i in range(len(toks) - n + 1):
            extends = i + n < len(toks) and bool(toks[i]) and toks[i] == toks[i + n]
            if extends:
                run += 1
                continue
            repeats = run // n + 1
            if run and repeats >= LOOP_REPEATS:
                first = i - run
                span = raw[first : i + n]
                covered = len(span) * 2 >= len(raw) or i + n >= len(raw)
                punct = n == 1 and any(re.search(r"\W$", t) for t in span[:-1])
                if repeats >= LOOP_REPEATS_INSIDE or (covered and not punct):
                    return f"'{' '.join(raw[first : first + n])}' repeated {repeats} times"
            run = 0
    return None


def flag_hallucinations(cues: list[Cue], report: Report) -> None:
    """Mark suspect cues with flag='hallucination' and a warning; text is never removed here."""
    normed = [" ".join(_norm_words(c.text)) for c in cues]
    speech = [n for n, c in zip(normed, cues, strict=True) if n and not _TAG_ONLY.fullmatch(c.text)]
    only_stock = bool(speech) and len(speech) <= 3 and all(n in _STOCK_PHRASES for n in speech)

    def flag(c: Cue, why: str) -> None:
        c.flag = "hallucination"
        report.warn(codes.HALLUCINATION, f"possible hallucination: {why}", c.where())

    run_start = 0
    for i, c in enumerate(cues):
        stripped = re.sub(r"[\s\W_]", "", c.text)
        if (stripped == "" and "\ufffd" in c.text) or (stripped and set(stripped) == {"\ufffd"}):
            flag(c, "only U+FFFD replacement characters")
            continue
        n = normed[i]
        if n in _STOCK_PHRASES and (
            only_stock or (c.no_speech_prob is not None and c.no_speech_prob >= NO_SPEECH_THRESHOLD)
        ):
            why = "the whole output" if only_stock else f"no_speech_prob {c.no_speech_prob:.2f}"
            flag(c, f"stock phrase '{c.text.strip()}' over silence ({why})")
            continue
        # a long segment (a whole labelled turn) is judged sentence by sentence after segmentation instead,
        # so that one loop does not flag a whole turn
        reason = loop_reason(c.text) if len(c.text.split()) <= LOOP_SEGMENT_WORDS else None
        if reason:
            flag(c, reason)
            continue
        # The same sentence over and over in consecutive segments (decoder stuck on a window). People
        # do echo short lines ("It's happening today." three times across a panel), so only a
        # sentence of five words or more, from one voice, counts.
        if (
            i > 0
            and n
            and n == normed[i - 1]
            and len(n.split()) >= 5
            and c.speaker == cues[i - 1].speaker
            and not c.text.lstrip().startswith(("-", ">>"))
            and not _TAG_ONLY.fullmatch(c.text)
        ):
            if i - run_start >= 2:
                flag(c, f"segment repeats the previous {i - run_start} segments")
                if i - run_start == 2:
                    flag(cues[i - 1], "segment repeats the previous segment")
        else:
            run_start = i


def finish(cues: list[Cue], report: Report, *, repair: bool) -> tuple[Segment, ...]:
    """Repair (cue formats only), flag hallucinations, and freeze into Segments."""
    cues = repair_cues(cues, report) if repair else [c for c in cues if c.text.strip()]
    flag_hallucinations(cues, report)
    return tuple(c.segment() for c in cues)


def require_text(segments: Sequence[Segment], what: str) -> None:
    if not any(s.text.strip() for s in segments):
        raise InputError(codes.NO_TRANSCRIPT_TEXT, f"{what} holds no transcript text")


# --- speaker labels inside caption cues ---------------------------------------------------------

# "SPEAKER_01", "Speaker 1", "spk_2", "Speaker A": a diariser's label, a speaker at first sight.
_GENERIC_LABEL = r"(?:SPEAKER|Speaker|speaker|SPK|Spk|spk)(?:[ _-]?\d{1,3}|[ _-][A-Z])(?!\w)"
_LABEL_WORD = r"[^\W\d_][\w'’.-]*"
# At the very start of a cue (or of a line opening with a turn marker, which keeps its own line): an optional
# ">>" or "-" marker, then "[SPEAKER_01]" with or without a colon, "SPEAKER_01:" / "Speaker 1:", "[Name]:", or
# one to three words followed by a colon and a space (or the end of the cue).
_CAPTION_LABEL = re.compile(
    rf"^(?P<mark>(?:>>|-)[ \t]*)?"
    rf"(?:\[(?P<bgeneric>{_GENERIC_LABEL})\][ \t]*:?"
    rf"|\[(?P<bname>{_LABEL_WORD}(?: {_LABEL_WORD}){{0,2}})\][ \t]?:"
    rf"|(?P<generic>{_GENERIC_LABEL})[ \t]?:"
    rf"|(?P<name>{_LABEL_WORD}(?: {_LABEL_WORD}){{0,2}})[ \t]?:)"
    rf"(?:[ \t]+|$)"
)
# First words of "Word: text" that introduce a remark, a step or a section, never a speaker. Guarded besides by
# the rule that a name must open at least two cues.
_NOT_SPEAKERS = frozenset(
    {
        "a",
        "also",
        "and",
        "answer",
        "bonus",
        "but",
        "caption",
        "captions",
        "caution",
        "chapter",
        "credit",
        "credits",
        "date",
        "definition",
        "e.g",
        "edit",
        "example",
        "finally",
        "first",
        "fyi",
        "hint",
        "important",
        "intro",
        "link",
        "links",
        "listen",
        "look",
        "lyrics",
        "music",
        "next",
        "no",
        "note",
        "now",
        "ok",
        "okay",
        "outro",
        "p.s",
        "part",
        "ps",
        "q",
        "question",
        "remember",
        "reminder",
        "result",
        "second",
        "section",
        "see",
        "so",
        "source",
        "step",
        "subtitle",
        "subtitles",
        "summary",
        "then",
        "tip",
        "title",
        "todo",
        "transcript",
        "translation",
        "update",
        "wait",
        "warning",
        "well",
        "yes",
    }
)
# A name must open this many cues before it counts as a speaker ("So: ..." once is prose).
LABEL_MIN_CUES = 2
_PART_BREAK = re.compile(r"\n(?=(?:>>|-)[ \t])")


@dataclass(slots=True)
class _Label:
    speaker: str
    generic: bool
    marker: bool
    rest: str


def _caption_label(part: str) -> _Label | None:
    m = _CAPTION_LABEL.match(part)
    if m is None:
        return None
    rest = part[m.end() :]
    generic = m.group("bgeneric") or m.group("generic")
    if generic:
        return _Label(" ".join(generic.split()), True, bool(m.group("mark")), rest)
    name = m.group("bname") or m.group("name")
    words = name.split()
    if any(not w[0].isupper() for w in words) or words[0].lower().rstrip(".") in _NOT_SPEAKERS:
        return None
    return _Label(name, False, bool(m.group("mark")), rest)


def take_speaker_labels(cues: list[Cue]) -> list[Cue]:
    """Speakers named at the start of caption cues, moved from the text into `speaker`.

    A cue (without a speaker yet) whose text opens with "[SPEAKER_01]:", "[SPEAKER_01]", "SPEAKER_01:",
    "Speaker 1:", ">> NAME:" or "Name Surname:" gets that speaker and loses the label. A SPEAKER_nn / Speaker N
    label counts at first sight; a name only if it opens at least LABEL_MIN_CUES cues and is not a word like
    "Note" or "Step" (_NOT_SPEAKERS). A line inside a cue that opens with ">>" or "-" and a label starts a
    segment of its own, its share of the cue's time given by its share of the characters (as the segmenter
    would interpolate it). A cue holding only a label gives its speaker to the next cue. A turn marker before
    a label goes with the label: the speaker marks the change. `new_turn` is set where the speaker changes
    or a marker stood. Returns the new list of cues; files without labels come back unchanged.
    """
    parsed: list[list[tuple[str, _Label | None]]] = []
    uses: Counter[str] = Counter()
    for c in cues:
        parts = _PART_BREAK.split(c.text) if c.speaker is None else [c.text]
        row = [(p, _caption_label(p) if c.speaker is None else None) for p in parts]
        parsed.append(row)
        uses.update({lab.speaker for _, lab in row if lab is not None and not lab.generic})

    def accepted(label: _Label | None) -> _Label | None:
        return label if label is not None and (label.generic or uses[label.speaker] >= LABEL_MIN_CUES) else None

    if not any(accepted(lab) for row in parsed for _, lab in row):
        return cues
    out: list[Cue] = []
    pending: Cue | None = None  # a cue that held only a label: its speaker goes to the next cue
    for c, row in zip(cues, parsed, strict=True):
        labels = [accepted(label) for _, label in row]
        pieces: list[tuple[str, str | None, bool]]  # (text, speaker, marker)
        if any(labels):
            # one piece per line that opens with a marker: an unnamed ">>" keeps its marker and its own turn
            pieces = [
                (lab.rest.strip(), lab.speaker, lab.marker) if lab is not None else (part, None, False)
                for (part, _), lab in zip(row, labels, strict=True)
            ]
        else:
            pieces = [(c.text, None, False)]
        if pending is not None and pieces[0][1] is None and c.speaker is None and pieces[0][0].strip():
            pieces[0] = (pieces[0][0], pending.speaker, True)
            out.pop()  # the label-only cue (always the last one out): its label moved on
        pending = None
        if len(pieces) == 1 and pieces[0][1] is None:
            out.append(c)
            continue
        total = sum(len(t) for t, _, _ in pieces) or 1
        done = 0
        for text, speaker, marker in pieces:
            start, end = c.start, c.end
            if c.start is not None and c.end is not None and len(pieces) > 1:
                start = round(c.start + (c.end - c.start) * done / total, 6)
                end = round(c.start + (c.end - c.start) * (done + len(text)) / total, 6)
            done += len(text)
            out.append(Cue(text, start, end, c.line, speaker, marker, c.label, c.flag, c.no_speech_prob))
        if len(pieces) == 1 and not pieces[0][0]:
            # "JOHN:" alone: the words follow in the next cue; if none does, repair reports the empty cue
            pending = out[-1]
    prev: str | None = None
    for c in out:
        if c.speaker is not None:
            c.new_turn = c.new_turn or c.speaker != prev
            prev = c.speaker
    return out
