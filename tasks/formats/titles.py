"""What a podcast or video page's title says: show, episode number, hosts, guests and other people.

One grammar of named forms, tried in order; the first that finds people wins, and the show and episode
number are read from whatever part names them. The forms and an example of each:

=================  ===============================================================================
form               example
=================  ===============================================================================
show_with_hosts    ``Ep17. Welcome Jensen Huang | BG2 w/ Bill Gurley & Brad Gerstner``
show_number_guest  ``Go Time #100: Rob Pike`` / ``... Podcast 050: Craig Lazzara on ..., host Rick Ferri``
host_interviews    ``Hamilton Morris interviews Ethan Nadelmann`` / ``X in conversation with Y`` (people)
guest_colon_show   ``Sam Altman: OpenAI, GPT-5, Sora | Lex Fridman Podcast #419``
with_guest         ``Key Portfolio Mistakes to Avoid with Allan Roth`` / ``Topic - with David Luan of Adept``
topic_people       ``The ultimate guide to founder-led sales | Jen Abel (co-founder of JJELLYFISH)``
guest_on_topic     ``Gokul Rajaram on designing your product development process``
dash_parts         ``Bogleheads® 2022 Conference – Nick Maggiulli on “Just Keep Buying”``
featuring          ``What's next for AI agents ft. LangChain's Harrison Chase`` / ``feat.`` / ``featuring``
people_colon       ``Name and Name (Company) : Topic`` without a show (first names of the gazetteer only)
=================  ===============================================================================

Who hosts is said by ``w/`` after a show's name, ``host X`` after the guests, ``X interviews``, or a show
named after a person (``Lex Fridman Podcast``); a guest is whoever the title introduces (a ``welcome``,
``with``, ``ft.``, a leading ``Name:`` or ``Name on``). People the title names without a role (``Topic |
Cal Newport``: a host of his own show; ``Topic | Rick Rubin & Dr. Andrew Huberman``: a guest and a host)
are ``people``, whose roles the speaker model reads from what they do. Names are 2-4 capitalised words
(``Dr.`` allowed; a company before or after dropped: ``LangChain's``, ``of Adept``); a part holding a show's
words (``podcast``, ``episode``, ``lab``...) is no person. The weak forms (a bare ``with``, parts between
dashes, names before a colon without a show) also need each name to begin with a gazetteer first name, so
"Reckoning with Personal Failure" names nobody.
Coverage of the grammar on real titles: ``bench/eval_titles.py`` and the README ("Who is speaking").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from tasks.first_names import is_first_name

_EPISODE_NUMBER = re.compile(r"^\s*(?:ep(?:isode)?\.?\s*|#)(\d{1,5})\s*[.:\-–|]?\s*", re.IGNORECASE)
# "Lex Fridman Podcast #419", "Talk Python To Me Ep. 530", "Go Time #100"
_SHOW_NUMBER = re.compile(r"^(?P<show>.*?\S)\s*(?:#|\bEp(?:isode)?\.?\s*|\bNo\.\s*)(?P<n>\d{1,5})\s*$", re.I)
_SHOW_NUMBER_LEAD = re.compile(
    r"^(?P<show>[^:|]*?\S)\s*(?:#|\bEp(?:isode)?\.?\s*|(?<=Podcast)\s+|(?<=Show)\s+)(?P<n>\d{1,5})"
    r"(?:\s*[:\-–|]\s*|\s+(?=with\b))(?P<rest>.+)$",
    re.I,
)
# "..., host Rick Ferri" closing the part that names the guests
_HOST_TAIL = re.compile(r"[,”\"]+\s*(?:with )?(?:host|hosted by|moderated by)\s+(?P<host>[^,]+?)\s*$", re.I)
# "Nick Gendron, Josh Barrickman on Total Bond Market Index Funds": the guests before " on "
_NAMES_ON = re.compile(r"^(?P<names>.+?)\s+on\s+\S")
# the separators of a title's parts: "Bogleheads® 2022 Conference – Eric Balchunas – Ten Takeaways"
_DASH_PARTS = re.compile(r"\s+[–—-]+\s*|\s*[–—-]\s+")
# "Paul Merriman Presents Ten Life-Changing Lessons"
_PRESENTS = re.compile(r"^(?P<name>[^:|]{3,60}?)\s+(?:presents|explains|discusses)\s+\S", re.I)
# "Lex Fridman Podcast": a show named after its host
_HOST_SHOW = re.compile(r"^(?P<host>.+?)\s+(?:Podcast|Show)$")
_INTERVIEWS = re.compile(
    r"^\s*(?P<host>[^|:]{3,60}?)\s+(?P<verb>interviews|talks (?:to|with)|(?i:in conversation with))\s+"
    r"(?P<guest>.+?)\s*$"
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


# "LangChain's Harrison Chase", "Morningstar’s Ben Johnson": the company before the person
_COMPANY_OF = re.compile(r"^\S+['’]s\s+(?=[A-Z])")
# "David Luan of Adept", "Artem Keydunov from Cube.dev": the company after the person
_OF_COMPANY = re.compile(r"\s+(?:of|from|at)\s+\S.*$")


def split_people(text: str, first_names: bool = False) -> list[str]:
    """`Bill Gurley & Brad Gerstner` -> two names; [] unless every part looks like a person's name. A
    company said before or after a person ("LangChain's Harrison Chase", "David Luan of Adept") is dropped.
    `first_names`: every name must also begin with a first name of the gazetteer (for the weak forms, where
    "Reckoning with Personal Failure" must name nobody)."""
    text = _PAREN.sub(" ", text).strip(" ,-–")
    parts = [_JOB.sub("", p).strip() for p in re.split(r"\s*(?:&|,|\+|\band\b)\s*", text) if p.strip()]
    parts = [_OF_COMPANY.sub("", _COMPANY_OF.sub("", p)).strip() for p in parts]
    ok = parts and all(_PERSON.match(p) and not _NOT_A_PERSON.search(p) for p in parts)
    if ok and first_names:
        ok = all(is_first_name(re.sub(r"^(?:Dr|Mr|Mrs|Ms|Prof)\.\s+", "", p).split()[0]) for p in parts)
    return parts if ok else []


def _interview(m: re.Match[str], first: list[str], left: str, show: str | None, number: str | None) -> TitleFacts:
    """ "X interviews Y": X hosts, Y is the guest; "X in conversation with Y" says who talks, not who asks
    (at a conference the one named second often interviews), so both are people without a role."""
    second = split_people(m.group("guest"))
    if m.group("verb").lower() == "in conversation with":
        return TitleFacts(left, show, number, people=(*first, *second), form="host_interviews_guest")
    return TitleFacts(left, show, number, tuple(first), tuple(second), form="host_interviews_guest")


def _dash_parts(left: str, show: str | None, number: str | None, right: str) -> TitleFacts | None:
    """A title of parts between dashes, one of which names the speakers: the whole part ("– Joel Dickson
    and Paulo Costa from Vanguard"), before a colon or " on " ("– Chris Mamula on Finding Financial
    Independence"), a conversation ("– Burton Malkiel in Conversation with Rick Ferri") or a presenter."""
    parts = [p for p in _DASH_PARTS.split(left) if p.strip()]
    if len(parts) < 2:
        return None
    for part in parts:
        if (m := _INTERVIEWS.match(part)) and (first := split_people(m.group("host"), first_names=True)):
            return replace(_interview(m, first, left, show, number), subtitle=right or None, form="dash_parts")
        for pattern in (_NAME_COLON, _NAME_ON, _PRESENTS):
            if (m := pattern.match(part)) and (people := split_people(m.group("name"), first_names=True)):
                return TitleFacts(left, show, number, people=tuple(people), subtitle=right or None, form="dash_parts")
        if people := split_people(part, first_names=True):
            return TitleFacts(left, show, number, people=tuple(people), subtitle=right or None, form="dash_parts")
    return None


def _show_and_number(part: str) -> tuple[str, str] | None:
    m = _SHOW_NUMBER.match(part.strip())
    return (m.group("show").strip(" -–:"), m.group("n")) if m else None


def read_title(title: str | None) -> TitleFacts:
    """The facts of one page title (see the module's grammar)."""
    if not title:
        return TitleFacts()
    if " " not in title.strip() and "_" in title:  # a file name: "2023-11-27_Joshua_Sheats_and_Mikkel_Thorup"
        title = title.replace("_", " ")
    facts = _read(title)
    # "Lex Fridman Podcast #419": a show named after a person is hosted by them
    m = _HOST_SHOW.match(facts.show or "")
    if m and not facts.hosts and (hosts := split_people(m.group("host"), first_names=True)):
        facts = replace(facts, hosts=tuple(hosts))
    return facts


def _guests_and_host(rest: str) -> tuple[list[str], list[str]]:
    """The guests and any host of the part after a show's number: "Craig Lazzara on active versus passive
    funds, host Rick Ferri", "Christine Benz - taxes and safe withdrawal rates", "Rob Pike and Robert Griesemer"."""
    hosts: list[str] = []
    if (m := _HOST_TAIL.search(rest)) and (hosts := split_people(m.group("host"))):
        rest = rest[: m.start()]
    guests = split_people(rest) or split_people(re.split(r"\s[-–—]\s?|:\s", rest)[0])
    if not guests and (m := _NAMES_ON.match(rest)):
        guests = split_people(m.group("names"))
    if not guests and (w := _WITH_TAIL.search(rest)):
        guests = split_people(w.group(1))
    return guests, hosts


def _read(title: str) -> TitleFacts:
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
        guests, hosts = _guests_and_host(m.group("rest"))
        if guests:
            return TitleFacts(
                left, m.group("show"), m.group("n"), tuple(hosts), tuple(guests), form="show_number_guest"
            )
    # --- host_interviews_guest: "Hamilton Morris interviews Ethan Nadelmann"
    if (m := _INTERVIEWS.match(left)) and (first := split_people(m.group("host"))):
        return _interview(m, first, left, show, number)
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
    # --- parts between dashes: "Bogleheads® 2022 Conference – Mel Lindauer: Reflections on the Bogleheads"
    if facts := _dash_parts(left, show, number, right):
        return facts
    for part in (left, right):
        if not part or not (m := _WITH_TAIL.search(part)):
            continue
        featuring = bool(re.search(r"\b(?:ft|feat|featuring)\b", m.group(0), re.I))
        # "Reckoning with Personal Failure" names nobody: a bare "with" needs a first name, unless a
        # separator ("Topic - with X") or the guest's company ("with X of Adept") says it is a person
        marked = featuring or bool(re.search(r"[-–—|:]\s*$", part[: m.start()])) or bool(_OF_COMPANY.search(m.group(1)))
        if guests := split_people(m.group(1), first_names=not marked):
            form = "featuring" if featuring else "with_guest"
            return TitleFacts(left, show, number, guests=tuple(guests), subtitle=right or None, form=form)
    # --- "Ilya Sutskever (OpenAI) and Jensen Huang (NVIDIA CEO) : AI Today": names before a colon, without
    # a show, only when each begins with a first name ("Google Gemini: AlphaGo-GPT?" names nobody)
    if (m := _NAME_COLON.match(left)) and (people := split_people(m.group("name"), first_names=True)):
        return TitleFacts(left, show, number, people=tuple(people), subtitle=right or None, form="people_colon")
    if not show and not right and (found := _show_and_number(left)):
        show, number = found
    return TitleFacts(left, show, number, subtitle=right or None)
