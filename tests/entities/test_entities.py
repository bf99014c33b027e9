"""Entity mentions: longest match, word boundaries, case rules, context aliases, fuzzy corrections, offsets."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.entities import MATCH_KINDS, Entity, Gazetteer, build_gazetteer, find_mentions
from tasks.reference import load_gazetteer
from tasks.sentences import sentence_spans

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "seeds" / "reference" / "entities.csv"
REFERENCE = ROOT / "seeds" / "transcripts" / "transcript_bUrCR4jQQg8.txt"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer(CSV)


def mentions(text: str, gazetteer: Gazetteer, **kw: bool) -> list[tuple[str, str, str]]:
    return [(m.surface, m.entity_id, m.match_kind) for m in find_mentions(text, sentence_spans(text), gazetteer, **kw)]


def test_csv_is_well_formed() -> None:
    lines = CSV.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert len(rows) > 300
    ids = [r["entity_id"] for r in rows]
    assert len(ids) == len(set(ids))
    types = {"person", "company", "product", "organisation", "place", "technology", "show"}
    assert {r["entity_type"] for r in rows} <= types
    known = set(ids)
    for r in rows:
        assert r["canonical"].strip() and r["entity_id"].strip()
        assert set(filter(None, r["context_ids"].split(";"))) <= known, r["entity_id"]


def test_longest_match_wins(gaz: Gazetteer) -> None:
    found = mentions("We invented a Grace Blackwell system, and Blackwell demand is insane.", gaz)
    assert ("Grace Blackwell", "grace_blackwell", "exact") in found
    assert ("Blackwell", "blackwell", "exact") in found
    assert not any(s == "Grace" for s, _, _ in found)


def test_word_boundaries() -> None:
    g = build_gazetteer([Entity("arm", "Arm", "company", ("ARM", "arm"))])
    assert mentions("It has the potential to do harm. Farming is old.", g) == []
    assert mentions("We license arm cores. Arm's chips.", g) == [("arm", "arm", "alias"), ("Arm", "arm", "exact")]


def test_offsets_exact_and_possessive(gaz: Gazetteer) -> None:
    text = "- Yes.  NVIDIA's moat, from Altimeter.\n\nThanks."
    found = find_mentions(text, sentence_spans(text), gaz, candidates=False)
    assert [(m.surface, m.start, m.end, m.sentence_idx) for m in found] == [
        ("NVIDIA", 8, 14, 1),
        ("Altimeter", 28, 37, 1),
    ]
    for m in found:
        assert text[m.start : m.end] == m.surface


def test_case_rules(gaz: Gazetteer) -> None:
    # Plain Capitalised words are names only when capitalised.
    assert mentions("Meta is big. The meta point is old.", gaz) == [("Meta", "meta", "exact")]
    assert mentions("I ate an apple, then bought Apple stock.", gaz) == [("Apple", "apple", "exact")]
    # All-caps forms match only as written; short acronyms not listed are no entities.
    assert mentions("Our AI runs on a GPU at the cafe, not the CAFE framework.", gaz) == [("CAFE", "caffe", "alias")]
    # Camel case and multi-word aliases with a lower-case word match in any case.
    assert [m[1] for m in mentions("chatgpt and CHAT GPT and open AI and OPENAI", gaz)] == [
        "chatgpt",
        "chatgpt",
        "openai",
        "openai",
    ]
    # Title-case multi-word forms need capitals on every word.
    found = mentions("It is practical AI work. We love Practical AI.", gaz)
    assert found == [("Practical AI", "practical_ai", "exact")]
    assert [m[:2] for m in mentions("Nvidia and NVIDIA and nvidia", gaz)] == [
        ("Nvidia", "nvidia"),
        ("NVIDIA", "nvidia"),
        ("nvidia", "nvidia"),
    ]


def test_asr_aliases(gaz: Gazetteer) -> None:
    found = mentions("Last year Chat GPT changed things. We run Lama on Tranium at AWS.", gaz)
    assert found == [
        ("Chat GPT", "chatgpt", "alias"),
        ("Lama", "llama", "alias"),
        ("Tranium", "trainium", "alias"),
        ("AWS", "aws", "exact"),
    ]


def test_fuzzy_correction_keeps_surface(gaz: Gazetteer) -> None:
    text = "We have Tranium coming and Inferencia coming from Amazon."
    found = find_mentions(text, sentence_spans(text), gaz)
    corrected = [m for m in found if m.match_kind == "corrected"]
    assert [(m.surface, m.canonical, m.entity_id) for m in corrected] == [("Inferencia", "Inferentia", "inferentia")]
    # Inflections and short words are not misspellings.
    assert mentions("Being Korean, he likes American food and Pythonic code.", gaz, candidates=False) == []


def test_context_aliases_need_a_licence(gaz: Gazetteer) -> None:
    # Go is matched only where the text also names Go (or its people/shows) by a normal form ...
    assert mentions("Let us go now. We said Go twice.", gaz) == []
    go = mentions("Rob Pike wrote it. So we built Go in 2007. Go ahead.", gaz)
    assert go == [("Rob Pike", "rob_pike", "exact"), ("Go", "go", "alias")]  # ... never as a first word
    # A first name resolves to whoever its context licenses.
    assert mentions("Thanks to Brad for that.", gaz) == []
    assert mentions("We met at Altimeter. Thanks to Brad for that.", gaz)[1] == ("Brad", "brad_gerstner", "alias")
    assert mentions("Rob Pike said Brad fixed it.", gaz)[1] == ("Brad", "brad_fitzpatrick", "alias")
    # Grace is a CPU only in NVIDIA context.
    assert mentions("Amazing Grace, how sweet.", gaz) == []
    assert mentions("NVIDIA pairs Hopper with a Grace chip.", gaz)[-1] == ("Grace", "grace_cpu", "alias")


def test_candidates_are_multi_word_and_not_sentence_initial(gaz: Gazetteer) -> None:
    found = mentions("Yesterday Zorblax Quantumworks hired people. Fizzbin Corp said no.", gaz)
    assert found == [("Zorblax Quantumworks", "candidate:zorblax-quantumworks", "candidate")]
    assert mentions("Yesterday Zorblax Quantumworks hired people.", gaz, candidates=False) == []


def test_mentions_never_straddle_sentences(gaz: Gazetteer) -> None:
    text = "We use Grace Blackwell now."
    spans = [(0, 12), (13, len(text))]  # a (bad) boundary inside the name
    found = find_mentions(text, spans, gaz)
    assert all(spans[m.sentence_idx][0] <= m.start < m.end <= spans[m.sentence_idx][1] for m in found)
    assert [(m.surface, m.sentence_idx) for m in found] == [("Grace", 0), ("Blackwell", 1)]


def test_empty_inputs(gaz: Gazetteer) -> None:
    assert find_mentions("", [], gaz) == []
    assert find_mentions("NVIDIA", [], gaz) == []


def test_deterministic(gaz: Gazetteer) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    spans = sentence_spans(text)
    assert find_mentions(text, spans, gaz) == find_mentions(text, list(reversed(spans)), gaz)


# Counted by reading the reference transcript (grep -ow, then checked in context), not from this code:
# NVIDIA 29 (incl. "NVIDIA's"); OpenAI 4 + "open AI" 4 + "Open AI" 1; "Chat GPT", "CHAT GPT", "chat GPT";
# "Lama" 3; "Blackwell" 4 of which one inside "Grace Blackwell"; "Elon" 6; "Meta" 3 (plus one lower-case
# "meta", not counted); "Google" 4 (one "Google's"); "Moore's law" 5; "Tranium" 2; "Inferencia" 1;
# "Jensen Huang" in the title + "Jensen" twice mid-sentence; "Brad Gerstner" in the title + "Brad" 3 times;
# "Clark" 3 times, once first in its sentence ("- Clark, I don't want ..."), so 2; "NVLink" 5.
REFERENCE_COUNTS = {
    "nvidia": 29,
    "openai": 9,
    "chatgpt": 3,
    "llama": 3,
    "blackwell": 3,
    "grace_blackwell": 1,
    "elon_musk": 6,
    "meta": 3,
    "google": 4,
    "moores_law": 5,
    "trainium": 2,
    "inferentia": 1,
    "jensen_huang": 3,
    "brad_gerstner": 4,
    "clark_tang": 2,
    "nvlink": 5,
    "pytorch": 5,
    "cuda": 4,
}


def test_reference_transcript_counts(gaz: Gazetteer) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    found = find_mentions(text, sentence_spans(text), gaz)
    counts = Counter(m.entity_id for m in found)
    assert {k: counts[k] for k in REFERENCE_COUNTS} == REFERENCE_COUNTS
    kinds = Counter((m.entity_id, m.match_kind) for m in found)
    assert kinds["nvidia", "exact"] == 29
    assert kinds["inferentia", "corrected"] == 1
    assert kinds["chatgpt", "alias"] == 3


# --- property: span invariants on text built from gazetteer names and filler words ---------------------------

_FILLER = [
    "the",
    "we",
    "said",
    "harm",
    "go",
    "grace",
    "meta",
    "apple",
    "and",
    "so",
    "it",
    "is",
    "a",
    "model",
    "Yes",
    "Right",
    "chip",
    "open",
    "chat",
    "AI",
    "GPU",
    "arm's",
    "x86-64",
    "İstanbul",
    "naïve",
    "--",
    "(laughing)",
]


@st.composite
def _texts(draw: st.DrawFn, names: list[str]) -> str:
    sentences = []
    for _ in range(draw(st.integers(1, 6))):
        words = draw(st.lists(st.sampled_from(names) | st.sampled_from(_FILLER), min_size=1, max_size=12))
        sentences.append(" ".join(words) + draw(st.sampled_from([".", "?", "!", "", "'s."])))
    return draw(st.sampled_from([" ", "\n\n", " - "])).join(sentences)


def _names() -> list[str]:
    g = load_gazetteer(CSV)
    out = []
    for e in g.entities[::3]:
        out += [e.canonical, *e.aliases[:2], *e.context_aliases[:1]]
    return out


_NAMES = _names()


@given(text=_texts(_NAMES))
def test_span_invariants(text: str) -> None:
    gaz = load_gazetteer_cached()
    spans = sentence_spans(text)
    found = find_mentions(text, spans, gaz)
    last_end = -1
    for m in found:
        assert text[m.start : m.end] == m.surface and m.surface
        a, b = spans[m.sentence_idx]
        assert a <= m.start < m.end <= b
        assert m.start >= last_end  # ordered and non-overlapping
        last_end = m.end
        assert m.match_kind in MATCH_KINDS
        assert m.start == 0 or not (text[m.start - 1].isalnum() or text[m.start - 1] == "_")
        assert m.end == len(text) or not (text[m.end].isalnum() or text[m.end] == "_")
        assert m.entity_id and m.canonical and m.entity_type
        if m.match_kind == "exact":
            assert m.surface == m.canonical


_CACHE: dict[str, Gazetteer] = {}


def load_gazetteer_cached() -> Gazetteer:
    if "g" not in _CACHE:
        _CACHE["g"] = load_gazetteer(CSV)
    return _CACHE["g"]
