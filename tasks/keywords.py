"""Keywords of each chapter and of the episode: terms said far more often than in general English.

A term is a word or a phrase of two or three content words said inside one clause. Its score is its
keyness against a reference corpus, the log-likelihood ratio of corpus linguistics (Dunning 1993;
Rayson & Garside 2000) in its usual one-sided form, count × ln(observed rate / background rate), with
the background rate from wordfreq's English frequencies (Speer et al., many sources). A chapter's
keywords are further weighted by how few of the other chapters say them.

Why general English and not the rest of the lake: an episode's rows must not depend on which other
episodes happen to be in the lake (its rows would change whenever another file is added, and the same
input would give different exports). The `lake_keywords(ep)` macro of `flows.catalog` ranks one
episode's keywords against the rest of the lake at query time instead.

Forms are normalised the way a reader would write them: plurals fold into a singular the episode also
says (`AIs` -> `AI`, `GPUs` -> `GPU`; `glasses` stays when `glass` is never said), possessives fold into
the name (`NVIDIA's` -> `NVIDIA`), and each keyword is shown in the case most often used away from the
start of a sentence (`PyTorch`, `Moore's law`, `inference`). A phrase takes the place of its words when it
accounts for at least `PHRASE_SHARE` of their uses (`Moore's law`, not `Moore's` and `law`).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tasks.english import phrase_rate, zipf

# Words never keywords on their own or at a phrase's edge: function words, fillers and the vocabulary of
# talk itself ("question", "today"). Keyness already sinks most of them; the list keeps them out for good.
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
    started start mean means course else another getting looking give gave put talked yes sort wanna
    gotta kinda hmm mm mhm huh ah wow hey hi hello bye alright cool stuff basically literally totally
    definitely absolutely exactly certainly obviously guess feel felt told tell telling bit ones
    interesting trying imagine sense important amazing awesome fun hard easy huge true whatever honestly super
    crazy happen happened happens fact idea understand remember agree happy excited love hope wonder real big
    bad best better cool nice kinda sorts used using use uses doing done goes went coming taking making saying
    seeing trying thinking talking working""".split()
)

# A single word at least this common in English (Zipf scale: log10 of uses per billion words; "company"
# 5.6, "better" 5.8, "video" 5.4, "inference" 3.3) is general vocabulary, never a keyword alone.
MAX_WORD_ZIPF = 5.5
# A phrase replaces its words when it is at least this share of their uses (half: the word is mostly
# said as part of the phrase).
PHRASE_SHARE = 0.5
MAX_PHRASE_WORDS = 3

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’+#.-]*[A-Za-z0-9+#]|[A-Za-z]")
# Phrases never cross these: sentence ends, clause punctuation, a turn's dash.
_CLAUSE_BREAK = re.compile(r"[.!?](?=\s|$)|[;:,()\[\]\"“”—–…]|\s-\s|\n")
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)|\n|\s-\s")
_POSSESSIVE = re.compile(r"['’]s\Z")


@dataclass(frozen=True, slots=True)
class _Said:
    """One occurrence of a term: its normalised key, how it was written, and whether a sentence opens with it."""

    key: str
    surface: str
    opens_sentence: bool


def keywords(
    chapter_texts: Sequence[str], top_n: int = 10, min_count: int = 2
) -> tuple[list[list[tuple[str, float]]], list[tuple[str, float]]]:
    """Keywords per chapter (weighted by how few other chapters say them) and for the whole episode.

    Returns, for each chapter and for the episode, up to `top_n` (keyword, score) pairs, best first;
    a term said fewer than `min_count` times in the text ranked is left out.
    """
    said_per_chapter = [list(_terms(text)) for text in chapter_texts]
    fold = _plural_folding(s.key for said in said_per_chapter for s in said)
    said_per_chapter = [[_fold(s, fold) for s in said] for said in said_per_chapter]
    display = _display_forms(s for said in said_per_chapter for s in said)

    chapter_counts = [Counter(s.key for s in said) for said in said_per_chapter]
    chapter_words = [len(_WORD.findall(text)) for text in chapter_texts]
    chapters_saying = Counter(key for counts in chapter_counts for key in counts)
    n = len(chapter_counts)
    per_chapter = []
    for counts, words in zip(chapter_counts, chapter_words, strict=True):
        spread = {key: math.log((1 + n) / (1 + chapters_saying[key])) + 1.0 for key in counts}
        per_chapter.append(_ranked(counts, words, display, top_n, min_count, spread))
    whole: Counter[str] = Counter()
    for counts in chapter_counts:
        whole.update(counts)
    return per_chapter, _ranked(whole, sum(chapter_words), display, top_n, min_count, {})


def _terms(text: str) -> Iterable[_Said]:
    """Every word and every phrase of two or three content words, clause by clause."""
    sentence_starts = _sentence_openings(text)
    start = 0
    for stop in [m.start() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]:
        words = [(m, _key(m.group())) for m in _WORD.finditer(text, start, stop)]
        start = stop + 1
        run: list[tuple[re.Match[str], str]] = []
        for match, key in [*words, (None, "")]:
            if match is not None and key and key not in STOPWORDS and len(key) > 1:
                run.append((match, key))
                continue
            yield from _phrases(text, run, sentence_starts)
            run = []


def _sentence_openings(text: str) -> set[int]:
    """Where a word opens a sentence: right after a sentence end, or after it and the whitespace that follows
    a terminator (not after a newline's or a turn dash's own trailing space, which already is the opening)."""
    ends = {0} | {m.end() for m in _SENTENCE_END.finditer(text)}
    openings = set(ends)
    for end in ends:
        if end == 0 or not text[end - 1].isspace():
            after = end
            while after < len(text) and text[after].isspace():
                after += 1
            openings.add(after)
    return openings


def _phrases(text: str, run: list[tuple[re.Match[str], str]], sentence_starts: set[int]) -> Iterable[_Said]:
    for i, (first, _) in enumerate(run):
        opens = first.start() in sentence_starts
        for size in range(1, MAX_PHRASE_WORDS + 1):
            if i + size > len(run):
                break
            part = run[i : i + size]
            key = " ".join(k for _, k in part)
            surface = text[first.start() : part[-1][0].end()]
            yield _Said(key, _POSSESSIVE.sub("", surface) if size == 1 else surface, opens)


def _key(word: str) -> str:
    return _POSSESSIVE.sub("", word.lower().replace("’", "'")).rstrip("'")


def _plural_folding(keys: Iterable[str]) -> dict[str, str]:
    """Plural -> singular, for the plurals whose singular the same episode also says."""
    seen = set(keys)
    fold: dict[str, str] = {}
    for key in seen:
        head, _, last = key.rpartition(" ")
        for singular in _singulars(last):
            if (f"{head} {singular}" if head else singular) in seen:
                fold[key] = f"{head} {singular}" if head else singular
                break
    return fold


def _singulars(word: str) -> list[str]:
    if len(word) < 3 or not word.endswith("s") or word.endswith("ss"):
        return []
    options = [word[:-1]]
    if word.endswith("ies"):
        options.insert(0, word[:-3] + "y")
    elif word.endswith("es"):
        options.append(word[:-2])
    return options


def _fold(said: _Said, fold: dict[str, str]) -> _Said:
    return _Said(fold[said.key], said.surface, said.opens_sentence) if said.key in fold else said


def _display_forms(said: Iterable[_Said]) -> dict[str, str]:
    """The spelling of each key used most often away from a sentence's start (the first such, on a tie),
    singular spellings before folded plurals."""
    votes: dict[str, Counter[tuple[int, int, str]]] = defaultdict(Counter)
    for s in said:
        singular = _key(s.surface.split()[-1]) == s.key.rpartition(" ")[2]
        votes[s.key][(not s.opens_sentence, singular, s.surface)] += 1
    return {key: max(counts.items(), key=lambda item: (item[0][:2], item[1]))[0][2] for key, counts in votes.items()}


def _ranked(
    counts: Counter[str], words: int, display: dict[str, str], top_n: int, min_count: int, weight: dict[str, float]
) -> list[tuple[str, float]]:
    total = max(words, 1)
    scores: dict[str, float] = {}
    for key, count in counts.items():
        if count < min_count or (" " not in key and zipf(key) >= MAX_WORD_ZIPF):
            continue
        keyness = count * (math.log(count / total) - math.log(phrase_rate(key.split())))
        if keyness > 0:
            scores[key] = keyness * weight.get(key, 1.0)
    for phrase in [k for k in scores if " " in k]:
        for word in set(phrase.split()):
            if word in scores and counts[phrase] >= PHRASE_SHARE * counts[word]:
                scores[phrase] = max(scores[phrase], scores.pop(word))
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    chosen: list[tuple[str, float]] = []
    for key, score in ranked:
        # A phrase inside a chosen longer phrase, or a longer phrase around a chosen one, says the same thing.
        if any(f" {key} " in f" {other} " or f" {other} " in f" {key} " for other, _ in chosen):
            continue
        chosen.append((key, round(score, 6)))
        if len(chosen) == top_n:
            break
    return [(display[key], score) for key, score in chosen]
