"""The pipeline's entry to speaker attribution; the model itself lives in tasks.attribute."""

from __future__ import annotations

from collections.abc import Sequence

from tasks.attribute import Attribution, TurnView, attribute_turns, candidates


def attribute(
    turns: Sequence[TurnView],
    *,
    show: str | None,
    hosts: list[str],
    guests: list[str],
    people_by_show: dict,
    title: str | None,
) -> list[Attribution]:
    people = candidates(title, show, hosts, guests, people_by_show)
    return attribute_turns(turns, people)
