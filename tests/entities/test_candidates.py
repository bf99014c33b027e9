"""Names the gazetteer does not know, found from the text: what counts as a name, how it is typed, and that a
lone first name joins its person."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.entities import Entity, Gazetteer, build_gazetteer, find_mentions
from tasks.entity_candidates import CONFIDENCE
from tasks.sentences import sentence_spans

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return build_gazetteer([Entity("tesla", "Tesla", "company"), Entity("python", "Python", "technology")])


def candidates(text: str, gazetteer: Gazetteer) -> dict[str, tuple[str, str]]:
    """surface -> (canonical, type) of the candidate mentions."""
    return {
        m.surface: (m.canonical, m.entity_type)
        for m in find_mentions(text, sentence_spans(text), gazetteer)
        if m.match_kind == "candidate"
    }


def test_a_first_name_and_a_surname_are_a_person_and_the_lone_first_name_is_that_person(gaz: Gazetteer) -> None:
    found = candidates("We had Dustin Kirkland on. Later, Dustin told us more. I asked Kirkland again.", gaz)
    assert found["Dustin Kirkland"] == ("Dustin Kirkland", "person")
    assert found["Dustin"] == ("Dustin Kirkland", "person")
    assert found["Kirkland"] == ("Dustin Kirkland", "person")


def test_a_first_name_that_is_a_common_word_needs_a_rare_surname(gaz: Gazetteer) -> None:
    found = candidates("They ran a Red Team exercise. I met Mark Shuttleworth there.", gaz)
    assert found.get("Red Team", ("", ""))[1] != "person"
    assert found["Mark Shuttleworth"][1] == "person"


def test_head_words_type_a_run(gaz: Gazetteer) -> None:
    found = candidates("She joined Zorvex Labs last year, and then we used the Flux App daily.", gaz)
    assert found["Zorvex Labs"][1] == "organisation"
    assert found["Flux App"][1] == "product"


def test_a_name_listed_beside_known_names_takes_their_type(gaz: Gazetteer) -> None:
    found = candidates("Companies like Netflix, Uber, Lyft and Tesla run on it.", gaz)
    assert {found[n][1] for n in ("Netflix", "Uber", "Lyft")} == {"organisation"}


def test_a_plain_capitalised_word_must_recur_and_never_be_said_in_lower_case(gaz: Gazetteer) -> None:
    assert "Debian" in candidates("We ship on Debian now. The Debian folks agreed.", gaz)
    assert "Debian" not in candidates("We ship on Debian now.", gaz)
    assert "Agent" not in candidates("The Agent runs. Our Agent helps. An agent is a program.", gaz)
    assert "Texas" not in candidates("We moved to Texas. Texas is hot.", gaz)  # common in English: no name on capitals


def test_shape_marks_a_single_name_but_common_abbreviations_and_their_plurals_do_not(gaz: Gazetteer) -> None:
    found = candidates("Open PowerShell, then PuTTY, then E2B. The API and the CEO use CDNs and KDE.", gaz)
    assert {"PowerShell", "PuTTY", "E2B", "KDE"} <= set(found)
    assert not {"API", "CEO", "CDNs"} & set(found)


def test_context_votes_type_a_name_when_they_agree(gaz: Gazetteer) -> None:
    text = "We use Zyntrax at work. They install Zyntrax everywhere. Teams running Zyntrax love it."
    assert candidates(text, gaz)["Zyntrax"][1] == "product"
    assert candidates("We saw Zyntrax once. We saw Zyntrax again.", gaz)["Zyntrax"][1] == "unknown"


def test_sentence_openers_and_greetings_are_not_names(gaz: Gazetteer) -> None:
    found = candidates("Hey Guys, welcome. Thanks Zorvex Dynamics for the support. Monday Zorvex Dynamics called.", gaz)
    assert "Hey Guys" not in found and "Guys" not in found
    assert found["Zorvex Dynamics"][0] == "Zorvex Dynamics"


_WORDS = st.sampled_from(
    ["Dustin", "Kirkland", "Netflix", "Tesla", "and", "we", "use", "PowerShell", "API", "Labs", "Zorvex", "the",
     "said", "Red", "Team", ",", ".", "Mark", "Shuttleworth", "agent", "Agent", "of", "Bank", "America"]
)  # fmt: skip


@given(st.lists(_WORDS, min_size=1, max_size=60))
def test_candidate_mentions_are_spans_of_the_text_with_a_type_and_a_confidence(words: list[str]) -> None:
    text = " ".join(words).replace(" ,", ",").replace(" .", ".")
    gazetteer = build_gazetteer([Entity("tesla", "Tesla", "company")])
    found = find_mentions(text, sentence_spans(text), gazetteer)
    for m in found:
        assert text[m.start : m.end] == m.surface
        assert 0 < m.confidence <= 1
        if m.match_kind == "candidate":
            assert m.entity_id.startswith("candidate:") and m.entity_id != "candidate:"
            assert m.entity_type in {"person", "organisation", "product", "place", "unknown"}
            assert m.confidence in CONFIDENCE.values()
        else:
            assert m.confidence == 1.0
    assert found == find_mentions(text, sentence_spans(text), gazetteer)
