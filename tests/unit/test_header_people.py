"""Who the header names, and what happens when the text does not mark who speaks."""

from __future__ import annotations

import pytest

from tasks.episode import build_episode
from tasks.formats import detect_and_parse
from tasks.speakers import HeaderPeople, is_unmarked_dialogue
from tasks.speakers.people import candidates
from tests.episodes import WITH_PEOPLE as SETTINGS

PEOPLE = SETTINGS.reference.people_by_show

DIALOGUE = """Back to Index

Why Rick Rubin Loves Pro Wrestling | Rick Rubin & Dr. Andrew Huberman


Transcript

You said you protect the inner landscape, but you're not averse to stimulation. Last night we went to the show.

It reminded me of early punk rock shows. It was exciting and scary, and I loved it.
"""


def _page(title: str, body: str) -> bytes:
    return f"Back to Index\n\n{title}\n\n\nTranscript\n\n{body}\n".encode()


def test_named_people_take_their_known_roles() -> None:
    # Andrew Huberman hosts a show in people.csv; Rick Rubin is nobody's regular, so a guest
    people = candidates(
        "Why Rick Rubin Loves Pro Wrestling", None, [], [], PEOPLE, named=["Rick Rubin", "Dr. Andrew Huberman"]
    )
    assert [(p.name, p.role) for p in people] == [("Andrew Huberman", "host"), ("Rick Rubin", "guest")]


def test_a_host_of_another_show_named_on_a_known_show_is_a_guest() -> None:
    # Jon Calhoun hosts Go Time; named on Practical AI, whose hosts are known, he is the guest
    people = candidates("Ep 1", "Practical AI", [], [], PEOPLE, named=["Jon Calhoun", "Daniel Whitenack"])
    roles = {p.name: p.role for p in people}
    assert roles["Jon Calhoun"] == "guest" and roles["Daniel Whitenack"] == "host"
    # with no show known, any show's host is taken for a host
    people = candidates("Ep 1", None, [], [], PEOPLE, named=["Jon Calhoun", "Rob Pike"])
    assert {p.name: p.role for p in people} == {"Jon Calhoun": "host", "Rob Pike": "guest"}


@pytest.mark.parametrize(
    ("title", "people"),
    [
        ("Why Rick Rubin Loves Pro Wrestling | Rick Rubin & Dr. Andrew Huberman", "Rick Rubin; Dr. Andrew Huberman"),
        ("How Startups Win | Full Episode", None),
        ("Growth | Startup School & Y Combinator", None),
        ("Sleep | Huberman Lab Podcast", None),
        # one name (`Topic | Guest (role)`, Lenny's Podcast's form; `Topic | Cal Newport`, a host's own show):
        # a person whose role the speaker model reads from what they do
        ("Ideas | Rick Rubin", "Rick Rubin"),
        ("The ultimate guide to founder-led sales | Jen Abel (co-founder of JJELLYFISH)", "Jen Abel"),
    ],
)
def test_only_people_subtitles_name_people(title: str, people: str | None) -> None:
    doc = detect_and_parse(_page(title, "- Hello there. - Hi.").decode(), "t.txt")
    assert doc.metadata.get("people") == people


def test_a_show_name_never_speaks() -> None:
    body = (
        "- So what got you started in startups?\n- I was always building things, since school.\n"
        "- And then?\n- Then I started again, and again, until one of them worked."
    )
    result = build_episode(_page("How Startups Win | Full Episode", body), "t.txt", SETTINGS)
    turns = result.table("turns")
    assert turns["speaker_id"].to_list() == ["S1", "S2", "S1", "S2"]
    roles = dict(zip(result.table("speakers")["speaker_id"], result.table("speakers")["role"], strict=True))
    assert roles == {"S1": "host", "S2": "guest"}


def test_a_lone_guest_gets_a_host_to_talk_to() -> None:
    body = "- So what got you started?\n- I was always building things.\n- And then?\n- I kept going."
    result = build_episode(_page("Welcome Rick Rubin | Some Show", body), "t.txt", SETTINGS)
    speakers = result.table("speakers")
    assert sorted(speakers["role"].to_list()) == ["guest", "host"]
    assert "rick-rubin" in speakers["speaker_id"].to_list()


def test_unmarked_dialogue_names_nobody_and_says_why() -> None:
    result = build_episode(DIALOGUE.encode(), "transcript_BguOKnPoiws.txt", SETTINGS)
    turns = result.table("turns")
    assert turns.height == 1
    assert turns["speaker_id"].to_list() == [None] and turns["attribution"].to_list() == ["unknown"]
    assert turns["attribution_confidence"].to_list() == [0.0]
    assert result.table("speakers").height == 0
    [finding] = [f for f in result.findings if f.code == "unmarked_dialogue"]
    assert finding.severity == "warning" and "2 people" in finding.message


def test_marked_dialogue_uses_the_header_names() -> None:
    body = (
        "- You said you protect the inner landscape. What does that mean to you?\n"
        "- It means I choose what I let in. I went to a wrestling show and loved it."
    )
    result = build_episode(_page("Wrestling | Rick Rubin & Dr. Andrew Huberman", body), "t.txt", SETTINGS)
    names = dict(zip(result.table("speakers")["name"], result.table("speakers")["role"], strict=True))
    assert names == {"Andrew Huberman": "host", "Rick Rubin": "guest"}
    assert not [f for f in result.findings if f.code == "unmarked_dialogue"]


@pytest.mark.parametrize(
    ("labels", "header", "expected"),
    [
        ([None], HeaderPeople([], [], ["Rick Rubin", "Dr. Andrew Huberman"]), True),
        ([None], HeaderPeople(["Bill Gurley", "Brad Gerstner"], ["Jensen Huang"], []), True),
        ([None], HeaderPeople([], [], ["Andrew Huberman", "Dr. Andrew Huberman"]), False),  # one person
        ([None], HeaderPeople([], [], ["Rick Rubin"]), False),  # a monologue
        ([None, None], HeaderPeople([], [], ["Rick Rubin", "Andrew Huberman"]), False),  # marked
        (["RICK"], HeaderPeople([], [], ["Rick Rubin", "Andrew Huberman"]), False),  # labelled
    ],
)
def test_unmarked_dialogue_rule(labels: list[str | None], header: HeaderPeople, expected: bool) -> None:
    assert is_unmarked_dialogue(labels, header) is expected
