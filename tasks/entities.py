"""Entity mentions: a gazetteer matched with Aho-Corasick, fuzzy correction of ASR misspellings, and
optional candidates for unknown multi-word names.

Measured on this material (../shared/research/perf_anchors.md §3), pyahocorasick over lower-cased text
with a manual word-boundary check is the fast exact matcher (25–31 MB/s); rapidfuzz `cdist` over the
unique capitalised 1–2-grams with `score_cutoff` is the affordable fuzzy pass. Regex alternations and a
per-token `extractOne` are 10–100x slower, so neither is used.

Rules (the gazetteer CSV header repeats the first three, since whoever edits it needs them):

- Case policy of a form is read from how it is written in the CSV:
  * a form with no lower-case letter (``NVIDIA``, ``AWS``, ``CAFE``, ``X.AI``) matches only exactly as written,
    so ``IT``/``it`` or ``CAFE``/``cafe`` never collide; list ``Nvidia`` or ``nvidia`` to allow those spellings;
  * a single plain Capitalised word (``Meta``, ``Grace``, ``Python``, ``Apple``, ``Lama``) matches only as
    written or in ALL CAPS: ``meta``, ``grace`` and ``apple`` are ordinary words;
  * a form whose every word starts with a capital (``Grace Blackwell``, ``Practical AI``, ``Go Time``) needs a
    capital on every word of the surface, so ``practical AI`` or ``go time`` are not names;
  * any other form (camel case ``ChatGPT``/``PyTorch``, a listed lower-case spelling ``nvidia``, or a
    multi-word form with a lower-case word ``open AI``) matches in any case.
- Context aliases (the ``context_aliases`` column) are ambiguous short forms: first names (``Jensen``,
  ``Brad``, ``Sam``) and common words (``Go``, ``Grace``, ``Rubin``). One matches only when the same text
  also names its entity, or one of the entities in ``context_ids``, by a normal form, and never as the
  first word of a sentence (``Go ahead.``). When several entities share a licensed context alias, the one
  listed first in the CSV wins.
- Word boundaries: the characters either side of a match must not be letters, digits or ``_``
  (``arm`` never matches inside ``harm``; ``NVIDIA's`` gives ``NVIDIA``).
- Overlaps: the longest match wins (``Grace Blackwell`` over ``Blackwell``), then the earlier one;
  gazetteer matches beat fuzzy corrections, which beat candidates.
- ``corrected``: a Capitalised 1- or 2-gram not matched above (a single word not as a sentence's first word)
  whose lower case has rapidfuzz ``ratio`` >= 90 with a normal (non-context, not all-caps) form of at least
  7 characters, the same word count and first letter, neither a prefix of the other (``Inferencia`` ->
  Inferentia, but not ``Being`` -> Boeing or ``Korean`` -> Korea). The surface stays as said; ``canonical``
  carries the correction.
- ``candidate``: a name the gazetteer does not know, found from the text itself and typed where the text
  says (`tasks.entity_candidates`); ``entity_id`` is ``candidate:<slug>``, ``entity_type`` person,
  organisation, product, place or ``unknown``, and ``confidence`` ranks it for review (`tlake candidates`).
- Every mention lies inside one sentence span and ``text[start:end] == surface``. Deterministic.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick
from rapidfuzz import fuzz, process

from tasks.entity_candidates import Candidate, find_candidates

MATCH_KINDS = ("exact", "alias", "corrected", "candidate")
FUZZY_CUTOFF = 90.0
_FUZZY_MIN_LEN = 7

# Policies of a form; see the module docstring.
_EXACT, _CAP, _TITLE, _ANY = 0, 1, 2, 3

# Length-preserving: a few characters lower-case to two (İ -> i̇), which would shift every later offset.
_WS_TO_SPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " "})

_TOKEN = re.compile(r"[^\W\d_](?:[\w-]*\w)?")


@dataclass(frozen=True, slots=True)
class Entity:
    entity_id: str
    canonical: str
    entity_type: str
    aliases: tuple[str, ...] = ()
    context_aliases: tuple[str, ...] = ()
    context_ids: tuple[str, ...] = ()


class Mention(NamedTuple):
    start: int
    end: int
    sentence_idx: int
    surface: str
    entity_id: str
    canonical: str
    entity_type: str
    match_kind: str
    confidence: float


class _Form(NamedTuple):
    text: str
    entity: int  # index into Gazetteer.entities
    policy: int
    context: bool


@dataclass(frozen=True, slots=True)
class Gazetteer:
    entities: tuple[Entity, ...]
    automaton: ahocorasick.Automaton = field(repr=False)
    known: frozenset[str] = field(repr=False)  # lower-cased forms, never offered as fuzzy or candidate
    fuzzy_one: tuple[tuple[str, ...], tuple[int, ...]] = field(repr=False)
    fuzzy_two: tuple[tuple[str, ...], tuple[int, ...]] = field(repr=False)
    licensors: tuple[frozenset[int], ...] = field(repr=False)  # per entity: entities whose mention licenses it


def _policy(form: str) -> int:
    if not any(c.islower() for c in form):
        return _EXACT
    words = form.split(" ")
    if len(words) == 1:
        plain = form[0].isupper() and not any(c.isupper() for c in form[1:])
        return _CAP if plain else _ANY
    return _TITLE if all(w[:1].isupper() for w in words) else _ANY


def _accepts(policy: int, form: str, surface: str) -> bool:
    if policy == _ANY:
        return True
    if policy == _EXACT:
        return surface == form
    if policy == _CAP:
        return surface == form or surface == form.upper()
    return all(w[:1].isupper() for w in surface.split(" "))


def _normalise(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(_WS_TO_SPACE)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def build_gazetteer(entities: Iterable[Entity]) -> Gazetteer:
    """Index entities for `find_mentions`. Earlier entities win when two share a form."""
    ents = tuple(entities)
    by_key: dict[str, list[_Form]] = {}
    seen: set[tuple[str, int]] = set()
    for idx, ent in enumerate(ents):
        context = set(ent.context_aliases)
        for text in (ent.canonical, *ent.aliases, *ent.context_aliases):
            text = " ".join(text.split())
            if not text or (text, idx) in seen:
                continue
            seen.add((text, idx))
            by_key.setdefault(_normalise(text), []).append(_Form(text, idx, _policy(text), text in context))
    automaton = ahocorasick.Automaton()
    for key, forms in by_key.items():
        # Normal forms first so a context reading is only a fallback; ties keep CSV order.
        automaton.add_word(key, (key, tuple(sorted(forms, key=lambda f: (f.context, f.entity)))))
    automaton.make_automaton()

    fuzzy: dict[int, dict[str, int]] = {1: {}, 2: {}}
    for key, forms in by_key.items():
        strong = [f for f in forms if not f.context and f.policy != _EXACT]
        n_words = key.count(" ") + 1
        if strong and len(key) >= _FUZZY_MIN_LEN and n_words in fuzzy:
            fuzzy[n_words].setdefault(key, min(f.entity for f in strong))
    index = {e.entity_id: i for i, e in enumerate(ents)}
    licensors = tuple(frozenset({i} | {index[c] for c in e.context_ids if c in index}) for i, e in enumerate(ents))
    return Gazetteer(
        entities=ents,
        automaton=automaton,
        known=frozenset(by_key),
        fuzzy_one=(tuple(fuzzy[1]), tuple(fuzzy[1].values())),
        fuzzy_two=(tuple(fuzzy[2]), tuple(fuzzy[2].values())),
        licensors=licensors,
    )


class _Hit(NamedTuple):
    start: int
    end: int
    rank: int  # 0 gazetteer, 1 corrected, 2 candidate: lower wins an overlap of equal length
    entity: int  # -1 for a candidate
    kind: str
    canonical: str
    confidence: float = 1.0


def _select(hits: Iterable[_Hit], taken: list[tuple[int, int]]) -> list[_Hit]:
    """Non-overlapping hits, longest first; `taken` (sorted spans) is extended in place."""
    chosen = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.rank, h.start, h.entity)):
        i = bisect.bisect_left(taken, (hit.start, hit.start))
        if i > 0 and taken[i - 1][1] > hit.start:
            continue
        if i < len(taken) and taken[i][0] < hit.end:
            continue
        taken.insert(i, (hit.start, hit.end))
        chosen.append(hit)
    return chosen


def find_mentions(
    text: str,
    sentence_spans: Sequence[tuple[int, int]],
    gazetteer: Gazetteer,
    *,
    fuzzy: bool = True,
    candidates: bool = True,
) -> list[Mention]:
    """Entity mentions of `text`, ordered by start; spans are half-open str offsets inside one sentence."""
    spans = sorted((a, b) for a, b in sentence_spans if a < b)
    if not text or not spans:
        return []
    starts = [a for a, _ in spans]
    first_words = {_first_word(text, a, b) for a, b in spans}
    norm = _normalise(text)
    n = len(text)
    ents = gazetteer.entities

    strong: list[_Hit] = []
    contextual: list[tuple[int, int, tuple[_Form, ...]]] = []
    for end_idx, (key, forms) in gazetteer.automaton.iter(norm):
        start, end = end_idx - len(key) + 1, end_idx + 1
        if (start > 0 and _is_word_char(norm[start - 1])) or (end < n and _is_word_char(norm[end])):
            continue
        s = bisect.bisect_right(starts, start) - 1
        if s < 0 or end > spans[s][1]:
            continue  # straddles a sentence boundary; a shorter match inside one sentence may still fit
        surface = text[start:end]
        ok = [f for f in forms if _accepts(f.policy, f.text, surface)]
        normal = [f for f in ok if not f.context]
        if normal:
            f = normal[0]
            strong.append(_Hit(start, end, 0, f.entity, _kind(ents[f.entity], surface), ents[f.entity].canonical))
        elif ok and start not in first_words:
            contextual.append((start, end, tuple(ok)))

    taken: list[tuple[int, int]] = []
    chosen = _select(strong, taken)
    present = {h.entity for h in chosen}
    licensed = []
    for start, end, forms in contextual:
        for f in forms:
            if gazetteer.licensors[f.entity] & present:
                licensed.append(_Hit(start, end, 0, f.entity, "alias", ents[f.entity].canonical))
                break
    chosen += _select(licensed, taken)

    typed: dict[tuple[int, int], Candidate] = {}
    if fuzzy or candidates:
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        if fuzzy:
            chosen += _select(_fuzzy_hits(text, tokens, first_words, gazetteer, taken), taken)
        if candidates:
            headings = _headings(text, tokens, spans)
            found = find_candidates(
                text,
                tokens,
                first_words,
                lambda a, b: _free(taken, a, b) and _free(headings, a, b),
                gazetteer.known,
                [(h.start, h.end, ents[h.entity].entity_type) for h in chosen],
            )
            typed = {(c.start, c.end): c for c in found}
            chosen += _select(
                [_Hit(c.start, c.end, 2, -1, "candidate", c.canonical, c.confidence) for c in found], taken
            )

    mentions = []
    for hit in sorted(chosen, key=lambda h: h.start):
        s = bisect.bisect_right(starts, hit.start) - 1
        if s < 0 or hit.end > spans[s][1]:
            continue  # straddles a sentence boundary: not a name as said
        surface = text[hit.start : hit.end]
        if hit.entity < 0:
            candidate = typed[(hit.start, hit.end)]
            canonical = " ".join(candidate.canonical.split())
            mentions.append(
                Mention(
                    hit.start,
                    hit.end,
                    s,
                    surface,
                    "candidate:" + _slug(canonical),
                    canonical,
                    candidate.entity_type,
                    "candidate",
                    candidate.confidence,
                )
            )
        else:
            e = ents[hit.entity]
            mentions.append(
                Mention(
                    hit.start, hit.end, s, surface, e.entity_id, e.canonical, e.entity_type, hit.kind, hit.confidence
                )
            )
    return mentions


def _kind(entity: Entity, surface: str) -> str:
    return "exact" if surface == entity.canonical else "alias"


def _first_word(text: str, start: int, end: int) -> int:
    """Start of the first word of a sentence, past turn dashes, quotes and brackets."""
    i = start
    while i < end and not text[i].isalnum():
        i += 1
    return i


def _slug(surface: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", surface.lower()).strip("-")


def _grams(text: str, tokens: list[tuple[int, int]]) -> Iterable[tuple[int, int, int]]:
    """Capitalised 1- and 2-grams as (start, end, n_words); a 2-gram is two words joined by one space."""
    for i, (a, b) in enumerate(tokens):
        if not text[a].isupper():
            continue
        yield a, b, 1
        if i + 1 < len(tokens):
            c, d = tokens[i + 1]
            if c == b + 1 and text[b] == " " and text[c].isupper():
                yield a, d, 2


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(taken, (start, start))
    return not ((i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end))


def _fuzzy_hits(
    text: str, tokens: list[tuple[int, int]], first_words: set[int], gaz: Gazetteer, taken: list[tuple[int, int]]
) -> list[_Hit]:
    by_gram: dict[int, dict[str, list[tuple[int, int]]]] = {1: {}, 2: {}}
    for a, b, k in _grams(text, tokens):
        gram = text[a:b].lower()
        if len(gram) < _FUZZY_MIN_LEN - 1 or gram in gaz.known or not _free(taken, a, b):
            continue
        if k == 1 and a in first_words:
            continue  # a sentence's first word is capitalised anyway: no sign of a name
        by_gram[k].setdefault(gram, []).append((a, b))
    hits = []
    for k, (choices, owners) in ((1, gaz.fuzzy_one), (2, gaz.fuzzy_two)):
        queries = sorted(by_gram[k])  # sorted so the result does not depend on dict order
        if not queries or not choices:
            continue
        scores = process.cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        for qi, query in enumerate(queries):
            row = scores[qi]
            best = int(row.argmax())  # first maximum: ties go to the earlier (CSV-order) form
            choice = choices[best]
            if row[best] < FUZZY_CUTOFF or choice[0] != query[0]:
                continue
            if query.startswith(choice) or choice.startswith(query):
                continue  # an inflection (Korean, Americans, Pythonic), not a misspelling
            ent = gaz.entities[owners[best]]
            for a, b in by_gram[k][query]:
                hits.append(_Hit(a, b, 1, owners[best], "corrected", ent.canonical, round(float(row[best]) / 100, 4)))
    return hits


def _headings(text: str, tokens: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences in which most words are capitalised: titles and chapter lists, where capitals mark no name.
    A sentence with two commas or more is a list of names said ("Netflix, Uber, Lyft, Tesla"), not a title."""
    out = []
    t = 0
    for a, b in spans:
        while t < len(tokens) and tokens[t][0] < a:
            t += 1
        upper = total = 0
        while t < len(tokens) and tokens[t][1] <= b:
            total += 1
            upper += text[tokens[t][0]].isupper()
            t += 1
        if total >= 4 and upper * 5 > total * 3 and text.count(",", a, b) < 2:
            out.append((a, b))
    return out
