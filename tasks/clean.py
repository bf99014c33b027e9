"""Text normalisers and the recognisers for what is not speech: turn markers and non-speech tags.

Each normaliser is a small pure `str -> str` function; `normalise` composes them. Every one is
idempotent, so cleaning clean text changes nothing (a property test holds us to it). Mojibake is
repaired earlier, at decoding (tasks.decode), where the repair is recorded as a finding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

Normaliser = Callable[[str], str]


def to_nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


_SPACES = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


NORMALISERS: tuple[tuple[str, Normaliser], ...] = (
    ("nfc", to_nfc),
    ("strip_controls", strip_controls),
    ("collapse_whitespace", collapse_whitespace),
)


def normalise(text: str) -> str:
    for _, normaliser in NORMALISERS:
        text = normaliser(text)
    return text


# A turn marker is a dash (Rev captioning convention) or ">>" that stands alone after whitespace at
# the start of a turn. A dash glued to a word (`but-`, `flywheel--`) ends a cut-off word instead.
# A marker can also end a paragraph ("... glasses. -"), its turn's words starting the next one.
TURN_MARKER = re.compile(r"(?:^|(?<=\s))(?:-|>>)(?:\s+(?=\S)|\s*$)")

_NON_SPEECH_WORDS = {
    "laughter": r"laugh\w*|chuckl\w*|giggl\w*",
    "music": r"music\w*|jingle|theme|song",
    "applause": r"applau\w*|clap\w*|cheer\w*",
    "crosstalk": r"cross[- ]?talk|overlapping|talking over|side conversation|audience chatter|chatter",
    "inaudible": r"inaudible|indistinct|unintelligible|unclear|garbled",
    "silence": r"silence|pause|no speech",
    "noise": r"noise|cough\w*|sigh\w*|static|beep\w*|sniff\w*|bell|phone ring\w*|background",
}
_KIND_PATTERNS = [(kind, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for kind, words in _NON_SPEECH_WORDS.items()]
_ANY_NON_SPEECH = re.compile("|".join(rf"\b(?:{w})\b" for w in _NON_SPEECH_WORDS.values()), re.IGNORECASE)
# Tags are short: (laughing), (upbeat music), [Music], [Audience chatter], <MUSIC>, ♪ ♪.
_TAG = re.compile(r"\([^()\n]{1,40}\)|\[[^\[\]\n]{1,40}\]|<[A-Z][A-Z ]{1,38}>|♪[^♪\n]{0,60}♪|♪")


@dataclass(frozen=True, slots=True)
class NonSpeech:
    kind: str
    surface: str
    start: int
    end: int


def non_speech_tags(text: str) -> list[NonSpeech]:
    """Tags in `text` that describe sound rather than speech, with their spans.

    A bracketed aside that is speech (`(NASB95)`, `[sic]`, `[inaudible 00:01]` is kept as
    inaudible) stays in the text unless its words name a sound; upper-case bracket tags such as
    `[SIDE CONVERSATION]` or `<MUSIC>` always count.
    """
    tags: list[NonSpeech] = []
    for match in _TAG.finditer(text):
        surface = match.group(0)
        inner = surface.strip("()[]<>♪ ")
        if surface.startswith("♪"):
            kind = "music"
        elif _ANY_NON_SPEECH.search(inner):
            kind = next(k for k, pattern in _KIND_PATTERNS if pattern.search(inner))
        elif inner.isupper() and (surface[0] in "[<"):
            kind = "other"
        else:
            continue
        tags.append(NonSpeech(kind, surface, match.start(), match.end()))
    return tags
