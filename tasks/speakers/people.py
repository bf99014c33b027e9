"""Who may speak in an episode: names and their keys, the header's people, the show's regulars, and
people the text introduces.

Candidates come from the episode header and its title (the grammar of ``tasks/formats/titles.py``) and
the show's regulars in ``seeds/reference/people.csv``; `tasks.speakers.introductions` adds the people
the text introduces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tasks.formats.titles import read_title
from tasks.speakers.model import ROLES, Person

PeopleByShow = Mapping[str, Sequence[Person]]

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


HONORIFICS = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|sen|senator|rep|the honorable)\.?\s+", re.I)


def label_key(label: str) -> str:
    """One key per person however a label or header writes them: `Dr. Andrew Huberman` -> `andrew-huberman`."""
    s = " ".join(label.replace("*", " ").split()).strip(" :.")
    s = HONORIFICS.sub("", s)
    return slug(s)


def person_key(name: str) -> str:
    """One key per person however the header writes them: `Dr. Andrew Huberman` -> `andrew-huberman`."""
    return label_key(name)


def same_person(a: Person | str, b: Person | str) -> bool:
    na = {person_key(x) for x in ((a.name, *a.aliases) if isinstance(a, Person) else (a,))}
    nb = {person_key(x) for x in ((b.name, *b.aliases) if isinstance(b, Person) else (b,))}
    return bool(na & nb)


def people_from_rows(rows: Iterable[Mapping[str, str | None]]) -> dict[str, list[Person]]:
    """``people.csv`` rows (show, name, role, aliases) -> normalised show name -> its regulars, in file order."""
    out: dict[str, list[Person]] = {}
    for row in rows:
        show, name = (row.get("show") or "").strip(), (row.get("name") or "").strip()
        if not show or not name:
            continue
        role = (row.get("role") or "other").strip().lower()
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        out.setdefault(normalise_show(show), []).append(Person(name, role if role in ROLES else "other", aliases))
    return out


# ---------------------------------------------------------------- the header's people


@dataclass(frozen=True, slots=True)
class HeaderPeople:
    """Who the file's header names: hosts and guests where it says which, else just people."""

    hosts: list[str]
    guests: list[str]
    people: list[str]

    def count(self) -> int:
        return len({person_key(n) for n in [*self.hosts, *self.guests, *self.people]})


def split_names(value: str | None) -> list[str]:
    """The header's `; `-separated list of names."""
    return [v.strip() for v in value.split(";") if v.strip()] if value else []


def candidates(
    title: str | None,
    show: str | None,
    hosts: list[str],
    guests: list[str],
    people_by_show: PeopleByShow,
    named: Sequence[str] = (),
) -> list[Person]:
    """People who may speak in the episode: header hosts, the show's regulars, header/title guests.

    Order matters (earlier = preferred when evidence is equal): header hosts, show regulars,
    then guests. Duplicates (same slug or alias) are merged, keeping the people list's aliases.
    ``named`` are people the header names without saying who hosts (`Rick Rubin & Dr. Andrew
    Huberman`): a host of the episode's show (of any show in people.csv when the show is not known)
    is a host, the others guests.
    """
    # the title's grammar (tasks/formats/titles.py): the page reader has read it into the header already;
    # other formats' titles (a front matter's `title:`) are read here
    facts = read_title(title)
    show = show or facts.show
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
            if same_person(p, q):
                if not q.aliases and p.aliases:
                    out[i] = Person(q.name, q.role, p.aliases)
                return
        out.append(p)

    def regular(name: str) -> Person | None:
        return next((p for p in regulars if same_person(p, name)), None)

    title_hosts = [h for h in facts.hosts if not any(same_person(h, x) for x in hosts)]
    title_guests = [g for g in facts.guests if not any(same_person(g, h) for h in [*hosts, *title_hosts])]
    named = [*named, *(p for p in facts.people if not any(same_person(p, n) for n in named))]
    # a named person hosts if they host this show; with no show known, if they host any show we know
    known_hosts = (
        [p for p in regulars if p.role == "host"]
        if regulars
        else [p for ppl in people_by_show.values() for p in ppl if p.role == "host"]
    )
    named_hosts: list[Person] = []
    for name in named:
        host = next((p for p in known_hosts if same_person(p, name)), None)
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
