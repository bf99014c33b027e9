"""Speaker attribution: who says each turn, with a calibrated confidence.

Two paths:

* **labelled** files (the reader gave a raw label for turns): labels are normalised to one speaker
  per person (``JENSEN HUANG``, ``Jensen Huang``, ``Jensen`` are one), mapped to the people list
  where they match, attribution ``labelled`` and confidence 1.0. Roles come from the people list,
  else from the text (``my co-host, X``; who opens the show; who asks the questions).
* **unlabelled** files whose turns are separated by markers (``- ``, ``>>``): a sequence model over
  turns. Hidden state = (current speaker, previous other speaker) so that a conversation that
  returns to the last interlocutor (A B A B, the host who asked gets the follow-up) is cheap and a
  third voice needs evidence. Emissions combine

  - address cues: a vocative ("Jensen, nice glasses", "Thanks, Brad") says the speaker is *not*
    the named person and the next speaker probably is; a third-person mention says the speaker is
    not the one named; a self-introduction ("I'm Greg Isenberg", "This is Daniel Whitenack") says
    the speaker is; "Daniel and I" says a peer of Daniel speaks (same role, not Daniel); a line-up
    that closes an opening turn ("...as well as Jon Calhoun.") hands the word to the last named;
  - role cues: real questions (tag questions like "isn't that right?", questions about us ("how do
    we crank it down?") and questions met only by a back-channel do not count), host phrases
    ("welcome to", "let's talk about"), guest phrases ("thanks for having me"), turn length;
  - transitions: markers mean a change of speaker; a back-channel belongs to the listener, so the
    speaker changes into it and usually changes back after it; the answer comes from the addressee,
    so after a host's turn that ends on a real question a change to the other host is
    ``QUESTION_SAME_ROLE`` times less likely (two co-hosts otherwise pass questions back and forth);
  - the lead host is whoever introduces themselves or reads the line-up in the opening turns ("Your
    hosts today are Carmen Andoh, as well as Jon Calhoun" is read by Carmen), not the first in the
    people list; vocatives include "Well, Jon, ..." and a short first name ("Raj" for Rajiv) unless
    that is another candidate's name;
  - per-speaker profiles, re-estimated from the current soft assignment (EM, ``EM_ITERATIONS``
    rounds of forward-backward, averaged over the profile weights ``LEX_WEIGHTS`` x
    ``LEN_WEIGHTS``): a smoothed word profile (a voice keeps its words over non-adjacent turns:
    "we/our" + company names for the guest, "you" for a host; scored without the turn itself so a
    long turn cannot vouch for itself) and a log-length profile (the guest's
    answers run long). These carry identity between two hosts or two guests where no name is said.

  Marginal posteriors come from (scaled) forward-backward; the chosen speaker's posterior is mapped
  to a calibrated probability by Platt scaling ``sigmoid(a * (logit(p) + c * log(m - 1)) + b)``, the
  posterior read (partly, ``c = CHANCE_WEIGHT``) against chance among the ``m`` speakers considered
  (0.4 is a clear lead among four, a loss between two). The hyper-parameters ``RETURN_P`` and
  ``QUESTION_SAME_ROLE`` are picked from a small grid and ``CALIBRATION``
  fitted by ``bench/eval_speakers.py --fit`` on the labelled corpus files; the bench reports
  leave-one-file-out figures for those files and scores the hand-labelled reference turns as a test
  set that is never used for choosing or fitting. A turn whose calibrated confidence is below
  ``UNKNOWN_BELOW`` gets ``speaker_id=None`` (attribution ``unknown``) rather than a low guess; its
  role is still given when the role posterior is clear.

Candidates come from the episode header (``Guest | Show w/ Host & Host``), the show's regulars in
``seeds/reference/people.csv`` and introductions in the text. Candidates without any evidence of
speaking (never addressed, never introduced) are dropped, keeping at least one host and one guest,
so a listed host who is absent (Bill Gurley in BG2 Ep17) does not soak up turns; being named in a
line-up ("your hosts today are X and Y") counts as evidence. People who introduce themselves in the
first turns are hosts (guests get introduced); a chair's "recognizes the gentlewoman from Florida
(Ms. X)" adds the presiding officer and X.

Deterministic; standard library and numpy. About 0.13 s for the reference page's 465 turns
(``timing`` in bench/results/eval_speakers.json).
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tasks.enrich import is_backchannel

ROLES = ("host", "guest", "other")

# Platt scaling (a, b) fitted on the calibration split; see module docstring.
CALIBRATION: tuple[float, float] = (2.0651, -0.2493)
UNKNOWN_BELOW = 0.35
# how far the calibration reads a posterior against chance among the speakers (0 = raw, 1 = fully)
CHANCE_WEIGHT = 0.5
ROLE_UNKNOWN_BELOW = 0.6
# return-to-interlocutor probability
RETURN_P = 0.75
# the word and length profiles' weights: EM from one weight lands in different local optima as the
# weight moves a little (name accuracy on a four-speaker file swung from 67% to 79%), so the posterior
# is the average over these weights rather than a bet on one of them
LEX_WEIGHTS: tuple[float, ...] = (0.15, 0.3)
LEN_WEIGHTS: tuple[float, ...] = (0.25, 0.5)
LEX_PRIOR = 200.0
LEX_CAP = 6.0
EM_ITERATIONS = 4
# a third-person mention says the speaker is not the one named
MENTION_PENALTY = 1.5
OPENER_TOKENS = 3
# after a host's real question, a change to the other host is this much less likely
QUESTION_SAME_ROLE = 0.3
# "Daniel and I have been fans": the speaker is a peer of the one named (who is not the speaker)
PEER_BONUS = 1.0


@dataclass(frozen=True, slots=True)
class TurnView:
    text: str
    n_words: int
    label: str | None
    is_backchannel: bool


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker_id: str | None
    name: str | None
    role: str
    attribution: str
    confidence: float


# ---------------------------------------------------------------- names


def slug(name: str) -> str:
    """`Jensen Huang` -> `jensen-huang` (accents folded, punctuation dropped)."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def normalise_show(show: str) -> str:
    """Show names compare without case, punctuation or a leading 'The'/trailing 'Podcast'."""
    s = slug(show).replace("-", "")
    s = re.sub(r"^the", "", s)
    return s


_TITLES = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|sen|senator|rep|the honorable)\.?\s+", re.I)


def _label_key(label: str) -> str:
    s = " ".join(label.replace("*", " ").split()).strip(" :.")
    s = _TITLES.sub("", s)
    return slug(s)


def person_key(name: str) -> str:
    """One key per person however the header writes them: `Dr. Andrew Huberman` -> `andrew-huberman`."""
    return _label_key(name)


def load_people(reference_dir: Path) -> dict[str, list[Person]]:
    """Read ``people.csv`` (show, name, role, aliases) from ``reference_dir``; '#' lines are comments.

    Returns normalised show name -> its regular people, in file order. A missing file gives ``{}``.
    """
    path = Path(reference_dir) / "people.csv"
    if not path.is_file():
        return {}
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    out: dict[str, list[Person]] = {}
    for row in csv.DictReader(lines):
        show, name = (row.get("show") or "").strip(), (row.get("name") or "").strip()
        if not show or not name:
            continue
        role = (row.get("role") or "other").strip().lower()
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        out.setdefault(normalise_show(show), []).append(Person(name, role if role in ROLES else "other", aliases))
    return out


_TITLE_GUEST = [
    re.compile(
        r"\b(?:interviews|with|welcome|welcomes|ft\.?|feat\.?|featuring)\s+([A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){1,2})"
    ),
]
_TITLE_HOST = re.compile(r"^\s*([A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){1,2})\s+interviews\b")


def _same_person(a: Person | str, b: Person | str) -> bool:
    na = {person_key(x) for x in ((a.name, *a.aliases) if isinstance(a, Person) else (a,))}
    nb = {person_key(x) for x in ((b.name, *b.aliases) if isinstance(b, Person) else (b,))}
    return bool(na & nb)


def candidates(
    title: str | None,
    show: str | None,
    hosts: list[str],
    guests: list[str],
    people_by_show: dict[str, list[Person]],
    named: Sequence[str] = (),
) -> list[Person]:
    """People who may speak in the episode: header hosts, the show's regulars, header/title guests.

    Order matters (earlier = preferred when evidence is equal): header hosts, show regulars,
    then guests. Duplicates (same slug or alias) are merged, keeping the people list's aliases.
    ``named`` are people the header names without saying who hosts (`Rick Rubin & Dr. Andrew
    Huberman`): a host of the episode's show (of any show in people.csv when the show is not known)
    is a host, the others guests.
    """
    regulars: list[Person] = []
    if show:
        regulars = list(people_by_show.get(normalise_show(show), []))
    elif title:
        nt = normalise_show(title)
        for key, ppl in people_by_show.items():
            if key and key in nt:
                regulars = list(ppl)
                break
    out: list[Person] = []

    def add(p: Person) -> None:
        for i, q in enumerate(out):
            if _same_person(p, q):
                if not q.aliases and p.aliases:
                    out[i] = Person(q.name, q.role, p.aliases)
                return
        out.append(p)

    def regular(name: str) -> Person | None:
        return next((p for p in regulars if _same_person(p, name)), None)

    title_hosts: list[str] = []
    title_guests: list[str] = []
    if title:
        m = _TITLE_HOST.search(title)
        if m:
            title_hosts.append(m.group(1))
        for rx in _TITLE_GUEST:
            title_guests += [g for g in rx.findall(title) if not any(_same_person(g, h) for h in title_hosts)]
    # a named person hosts if they host this show; with no show known, if they host any show we know
    known_hosts = (
        [p for p in regulars if p.role == "host"]
        if regulars
        else [p for ppl in people_by_show.values() for p in ppl if p.role == "host"]
    )
    named_hosts: list[Person] = []
    for name in named:
        host = next((p for p in known_hosts if _same_person(p, name)), None)
        if host is not None:
            named_hosts.append(host)
        else:
            guests = [*guests, name]
    for h in [*hosts, *title_hosts]:
        r = regular(h)
        add(Person(r.name, "host", r.aliases) if r else Person(h.strip(), "host"))
    for host in named_hosts:
        add(Person(host.name, "host", host.aliases))
    for p in regulars:
        add(p)
    for g in [*guests, *title_guests]:
        r = regular(g)
        add(r if r else Person(g.strip(), "guest"))
    return out


# ---------------------------------------------------------------- text cues

_TAG_Q = re.compile(
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
_INTRO = re.compile(r"\b(?:I'm|I am|this is|my name is|name's)\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)")
_NOT_NAMES = {
    "the",
    "a",
    "so",
    "not",
    "just",
    "very",
    "really",
    "here",
    "going",
    "sure",
    "glad",
    "happy",
    "talk",
    "python",
    "episode",
    "an",
    "it",
    "what",
    "that",
    "your",
}


def _real_questions(text: str) -> int:
    return max(0, text.count("?") - len(_TAG_Q.findall(text)))


# "How do we crank it down to about a month?": a question about us/me, not to you, is thinking aloud
_SELF_Q = re.compile(r"\b(?:we|we're|us|our|i|i'm|me|my)\b", re.I)
_TO_YOU = re.compile(r"\byou(?:'re|'ve|'d|'ll|r|rs)?\b", re.I)


def _asks_listener(question: str) -> bool:
    return _real_questions(question) > 0 and (bool(_TO_YOU.search(question)) or not _SELF_Q.search(question))


def _ends_with_question(text: str) -> bool:
    sents = [x for x in re.split(r"(?<=[.!?])\s+", text.strip()) if x]
    return bool(sents) and sents[-1].endswith("?") and _asks_listener(sents[-1])


def host_logodds(text: str, n_words: int, met_by_backchannel: bool = False) -> float:
    """Log-odds that a turn is a host's, from the words alone (questions, phrases, length).

    Weights are set by reasoning about interviews (hosts ask, open and close; guests answer at
    length), not fitted on any evaluation file. A closing question counts as asked of the listener
    unless it is about the speaker ("how do we...?") or the reply is only a back-channel
    (``met_by_backchannel``: "Is it valuable?" "Right."), both signs of a rhetorical question.
    """
    q = _real_questions(text)
    sents = [x for x in re.split(r"(?<=[.!?])\s+", text.strip()) if x]
    last = sents[-1] if sents else ""
    s = 0.0
    if last.endswith("?") and _asks_listener(last) and not met_by_backchannel:
        s += 1.5
    elif q and len(text.split()) < 40:
        s += 1.0
    # questions in the middle of a long turn are mostly rhetorical ("Does it help people?")
    s += 0.2 * min(q, 3)
    if _HOST_PHRASES.search(text):
        s += 1.5
    if _GUEST_PHRASES.search(text):
        s -= 1.5
    if n_words > 60:
        s -= 0.5 + 0.5 * math.log2(n_words / 60)
    return s


def _name_forms(p: Person, ambiguous_first: set[str]) -> list[str]:
    forms = [p.name, *p.aliases]
    first = p.name.split()[0]
    if len(p.name.split()) > 1 and first.lower() not in ambiguous_first and len(first) > 2:
        forms.append(first)
    return sorted({f for f in forms if f}, key=len, reverse=True)


def _nicknames(p: Person, people: Sequence[Person]) -> list[str]:
    first = p.name.split()[0]
    if len(p.name.split()) < 2 or len(first) < 5 or not first[0].isupper():
        return []
    nick = first[:3]
    others = {slug(w) for q in people if q is not p for f in (q.name, *q.aliases) for w in f.split()}
    return [] if slug(nick) in others else [nick]


@dataclass(slots=True)
class _Cues:
    addressed: list[set[int]]  # per turn: persons addressed by vocative
    addressed_end: list[set[int]]  # vocative near the end / in a question: next speaker cue
    mentioned: list[set[int]]  # third-person mentions
    intro: list[set[int]]  # self-introductions
    listed: list[set[int]]  # named in a line-up ("your hosts today are X and Y"): present
    peer: list[set[int]]  # "Daniel and I": the speaker is someone else of the same role


def _cues(turns: Sequence[TurnView], people: Sequence[Person]) -> _Cues:
    firsts: dict[str, int] = {}
    for p in people:
        f = p.name.split()[0].lower()
        firsts[f] = firsts.get(f, 0) + 1
    ambiguous = {f for f, n in firsts.items() if n > 1}
    pats = []
    forms = [[f.lower() for f in (*_name_forms(p, ambiguous), *_nicknames(p, people))] for p in people]
    # "Thank you both, Robert and Rob": a vocative may list several people
    alt_all = "|".join(re.escape(f) for p in people for f in _name_forms(p, ambiguous)) or "(?!)"
    for p in people:
        alt = "|".join(re.escape(f) for f in _name_forms(p, ambiguous))
        name = rf"(?:{alt})(?:'s)?"
        # vocatives may use a short form of the first name ("Raj" for Rajiv), unless that is
        # another candidate's name ("Rob" beside Rob Pike and Robert Griesemer)
        valt = "|".join(re.escape(f) for f in [*_name_forms(p, ambiguous), *_nicknames(p, people)])
        voc = re.compile(
            rf"(?:^\s*(?:{valt})\s*[,!?.]|[,]\s*(?:{valt})\s*[.?!]|"
            rf"(?:^|[.!?]\s+)(?:well|so|and|okay|ok|now|but|yeah|oh|alright|all right|look|listen)"
            rf"\s*,?\s+(?:{valt})\s*,|"
            rf"\b(?:thanks|thank you|hey|hi|hello|welcome|good to see you|great to have you)"
            rf"(?: (?:both|all|so much|very much|again|guys))?[,]?\s+(?:(?:{alt_all}),?\s+(?:and\s+)?)?"
            rf"(?:{valt})\b)",
            re.I,
        )
        intro = re.compile(rf"\b(?:I'm|I am|this is|my name is|name's|it's)\s+(?:{alt})\b", re.I)
        mention = re.compile(rf"\b{name}\b")
        listed = re.compile(
            rf"\b(?:hosts?|co-?hosts?|guests?|joined by|with us|with me)\b[^.?!]{{0,80}}\b(?:{alt})\b", re.I
        )
        peer = re.compile(rf"\b(?:{alt})\s+and\s+(?:I|me|myself)\b|\bme\s+and\s+(?:{alt})\b", re.I)
        pats.append((voc, intro, mention, listed, peer))
    n = len(turns)
    cues = _Cues(
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
        rec = _RECOGNISED.search(text)
        chair = bool(_CHAIR.search(text))
        listed_end: dict[int, int] = {}
        for k, (voc, intro, mention, listed, peer) in enumerate(pats):
            # every pattern needs one of the person's name forms: a substring test skips most turns
            if not any(f in low for f in forms[k]):
                if chair and people[k].name == PRESIDING:
                    cues.intro[t].add(k)
                continue
            if t < 20 and (lm := list(listed.finditer(text))):
                cues.listed[t].add(k)
                listed_end[k] = lm[-1].end()
            if people[k].name == PRESIDING and chair:
                cues.intro[t].add(k)
            if rec and _same_person(people[k], rec.group(1)):
                cues.addressed_end[t].add(k)
            vm = list(voc.finditer(text))
            im = intro.search(text)
            if im:
                cues.intro[t].add(k)
            if vm:
                cues.addressed[t].add(k)
                last = vm[-1].end()
                if len(text) - last < 120 or "?" in text[last:]:
                    cues.addressed_end[t].add(k)
            elif not im and mention.search(text):
                cues.mentioned[t].add(k)
            if not im and peer.search(text):
                cues.peer[t].add(k)
        # "Your hosts today are Carmen Andoh, as well as Jon Calhoun": whoever reads the line-up
        # names themselves first, so the first host named is the speaker, not merely mentioned
        lm = _LINEUP.search(text) if t < 3 else None
        if lm:
            rest = low[lm.end() : lm.end() + 120]
            pos = {k: min((i for f in forms[k] if (i := _word_at(rest, f)) >= 0), default=-1) for k in range(len(pats))}
            named = sorted((i, k) for k, i in pos.items() if i >= 0 and people[k].role == "host")
            if named:
                k = named[0][1]
                cues.intro[t].add(k)
                cues.mentioned[t].discard(k)
        # "...as well as Jon Calhoun." closing an opening turn hands the last person named the word
        handed = [(e, k) for k, e in listed_end.items() if k not in cues.intro[t]]
        if t < 3 and handed and not re.search(r"\w", text[max(handed)[0] :]):
            cues.addressed_end[t].add(max(handed)[1])
    return cues


_LINEUP = re.compile(r"\b(?:your|the|our) hosts? (?:today|this week|for (?:today|this episode))? ?(?:is|are)\b", re.I)


def _word_at(text: str, form: str) -> int:
    m = re.search(rf"\b{re.escape(form)}\b", text)
    return m.start() if m else -1


# the Congressional Record's chair hands the floor by name: "The Chair recognizes the gentlewoman
# from Florida (Ms. Wasserman Schultz) for 5 minutes."
_CHAIR = re.compile(r"\bThe Chair (?:now )?recognizes\b")
_RECOGNISED = re.compile(
    r"\bThe Chair (?:now )?recognizes the (?:gentle(?:wo)?man|[Ss]enator|Member|Delegate)[^()]{0,60}"
    r"\((?:Mr|Ms|Mrs|Miss|Dr)\.\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})\)"
)
PRESIDING = "The Speaker pro tempore"


def _text_people(turns: Sequence[TurnView], people: Sequence[Person]) -> list[Person]:
    """People who introduce themselves in the opening turns, or whom a chair recognises, and who
    are not in the list yet."""
    found: list[Person] = []
    for turn in turns[:20]:
        for m in _RECOGNISED.finditer(turn.text):
            for name, role in ((PRESIDING, "other"), (m.group(1), "guest")):
                if not any(_same_person(p, name) for p in [*people, *found]):
                    found.append(Person(name, role))
    for t, turn in enumerate(turns[:12]):
        for m in _INTRO.finditer(turn.text):
            name = m.group(1)
            parts = name.split()
            if len(parts) < 2 or any(w.lower() in _NOT_NAMES for w in parts):
                continue
            if any(_same_person(p, name) for p in [*people, *found]):
                continue
            if any(slug(p.name.split()[0]) == slug(parts[0]) for p in people):
                continue
            # introducing yourself at the very start is what a show's hosts do (guests get introduced)
            found.append(Person(name, "host" if t < 3 else "other"))
    return found


# ---------------------------------------------------------------- labelled path


_GENERIC = re.compile(r"^(?:speaker|spk|voice|participant|unknown)[\s_-]*(\d+|[a-z])?$", re.I)


def _labelled(turns: Sequence[TurnView], people: Sequence[Person]) -> list[Attribution]:
    keys: list[str | None] = [(_label_key(t.label) if t.label else None) for t in turns]
    raw: dict[str, str] = {}
    for t, k in zip(turns, keys, strict=True):
        if k and k not in raw:
            raw[k] = " ".join(t.label.split()).strip(" :.*") if t.label else k
    # merge labels that name the same person: a person-list match, or a label whose words are a
    # prefix/subset of a longer label's ("Jensen" -> "Jensen Huang")
    canon: dict[str, tuple[str, str | None, str | None]] = {}  # key -> (speaker_id, name, person role)
    for k, lab in raw.items():
        if _GENERIC.match(lab.replace("*", "").strip()):
            canon[k] = (k, None, None)
            continue
        p = next((p for p in people if any(_label_key(f) == k for f in (p.name, *p.aliases))), None)
        if p is None:
            words = set(k.split("-"))
            p = next((p for p in people if words and words <= set(slug(p.name).split("-"))), None)
        if p is not None:
            canon[k] = (slug(p.name), p.name, p.role)
            continue
        longer = [
            k2 for k2 in raw if k2 != k and set(k.split("-")) < set(k2.split("-")) and not _GENERIC.match(raw[k2])
        ]
        if len(longer) == 1:
            canon[k] = (longer[0], None, None)
        else:
            canon[k] = (k, None, None)
    names: dict[str, str | None] = {}
    for k, (sid, name, _r) in canon.items():
        if sid == k or name:
            names[sid] = name or _display(raw.get(sid, raw[k]))
    for k, (sid, _n, _r) in canon.items():
        if sid not in names:
            names[sid] = _display(raw.get(sid, raw[k]))
        if _GENERIC.match(raw.get(sid, "") or ""):
            names[sid] = None
    # resolve chains (a label merged into a longer label that itself maps to a person)
    for k, (sid, name, role) in list(canon.items()):
        if sid in canon and canon[sid][0] != sid:
            canon[k] = canon[sid]
        elif sid in canon and sid != k:
            canon[k] = (canon[sid][0], canon[sid][1] or name, canon[sid][2] or role)
    sids: list[str | None] = []
    cur: str | None = None
    for k in keys:
        if k is not None:
            cur = canon[k][0]
        sids.append(cur)
    roles = _labelled_roles(turns, sids, {canon[k][0]: canon[k][2] for k in canon}, people, names)
    out: list[Attribution] = []
    for t, (k, sid) in enumerate(zip(keys, sids, strict=True)):
        if sid is None:
            out.append(Attribution(None, None, "unknown", "unknown", 0.0))
            continue
        name = names.get(sid)
        conf = 1.0 if k is not None else _continuation_confidence(turns[t])
        out.append(Attribution(sid, name, roles.get(sid, "unknown"), "labelled" if k is not None else "inferred", conf))
    return out


def _continuation_confidence(turn: TurnView) -> float:
    # an unlabelled paragraph in a labelled file usually continues the last label (changelog style)
    return 0.6 if turn.is_backchannel else 0.85


def _display(label: str) -> str:
    s = " ".join(label.split()).strip(" :.*")
    s = _TITLES.sub("", s)
    if s.isupper() or s.islower():
        s = " ".join(w.capitalize() for w in s.split())
    return s


def _labelled_roles(
    turns: Sequence[TurnView],
    sids: Sequence[str | None],
    known: dict[str, str | None],
    people: Sequence[Person],
    names: dict[str, str | None],
) -> dict[str, str]:
    roles: dict[str, str] = {sid: r for sid, r in known.items() if r}
    speakers = list(dict.fromkeys(s for s in sids if s))
    if all(s in roles for s in speakers):
        return roles
    # text cues: "my co-host, Chris Benson", "our guest X"
    joined = " ".join(t.text for t in turns[:40])
    for sid in speakers:
        name = names.get(sid)
        if sid in roles or not name:
            continue
        first = re.escape(name.split()[0])
        if re.search(rf"co-?hosts?,?\s+(?:is\s+)?{first}\b|hosts? today (?:is|are)[^.]*\b{first}\b", joined, re.I):
            roles[sid] = "host"
        elif re.search(rf"\bguests?\b[^.]{{0,80}}\b{first}\b", joined, re.I):
            roles[sid] = "guest"
    if "speaker-pro-tempore" in " ".join(speakers) or any("speaker" in s and "pro" in s for s in speakers):
        for s in speakers:
            if "pro-tempore" in s:
                roles.setdefault(s, "other")
    # who asks: the speaker with the highest host score per turn; the opener counts as a host
    score: dict[str, float] = {s: 0.0 for s in speakers}
    count: dict[str, int] = {s: 0 for s in speakers}
    for t, sid in zip(turns, sids, strict=True):
        if sid:
            score[sid] += host_logodds(t.text, t.n_words)
            count[sid] += 1
    mean = {s: score[s] / max(count[s], 1) for s in speakers}
    opener = next((s for t, s in zip(turns, sids, strict=True) if s and not t.is_backchannel), None)
    has_host = any(r == "host" for r in roles.values())
    ranked = sorted((s for s in speakers if s not in roles), key=lambda s: -mean[s])
    for s in ranked:
        if not has_host and (s == opener or s == ranked[0]):
            roles[s] = "host"
            has_host = True
        else:
            roles[s] = "guest" if len(speakers) > 1 else "host"
    return roles


# ---------------------------------------------------------------- unlabelled path


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def calibrate(p: float, params: tuple[float, float] | None = None, n_speakers: int = 2) -> float:
    """Map a raw posterior to a calibrated probability (Platt scaling, see module docstring).

    The posterior is first read against chance: 0.4 for one of four speakers is a clear lead, for
    one of two a loss, so the scaled quantity moves towards the log-odds against one average
    competitor, ``logit(p) + CHANCE_WEIGHT * log(n_speakers - 1)`` (unchanged for two speakers).
    """
    a, b = params or CALIBRATION
    x = _logit(p) + CHANCE_WEIGHT * math.log(max(n_speakers - 1, 1))
    return 1.0 / (1.0 + math.exp(-(a * x + b)))


def relative_posterior(p: float, n_speakers: int) -> float:
    """The posterior as it would read with two speakers (what ``calibrate`` scales); for the bench."""
    return 1.0 / (1.0 + math.exp(-(_logit(p) + CHANCE_WEIGHT * math.log(max(n_speakers - 1, 1)))))


def _logsumexp(xs: Sequence[float]) -> float:
    m = max(xs)
    if m == -math.inf:
        return m
    return m + math.log(sum(math.exp(x - m) for x in xs))


def _present(turns: Sequence[TurnView], people: list[Person], cues: _Cues) -> list[int]:
    evidence = [0] * len(people)
    for t in range(len(turns)):
        for k in cues.addressed[t] | cues.intro[t] | cues.listed[t]:
            evidence[k] += 1
    # guests are episode-specific (header/title): assumed present; hosts and regulars need evidence
    keep = [k for k in range(len(people)) if evidence[k] > 0 or people[k].role == "guest"]
    for role in ("host", "guest"):
        if not any(people[k].role == role for k in keep):
            first = next((k for k in range(len(people)) if people[k].role == role), None)
            if first is not None and (role == "guest" or not any(people[k].role == "other" for k in keep)):
                keep.append(first)
    return sorted(keep)


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _word_counts(turns: Sequence[TurnView]) -> tuple[np.ndarray, np.ndarray]:
    """Turn x word count matrix over words said at least twice in the episode, and the background."""
    toks = [_WORD.findall(t.text.lower()) for t in turns]
    freq: dict[str, int] = {}
    for ws in toks:
        for w in ws:
            freq[w] = freq.get(w, 0) + 1
    vocab = {w: j for j, w in enumerate(sorted(w for w, c in freq.items() if c >= 2))}
    c = np.zeros((len(turns), max(len(vocab), 1)))
    for t, ws in enumerate(toks):
        for w in ws:
            j = vocab.get(w)
            if j is not None:
                c[t, j] += 1
    bg = (c.sum(axis=0) + 0.5) / (c.sum() + 0.5 * c.shape[1])
    return c, bg


def _lexical(c: np.ndarray, bg: np.ndarray, post: np.ndarray, use: np.ndarray, weight: float) -> np.ndarray:
    """Per turn and speaker: how much better the speaker's word profile explains the turn than the
    episode's background, the profile re-estimated from the current soft assignment (EM) without
    the turn itself, so that a long turn cannot vouch for itself."""
    w = post * use[:, None]
    s = w.T @ c  # speaker x word
    tot = s.sum(axis=1)
    n_t = c.sum(axis=1)
    tt, vv = np.nonzero(c)  # only the words a turn uses matter: sparse, not turn x speaker x word
    cc = c[tt, vv]
    num = s[:, vv].T - w[tt] * cc[:, None] + LEX_PRIOR * bg[vv][:, None]
    lognum = np.zeros_like(w)
    np.add.at(lognum, tt, cc[:, None] * np.log(num))
    den = tot[None, :] - w * n_t[:, None] + LEX_PRIOR
    llr = lognum - n_t[:, None] * np.log(den) - (c @ np.log(bg))[:, None]
    # naive Bayes over-counts correlated words: grow with sqrt(length), not length, and cap
    scale = weight / np.sqrt(np.maximum(n_t, 1.0))[:, None]
    return np.clip(llr * scale, -LEX_CAP, LEX_CAP) * use[:, None]


def _length(loglen: np.ndarray, post: np.ndarray, use: np.ndarray, weight: float) -> np.ndarray:
    """Per turn and speaker: log-density of the turn's log length under the speaker's own length
    profile (the guest's answers run long, a host's questions short), re-estimated like the words."""
    if weight <= 0:
        return np.zeros_like(post)
    w = post * use[:, None] + 1e-3
    mu = (w * loglen[:, None]).sum(axis=0) / w.sum(axis=0)
    var = (w * (loglen[:, None] - mu[None, :]) ** 2).sum() / w.sum() + 0.25
    ll = -0.5 * (loglen[:, None] - mu[None, :]) ** 2 / var
    return weight * (ll - ll.mean(axis=1, keepdims=True)) * use[:, None]


def posteriors(turns: Sequence[TurnView], people: Sequence[Person]) -> tuple[list[Person], list[list[float]]]:
    """Forward-backward over turns: the speakers considered and, per turn, P(speaker) over them.

    Exposed for the bench (calibration fitting); ``attribute_turns`` is the public entry point.
    """
    ppl, post = _posteriors(turns, people)
    return ppl, post.tolist()


def _posteriors(turns: Sequence[TurnView], people: Sequence[Person]) -> tuple[list[Person], np.ndarray]:
    people = list(people)
    people += _text_people(turns, people)
    if not people:
        people = [Person("S1", "host"), Person("S2", "guest")]
    cues = _cues(turns, people)
    keep = _present(turns, people, cues)
    if len(keep) < 2 and len(people) >= 2:
        keep = sorted([*keep, *[k for k in range(len(people)) if k not in keep][: 2 - len(keep)]])
    if len(keep) < 2:
        # the other voice of the conversation takes the role the one we have lacks
        other_role = "host" if keep and people[keep[0]].role == "guest" else "guest"
        people = [*people, Person("S2", other_role)]
        keep = [*keep, len(people) - 1]
        cues = _cues(turns, people)
    ppl = [people[k] for k in keep]
    remap = {k: i for i, k in enumerate(keep)}
    n, m = len(turns), len(ppl)

    def ids(s: set[int]) -> set[int]:
        return {remap[k] for k in s if k in remap}

    # the first present host in candidate order (header hosts come first) is the main host: the
    # initial state prefers them; afterwards the return-to-interlocutor transition carries identity
    opener = next((i for t in range(min(3, n)) for i in sorted(ids(cues.intro[t])) if ppl[i].role == "host"), None)
    primary = opener if opener is not None else next((i for i, p in enumerate(ppl) if p.role == "host"), None)
    emit = np.zeros((n, m))
    for t, turn in enumerate(turns):
        h = host_logodds(turn.text, turn.n_words, t + 1 < n and turns[t + 1].is_backchannel)
        ph = 1 / (1 + math.exp(-h))
        addressed, intro, mentioned = ids(cues.addressed[t]), ids(cues.intro[t]), ids(cues.mentioned[t])
        prev_end = ids(cues.addressed_end[t - 1]) if t else set()
        peers = ids(cues.peer[t])
        peer_roles = {ppl[j].role for j in peers}
        for i, p in enumerate(ppl):
            if turn.is_backchannel:
                # a back-channel belongs to the listener, in an interview mostly the host
                e = math.log(0.65 if p.role == "host" else 0.35 if p.role == "guest" else 0.5)
            elif p.role == "host":
                e = math.log(ph)
            elif p.role == "guest":
                e = math.log(1 - ph)
            else:
                e = math.log(0.5)
            if i in addressed:
                e -= 4.0
            if i in intro:
                e += 5.0
            if i in mentioned:
                e -= MENTION_PENALTY
            if i in prev_end:
                e += 2.0
            if p.role in peer_roles and i not in peers:
                e += PEER_BONUS
            if p.role == "host" and i != primary and not turn.is_backchannel:
                e -= 0.15
            emit[t, i] = e
    # states (cur, prev) with prev != cur; prev == m means "nobody yet"
    states = [(c, p) for c in range(m) for p in [*range(m), m] if p != c]
    ns = len(states)
    cur = np.array([c for c, _p in states])
    onehot = np.zeros((ns, m))
    onehot[np.arange(ns), cur] = 1.0

    def trans(stay: float) -> np.ndarray:
        a = np.full((ns, ns), -np.inf)
        sidx = {s: j for j, s in enumerate(states)}
        for j, (c, p) in enumerate(states):
            a[j, j] = math.log(stay)
            others = [x for x in range(m) if x != c]
            for x in others:
                if p == m:
                    pr = (1 - stay) / len(others)
                elif x == p:
                    pr = (1 - stay) * (RETURN_P if len(others) > 1 else 1.0)
                else:
                    pr = (1 - stay) * (1 - RETURN_P) / (len(others) - 1)
                a[j, sidx[(x, c)]] = math.log(pr)
        return a

    a_norm, a_bc = trans(0.10), trans(0.02)
    # the answer comes from the addressee: after a host's turn that ends on a real question, the
    # next speaker is rarely the other host (guests, in a panel, do question each other)
    role_of = np.array([p.role for p in ppl])
    same_role = (role_of[cur][:, None] == "host") & (role_of[cur][None, :] == "host")
    a_q = a_norm + np.where(same_role & ~np.eye(ns, dtype=bool), math.log(QUESTION_SAME_ROLE), 0.0)
    a_q -= np.log(np.exp(a_q).sum(axis=1, keepdims=True))
    is_bc = np.array([t.is_backchannel for t in turns])
    asked = np.array([False] + [_ends_with_question(t.text) for t in turns[:-1]])
    host_first = np.array(
        [(0.6 if p.role == "host" else 0.0) + (1.0 if i == primary else 0.0) for i, p in enumerate(ppl)]
    )
    init = np.where(np.array([p == m for _c, p in states]), host_first[cur] - math.log(m), -np.inf)

    # scaled forward-backward in probability space: one small matrix product per turn
    p_norm, p_bc, p_q = np.exp(a_norm), np.exp(a_bc), np.exp(a_q)
    step = [p_bc if is_bc[t] else p_q if asked[t] else p_norm for t in range(n)]
    p_init = np.exp(init)

    def forward_backward(e: np.ndarray) -> np.ndarray:
        """Posteriors (model, turn, speaker) for emissions (model, turn, speaker): the ensemble's
        models run side by side, one small matrix product per turn for all of them."""
        es = e[:, :, cur]
        es = np.exp(es - es.max(axis=2, keepdims=True))
        k = e.shape[0]
        fwd = np.empty((k, n, ns))
        f = p_init * es[:, 0]
        fwd[:, 0] = f / f.sum(axis=1, keepdims=True)
        for t in range(1, n):
            f = (fwd[:, t - 1] @ step[t]) * es[:, t]
            fwd[:, t] = f / f.sum(axis=1, keepdims=True)
        bwd = np.ones((k, n, ns))
        for t in range(n - 2, -1, -1):
            b = (es[:, t + 1] * bwd[:, t + 1]) @ step[t + 1].T
            bwd[:, t] = b / b.sum(axis=1, keepdims=True)
        z = fwd * bwd
        z /= z.sum(axis=2, keepdims=True)
        return z @ onehot

    post = forward_backward(emit[None])[0]
    if n >= 4 and any(w > 0 for w in LEX_WEIGHTS):
        counts, bg = _word_counts(turns)
        use = np.array([0.0 if t.is_backchannel else 1.0 for t in turns])
        loglen = np.log(np.array([max(t.n_words, 1) for t in turns], dtype=float))
        weights = [(lex, length) for lex in LEX_WEIGHTS for length in LEN_WEIGHTS]
        members = np.repeat(post[None], len(weights), axis=0)
        for _ in range(EM_ITERATIONS):
            profiles = np.stack(
                [
                    _lexical(counts, bg, member, use, lex) + _length(loglen, member, use, length)
                    for member, (lex, length) in zip(members, weights, strict=True)
                ]
            )
            # a back-channel carries no voice of its own: among the listeners, the one who takes most
            # turns (the lead interviewer) is likeliest to be the one saying "Right."
            share = (members * use[None, :, None]).sum(axis=1) + 1.0
            profiles += np.log(share / share.sum(axis=1, keepdims=True))[:, None, :] * (1.0 - use)[None, :, None]
            members = forward_backward(emit[None] + profiles)
        post = members.mean(axis=0)
    return ppl, post


def _inferred(
    turns: Sequence[TurnView], people: Sequence[Person], params: tuple[float, float] | None = None
) -> list[Attribution]:
    if not turns:
        return []
    ppl, post = _posteriors(turns, people)
    out: list[Attribution] = []
    s_ids: dict[int, str] = {}
    for row in post.tolist():
        best = max(range(len(ppl)), key=lambda i: (row[i], -i))
        conf = round(calibrate(row[best], params, len(ppl)), 4)
        role_p: dict[str, float] = {}
        for i, p in enumerate(ppl):
            role_p[p.role] = role_p.get(p.role, 0.0) + row[i]
        role = max(sorted(role_p), key=lambda r: role_p[r])
        if role_p[role] < ROLE_UNKNOWN_BELOW:
            role = "unknown"
        if conf < UNKNOWN_BELOW:
            out.append(Attribution(None, None, role, "unknown", conf))
            continue
        p = ppl[best]
        if re.fullmatch(r"S\d+", p.name):
            sid = s_ids.setdefault(best, f"S{len(s_ids) + 1}")
            out.append(Attribution(sid, None, p.role, "inferred", conf))
        else:
            out.append(Attribution(slug(p.name), p.name, p.role, "inferred", conf))
    return out


def attribute_turns(turns: Sequence[TurnView], people: Sequence[Person]) -> list[Attribution]:
    """One `Attribution` per turn, same order. Labelled files keep their labels (normalised)."""
    if any(t.label for t in turns):
        return _labelled(turns, people)
    return _inferred(turns, people)


# ---------------------------------------------------------------- unmarked text


def is_backchannel_text(text: str) -> bool:
    """Short acknowledgement such as 'Right.', 'Yeah, yeah.', 'Mm-hmm.' (one definition, in tasks.enrich)."""
    return is_backchannel(text)


_BND_OPENER = re.compile(
    r"^(?:well|so|yeah|yes|yep|no|nope|right|oh|i mean|sure|okay|ok|absolutely|exactly|totally|definitely|"
    r"i think|i guess|great|good|uh|um|look|honestly|actually|interesting)\b",
    re.I,
)
_BND_CONT = re.compile(r"^(?:and|but|because|or|which|then|also|plus)\b", re.I)
_BND_THANKS = re.compile(
    r"^(?:thanks|thank you|welcome|hi|hello|hey|great question|good question|that's a great)\b", re.I
)
_BND_VOC_START = re.compile(
    r"^(?!(?:So|And|But|Well|Now|Yes|No|Yeah|Okay|Also|Then|Again|Today|Here|There)\b)[A-Z][a-z]+,\s"
)
_BND_VOC_END = re.compile(r",\s+[A-Z][a-z]+[?.!]$")
_BND_STOP = frozenset(
    "the a an and or but so of to in on at for with is are was were be been it its this that these those i you "
    "we they he she me my your our their them his her just like really very not no yes yeah do does did have has "
    "had what which who how when where there here as if then than can could would should will about from by "
    "kind sort know think mean going get got one thing things lot well right okay oh um uh also all some more".split()
)
_BND_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_BND_FIRST = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine)\b", re.I)
_BND_SECOND = re.compile(r"\b(?:you|you're|you've|your|yours)\b", re.I)
BND_WINDOW = 3
BND_FEATURES = (
    "bias",
    "prev_real_q",
    "prev_tag_q",
    "cur_bc",
    "prev_bc",
    "next_bc",
    "cur_opener",
    "q_then_opener",
    "cur_cont",
    "cur_thanks",
    "cur_voc",
    "prev_voc_end",
    "prev_dash",
    "cur_q_after_q",
    "cur_first",
    "prev_second",
    "log_len_cur",
    "log_len_prev",
    "lex_sim",
    "lex_depth",
)


def _bnd_features(sentences: Sequence[str]) -> np.ndarray:
    """One row of cue values per sentence (row 0 is unused): see ``BND_FEATURES``."""
    s = [x.strip() for x in sentences]
    n = len(s)
    bc = [is_backchannel_text(x) for x in s]
    bags = []
    for x in s:
        d: dict[str, int] = {}
        for w in _BND_WORD.findall(x.lower()):
            if w not in _BND_STOP and len(w) > 2:
                d[w] = d.get(w, 0) + 1
        bags.append(d)

    def window(lo: int, hi: int) -> dict[str, int]:
        out: dict[str, int] = {}
        for b in bags[max(0, lo) : min(n, hi)]:
            for w, c in b.items():
                out[w] = out.get(w, 0) + c
        return out

    def cos(a: dict[str, int], b: dict[str, int]) -> float:
        if not a or not b:
            return 0.0
        dot = sum(c * b.get(w, 0) for w, c in a.items())
        return dot / math.sqrt(sum(c * c for c in a.values()) * sum(c * c for c in b.values()))

    sim = [0.0] * (n + 1)
    for i in range(1, n):
        sim[i] = cos(window(i - BND_WINDOW, i), window(i, i + BND_WINDOW))
    x = np.zeros((n, len(BND_FEATURES)))
    for i in range(1, n):
        cur, prev = s[i], s[i - 1]
        pq = prev.endswith("?")
        tag = pq and bool(_TAG_Q.search(prev[-40:]))
        nw, pw = len(cur.split()), len(prev.split())
        left = max(sim[max(1, i - 2) : i + 1])
        right = max(sim[i : min(n, i + 3)]) if i < n else sim[i]
        x[i] = (
            1.0,
            float(pq and not tag),
            float(tag),
            float(bc[i]),
            float(bc[i - 1]),
            float(i + 1 < n and bc[i + 1]),
            float(bool(_BND_OPENER.match(cur))),
            float(pq and not tag and bool(_BND_OPENER.match(cur))),
            float(bool(_BND_CONT.match(cur))),
            float(bool(_BND_THANKS.match(cur))),
            float(bool(_BND_VOC_START.match(cur))),
            float(bool(_BND_VOC_END.search(prev))),
            float(prev.endswith(("--", "-", "…", "..."))),
            float(cur.endswith("?") and pq),
            float(bool(_BND_FIRST.search(" ".join(cur.split()[:6])))),
            float(bool(_BND_SECOND.search(prev))),
            math.log1p(nw),
            math.log1p(pw),
            sim[i],
            (left + right) / 2 - sim[i],
        )
    return x


def _bnd_fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """L2-penalised logistic regression (intercept unpenalised) by Newton steps: deterministic."""
    w = np.zeros(x.shape[1])
    pen = np.full(x.shape[1], l2)
    pen[0] = 0.0
    for _ in range(30):
        p = 1 / (1 + np.exp(-(x @ w)))
        g = x.T @ (p - y) + pen * w
        h = (x * (p * (1 - p))[:, None]).T @ x + np.diag(pen) + 1e-9 * np.eye(len(w))
        w = w - np.linalg.solve(h, g)
    return w


# fitted by bench/eval_speakers.py --fit on the labelled corpus files (logistic regression over ``BND_FEATURES``,
# then Platt scaling on leave-one-file-out scores, then the emission threshold that maximises F1 on those)
BND_WEIGHTS: tuple[float, ...] = (
    -0.0927,
    1.0135,
    -0.4336,
    1.2316,
    -0.1957,
    0.2981,
    0.7779,
    1.1288,
    -0.5477,
    0.4577,
    0.794,
    0.6962,
    -0.4183,
    -1.1525,
    0.3223,
    0.1593,
    -0.6625,
    -0.1267,
    -1.2919,
    0.5951,
)
BND_PLATT: tuple[float, float] = (0.6658, -0.688)
BND_EMIT = 0.25


def propose_boundaries(sentences: Sequence[str]) -> list[tuple[int, float]]:
    """For text without turn markers: (index of a sentence that starts a new turn, confidence).

    Sentence 0 always starts a turn (confidence 1.0). Every other sentence gets a probability from a
    logistic model over local cues (``BND_FEATURES``): the previous sentence is a real question (tag
    questions such as "..., right?" are not) and this one opens like an answer ("Well,", "Yeah, so");
    back-channels ("Yeah.", "Right.") that are their own turn; vocatives ("Robert, ...", "How's it going,
    Chris?"); a first-person opening after a "you"; continuations ("And", "But") that keep the turn; length;
    and lexical change between the windows of ``BND_WINDOW`` sentences on either side. Weights, Platt
    scaling and the emission threshold ``BND_EMIT`` are fitted on the labelled corpus by the bench, which
    reports leave-one-file-out precision/recall and a reliability table. Pure, deterministic, numpy.
    """
    if not sentences:
        return []
    out: list[tuple[int, float]] = [(0, 1.0)]
    if len(sentences) == 1:
        return out
    z = _bnd_features(sentences)[1:] @ np.asarray(BND_WEIGHTS, dtype=float)
    a, b = BND_PLATT
    p = 1 / (1 + np.exp(-np.clip(a * z + b, -30, 30)))
    out += [(i + 1, round(float(q), 4)) for i, q in enumerate(p) if q >= BND_EMIT]
    return out


# ---------------------------------------------------------------- speakers table


def speaker_rows(attributions: Sequence[Attribution], turn_word_counts: Sequence[int]) -> list[dict]:
    """One row per distinct non-None speaker_id: name, role, n_turns, n_words, talk_share (of words).

    talk_share is over all words of the episode (unknown turns included in the denominator), so
    shares sum to at most 1. Order: first appearance.
    """
    total = sum(turn_word_counts)
    rows: dict[str, dict] = {}
    for a, w in zip(attributions, turn_word_counts, strict=True):
        if a.speaker_id is None:
            continue
        r = rows.setdefault(
            a.speaker_id,
            {
                "speaker_id": a.speaker_id,
                "name": a.name,
                "role": a.role,
                "n_turns": 0,
                "n_words": 0,
                "talk_share": 0.0,
            },
        )
        r["n_turns"] += 1
        r["n_words"] += w
        if r["name"] is None and a.name:
            r["name"] = a.name
        if r["role"] == "unknown" and a.role != "unknown":
            r["role"] = a.role
    for r in rows.values():
        r["talk_share"] = round(r["n_words"] / total, 6) if total else 0.0
    return list(rows.values())
