"""The pipeline's entry to speaker attribution; the model itself lives in tasks.attribute."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tasks.attribute import Attribution, TurnView, attribute_turns, candidates, person_key
from tasks.formats.codes import UNMARKED_DIALOGUE
from tasks.model import Finding


@dataclass(frozen=True, slots=True)
class HeaderPeople:
    """Who the file's header names: hosts and guests where it says which, else just people."""

    hosts: list[str]
    guests: list[str]
    people: list[str]

    @classmethod
    def from_metadata(cls, meta: Mapping[str, str]) -> HeaderPeople:
        return cls(_names(meta.get("hosts")), _names(meta.get("guests")), _names(meta.get("people")))

    def count(self) -> int:
        return len({person_key(n) for n in [*self.hosts, *self.guests, *self.people]})


def is_unmarked_dialogue(turn_labels: Sequence[str | None], header: HeaderPeople) -> bool:
    """One unlabelled turn while the header names two or more people: a conversation whose speaker
    changes the file does not mark. Its speakers cannot be told apart (splitting unmarked text is
    measured in bench/eval_speakers.py and not good enough to apply), so nobody is named."""
    return len(turn_labels) == 1 and turn_labels[0] is None and header.count() >= 2


def unmarked_dialogue_finding(header: HeaderPeople) -> Finding:
    return Finding(
        UNMARKED_DIALOGUE,
        "warning",
        f"the header names {header.count()} people but the text marks no change of speaker; "
        "the text is one turn with no speaker",
        "turn 0",
    )


def attribute(
    turns: Sequence[TurnView],
    *,
    show: str | None,
    header: HeaderPeople,
    people_by_show: dict,
    title: str | None,
) -> list[Attribution]:
    if is_unmarked_dialogue([t.label for t in turns], header):
        return [Attribution(None, None, "unknown", "unknown", 0.0)]
    people = candidates(title, show, header.hosts, header.guests, people_by_show, named=header.people)
    return attribute_turns(turns, people)


def _names(value: str | None) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()] if value else []
