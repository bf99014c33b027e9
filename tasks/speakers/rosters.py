"""Show rosters learnt from the lake: who speaks, by name, in several episodes of one show is one of its
hosts (guests come once; a recurring voice is the show's), whatever role single episodes gave them.

A new episode of a show the lake knows starts from this roster (as candidates, the way
``seeds/reference/people.csv`` rows are), so a host who never says their name in this episode is still
named, and the roster grows as episodes arrive. ``people.csv`` stays an override: its rows come first and
a learnt person who is already there (by name or alias) is not added again. A first name and a full name
of one show ("Lenny", "Lenny Rachitsky") are one person when no other regular has that first name; the
full name is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tasks.speakers.model import Person
from tasks.speakers.people import normalise_show, person_key, same_person


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One regular of a show: their name, their role (host: they recur), the episodes they speak in and in
    how many of those the model made them a host."""

    show: str
    name: str
    role: str
    n_episodes: int
    n_as_host: int


def learn_rosters(rows: Iterable[tuple[str, str, str, str]], min_episodes: int) -> dict[str, list[RosterEntry]]:
    """`rows` are (show, episode_id, speaker name, role) of named speakers in the lake; the result maps each
    normalised show to its hosts (named in at least `min_episodes` episodes), most episodes first."""
    seen: dict[tuple[str, str], dict[str, str]] = {}  # (show key, person key) -> episode -> role
    spelling: dict[tuple[str, str], str] = {}
    show_names: dict[str, str] = {}
    for show, episode_id, name, role in rows:
        if not show or not name:
            continue
        show_key = normalise_show(show)
        show_names.setdefault(show_key, show)
        key = (show_key, person_key(name))
        seen.setdefault(key, {})[episode_id] = role
        if len(name) > len(spelling.get(key, "")):
            spelling[key] = name
    _merge_first_names(seen, spelling)
    out: dict[str, list[RosterEntry]] = {}
    for (show_key, _person), episodes in seen.items():
        if len(episodes) < min_episodes:
            continue
        as_host = sum(role == "host" for role in episodes.values())
        entry = RosterEntry(show_names[show_key], spelling[(show_key, _person)], "host", len(episodes), as_host)
        out.setdefault(show_key, []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: (-e.n_episodes, e.name))
    return out


def _merge_first_names(seen: dict[tuple[str, str], dict[str, str]], spelling: dict[tuple[str, str], str]) -> None:
    """Fold a first name alone into the one full name of that show that starts with it."""
    for key in [k for k in seen if "-" not in k[1]]:
        fulls = [k for k in seen if k[0] == key[0] and "-" in k[1] and k[1].split("-")[0] == key[1]]
        if len(fulls) == 1:
            seen[fulls[0]] = seen.pop(key) | seen[fulls[0]]
            spelling.pop(key, None)


def with_rosters(
    people_by_show: Mapping[str, Sequence[Person]], rosters: Mapping[str, Sequence[RosterEntry]]
) -> dict[str, list[Person]]:
    """`people_by_show` (people.csv: it wins) with each show's learnt regulars added after its own rows."""
    out = {show: list(people) for show, people in people_by_show.items()}
    for show, entries in rosters.items():
        listed = out.setdefault(show, [])
        for entry in entries:
            if not any(same_person(p, entry.name) for p in listed):
                listed.append(Person(entry.name, entry.role))
    return out
