"""What a podcast or video page's title says: show, episode number, hosts, guests and other people.

One grammar of named forms, tried in order; the first that finds people wins, and the show and episode
number are read from whatever part names them. The forms and an example of each:

=================  ===============================================================================
form               example
=================  ===============================================================================
show_with_hosts    ``Ep17. Welcome Jensen Huang | BG2 w/ Bill Gurley & Brad Gerstner``
host_interviews    ``Hamilton Morris interviews Ethan Nadelmann``
guest_colon_show   ``Sam Altman: OpenAI, GPT-5, Sora | Lex Fridman Podcast #419``
show_number_guest  ``Talk Python To Me Ep. 530: Trevor Manz`` / ``Go Time #100: Rob Pike``
topic_people       ``The ultimate guide to founder-led sales | Jen Abel (co-founder of JJELLYFISH)``
guest_on_topic     ``Gokul Rajaram on designing your product development process``
with_guest         ``Key Portfolio Mistakes to Avoid with Allan Roth`` / ``In conversation with X``
featuring          ``Late Night Live ft. Jane Doe`` / ``feat.`` / ``featuring``
=================  ===============================================================================

Who hosts is said only by ``w/`` after a show's name; a guest is whoever the title introduces (a
``welcome``, ``with``, ``ft.``, a leading ``Name:`` or ``Name on``). People the title names without a role
(``Topic | Cal Newport``: a host of his own show; ``Topic | Rick Rubin & Dr. Andrew Huberman``: a guest and
a host) are ``people``, whose roles the speaker model reads from what they do. Names are 2-4 capitalised
words (``Dr.`` allowed); a part holding a show's words (``podcast``, ``episode``, ``lab``...) is no person.
Coverage of the grammar on real titles is in the README ("How speakers are named").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_EPISODE_NUMBER = re.compile(r"^\s*(?:ep(?:isode)?\.?\s*|#)(\d{1,5})\s*[.:\-–|]?\s*", re.IGNORECASE)
# "Lex Fridman Podcast #419", "Talk Python To Me Ep. 530", "Go Time #100"
_SHOW_NUMBER = re.compile(r"^(?P<show>.*?\S)\s*(?:#|\bEp(?:isode)?\.?\s*|\bNo\.\s*)(?P<n>\d{1,5})\s*$", re.I)
_SHOW_NUMBER_LEAD = re.compile(
    r"^(?P<show>[^:|]*?\S)\s*(?:#|\bEp(?:isode)?\.?\s*)(?P<n>\d{1,5})(?:\s*[:\-–|]\s*|\s+(?=with\b))(?P<rest>.+)$",
    re.I,
)
_INTERVIEWS = re.compile(
    r"^\s*(?P<host>[^|:]{3,60}?)\s+(?:interviews|talks (?:to|with)|in conversation with)\s+(?P<guest>.+?)\s*$"
)
# "HackAPrompt CEO Sander Schulhoff": the person is who follows the job
_JOB = re.compile(r"^.*\b(?:CEO|CTO|CPO|COO|CFO|VP|[Cc]o-?[Ff]ounder|[Ff]ounder|[Pp]resident|[Dd]irector)\s+(?=[A-Z])")
_WELCOME = re.compile(r"^\s*(?:welcome|with|featuring|feat\.|ft\.)\s+(.+?)\s*$", re.IGNORECASE)
_WITH_TAIL = re.compile(r"\b(?:in conversation with|a conversation with|with|featuring|feat\.|ft\.)\s+(.+?)\s*$", re.I)
_NAME_ON = re.compile(r"^\s*(?P<name>[A-Z][^:|]{2,60}?)\s+on\s+\S")
_NAME_COLON = re.compile(r"^\s*(?P<name>[^:|]{3,60}?)\s*:\s*\S")
_PAREN = re.compile(r"\s*\([^()]*\)\s*")
_PERSON = re.compile(
    r"^(?:(?:Dr|Mr|Mrs|Ms|Prof)\.\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|der|da|del|St\.)){1,3}$"
)
# words of show and channel names, never of a person's: "Full Episode", "Huberman Lab Podcast", "Y Combinator"
_NOT_A_PERSON = re.compile(
    r"\b(?:podcast|episode|show|lab|live|full|part|interview|talk|talks|news|radio|tv|channel|school|"
    r"university|institute|college|club|tutorial|conference|summit|keynote|combinator|clip|highlights?|"
    r"church|study|ai|gpt|python|the|how|why|what|when|my|your|our|new|best|guide|lessons?|"
    r"ceo|cto|cpo|coo|cfo|vp|founder|co-founder|president|director|author|authors)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TitleFacts:
    """What one title says; `form` names the grammar form that read it (None when no form found people)."""

    episode_title: str | None = None
    show: str | None = None
    episode_number: str | None = None
    hosts: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    subtitle: str | None = None
    form: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def metadata(self) -> dict[str, str]:
        """The title's facts as page metadata (names `; `-separated), empty values left out."""
        meta = {
            "episode_title": self.episode_title,
            "show": self.show,
            "episode_number": self.episode_number,
            "hosts": "; ".join(self.hosts),
            "guests": "; ".join(self.guests),
            "people": "; ".join(self.people),
            "subtitle": self.subtitle,
        }
        return {key: value for key, value in meta.items() if value}


def split_people(text: str) -> list[str]:
    """`Bill Gurley & Brad Gerstner` -> two names; [] unless every part looks like a person's name."""
    text = _PAREN.sub(" ", text).strip(" ,-–")
    parts = [_JOB.sub("", p).strip() for p in re.split(r"\s*(?:&|,|\+|\band\b)\s*", text) if p.strip()]
    ok = parts and all(_PERSON.match(p) and not _NOT_A_PERSON.search(p) for p in parts)
    return parts if ok else []


def _show_and_number(part: str) -> tuple[str, str] | None:
    m = _SHOW_NUMBER.match(part.strip())
    return (m.group("show").strip(" -–:"), m.group("n")) if m else None


def read_title(title: str | None) -> TitleFacts:
    """The facts of one page title (see the module's grammar)."""
    if not title:
        return TitleFacts()
    left, _, right = (part.strip() for part in title.partition(" | "))
    number = None
    if m := _EPISODE_NUMBER.match(left):
        number, left = m.group(1), left[m.end() :]
    show = None
    # --- show_with_hosts: "... | BG2 w/ Bill Gurley & Brad Gerstner"
    if right and " w/ " in right:
        show_text, _, host_text = right.partition(" w/ ")
        guests = split_people(m.group(1)) if (m := _WELCOME.match(left)) else []
        return TitleFacts(
            left, show_text.strip(), number, tuple(split_people(host_text)), tuple(guests), form="show_with_hosts"
        )
    if right and (found := _show_and_number(right)):
        show, number = found
        right = ""
    # --- show_number_guest: "Go Time #100: Rob Pike and Robert Griesemer"
    if not show and (m := _SHOW_NUMBER_LEAD.match(left)):
        rest = m.group("rest")
        guests = split_people(rest) or split_people(re.split(r"\s[-–:]\s|:\s", rest)[0])
        if not guests and (w := _WITH_TAIL.search(rest)):
            guests = split_people(w.group(1))
        if guests:
            return TitleFacts(left, m.group("show"), m.group("n"), guests=tuple(guests), form="show_number_guest")
    # --- host_interviews_guest: "Hamilton Morris interviews Ethan Nadelmann"
    if (m := _INTERVIEWS.match(left)) and (hosts := split_people(m.group("host"))):
        guests = split_people(m.group("guest"))
        return TitleFacts(left, show, number, tuple(hosts), tuple(guests), form="host_interviews_guest")
    # --- guest_colon_show: "Sam Altman: OpenAI, GPT-5 | Lex Fridman Podcast #419" (only with a show on the
    # right: "Google Gemini: AlphaGo-GPT?" names no one)
    if show and (m := _NAME_COLON.match(left)) and (guests := split_people(m.group("name"))):
        return TitleFacts(left, show, number, guests=tuple(guests), form="guest_colon_show")
    # --- welcome / with / featuring on the left
    if (m := _WELCOME.match(left)) and (guests := split_people(m.group(1))):
        return TitleFacts(left, show, number, guests=tuple(guests), subtitle=right or None, form="with_guest")
    # --- topic_people: "Topic | Jen Abel (co-founder of JJELLYFISH)"
    if right and (people := split_people(right)):
        return TitleFacts(left, show, number, people=tuple(people), form="topic_people")
    # --- guest_on_topic: "Gokul Rajaram on designing..."
    if (m := _NAME_ON.match(left)) and (guests := split_people(m.group("name"))):
        return TitleFacts(left, show, number, guests=tuple(guests), subtitle=right or None, form="guest_on_topic")
    # --- with_guest / featuring at the end: "... with Allan Roth"
    for part in (left, right):
        if part and (m := _WITH_TAIL.search(part)) and (guests := split_people(m.group(1))):
            form = "featuring" if re.search(r"\b(?:ft|feat|featuring)\b", m.group(0), re.I) else "with_guest"
            return TitleFacts(left, show, number, guests=tuple(guests), subtitle=right or None, form=form)
    if not show and not right and (found := _show_and_number(left)):
        show, number = found
    return TitleFacts(left, show, number, subtitle=right or None)
