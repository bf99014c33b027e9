"""People the text introduces (tasks/speakers/introductions.py), on opening lines quoted from the training
shows (../shared/training/speakers) and the reference page, and shows that name themselves."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.speakers import AttributionParams, Person, TurnView
from tasks.speakers.introductions import introduced_people, introductions, show_named_in

PARAMS = AttributionParams.shipped()


def turns(*texts: str) -> list[TurnView]:
    return [TurnView(t, len(t.split()), None, False) for t in texts]


CASES = [
    # (opening turns, show, expected (name, role, kind) in order)
    (["Welcome to Talk Python To Me, the number one Python podcast. This is your host, Michael Kennedy."],
     "Talk Python To Me", [("Michael Kennedy", "host", "self")]),
    (["Welcome to Lenny's Podcast. I'm Lenny, and my goal here is to help you. Today, my guest is Sachin "
      "Monga, who is currently the head of product at Substack."],
     None, [("Lenny", "host", "self"), ("Sachin Monga", "guest", "guest")]),
    (["Hello, and welcome to Ship It. I'm your host, Justin Garrison, and with me as always, is Autumn Nash. "
      "How's it going, Autumn?"],
     "Ship It!", [("Justin Garrison", "host", "self"), ("Autumn Nash", "host", "cohost")]),
    (["So we're joined by Anna Pobletts, head of Passwordless 1Password. Thanks for coming on the show."],
     "The Changelog", [("Anna Pobletts", "guest", "guest")]),
    (["Today, I've got two guests, Jake Knapp and John Zeratsky. Jake and John are authors."],
     None, [("Jake Knapp", "guest", "guest"), ("John Zeratsky", "guest", "guest")]),
    (["Alright everybody, welcome back. On the show today, your hosts are myself, Erik St. Martin, Carlisia "
      "Pinto is also on the show - say hello, Carlisia..."],
     "Go Time", [("Erik St. Martin", "host", "self"), ("Carlisia", "host", "present"),
                 ("Carlisia Pinto", "host", "present")]),
    # JS Party #169: a line-up that hands the word to each panelist in turn
    (["Welcome to JS Party. I am Kball, I will be your MC this week, and I'm joined by two amazing "
      "panelists. First off, Amal, long time no chat. How are you doing?",
      "I'm alive, everybody... I miss being on the show so much.",
      "We are excited to have you. And then, the one, the only – Nick Nisi."],
     "JS Party", [("Kball", "host", "self"), ("Amal", "host", "handover"), ("Nick Nisi", "host", "handover")]),
    # JS Party #271: the line-up greets one panelist in the opening turn and the next a few turns later
    (["Welcome to this week's JS Party. I'm Kball, I'll be your host and MC today, and I am joined by two "
      "fellow panelists. First off, Amelia Wattenberger. Amelia, how are you?",
      "I'm good, joining from sunny Oakland.", "I know, right?", "Yeah...",
      "And somebody who maybe knows about warmth... Nick Nisi, how are you?"],
     "JS Party", [("Kball", "host", "self"), ("Amelia Wattenberger", "host", "handover"),
                  ("Amelia", "host", "handover"), ("Nick Nisi", "host", "handover")]),
    # Brain Science #32: a descriptor before the name
    (["Today we're joined by another expert, Dr. Elisha Goldstein. Elisha, I found out about you through Calm."],
     "Brain Science", [("Dr. Elisha Goldstein", "guest", "guest")]),
    # the guest is welcomed by name (Talk Python #543, #526) or said to be here (Go Time #324)
    (["Sydney, welcome back to Talk Python To Me. Awesome to have you here."],
     "Talk Python To Me", [("Sydney", "guest", "guest")]),
    (["Let's get to the interview. Hey, Hugo. Welcome to Talk Python. Awesome to have you."],
     "Talk Python To Me", [("Hugo", "guest", "guest")]),
    (["Alright, my name is Natalie and I'm here again with Jesús, and we are recording the second part."],
     "Go Time", [("Natalie", "host", "self"), ("Jesús", "guest", "guest")]),
    (["Thanks for listening. Welcome to the show, Rob."], None, [("Rob", "guest", "guest")]),
    # quoted, mentioned, possessive, a demonym, the show's own name, a common word: nobody is introduced
    (["There's Moore's law breaking down, as John McCarthy described in 1958."], None, []),
    (["I'm British, so I say it differently."], None, []),
    (["Hello and welcome. This is Go Time, and it is nice to be here. Nice."], "Go Time", []),
]  # fmt: skip


@pytest.mark.parametrize(("texts", "show", "expected"), CASES)
def test_introductions_name_who_the_words_introduce(texts: list[str], show: str | None, expected: list) -> None:
    found = [(i.name, i.role, i.kind) for i in introductions(turns(*texts), show, PARAMS)]
    assert found == expected


def test_a_near_spelling_of_a_candidate_is_that_candidate_and_a_full_name_replaces_a_first() -> None:
    said = turns("And also joining is Ben Burkett. I just know I've ruined your name just now.")
    assert introduced_people(said, [Person("Ben Burkert", "guest")], None, PARAMS) == []
    later = turns("I'm Lenny, welcome.", "Thanks.", "As I said, I'm Lenny Rachitsky.")
    assert introduced_people(later, [], None, PARAMS) == [Person("Lenny Rachitsky", "host")]


@pytest.mark.parametrize(
    ("opening", "show"),
    [
        ("Welcome to Lenny's Podcast. I'm Lenny.", "Lenny's Podcast"),
        ("Hello, and welcome to Ship It, the podcast all about what happens after you git push.", "Ship It"),
        ("Welcome to another episode of Practical AI. This is Daniel Whitenack.", "Practical AI"),
        ("Hello, JS Party people. Welcome to this week's JS Party. I'm Kball.", "JS Party"),
        ("Welcome to Talk Python To Me, the number one Python podcast.", "Talk Python To Me"),
        ("Hello, hello, and welcome to this episode of Go Time where we're going to be talking.", "Go Time"),
        ("Welcome to the show, Rob.", None),
        ("Welcome to my world, it is a strange one.", None),
    ],
)
def test_a_show_says_its_own_name_in_its_opening(opening: str, show: str | None) -> None:
    assert show_named_in([opening]) == show


@given(st.lists(st.text(max_size=120), max_size=6))
def test_every_name_introduced_is_said_in_the_text(texts: list[str]) -> None:
    said = " ".join(texts)
    for intro in introductions(turns(*texts), None, PARAMS):
        assert intro.name in said and intro.role in ("host", "guest", "other")
