"""Enrichment of sentences and turns: words, questions, fillers, back-channels, sentiment,
numbers and keywords. Row-wise features are polars expressions over whole columns; only
sentiment (VADER) is a per-sentence Python call, the irreducible cost measured in perf_anchors §3.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import polars as pl

WORD_PATTERN = r"\S*[\p{L}\p{N}]\S*"  # a whitespace token with at least one letter or digit

DEFAULT_FILLERS = ("um", "uh", "erm", "er", "hmm", "mm", "ah", "you know", "i mean", "sort of", "kind of")


def load_fillers(path: Path) -> tuple[str, ...]:
    """The `filler` column of seeds/reference/fillers.csv ('#' lines are comments)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(row["filler"].strip().lower() for row in rows if row["filler"].strip())


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


def sentence_features(sentences: pl.DataFrame, fillers: Sequence[str] = DEFAULT_FILLERS) -> pl.DataFrame:
    """Add n_words, is_question, question_kind and n_fillers to a frame with a `text` column."""
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
    return sentences.with_columns(
        n_words=text.str.count_matches(WORD_PATTERN).cast(pl.Int64),
        is_question=is_question,
        question_kind=kind,
        n_fillers=text.str.count_matches(filler_pattern).cast(pl.Int64),
    )


@lru_cache(maxsize=1)
def _vader():  # type: ignore[no-untyped-def]
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(texts: Sequence[str]) -> list[float]:
    """VADER compound score per text, in [-1, 1]."""
    analyzer = _vader()
    return [round(analyzer.polarity_scores(t)["compound"], 4) for t in texts]


# --- numbers said -------------------------------------------------------------------------

_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mm": 1e6,
    "billion": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "t": 1e12,
    "tn": 1e12,
}
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
    "a million": 1e6,
    "a billion": 1e9,
    "a trillion": 1e12,
    "half": 0.5,
    "a couple": 2,
    "a dozen": 12,
    "dozen": 12,
}
_UNIT_WORDS = {
    "percent": "percent",
    "%": "percent",
    "per cent": "percent",
    "x": "x",
    "times": "x",
    "fold": "x",
    "years": "duration_years",
    "year": "duration_years",
    "months": "duration_months",
    "month": "duration_months",
    "weeks": "duration_weeks",
    "week": "duration_weeks",
    "days": "duration_days",
    "day": "duration_days",
    "hours": "duration_hours",
    "hour": "duration_hours",
    "minutes": "duration_minutes",
    "seconds": "duration_s",
    "gigawatts": "gigawatts",
    "gigawatt": "gigawatts",
    "megawatts": "megawatts",
    "watts": "watts",
    "dollars": "usd",
    "bucks": "usd",
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
_SCALE = "|".join(sorted(_SCALES, key=len, reverse=True))
_UNIT = "|".join(sorted((re.escape(u) for u in _UNIT_WORDS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?P<currency>\$)?(?P<num>{_NUM}|\b(?:{_WORDNUM})\b)"
    rf"(?:\s*(?:to|-|–|or)\s*\$?(?P<num2>{_NUM}))?"
    rf"(?:\s?(?P<scale>(?:{_SCALE}))\b)?"
    rf"(?:\s?(?P<unit>(?:{_UNIT}))(?![\w]))?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    surface: str
    value_low: float
    value_high: float
    unit: str


def _to_number(token: str) -> float:
    token = token.lower().replace(",", "")
    return float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else float(token)


def quantities(text: str) -> list[Quantity]:
    """Numbers said in `text`, with a unit: `$1.5 trillion` -> 1.5e12 usd, `19 days`, `10x`,
    `2024` -> year. Spelled-out numbers count only with a scale or unit (`a million`, `two years`)."""
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        num, num2, scale, unit, currency = (match.group(k) for k in ("num", "num2", "scale", "unit", "currency"))
        is_word = not num[0].isdigit()
        if is_word and not (scale or unit or currency):
            continue
        if (
            num[0].isdigit()
            and match.start("num") > 0
            and (text[match.start("num") - 1].isalnum() or text[match.start("num") - 1] in "-.")
        ):
            continue  # part of a name or version such as GPT-4 or v3.1
        if match.end() < len(text) and text[match.end()].isalnum():
            continue  # an ordinal (4th) or a code (A100s is kept by the unit, 3rd is not a count)
        low = _to_number(num)
        high = _to_number(num2) if num2 else low
        factor = _SCALES.get(scale.lower(), 1.0) if scale else 1.0
        low, high = low * factor, high * factor
        if currency or (unit and _UNIT_WORDS[unit.lower()] == "usd"):
            kind = "usd"
        elif unit:
            kind = _UNIT_WORDS[unit.lower()]
        elif not scale and re.fullmatch(r"(?:19|20)\d\d", num):
            kind = "year"
        else:
            kind = "count"
        end = match.end()
        while end > match.start() and text[end - 1].isspace():
            end -= 1
        found.append(Quantity(match.start(), end, text[match.start() : end], low, max(low, high), kind))
    return found


# --- keywords -----------------------------------------------------------------------------

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being below
    between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
    few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
    him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't
    my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd
    she'll she's should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up very was wasn't we
    we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why
    why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves yeah yes okay
    ok oh um uh like just really know think going gonna get got thing things lot kind sort mean right well also
    actually say said want way going see go one two now even much many something anything everything people
    thats dont cant youre theyre weve ive im whats lets back still make made take every could would us let come
    look little around need good great pretty able sure new first next last time times year years day
    different thank thanks today world thought question questions point part whole whether maybe probably
    lots kinds ways everybody everyone somebody someone anybody anyone nobody talk talking said says
    started start mean means course else another getting looking give gave put talked yes sort wanna""".split()
)
_TOKEN = re.compile(r"[a-z][a-z0-9'’-]*[a-z0-9]|[a-z]")


def keywords(
    chapter_texts: Sequence[str], top_n: int = 10, min_count: int = 2
) -> tuple[list[list[tuple[str, float]]], list[tuple[str, float]]]:
    """TF-IDF keywords (unigrams and bigrams) per chapter, against the other chapters, and for the
    episode as a whole.

    The episode's keywords are the terms that stand out in its parts: their TF-IDF summed over the
    chapters (or, with fewer than three chapters, over equal slices of the text), which favours
    what the episode is about over words that are merely frequent. YAKE was measured at 1 s per
    episode (89% of the pipeline); TF-IDF gives comparable keywords for 1/15 of the time.
    """
    per_chapter = _tfidf([_terms(t) for t in chapter_texts], top_n, min_count)
    parts = list(chapter_texts) if len(chapter_texts) >= 3 else _slices(" ".join(chapter_texts), 8)
    whole: Counter[str] = Counter()
    for ranked in _tfidf([_terms(t) for t in parts], 3 * top_n, min_count):
        for term, score in ranked:
            whole[term] += score
    return per_chapter, _top(list(whole.items()), top_n)


def _tfidf(docs: list[Counter[str]], top_n: int, min_count: int) -> list[list[tuple[str, float]]]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    ranked = []
    for doc in docs:
        total = sum(doc.values()) or 1
        scores = [
            (term, (count / total) * (math.log((1 + len(docs)) / (1 + df[term])) + 1.0))
            for term, count in doc.items()
            if count >= min_count
        ]
        ranked.append(_top(scores, top_n))
    return ranked


def _slices(text: str, n: int) -> list[str]:
    words = text.split()
    size = max(1, -(-len(words) // n))
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)]


def _terms(text: str) -> Counter[str]:
    tokens = _TOKEN.findall(text.lower().replace("’", "'"))
    terms: Counter[str] = Counter(t for t in tokens if t not in STOPWORDS and len(t) > 2 and not t.isdigit())
    for a, b in pairwise(tokens):
        if a != b and a not in STOPWORDS and b not in STOPWORDS and len(a) > 1 and len(b) > 1:
            terms[f"{a} {b}"] += 1
    return terms


def _top(scores: list[tuple[str, float]], top_n: int) -> list[tuple[str, float]]:
    ranked = sorted(scores, key=lambda item: (-item[1], item[0]))
    # A bigram makes its unigrams redundant when they score lower.
    chosen: list[tuple[str, float]] = []
    for term, score in ranked:
        if any(term in other.split() for other, _ in chosen if " " in other):
            continue
        chosen.append((term, round(score, 6)))
        if len(chosen) == top_n:
            break
    return chosen
