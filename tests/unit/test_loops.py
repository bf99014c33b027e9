"""Hallucination loops flagged on the sentence: Whisper's stuck decoder on real pages, and no flag on real speech.

The real loops are the four of ../shared/training/times that its manifest notes (plus one it does not:
0HU90nBDsEk repeats "And the Word is a book of the Word." in five consecutive segments of its Whisper file).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.document import BuildContext
from tasks.episode import Episode, build_episode
from tasks.formats._cues import LOOP_REPEATS, loop_reason
from tests.conftest import REFERENCE

TRAINING = Path(__file__).resolve().parents[2].parent / "shared" / "training"
needs_training = pytest.mark.skipif(not TRAINING.exists(), reason="../shared/training not available")
CONTEXT = BuildContext("test", "run-test")

# page id -> the sentence its Whisper loop repeats (as the page writes it), and how often the page says it outside
# the loop: zJBpRn2zTco's narrator says it once before the loop's two repeats and once more a minute later
LOOPS = {
    "9hscUFWaBvw": ("The sixth step is to create a system that can control the AI.", 1),
    "_njf22xx8BQ": ("I did not even know that I was going to be able to do this.", 1),
    "0HU90nBDsEk": ("And the Word is a book of the Word.", 1),
    "zJBpRn2zTco": ("So I'm going to go ahead and read the answer.", 2),
}


def _page(page_id: str) -> Episode:
    path = TRAINING / "times" / f"transcript_{page_id}.txt"
    return build_episode(path.read_bytes(), path.name, CONTEXT)


def _flagged(ep: Episode) -> list[str]:
    s = ep.layers["sentences"]
    return [t for t, f in zip(s["text"].to_list(), s["flag"].to_list(), strict=True) if f == "hallucination"]


@needs_training
@pytest.mark.parametrize("page_id", sorted(LOOPS))
def test_every_repeat_of_a_real_loop_is_flagged_and_its_first_saying_is_not(page_id: str) -> None:
    ep = _page(page_id)
    sentence, outside_the_loop = LOOPS[page_id]
    said = Counter(ep.layers["sentences"]["text"].to_list())[sentence]
    assert said - outside_the_loop >= 2
    assert Counter(_flagged(ep)) == {sentence: said - outside_the_loop}
    loop_findings = [f for f in ep.findings if f.code == "hallucination"]
    assert len(loop_findings) == 1 and "repeats" in loop_findings[0].message


@needs_training
def test_a_page_that_ends_in_a_loop_has_most_of_its_end_flagged() -> None:
    ep = _page("RCRuiu-3VDU")  # the manifest: a loop from 13:10 to the end (16:34)
    flags = ep.layers["sentences"]["flag"].to_list()
    tail = flags[-60:]
    assert tail.count("hallucination") >= 55
    assert flags[:100].count("hallucination") == 0


def test_the_reference_page_has_no_loop() -> None:
    assert _flagged(build_episode(REFERENCE.read_bytes(), REFERENCE.name, CONTEXT)) == []


@needs_training
@pytest.mark.slow
def test_real_speech_of_62_labelled_episodes_is_not_a_loop() -> None:
    """People repeat themselves ("I asked, I asked, I asked.", "your boss's boss's boss's boss's radar", "and and
    and and"): across the 62 episodes the one flag is a caption line of sixteen "HTML,"s in 0.2 seconds."""
    flagged = {}
    for path in sorted((TRAINING / "speakers").glob("*.*")):
        if path.suffix in (".md", ".vtt", ".txt"):
            found = _flagged(build_episode(path.read_bytes(), path.name, CONTEXT))
            if found:
                flagged[path.name] = found
    assert list(flagged) == ["talkpython_530-anywidget.vtt"]
    assert len(flagged["talkpython_530-anywidget.vtt"]) == 1


@pytest.mark.parametrize(
    ("text", "loops"),
    [
        ("you you you you", True),
        ("So that was the end of it. you you you you you you you", True),
        ("got them, got them, got them, got them, got them", True),
        ("HTML, HTML, HTML, HTML, HTML, HTML, HTML, HTML, HTML.", True),
        ("Wait, wait, wait, wait.", False),
        ("It might not be on your boss's boss's boss's boss's radar, your boss's boss.", False),
        ("Moms have been telling stories to daughters and and and and people have been listening.", False),
        ("I asked, I asked, I asked.", False),
    ],
)
def test_a_phrase_repeated_back_to_back_loops_when_it_fills_or_ends_the_text(text: str, loops: bool) -> None:
    assert (loop_reason(text) is not None) is loops


@needs_training
@settings(max_examples=20)  # each example builds two whole episodes
@given(
    page_id=st.sampled_from(["64eXCs5t_74", "x8G6NR1HRbA", "uR11j7aiG-U"]),
    word=st.sampled_from(["you", "Thank you.", "okay"]),
    repeats=st.integers(LOOP_REPEATS + 2, 40),
)
def test_a_loop_appended_to_a_real_page_flags_its_last_sentence_only(page_id: str, word: str, repeats: int) -> None:
    path = TRAINING / "times" / f"transcript_{page_id}.txt"
    plain = build_episode(path.read_bytes(), path.name, CONTEXT)
    looped_text = path.read_text(encoding="utf-8").rstrip("\n") + " " + " ".join([word.rstrip(".")] * repeats) + "\n"
    looped = build_episode(looped_text.encode(), path.name, CONTEXT)
    flags = looped.layers["sentences"]["flag"].to_list()
    assert flags[-1] == "hallucination"
    assert flags[:-1] == plain.layers["sentences"]["flag"].to_list()[: len(flags) - 1]
