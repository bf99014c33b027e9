"""People the text introduces, so that a show nobody has listed still gets its speakers' names.

A grammar of introductions, each form with the role it implies:

- self-introductions: "I'm Lenny", "This is your host, Michael Kennedy", "My name is Chris Benson",
  "your hosts today are myself, Erik St. Martin" (a host when said in the opening turns, else a guest);
- guests: "my guest today is Tamar Yehoshua", "Today, I've got two guests, Jake Knapp and John Zeratsky",
  "I'm joined by Anna Pobletts", "we're talking to Dustin Kirkland", "a conversation with X", "Welcome, Rob";
- co-hosts: "my co-host, Chris Benson", "with me as always is Autumn Nash", "joined as always by Chris";
- people said to be present: "say hello, Johnny", "Brian Ketelsen is also on the line";
- the chair of the Congressional Record recognising a member ("the gentlewoman from Florida (Ms. X)").

A name is one to three capitalised words whose first word is not a function word, a greeting, a day or
a month, that are not the show's own name ("This is Go Time") and have no capital inside a word
("NiceGUIs"). A name the text spells a little differently from a candidate (an ASR misspelling of the
title's surname: "Ben Burkett" for "Ben Burkert") is that candidate: the candidate's spelling wins. Guests
are read from "my guest today is X" anywhere in the first turns (after a cold open) and from the weaker
forms ("joined by", "talking to", "welcome, X", "say hello, X") only in the opening turns.

People who are only quoted or mentioned are not introduced: every form needs an introducing phrase.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from tasks.first_names import is_first_name
from tasks.speakers.model import Person, TurnView
from tasks.speakers.params import AttributionParams
from tasks.speakers.people import same_person, slug

# Two spellings are one person from this rapidfuzz ratio of their keys on ("ben-burkett" / "ben-burkert").
SAME_PERSON_RATIO = 85

# a capitalised word of any alphabet's letters ("Sułkowski", "Jesús")
_WORD = r"[A-Z][^\W\d_A-Z][^\W\d_'’-]*(?:['’-][^\W\d_]+)*"
_NAME = rf"(?:Dr\.\s+)?{_WORD}(?:\s+(?:St\.\s+|de\s+|van\s+|von\s+)?(?:[A-Z]['’])?{_WORD}){{0,2}}"
_NAMES = rf"{_NAME}(?:(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){_NAME}){{0,3}}"
_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|&)\s*")

# Words that begin a capitalised run but never a name.
NOT_A_NAME = frozenset(
    """the a an so and but or if when then today tonight this that these those it its we i you he she they
    yeah yes no well hello hi hey thanks thank welcome episode show part here now back also not really very
    sure okay ok all one two three good great happy glad excited just going doing mr mrs ms our my your
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december christmas thanksgiving god jesus lord google apple microsoft amazon
    python javascript go rust java linux windows ai british american canadian german french indian english
    irish scottish dutch italian spanish chinese japanese australian european yup yep nope hmm huh wow cool nice
    totally exactly absolutely awesome gotcha indeed""".split()
)

# Introducing phrases match in any case ``(?i:...)``; names never do (a name is capitalised).
_SELF = [
    re.compile(rf"\b(?i:I'm|I am|this is|my name is|name's)\s+(?i:your (?:host|friend|MC),?\s+)?(?P<names>{_NAME})"),
    re.compile(
        rf"\b(?i:your hosts? (?:today |this week )?(?:is|are)|(?:today )?on the show (?:today )?we have|"
        rf"joined (?:today )?by)\s+myself,?\s+(?P<names>{_NAME})"
    ),
]
_COHOST = [
    re.compile(rf"\b(?i:my co-?hosts?),?\s+(?P<names>{_NAMES})"),
    re.compile(
        rf"\b(?i:(?:joined|with me),? (?:as always|again|as usual),? (?:by|is))\s+"
        rf"(?i:my co-?host,?\s+)?(?P<names>{_NAMES})"
    ),
]
# "my guest today is X" may come after a cold open; the weaker forms below count only in the opening turns
# (later, "we talked to X" is mostly about another episode)
_GUEST_STRONG = [
    re.compile(
        rf"\b(?i:(?:my|our)\s+(?:special |wonderful |amazing |first |next |two |three )?guests?\s+"
        rf"(?:today |this week |on the show |for today's show )?(?:is|are))\s+(?P<names>{_NAMES})"
    ),
    re.compile(rf"\b(?i:I've got (?:two |three )?guests?),?\s+(?P<names>{_NAMES})"),
]
_GUEST = [
    re.compile(
        rf"\b(?i:(?:joined|talking|speaking|chatting|sitting down)\s+(?:here |today |again |this week |once again )?"
        rf"(?:by|with|to))\s+(?i:the one and only |my (?:good )?friends?,?\s+)?(?P<names>{_NAMES})"
    ),
    # "Today we're joined by another expert, Dr. Elisha Goldstein."
    re.compile(
        rf"\b(?i:joined (?:today |again )?by) (?:another|an?|our|my) [a-z][a-z -]{{2,30}},\s+(?P<names>{_NAMES})"
    ),
    re.compile(rf"\b(?i:with (?:me|us)(?: today| here| again)? (?:is|are))\s+(?P<names>{_NAMES})"),
    re.compile(
        rf"\b(?i:I'm|I am|we're|we are) (?i:here |back )(?i:again |today |once again )?(?i:with)\s+(?P<names>{_NAMES})"
    ),
    re.compile(rf"\b(?i:a conversation with|welcome(?: to the show| back)?,)\s+(?P<names>{_NAMES})"),
    # the welcome said to the guest: "Sydney, welcome back to Talk Python", "Hey, Hugo. Welcome to ..."
    re.compile(rf"(?:^|[.!?]\s+|\b(?i:hey|hi|hello),\s+)(?P<names>{_NAME})[,.!]\s+(?i:welcome)\b"),
    re.compile(rf"\b(?i:welcome (?:back )?to) [^.!?,]{{1,40}},\s+(?P<names>{_NAME})\s*[.!]"),
    re.compile(rf"\b(?i:we have)\s+(?P<names>{_NAMES})\s+(?i:here|with us|on the (?:show|line)|joining)"),
]
_PRESENT = [
    re.compile(rf"\b(?i:say hello),\s+(?P<names>{_NAME})"),
    re.compile(rf"\b(?P<names>{_NAME}) (?i:is (?:also )?(?:on the line|here|with us|on the show|joining us|back))\b"),
]
# A line-up hands the word to each in turn: "First off, Amal, long time no chat." / "And then, the one, the
# only – Nick Nisi." (a turn that ends on the name). Said to someone, the name alone gives no role: these
# count only after a line-up (the panel: hosts) or beside the word "guest".
_HANDOVER = [
    re.compile(rf"\b(?i:first(?: off| up)?|next(?: up)?|and then|also|last but not least),\s+(?P<names>{_NAME})[,.]"),
    # a panelist greeted after the line-up: "... Nick Nisi, how are you?"
    re.compile(rf"(?:^|[.!?…]\s+|\.\.\.\s*)(?P<names>{_NAME}),\s+(?i:how are you|how's it going|how are things)\b"),
    re.compile(rf"(?:[,:–—]|\.)\s+(?P<names>{_NAME})[.!]*\s*$"),
]
_GUEST_WORD = re.compile(r"\bguests?\b", re.I)
# characters before a handed-over name searched for the word "guest"
_GUEST_WORD_CHARS = 300
# "NiceGUIs", "HackAPrompt": a capital inside a word is a product's, not a person's (McDonald, DeVito are)
_CAMEL = re.compile(r"^(?!Mc|Mac|De|Di|Le|La|Van|O['’])[A-Z][^A-Z]*[a-z][A-Z]")
_YOUR_HOST = re.compile(r"\byour (?:host|MC)\b", re.I)
# A line-up ("your hosts today are...", "on the panel") makes the people said present there hosts.
_LINEUP = re.compile(r"\b(?:hosts?|co-?hosts?|panel(?:ists?)?)\b", re.I)
# the Congressional Record's chair hands the floor by name: "The Chair recognizes the gentlewoman
# from Florida (Ms. Wasserman Schultz) for 5 minutes."
CHAIR = re.compile(r"\bThe Chair (?:now )?recognizes\b")
RECOGNISED = re.compile(
    r"\bThe Chair (?:now )?recognizes the (?:gentle(?:wo)?man|[Ss]enator|Member|Delegate)[^()]{0,60}"
    r"\((?:Mr|Ms|Mrs|Miss|Dr)\.\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})\)"
)
PRESIDING = "The Speaker pro tempore"


@dataclass(frozen=True, slots=True)
class Introduction:
    """One person introduced: the name as said, the role the form implies, the turn and the form's kind."""

    name: str
    role: str
    turn: int
    kind: str  # self, cohost, guest, present, handover, chair


def _names(group: str, show_words: set[str], lowercase: Counter[str]) -> list[str]:
    """The names of a matched group, without function words, possessives ("Moore's law"), the show's own
        name, and single words that are no first name and that the text also uses in lower case ("Nice" beside
    "nice"): common words."""
    out = []
    for name in _SPLIT.split(group):
        words = name.split()
        if not words or any(w.lower().strip(".") in NOT_A_NAME for w in words) or re.search(r"['’]s$", name):
            continue
        # "This is Go Time", "This is Changelog & Friends" name the show ("I'm Lenny" of Lenny's Podcast stays)
        if all(w.lower() in show_words for w in words) or any(_CAMEL.search(w) for w in words):
            continue
        if len(words) == 1 and lowercase[words[0].lower()] > 0 and not is_first_name(words[0]):
            continue
        out.append(name.strip())
    return out


def introductions(turns: Sequence[TurnView], show: str | None, params: AttributionParams) -> list[Introduction]:
    """Every introduction in the turns the windows of `params` search, in order."""
    show_words = {w.lower() for w in re.findall(r"[\w'’]+", show or "")}
    lowercase = Counter(w for turn in turns for w in re.findall(r"\b[a-z][a-z'’-]+\b", turn.text))
    found: list[Introduction] = []
    lineup_said = False  # "your hosts today are...": people said present in the opening are the panel
    for t, turn in enumerate(turns[: params.intro_turns]):
        text = turn.text
        lineup_said = lineup_said or (t < params.opening_turns and bool(_LINEUP.search(text)))
        for m in RECOGNISED.finditer(text) if t < params.chair_turns else ():
            found += [Introduction(PRESIDING, "other", t, "chair"), Introduction(m.group(1), "guest", t, "chair")]
        opening = t < params.opening_turns
        kinds = [("self", _SELF), ("cohost", _COHOST), ("guest", _GUEST_STRONG)]
        kinds += [("guest", _GUEST), ("present", _PRESENT)] if opening else []
        # a line-up may take a few turns to greet every panelist
        kinds += [("handover", _HANDOVER)] if opening or (lineup_said and t < params.lineup_turns) else []
        for kind, forms in kinds:
            for form in forms:
                for m in form.finditer(text):
                    for name in _names(m.group("names"), show_words, lowercase):
                        if kind == "self":  # "I'm your host, X", or any self-introduction at the opening
                            role = "host" if t < params.opening_turns or _YOUR_HOST.search(m.group(0)) else "guest"
                        elif kind == "present":
                            role = "host" if lineup_said and t < params.opening_turns else "guest"
                        elif kind == "handover":
                            before = text[max(0, m.start() - _GUEST_WORD_CHARS) : m.end()]
                            role = "guest" if _GUEST_WORD.search(before) else "host" if lineup_said else ""
                            if not role:
                                continue
                        else:
                            role = "host" if kind == "cohost" else "guest"
                        # one person once per turn: the first form that reads them says how
                        if not any(i.name == name and i.turn == t for i in found):
                            found.append(Introduction(name, role, t, kind))
    return found


def same_speaker(a: str, b: str) -> bool:
    """One person however the text spells them: equal keys, a near spelling, or a first name alone."""
    ka, kb = slug(a), slug(b)
    if same_person(a, b) or fuzz.ratio(ka, kb) >= SAME_PERSON_RATIO:
        return True
    fa, fb = ka.split("-"), kb.split("-")
    return (len(fa) == 1 or len(fb) == 1) and fa[0] == fb[0]


def introduced_people(
    turns: Sequence[TurnView], people: Sequence[Person], show: str | None, params: AttributionParams
) -> list[Person]:
    """People the text introduces who are not candidates yet (a candidate's spelling wins); a full name
    said later replaces a first name said first ("I'm Lenny" ... "Lenny Rachitsky")."""
    found: list[Person] = []
    for intro in introductions(turns, show, params):
        if any(same_speaker(p.name, intro.name) for p in people):
            continue
        k = next((i for i, p in enumerate(found) if same_speaker(p.name, intro.name)), None)
        if k is None:
            found.append(Person(intro.name, intro.role))
        elif len(intro.name.split()) > len(found[k].name.split()):
            found[k] = Person(intro.name, found[k].role)
    return found


# "Welcome to Lenny's Podcast", "welcome to this episode of Go Time", "Hello, and welcome to Ship It",
# "you're listening to Talk Python To Me": the show names itself in its opening words.
_SHOW_WORD = r"[A-Z][\w'’&!+-]*"
_SHOW_SAID = re.compile(
    rf"\b(?i:welcome (?:back )?(?:everyone |everybody |folks |all )?(?:for|to)|you're listening to)\s+"
    rf"(?i:(?:another|this|the) (?:brand new |new )?(?:\w+ )?(?:episode|edition|week's) of\s+|this week's\s+)?"
    rf"(?P<show>(?:The )?{_SHOW_WORD}(?: (?:{_SHOW_WORD}|of|&)){{0,4}})"
)
# Words that open a capitalised run after "welcome to" but not a show's name ("Welcome to My World" is one).
_NOT_A_SHOW = frozenset("the this that these our your it its a an all you".split())
# Words that end a show's name as said: "Go Time where we're..." stops at "where".
_SHOW_STOP = re.compile(r" (?:of|&)$")


def show_named_in(opening_texts: Sequence[str]) -> str | None:
    """The show's name as its opening words say it, or None (a guest's "welcome to my world" is no show:
    the name must be capitalised and not a function word)."""
    for text in opening_texts:
        for m in _SHOW_SAID.finditer(text):
            show = _SHOW_STOP.sub("", m.group("show").strip(" .,!"))
            words = show.split()
            if words[0].lower() not in _NOT_A_SHOW or (words[0] == "The" and len(words) > 1):
                return show
    return None
