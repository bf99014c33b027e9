"""Names the gazetteer does not know, found from the text itself, typed where the text says, with a
confidence: the `candidate` mentions of `tasks.entities`.

What looks like a name (spans that overlap a gazetteer match or a heading, and known forms, are never offered):

- a run of two or more name-shaped words (``Dustin Kirkland``, ``Texas A&M University``, ``Windows Subsystem
  for Linux``: a connector such as ``for`` or ``of`` between capitals), not opening a sentence unless it is
  a person's name;
- one word whose shape marks a name: capitals inside it (``PowerShell``, ``PuTTY``), letters and digits
  (``E2B``, ``Llama3``), or all capitals and rare in lower case (``KDE``, not ``API``);
- one capitalised word away from a sentence's start, never said in lower case in the same text and rarer in
  English than `NAME_MAX_ZIPF` (``Debian``, ``Netflix``; not ``Texas``, nor ``Agent`` where the text also says
  ``agent``), said so at least `MIN_PLAIN_MENTIONS` times or listed beside a known name
  (``Netflix, Uber, Lyft and Tesla``);
- a word that is the first or last word of a person found above is that person (``Dustin`` -> Dustin Kirkland).

Types, from the strongest evidence: a two-word run whose first word is a first name (gender-guesser's list,
`tasks.first_names`) is a person; a run holding an organisation head word (``Labs``, ``University``, ``School
of Medicine``) is an organisation, one ending in a product head word (``App``, ``Engine``) a product; a name
listed beside known names (``, `` / ``and`` / ``or``) takes their type; otherwise the words just before and
after its mentions vote (``joined``/``acquired``: organisation; ``use``/``install``: product; ``said``/``told``:
person). A vote needs `MIN_VOTES` votes and `VOTE_SHARE` of them. Without evidence the type stays ``unknown``.

`confidence` is, per kind of evidence, the share of candidates that named a real entity on the development
files of bench/eval_entities.py (`CONFIDENCE`, in-sample): a ranking for review, not a held-out probability.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tasks.english import zipf
from tasks.first_names import is_first_name

# A plain capitalised word more common than this in English ("apple" 4.8, "texas" 4.9, "american" 5.5) is
# too often an ordinary word, an adjective or a place to be taken for a name on its capital alone.
NAME_MAX_ZIPF = 4.5
# An all-capitals word whose lower case is at least this common is a general abbreviation (API, CEO, PhD).
ACRONYM_MAX_ZIPF = 3.0
# A first name this common as an English word ("red" 5.3, "mark" 5.1, "will") makes a person only with a
# surname rarer than `RARE_SURNAME_ZIPF` ("Mark Shuttleworth", not "Red Team").
COMMON_FIRST_NAME_ZIPF = 5.0
RARE_SURNAME_ZIPF = 2.5
# A plain capitalised word must be said so this often (once could be emphasis), unless listed beside a known name.
MIN_PLAIN_MENTIONS = 2
# Context votes needed for a type, and the share of all votes the winning type must have.
MIN_VOTES = 2
VOTE_SHARE = 0.75

# Lower-case words a name may hold between capitals ("Bank of America"); "on" and "and" join two names
# more often than they belong to one ("Fish on Pandora", "Tom and Jerry").
CONNECTORS = frozenset({"of", "for", "&", "de", "von", "van", "der", "la"})
# Capitalised words that open phrases rather than names ("So Python ...", "The Go ...", "Hey Guys",
# "Thanks Dustin") and words capitalised by rule (days, months): never a candidate's first word, nor one alone.
NOT_NAMES = frozenset(
    """a an and as at but by for from if in into is it its my no not of on or our so than that the their then
    there these they this those to up we what when where which while who why with yes yeah you your okay ok oh
    well now also just like maybe mr mrs ms dr i i'm i've i'll i'd monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october november december
    chapter transcript index part episode hey hi hello thanks thank dear welcome congrats congratulations""".split()
)

# Entity types as the gazetteer writes them (tasks.reference), so candidates and known names share them.
PERSON, ORGANISATION, PRODUCT, PLACE, UNKNOWN = "person", "organisation", "product", "place", "unknown"
# The gazetteer's types, folded into the ones a candidate can take.
FOLDED_TYPES = {
    "person": PERSON,
    "company": ORGANISATION,
    "organisation": ORGANISATION,
    "show": ORGANISATION,
    "product": PRODUCT,
    "technology": PRODUCT,
    "place": PLACE,
}
ORG_HEADS = frozenset(
    """inc corp corporation company co labs lab foundation university institute college school group capital
    ventures partners podcast conference association society bank technologies systems media studios network
    agency council committee club records games holdings fund journal times post news academy consortium
    alliance initiative""".split()
)
PRODUCT_HEADS = frozenset(
    """app os engine terminal store pi core server cloud browser editor shell kit sdk framework library database
    db plugin extension console phone""".split()
)
_VOTES_BEFORE = {
    ORGANISATION: frozenset("joined join acquired founded co-founded cofounded partnered funded invested".split()),
    PRODUCT: frozenset(
        "use using used install installed installing run running ran download downloaded deploy deployed".split()
    ),
    PERSON: frozenset("mr mrs ms dr professor prof".split()),
}
_VOTES_AFTER = {
    ORGANISATION: frozenset("acquired announced raised hired employs invested funded".split()),
    PRODUCT: frozenset("app version versions users release released library plugin package installed".split()),
    PERSON: frozenset("said says told wrote thinks asked tweeted".split()),
}
# Share of candidates of each kind of evidence that named a real entity on the development files
# (bench/eval_entities.py, dev, 2026-12-04; Laplace-smoothed, (right + 1) / (n + 2), since some kinds are rare
# there: person 13/15, headed 3/3, listed 8/9, voted 0/0, run 13/19, shaped 20/33, plain 10/11). In-sample.
CONFIDENCE = {
    "person": 0.82,
    "headed": 0.8,
    "listed": 0.82,
    "voted": 0.5,
    "run": 0.67,
    "shaped": 0.6,
    "plain": 0.85,
}

_TITLE = re.compile(r"[A-Z][a-z][a-zA-Z'’-]*\Z")
_POSSESSIVE = re.compile(r"['’]s\Z")
_ABBREVIATION_PLURAL = re.compile(r"[A-Za-z0-9]*[A-Z0-9]s\Z")  # CDNs, MOEs, mp3s: things counted, not names
_LIST_GAP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+")  # between two items of a list


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    canonical: str
    entity_type: str
    confidence: float


@dataclass(slots=True)
class _Name:
    """Every saying of one candidate name: spans, spellings, its shape and the evidence gathered."""

    key: str
    shape: str  # "run", "shaped" or "plain"
    spans: list[tuple[int, int]] = field(default_factory=list)
    surfaces: Counter[str] = field(default_factory=Counter)
    listed: Counter[str] = field(default_factory=Counter)  # types of the known names it is listed beside

    @property
    def surface(self) -> str:
        return self.surfaces.most_common(1)[0][0]


def find_candidates(
    text: str,
    tokens: Sequence[tuple[int, int]],
    first_words: set[int],
    is_free: Callable[[int, int], bool],
    known: frozenset[str],
    known_spans: Sequence[tuple[int, int, str]],
) -> list[Candidate]:
    """Candidate names of `text`, ordered by start. `tokens` are word (start, end) offsets, `first_words` the
    starts of sentences' first words, `is_free(a, b)` whether a span is open (no gazetteer match, no
    heading), `known` the gazetteer's lower-case forms, `known_spans` its matches as (start, end, type)."""
    lower_said = Counter(text[a:b].lower() for a, b in tokens if text[a].islower())
    names: dict[str, _Name] = {}
    for a, b, shape in _name_spans(text, tokens, first_words, lower_said):
        surface = _POSSESSIVE.sub("", text[a:b])
        b = a + len(surface)
        key = surface.lower()
        if key in known or not is_free(a, b):
            continue
        name = names.setdefault(key, _Name(key, shape))
        name.spans.append((a, b))
        name.surfaces[surface] += 1
    _note_lists(text, names, known_spans)
    person_words = {w.lower() for n in names.values() if n.shape == "run" for w in _person_words(n.surface.split())}
    kept = [
        n
        for n in names.values()
        if n.shape != "plain" or len(n.spans) >= MIN_PLAIN_MENTIONS or n.listed or n.key in person_words
    ]
    return _typed(text, kept)


def _name_spans(
    text: str, tokens: Sequence[tuple[int, int]], first_words: set[int], lower_said: Counter[str]
) -> list[tuple[int, int, str]]:
    out = []
    i = 0
    while i < len(tokens):
        run = _run_at(text, tokens, i)
        i = run[-1] + 1
        words = [text[a:b] for a, b in (tokens[k] for k in run)]
        drop = 0
        while drop < len(run) and (
            words[drop].lower() in NOT_NAMES or (tokens[run[drop]][0] in first_words and not _is_person(words[drop:]))
        ):
            drop += 1
        run, words = run[drop:], words[drop:]
        while words and words[-1].lower() in CONNECTORS:
            run, words = run[:-1], words[:-1]
        if any(_ABBREVIATION_PLURAL.match(w) for w in words):
            continue  # "CEOs of AI", "CPU ISAs": things counted, not a name
        if sum(_is_name_word(w) for w in words) >= 2:
            out.append((tokens[run[0]][0], tokens[run[-1]][1], "run"))
        elif len(run) == 1:
            a, b = tokens[run[0]]
            shape = _single_shape(_POSSESSIVE.sub("", words[0]), a in first_words, lower_said)
            if shape:
                out.append((a, b, shape))
    return out


def _run_at(text: str, tokens: Sequence[tuple[int, int]], i: int) -> list[int]:
    """Token indices of the run of name-shaped words (connectors between them allowed) starting at token i."""
    run = [i]
    if not _is_name_word(text[slice(*tokens[i])]):
        return run
    j = i + 1
    while j < len(tokens) and tokens[j][0] == tokens[j - 1][1] + 1 and text[tokens[j - 1][1]] == " ":
        word = text[slice(*tokens[j])]
        then = j + 1 < len(tokens) and _is_name_word(text[slice(*tokens[j + 1])])
        if not (_is_name_word(word) or (word.lower() in CONNECTORS and then)):
            break
        run.append(j)
        j += 1
    return run


def _is_name_word(word: str) -> bool:
    return bool(_TITLE.match(word)) or _shaped(word) or (word.isupper() and len(word) >= 2)


def _shaped(word: str) -> bool:
    """Capitals inside the word, or letters and digits together: the marks of a product or a brand."""
    inner_capital = any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)
    return inner_capital or (any(c.isdigit() for c in word) and any(c.isalpha() for c in word))


def _single_shape(word: str, opens_sentence: bool, lower_said: Counter[str]) -> str | None:
    low = word.lower()
    if _ABBREVIATION_PLURAL.match(word) or low in NOT_NAMES:
        return None
    shaped = _shaped(word) and zipf(low) < NAME_MAX_ZIPF
    acronym = word.isupper() and len(word) >= 2 and zipf(low) < ACRONYM_MAX_ZIPF and not opens_sentence
    if shaped or acronym:
        return "shaped"
    if _TITLE.match(word) and not opens_sentence and not lower_said[low] and zipf(low) < NAME_MAX_ZIPF:
        return "plain"
    return None


def _is_person(words: Sequence[str]) -> bool:
    """Two name words, the first a first name; a first name that is also a common word needs a rare surname."""
    if len(words) != 2 or not is_first_name(words[0]) or not _TITLE.match(words[1]):
        return False
    last = words[1].lower()
    if last in ORG_HEADS or last in PRODUCT_HEADS:
        return False
    return zipf(words[0].lower()) < COMMON_FIRST_NAME_ZIPF or zipf(last) < RARE_SURNAME_ZIPF


def _person_words(words: Sequence[str]) -> Sequence[str]:
    """The first and last name of a person's name, to which a lone mention of either belongs."""
    return (words[0], words[-1]) if _is_person(words) else ()


def _note_lists(text: str, names: dict[str, _Name], known_spans: Sequence[tuple[int, int, str]]) -> None:
    """Record, for each name, the types of the known names it is listed beside ("Netflix, Uber and Tesla")."""
    typed = sorted(
        [(a, b, FOLDED_TYPES.get(t, UNKNOWN)) for a, b, t in known_spans]
        + [(a, b, "") for name in names.values() for a, b in name.spans]
    )
    by_span = {span: name for name in names.values() for span in name.spans}
    # Walk the list items left to right: a list is a chain of spans joined by commas, "and" or "or".
    chain: list[tuple[int, int, str]] = []
    for item in [*typed, (len(text) + 1, len(text) + 1, "")]:
        if chain and _LIST_GAP.fullmatch(text[chain[-1][1] : item[0]]):
            chain.append(item)
            continue
        kinds = Counter(t for _, _, t in chain if t and t != UNKNOWN)
        if kinds:
            for a, b, t in chain:
                if not t and (a, b) in by_span:
                    by_span[(a, b)].listed.update(kinds)
        chain = [item]


def _typed(text: str, names: list[_Name]) -> list[Candidate]:
    evidence: dict[str, tuple[str, str]] = {}  # key -> (type, kind of evidence)
    people: dict[str, _Name] = {}
    for name in names:
        words = name.surface.split()
        last = words[-1].lower()
        if name.shape == "run" and _is_person(words):
            evidence[name.key] = (PERSON, "person")
            for word in _person_words(words):
                people[word.lower()] = name
        elif name.shape == "run" and any(w.lower() in ORG_HEADS for w in words):
            evidence[name.key] = (ORGANISATION, "headed")  # "Zorvex Labs", "Stanford School of Medicine"
        elif name.shape == "run" and last in PRODUCT_HEADS:
            evidence[name.key] = (PRODUCT, "headed")
        elif (listed := _winner(name.listed, 1)) is not None:
            evidence[name.key] = (listed, "listed")
        elif (voted := _winner(_votes(text, name), MIN_VOTES)) is not None:
            evidence[name.key] = (voted, "voted")
        else:
            evidence[name.key] = (UNKNOWN, name.shape)

    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    owner_of: dict[str, _Name] = {}
    for name in names:
        # A lone first or last name of a person found in the same text is that person.
        owner = people.get(name.key, name) if name.shape != "run" else name
        spans[owner.key] += name.spans
        owner_of[owner.key] = owner
    found = []
    for key, key_spans in spans.items():
        entity_type, kind = evidence[key]
        canonical = " ".join(owner_of[key].surface.split())
        found += [Candidate(a, b, canonical, entity_type, CONFIDENCE[kind]) for a, b in key_spans]
    return sorted(found, key=lambda c: c.start)


def _votes(text: str, name: _Name) -> Counter[str]:
    votes: Counter[str] = Counter()
    for a, b in name.spans:
        before = text[max(0, a - 30) : a].lower().split()[-1:]
        after = text[b : b + 30].lower().split()[:1]
        for kind, words in _VOTES_BEFORE.items():
            votes[kind] += bool(before) and before[0].strip(",.") in words
        for kind, words in _VOTES_AFTER.items():
            votes[kind] += bool(after) and after[0].strip(",.") in words
    return votes


def _winner(votes: Counter[str], at_least: int) -> str | None:
    if not votes:
        return None
    kind, n = votes.most_common(1)[0]
    return kind if n >= at_least and n >= VOTE_SHARE * sum(votes.values()) else None
