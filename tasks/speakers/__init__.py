"""Speaker attribution: who says each turn, with a calibrated confidence.

One job per module:

- `people`: names and their keys, the candidates (header, title, show regulars);
- `introductions`: people the text introduces (self-introductions, guests, co-hosts, a chair's call);
- `cues`: what a turn's words say about who speaks (vocatives, introductions, hand-overs, host phrases);
- `labelled`: files that label their speakers (labels normalised to one speaker per person);
- `naming`: names for anonymous speakers from the vocatives that point at them ("Thanks, Jerod.");
- `voices`: a text that marks no change of speaker, one voice or several (a logistic model);
- `sequence`: files that mark speaker changes only, a sequence model with word and length profiles (EM);
- `calibration`: posteriors to calibrated confidences, and when to answer unknown;
- `params`: every weight, threshold and window, read from ``tasks/params/attribution.json``;
- `score`: how the bench and the tests score attributions against known speakers.

Deterministic; standard library and numpy. About 0.13 s for the reference page's 465 turns
(``timing`` in bench/results/eval_speakers.json).
"""

from __future__ import annotations

from collections.abc import Sequence

from tasks.formats.codes import UNMARKED_DIALOGUE
from tasks.model import Finding
from tasks.speakers.calibration import decide
from tasks.speakers.labelled import attribute_labelled
from tasks.speakers.model import ROLES, Attribution, Person, TurnView
from tasks.speakers.naming import name_anonymous
from tasks.speakers.params import AttributionParams
from tasks.speakers.people import HeaderPeople, PeopleByShow, candidates
from tasks.speakers.sequence import posteriors
from tasks.speakers.voices import VoiceParams, attribute_one_turn

__all__ = [
    "ROLES",
    "Attribution",
    "AttributionParams",
    "HeaderPeople",
    "Person",
    "TurnView",
    "VoiceParams",
    "attribute_episode",
    "attribute_turns",
    "is_unmarked_dialogue",
    "speaker_rows",
]


def attribute_turns(
    turns: Sequence[TurnView],
    people: Sequence[Person],
    params: AttributionParams | None = None,
    show: str | None = None,
) -> list[Attribution]:
    """One `Attribution` per turn, same order. Labelled files keep their labels (normalised). `params`
    default to the shipped ones (``tasks/params/attribution.json``)."""
    params = params or AttributionParams.shipped()
    if not turns:
        return []
    if any(t.label for t in turns):
        return attribute_labelled(turns, people, params)
    considered, post = posteriors(turns, people, params, show)
    return name_anonymous(turns, decide(considered, post, params), considered, params)


def is_unmarked_dialogue(turn_labels: Sequence[str | None], header: HeaderPeople) -> bool:
    """One unlabelled turn while the header names two or more people: a conversation whose speaker
    changes the file does not mark. Its speakers cannot be told apart (splitting unmarked text is
    measured in bench/boundaries.py and not good enough to apply), so nobody is named."""
    return len(turn_labels) == 1 and turn_labels[0] is None and header.count() >= 2


def attribute_episode(
    turns: Sequence[TurnView],
    *,
    header: HeaderPeople,
    show: str | None,
    title: str | None,
    people_by_show: PeopleByShow,
    params: AttributionParams,
    voices: VoiceParams | None = None,
) -> tuple[list[Attribution], tuple[Finding, ...]]:
    """Attributions for an episode's turns, and the findings that come with them. A text that is one
    unlabelled turn is one voice or several (`tasks.speakers.voices`), never a guess between two."""
    if is_unmarked_dialogue([t.label for t in turns], header):
        finding = Finding(
            UNMARKED_DIALOGUE,
            "warning",
            f"the header names {header.count()} people but the text marks no change of speaker; "
            "the text is one turn with no speaker",
            "turn 0",
        )
        return [Attribution(None, None, "unknown", "unknown", 0.0)], (finding,)
    people = candidates(title, show, header.hosts, header.guests, people_by_show, named=header.people)
    if len(turns) == 1 and turns[0].label is None:
        attribution, findings = attribute_one_turn(turns[0], people, show, params, voices or VoiceParams.shipped())
        return [attribution], findings
    return attribute_turns(turns, people, params, show), ()


def speaker_rows(attributions: Sequence[Attribution], turn_word_counts: Sequence[int]) -> list[dict[str, object]]:
    """One row per distinct non-None speaker_id: name, role, n_turns, n_words, talk_share (of words).

    talk_share is over all words of the episode (unknown turns included in the denominator), so
    shares sum to at most 1. Order: first appearance.
    """
    total = sum(turn_word_counts)
    rows: dict[str, dict[str, object]] = {}
    counts: dict[str, list[int]] = {}
    for a, w in zip(attributions, turn_word_counts, strict=True):
        if a.speaker_id is None:
            continue
        row = rows.setdefault(a.speaker_id, {"speaker_id": a.speaker_id, "name": a.name, "role": a.role})
        n = counts.setdefault(a.speaker_id, [0, 0])
        n[0] += 1
        n[1] += w
        if row["name"] is None and a.name:
            row["name"] = a.name
        if row["role"] == "unknown" and a.role != "unknown":
            row["role"] = a.role
    for speaker_id, row in rows.items():
        n_turns, n_words = counts[speaker_id]
        row |= {"n_turns": n_turns, "n_words": n_words, "talk_share": round(n_words / total, 6) if total else 0.0}
    return list(rows.values())
