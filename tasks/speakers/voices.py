"""One voice or several: what a text that marks no change of speaker says about how many people speak it.

A page with no markers is one turn. It is either one voice (a lecture, a sermon, a narration, a
tutorial) or a conversation whose changes the page dropped (a Whisper page of an interview). The two
read differently: a conversation has back-channels as sentences of their own ("Yeah." "Exactly."), a
question answered by the next sentence ("...do you think? Yeah, so..."), a guest's thanks ("thanks for
having me") and first names said to someone (", Tim,"). `several_voices` turns the rates of these (per
thousand words) into a probability by a logistic model whose weights ``bench/one_voice.py`` fits on
real pages with known speaker counts and judges leave-one-show-out (``tasks/params/voices.json``).

What follows from the answer is in `attribute_one_turn`: one voice is one speaker, named only by what the
voice says of itself (a self-introduction in its opening words) or by the one candidate there is, and a host
only where it runs the show ("welcome to", "in this video"); several voices get no speaker at all, since
the page does not say where one stops and the next begins (splitting is measured in
``bench/boundaries.py`` and not yet good enough to apply).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

from tasks.first_names import is_first_name
from tasks.formats.codes import UNMARKED_DIALOGUE
from tasks.model import Finding
from tasks.params import ParamSet, param
from tasks.speakers.introductions import introductions, same_speaker
from tasks.speakers.model import Attribution, Person, TurnView
from tasks.speakers.params import AttributionParams
from tasks.speakers.people import slug

_SENTENCE = re.compile(r"[^.?!]+[.?!]+")
# A sentence that is only an acknowledgement; "okay" and "cool" are left out: a narrator says "Okay, cool."
# to move on ("Okay, cool. So first thing I'm going to do...").
_ACK = (
    r"(?:yeah|yes|yep|yup|right|exactly|absolutely|sure|mm-hmm|mhm|uh-huh|totally|wow|interesting|true|correct"
    r"|definitely|gotcha|nice|for sure|of course|indeed|agreed)"
)
_BACKCHANNEL = re.compile(rf"^{_ACK}(?:[, ]+{_ACK})*[.?!]+$", re.IGNORECASE)
_ANSWER_OPENING = re.compile(r"^(?:yeah|yes|no|well|i think|i mean|oh|absolutely|sure|totally|exactly)\b", re.I)
_GUEST_THANKS = re.compile(
    r"\bthanks? (?:you )?(?:so much |very much )?for (?:having me|having us|inviting me|the invite)"
    r"|\b(?:great|good|fantastic|excellent) question\b"
    r"|\b(?:glad|great|good|happy|excited) to be (?:here|on the show|back)\b",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(r"(?:, |^)([A-Z][a-z]{2,})[.?!,]")
_WORD = re.compile(r"\S+")
# Words by which a single voice says it runs what is heard.
_RUNS_THE_SHOW = re.compile(
    r"\b(?:welcome (?:back )?to|in (?:this|today's) (?:video|episode)|subscribe|my channel|this channel|"
    r"i'm your host|(?:today|this week),? (?:we're|we are|i'm|i am) going to)\b",
    re.IGNORECASE,
)

# A sign-off ("subscribe to the channel", "welcome to the next one") is in a talk's last few hundred words.
_CLOSING_CHARS = 2000

FEATURES = ("backchannels", "answered_questions", "guest_thanks", "vocatives")


@dataclass(frozen=True, slots=True)
class VoiceParams(ParamSet):
    FILE: ClassVar[str] = "voices"

    weights: tuple[float, ...] = param("logistic weights of log(1 + rate per 1000 words), in FEATURES order")
    intercept: float = param("logistic intercept: the log-odds of several voices when no feature is seen")
    several_from: float = param("a one-turn text is read as several voices from this probability on")
    opening_words: int = param("words at the start of a one-voice text searched for its self-introduction")


def voice_features(text: str) -> dict[str, float]:
    """The rates, per thousand words, of what marks a conversation (FEATURES)."""
    n_words = max(1, len(_WORD.findall(text)))
    sentences = [s.strip() for s in _SENTENCE.findall(" ".join(text.split()))]
    counts = {
        "backchannels": sum(1 for s in sentences if len(s.split()) <= 4 and _BACKCHANNEL.match(s)),
        "answered_questions": sum(1 for a, b in pairwise(sentences) if a.endswith("?") and _ANSWER_OPENING.match(b)),
        "guest_thanks": len(_GUEST_THANKS.findall(text)),
        "vocatives": sum(1 for m in _VOCATIVE.finditer(text) if is_first_name(m.group(1))),
    }
    return {k: 1000.0 * counts[k] / n_words for k in FEATURES}


def several_voices(text: str, params: VoiceParams | None = None) -> float:
    """P(the text is spoken by more than one person), from its conversation marks."""
    params = params or VoiceParams.shipped()
    features = voice_features(text)
    z = params.intercept + sum(w * math.log1p(features[k]) for w, k in zip(params.weights, FEATURES, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def runs_the_show(text: str) -> bool:
    """Whether a single voice says it runs what is heard ("welcome to", "in this video", "subscribe")."""
    return bool(_RUNS_THE_SHOW.search(text))


def attribute_one_turn(
    turn: TurnView,
    people: Sequence[Person],
    show: str | None,
    params: AttributionParams,
    voices: VoiceParams,
) -> tuple[Attribution, tuple[Finding, ...]]:
    """The attribution of a text that is one unlabelled turn, and the finding that comes with it.

    Several voices: no speaker (the page does not say who says what), and an ``unmarked_dialogue``
    warning. One voice: one speaker, at the confidence that the text is one voice. Its name is what the
    voice calls itself in its opening words, else the one candidate there is (the title's or the show's
    only known person), else none (``S1``); a name the text merely mentions or quotes is no evidence that
    its bearer speaks. Its role is a host where it runs the show ("welcome to", "in this video") or is a
    known host, the candidate's role where there is one, else ``unknown``: a lecture's speaker is not a
    guest of anyone, and a coin toss is no answer.
    """
    p_several = several_voices(turn.text, voices)
    if p_several >= voices.several_from:
        finding = Finding(
            UNMARKED_DIALOGUE,
            "warning",
            f"the text reads as several voices (probability {p_several:.2f}) but marks no change of speaker; "
            "the text is one turn with no speaker",
            "turn 0",
        )
        return Attribution(None, None, "unknown", "unknown", 0.0), (finding,)
    confidence = round(1.0 - p_several, 4)
    opening = " ".join(turn.text.split()[: voices.opening_words])
    opening_turn = TurnView(opening, len(opening.split()), None, False)
    selves = [i.name for i in introductions([opening_turn], show, params) if i.kind == "self"]
    person = next((p for p in people for name in selves if same_speaker(p.name, name)), None)
    if person is None and selves:
        person = Person(selves[0], "host")
    if person is None and len(people) == 1:
        person = people[0]
    hosting = runs_the_show(opening) or runs_the_show(turn.text[-_CLOSING_CHARS:])
    if person is None:
        return Attribution("S1", None, "host" if hosting else "unknown", "inferred", confidence), ()
    role = "host" if hosting or person.role == "host" else person.role
    return Attribution(slug(person.name), person.name, role, "inferred", confidence), ()
