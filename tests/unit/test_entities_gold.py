"""The hand-checked entity lists of bench/eval_entities.py stay usable (every surface is in its file, types are
the three classes, one row per entity), and the harness's matching and figures are the ones its docstring states."""

from __future__ import annotations

import re

import pytest

from bench.eval_entities import SETS, SHARED, TYPES, Entity, load_gold, predicted_entities, rates, score


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_every_row_has_a_class_and_each_file_names_an_entity_once(set_name: str) -> None:
    gold = load_gold(SETS[set_name])
    assert len(gold) == 2
    for name, rows in gold.items():
        assert all(g.type in TYPES and g.surfaces and all(g.surfaces) for g in rows), name
        canonicals = [g.canonical.casefold() for g in rows]
        assert sorted({c for c in canonicals if canonicals.count(c) > 1}) == [], name


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_every_surface_occurs_verbatim_as_a_word_in_its_file(set_name: str) -> None:
    if not (SHARED / "training").exists():
        pytest.skip("../shared/training not available")
    for name, rows in load_gold(SETS[set_name]).items():
        text = (SHARED / name).read_text(encoding="utf-8")
        absent = [
            (g.canonical, s)
            for g in rows
            for s in sorted(g.surfaces)
            if not re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)
        ]
        assert absent == [], name


def _mention(surface: str, entity_id: str, canonical: str, entity_type: str, match_kind: str = "exact") -> dict:
    return {
        "surface": surface,
        "entity_id": entity_id,
        "canonical": canonical,
        "entity_type": entity_type,
        "match_kind": match_kind,
    }


def test_scoring_matches_by_any_surface_ignoring_case_and_checks_types() -> None:
    gold = [
        Entity("NVIDIA", "ORG", frozenset({"Nvidia"})),
        Entity("Jensen Huang", "PERSON", frozenset({"Jensen Huang", "Jensen"})),
        Entity("GPT-4", "PRODUCT", frozenset({"GPT-4", "GPT 4"})),
        Entity("Hopper", "PRODUCT", frozenset({"Hopper"})),
    ]
    mentions = [
        _mention("NVIDIA", "nvidia", "NVIDIA", "company"),
        _mention("nvidia", "nvidia", "NVIDIA", "company", "alias"),
        _mention("Jensen Huang", "candidate:jensen-huang", "Jensen Huang", "unknown", "candidate"),
        _mention("GPT 4", "gpt_4", "GPT-4", "technology", "alias"),
        _mention("Hopper", "grace_hopper", "Grace Hopper", "person", "alias"),  # found, but typed PERSON
        _mention("Santa Clara", "santa_clara", "Santa Clara", "place"),  # places are not scored
        _mention("Apple", "apple", "Apple", "company"),
        _mention("Grace Blackwell", "candidate:grace-blackwell", "Grace Blackwell", "unknown", "candidate"),
    ]
    predicted = predicted_entities(mentions)
    assert len(predicted) == 6
    assert {p.canonical: p.type for p in predicted}["GPT-4"] == "PRODUCT"
    gazetteer = predicted_entities(m for m in mentions if m["match_kind"] != "candidate")
    c = score(gold, predicted, gazetteer)
    assert {k: c[k] for k in ("gold", "predicted", "candidates", "typed", "typed_right", "typed_found")} == {
        "gold": 4,
        "predicted": 6,
        "candidates": 2,
        "typed": 4,
        "typed_right": 2,
        "typed_found": 2,
    }
    assert (c["found"], c["matching"], c["gaz_found"], c["gaz_predicted"], c["gaz_matching"]) == (4, 4, 3, 4, 3)
    assert c["missed"] == []
    assert c["wrong_type"] == ["Hopper (PRODUCT)", "Jensen Huang (PERSON)"]
    assert c["extra"] == ["Apple (ORG)", "Grace Blackwell (candidate)"]
    assert rates(c) == {
        "typed_precision": 0.5,
        "typed_recall": 0.5,
        "untyped_recall": 1.0,
        "untyped_precision": 0.667,
        "candidate_share": 0.333,
        "gaz_untyped_recall": 0.75,
        "gaz_untyped_precision": 0.75,
    }


def test_an_entity_type_the_harness_does_not_know_is_an_error() -> None:
    with pytest.raises(ValueError, match="unmapped entity_type"):
        predicted_entities([_mention("Foo", "foo", "Foo", "gadget")])
