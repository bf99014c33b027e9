"""How common a word is in English: wordfreq's frequencies (Speer et al., many sources), on the Zipf scale
(log10 of uses per billion words: "the" 7.7, "company" 5.6, "inference" 3.3, "tmux" 1.5)."""

from __future__ import annotations

import math
from functools import cache

from wordfreq import get_frequency_dict

# Words wordfreq has never seen (names, coinages, ASR misspellings) count as this rare, not rarer:
# Zipf 1 is about the rarest figure its English lists report.
MIN_ZIPF = 1.0
_FLOOR = 10 ** (MIN_ZIPF - 9)


@cache
def _english() -> dict[str, float]:
    return get_frequency_dict("en")


def rate(word: str) -> float:
    """Uses per word of English text of a lower-case word, at least the floor of `MIN_ZIPF`."""
    return max(_english().get(word, 0.0), _FLOOR)


def phrase_rate(words: list[str]) -> float:
    """wordfreq's estimate for a phrase: 1/f = 1/f1 + 1/f2 + ..., so its rarest word dominates."""
    return 1.0 / sum(1.0 / rate(word) for word in words)


def zipf(word: str) -> float:
    """The Zipf value of a lower-case word."""
    return math.log10(rate(word)) + 9
