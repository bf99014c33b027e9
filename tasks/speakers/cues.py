"""Cues in a turn's words: who it addresses, introduces, mentions or hands over to, and whether it
sounds like a host (questions, host and guest phrases, length).

Address cues: a vocative ("Jensen, nice glasses", "Thanks, Brad") says the speaker is *not* the named
person and the next speaker probably is; a third-person mention says the speaker is not the one named; a
self-introduction ("I'm Greg Isenberg", "This is Daniel Whitenack") says the speaker is; "Daniel and I"
says a peer of Daniel speaks (same role, not Daniel); a line-up that closes an opening turn ("...as well
as Jon Calhoun.") hands the word to the last named. Role cues: real questions (tag questions like "isn't
that right?", questions about us ("how do we crank it down?") and questions met only by a back-channel do
not count), host phrases ("welcome to", "let's talk about"), guest phrases ("thanks for having me"), length.
The lead host is whoever introduces themselves or reads the line-up in the opening turns ("Your hosts
today are Carmen Andoh, as well as Jon Calhoun" is read by Carmen); vocatives include "Well, Jon, ..." and
a short first name ("Raj" for Rajiv) unless that is another candidate's name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tasks.speakers.introductions import CHAIR, PRESIDING, RECOGNISED
from tasks.speakers.model import Person, TurnView
from tasks.speakers.params import AttributionParams
from tasks.speakers.people import same_person, slug

# A first name is a name form of its own only when it has at least this many letters (not "Al", "Jo").
MIN_FIRST_NAME_CHARS = 3
# A vocative may shorten a first name of at least this many letters to its first three ("Raj" for Rajiv).
MIN_NICKNAMED_CHARS = 5
NICKNAME_CHARS = 3

TAG_QUESTION = re.compile(
    r"(?:isn't that right|is that right|does that make sense|you know what i'm saying|right|you know|"
    r"okay|ok|yeah|huh|no|correct|you guys understand what i'm saying|do you guys understand)\s*\?",
    re.I,
)
_HOST_PHRASES = re.compile(
    r"\b(?:welcome,? (?:everybody,? |everyone,? |all,? |folks,? )?(?:to|back)|"
    r"thanks? (?:you )?(?:both |all |so much |again )?for (?:being (?:here|with us|on)|joining|coming on)|"
    r"thank you (?:both |all |so much )?for (?:being|joining|coming)|"
    r"(?:honou?red|pleasure|great|glad|happy|excited) to have (?:you|both of you)|"
    r"let's (?:talk|shift|start|get started|dig|turn|move)|tell us|talk to us|my (?:co-?host|guest)|"
    r"our (?:two |three |special |first |next )?guests?|as a reminder|i want to ask|"
    r"my (?:first |next |last )?question|any (?:last|final) (?:words|thoughts)|before we (?:close|wrap|go)|"
    r"until next time|we're coming to the end|in the spirit of time|this is (?:episode|the show)|on this episode)\b",
    re.I,
)
_GUEST_PHRASES = re.compile(
    r"\b(?:thanks for having (?:me|us)|thank you for having (?:me|us)|thanks for inviting (?:me|us)|"
    r"thank you for inviting (?:me|us)|happy to be here|glad to be here|"
    r"nice to be here|great to be here|good to be here|at my company|our customers|we invented|"
    r"when i started)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def real_questions(text: str) -> int:
    """Question marks that ask something: tag questions ("..., right?") do not."""
    return max(0, text.count("?") - len(TAG_QUESTION.findall(text)))


# "How do we crank it down to about a month?": a question about us/me, not to you, is thinking aloud
_SELF_Q = re.compile(r"\b(?:we|we're|us|our|i|i'm|me|my)\b", re.I)
_TO_YOU = re.compile(r"\byou(?:'re|'ve|'d|'ll|r|rs)?\b", re.I)


def asks_listener(question: str) -> bool:
    return real_questions(question) > 0 and (bool(_TO_YOU.search(question)) or not _SELF_Q.search(question))


def ends_with_question(text: str) -> bool:
    sents = [x for x in _SENTENCE_END.split(text.strip()) if x]
    return bool(sents) and sents[-1].endswith("?") and asks_listener(sents[-1])


def host_logodds(text: str, n_words: int, params: AttributionParams, met_by_backchannel: bool = False) -> float:
    """Log-odds that a turn is a host's, from the words alone (questions, phrases, length).

    Weights are set by reasoning about interviews (hosts ask, open and close; guests answer at
    length), not fitted on any evaluation file. A closing question counts as asked of the listener
    unless it is about the speaker ("how do we...?") or the reply is only a back-channel
    (``met_by_backchannel``: "Is it valuable?" "Right."), both signs of a rhetorical question.
    """
    q = real_questions(text)
    sents = [x for x in _SENTENCE_END.split(text.strip()) if x]
    last = sents[-1] if sents else ""
    s = 0.0
    if last.endswith("?") and asks_listener(last) and not met_by_backchannel:
        s += params.closing_question_bonus
    elif q and len(text.split()) < params.short_question_words:
        s += params.short_question_bonus
    # questions in the middle of a long turn are mostly rhetorical ("Does it help people?")
    s += params.per_question_bonus * min(q, params.max_questions_counted)
    if _HOST_PHRASES.search(text):
        s += params.host_phrase_bonus
    if _GUEST_PHRASES.search(text):
        s -= params.guest_phrase_penalty
    if n_words > params.long_turn_words:
        s -= params.long_turn_penalty + params.long_turn_penalty * math.log2(n_words / params.long_turn_words)
    return s


def name_forms(p: Person, ambiguous_first: set[str]) -> list[str]:
    """The ways a person is named: full name, aliases, and the first name unless two candidates share it."""
    forms = [p.name, *p.aliases]
    first = p.name.split()[0]
    if len(p.name.split()) > 1 and first.lower() not in ambiguous_first and len(first) >= MIN_FIRST_NAME_CHARS:
        forms.append(first)
    return sorted({f for f in forms if f}, key=len, reverse=True)


def nicknames(p: Person, people: Sequence[Person]) -> list[str]:
    """A short first name a vocative may use ("Raj" for Rajiv), unless it is another candidate's name."""
    first = p.name.split()[0]
    if len(p.name.split()) < 2 or len(first) < MIN_NICKNAMED_CHARS or not first[0].isupper():
        return []
    nick = first[:NICKNAME_CHARS]
    others = {slug(w) for q in people if q is not p for f in (q.name, *q.aliases) for w in f.split()}
    return [] if slug(nick) in others else [nick]


@dataclass(slots=True)
class Cues:
    """Per turn, the indexes (into the people list) of those each kind of cue names."""

    addressed: list[set[int]]  # persons addressed by vocative
    addressed_end: list[set[int]]  # vocative near the end / in a question: next speaker cue
    mentioned: list[set[int]]  # third-person mentions
    intro: list[set[int]]  # self-introductions
    listed: list[set[int]]  # named in a line-up ("your hosts today are X and Y"): present
    peer: list[set[int]]  # "Daniel and I": the speaker is someone else of the same role


_LINEUP = re.compile(r"\b(?:your|the|our) hosts? (?:today|this week|for (?:today|this episode))? ?(?:is|are)\b", re.I)


def _word_at(text: str, form: str) -> int:
    m = re.search(rf"\b{re.escape(form)}\b", text)
    return m.start() if m else -1


def find_cues(turns: Sequence[TurnView], people: Sequence[Person], params: AttributionParams) -> Cues:
    firsts: dict[str, int] = {}
    for p in people:
        f = p.name.split()[0].lower()
        firsts[f] = firsts.get(f, 0) + 1
    ambiguous = {f for f, n in firsts.items() if n > 1}
    pats = []
    forms = [[f.lower() for f in (*name_forms(p, ambiguous), *nicknames(p, people))] for p in people]
    # "Thank you both, Robert and Rob": a vocative may list several people
    alt_all = "|".join(re.escape(f) for p in people for f in name_forms(p, ambiguous)) or "(?!)"
    for p in people:
        alt = "|".join(re.escape(f) for f in name_forms(p, ambiguous))
        name = rf"(?:{alt})(?:'s)?"
        # vocatives may use a short form of the first name ("Raj" for Rajiv), unless that is
        # another candidate's name ("Rob" beside Rob Pike and Robert Griesemer)
        valt = "|".join(re.escape(f) for f in [*name_forms(p, ambiguous), *nicknames(p, people)])
        voc = re.compile(
            rf"(?:^\s*(?:{valt})\s*[,!?.]|[,]\s*(?:{valt})\s*[.?!]|"
            rf"(?:^|[.!?]\s+)(?:well|so|and|okay|ok|now|but|yeah|oh|alright|all right|look|listen)"
            rf"\s*,?\s+(?:{valt})\s*,|"
            rf"\b(?:thanks|thank you|hey|hi|hello|welcome|good to see you|great to have you)"
            rf"(?: (?:both|all|so much|very much|again|guys))?[,]?\s+(?:(?:{alt_all}),?\s+(?:and\s+)?)?"
            rf"(?:{valt})\b)",
            re.I,
        )
        intro = re.compile(
            rf"\b(?:I'm|I am|this is|my name is|name's|it's)\s+(?:your (?:host|friend|MC),?\s+)?(?:{alt})\b", re.I
        )
        mention = re.compile(rf"\b{name}\b")
        listed = re.compile(
            rf"\b(?:hosts?|co-?hosts?|guests?|joined by|with us|with me)\b[^.?!]{{0,80}}\b(?:{alt})\b", re.I
        )
        peer = re.compile(rf"\b(?:{alt})\s+and\s+(?:I|me|myself)\b|\bme\s+and\s+(?:{alt})\b", re.I)
        pats.append((voc, intro, mention, listed, peer))
    n = len(turns)
    cues = Cues(
        [set() for _ in range(n)],
        [set() for _ in range(n)],
        [set() for _ in range(n)],
        [set() for _ in range(n)],
        [set() for _ in range(n)],
        [set() for _ in range(n)],
    )
    for t, turn in enumerate(turns):
        text = turn.text
        low = text.lower()
        rec = RECOGNISED.search(text)
        chair = bool(CHAIR.search(text))
        listed_end: dict[int, int] = {}
        for k, (voc, intro, mention, listed, peer) in enumerate(pats):
            # every pattern needs one of the person's name forms: a substring test skips most turns
            if not any(f in low for f in forms[k]):
                if chair and people[k].name == PRESIDING:
                    cues.intro[t].add(k)
                continue
            if t < params.lineup_turns and (lineup_matches := list(listed.finditer(text))):
                cues.listed[t].add(k)
                listed_end[k] = lineup_matches[-1].end()
            if people[k].name == PRESIDING and chair:
                cues.intro[t].add(k)
            if rec and same_person(people[k], rec.group(1)):
                cues.addressed_end[t].add(k)
            vm = list(voc.finditer(text))
            im = intro.search(text)
            if im:
                cues.intro[t].add(k)
            if vm:
                cues.addressed[t].add(k)
                last = vm[-1].end()
                if len(text) - last < params.vocative_tail_chars or "?" in text[last:]:
                    cues.addressed_end[t].add(k)
            elif not im and mention.search(text):
                cues.mentioned[t].add(k)
            if not im and peer.search(text):
                cues.peer[t].add(k)
        # "Your hosts today are Carmen Andoh, as well as Jon Calhoun": whoever reads the line-up
        # names themselves first, so the first host named is the speaker, not merely mentioned
        lineup = _LINEUP.search(text) if t < params.opening_turns else None
        if lineup:
            rest = low[lineup.end() : lineup.end() + params.lineup_span_chars]
            pos = {k: min((i for f in forms[k] if (i := _word_at(rest, f)) >= 0), default=-1) for k in range(len(pats))}
            named = sorted((i, k) for k, i in pos.items() if i >= 0 and people[k].role == "host")
            if named:
                k = named[0][1]
                cues.intro[t].add(k)
                cues.mentioned[t].discard(k)
        # "...as well as Jon Calhoun." closing an opening turn hands the last person named the word
        handed = [(e, k) for k, e in listed_end.items() if k not in cues.intro[t]]
        if t < params.opening_turns and handed and not re.search(r"\w", text[max(handed)[0] :]):
            cues.addressed_end[t].add(max(handed)[1])
    return cues
