"""Show rosters learnt from named speakers (tasks/speakers/rosters.py)."""

from __future__ import annotations

from tasks.speakers import Person
from tasks.speakers.rosters import learn_rosters, with_rosters

ROWS = [
    ("Talk Python To Me", "e1", "Michael Kennedy", "host"),
    ("Talk Python To Me", "e1", "Trevor Manz", "guest"),
    ("Talk Python To Me", "e2", "Michael Kennedy", "host"),
    ("Talk Python To Me", "e2", "Larry Ogrodnek", "guest"),
    ("Talk Python To Me", "e3", "Michael", "host"),
    ("Lenny's Podcast", "l1", "Lenny", "host"),
    ("Lenny's Podcast", "l2", "Lenny Rachitsky", "host"),
    ("Lenny's Podcast", "l3", "Lenny Rachitsky", "guest"),
]


def test_who_speaks_in_two_episodes_of_a_show_is_one_of_its_hosts() -> None:
    rosters = learn_rosters(ROWS, min_episodes=2)
    talk = [(e.name, e.role, e.n_episodes) for e in rosters["talkpythontome"]]
    assert talk == [("Michael Kennedy", "host", 3)]  # "Michael" alone is the one Michael of the show
    lenny = rosters["lennyspodcast"]
    assert [(e.name, e.role, e.n_episodes, e.n_as_host) for e in lenny] == [("Lenny Rachitsky", "host", 3, 2)]
    assert learn_rosters(ROWS, min_episodes=4) == {}


def test_people_csv_wins_and_learnt_regulars_follow_its_rows() -> None:
    listed = {"talkpythontome": [Person("Michael Kennedy", "host", ("Michael Kenedy",))]}
    rosters = learn_rosters([*ROWS, ("Talk Python To Me", "e4", "Paul Everitt", "guest"),
                             ("Talk Python To Me", "e5", "Paul Everitt", "guest")], min_episodes=2)  # fmt: skip
    merged = with_rosters(listed, rosters)
    # a voice that recurs is the show's, whatever single episodes made of it
    assert merged["talkpythontome"] == [Person("Michael Kennedy", "host", ("Michael Kenedy",)),
                                        Person("Paul Everitt", "host")]  # fmt: skip
    assert merged["lennyspodcast"] == [Person("Lenny Rachitsky", "host")]
    assert listed == {"talkpythontome": [Person("Michael Kennedy", "host", ("Michael Kenedy",))]}  # not changed
