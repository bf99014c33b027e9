"""Features of sentences and turns: words, questions, fillers, back-channels, sentiment.

Row-wise features are polars expressions over whole columns; only sentiment (VADER) is a per-sentence
Python call, the irreducible cost measured in perf_anchors §3. Numbers said are in `tasks.quantities`,
keywords in `tasks.keywords`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import polars as pl

WORD_PATTERN = r"\S*[\p{L}\p{N}]\S*"  # a whitespace token with at least one letter or digit


# Short acknowledgements: a turn made only of these (at most four words) is a back-channel.
BACKCHANNEL_WORDS = frozenset(
    """yeah yes yep yup right okay ok sure exactly totally true absolutely definitely correct wow oh no nope
    mm-hmm mhm uh-huh hmm huh ah interesting cool great nice amazing incredible indeed thanks""".split()
)
BACKCHANNEL_PHRASES = frozenset(
    {
        "of course",
        "that's right",
        "that's true",
        "i see",
        "got it",
        "no way",
        "for sure",
        "fair enough",
        "good point",
        "thank you",
        "oh my god",
        "makes sense",
        "that's it",
    }
)

_WH_WORDS = "who|whom|whose|what|when|where|why|how|which"
_AUX = (
    "do|does|did|is|are|was|were|am|can|could|will|would|shall|should|have|has|had|may|might|must"
    "|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|can't|couldn't|won't|wouldn't|shouldn't"
    "|haven't|hasn't"
)
_TAG_ENDINGS = (
    r"(?:,\s*(?:right|no|correct|yeah|huh|okay|eh)|(?:isn't|aren't|wasn't|don't|doesn't|didn't|won't|can't|"
    r"wouldn't|shouldn't|haven't|hasn't)\s+(?:it|he|she|they|you|we|i|that|there))\s*\?[\"”’')]*$"
)


def normalise_backchannel(text: str) -> str:
    return re.sub(r"[^\w\s'-]", "", text.lower()).strip()


def is_backchannel(text: str) -> bool:
    """A short acknowledgement (`Right.`, `Yeah, yeah.`, `Mm-hmm.`) rather than a contribution."""
    norm = normalise_backchannel(text)
    if not norm or len(norm.split()) > 4:
        return False
    for phrase in BACKCHANNEL_PHRASES:
        norm = norm.replace(phrase, " ")
    return all(w in BACKCHANNEL_WORDS for w in re.split(r"[\s,]+", norm) if w)


def sentence_features(fillers: Sequence[str]) -> dict[str, pl.Expr]:
    """n_words, is_question, question_kind and n_fillers as expressions over a `text` column."""
    filler_pattern = r"(?i)\b(?:" + "|".join(re.escape(f) for f in sorted(fillers, key=len, reverse=True)) + r")\b"
    text = pl.col("text")
    lower = text.str.to_lowercase()
    is_question = text.str.contains(r"\?[\"”’')\]]*$")
    kind = (
        pl.when(~is_question)
        .then(None)
        .when(lower.str.contains(_TAG_ENDINGS))
        .then(pl.lit("tag"))
        .when(lower.str.contains(rf"^\W*(?:and |but |so |well |okay |ok )?(?:{_WH_WORDS})\b"))
        .then(pl.lit("wh"))
        .when(lower.str.contains(r"\bor\b[^?]*\?") & lower.str.contains(rf"^\W*(?:{_AUX})\b"))
        .then(pl.lit("choice"))
        .when(lower.str.contains(rf"^\W*(?:and |but |so |well |okay |ok )?(?:{_AUX})\b"))
        .then(pl.lit("yes_no"))
        .otherwise(pl.lit("other"))
    )
    return {
        "n_words": text.str.count_matches(WORD_PATTERN),
        "is_question": is_question,
        "question_kind": kind,
        "n_fillers": text.str.count_matches(filler_pattern),
    }


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(texts: Sequence[str]) -> list[float]:
    """VADER compound score per text, in [-1, 1]."""
    analyzer = _vader()
    return [round(analyzer.polarity_scores(t)["compound"], 4) for t in texts]
