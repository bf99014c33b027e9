"""One voice or several, for a text that marks no change of speaker: the features, the model's answer on
real pages it was not fitted on (the corpus), and what the pipeline makes of each answer."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.episode import build_episode
from tasks.formats.codes import UNMARKED_DIALOGUE
from tasks.speakers import VoiceParams, attribute_episode
from tasks.speakers.model import TurnView
from tasks.speakers.params import AttributionParams
from tasks.speakers.people import HeaderPeople
from tasks.speakers.voices import FEATURES, several_voices, voice_features
from tests.conftest import corpus_file
from tests.episodes import FULL

NARRATION = (
    "Today we are going to look at three ways of splitting text. The first one is statistical. "
    "It reads the similarity of each sentence to the next and cuts where it drops. "
)
EXCHANGE = "What made you start the project? Yeah, so it began as a side thing. Right. Exactly. Thanks, Tim. "


@given(st.lists(st.sampled_from([NARRATION, EXCHANGE, "Yeah. ", "Great question. ", "Okay, cool. "]), max_size=12))
def test_features_are_rates_and_the_answer_a_probability(parts: list[str]) -> None:
    text = "".join(parts)
    features = voice_features(text)
    assert set(features) == set(FEATURES) and all(v >= 0 for v in features.values())
    assert 0.0 < several_voices(text) < 1.0


@given(st.integers(min_value=1, max_value=8))
def test_every_exchange_added_to_a_narration_makes_several_voices_likelier(n: int) -> None:
    narration = NARRATION * 20
    assert several_voices(narration + EXCHANGE * n) > several_voices(narration + EXCHANGE * (n - 1))


def test_a_narrator_moving_on_is_no_backchannel() -> None:
    # "Okay, cool." is how a tutorial moves to its next step, not a listener's answer
    assert voice_features(NARRATION + "Okay, cool. " + NARRATION)["backchannels"] == 0


def _attribute(text: str) -> tuple:
    turn = TurnView(text, len(text.split()), None, False)
    return attribute_episode(
        [turn],
        header=HeaderPeople([], [], []),
        show=None,
        title=None,
        people_by_show={},
        params=AttributionParams.shipped(),
        voices=VoiceParams.shipped(),
    )


def test_one_voice_is_one_speaker_named_only_by_itself() -> None:
    text = "Hi, I'm Grant Sanderson. " + NARRATION * 10 + "As Richard Feynman said, know what you do not know."
    (a,), findings = _attribute(text)
    assert (a.speaker_id, a.name, findings) == ("grant-sanderson", "Grant Sanderson", ())
    assert a.confidence == round(1 - several_voices(text), 4) > 0.5


def test_a_voice_that_says_nothing_of_its_role_has_role_unknown_not_a_coin_toss() -> None:
    (a,), _ = _attribute("The lesson is about patience. " * 40)
    assert (a.speaker_id, a.name, a.role) == ("S1", None, "unknown")


def test_several_voices_in_one_turn_get_no_speaker_and_a_warning() -> None:
    (a,), findings = _attribute((NARRATION + EXCHANGE) * 10)
    assert (a.speaker_id, a.attribution) == (None, "unknown")
    assert [f.code for f in findings] == [UNMARKED_DIALOGUE]


# Real pages that are one turn, none of them in the data the model was fitted on (bench/one_voice.py).
@pytest.mark.corpus
@pytest.mark.parametrize(
    ("relative", "speakers"),
    [
        # a commencement speech: one voice that never names itself
        ("srt/3b1b_2024_harvey-mudd-speech_english_captions.srt", [("S1", None, "unknown")]),
        # the host alone, introducing his show ("welcome to Talk Python To Me")
        ("vtt/talkpython_000_tptm_introducing_the_show.vtt", [("michael-kennedy", "Michael Kennedy", "host")]),
        # an interview whose captions mark no change, a clip of two voices, a Bible study group
        ("vtt/talkpython_001_nicola_iarocci_talk_python_to_me.vtt", []),
        ("seed_format/transcript_BguOKnPoiws.txt", []),
        ("seed_format/berean_transcript_wFaam7WLB7U.txt", []),  # quotes John Stott, who does not speak
    ],
)
def test_a_page_of_one_turn_is_one_speaker_or_no_speaker(relative: str, speakers: list) -> None:
    path = corpus_file(relative)
    episode = build_episode(path.read_bytes(), path.name, FULL)
    rows = episode.layer("speakers").select("speaker_id", "name", "role").rows()
    assert rows == speakers
    warned = [f.code for f in episode.findings if f.code == UNMARKED_DIALOGUE]
    assert warned == ([] if speakers else [UNMARKED_DIALOGUE])
    if speakers:
        assert episode.layer("turns")["attribution_confidence"][0] > 0.5


def test_unseen_parameters_change_the_answer() -> None:
    shipped = VoiceParams.shipped()
    certain = dataclasses.replace(shipped, intercept=50.0)
    (a,), _ = attribute_episode(
        [TurnView(NARRATION, 30, None, False)],
        header=HeaderPeople([], [], []),
        show=None,
        title=None,
        people_by_show={},
        params=AttributionParams.shipped(),
        voices=certain,
    )
    assert a.speaker_id is None
