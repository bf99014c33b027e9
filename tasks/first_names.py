"""Whether a word is a person's first name: gender-guesser's gazetteer (about 40,000 names of 54 countries,
Western names best covered). Used by the title grammar and the speaker model alike."""

from __future__ import annotations

from functools import lru_cache

from gender_guesser.detector import Detector  # type: ignore[import-untyped]


@lru_cache(maxsize=1)
def _first_names() -> Detector:
    return Detector(case_sensitive=False)


def is_first_name(word: str) -> bool:
    """Whether `word` is a first name of the gazetteer: "Jerod" is, "Totally" and "Gotcha" are not."""
    return _first_names().get_gender(word) != "unknown"
