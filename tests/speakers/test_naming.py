"""Anonymous speakers named by how the others address them (tasks/speakers/naming.py)."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from tasks.speakers import Attribution, AttributionParams, Person, TurnView
from tasks.speakers.naming import is_first_name, name_anonymous

PARAMS = AttributionParams.shipped()


def turns(*texts: str) -> list[TurnView]:
    return [TurnView(t, len(t.split()), None, False) for t in texts]


def who(*ids: str | None) -> list[Attribution]:
    names = {"anna-pobletts": "Anna Pobletts"}
    return [
        Attribution(i, names.get(i or ""), "guest" if i == "anna-pobletts" else "host", "inferred", 0.9) for i in ids
    ]


# The opening of The Changelog #544 (../shared/training/speakers), cut down: the host never says his name.
OPENING = turns(
    "So we're joined by Anna Pobletts, head of Passwordless 1Password. Thanks for coming on the show.",
    "Thanks, Jerod. Happy to be here.",
    "Happy to have you. Excited to talk passkeys.",
    "Yeah, those all sound great topics.",
    "Where should we start?",
    "Yeah. Jerod, you said something interesting when you were describing it.",
    "I did, did I?",
)
SPEAKERS = who("S1", "anna-pobletts", "S1", "anna-pobletts", "S1", "anna-pobletts", "S1")


def test_the_host_takes_the_name_the_guest_calls_him() -> None:
    named = name_anonymous(OPENING, SPEAKERS, [Person("Anna Pobletts", "guest")], PARAMS)
    assert {a.speaker_id: a.name for a in named} == {"jerod": "Jerod", "anna-pobletts": "Anna Pobletts"}
    assert [a.confidence for a in named] == [a.confidence for a in SPEAKERS]
    # a candidate with that first name gives the full name
    full = name_anonymous(OPENING, SPEAKERS, [Person("Jerod Santo", "host")], PARAMS)
    assert {a.name for a in full} == {"Jerod Santo", "Anna Pobletts"}


def test_fewer_vocatives_than_the_parameter_asks_or_a_word_that_is_no_first_name_names_nobody() -> None:
    once = OPENING[:5]  # one "Thanks, Jerod."
    assert name_anonymous(once, SPEAKERS[:5], [], dataclasses.replace(PARAMS, naming_min_votes=2)) == SPEAKERS[:5]
    assert {
        a.name for a in name_anonymous(once, SPEAKERS[:5], [], dataclasses.replace(PARAMS, naming_min_votes=1))
    } == {
        "Jerod",
        "Anna Pobletts",
    }
    # two names share the speaker's votes: neither has the share the parameter asks
    split = turns("Hi.", "Thanks, Jerod.", "Sure.", "Right, Adam.", "Go on.")
    ids = who("S1", "anna-pobletts", "S1", "anna-pobletts", "S1")
    assert name_anonymous(split, ids, [], dataclasses.replace(PARAMS, naming_min_votes=1, naming_min_share=0.6)) == ids
    totally = turns("We ship it.", "Totally, yes.", "So we ship.", "Totally. Gotcha.", "Okay, done.")
    ids = who("S1", "S2", "S1", "S2", "S1")
    assert name_anonymous(totally, ids, [], PARAMS) == ids
    assert is_first_name("Jerod") and not is_first_name("Totally") and not is_first_name("Gotcha")


@given(st.lists(st.sampled_from(["Thanks, Jerod.", "Right, Adam?", "Yes.", "So, Anna, go on.", "Hm"]), max_size=12))
def test_anonymous_speakers_stay_numbered_in_order_and_turns_keep_their_speaker(texts: list[str]) -> None:
    ids = [f"S{1 + i % 2}" for i in range(len(texts))]
    before = who(*ids)
    after = name_anonymous(turns(*texts), before, [], PARAMS)
    left = list(dict.fromkeys(a.speaker_id for a in after if a.name is None))
    assert left == [f"S{i + 1}" for i in range(len(left))]
    # the same turns go together before and after
    pairs = {(b.speaker_id, a.speaker_id) for b, a in zip(before, after, strict=True)}
    assert len(pairs) == len({b for b, _ in pairs}) == len({a for _, a in pairs})


def test_a_turn_that_is_the_word_alone_is_no_vocative() -> None:
    # JS Party #169: "Yup." is in the gazetteer, and a whole turn of it addresses no one
    said = turns("Welcome, everybody.", "Yup.", "So, about the show.", "Yup.", "Right.")
    ids = who("S1", "S2", "S1", "S2", "S1")
    assert name_anonymous(said, ids, [], dataclasses.replace(PARAMS, naming_min_votes=1)) == ids
    addressed = turns("Welcome, everybody.", "Thanks, Jerod.", "So, about the show.", "Thanks, Jerod.", "Right.")
    assert {a.name for a in name_anonymous(addressed, ids, [], PARAMS)} == {"Jerod", None}


def test_a_name_alone_before_a_full_stop_answers_and_addresses_no_one() -> None:
    # Lenny's Podcast (Tamar Yehoshua): "Who did you go to Slack for?" "Stewart. Again, I went to Slack..."
    said = turns("Why Slack?", "Stewart. Again, I went to Slack to work with him.", "Nice.", "Stewart. Yes.")
    ids = who("S1", "S2", "S1", "S2")
    assert name_anonymous(said, ids, [], dataclasses.replace(PARAMS, naming_min_votes=1)) == ids
    # an interjection the gazetteer lists is no name either ("Yup, let's do it.")
    yup = turns("Ready?", "Yup, let's do it.", "Go.", "Yup, going.")
    assert name_anonymous(yup, ids, [], dataclasses.replace(PARAMS, naming_min_votes=1)) == ids
    # the same names said to someone still name them
    called = turns("Why Slack?", "Stewart, you asked that before.", "Right.", "Stewart, yes.")
    assert {a.name for a in name_anonymous(called, ids, [], PARAMS)} == {"Stewart", None}


def test_a_name_in_a_web_address_is_still_a_name() -> None:
    # Lenny's Podcast: sponsor reads end "getdx.com/lenny"; "Thanks for having me, Lenny." still names the host
    said = turns(
        "Visit getdx.com/lenny to learn more. Nicole, thank you for being here.", "Thanks for having me, Lenny."
    )
    ids = who("S1", "S2")
    assert {a.name for a in name_anonymous(said, ids, [], PARAMS)} == {"Lenny", None}
    # the word itself in lower case still makes it a common word
    common = turns("I'll lenny it later. Nicole, thank you for being here.", "Thanks for having me, Lenny.")
    assert name_anonymous(common, ids, [], PARAMS) == ids
